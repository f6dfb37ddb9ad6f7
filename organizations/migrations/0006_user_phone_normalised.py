"""Stores every user's phone the way Zalo and SMS need it (+84…); a value that is not a Vietnamese mobile
is left as typed (an admin sees it and mends it). Never fails."""

from django.db import migrations

from campaign_portal.phones import mobile_or_none


def normalise_phones(apps, schema_editor):
    User = apps.get_model("organizations", "User")
    changed = []
    for user in User.objects.exclude(phone="").only("pk", "phone").iterator(chunk_size=2000):
        normal = mobile_or_none(user.phone)
        if normal and normal != user.phone:
            user.phone = normal
            changed.append(user)
    User.objects.bulk_update(changed, ["phone"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("organizations", "0005_unit_signer_authority")]

    operations = [migrations.RunPython(normalise_phones, migrations.RunPython.noop)]
