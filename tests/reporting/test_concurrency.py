"""Two officers saving the same draft at the same moment: exactly one wins, the other
gets the stale-version message; nothing is silently overwritten."""

import threading

import pytest
from django.db import close_old_connections, connection

from campaign_portal.exceptions import PortalError
from reporting import services
from reporting.models import Report, Value

from .conftest import VALID, file


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_one_wins_one_is_told(tree, period):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locking between connections")
    report = file(period, tree.gl1, tree.gl1_officer, submit=False)
    version = report.version
    barrier = threading.Barrier(2)
    outcomes = []

    def save(user, sessions):
        try:
            barrier.wait()
            services.report_save(
                period=period,
                unit=tree.gl1,
                values={**VALID, "meeting_sessions": sessions},
                expected_version=version,
                by=user,
            )
            outcomes.append(("saved", sessions))
        except PortalError as error:
            outcomes.append(("stale", str(error)))
        finally:
            close_old_connections()
            connection.close()

    threads = [
        threading.Thread(target=save, args=(tree.gl1_officer, 11)),
        threading.Thread(target=save, args=(tree.gialam_officer, 22)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    saved = [o for o in outcomes if o[0] == "saved"]
    stale = [o for o in outcomes if o[0] == "stale"]
    assert (len(saved), len(stale)) == (1, 1)
    assert "vừa được người khác lưu" in stale[0][1]
    report = Report.objects.get(pk=report.pk)
    assert report.version == version + 1
    assert Value.objects.get(report=report, indicator__code="meeting_sessions").number == saved[0][1]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_first_saves_create_one_report(tree, period):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    barrier = threading.Barrier(3)
    outcomes = []

    def save(user):
        try:
            barrier.wait()
            services.report_save(period=period, unit=tree.gl1, values=VALID, expected_version=0, by=user)
            outcomes.append("saved")
        except PortalError:
            outcomes.append("stale")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(u,)) for u in (tree.gl1_officer, tree.gialam_officer, tree.gialam_head)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["saved", "stale", "stale"]
    assert Report.objects.filter(period=period, unit=tree.gl1).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("existing", [False, True], ids=["first-save", "draft"])
def test_concurrent_posts_of_one_submission_key_save_once(tree, period, existing):
    """The browser's queue and a retry sending the same submission at the same moment: one save, both answered."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locking between connections")
    import uuid

    from reporting.models import ReportSubmission

    version = file(period, tree.gl1, tree.gl1_officer, submit=False).version if existing else 0
    key = uuid.uuid4()
    barrier = threading.Barrier(3)
    outcomes = []

    def save():
        try:
            barrier.wait()
            report = services.report_save(
                period=period,
                unit=tree.gl1,
                values={**VALID, "meeting_sessions": 7},
                expected_version=version,
                by=tree.gl1_officer,
                submission_key=key,
            )
            outcomes.append(report.pk)
        except PortalError as error:
            outcomes.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=save) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    report = Report.objects.get(unit=tree.gl1)
    assert outcomes == [report.pk] * 3
    assert report.version == (version + 1 if existing else 1)
    assert list(ReportSubmission.objects.values_list("key", "report_id")) == [(key, report.pk)]
    assert Value.objects.get(report=report, indicator__code="meeting_sessions").number == 7
