"""Signing credentials, trusted roots and the record of every signed PDF the portal issued.

The services that fill these rows live in signatures/services.py (signing) and signatures/verification.py
(checking a PDF against the record and the trusted roots)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from organizations.models import Unit

from .enums import CredentialKind, SignedFileKind


class SigningCredential(models.Model):
    """A unit's organisation certificate (chữ ký số của cơ quan, tổ chức). The private key is never stored in
    clear: a PKCS#12 file is kept encrypted with the key from the environment; a PKCS#11 credential names the
    environment settings of the token or HSM."""

    unit = models.OneToOneField(Unit, on_delete=models.PROTECT, related_name="signing_credential")
    kind = models.CharField(_("loại"), max_length=10, choices=CredentialKind.choices, default=CredentialKind.PKCS12)
    pkcs12_encrypted = models.BinaryField(editable=False, blank=True, default=b"")
    pkcs11_env_prefix = models.CharField(
        _("tiền tố biến môi trường PKCS#11"),
        max_length=60,
        blank=True,
        help_text=_("Ví dụ SIGNING_PKCS11_LDLD: đọc <tiền tố>_MODULE, _TOKEN_LABEL, _KEY_LABEL, _PIN."),
    )
    certificate_pem = models.TextField(_("chứng thư số (PEM)"), editable=False)
    subject_name = models.CharField(_("chủ thể"), max_length=500, editable=False)
    not_before = models.DateTimeField(_("hiệu lực từ"), editable=False)
    not_after = models.DateTimeField(_("hiệu lực đến"), editable=False)
    seal_image = models.FileField(_("hình con dấu"), upload_to="signing/seals/", max_length=300, blank=True)
    seal_diameter_mm = models.PositiveSmallIntegerField(_("đường kính con dấu (mm)"), default=36)
    organisation_signature_suffices = models.BooleanField(
        _("chỉ cần chữ ký số của cơ quan"),
        default=False,
        help_text=_("Đơn vị đã quyết định ban hành văn bản điện tử chỉ với chữ ký số của cơ quan, tổ chức."),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(excluded_fields=["pkcs12_encrypted"])

    class Meta:
        verbose_name = _("chứng thư số của đơn vị")
        verbose_name_plural = _("chứng thư số của đơn vị")

    def __str__(self):
        return f"{self.unit} – {self.subject_name}"


class TrustedCertificate(models.Model):
    """A root or intermediate CA certificate that admins trust (a real deployment: the national CAs)."""

    certificate_pem = models.TextField(_("chứng thư số (PEM)"))
    fingerprint_sha256 = models.CharField(max_length=64, unique=True, editable=False)
    subject_name = models.CharField(_("chủ thể"), max_length=500, editable=False)
    is_root = models.BooleanField(_("là CA gốc"), editable=False)
    not_before = models.DateTimeField(_("hiệu lực từ"), editable=False)
    not_after = models.DateTimeField(_("hiệu lực đến"), editable=False)
    is_active = models.BooleanField(_("đang tin cậy"), default=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chứng thư CA tin cậy")
        verbose_name_plural = _("chứng thư CA tin cậy")
        ordering = ["subject_name"]

    def __str__(self):
        return self.subject_name


class SignedFile(models.Model):
    """One signed PDF as the portal issued it: the stored bytes, their SHA-256 and the short code printed in
    the footer, so that anyone can check a copy on the public verification page."""

    kind = models.CharField(_("loại"), max_length=20, choices=SignedFileKind.choices)
    verification_code = models.CharField(_("mã kiểm tra"), max_length=16, unique=True)
    sha256 = models.CharField(max_length=64, unique=True)
    file = models.FileField(upload_to="signed/%Y/", max_length=300)
    size = models.PositiveIntegerField()
    issuer_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    number_symbol = models.CharField(_("số, ký hiệu"), max_length=60, blank=True, db_index=True)
    issued_on = models.DateField(_("ngày văn bản"))
    title = models.CharField(_("trích yếu"), max_length=500)
    # The object it prints, as "app_label.model:pk" (directives.document:12); one current file per object.
    subject_key = models.CharField(max_length=80, db_index=True)
    signatures = models.JSONField(default=list, help_text="[{signer, organisation, signed_at, kind}] at signing")
    signed_at = models.DateTimeField(default=timezone.now)
    superseded_by = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("tệp đã ký số")
        verbose_name_plural = _("tệp đã ký số")
        indexes = [models.Index(fields=["issuer_unit", "issued_on"])]

    def __str__(self):
        return f"{self.number_symbol or self.title[:60]} ({self.verification_code})"


class PersonalCertificate(models.Model):
    """A signer's own certificate, registered once on her account: an uploaded signed PDF is hers only if its
    signing certificate is one of these (matched by SHA-256 fingerprint)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signing_certificates")
    certificate_pem = models.TextField(_("chứng thư số (PEM)"))
    fingerprint_sha256 = models.CharField(max_length=64, unique=True)
    subject_name = models.CharField(_("chủ thể"), max_length=500)
    issuer_name = models.CharField(_("tổ chức cấp"), max_length=500)
    serial_number = models.CharField(_("số sê-ri"), max_length=80)
    not_before = models.DateTimeField(_("hiệu lực từ"))
    not_after = models.DateTimeField(_("hiệu lực đến"))
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("chứng thư số cá nhân")
        verbose_name_plural = _("chứng thư số cá nhân")

    def __str__(self):
        return f"{self.user} – {self.subject_name}"

    @property
    def fingerprint_text(self) -> str:
        """AB:CD:… as certificate viewers show it, to compare with the signer's token software."""
        return ":".join(self.fingerprint_sha256[i : i + 2] for i in range(0, len(self.fingerprint_sha256), 2)).upper()

    @property
    def is_expired(self) -> bool:
        return self.not_after <= timezone.now()


class SignatureImage(models.Model):
    """The picture of a person's handwritten signature (PNG, transparent), shown in her signature's place."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signature_image")
    image = models.FileField(_("hình chữ ký"), upload_to="signing/signatures/", max_length=300)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("hình chữ ký")
        verbose_name_plural = _("hình chữ ký")

    def __str__(self):
        return str(self.user)


class SigningRequest(models.Model):
    """The two-step path: the numbered PDF with an empty field at the signer's place, offered for her to sign on
    her device; her upload must be this file plus her signature and nothing else."""

    subject_key = models.CharField(max_length=80, unique=True)
    verification_code = models.CharField(_("mã kiểm tra"), max_length=16, unique=True)
    file = models.FileField(upload_to="signing/prepared/%Y/", max_length=300)
    sha256 = models.CharField(max_length=64)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    prepared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("yêu cầu ký số")
        verbose_name_plural = _("yêu cầu ký số")

    def __str__(self):
        return f"{self.subject_key} ({self.verification_code})"
