"""The Django admin under the portal's name: Vietnamese section and model names for every app (third-party ones
too), the portal's tasks first with their counts, a way back to the portal; and the favicon browsers ask for."""

import re

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

# The index's sections, in order (the portal's work first, the machinery last).
SECTIONS = [
    "Đơn vị và người dùng",
    "Báo cáo định kỳ",
    "Chữ ký số",
    "Văn bản chỉ đạo",
    "Cuộc thi sáng kiến",
    "Cổng công khai",
    "Thông báo và nhắc hạn",
    "Xác thực và ủy quyền",
    "Xác thực hai lớp",
    "Chống dò mật khẩu",
    "Tác vụ chạy định kỳ",
]
# What the admin showed before, in English or Django's defaults: none may appear.
ENGLISH = [
    "Trang quản trị cho Django",
    "Django administration",
    "Quản trị trang",
    "CHÀO MỪNG BẠN",
    "Axes",
    "Periodic Tasks",
    "Clocked",
    "Solar events",
    "Crontabs",
    "Intervals",
    "Access attempts",
    "Access logs",
    "Access failures",
    "TOTP devices",
    "Otp_Totp",
    "Directives",
    "Reporting",
    "Contest",
    "Public",
    "Unit placements",
    "Signatures",
]
SECTION_CAPTION = re.compile(r'<caption>\s*<a href="/admin/[^"]+" class="section"[^>]*>([^<]+)</a>')
MODEL_ROW = re.compile(r'<th scope="row" id="[^"]+">\s*<a href="/admin/[^"]+"[^>]*>([^<]+)</a>')


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_admin_index_is_the_portals_in_vietnamese(admin_client, tree, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        response = admin_client.get(reverse("admin:index"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Trang quản trị | Quản trị Cổng điều hành chiến dịch CCHC</title>" in page
    assert "Quản trị Cổng điều hành chiến dịch CCHC</a>" in page
    assert SECTION_CAPTION.findall(page) == SECTIONS
    assert [english for english in ENGLISH if english in page] == []
    models = MODEL_ROW.findall(page)
    assert (
        "Lịch theo mặt trời (bình minh, hoàng hôn)" in models and "Vị trí đơn vị trong cây (theo thời gian)" in models
    )
    assert f"Xin chào <strong>{tree.admin.full_name}</strong>" in page
    assert f'<a href="{reverse("home")}">Về Cổng điều hành</a>' in page


def test_admin_index_starts_with_the_portals_tasks_and_their_counts(admin_client, tree):
    tasks = admin_client.get(reverse("admin:index")).context["portal_tasks"]
    assert [(str(task["label"]), task["url"], task["count"]) for task in tasks] == [
        (
            "Cây đơn vị (thêm, chuyển, sáp nhập, chia tách, giải thể)",
            reverse("organizations:unit_tree"),
            8,  # the fixture tree's live units
        ),
        ("Người dùng", reverse("admin:organizations_user_changelist"), 10),
        ("Phân công cán bộ vào đơn vị", reverse("admin:organizations_membership_changelist"), 9),
        ("Chứng thư số của đơn vị", reverse("admin:signatures_signingcredential_changelist"), 0),
        ("Đợt và kỳ báo cáo", reverse("reporting:cycle_list"), 0),
    ]


def test_every_app_and_model_of_the_admin_has_a_vietnamese_name(rf, superuser):
    request = rf.get(reverse("admin:index"))
    request.user = superuser
    with translation.override("vi"):
        apps = admin.site.get_app_list(request)
        names = [str(app["name"]) for app in apps] + [str(m["name"]) for app in apps for m in app["models"]]
    vietnamese = re.compile("[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]", re.I)
    assert [name for name in names if not vietnamese.search(name)] == []


def test_admin_index_in_english_has_english_section_names(admin_client):
    admin_client.cookies["django_language"] = "en"
    page = admin_client.get(reverse("admin:index")).content.decode()
    sections = SECTION_CAPTION.findall(page)
    assert sections[:4] == ["Units and users", "Periodic reports", "Digital signature", "Directives"]
    assert "Portal administration: administrative reform campaign" in page


def test_favicon_is_served_at_the_root(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # the ICO signature


def test_every_page_links_its_icon(client):
    page = client.get(reverse("public:index")).content.decode()
    assert '<link rel="icon" href="/favicon.ico" sizes="any">' in page
