"""A form version's indicators and rules are read once per process while it is frozen (reporting.selectors.forms):
the filing form, the submission and the report page no longer read them on every request, and a change to a form
still shows, because it makes a new version."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reporting import cycles
from reporting.models import Report
from reporting.selectors import form_parts

from .conftest import post_data


def _reads(captured, table: str) -> int:
    return sum(f'FROM "{table}"' in q["sql"] for q in captured.captured_queries)


def test_filing_and_submitting_read_the_frozen_form_once(tree, period, login):
    client = login(tree.gl1_officer)
    url = reverse("reporting:file_report", args=[period.pk, tree.gl1.code])
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
        assert client.post(url, post_data(action="submit")).status_code == 302
        report = Report.objects.get(period=period, unit=tree.gl1)
        assert client.get(reverse("reporting:report_detail", args=[report.pk])).status_code == 200
    assert report.status == "submitted" and report.values.count() > 0
    # Before: the form read both, the save the indicators, the submission both again, the report page the indicators.
    assert _reads(captured, "reporting_indicator") <= 1
    assert _reads(captured, "reporting_validationrule") <= 1


def test_a_form_being_drafted_is_read_each_time(db):
    version = cycles.form_create(code="thu", name="Mẫu thử")
    section = cycles.section_add(version=version, title="Phần I")
    cycles.indicator_add(version=version, section=section, code="a", label="Chỉ tiêu A")
    assert [i.code for i in form_parts(version).indicators] == ["a"]
    cycles.indicator_add(version=version, section=section, code="b", label="Chỉ tiêu B", order=2)
    assert [i.code for i in form_parts(version).indicators] == ["a", "b"]


def test_a_change_to_a_frozen_form_is_a_new_version_read_afresh(tree, cycle, form_version):
    form_version.refresh_from_db()
    assert form_version.is_frozen
    before = form_parts(form_version).indicators
    changed = cycles.indicator_change(indicator=before[0], note="Đổi tên", label="Tên mới của chỉ tiêu")
    assert changed.version_id != form_version.pk
    assert form_parts(changed.version).indicators[0].label == "Tên mới của chỉ tiêu"
    # The version already in use keeps its parts, read from memory: no query, the old label.
    with CaptureQueriesContext(connection) as captured:
        kept = form_parts(form_version).indicators
    assert captured.captured_queries == [] and kept[0].label == before[0].label != "Tên mới của chỉ tiêu"
