"""Spreadsheet formula injection (OWASP CSV injection) on every XLSX the portal produces.

Objects are created through the real services (and the admin's own add form) with user text that
starts with each of = + - @ tab and carriage return; every export URL of the resolver is then
downloaded as its rightful user and read back with openpyxl. No cell may be a formula, no text
cell may start with a formula character, and each stored value must appear as text (after the
single quote OWASP recommends). A new XLSX URL without a case here fails the test."""

import datetime as dt
import io
import re

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from campaign_portal.exceptions import PortalError
from contest import judging
from contest import services as contest_services
from contest.enums import Eligibility, EntrantKind
from contest.models import Entrant
from directives import deliveries
from directives import services as directive_services
from directives.enums import AddresseeMode
from directives.models import Delivery, Document
from organizations.enums import AreaKind, Role, UnitKind
from organizations.models import AdministrativeArea, Unit
from organizations.services import membership_grant, unit_create
from reporting import services as reporting_services
from reporting.models import Value
from tests.contest.conftest import ENTRY_TEXT, contest_env  # noqa: F401 — the contest fixture
from tests.directives.conftest import draft_data
from tests.factories import UserFactory
from tests.reporting.conftest import VALID, form_version, open_cycle  # noqa: F401 — the form fixture

POISON = ("=1+1", "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1")
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _export_url_names(resolver=None, namespace="") -> set[str]:
    """Every URL name of the project that serves a spreadsheet (…xlsx, …export)."""
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _export_url_names(pattern, inner)
        elif pattern.name and pattern.name.endswith(("xlsx", "export")):
            names.add(namespace + pattern.name)
    return names


def _accepted(store, *candidates):
    """Stores the first candidate value a service accepts (another part of the portal may refuse,
    say, a leading tab in a one-line field): returns what store() returned, or None."""
    for value in candidates:
        try:
            return store(value)
        except (PortalError, ValidationError):
            continue
    return None


class Poisoned:
    """What was stored, per export: the exact strings read back from the database."""

    def __init__(self):
        self.by_export: dict[str, list[str]] = {}

    def add(self, exports: tuple[str, ...], value: str) -> None:
        for name in exports:
            self.by_export.setdefault(name, []).append(value)

    @property
    def count(self) -> int:
        return len({v for values in self.by_export.values() for v in values})


TREE_EXPORTS = ("organizations:tree_export",)
CASCADE = ("directives:cascade_xlsx",)
REGISTER = ("directives:register_xlsx",)
INCOMING = ("directives:incoming_register_xlsx",)
REPORTING = ("reporting:export_xlsx",)
CONTEST = ("contest:export",)
AREAS = ("admin:organizations_administrativearea_export",)
# Excel in: a unit's report template (its draft's comments) and a head's workbook for her child units.
REPORT_TEMPLATE = ("reporting:template_xlsx",)
ON_BEHALF = ("reporting:on_behalf_xlsx",)


def _units(tree, poisoned: Poisoned) -> list[tuple[Unit, Unit, object]]:
    """For each poison: a district federation under the city federation and a grassroots union
    under it (so that the cascade's "parent" column is poisoned too), each with an officer."""
    today = timezone.localdate()
    made = []
    for i, p in enumerate(POISON):
        units = []
        for kind, parent, label in (
            (UnitKind.DISTRICT_FEDERATION, tree.federation, "LĐLĐ quận"),
            (UnitKind.GRASSROOTS_UNION, None, "Công đoàn cơ sở"),
        ):
            parent = parent or units[0]

            def create(code, p=p, kind=kind, parent=parent, label=label, i=i):
                return unit_create(
                    parent=parent,
                    code=code,
                    name=f"{p}{label} {i}",
                    kind=kind,
                    by=tree.admin,
                    active_from=today,
                    abbreviation=p,
                    place_name=f"{p}Hà Nội",
                    phone=f"{p}84 24 {i}",
                    email=f"{p}cd{i}@example.vn",
                )

            prefix = "X" if kind == UnitKind.DISTRICT_FEDERATION else "Y"
            # A poisoned code if codes may hold these characters, else one that starts with "-".
            unit = _accepted(create, f"{p}{prefix}{i}", f"-{prefix}{i}", f"{prefix}X{i}")
            unit.refresh_from_db()
            units.append(unit)
            exports = (*TREE_EXPORTS, *CASCADE, *REPORTING)
            for value in (unit.code, unit.name):
                poisoned.add(exports, value)
                if kind == UnitKind.DISTRICT_FEDERATION:  # a sheet each in the city head's workbook
                    poisoned.add(ON_BEHALF, value)
            for value in (unit.abbreviation, unit.place_name, unit.phone, unit.email):
                poisoned.add(TREE_EXPORTS, value)
        district, grassroots = units
        officer = UserFactory(email=f"poison{i}@example.vn")
        membership_grant(user=officer, unit=grassroots, role=Role.OFFICER, by=tree.admin)
        membership_grant(user=officer, unit=district, role=Role.OFFICER, by=tree.admin)
        made.append((district, grassroots, officer))
    return made


def _documents(tree, units, poisoned: Poisoned) -> Document:
    """Six issued documents of the city federation with poisoned subject and signer, the last
    one cascading to the poisoned units, which answer with poisoned notes and reasons."""
    today = timezone.localdate()
    document = None
    for p in POISON:

        def create(subject, p=p):
            data = draft_data(
                issued_on=today,
                subject=subject,
                signer_position=p,
                signer_name=f"{p}Nguyễn Văn A",
                addressee_mode=AddresseeMode.SUBTREE,
                tasks=[],
            )
            return directive_services.document_create(issuing_unit=tree.federation, by=tree.city_officer, data=data)

        document = _accepted(create, f"{p}Về việc tuyên truyền cải cách hành chính")
        document = directive_services.document_issue(document=document, by=tree.city_head, now=timezone.now())
        poisoned.add(REGISTER, document.subject)
        poisoned.add(INCOMING, document.subject)  # each one arrives in every poisoned unit's incoming register
        poisoned.add(REGISTER, f"{document.signer_authority} {document.signer_position} {document.signer_name}".strip())
    for i, (district, grassroots, officer) in enumerate(units):
        p = POISON[i]
        done = Delivery.objects.get(document=document, unit=grassroots)
        done = _accepted(
            lambda note, d=done, by=officer: deliveries.delivery_mark_done(delivery=d, by=by, result_note=note),
            f"{p}Đã phổ biến tới toàn thể đoàn viên",
        )
        skipped = Delivery.objects.get(document=document, unit=district)
        skipped = _accepted(
            lambda reason, d=skipped, by=officer: deliveries.delivery_mark_not_applicable(
                delivery=d, by=by, reason=reason
            ),
            f"{p}Đơn vị không có đối tượng áp dụng",
        )
        for delivery in (done, skipped):
            if delivery is not None:
                delivery.refresh_from_db()
                poisoned.add(CASCADE, delivery.result_note or delivery.reason)
    return document


def _reports(tree, form_version, units, poisoned: Poisoned):  # noqa: F811 — form_version is the fixture's value
    cycle = open_cycle(form_version, tree)
    period = cycle.periods.get()
    for i, (_district, grassroots, officer) in enumerate(units):
        p = POISON[i]
        texts = {"results_text": f"{p}Kết quả nổi bật", "difficulties": f"{p}Khó khăn", "proposals": f"{p}Đề xuất"}

        def save(values, grassroots=grassroots, officer=officer):
            return reporting_services.report_save(
                period=period, unit=grassroots, values=values, expected_version=0, by=officer
            )

        report = _accepted(save, {**VALID, **texts})
        if report is None:
            continue
        reporting_services.report_submit(report=report, by=officer)
        for value in Value.objects.filter(report=report, indicator__code__in=texts).values_list("text", flat=True):
            poisoned.add(REPORTING, value)
    return cycle


def _report_template(tree, cycle, poisoned: Poisoned):
    """A draft of the Trâu Quỳ union whose comments are poisoned: its Excel template writes them back."""
    period = cycle.periods.get()
    codes = list(VALID)[: len(POISON)]
    report = reporting_services.report_save(
        period=period,
        unit=tree.gl1,
        values=VALID,
        comments=dict(zip(codes, POISON, strict=True)),
        expected_version=0,
        by=tree.gl1_officer,
    )
    for value in Value.objects.filter(report=report).exclude(comment="").values_list("comment", flat=True):
        poisoned.add(REPORT_TEMPLATE, value)
    return period


def _contest(env, poisoned: Poisoned):
    contest = env.contest
    for i, p in enumerate(POISON):
        user = UserFactory(email=f"thisinh{i}@example.vn", full_name=f"{p}Nguyễn Thị Thí Sinh")

        def join(name, user=user, p=p):
            return contest_services.entrant_join(
                contest=contest,
                user=user,
                kind=EntrantKind.ORGANISATION,
                display_name=name,
                organisation=f"{p}Công ty Sáng Kiến",
                phone="0912345678",
                eligibility=Eligibility.CITIZEN,
            )

        entrant = _accepted(join, f"{p}Nhóm Sáng Kiến")
        entry = contest_services.entry_create_draft(entrant=entrant)

        def save(title, entry=entry, user=user):
            return contest_services.entry_save(entry=entry, data={**ENTRY_TEXT, "title": title}, by=user)

        entry = _accepted(save, f"{p}Một lần đến, trọn thủ tục khai sinh")
        entry = contest_services.entry_submit(entry=entry, by=user, send_receipt=False)
        judging.assignment_create(round_=env.prelim, entry=entry, judge=env.judges[0], by=env.organiser)
        entrant = Entrant.objects.get(pk=entrant.pk)
        entry.refresh_from_db()
        for value in (entry.title, entrant.display_name, entrant.organisation):
            poisoned.add(CONTEST, value)
    return contest


def _areas(client, poisoned: Poisoned):
    """Communes and wards as the admin's own add form stores them."""
    for i, p in enumerate(POISON):
        response = client.post(
            reverse("admin:organizations_administrativearea_add"),
            {
                "code": f"9900{i}",
                "name": f"{p}Phường Thử {i}",
                "kind": AreaKind.WARD,
                "province_code": "01",
                "valid_from": "2025-07-01",
                "valid_to": "",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        poisoned.add(AREAS, AdministrativeArea.objects.get(code=f"9900{i}").name)


def _escaped(value: str) -> str:
    return "'" + value if value.startswith(TRIGGERS) else value


def _read(content: bytes) -> list[str]:
    """Every text cell of every sheet; fails on a formula or on text a spreadsheet would evaluate."""
    texts = []
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert cell.data_type == "s", (sheet.title, cell.coordinate, cell.value)
                    # Only a negative figure written as text ("-9.999.999,5") may start with "-".
                    assert not cell.value.startswith(TRIGGERS) or re.fullmatch(r"-\d[\d.,]*", cell.value), (
                        sheet.title,
                        cell.coordinate,
                        cell.value,
                    )
                    texts.append(cell.value)
    return texts


def _found(value: str, texts: list[str]) -> bool:
    """The value as a whole cell (escaped), or indented under its parent (the reporting tree)."""
    return any(t == _escaped(value) or (t.startswith(" ") and t.lstrip(" ") == value) for t in texts)


@pytest.mark.django_db
def test_xlsx_exports_never_carry_a_formula(tree, client, form_version, contest_env, export_file):  # noqa: F811
    poisoned = Poisoned()
    units = _units(tree, poisoned)
    document = _documents(tree, units, poisoned)
    cycle = _reports(tree, form_version, units, poisoned)
    period = _report_template(tree, cycle, poisoned)
    contest = _contest(contest_env, poisoned)
    root = UserFactory(email="root@example.vn", is_superuser=True, is_staff=True)
    client.force_login(root, backend="django.contrib.auth.backends.ModelBackend")
    _areas(client, poisoned)

    # Each export URL, its rightful user and its arguments.
    year = timezone.localdate().year
    cases = {
        "organizations:tree_export": (tree.admin, reverse("organizations:tree_export")),
        "directives:register_xlsx": (
            tree.city_officer,
            reverse("directives:register_xlsx") + f"?unit={tree.federation.pk}&year={year}",
        ),
        "directives:incoming_register_xlsx": (
            units[0][2],
            reverse("directives:incoming_register_xlsx") + f"?unit={units[0][1].pk}&year={year}",
        ),
        "directives:cascade_xlsx": (tree.city_officer, reverse("directives:cascade_xlsx", args=[document.pk])),
        "reporting:export_xlsx": (tree.city_head, reverse("reporting:export_xlsx", args=[cycle.pk, "HN-LDLD"])),
        "contest:export": (contest_env.organiser, reverse("contest:export", args=[contest.slug])),
        "reporting:template_xlsx": (
            tree.gl1_officer,
            reverse("reporting:template_xlsx", args=[period.pk, tree.gl1.code]),
        ),
        "reporting:on_behalf_xlsx": (tree.city_head, reverse("reporting:on_behalf_xlsx", args=[period.pk, "HN-LDLD"])),
        "admin:organizations_administrativearea_export": (
            root,
            reverse("admin:organizations_administrativearea_export"),
        ),
    }
    assert set(cases) == _export_url_names(), "an XLSX URL without a case here (or a case without its URL)"
    assert set(poisoned.by_export) == set(cases)
    # The exports that reach 10,000 rows are built by a background job (organizations.exports).
    background = {"organizations:tree_export", "directives:cascade_xlsx", "reporting:export_xlsx"}

    for name, (user, url) in cases.items():
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        response = export_file(client, url) if name in background else client.get(url)
        assert response.status_code == 200, name
        assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        assert response["Content-Disposition"].startswith("attachment; filename"), name
        texts = _read(response.getvalue())
        missing = [v for v in poisoned.by_export[name] if not _found(v, texts)]
        assert missing == [], name
    # Each export really met poisoned text (the services took the values), so the checks above could fail.
    for name, values in poisoned.by_export.items():
        assert sum(v.startswith(TRIGGERS) for v in values) >= len(POISON), name
    print(
        f"\nXLSX injection: {len(cases)} export paths, {poisoned.count} poisoned values stored, "
        + ", ".join(f"{name}: {len(values)}" for name, values in sorted(poisoned.by_export.items()))
    )


def test_xlsx_writer_cell_types():
    """Numbers stay numbers (a negative one too), dates stay dates, text is text."""
    from campaign_portal.xlsx import Bold, rows_xlsx

    data = rows_xlsx(
        [[-5, 2.5, dt.date(2026, 1, 2), "=A1", Bold("@x"), None, "a\x01b", "-9.999.999,5", "-1+2"]],
        header=["h"],
        title="a/b:c",
    )
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    assert sheet.title == "a-bc"
    assert sheet["A1"].font.bold is True
    cells = sheet[2]
    assert [(c.value, c.data_type) for c in cells] == [
        (-5, "n"),
        (2.5, "n"),
        (dt.datetime(2026, 1, 2), "d"),
        ("'=A1", "s"),
        ("'@x", "s"),
        (None, "n"),
        ("ab", "s"),
        ("-9.999.999,5", "s"),
        ("'-1+2", "s"),
    ]
    assert cells[4].font.bold is True


def test_xlsx_tree_export_reimports_unchanged_with_leading_formula_characters(tree):
    """The tree export is also the import template: a phone "+84…" or a name "=…" escaped on the way
    out reads back as typed, so the round trip changes nothing."""
    from organizations import tree_io

    unit = unit_create(
        parent=tree.gialam,
        code="HN-LDLD-GIALAM-0099",
        name="=Công đoàn cơ sở thử",
        kind=UnitKind.GRASSROOTS_UNION,
        by=tree.admin,
        phone="+84 24 3825 1234",
        abbreviation="-CĐ",
    )
    unit.refresh_from_db()
    result = tree_io.tree_import_xlsx(data=tree_io.tree_export_xlsx(), by=tree.admin)
    assert (result.errors, result.created, result.updated, result.moved) == ([], 0, 0, 0)
    assert Unit.objects.filter(pk=unit.pk).values_list("name", "phone", "abbreviation").get() == (
        unit.name,
        "+84 24 3825 1234",
        "-CĐ",
    )
