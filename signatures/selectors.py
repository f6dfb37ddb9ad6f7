"""Reads of the signing records."""

from django.db.models import CharField, Exists, OuterRef, QuerySet, Value
from django.db.models.functions import Cast, Concat

from organizations.models import Unit

from .models import PersonalCertificate, SignatureImage, SignedFile, SigningCredential


def signed_file_current(subject_key: str) -> SignedFile | None:
    """The file an object's download serves: its newest, not superseded."""
    return SignedFile.objects.filter(subject_key=subject_key, superseded_by__isnull=True).order_by("-pk").first()


def without_signed_file_since(queryset: QuerySet, *, since_field: str) -> QuerySet:
    """The objects of queryset that have no stored file signed at or after their own since_field (a submission
    whose signing task was lost, or has not run yet). Subject keys are "<app.model>:<pk>" (registers.subject_key)."""
    key = Concat(Value(f"{queryset.model._meta.label_lower}:"), Cast(OuterRef("pk"), CharField()))
    signed = SignedFile.objects.filter(
        subject_key=key, superseded_by__isnull=True, signed_at__gte=OuterRef(since_field)
    )
    return queryset.filter(~Exists(signed))


def units_without_credential():
    """What the admin sees: the units that issue documents unsigned."""
    return Unit.objects.exclude(pk__in=SigningCredential.objects.values("unit_id")).order_by("path")


def my_certificates(user):
    """The certificates a person registered, newest first: her own only."""
    return PersonalCertificate.objects.filter(user=user).order_by("-added_at", "-pk")


def my_signature_image(user) -> SignatureImage | None:
    return SignatureImage.objects.filter(user=user).first()
