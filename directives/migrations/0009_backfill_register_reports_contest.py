"""Backfill the outgoing registers with the papers numbered or filed before RegisterEntry existed, so that a
unit's "Sổ văn bản đi" is complete: the reports it sent up (BC, reporting.services._report_number) and the
contest's receipts (GBN), award decisions (QĐ) and round results (BB) (contest.numbering).

Each paper gets the line its service would have written on the day it was sent: numbers continue after what
the register of that unit and year already holds, in the order the papers were sent (date, then id). A paper
that already has its line is left alone, so running this again changes nothing. Reversing it is a no-op: the
numbers may have been printed since."""

from django.db import migrations
from django.db.models import Q
from django.utils import timezone

BATCH = 2000
FILED_STATUSES = ("submitted", "approved", "accepted")
# contest.enums.RoundKind labels in Vietnamese: the register is written in Vietnamese (contest.numbering).
ROUND_KIND_VI = {"preliminary": "Sơ khảo", "final": "Chung khảo"}
COMMITTEE_SIGNER = "TM. BAN TỔ CHỨC"
JURY_SIGNER = "TM. BAN GIÁM KHẢO"


def _fold(text):
    from campaign_portal.text import fold

    return fold(text)


def _symbol(*, type_abbreviation, issuer, number):
    # organizations.documents.number_symbol_compose, frozen here: "05/GBN-BTC", "12/BC-LĐLĐ".
    return f"{number:02d}/" + "-".join(p for p in (type_abbreviation, issuer) if p)


def _report_papers(apps, numbered):
    """(unit_id, sent_at, order, pk, line) for every filed report without its BC line, as _report_number
    would have written it at the first submission: the submitter of that submission signs, and the recipient
    is the parent the unit had that day (its UnitPlacement), else the one its stored lineage names."""
    Report = apps.get_model("reporting", "Report")
    Review = apps.get_model("reporting", "Review")
    Unit = apps.get_model("organizations", "Unit")
    UnitPlacement = apps.get_model("organizations", "UnitPlacement")
    User = apps.get_model("organizations", "User")

    first_submit = {}
    for report_id, at, by_id in (
        Review.objects.filter(action="submit").order_by("report_id", "at", "pk").values_list("report_id", "at", "by_id")
    ):
        first_submit.setdefault(report_id, (at, by_id))
    reports = [
        r
        for r in Report.objects.filter(Q(status__in=FILED_STATUSES) | Q(reviews__action="submit"))
        .distinct()
        .select_related("cycle", "period", "unit")
        .order_by("pk")
        if f"reporting.report:{r.pk}" not in numbered
    ]
    sent = {}
    for report in reports:
        at, by_id = first_submit.get(report.pk, (report.submitted_at, report.submitted_by_id))
        if at is None:
            continue  # filed without a recorded submission time: no date to number it on
        sent[report.pk] = (at, by_id)
    users = dict(User.objects.filter(pk__in={by for _, by in sent.values()}).values_list("pk", "full_name"))
    placements = {}
    for unit_id, parent_id, valid_from, valid_to in UnitPlacement.objects.filter(
        unit_id__in={r.unit_id for r in reports}
    ).values_list("unit_id", "parent_id", "valid_from", "valid_to"):
        placements.setdefault(unit_id, []).append((valid_from, valid_to, parent_id))
    lineage_codes = {
        c for r in reports for lineage in (r.lineage, r.unit.lineage) for c in lineage.strip("/").split("/")[-2:-1]
    }
    by_code = {u.code: u for u in Unit.objects.filter(code__in=lineage_codes)}
    parent_ids = {p for ps in placements.values() for _, _, p in ps if p}
    by_pk = {u.pk: u for u in Unit.objects.filter(pk__in=parent_ids)}

    def parent_name(report, on):
        if report.unit.depth <= 1:
            return ""
        for valid_from, valid_to, parent_id in sorted(placements.get(report.unit_id, []), reverse=True):
            if valid_from <= on and (valid_to is None or valid_to > on) and parent_id in by_pk:
                return by_pk[parent_id].name
        for lineage in (report.lineage, report.unit.lineage):
            codes = lineage.strip("/").split("/")
            if len(codes) > 1 and codes[-2] in by_code:
                return by_code[codes[-2]].name
        return ""

    for report in reports:
        if report.pk not in sent:
            continue
        at, by_id = sent[report.pk]
        on = timezone.localtime(at).date()
        issuer = report.unit.abbreviation or report.unit.code
        yield (
            report.unit_id,
            at,
            report.pk,
            lambda number, report=report, on=on, by_id=by_id, issuer=issuer: dict(
                kind="report",
                subject_key=f"reporting.report:{report.pk}",
                number_symbol=_symbol(type_abbreviation="BC", issuer=issuer, number=number),
                issued_on=on,
                summary=f"{report.cycle.name} – {report.period.label}",
                signer=users.get(by_id, ""),
                recipients=parent_name(report, on),
            ),
        )


def _contest_papers(apps, numbered):
    """The same for the contest's papers, in the organising unit's register (contest.numbering): receipts at
    submission, the award decision at publication, a round's results at their first request."""
    Contest = apps.get_model("contest", "Contest")
    Entry = apps.get_model("contest", "Entry")
    Round = apps.get_model("contest", "Round")
    RoundDocument = apps.get_model("contest", "RoundDocument")
    Unit = apps.get_model("organizations", "Unit")

    city = Unit.objects.filter(depth=1).order_by("path").values_list("pk", flat=True).first()

    def unit_of(contest):
        return contest.organising_unit_id or city

    def line(*, kind, key, abbreviation, signer, on, summary, recipients):
        issuer = "BTC" if signer == COMMITTEE_SIGNER else "BGK"
        return lambda number: dict(
            kind=kind,
            subject_key=key,
            number_symbol=_symbol(type_abbreviation=abbreviation, issuer=issuer, number=number),
            issued_on=on,
            summary=summary,
            signer=signer,
            recipients=recipients,
        )

    entries = (
        Entry.objects.filter(submitted_at__isnull=False, code__isnull=False)
        .exclude(code="")
        .select_related("contest", "entrant")
        .order_by("pk")
    )
    for entry in entries:
        key = f"contest.entry:{entry.pk}"
        if key in numbered or unit_of(entry.contest) is None:
            continue
        yield (
            unit_of(entry.contest),
            entry.submitted_at,
            entry.pk,
            line(
                kind="contest_receipt",
                key=key,
                abbreviation="GBN",
                signer=COMMITTEE_SIGNER,
                on=timezone.localtime(entry.submitted_at).date(),
                summary=f"Biên nhận bài dự thi {entry.code} – Cuộc thi “{entry.contest.name}”",
                recipients=entry.entrant.display_name,
            ),
        )
    for contest in Contest.objects.filter(results_published_at__isnull=False).order_by("pk"):
        key = f"contest.contest:{contest.pk}"
        if key in numbered or unit_of(contest) is None:
            continue
        yield (
            unit_of(contest),
            contest.results_published_at,
            contest.pk,
            line(
                kind="award_decision",
                key=key,
                abbreviation="QĐ",
                signer=COMMITTEE_SIGNER,
                on=timezone.localtime(contest.results_published_at).date(),
                summary=f"Khen thưởng các tập thể, cá nhân đạt giải Cuộc thi “{contest.name}”",
                recipients="Các tác giả đạt giải; Tổ thư ký",
            ),
        )
    first_request = {}
    for round_id, at in (
        RoundDocument.objects.filter(kind="results").order_by("round_id", "requested_at", "pk")
    ).values_list("round_id", "requested_at"):
        first_request.setdefault(round_id, at)
    for round_ in Round.objects.filter(pk__in=list(first_request)).select_related("contest").order_by("pk"):
        key = f"contest.round:{round_.pk}"
        if key in numbered or unit_of(round_.contest) is None:
            continue
        at = first_request[round_.pk]
        kind_label = ROUND_KIND_VI.get(round_.kind, round_.kind)
        yield (
            unit_of(round_.contest),
            at,
            round_.pk,
            line(
                kind="round_results",
                key=key,
                abbreviation="BB",
                signer=JURY_SIGNER,
                on=timezone.localtime(at).date(),
                summary=f"Kết quả chấm vòng {kind_label.lower()} Cuộc thi “{round_.contest.name}”",
                recipients="Ban tổ chức Cuộc thi",
            ),
        )


def backfill_register_entries(apps, schema_editor):
    Register = apps.get_model("directives", "Register")
    RegisterEntry = apps.get_model("directives", "RegisterEntry")
    numbered = set(RegisterEntry.objects.values_list("subject_key", flat=True))
    papers = [*_report_papers(apps, numbered), *_contest_papers(apps, numbered)]
    # Per unit by sending time; papers of one instant keep a fixed order (reports, receipts, decisions,
    # results, each by id: the order they were listed in).
    ordered = sorted(enumerate(papers), key=lambda listed: (listed[1][0], listed[1][1], listed[0]))
    # Every register in one query; the missing ones are made in bulk, with their last numbers.
    registers = {(r.unit_id, r.year): r for r in Register.objects.filter(code="")}
    touched = {}
    lines = []
    for _listed, (unit_id, at, _pk, make) in ordered:
        year = make(0)["issued_on"].year
        register = registers.get((unit_id, year))
        if register is None:
            register = registers[(unit_id, year)] = Register(unit_id=unit_id, code="", year=year, last_number=0)
        register.last_number += 1
        touched[(unit_id, year)] = register
        lines.append((register, register.last_number, at, make(register.last_number)))
    held = [r for r in touched.values() if r.pk is not None]
    Register.objects.bulk_create([r for r in touched.values() if r.pk is None], batch_size=BATCH)
    Register.objects.bulk_update(held, ["last_number"], batch_size=BATCH)
    RegisterEntry.objects.bulk_create(
        [
            RegisterEntry(
                register_id=register.pk,
                number=number,
                search_text=_fold(f"{line['number_symbol']} {line['summary']}")[:700],
                created_at=at,
                **{
                    **line,
                    "summary": line["summary"][:500],
                    "signer": line["signer"][:300],
                    "recipients": line["recipients"][:500],
                },
            )
            for register, number, at, line in lines
        ],
        batch_size=BATCH,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("directives", "0008_document_signer_user"),
        ("reporting", "0005_merge_reminders_submissions_on_behalf"),
        ("contest", "0006_entrant_area_replaces_district"),
    ]

    operations = [migrations.RunPython(backfill_register_entries, migrations.RunPython.noop)]
