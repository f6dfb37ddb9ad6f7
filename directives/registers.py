"""The outgoing register (sổ văn bản đi) every app numbers its documents in: one Register per unit and year,
one RegisterEntry per number, both written in the transaction of the action that sends the document."""

import datetime as dt
from collections.abc import Callable

from django.db import transaction

from organizations.models import Unit

from .models import Register, RegisterEntry


def register_next_number(*, unit: Unit, year: int, code: str = "") -> tuple[Register, int]:
    """The next number of a unit's register for a year, under a row lock: two issues never share one."""
    registers = Register.objects.select_for_update().filter(unit=unit, code=code, year=year)
    register = registers.first()
    if register is None:  # the year's first issue
        # ON CONFLICT DO NOTHING: one statement, and no savepoint, whether or not another issue creates it meanwhile.
        Register.objects.bulk_create([Register(unit=unit, code=code, year=year)], ignore_conflicts=True)
        register = registers.get()
    register.last_number += 1
    register.save(update_fields=["last_number"])
    return register, register.last_number


def register_entry_for(subject_key: str) -> RegisterEntry | None:
    return RegisterEntry.objects.filter(subject_key=subject_key).first()


def register_entry_take(
    *,
    unit: Unit,
    on: dt.date,
    kind: str,
    subject_key: str,
    number_symbol: Callable[[int], str],
    summary: str,
    signer: str = "",
    recipients: str = "",
) -> RegisterEntry:
    """The number of one document in the unit's register of its year (on: the document's date), with its line.

    A document is numbered once: asked again for the same subject_key (a report resubmitted after a return,
    a receipt printed again) it returns the entry it got. The caller holds the lock on the numbered object,
    so two requests for one subject never both take a number."""
    existing = register_entry_for(subject_key)
    if existing is not None:
        return existing
    # savepoint=False: inside the caller's transaction (a submission, an issue) nothing here is caught and retried,
    # so a savepoint would only cost two statements; alone, this still opens its own transaction.
    with transaction.atomic(savepoint=False):
        register, number = register_next_number(unit=unit, year=on.year)
        entry = RegisterEntry(
            register=register,
            number=number,
            kind=kind,
            subject_key=subject_key,
            number_symbol=number_symbol(number),
            issued_on=on,
            summary=summary[:500],
            signer=signer[:300],
            recipients=recipients[:500],
        )
        entry.save()
    return entry


def subject_key(obj) -> str:
    """'reporting.report:12': what a register entry numbers, by model label and id."""
    return f"{obj._meta.label_lower}:{obj.pk}"
