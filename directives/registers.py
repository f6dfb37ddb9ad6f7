"""The outgoing register (sổ văn bản đi) every app numbers its documents in: one Register per unit and year,
one RegisterEntry per number, both written in the transaction of the action that sends the document."""

import datetime as dt
from collections.abc import Callable

from django.db import connection, transaction

from organizations.models import Unit

from .models import Register, RegisterEntry

REGISTER_TABLE = Register._meta.db_table
# The year's first issue makes the register at 1, a later one bumps it: one statement either way, and the row stays
# locked until the caller commits, so two issues never share a number (and the first two of a year never both insert).
TAKE_NUMBER = (
    f"INSERT INTO {REGISTER_TABLE} (unit_id, code, year, last_number) VALUES (%s, %s, %s, 1) "
    f"ON CONFLICT (unit_id, code, year) DO UPDATE SET last_number = {REGISTER_TABLE}.last_number + 1 "
    "RETURNING id, last_number"
)


def register_next_number(*, unit: Unit, year: int, code: str = "") -> tuple[int, int]:
    """(register id, number): the next number of a unit's register for a year."""
    with connection.cursor() as cursor:
        cursor.execute(TAKE_NUMBER, [unit.pk, code, year])
        register_id, number = cursor.fetchone()
    return register_id, number


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
        register_id, number = register_next_number(unit=unit, year=on.year)
        entry = RegisterEntry(
            register_id=register_id,
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
