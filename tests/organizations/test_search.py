"""Unit, commune and entry search: terms at word starts, best match first (campaign_portal.search).

Runs on SQLite and, with DATABASE_URL, on PostgreSQL: the ranking is SQL both understand."""

import pytest
from django.urls import reverse

from organizations import selectors
from organizations.models import AdministrativeArea, Unit
from tests.factories import make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def hanoi(tree):
    """The shared tree plus districts whose words contain "anh"/"dong" inside a word or apart."""
    tree.thanhxuan = make_unit(
        tree.federation, code="HN-LDLD-THANHXUAN", name="Liên đoàn Lao động quận Thanh Xuân", abbreviation="LĐLĐ"
    )
    tree.thachthat = make_unit(
        tree.federation, code="HN-LDLD-THACHTHAT", name="Liên đoàn Lao động huyện Thạch Thất", abbreviation="LĐLĐ"
    )
    tree.dongda = make_unit(
        tree.federation, code="HN-LDLD-DONGDA", name="Liên đoàn Lao động quận Đống Đa", abbreviation="LĐLĐ"
    )
    # Both words at word starts, but not as the phrase: ranks after "Đông Anh" itself.
    tree.apart = make_unit(
        tree.donganh, code="HN-LDLD-DONGANH-0002", name="Công đoàn cơ sở Công ty Anh Minh xã Đông Hội"
    )
    tree.school = make_unit(tree.donganh, code="HN-LDLD-DONGANH-0003", name="Công đoàn cơ sở Trường THPT Đông Anh")
    # "Đông Anhxyz": the phrase starts a word but does not end one.
    tree.prefix = make_unit(tree.donganh, code="HN-LDLD-DONGANH-0004", name="Công đoàn cơ sở Công ty Đông Anhson")
    return tree


def codes(query, within=None):
    return [u.code for u in selectors.units_search(query=query, within=within or Unit.objects.all())]


def test_dong_anh_finds_dong_anh_first_and_never_thanh_or_thach(hanoi):
    assert codes("dong anh") == [
        # whole phrase, in Vietnamese order of the names ("Công đoàn…" before "Liên đoàn…")
        "HN-LDLD-DONGANH-0003",
        "HN-LDLD-DONGANH",
        # the phrase at a word start ("Đông Anhson")
        "HN-LDLD-DONGANH-0004",
        # both words at word starts, apart
        "HN-LDLD-DONGANH-0002",
    ]
    assert codes("Đông Anh") == codes("dong anh") == codes("DONG-ANH")


def test_a_term_inside_a_word_matches_nothing(hanoi):
    assert codes("anh") == ["HN-LDLD-DONGANH-0002", "HN-LDLD-DONGANH-0003", "HN-LDLD-DONGANH", "HN-LDLD-DONGANH-0004"]
    assert "HN-LDLD-THANHXUAN" not in codes("anh")
    assert codes("hat") == []  # inside "Thạch Thất", "Phát"…


def test_ha_noi_finds_ha_noi(hanoi):
    assert codes("ha noi") == ["HN-LDLD-0001", "HN-LDLD", "HN"]
    assert codes("hà nội") == codes("ha noi")


def test_prefix_finds_gia_lam(hanoi):
    # The phrase first; then units whose code holds a word "gialam…" and a word "l…" ("ldld").
    assert codes("gia l") == ["HN-LDLD-GIALAM", "HN-LDLD-GIALAM-0002", "HN-LDLD-GIALAM-0001"]
    assert codes("gia la") == ["HN-LDLD-GIALAM"]
    assert codes("tha") == ["HN-LDLD-THACHTHAT", "HN-LDLD-THANHXUAN", "HN-LDLD", "HN"]  # "…Thành phố Hà Nội"


def test_a_code_typed_exactly_ranks_first(hanoi):
    # "HN-LDLD-DONGANH" is also the start of its grassroots unions' codes: the unit itself comes first.
    assert codes("HN-LDLD-DONGANH") == [
        "HN-LDLD-DONGANH",
        "HN-LDLD-DONGANH-0002",
        "HN-LDLD-DONGANH-0004",
        "HN-LDLD-DONGANH-0003",
        "HN-LDLD-DONGANH-0001",
    ]
    assert codes("hn-ldld-donganh-0003") == ["HN-LDLD-DONGANH-0003"]
    assert codes("HN")[:2] == ["HN", "HN-LDLD-DONGANH-0002"]  # then every unit, all codes start "HN-"
    assert len(codes("HN")) == Unit.objects.count()


def test_search_stays_inside_what_the_user_may_see(hanoi):
    visible = selectors.units_visible_to(hanoi.gialam_officer)
    assert codes("dong anh", within=visible) == []
    assert codes("truong", within=visible) == ["HN-LDLD-GIALAM-0002"]


def test_wildcards_and_empty_queries_find_nothing(hanoi):
    assert (codes("%"), codes("_"), codes("  "), codes("%%")) == ([], [], [], [])
    # % is a separator, not a wildcard: "d%a" is "d a", words starting d… and a… (Đông Anh, not Đống Đa).
    assert (
        codes("d%a")
        == codes("d a")
        == ["HN-LDLD-DONGANH-0002", "HN-LDLD-DONGANH-0004", "HN-LDLD-DONGANH-0003", "HN-LDLD-DONGANH"]
    )


def test_unit_tree_page_ranks_and_counts_queries(hanoi, login, django_assert_max_num_queries):
    client = login(hanoi.admin)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("organizations:unit_tree"), {"q": "dong anh"})
    assert response.status_code == 200
    html = response.content.decode()
    positions = [html.index(code) for code in ("HN-LDLD-DONGANH-0003", "HN-LDLD-DONGANH-0004", "HN-LDLD-DONGANH-0002")]
    assert positions == sorted(positions)
    assert "Thanh Xuân" not in html and "Thạch Thất" not in html


def test_areas_search_ranks_like_units(communes):
    def names(query):
        return [a.name for a in selectors.areas_search(query=query)]

    assert names("dong da") == ["Phường Đống Đa"]
    assert names("kim") == ["Xã Kim Anh", "Phường Kim Liên"]
    assert names("00229") == [AdministrativeArea.objects.get(code="00229").name]
    assert names("ien") == []


def test_admin_unit_and_area_search_match_word_starts(hanoi, communes, superuser, login):
    client = login(superuser)
    html = client.get(reverse("admin:organizations_unit_changelist"), {"q": "dong anh"}).content.decode()
    assert "Liên đoàn Lao động huyện Đông Anh" in html
    assert "Thanh Xuân" not in html and "Thạch Thất" not in html and "Đống Đa" not in html
    html = client.get(reverse("admin:organizations_administrativearea_changelist"), {"q": "ien"}).content.decode()
    assert "Kim Liên" not in html
    html = client.get(reverse("admin:organizations_administrativearea_changelist"), {"q": "kim lien"}).content.decode()
    assert "Phường Kim Liên" in html and "Xã Kim Anh" not in html
