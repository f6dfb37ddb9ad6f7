"""The contest's official papers take their numbers from the organising unit's outgoing register (sổ văn bản
đi, directives.registers) when they are issued: a receipt when the entry is submitted, the award decision when
the results are published, a round's results minutes when they are first requested. Each paper is numbered once
(its subject key); printing it again prints the same number."""

import datetime as dt

from django.utils import translation

from directives.enums import RegisterEntryKind
from directives.models import RegisterEntry
from directives.registers import register_entry_for, register_entry_take, subject_key
from organizations.documents import number_symbol_compose
from organizations.models import Unit

# The organising committee (Ban tổ chức) issues receipts and decisions, the jury (Ban giám khảo) its minutes.
COMMITTEE_SYMBOL = "BTC"
JURY_SYMBOL = "BGK"


def organising_unit(contest) -> Unit | None:
    # A contest set up without a unit is run at the top of the tree (the city).
    return contest.organising_unit or Unit.objects.get_root_nodes().order_by("path").first()


def _take(*, contest, obj, on: dt.date, kind: str, abbreviation: str, issuer: str, summary: str, recipients: str):
    unit = organising_unit(contest)
    if unit is None:
        return None  # no unit tree yet: nothing to number in
    return register_entry_take(
        unit=unit,
        on=on,
        kind=kind,
        subject_key=subject_key(obj),
        number_symbol=lambda number: number_symbol_compose(
            type_abbreviation=abbreviation, issuer=issuer, number=number
        ),
        summary=summary,
        signer="TM. BAN TỔ CHỨC" if issuer == COMMITTEE_SYMBOL else "TM. BAN GIÁM KHẢO",
        recipients=recipients,
    )


def receipt_number(*, entry, on: dt.date) -> RegisterEntry | None:
    return _take(
        contest=entry.contest,
        obj=entry,
        on=on,
        kind=RegisterEntryKind.CONTEST_RECEIPT,
        abbreviation="GBN",
        issuer=COMMITTEE_SYMBOL,
        summary=f"Biên nhận bài dự thi {entry.code} – Cuộc thi “{entry.contest.name}”",
        recipients=entry.entrant.display_name,
    )


def award_decision_number(*, contest, on: dt.date) -> RegisterEntry | None:
    return _take(
        contest=contest,
        obj=contest,
        on=on,
        kind=RegisterEntryKind.AWARD_DECISION,
        abbreviation="QĐ",
        issuer=COMMITTEE_SYMBOL,
        summary=f"Khen thưởng các tập thể, cá nhân đạt giải Cuộc thi “{contest.name}”",
        recipients="Các tác giả đạt giải; Tổ thư ký",
    )


def round_results_number(*, round_, on: dt.date) -> RegisterEntry | None:
    return _take(
        contest=round_.contest,
        obj=round_,
        on=on,
        kind=RegisterEntryKind.ROUND_RESULTS,
        abbreviation="BB",
        issuer=JURY_SYMBOL,
        summary=f"Kết quả chấm vòng {_round_kind(round_).lower()} Cuộc thi “{round_.contest.name}”",
        recipients="Ban tổ chức Cuộc thi",
    )


def _round_kind(round_) -> str:
    with translation.override("vi"):  # the register is written in Vietnamese whatever the interface language
        return str(round_.get_kind_display())


def number_of(obj) -> RegisterEntry | None:
    """The register line a paper got, or None (not issued yet: the number is left blank)."""
    return register_entry_for(subject_key(obj))
