"""The reminder sweep's watermark: a tick where nothing changed returns in two queries.

What the providers find depends on the tables they read and on the clock. Tables: database triggers on every
model a provider `watches` (and on deletions of notifications, which a full sweep would insert again) write a
ReminderSourceChange row in the changing transaction itself, so that the change and its mark commit together.
Clock: the last complete sweep stores until when its answer holds, the next midnight in Hanoi or the earliest
moment a provider's `changes_at` names. A sweep with no change row, within that span, and with the same providers
is skipped. Every sweep first deletes the change rows it can see, in its own transaction, *before* asking the
providers: a change committed meanwhile keeps its row and makes the next sweep run in full, and a crash rolls the
deletion back with the rest."""

import datetime as dt

from django.apps import apps
from django.db import connections

from campaign_portal.calendar import HANOI
from campaign_portal.registry import ReminderProvider

from .models import Notification, ReminderSourceChange, ReminderSweepStamp

EVENTS = ("insert", "update", "delete")
STAMP_PK = 1


def _providers_signature(providers: list[ReminderProvider]) -> str:
    return ",".join(provider.name for provider in providers)


def source_changes_take() -> int:
    """Deletes the change marks this transaction can see and returns how many there were. A sweep that goes on
    sees those changes; one committed later keeps its mark for the next sweep."""
    return ReminderSourceChange.objects.all().delete()[0]


def sweep_stamp_holding(*, now: dt.datetime, providers: list[ReminderProvider]) -> ReminderSweepStamp | None:
    """With no change taken: the last sweep's stamp when it still holds at `now` (the clock inside its span, the
    same providers, each watching its tables), else None."""
    if not providers or not all(provider.watches for provider in providers):
        return None
    stamp = ReminderSweepStamp.objects.filter(pk=STAMP_PK).first()
    if stamp is None or not (stamp.swept_at <= now < stamp.valid_until):
        return None
    return stamp if stamp.providers == _providers_signature(providers) else None


def sweep_stamp_record(*, now: dt.datetime, providers: list[ReminderProvider], due: int, complete: bool) -> None:
    """After a full sweep, in its transaction. An incomplete one (a provider failed) leaves no stamp, so that
    the next tick runs in full."""
    if not complete:
        ReminderSweepStamp.objects.filter(pk=STAMP_PK).delete()
        return
    local = now.astimezone(HANOI)
    midnight = dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time(), tzinfo=HANOI)
    boundaries = [midnight]
    for provider in providers:
        if provider.changes_at is not None:
            boundary = provider.changes_at(now=now)
            if boundary is not None:
                boundaries.append(boundary)
    stamp = ReminderSweepStamp(
        pk=STAMP_PK, swept_at=now, valid_until=min(boundaries), providers=_providers_signature(providers), due=due
    )
    # One upsert: a concurrent sweep's stamp is as good as ours.
    ReminderSweepStamp.objects.bulk_create(
        [stamp],
        update_conflicts=True,
        unique_fields=["id"],
        update_fields=["swept_at", "valid_until", "providers", "due"],
    )


# --- the triggers ---------------------------------------------------------------------------------------------


def _watched_tables(providers: list[ReminderProvider]) -> dict[str, tuple[str, ...]]:
    """Table → the events that mark a change."""
    tables: dict[str, tuple[str, ...]] = {}
    for provider in providers:
        for label in provider.watches:
            tables[apps.get_model(label)._meta.db_table] = EVENTS
    # A notification deleted while still due would be inserted again by a full sweep.
    tables.setdefault(Notification._meta.db_table, ("delete",))
    return tables


def _trigger_sql(vendor: str, *, table: str, event: str, quote) -> list[str]:
    name = quote(f"reminder_source_{table}_{event}")
    log = quote(ReminderSourceChange._meta.db_table)
    if vendor == "postgresql":
        # One row per statement that changed rows (the transition table), not per row.
        rows = "OLD" if event == "delete" else "NEW"
        return [
            f"CREATE OR REPLACE TRIGGER {name} AFTER {event.upper()} ON {quote(table)} "
            f"REFERENCING {rows} TABLE AS changed FOR EACH STATEMENT "
            "EXECUTE FUNCTION reminder_source_changed()"
        ]
    return [
        f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {event.upper()} ON {quote(table)} "
        f"BEGIN INSERT OR IGNORE INTO {log} (id) VALUES (1); END"
    ]


def source_triggers_install(*, using: str, providers: list[ReminderProvider]) -> int:
    """Creates (or replaces) the triggers on every watched table that exists; returns how many. Idempotent."""
    connection = connections[using]
    quote = connection.ops.quote_name
    existing = set(connection.introspection.table_names())
    if ReminderSourceChange._meta.db_table not in existing or connection.vendor not in ("postgresql", "sqlite"):
        return 0
    statements = []
    if connection.vendor == "postgresql":
        statements.append(
            "CREATE OR REPLACE FUNCTION reminder_source_changed() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN IF EXISTS (SELECT 1 FROM changed) THEN "
            f"INSERT INTO {quote(ReminderSourceChange._meta.db_table)} DEFAULT VALUES; END IF; RETURN NULL; END $$"
        )
    count = 0
    for table, events in _watched_tables(providers).items():
        if table not in existing:
            continue
        for event in events:
            statements += _trigger_sql(connection.vendor, table=table, event=event, quote=quote)
            count += 1
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    return count
