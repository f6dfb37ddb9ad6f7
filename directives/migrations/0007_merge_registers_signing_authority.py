# The registers (reg), the signer's signing step (sign) and the multi-line signing authority (desk) were built side
# by side; they touch different columns.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("directives", "0005_document_awaiting_signature"),
        ("directives", "0006_backfill_registers"),
        ("directives", "0005_document_signer_authority_lines"),
    ]

    operations = []
