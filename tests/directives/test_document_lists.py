"""Documents lists searched by number, summary, issuer, type and dates; overdue documents marked."""

import datetime as dt

import pytest

from directives.deliveries import delivery_mark_done
from directives.enums import AddresseeMode, DocumentType
from directives.models import Delivery
from organizations.enums import UnitKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def documents(tree, make_document):
    """153-like plan of the federation due 30/09/2019 (every recipient overdue today), a 2020 guidance,
    and a Gia Lâm công văn of May 2019 with no deadline."""

    class Docs:
        pass

    d = Docs()
    d.plan = make_document(unit=tree.federation, by=tree.city_officer, issue=True)
    d.guidance = make_document(
        unit=tree.federation,
        by=tree.city_officer,
        issue=True,
        doc_type=DocumentType.HUONG_DAN,
        issued_on=dt.date(2020, 3, 10),
        subject="Hướng dẫn cải cách hành chính trong công đoàn",
        tasks=[],
    )
    d.letter = make_document(
        unit=tree.gialam,
        by=tree.gialam_officer,
        issue=True,
        doc_type=DocumentType.CONG_VAN,
        issued_on=dt.date(2019, 5, 2),
        subject="Đôn đốc gửi báo cáo quý II",
        addressee_mode=AddresseeMode.CHILDREN_OF_KIND,
        addressee_kinds=[UnitKind.GRASSROOTS_UNION],
        tasks=[],
    )
    return d


def _listed(response) -> list[str]:
    return [row.number_symbol for row in response.context["page"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["01/HD-LĐLĐ", "01/LĐLĐ", "01/KH-LĐLĐ"]),  # newest first
        ("text=tuyen+truyen+thu+tuc", ["01/KH-LĐLĐ"]),  # summary, without accents, every word
        ("text=TUYÊN+TRUYỀN", ["01/KH-LĐLĐ"]),
        ("text=01%2FHD", ["01/HD-LĐLĐ"]),  # number and symbol
        ("issuer=gia+lam", ["01/LĐLĐ"]),
        ("doc_type=HD", ["01/HD-LĐLĐ"]),
        ("date_from=2019-04-01&date_to=2019-12-31", ["01/LĐLĐ"]),
        ("date_from=01%2F01%2F2020", ["01/HD-LĐLĐ"]),
        ("overdue_only=on", ["01/KH-LĐLĐ"]),
    ],
)
def test_index_search(tree, login, documents, query, expected):
    response = login(tree.city_officer).get(f"/directives/?{query}")
    assert _listed(response) == expected


def test_index_search_is_kept_in_the_pager_links(tree, login, documents):
    response = login(tree.city_officer).get("/directives/?text=tuyen&page=1")
    assert (response.context["query"], response.context["form"]["text"].value()) == ("text=tuyen", "tuyen")


def test_index_search_with_no_result_says_so(tree, login, documents):
    page = login(tree.city_officer).get("/directives/?text=khong+co+van+ban+nay").content.decode()
    assert "Không có văn bản nào khớp với điều kiện tìm kiếm." in page


def test_index_search_bad_date_range_keeps_the_typed_values(tree, login, documents):
    response = login(tree.city_officer).get("/directives/?text=tuyen&date_from=2020-01-01&date_to=2019-01-01")
    assert response.context["form"].errors == {"date_to": ["“Đến ngày” phải sau “Từ ngày”."]}
    page = response.content.decode()
    assert 'value="2020-01-01"' in page and 'value="tuyen"' in page


def test_index_search_shows_only_what_she_may_see(tree, login, documents):
    # Đông Anh's officer never received the Gia Lâm letter: no search finds it for her.
    assert _listed(login(tree.da1_officer).get("/directives/?issuer=gia+lam")) == []
    assert _listed(login(tree.gl1_officer).get("/directives/?issuer=gia+lam")) == ["01/LĐLĐ"]


def test_inbox_search_and_overdue_mark(tree, login, documents):
    client = login(tree.gl1_officer)
    response = client.get("/directives/inbox/")
    rows = {d.document.number_symbol: d.overdue for d in response.context["page"]}
    assert rows == {"01/HD-LĐLĐ": False, "01/LĐLĐ": False, "01/KH-LĐLĐ": True}
    assert response.content.decode().count(">Quá hạn</span>") == 1
    assert [d.document.number_symbol for d in client.get("/directives/inbox/?text=don+doc").context["page"]] == [
        "01/LĐLĐ"
    ]
    overdue = client.get("/directives/inbox/?overdue_only=on").context["page"]
    assert [d.document.number_symbol for d in overdue] == ["01/KH-LĐLĐ"]
    # Implemented late: no longer overdue.
    delivery = Delivery.objects.get(document=documents.plan, unit=tree.gl1)
    delivery_mark_done(delivery=delivery, by=tree.gl1_officer, result_note="Đã tuyên truyền.")
    assert [d.document.number_symbol for d in client.get("/directives/inbox/?overdue_only=on").context["page"]] == []
    assert "Không có văn bản nào khớp" in client.get("/directives/inbox/?overdue_only=on").content.decode()


def test_overdue_marked_for_the_recipient_and_counted_for_the_issuer(tree, login, documents):
    recipient = login(tree.gl1_officer).get(f"/directives/{documents.plan.pk}/")
    assert (recipient.context["delivery_overdue"], recipient.context["overdue_recipients"]) == (True, None)
    assert ">Quá hạn</span>" in recipient.content.decode()
    issuer = login(tree.city_officer).get(f"/directives/{documents.plan.pk}/")
    assert (issuer.context["delivery_overdue"], issuer.context["overdue_recipients"]) == (False, 6)
    assert "Quá hạn: 6 đơn vị" in issuer.content.decode()
    index = {
        d.number_symbol: (d.overdue_for_me, d.overdue_recipients)
        for d in login(tree.city_officer).get("/directives/").context["page"]
    }
    assert index == {"01/KH-LĐLĐ": (False, 6), "01/HD-LĐLĐ": (False, 0), "01/LĐLĐ": (False, 0)}
    admin_rows = login(tree.admin).get("/directives/?text=tuyen").context["page"]
    assert [(d.number_symbol, d.overdue_recipients) for d in admin_rows] == [("01/KH-LĐLĐ", 6)]
    # A recipient sees her own overdue delivery, never how many others are late.
    index = {
        d.number_symbol: (d.overdue_for_me, d.overdue_recipients)
        for d in login(tree.gl1_officer).get("/directives/").context["page"]
    }
    assert index == {"01/KH-LĐLĐ": (True, 0), "01/HD-LĐLĐ": (False, 0), "01/LĐLĐ": (False, 0)}


def test_lists_queries_do_not_grow_with_documents(tree, login, make_document, documents, django_assert_max_num_queries):
    client = login(tree.gl1_officer)
    urls = ["/directives/?text=tuyen&overdue_only=on", "/directives/inbox/?issuer=ha+noi&date_from=2019-01-01"]
    for url in urls:
        with django_assert_max_num_queries(12):
            client.get(url)
    for day in range(1, 16):
        make_document(unit=tree.federation, by=tree.city_officer, issue=True, issued_on=dt.date(2019, 2, day))
    for url in urls:
        with django_assert_max_num_queries(12):
            response = client.get(url)
        assert len(response.context["page"]) >= 15


def test_cascade_searched_by_document(tree, login, documents):
    from directives.services import document_draft_implementing, document_issue

    delivery = Delivery.objects.get(document=documents.plan, unit=tree.gialam)
    child = document_draft_implementing(delivery=delivery, by=tree.gialam_officer)
    document_issue(document=child, by=tree.gialam_officer)
    child.refresh_from_db()
    client = login(tree.city_officer)
    everything = client.get(f"/directives/{documents.plan.pk}/cascade/")
    assert everything.context["totals"]["delivered"] == 8
    response = client.get(f"/directives/{documents.plan.pk}/cascade/?document={child.number_symbol}")
    assert {r["d"].document.number_symbol for r in response.context["rows"]} == {child.number_symbol}
    assert response.context["totals"]["delivered"] == 2
    assert response.context["form"]["document"].value() == child.number_symbol
