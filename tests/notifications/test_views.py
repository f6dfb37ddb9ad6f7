import pytest
from django.urls import reverse

from campaign_portal.registry import NavLink
from notifications import services
from notifications.enums import NotificationKind
from notifications.models import Notification, Preference
from notifications.navigation import nav_links

from .conftest import file_report, vn

pytestmark = pytest.mark.django_db


def _notify(user, unit, window="w1", **payload):
    services.notify(
        recipient_ids=[user.pk],
        kind=NotificationKind.REPORT_RETURNED,
        subject=unit,
        window=window,
        payload={"title": "Quý III/2019", "unit": unit.name, "url": "/reports/", **payload},
    )
    return Notification.objects.get(recipient=user, window=window)


def test_list_shows_own_notifications_with_unread_count(tree, login):
    for i in range(5):
        _notify(tree.gl1_officer, tree.gl1, window=f"w{i}")
    _notify(tree.gl2_officer, tree.gl2)
    client = login(tree.gl1_officer)
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 200
    assert len(response.context["items"]) == 5
    assert response.context["unread"] == 5
    assert "Công đoàn cơ sở Trường THCS Dương Xá" not in response.content.decode()


def test_list_query_count_bounded(tree, login, django_assert_max_num_queries):
    for i in range(40):
        _notify(tree.gl1_officer, tree.gl1, window=f"w{i}")
    client = login(tree.gl1_officer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("notifications:list"))
    assert len(response.context["items"]) == 30


def test_list_anonymous_redirects_to_login(client):
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_mark_read_by_recipient(tree, login):
    notification = _notify(tree.gl1_officer, tree.gl1)
    response = login(tree.gl1_officer).post(reverse("notifications:read", args=[notification.pk]))
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_mark_read_open_redirects_to_link(tree, login):
    notification = _notify(tree.gl1_officer, tree.gl1)
    response = login(tree.gl1_officer).post(reverse("notifications:read", args=[notification.pk]), {"open": "1"})
    assert response.url == "/reports/"


def test_mark_read_open_refuses_external_link(tree, login):
    notification = _notify(tree.gl1_officer, tree.gl1, url="https://evil.example/")
    response = login(tree.gl1_officer).post(reverse("notifications:read", args=[notification.pk]), {"open": "1"})
    assert response.url == reverse("notifications:list")


@pytest.mark.parametrize("who", ["gl2_officer", "outsider", "gialam_head"])
def test_mark_read_someone_elses_answers_404(tree, login, who):
    notification = _notify(tree.gl1_officer, tree.gl1)
    response = login(getattr(tree, who)).post(reverse("notifications:read", args=[notification.pk]))
    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_read_get_changes_nothing(tree, login):
    notification = _notify(tree.gl1_officer, tree.gl1)
    response = login(tree.gl1_officer).get(reverse("notifications:read", args=[notification.pk]))
    assert response.status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read(tree, login):
    for i in range(3):
        _notify(tree.gl1_officer, tree.gl1, window=f"w{i}")
    other = _notify(tree.gl2_officer, tree.gl2)
    login(tree.gl1_officer).post(reverse("notifications:read_all"))
    assert Notification.objects.filter(recipient=tree.gl1_officer, read_at__isnull=True).count() == 0
    other.refresh_from_db()
    assert other.read_at is None


def test_preferences_saves_choices(tree, login):
    client = login(tree.gl1_officer)
    assert client.get(reverse("notifications:preferences")).status_code == 200
    kept = [k for k in NotificationKind.values if k != NotificationKind.REPORT_DUE_SOON]
    response = client.post(
        reverse("notifications:preferences"), {"email_kinds": kept, "digest_hour": "18", "language": "en"}
    )
    assert response.status_code == 302
    preference = Preference.objects.get(user=tree.gl1_officer)
    assert (preference.email_disabled_kinds, preference.digest_hour, preference.language) == (
        [NotificationKind.REPORT_DUE_SOON],
        18,
        "en",
    )


def test_preferences_invalid_hour_keeps_form(tree, login):
    response = login(tree.gl1_officer).post(
        reverse("notifications:preferences"), {"email_kinds": [], "digest_hour": "25", "language": ""}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["digest_hour"]
    assert not Preference.objects.filter(user=tree.gl1_officer, digest_hour=25).exists()


def test_nav_links_unread_badge_one_query(tree, django_assert_num_queries):
    _notify(tree.gl1_officer, tree.gl1, window="a")
    _notify(tree.gl1_officer, tree.gl1, window="b")
    with django_assert_num_queries(1):
        links = nav_links(tree.gl1_officer)
    assert links == [NavLink("/notifications/", "Thông báo (2)", "notifications.see_notifications", badge=2)]


def test_nav_links_anonymous_empty():
    from django.contrib.auth.models import AnonymousUser

    assert nav_links(AnonymousUser()) == []


def test_withdrawn_not_listed(tree, period, login):
    # The due-day reminder is withdrawn by the sweep once the report is filed before it went out.
    services.reminders_sweep(now=vn(2019, 9, 20, 0, 5))
    file_report(period, tree.gl1, at=vn(2019, 9, 20, 6, 0))
    assert services.reminders_sweep(now=vn(2019, 9, 20, 6, 1)).withdrawn == 1
    response = login(tree.gl1_officer).get(reverse("notifications:list"))
    assert response.context["items"] == []


def test_home_panel_lists_unread(tree, login):
    _notify(tree.gl1_officer, tree.gl1, reason="Thiếu số liệu.")
    response = login(tree.gl1_officer).get(reverse("home"))
    assert response.status_code == 200
    assert "Thông báo chưa đọc" in response.content.decode()
    assert "Thiếu số liệu." in response.content.decode()
