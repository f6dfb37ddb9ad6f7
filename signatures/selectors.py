"""Reads of the signing records."""

import datetime as dt

from django.db.models import CharField, Exists, OuterRef, QuerySet, Value
from django.db.models.functions import Cast, Concat

from organizations.models import Unit

from .models import PersonalCertificate, SignatureImage, SignedFile, SigningCredential


def signed_file_current(subject_key: str) -> SignedFile | None:
    """The file an object's download serves: its newest, not superseded."""
    return SignedFile.objects.filter(subject_key=subject_key, superseded_by__isnull=True).order_by("-pk").first()


# A catch-up leaves a fresh submission to its own task, and looks back far enough to outlast a broker outage.
SIGNING_GRACE = dt.timedelta(minutes=5)
SIGNING_LOOKBACK = dt.timedelta(days=7)
SIGNING_CATCH_UP_BATCH = 500


def subject_key_expression(model, pk) -> Concat:
    """The subject key of a model's row as SQL, for its pk expression (F("pk"), OuterRef("pk")): "<app.model>:<pk>",
    as directives.registers.subject_key writes it in Python."""
    return Concat(Value(f"{model._meta.label_lower}:"), Cast(pk, CharField()))


def unsigned_since(queryset: QuerySet, *, since_field: str) -> QuerySet:
    """queryset's objects that have no current stored file signed at or after their own since_field (one NOT
    EXISTS)."""
    signed = SignedFile.objects.filter(
        subject_key=subject_key_expression(queryset.model, OuterRef("pk")),
        superseded_by__isnull=True,
        signed_at__gte=OuterRef(since_field),
    )
    return queryset.filter(~Exists(signed))


def signing_overdue(queryset: QuerySet, *, since_field: str, now: dt.datetime) -> list[int]:
    """The ids of queryset's objects sent in the catch-up window (a week back, leaving the last 5 minutes to their
    own task) that are still unsigned (unsigned_since): the signing task was lost."""
    window = {f"{since_field}__gte": now - SIGNING_LOOKBACK, f"{since_field}__lt": now - SIGNING_GRACE}
    overdue = unsigned_since(queryset.filter(**window), since_field=since_field).order_by(since_field)
    return list(overdue.values_list("pk", flat=True)[:SIGNING_CATCH_UP_BATCH])


def units_without_credential():
    """What the admin sees: the units that issue documents unsigned."""
    return Unit.objects.exclude(pk__in=SigningCredential.objects.values("unit_id")).order_by("path")


def my_certificates(user):
    """The certificates a person registered, newest first: her own only."""
    return PersonalCertificate.objects.filter(user=user).order_by("-added_at", "-pk")


def my_signature_image(user) -> SignatureImage | None:
    return SignatureImage.objects.filter(user=user).first()
