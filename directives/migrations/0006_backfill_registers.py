"""Backfill the registers: a RegisterEntry for every document issued before the register had entries, and an
incoming number for every delivery, by arrival order (delivered_at, then id) per recipient unit and Hanoi year."""

from django.db import migrations
from django.utils import timezone

BATCH = 2000


def _fold(text):
    from campaign_portal.text import fold

    return fold(text)


def backfill_register_entries(apps, schema_editor):
    Document = apps.get_model("directives", "Document")
    RegisterEntry = apps.get_model("directives", "RegisterEntry")
    numbered = set(RegisterEntry.objects.values_list("subject_key", flat=True))
    entries = []
    documents = (
        Document.objects.filter(status="issued", register__isnull=False, number__isnull=False)
        .order_by("pk")
        .iterator(chunk_size=BATCH)
    )
    for document in documents:
        key = f"directives.document:{document.pk}"
        if key in numbered:
            continue
        summary = document.subject[:500]
        entries.append(
            RegisterEntry(
                register_id=document.register_id,
                number=document.number,
                kind="directive",
                subject_key=key,
                number_symbol=document.number_symbol,
                issued_on=document.issued_on,
                summary=summary,
                signer=" ".join(
                    p for p in (document.signer_authority, document.signer_position, document.signer_name) if p
                )[:300],
                recipients="; ".join(line.strip() for line in document.kinh_gui.splitlines() if line.strip())[:500],
                search_text=_fold(f"{document.number_symbol} {summary}")[:700],
                created_at=document.issued_at or timezone.now(),
            )
        )
    RegisterEntry.objects.bulk_create(entries, batch_size=BATCH)


def backfill_incoming_numbers(apps, schema_editor):
    Delivery = apps.get_model("directives", "Delivery")
    IncomingRegister = apps.get_model("directives", "IncomingRegister")
    last: dict[tuple[int, int], int] = {}
    batch = []
    rows = (
        Delivery.objects.filter(incoming_number__isnull=True)
        .order_by("unit_id", "delivered_at", "pk")
        .values_list("pk", "unit_id", "delivered_at")
        .iterator(chunk_size=BATCH)
    )
    for pk, unit_id, delivered_at in rows:
        year = timezone.localtime(delivered_at).year
        number = last.get((unit_id, year), 0) + 1
        last[(unit_id, year)] = number
        batch.append(Delivery(pk=pk, incoming_year=year, incoming_number=number))
        if len(batch) >= BATCH:
            Delivery.objects.bulk_update(batch, ["incoming_year", "incoming_number"])
            batch = []
    Delivery.objects.bulk_update(batch, ["incoming_year", "incoming_number"])
    IncomingRegister.objects.bulk_create(
        [IncomingRegister(unit_id=unit_id, year=year, last_number=n) for (unit_id, year), n in last.items()],
        batch_size=BATCH,
    )


class Migration(migrations.Migration):
    dependencies = [("directives", "0005_registers_in_and_out")]

    operations = [
        migrations.RunPython(backfill_register_entries, migrations.RunPython.noop),
        migrations.RunPython(backfill_incoming_numbers, migrations.RunPython.noop),
    ]
