import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import translation

from organizations.enums import Role, UnitKind
from reporting.selectors import form_parts_forget

from .factories import UserFactory, make_unit, member


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    form_parts_forget()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _vietnamese_by_default():
    """LocaleMiddleware leaves the last request's language active in the thread: a test
    that switched to English must not change the language of the next test's messages."""
    translation.activate("vi")
    yield
    translation.activate("vi")


@pytest.fixture
def tree(db):
    """A small tree: city committee → city federation → two districts (with 2 and 1
    grassroots unions) and one grassroots union directly under the city federation;
    each with an officer and a head. Returns a namespace of units and users."""

    class Tree:
        pass

    t = Tree()
    t.city = make_unit(None, code="HN", name="Ủy ban nhân dân Thành phố Hà Nội", abbreviation="UBND")
    t.federation = make_unit(t.city, code="HN-LDLD", name="Liên đoàn Lao động Thành phố Hà Nội", abbreviation="LĐLĐ")
    t.gialam = make_unit(
        t.federation,
        code="HN-LDLD-GIALAM",
        name="Liên đoàn Lao động huyện Gia Lâm",
        abbreviation="LĐLĐ",
        place_name="Gia Lâm",
    )
    t.donganh = make_unit(
        t.federation,
        code="HN-LDLD-DONGANH",
        name="Liên đoàn Lao động huyện Đông Anh",
        abbreviation="LĐLĐ",
        place_name="Đông Anh",
    )
    t.gl1 = make_unit(
        t.gialam, code="HN-LDLD-GIALAM-0001", name="Công đoàn cơ sở UBND thị trấn Trâu Quỳ", member_count=48
    )
    t.gl2 = make_unit(
        t.gialam, code="HN-LDLD-GIALAM-0002", name="Công đoàn cơ sở Trường THCS Dương Xá", member_count=62
    )
    t.da1 = make_unit(t.donganh, code="HN-LDLD-DONGANH-0001", name="Công đoàn cơ sở UBND xã Uy Nỗ", member_count=39)
    t.direct = make_unit(
        t.federation,
        code="HN-LDLD-0001",
        name="Công đoàn cơ sở Tổng công ty Vận tải Hà Nội",
        kind=UnitKind.GRASSROOTS_UNION,
        member_count=2400,
    )
    t.admin = member(t.federation, Role.PORTAL_ADMIN, UserFactory(email="admin@example.vn", is_staff=True))
    t.city_head = member(t.federation, Role.HEAD, UserFactory(email="city.head@example.vn"))
    t.city_officer = member(t.federation, Role.OFFICER, UserFactory(email="city.officer@example.vn"))
    t.gialam_head = member(t.gialam, Role.HEAD, UserFactory(email="gialam.head@example.vn"))
    t.gialam_officer = member(t.gialam, Role.OFFICER, UserFactory(email="gialam.officer@example.vn"))
    t.donganh_head = member(t.donganh, Role.HEAD, UserFactory(email="donganh.head@example.vn"))
    t.gl1_officer = member(t.gl1, Role.OFFICER, UserFactory(email="gl1.officer@example.vn"))
    t.gl2_officer = member(t.gl2, Role.OFFICER, UserFactory(email="gl2.officer@example.vn"))
    t.da1_officer = member(t.da1, Role.OFFICER, UserFactory(email="da1.officer@example.vn"))
    t.outsider = UserFactory(email="outsider@example.vn")
    return t


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on the loopback, refusing until `.refusing = False`, with Django's
    SMTP backend pointed at it (tests/notifications/smtp_sink.py)."""
    from .notifications.smtp_sink import start_switchable_server

    controller, handler = start_switchable_server()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    yield handler
    controller.stop()


@pytest.fixture
def superuser(tree):
    tree.admin.is_superuser = True
    tree.admin.save()
    return tree.admin


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _login


JULY = dt.date(2025, 7, 1)  # the communes and wards of Nghị quyết 1656/NQ-UBTVQH15 exist from this day
KIM_LIEN, DONG_DA, GIA_LAM, BAT_TRANG = "00229", "00235", "00565", "00577"


@pytest.fixture
def communes(tree):
    """The tree plus two commune unions under the city federation from July 2025, each covering two
    communes/wards, with grassroots unions under them covering one each (names are illustrative)."""
    from organizations.services import unit_coverage_set

    t = tree
    t.dongda_union = make_unit(
        t.federation,
        code="HN-LDLD-CDP-DONGDA",
        kind=UnitKind.COMMUNE_UNION,
        name="Công đoàn phường Đống Đa",
        active_from=JULY,
    )
    t.gialam_union = make_unit(
        t.federation,
        code="HN-LDLD-CDX-GIALAM",
        kind=UnitKind.COMMUNE_UNION,
        name="Công đoàn xã Gia Lâm",
        active_from=JULY,
    )
    t.kl1 = make_unit(
        t.dongda_union, code="HN-LDLD-CDP-DONGDA-0001", name="Công đoàn cơ sở Trường THCS Kim Liên", active_from=JULY
    )
    t.kl2 = make_unit(
        t.dongda_union,
        code="HN-LDLD-CDP-DONGDA-0002",
        name="Công đoàn cơ sở Trạm Y tế phường Kim Liên",
        active_from=JULY,
    )
    t.dd1 = make_unit(
        t.dongda_union, code="HN-LDLD-CDP-DONGDA-0003", name="Công đoàn cơ sở UBND phường Đống Đa", active_from=JULY
    )
    t.bt1 = make_unit(
        t.gialam_union,
        code="HN-LDLD-CDX-GIALAM-0001",
        name="Công đoàn cơ sở Trường Tiểu học Bát Tràng",
        active_from=JULY,
    )
    for unit, codes in (
        (t.dongda_union, [KIM_LIEN, DONG_DA]),
        (t.gialam_union, [GIA_LAM, BAT_TRANG]),
        (t.kl1, [KIM_LIEN]),
        (t.kl2, [KIM_LIEN]),
        (t.dd1, [DONG_DA]),
        (t.bt1, [BAT_TRANG]),
    ):
        unit_coverage_set(unit=unit, area_codes=codes, valid_from=JULY)
    t.kl1_officer = member(t.kl1, Role.OFFICER, UserFactory(email="kl1.officer@example.vn"))
    return t


@pytest.fixture
def providers(settings):
    """The loopback ZNS / OAuth / SMS server, with the portal's settings pointed at it (both channels on)."""
    from notifications.channels.loopback import LoopbackProviders

    server = LoopbackProviders().start()
    for name, value in server.settings().items():
        setattr(settings, name, value)
    yield server
    server.stop()


@pytest.fixture
def export_file(django_capture_on_commit_callbacks):
    """An export as its user gets it (organizations.exports): the POST that starts the job, the real Celery task
    (eager in tests) run on commit, the job's page, then the download. Returns the download response."""
    from django.urls import resolve, reverse

    def _export(client, url: str):
        with django_capture_on_commit_callbacks(execute=True):
            started = client.post(url)
        assert started.status_code == 302, started.status_code
        pk = resolve(started["Location"]).kwargs["pk"]
        assert client.get(started["Location"]).status_code == 200
        return client.get(reverse("organizations:export_download", args=[pk]))

    return _export
