"""A dissolved unit stays readable, read-only, for its former members and its ancestors' heads."""

import datetime as dt

import pytest
from django.urls import reverse

from campaign_portal.exceptions import PortalError
from directives import services as directives_services
from directives.enums import DocumentStatus
from directives.models import Delivery
from organizations import services
from organizations.enums import MembershipEnd, UnitKind
from organizations.models import Membership, User
from organizations.selectors import unit_dissolution
from reporting import services as reporting_services
from reporting.enums import ReportStatus
from tests.directives.conftest import draft_data
from tests.factories import make_unit
from tests.reporting.conftest import VALID

from .conftest import file_in_2019, vn_dt

JULY_2025 = dt.date(2025, 7, 1)
BANNER = "Đã giải thể từ 01/07/2025; các công đoàn cơ sở trực thuộc chuyển về Liên đoàn Lao động Thành phố Hà Nội."


@pytest.fixture
def history(tree, q1_2019):
    """Gia Lâm's 2019: its own Q1 report (approved by the city), a plan it issued to its grassroots
    unions and a plan of the city that reached it; then its dissolution on 1 July 2025."""

    class History:
        pass

    h = History()
    h.period = q1_2019
    for unit, officer in ((tree.gl1, tree.gl1_officer), (tree.gl2, tree.gl2_officer)):
        file_in_2019(period=q1_2019, unit=unit, officer=officer, approver=tree.gialam_head, admin=tree.admin)
    h.report = file_in_2019(
        period=q1_2019, unit=tree.gialam, officer=tree.gialam_officer, approver=tree.city_head, admin=tree.admin
    )
    issued = directives_services.document_create(issuing_unit=tree.gialam, by=tree.gialam_officer, data=draft_data())
    h.issued = directives_services.document_issue(document=issued, by=tree.gialam_officer, now=vn_dt(2019, 1, 29))
    received = directives_services.document_create(
        issuing_unit=tree.federation, by=tree.city_officer, data=draft_data()
    )
    h.received = directives_services.document_issue(document=received, by=tree.city_officer, now=vn_dt(2019, 1, 29))
    h.delivery = Delivery.objects.get(document=h.received, unit=tree.gialam)
    h.draft = directives_services.document_create(
        issuing_unit=tree.gialam, by=tree.gialam_officer, data=draft_data(issued_on=dt.date(2025, 6, 30))
    )
    services.unit_dissolve(
        unit=tree.gialam,
        effective_on=JULY_2025,
        children_to=tree.federation,
        by=tree.admin,
        note="Sắp xếp tổ chức công đoàn từ 01/07/2025",
    )
    tree.gialam.refresh_from_db()
    return h


def test_dissolution_ends_memberships_with_date_and_reason(tree, history):
    memberships = Membership.objects.filter(unit=tree.gialam).order_by("id")
    assert [(m.is_active, m.ended_on, m.end_reason) for m in memberships] == [
        (False, JULY_2025, MembershipEnd.UNIT_DISSOLVED),
        (False, JULY_2025, MembershipEnd.UNIT_DISSOLVED),
    ]
    assert memberships[0].history.first().end_reason == MembershipEnd.UNIT_DISSOLVED


def test_banner_names_where_the_children_went(tree, history):
    dissolution = unit_dissolution(tree.gialam)
    assert dissolution.message == BANNER
    assert [(unit.code, n) for unit, n in dissolution.destinations] == [("HN-LDLD", 2)]
    assert unit_dissolution(tree.donganh) is None


def test_banner_counts_several_destinations(tree):
    commune = make_unit(
        tree.federation, code="HN-LDLD-XA-TRAUQUY", name="Công đoàn xã Gia Lâm", kind=UnitKind.COMMUNE_UNION
    )
    services.unit_move(unit=tree.gl1, new_parent=commune, effective_on=JULY_2025, by=tree.admin)
    services.unit_dissolve(unit=tree.gialam, effective_on=JULY_2025, children_to=tree.federation, by=tree.admin)
    tree.gialam.refresh_from_db()
    # gl1 went to the commune union on the same day, gl2 with the dissolution.
    dissolution = unit_dissolution(tree.gialam)
    assert dissolution.message == "Đã giải thể từ 01/07/2025; các công đoàn cơ sở trực thuộc chuyển về 2 đơn vị."
    assert sorted(unit.code for unit, _n in dissolution.destinations) == ["HN-LDLD", "HN-LDLD-XA-TRAUQUY"]


@pytest.mark.parametrize("who", ["gialam_officer", "gialam_head", "city_head"])
def test_dissolved_unit_pages_stay_readable(tree, history, login, who, django_assert_max_num_queries):
    client = login(getattr(tree, who))
    with django_assert_max_num_queries(25):
        page = client.get(reverse("organizations:unit_detail", args=[tree.gialam.code]))
    assert page.status_code == 200
    assert BANNER in page.content.decode()
    assert reverse("organizations:unit_edit", args=[tree.gialam.code]) not in page.content.decode()

    report_page = client.get(reverse("reporting:report_detail", args=[history.report.pk]))
    assert report_page.status_code == 200
    assert BANNER in report_page.content.decode()
    file_url = reverse("reporting:file_report", args=[history.period.pk, tree.gialam.code])
    assert f'href="{file_url}"' not in report_page.content.decode()
    assert 'name="action" value="approve"' not in report_page.content.decode()

    document_page = client.get(reverse("directives:document_detail", args=[history.issued.pk]))
    assert document_page.status_code == 200
    assert BANNER in document_page.content.decode()
    assert reverse("directives:document_issue", args=[history.issued.pk]) not in document_page.content.decode()
    assert client.get(reverse("directives:cascade", args=[history.issued.pk])).status_code == 200
    assert client.get(reverse("directives:document_detail", args=[history.received.pk])).status_code == 200


@pytest.mark.parametrize("who", ["gialam_officer", "gialam_head"])
def test_former_members_find_the_past_in_their_lists(tree, history, who):
    from directives.selectors import documents_visible_to
    from reporting.selectors import reports_visible_to

    user = User.objects.get(pk=getattr(tree, who).pk)  # as a request loads her, after the dissolution
    assert list(reports_visible_to(user)) == [history.report]
    assert sorted(d.pk for d in documents_visible_to(user)) == sorted([history.issued.pk, history.received.pk])
    assert user.active_memberships == []


@pytest.mark.parametrize("who", ["outsider", "donganh_head", "gl1_officer"])
def test_dissolved_unit_stays_hidden_from_others(tree, history, login, who):
    client = login(getattr(tree, who))
    assert client.get(reverse("organizations:unit_detail", args=[tree.gialam.code])).status_code == 404
    assert client.get(reverse("reporting:report_detail", args=[history.report.pk])).status_code == 404
    # Gia Lâm's plan reached gl1 in 2019: its officer reads it as an addressee, nothing more.
    expected = 200 if who == "gl1_officer" else 404
    assert client.get(reverse("directives:document_detail", args=[history.issued.pk])).status_code == expected


def test_revoked_membership_opens_nothing(tree, login):
    membership = Membership.objects.get(user=tree.gialam_officer, unit=tree.gialam)
    services.membership_revoke(membership=membership, by=tree.admin)
    services.unit_dissolve(unit=tree.gialam, effective_on=JULY_2025, children_to=tree.federation, by=tree.admin)
    membership.refresh_from_db()
    assert (membership.end_reason, membership.is_active) == (MembershipEnd.REVOKED, False)
    response = login(tree.gialam_officer).get(reverse("organizations:unit_detail", args=[tree.gialam.code]))
    assert response.status_code == 404


def test_former_members_posts_are_refused(tree, history, login):
    client = login(tree.gialam_officer)
    file_url = reverse("reporting:file_report", args=[history.period.pk, tree.gialam.code])
    assert client.post(file_url, {"action": "submit"}).status_code == 404
    draft = directives_services.document_create(issuing_unit=tree.federation, by=tree.city_officer, data=draft_data())
    assert client.post(reverse("directives:document_issue", args=[draft.pk])).status_code == 404
    assert client.post(reverse("directives:delivery_acknowledge", args=[history.delivery.pk])).status_code == 404
    assert client.post(reverse("organizations:unit_edit", args=[tree.gialam.code]), {"name": "X"}).status_code == 404
    head = login(tree.gialam_head)
    head.post(reverse("reporting:report_review", args=[history.report.pk]), {"action": "unapprove", "comment": "x"})
    history.report.refresh_from_db()
    history.delivery.refresh_from_db()
    draft.refresh_from_db()
    assert (history.report.status, history.delivery.acknowledged_at, draft.status) == (
        ReportStatus.APPROVED,
        None,
        DocumentStatus.DRAFT,
    )


def test_filing_or_issuing_for_a_dissolved_unit_is_refused_with_the_banner(tree, history):
    with pytest.raises(PortalError) as filing:
        reporting_services.report_save(
            period=history.period, unit=tree.gialam, values=VALID, expected_version=1, by=tree.admin
        )
    assert filing.value.message == BANNER
    with pytest.raises(PortalError) as drafting:
        directives_services.document_create(issuing_unit=tree.gialam, by=tree.admin, data=draft_data())
    assert drafting.value.message == BANNER
    with pytest.raises(PortalError) as issuing:
        directives_services.document_issue(document=history.draft, by=tree.admin)
    assert issuing.value.message == BANNER
    history.draft.refresh_from_db()
    assert (history.draft.status, history.draft.number) == (DocumentStatus.DRAFT, None)
