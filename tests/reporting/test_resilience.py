"""A database connection that drops in the middle of filing leaves the report as it was."""

import pytest
from django.db import connection
from django.urls import reverse

from reporting.enums import ReportStatus
from reporting.models import Report, Value
from tests.test_resilience import DatabaseGoesAway

from .conftest import post_data


def _file_url(period, unit):
    return reverse("reporting:file_report", args=[period.pk, unit.code])


NEW_VALUES = {"meeting_sessions": 9, "media_sessions": 7, "visual_items": 5, "results_text": "Bản sửa mới"}


def _state(report):
    report.refresh_from_db()
    values = sorted(Value.objects.filter(report=report).values_list("indicator__code", "number", "text"))
    return report.status, values


@pytest.mark.django_db(transaction=True)
def test_database_failing_mid_submit_leaves_no_half_written_report(tree, period, login):
    """Saving the typed values and submitting them are two whole steps: a connection that drops
    after any write leaves either the old report or the new draft, never a mixture."""
    client = login(tree.gl1_officer)
    client.raise_request_exception = False
    url = _file_url(period, tree.gl1)
    assert client.post(url, post_data(meeting_sessions=4)).status_code == 302
    report = Report.objects.get(unit=tree.gl1)
    old_status, old_values = _state(report)
    seen = set()
    for allow in range(0, 6):
        # Each failed round leaves the draft (asserted below): the next one starts from a draft too.
        assert _state(report)[0] == ReportStatus.DRAFT
        Value.objects.filter(report=report).delete()
        services_state = client.post(url, post_data(version=report.version, meeting_sessions=4))
        assert services_state.status_code == 302
        old_status, old_values = _state(report)
        with connection.execute_wrapper(DatabaseGoesAway(allow=allow, only="UPDATE")):
            response = client.post(url, post_data(version=report.version, action="submit", **NEW_VALUES))
        status, values = _state(report)
        if response.status_code == 302:  # the failure came after the last write: all done
            assert status == ReportStatus.SUBMITTED
            break
        assert response.status_code == 503, allow
        new_draft = [v for v in values if v[0] in NEW_VALUES]
        assert status == ReportStatus.DRAFT, allow
        assert values == old_values or all(
            (number if text == "" else text) == NEW_VALUES[code] for code, number, text in new_draft
        ), allow
        seen.add("old" if values == old_values else "new draft")
    assert seen == {"old", "new draft"}  # both places a drop can land were exercised
    # Once the database is back, the same form goes through.
    response = client.post(url, post_data(version=report.version, action="submit", **NEW_VALUES))
    assert response.status_code == 302
    status, values = _state(report)
    assert status == ReportStatus.SUBMITTED
    assert dict((c, n) for c, n, _t in values)["meeting_sessions"] == 9
