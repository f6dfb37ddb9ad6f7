"""The organisations' signing keys: a PKCS#12 file kept encrypted (Fernet, key from the environment) or a
PKCS#11 token named by environment settings; both become a pyHanko signer only for the moment of signing."""

import datetime as dt
import hashlib
import logging
import os
import struct
from collections.abc import Iterator
from contextlib import contextmanager

from cryptography import x509
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import Encoding, pkcs12
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaign_portal.exceptions import PortalError
from campaign_portal.uploads import IMAGE, PNG, upload_check
from organizations.models import Unit, User

from .enums import CredentialKind
from .models import PersonalCertificate, SignatureImage, SigningCredential
from .pyhanko_sync import run_pyhanko

logger = logging.getLogger(__name__)


def _fernet() -> Fernet:
    # Production refuses to sign rather than fall back to a key anyone with the source could derive.
    if not settings.SIGNING_KEY_ENCRYPTION_KEY:
        raise PortalError(_("Chưa cấu hình khóa mã hóa chứng thư số (SIGNING_KEY_ENCRYPTION_KEY): không thể ký."))
    return Fernet(settings.SIGNING_KEY_ENCRYPTION_KEY.encode("ascii"))


def _seal(pkcs12_data: bytes, passphrase: bytes) -> bytes:
    # The passphrase is sealed with the file: neither is of use without the environment's key.
    return _fernet().encrypt(struct.pack(">I", len(passphrase)) + passphrase + pkcs12_data)


def _unseal(token: bytes) -> tuple[bytes, bytes]:
    try:
        clear = _fernet().decrypt(bytes(token))
    except InvalidToken as error:
        raise PortalError(_("Không giải mã được chứng thư số của đơn vị: khóa mã hóa đã thay đổi?")) from error
    (length,) = struct.unpack(">I", clear[:4])
    return clear[4 + length :], clear[4 : 4 + length]


def certificate_details(certificate: x509.Certificate) -> dict:
    return {
        "certificate_pem": certificate.public_bytes(Encoding.PEM).decode("ascii"),
        "subject_name": certificate.subject.rfc4514_string()[:500],
        "not_before": certificate.not_valid_before_utc,
        "not_after": certificate.not_valid_after_utc,
    }


def load_pkcs12(pkcs12_data: bytes, passphrase: str):
    try:
        key, certificate, chain = pkcs12.load_key_and_certificates(pkcs12_data, passphrase.encode("utf-8"))
    except ValueError as error:
        raise PortalError(_("Không mở được tệp PKCS#12: sai mật khẩu hoặc tệp không hợp lệ.")) from error
    if key is None or certificate is None:
        raise PortalError(_("Tệp PKCS#12 không chứa khóa bí mật và chứng thư số."))
    return key, certificate, chain


def credential_save_pkcs12(
    *, unit: Unit, pkcs12_data: bytes, passphrase: str, by: User, credential: SigningCredential | None = None
) -> SigningCredential:
    """Store (or replace) a unit's PKCS#12 credential, encrypted; the certificate's details are read from it."""
    _key, certificate, _chain = load_pkcs12(pkcs12_data, passphrase)
    if certificate.not_valid_after_utc <= timezone.now():
        raise PortalError(_("Chứng thư số trong tệp đã hết hiệu lực."))
    details = certificate_details(certificate)
    with transaction.atomic():
        credential = credential or SigningCredential.objects.filter(unit=unit).first()
        if credential is None:
            credential = SigningCredential(unit=unit, created_by=by)
        credential.kind = CredentialKind.PKCS12
        credential.pkcs12_encrypted = _seal(pkcs12_data, passphrase.encode("utf-8"))
        for name, value in details.items():
            setattr(credential, name, value)
        credential._history_user = by
        credential.save()
    return credential


def credential_save_pkcs11(*, unit: Unit, env_prefix: str, certificate_pem: str, by: User) -> SigningCredential:
    """A token or HSM: the portal keeps the certificate (to show it and to check it) and the environment prefix
    that names the module, token, key and PIN."""
    try:
        certificate = x509.load_pem_x509_certificate(certificate_pem.encode("ascii"))
    except ValueError as error:
        raise PortalError(_("Chứng thư số không đúng định dạng PEM.")) from error
    with transaction.atomic():
        credential = SigningCredential.objects.filter(unit=unit).first() or SigningCredential(unit=unit, created_by=by)
        credential.kind = CredentialKind.PKCS11
        credential.pkcs12_encrypted = b""
        credential.pkcs11_env_prefix = env_prefix
        for name, value in certificate_details(certificate).items():
            setattr(credential, name, value)
        credential._history_user = by
        credential.save()
    return credential


def credential_for(unit: Unit) -> SigningCredential | None:
    return SigningCredential.objects.filter(unit=unit).first()


def credential_is_usable(credential: SigningCredential | None, *, at: dt.datetime | None = None) -> bool:
    at = at or timezone.now()
    return credential is not None and credential.not_before <= at < credential.not_after


@contextmanager
def credential_signer(credential: SigningCredential) -> Iterator:
    """A pyHanko signer for this credential, for the with-block only: the key material (a PKCS#12 file's key, or a
    token's open session) lives no longer. A token's key is looked up on entering, so that a wrong PIN or a missing
    key is a clear refusal before anything is signed."""
    from pyhanko.sign import signers

    if credential.kind == CredentialKind.PKCS11:
        session, signer = _pkcs11_open(credential)
        try:
            yield signer
        finally:
            session.close()
        return
    pkcs12_data, passphrase = _unseal(credential.pkcs12_encrypted)
    yield signers.SimpleSigner.load_pkcs12_data(pkcs12_data, other_certs=[], passphrase=passphrase)


PKCS11_SETTINGS = ("MODULE", "TOKEN_LABEL", "KEY_LABEL", "PIN")


def _pkcs11_open(credential: SigningCredential):
    """(session, pyHanko's PKCS#11 signer) over <prefix>_MODULE, _TOKEN_LABEL, _KEY_LABEL and _PIN. The signing
    certificate is the one stored on the credential; every certificate on the token goes into the signature, so
    that a token holding its CA chain (as CAs issue them) gives a signature that chains without other help.
    Tested against SoftHSM with an EC and an RSA key (tests/signatures/test_pkcs11.py)."""
    from asn1crypto import pem

    prefix = credential.pkcs11_env_prefix
    try:
        import pkcs11
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign import pkcs11 as pyhanko_pkcs11
    except ImportError as error:
        raise PortalError(_("Máy chủ chưa cài thư viện PKCS#11 (python-pkcs11): không ký được bằng token.")) from error
    try:
        module, token, key, pin = (os.environ[f"{prefix}_{name}"] for name in PKCS11_SETTINGS)
    except KeyError as error:
        raise PortalError(_("Thiếu biến môi trường %(name)s của thiết bị ký.") % {"name": error.args[0]}) from error
    try:
        pkcs11.lib(module)
    except pkcs11.PKCS11Error as error:
        logger.warning("PKCS#11 module %s (%s_MODULE) not loaded: %s", module, prefix, error)
        raise PortalError(
            _("Không nạp được thư viện PKCS#11 của thiết bị ký (%(name)s = %(value)s).")
            % {"name": f"{prefix}_MODULE", "value": module}
        ) from error
    try:
        session = pyhanko_pkcs11.open_pkcs11_session(module, token_criteria=TokenCriteria(label=token), user_pin=pin)
    except (pkcs11.PinIncorrect, pkcs11.PinInvalid, pkcs11.PinLenRange) as error:
        raise PortalError(
            _("Mã PIN của thiết bị ký không đúng (biến môi trường %(name)s).") % {"name": f"{prefix}_PIN"}
        ) from error
    except (pkcs11.PinLocked, pkcs11.PinExpired) as error:
        raise PortalError(
            _("Mã PIN của thiết bị ký đã bị khóa hoặc hết hạn: hãy mở khóa thiết bị rồi ký lại.")
        ) from error
    except pkcs11.PKCS11Error as error:
        logger.warning("PKCS#11 token %r (%s_TOKEN_LABEL) not opened: %s", token, prefix, error)
        raise PortalError(
            _("Không tìm thấy hoặc không mở được thiết bị ký có nhãn “%(label)s” (biến môi trường %(name)s).")
            % {"label": token, "name": f"{prefix}_TOKEN_LABEL"}
        ) from error
    _kind, _headers, der = pem.unarmor(credential.certificate_pem.encode("ascii"))
    try:
        return session, _pkcs11_signer_checked(session, prefix=prefix, der=der, module=module, token=token, key=key)
    except BaseException:
        session.close()  # a refusal (or any error) leaves no session open on the token
        raise


def _pkcs11_signer_checked(session, *, prefix: str, der: bytes, module: str, token: str, key: str):
    """The signer over an open session, its key found and (once per process) seen to match the certificate."""
    import pkcs11
    from asn1crypto import x509 as asn1_x509
    from pyhanko.sign import pkcs11 as pyhanko_pkcs11

    signer = pyhanko_pkcs11.PKCS11Signer(
        session,
        key_label=key,
        signing_cert=asn1_x509.Certificate.load(der),
        other_certs_to_pull=None,
        # pyHanko hashes and the token signs the digest (CKM_ECDSA, CKM_RSA_PKCS): the mechanisms every token
        # has. The hashing ones (CKM_ECDSA_SHA256…) are missing from some, SoftHSM 2.6 included.
        use_raw_mechanism=True,
    )
    try:
        run_pyhanko(signer.ensure_objects_loaded())
    except pkcs11.PKCS11Error as error:
        logger.warning("PKCS#11 key %r (%s_KEY_LABEL) not loaded: %s", key, prefix, error)
        raise PortalError(
            _("Thiết bị ký không có đúng một khóa bí mật có nhãn “%(label)s” (biến môi trường %(name)s).")
            % {"label": key, "name": f"{prefix}_KEY_LABEL"}
        ) from error
    checked = (module, token, key, hashlib.sha256(der).hexdigest())
    if checked not in _PKCS11_KEYS_MATCHED:
        if not _pkcs11_key_matches(signer, certificate_der=der):
            raise PortalError(
                _(
                    "Khóa bí mật “%(label)s” trên thiết bị ký không khớp với chứng thư số đã lưu của đơn vị: hãy "
                    "lưu lại đúng chứng thư số của khóa này."
                )
                % {"label": key}
            )
        _PKCS11_KEYS_MATCHED.add(checked)
    return signer


# (module, token, key label, certificate SHA-256) whose key was seen to match its certificate, in this process: a
# mismatch would issue signatures no one can verify, and checking costs one signature on the token, once.
_PKCS11_KEYS_MATCHED: set[tuple[str, str, str, str]] = set()


def _pkcs11_key_matches(signer, *, certificate_der: bytes) -> bool:
    """The token signs a random challenge; the stored certificate's public key must verify it."""
    import pkcs11
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

    challenge = os.urandom(32)
    try:
        signature = run_pyhanko(signer.async_sign_raw(challenge, "sha256"))
    except pkcs11.PKCS11Error as error:  # e.g. an EC key asked for an RSA signature (an RSA certificate)
        logger.warning("PKCS#11 key refused the certificate's signature mechanism: %r", error)
        return False
    public_key = x509.load_der_x509_certificate(certificate_der).public_key()
    try:
        if isinstance(public_key, ec.EllipticCurvePublicKey):
            public_key.verify(signature, challenge, ec.ECDSA(hashes.SHA256()))
        elif isinstance(public_key, rsa.RSAPublicKey):
            public_key.verify(signature, challenge, padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        return False
    return True


def _png_upload(upload, *, label: str):
    checked = upload_check(upload=upload, kind=IMAGE, label=label)
    if checked.mime != PNG:
        raise PortalError(_("%(label)s: chỉ nhận ảnh PNG nền trong suốt.") % {"label": label})
    return checked


def credential_set_seal(*, credential: SigningCredential, upload, by: User) -> SigningCredential:
    """The seal image (PNG, red, transparent ground) drawn at the seal's real diameter."""
    checked = _png_upload(upload, label=_("Hình con dấu"))
    if not png_is_transparent(checked.content):
        # Phụ lục I: the seal's image is a PNG on a transparent ground; an opaque one would hide the signature.
        raise PortalError(
            _(
                "Hình con dấu có nền không trong suốt: nền sẽ che chữ ký của người có thẩm quyền. "
                "Hãy tải ảnh PNG nền trong suốt."
            )
        )
    credential.seal_image.save(f"seal-{credential.unit_id}.png", checked.content, save=False)
    credential._history_user = by
    credential.save(update_fields=["seal_image"])
    return credential


# A signature picture is drawn a few centimetres wide: a larger one only weighs down every signed PDF.
SIGNATURE_IMAGE_MAX_PIXELS = (2000, 1000)


def signature_image_set(*, user: User, upload) -> SignatureImage:
    """The signer's handwritten signature (PNG, transparent ground recommended, at most 2000 × 1000 px); a new
    upload replaces the old picture (one per person)."""
    checked = _png_upload(upload, label=_("Hình chữ ký"))
    width, height = png_size(checked.content)
    max_width, max_height = SIGNATURE_IMAGE_MAX_PIXELS
    if width > max_width or height > max_height:
        raise PortalError(
            _("Hình chữ ký quá lớn (%(width)d × %(height)d điểm ảnh): tối đa %(max_width)d × %(max_height)d.")
            % {"width": width, "height": height, "max_width": max_width, "max_height": max_height}
        )
    image, _created = SignatureImage.objects.get_or_create(user=user)
    image.image.save(f"signature-{user.pk}.png", checked.content, save=False)
    image.updated_at = timezone.now()
    image.save()
    return image


def _png_image(content):
    from PIL import Image

    content.seek(0)
    image = Image.open(content)
    image.load()
    content.seek(0)
    return image


def png_size(content) -> tuple[int, int]:
    return _png_image(content).size


def png_is_transparent(content) -> bool:
    """Whether the picture lets the page show through somewhere (a white box would hide the seal under it)."""
    image = _png_image(content)
    if image.mode not in ("RGBA", "LA", "PA") and "transparency" not in image.info:
        return False
    alpha = image.convert("RGBA").getchannel("A")
    return alpha.getextrema()[0] < 255


def _signing_certificate_check(certificate: x509.Certificate) -> None:
    """A certificate a person signs with: its key usage allows signing, and it has not expired."""
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        usage = None
    if usage is None or not (usage.digital_signature or usage.content_commitment):
        raise PortalError(_("Chứng thư số này không dùng để ký (thiếu mục đích digitalSignature hoặc nonRepudiation)."))
    if certificate.not_valid_after_utc <= timezone.now():
        raise PortalError(
            _("Chứng thư số đã hết hạn ngày %(date)s.")
            % {"date": timezone.localtime(certificate.not_valid_after_utc).strftime("%d/%m/%Y")}
        )


def personal_certificate_register(*, user: User, data: bytes) -> PersonalCertificate:
    """The signer's own certificate (.cer/.der or .pem: the public certificate only), registered once so that
    her signed uploads match it. Refused: a private key, a file that is not a certificate, a certificate not made
    for signing or expired, one registered to someone else. Registering it again answers the same row."""
    if b"PRIVATE KEY" in data:
        raise PortalError(
            _("Chỉ tải lên chứng thư số công khai (.cer, .pem, .der), không bao giờ tải lên khóa bí mật.")
        )
    try:
        certificate = (
            x509.load_pem_x509_certificate(data) if b"-----BEGIN" in data else x509.load_der_x509_certificate(data)
        )
    except ValueError as error:
        raise PortalError(_("Tệp không phải là chứng thư số (.cer, .pem).")) from error
    fingerprint = certificate.fingerprint(hashes.SHA256()).hex()
    existing = PersonalCertificate.objects.filter(fingerprint_sha256=fingerprint).first()
    if existing is not None:
        if existing.user_id != user.pk:
            raise PortalError(_("Chứng thư số này đã được đăng ký cho người khác."))
        return existing
    _signing_certificate_check(certificate)
    details = certificate_details(certificate)
    try:
        with transaction.atomic():
            return PersonalCertificate.objects.create(
                user=user,
                fingerprint_sha256=fingerprint,
                issuer_name=certificate.issuer.rfc4514_string()[:500],
                serial_number=format(certificate.serial_number, "x"),
                **details,
            )
    except IntegrityError:  # the same file sent twice at once: the first registration stands
        existing = PersonalCertificate.objects.get(fingerprint_sha256=fingerprint)
        if existing.user_id != user.pk:
            raise PortalError(_("Chứng thư số này đã được đăng ký cho người khác.")) from None
        return existing


def credential_unsaved(*, pkcs12_data: bytes, passphrase: str, seal_png: bytes | None = None) -> SigningCredential:
    """A credential held in memory only, never saved (benchmarks, layout tests that need no database)."""
    _key, certificate, _chain = load_pkcs12(pkcs12_data, passphrase)
    credential = SigningCredential(
        pkcs12_encrypted=_seal(pkcs12_data, passphrase.encode("utf-8")), **certificate_details(certificate)
    )
    if seal_png:
        credential.seal_image.save("seal-unsaved.png", ContentFile(seal_png), save=False)
    return credential
