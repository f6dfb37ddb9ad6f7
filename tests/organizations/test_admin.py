from django.urls import reverse

from organizations.models import Unit


def test_admin_lists_units_and_shows_history(tree, client):
    tree.admin.is_superuser = True
    tree.admin.save()
    client.force_login(tree.admin, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("admin:organizations_unit_changelist"), {"q": "gia lam"}).status_code == 200
    unit = Unit.objects.get(pk=tree.gl1.pk)
    unit.name = "Công đoàn cơ sở Trâu Quỳ (đổi tên)"
    unit.save()
    response = client.get(reverse("admin:organizations_unit_history", args=[unit.pk]))
    assert response.status_code == 200


def test_units_cannot_be_deleted_in_admin(tree, client):
    tree.admin.is_superuser = True
    tree.admin.save()
    client.force_login(tree.admin, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(reverse("admin:organizations_unit_delete", args=[tree.gl1.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert Unit.objects.filter(pk=tree.gl1.pk).exists()


def test_non_staff_cannot_open_admin(tree, client):
    client.force_login(tree.gialam_head, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
