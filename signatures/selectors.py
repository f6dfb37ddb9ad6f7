"""Reads of the signing records."""

from organizations.models import Unit

from .models import PersonalCertificate, SignatureImage, SignedFile, SigningCredential


def signed_file_current(subject_key: str) -> SignedFile | None:
    """The file an object's download serves: its newest, not superseded."""
    return SignedFile.objects.filter(subject_key=subject_key, superseded_by__isnull=True).order_by("-pk").first()


def units_without_credential():
    """What the admin sees: the units that issue documents unsigned."""
    return Unit.objects.exclude(pk__in=SigningCredential.objects.values("unit_id")).order_by("path")


def my_certificates(user):
    """The certificates a person registered, newest first: her own only."""
    return PersonalCertificate.objects.filter(user=user).order_by("-added_at", "-pk")


def my_signature_image(user) -> SignatureImage | None:
    return SignatureImage.objects.filter(user=user).first()
