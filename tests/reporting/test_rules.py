"""The rules behind the reporting pages: the can_* flags of a report come from permissions that hold the
report's state, and the header link and landing panel are decided by rules, not by navigation."""

import pytest
from django.urls import reverse

from campaign_portal.exceptions import PortalError
from campaign_portal.navigation import navigation_for
from organizations.enums import Role
from reporting import selectors, services
from reporting.enums import ReportStatus
from reporting.navigation import home_panels
from tests.factories import member

from .conftest import file

pytestmark = pytest.mark.django_db

NO_ACTIONS = {
    "can_file": False,
    "can_approve": False,
    "can_accept": False,
    "can_return": False,
    "can_unapprove": False,
    "can_close": False,
}


def _actions(report, user) -> dict:
    selectors.annotate_children_readiness([report])
    return selectors.report_actions(report=report, user=user)


def test_report_actions_follow_the_state_for_owner_reviewer_and_outsider(tree, period):
    report = file(period, tree.gl1, tree.gl1_officer, submit=False)
    assert _actions(report, tree.gl1_officer) == {**NO_ACTIONS, "can_file": True}
    assert _actions(report, tree.gialam_head) == NO_ACTIONS  # a draft is not the reviewer's yet
    assert _actions(report, tree.da1_officer) == NO_ACTIONS

    report = services.report_submit(report=report, by=tree.gl1_officer)
    assert _actions(report, tree.gl1_officer) == NO_ACTIONS
    assert _actions(report, tree.gialam_head) == {**NO_ACTIONS, "can_approve": True, "can_return": True}
    assert _actions(report, tree.donganh_head) == NO_ACTIONS
    assert _actions(report, tree.admin) == NO_ACTIONS  # nothing to unapprove on a submitted report

    report = services.report_approve(report=report, by=tree.gialam_head)
    assert _actions(report, tree.gialam_head) == {**NO_ACTIONS, "can_unapprove": True}
    assert _actions(report, tree.city_head) == {**NO_ACTIONS, "can_unapprove": True}
    assert _actions(report, tree.gl1_officer) == NO_ACTIONS
    assert _actions(report, tree.donganh_head) == NO_ACTIONS


def test_report_close_flag_needs_the_units_head_a_filed_report_and_a_missing_child(tree, period):
    services.report_approve(report=file(period, tree.gl1, tree.gl1_officer), by=tree.gialam_head)
    district = file(period, tree.gialam, tree.gialam_officer, submit=False)
    assert _actions(district, tree.gialam_head)["can_close"] is False  # a draft is not closed
    district = services.report_submit(report=district, by=tree.gialam_officer)
    assert _actions(district, tree.gialam_head)["can_close"] is True  # gl2 has no approved report
    assert _actions(district, tree.gialam_officer)["can_close"] is False
    assert _actions(district, tree.city_head)["can_close"] is False
    services.report_close_with_missing(report=district, by=tree.gialam_head)
    district.refresh_from_db()
    assert _actions(district, tree.gialam_head)["can_close"] is False  # closed once
    with pytest.raises(PortalError) as refused:
        services.report_close_with_missing(report=district, by=tree.gialam_head)
    assert refused.value.message == "Chỉ chốt kỳ được cho báo cáo đã nộp và chưa chốt kỳ."


def test_report_status_tone_is_one_per_state(tree, period):
    report = file(period, tree.gl1, tree.gl1_officer, submit=False)
    assert report.status_tone == "secondary"
    report = services.report_submit(report=report, by=tree.gl1_officer)
    assert report.status_tone == "primary"
    assert services.report_approve(report=report, by=tree.gialam_head).status_tone == "success"
    assert ReportStatus.values == ["draft", "submitted", "returned", "approved", "accepted"]


def test_navigation_asks_the_rules(tree, period):
    communication = member(tree.gialam, Role.COMMUNICATION)
    outsider = tree.outsider
    todo, dashboard = reverse("reporting:todo"), reverse("reporting:dashboard_latest")
    for user in (tree.gl1_officer, communication):
        assert [link.url for link in navigation_for(user) if link.url in (todo, dashboard)] == [todo], user
    for user in (tree.gialam_head, tree.admin):  # heads and admins: the dashboard one click away
        assert [link.url for link in navigation_for(user) if link.url in (todo, dashboard)] == [todo, dashboard], user
    assert not {todo, dashboard} & {link.url for link in navigation_for(outsider)}

    assert home_panels(communication) == []  # a member, but neither files nor reviews
    assert home_panels(outsider) == []
    officer_panel = home_panels(tree.gl1_officer)[0]["context"]
    assert (officer_panel["todo_count"], officer_panel["queue_count"]) == (1, 0)
    services.report_submit(report=file(period, tree.gl1, tree.gl1_officer, submit=False), by=tree.gl1_officer)
    head_panel = home_panels(tree.gialam_head)[0]["context"]
    assert head_panel["queue_count"] == 1
