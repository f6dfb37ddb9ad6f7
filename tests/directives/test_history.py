"""Time-true directives: the cascade of a past document is computed on the tree as it stood then.

Everything happens through the services: 2019 and 2021 documents are issued and worked on, then Hanoi's
reorganisation of 1 July 2025 is applied (district federations dissolved, their grassroots unions moved under the
city federation or a new commune union), and every page and export about those documents is rendered again."""

import datetime as dt
import io
import re
from unittest import mock

import openpyxl
import pdfplumber
import pytest
from django.utils import timezone

from directives.deliveries import delivery_acknowledge, delivery_mark_done, delivery_mark_not_applicable, delivery_open
from directives.enums import AddresseeMode, DocumentType
from directives.models import Delivery, Document
from directives.selectors import deliveries_received_by, received_documents_for
from directives.services import document_create, document_draft_implementing, document_issue
from organizations.enums import Role, UnitKind
from organizations.services import unit_create, unit_dissolve, units_move

from ..factories import UserFactory, make_unit, member
from .conftest import at, draft_data

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 20)
REORGANISED_ON = dt.date(2025, 7, 1)
CSRF = re.compile(r'<input type="hidden" name="csrfmiddlewaretoken" value="[^"]*">')
# The one thing a reorganisation legitimately adds to a past document's page: the banner of its dissolved issuer.
DISSOLVED_BANNER = re.compile(r"<div[^>]*data-dissolved-banner.*?</div>", re.S)


@pytest.fixture
def frozen_today():
    with mock.patch.object(timezone, "now", return_value=at(TODAY, 10)):
        yield


class History:
    pass


def _issue(*, unit, by, day, **overrides):
    document = document_create(issuing_unit=unit, by=by, data=draft_data(issued_on=day, **overrides))
    return document_issue(document=document, by=by, now=at(day))


def _implement(*, delivery, by, day):
    draft = document_draft_implementing(delivery=delivery, by=by, today=day)
    return document_issue(document=draft, by=by, now=at(day))


def _delivery(document, unit):
    return Delivery.objects.get(document=document, unit=unit)


@pytest.fixture
def history(tree, frozen_today):
    """The 2019 cascade of a 153/LĐLĐ-like công văn and the 2021 guidance of Gia Lâm, worked on as it happened."""
    h = History()
    h.tree = tree
    t = tree
    h.gl3 = make_unit(t.gialam, code="HN-LDLD-GIALAM-0003", name="Công đoàn cơ sở Trường Tiểu học Kiêu Kỵ")
    h.gl3_officer = member(h.gl3, Role.OFFICER, UserFactory(email="gl3.officer@example.vn"))
    h.direct_officer = member(t.direct, Role.OFFICER, UserFactory(email="direct.officer@example.vn"))
    h.cv153 = _issue(
        unit=t.federation,
        by=t.city_officer,
        day=dt.date(2019, 3, 27),
        doc_type=DocumentType.CONG_VAN,
        subject="Tuyên truyền về kiểm soát thủ tục hành chính, cải cách thủ tục hành chính",
        addressee_mode=AddresseeMode.CHILDREN_OF_KIND,
        addressee_kinds=[UnitKind.DISTRICT_FEDERATION, UnitKind.GRASSROOTS_UNION],
        tasks=[("Báo cáo kết quả", dt.date(2019, 6, 30))],
    )
    # Each district federation passes it on to its grassroots unions with its own guidance.
    h.gialam_hd = _implement(delivery=_delivery(h.cv153, t.gialam), by=t.gialam_officer, day=dt.date(2019, 4, 2))
    h.donganh_hd = _implement(delivery=_delivery(h.cv153, t.donganh), by=t.donganh_head, day=dt.date(2019, 4, 10))
    # The grassroots unions open, acknowledge, implement, or let the deadline pass.
    gl1 = _delivery(h.gialam_hd, t.gl1)
    delivery_open(delivery=gl1, by=t.gl1_officer, now=at(dt.date(2019, 4, 3)))
    delivery_acknowledge(delivery=gl1, by=t.gl1_officer, now=at(dt.date(2019, 4, 3), 14))
    delivery_mark_done(
        delivery=gl1, by=t.gl1_officer, result_note="Tuyên truyền cho 48 đoàn viên", now=at(dt.date(2019, 5, 20))
    )
    delivery_mark_not_applicable(
        delivery=_delivery(h.gialam_hd, t.gl2),
        by=t.gl2_officer,
        reason="Trường học không giải quyết thủ tục hành chính",
        now=at(dt.date(2019, 4, 8)),
    )
    delivery_open(delivery=_delivery(h.gialam_hd, h.gl3), by=h.gl3_officer, now=at(dt.date(2019, 4, 5)))
    delivery_acknowledge(delivery=_delivery(h.donganh_hd, t.da1), by=t.da1_officer, now=at(dt.date(2019, 4, 11)))
    delivery_mark_done(
        delivery=_delivery(h.cv153, t.direct),
        by=h.direct_officer,
        result_note="Đã triển khai",
        now=at(dt.date(2019, 7, 15)),
    )  # after the deadline: implemented late
    # A grassroots union reports to its district federation: its PDF header names Gia Lâm.
    h.gl1_report = _issue(
        unit=t.gl1,
        by=t.gl1_officer,
        day=dt.date(2019, 5, 21),
        doc_type=DocumentType.BAO_CAO,
        subject="Kết quả tuyên truyền về cải cách thủ tục hành chính",
        addressee_mode=AddresseeMode.UNITS,
        addressee_units=[t.gialam],
        tasks=[],
    )
    # 2021: Gia Lâm's guidance 83/HD-LĐLĐ to every grassroots union under it.
    h.hd83 = _issue(
        unit=t.gialam,
        by=t.gialam_officer,
        day=dt.date(2021, 6, 11),
        doc_type=DocumentType.HUONG_DAN,
        subject="Hướng dẫn tuyên truyền, thực hiện dịch vụ công trực tuyến",
        place="Gia Lâm",
        addressee_mode=AddresseeMode.CHILDREN_OF_KIND,
        addressee_kinds=[UnitKind.GRASSROOTS_UNION],
        tasks=[("Báo cáo kết quả", dt.date(2021, 9, 30))],
    )
    delivery_acknowledge(delivery=_delivery(h.hd83, t.gl2), by=t.gl2_officer, now=at(dt.date(2021, 6, 14)))
    delivery_mark_done(
        delivery=_delivery(h.hd83, h.gl3), by=h.gl3_officer, result_note="Đã tuyên truyền", now=at(dt.date(2021, 9, 1))
    )
    return h


def reorganise(h):
    """1 July 2025: a commune union takes Trâu Quỳ; the district federations are dissolved, the rest of their
    grassroots unions go to the city federation."""
    t = h.tree
    h.commune = unit_create(
        parent=t.federation,
        code="HN-LDLD-XA-GIALAM",
        name="Công đoàn xã Gia Lâm",
        kind=UnitKind.COMMUNE_UNION,
        active_from=REORGANISED_ON,
        abbreviation="CĐ",
        by=t.admin,
    )
    units_move(units=[t.gl1], new_parent=h.commune, effective_on=REORGANISED_ON, by=t.admin)
    for district in (t.gialam, t.donganh):
        unit_dissolve(unit=district, effective_on=REORGANISED_ON, by=t.admin, children_to=t.federation)
    for unit in (t.gl1, t.gl2, h.gl3, t.da1, t.gialam):
        unit.refresh_from_db()


def _main(response) -> str:
    assert response.status_code == 200
    html = response.content.decode()
    return DISSOLVED_BANNER.sub("", CSRF.sub("", html[html.index('<main id="main"') : html.index("</main>")]))


def _xlsx_rows(response) -> list[tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
    return list(sheet.iter_rows(values_only=True))


def _pdf_text(response) -> str:
    with pdfplumber.open(io.BytesIO(response.content)) as pdf:
        return "\n".join(page.extract_text() for page in pdf.pages)


CASCADE_QUERIES = [
    "",
    "?late=on",
    "?kind=grassroots_union",
    "?within=HN-LDLD-GIALAM",
    "?within=HN-LDLD-GIALAM-0001",
    "?within=HN-LDLD-DONGANH&late=on",
]


def snapshot(h, login, export_file) -> dict:
    """Every figure, row and text shown about the past documents, as the issuer and as each recipient sees it."""
    t = h.tree
    shot = {}
    issuer = login(t.city_officer)
    for name in ("cv153", "hd83"):
        document = getattr(h, name)
        for query in CASCADE_QUERIES:
            response = issuer.get(f"/directives/{document.pk}/cascade/{query}")
            shot[f"{name} cascade {query}"] = (
                response.context["levels"],
                response.context["totals"],
                [
                    (r["d"].unit.code, r["late"], r["supervisor"] and r["supervisor"].code)
                    for r in response.context["rows"]
                ],
                _main(response),
            )
            shot[f"{name} xlsx {query}"] = _xlsx_rows(
                export_file(issuer, f"/directives/{document.pk}/cascade.xlsx{query}")
            )
    for document in (h.cv153, h.gialam_hd, h.donganh_hd, h.gl1_report, h.hd83):
        shot[f"{document.pk} {document.number_symbol} page"] = _main(issuer.get(f"/directives/{document.pk}/"))
        shot[f"{document.pk} {document.number_symbol} pdf"] = _pdf_text(issuer.get(f"/directives/{document.pk}/pdf/"))
    # A grassroots officer still in her union: her documents and her part of the cascade.
    for user, unit in ((t.gl1_officer, t.gl1), (h.gl3_officer, h.gl3), (t.da1_officer, t.da1)):
        client = login(user)
        for document in (h.cv153, h.gialam_hd, h.donganh_hd, h.hd83):
            response = client.get(f"/directives/{document.pk}/cascade/")
            shot[f"{unit.code} {document.pk} cascade"] = (
                response.status_code,
                response.status_code == 200 and (response.context["levels"], _main(response)),
            )
            shot[f"{unit.code} {document.pk} page"] = client.get(f"/directives/{document.pk}/").status_code
        shot[f"{unit.code} index"] = _main(client.get("/directives/"))
        shot[f"{unit.code} inbox"] = _main(client.get("/directives/inbox/"))
    for unit in (t.gialam, t.donganh, t.gl1, t.gl2):
        shot[f"{unit.code} received"] = [d.number_symbol for d in received_documents_for(unit)]
        shot[f"{unit.code} received deliveries"] = [
            (d.document.number_symbol, d.outcome, d.lineage) for d in deliveries_received_by(units=[unit])
        ]
    shot["register gialam 2019"] = [
        d.number_symbol for d in Document.objects.filter(issuing_unit=t.gialam, register__year=2019)
    ]
    return shot


def test_reorganisation_changes_nothing_about_past_documents(history, login, export_file):
    before = snapshot(history, login, export_file)
    reorganise(history)
    after = snapshot(history, login, export_file)
    differences = [key for key in before if before[key] != after[key]]
    assert differences == []
    assert len(before) == len(after) == 73
    assert before["HN-LDLD-GIALAM received"] == [
        "01/BC-HN-LDLD-GIALAM-0001",
        "01/LĐLĐ",
    ]  # a dissolved unit's list stays computable


def test_past_cascade_figures_and_supervisors(history, login, export_file):
    """The figures the comparison keeps, spelt out once: per level and kind, and the late units' union above."""
    reorganise(history)
    response = login(history.tree.city_officer).get(f"/directives/{history.cv153.pk}/cascade/")
    levels = [
        (
            row["depth"],
            row["unit_kind"],
            row["delivered"],
            row["read"],
            row["acknowledged"],
            row["implemented"],
            row["late"],
        )
        for row in response.context["levels"]
    ]
    assert levels == [
        (3, "district_federation", 2, 2, 2, 2, 0),
        (3, "grassroots_union", 1, 1, 1, 1, 0),
        (4, "grassroots_union", 4, 4, 3, 2, 2),
    ]
    assert response.context["totals"]["implemented_pct"] == 71.4
    late = [(r["d"].unit.code, r["supervisor"].code) for r in response.context["rows"] if r["late"]]
    assert late == [
        ("HN-LDLD-0001", "HN-LDLD"),
        ("HN-LDLD-DONGANH-0001", "HN-LDLD-DONGANH"),
        ("HN-LDLD-GIALAM-0003", "HN-LDLD-GIALAM"),
    ]
    rows = _xlsx_rows(export_file(login(history.tree.city_officer), f"/directives/{history.cv153.pk}/cascade.xlsx"))
    assert [(row[0], row[3], row[11]) for row in rows[1:]] == [
        ("HN-LDLD-0001", "Liên đoàn Lao động Thành phố Hà Nội", None),  # implemented, after the deadline
        ("HN-LDLD-DONGANH", "Liên đoàn Lao động Thành phố Hà Nội", None),
        ("HN-LDLD-DONGANH-0001", "Liên đoàn Lao động huyện Đông Anh", "Chậm"),
        ("HN-LDLD-GIALAM", "Liên đoàn Lao động Thành phố Hà Nội", None),
        ("HN-LDLD-GIALAM-0001", "Liên đoàn Lao động huyện Gia Lâm", None),
        ("HN-LDLD-GIALAM-0002", "Liên đoàn Lao động huyện Gia Lâm", None),
        ("HN-LDLD-GIALAM-0003", "Liên đoàn Lao động huyện Gia Lâm", "Chậm"),
    ]


def test_past_document_pdf_header_names_the_union_above_then(history, login):
    reorganise(history)
    text = _pdf_text(login(history.tree.gl1_officer).get(f"/directives/{history.gl1_report.pk}/pdf/"))
    # The header's two columns come out line by line: left column first.
    assert [line.split(" CỘNG HÒA")[0].split(" Độc lập")[0] for line in text.splitlines()[:3]] == [
        "LIÊN ĐOÀN LAO ĐỘNG",
        "HUYỆN GIA LÂM",
        "CÔNG ĐOÀN CƠ SỞ UBND",
    ]


def test_new_documents_follow_the_new_tree(history, login):
    reorganise(history)
    t = history.tree
    plan = _issue(
        unit=t.federation,
        by=t.city_officer,
        day=dt.date(2026, 1, 15),
        addressee_mode=AddresseeMode.CHILDREN_OF_KIND,
        addressee_kinds=[UnitKind.COMMUNE_UNION, UnitKind.GRASSROOTS_UNION],
        tasks=[("Báo cáo kết quả", dt.date(2026, 6, 30))],
    )
    assert sorted(plan.deliveries.values_list("unit__code", "lineage")) == [
        ("HN-LDLD-0001", "/HN/HN-LDLD/HN-LDLD-0001/"),
        ("HN-LDLD-DONGANH-0001", "/HN/HN-LDLD/HN-LDLD-DONGANH-0001/"),
        ("HN-LDLD-GIALAM-0002", "/HN/HN-LDLD/HN-LDLD-GIALAM-0002/"),
        ("HN-LDLD-GIALAM-0003", "/HN/HN-LDLD/HN-LDLD-GIALAM-0003/"),
        ("HN-LDLD-XA-GIALAM", "/HN/HN-LDLD/HN-LDLD-XA-GIALAM/"),
    ]
    client = login(t.city_officer)
    response = client.get(f"/directives/{plan.pk}/cascade/?within=HN-LDLD-XA-GIALAM")
    assert [r["d"].unit.code for r in response.context["rows"]] == ["HN-LDLD-XA-GIALAM"]
    commune_plan = _implement(delivery=_delivery(plan, history.commune), by=t.admin, day=dt.date(2026, 1, 20))
    assert list(commune_plan.deliveries.values_list("unit__code", "lineage")) == [
        ("HN-LDLD-GIALAM-0001", "/HN/HN-LDLD/HN-LDLD-XA-GIALAM/HN-LDLD-GIALAM-0001/")
    ]
    response = client.get(f"/directives/{plan.pk}/cascade/?within=HN-LDLD-XA-GIALAM")
    assert [(r["d"].unit.code, r["late"], r["supervisor"].code) for r in response.context["rows"]] == [
        ("HN-LDLD-XA-GIALAM", False, "HN-LDLD"),
        ("HN-LDLD-GIALAM-0001", True, "HN-LDLD-XA-GIALAM"),
    ]
    text = _pdf_text(client.get(f"/directives/{commune_plan.pk}/pdf/"))
    assert [line.split(" CỘNG HÒA")[0].split(" Độc lập")[0] for line in text.splitlines()[:3]] == [
        "LIÊN ĐOÀN LAO ĐỘNG",
        "THÀNH PHỐ HÀ NỘI",
        "CÔNG ĐOÀN XÃ GIA LÂM",
    ]


@pytest.mark.parametrize("grassroots", [1, 8])
def test_past_cascade_after_reorganisation_bounded_queries(
    tree, login, frozen_today, django_assert_max_num_queries, grassroots, export_file
):
    district = make_unit(tree.federation, kind=UnitKind.DISTRICT_FEDERATION)
    units = [make_unit(district, kind=UnitKind.GRASSROOTS_UNION) for _ in range(grassroots)]
    document = _issue(
        unit=tree.federation, by=tree.city_officer, day=dt.date(2019, 3, 27), addressee_mode=AddresseeMode.SUBTREE
    )
    for unit in units[::2]:
        delivery_acknowledge(delivery=_delivery(document, unit), by=tree.city_officer, now=at(dt.date(2019, 4, 1)))
    unit_dissolve(unit=district, effective_on=REORGANISED_ON, by=tree.admin, children_to=tree.federation)
    client = login(tree.city_officer)
    for query in ("", f"?late=on&within={district.code}&kind=grassroots_union", f"?within={units[0].code}"):
        with django_assert_max_num_queries(15):  # 14, and the unit picker naming the chosen unit (a fixed one)
            response = client.get(f"/directives/{document.pk}/cascade/{query}")
        assert response.status_code == 200
    assert response.context["rows"][0]["d"].unit == units[0]
    response = export_file(client, f"/directives/{document.pk}/cascade.xlsx?within={district.code}")
    assert len(_xlsx_rows(response)) == 1 + 1 + grassroots
