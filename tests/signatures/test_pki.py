import datetime as dt

from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from signatures import pki


def _name(certificate, oid):
    return certificate.subject.get_attributes_for_oid(oid)[0].value


def test_root_is_self_signed_ca():
    root = pki.make_root_ca(common_name="CA gốc Hà Nội", organisation="Ban Cơ yếu")
    assert root.certificate.subject == root.certificate.issuer
    root.certificate.verify_directly_issued_by(root.certificate)
    constraints = root.certificate.extensions.get_extension_for_class(x509.BasicConstraints).value
    assert constraints.ca is True
    usage = root.certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    assert (usage.key_cert_sign, usage.crl_sign, usage.digital_signature) == (True, True, False)


def test_person_certificate_chains_and_carries_diacritics_and_email():
    root = pki.make_root_ca(common_name="CA gốc")
    intermediate = pki.make_intermediate_ca(issuer=root, common_name="CA trung gian")
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    person = pki.make_person_certificate(
        issuer=intermediate,
        full_name="Nguyễn Thị Hà",
        organisation="Liên đoàn Lao động huyện Đông Anh",
        email="ha@example.vn",
        not_before=start,
        not_after=start + dt.timedelta(days=30),
    )
    certificate = person.certificate
    certificate.verify_directly_issued_by(intermediate.certificate)
    intermediate.certificate.verify_directly_issued_by(root.certificate)
    assert _name(certificate, NameOID.COMMON_NAME) == "Nguyễn Thị Hà"
    assert _name(certificate, NameOID.ORGANIZATION_NAME) == "Liên đoàn Lao động huyện Đông Anh"
    assert _name(certificate, NameOID.EMAIL_ADDRESS) == "ha@example.vn"
    assert (certificate.not_valid_before_utc, certificate.not_valid_after_utc) == (start, start + dt.timedelta(days=30))
    usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    assert (usage.digital_signature, usage.content_commitment, usage.key_cert_sign) == (True, True, False)
    san = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.RFC822Name) == ["ha@example.vn"]


def test_organisation_certificate_names_the_organisation_in_cn_and_o():
    root = pki.make_root_ca(common_name="CA gốc", key_type="rsa")
    unit = pki.make_organisation_certificate(issuer=root, organisation="Công đoàn cơ sở Trường THCS Dương Xá")
    assert _name(unit.certificate, NameOID.COMMON_NAME) == "Công đoàn cơ sở Trường THCS Dương Xá"
    assert _name(unit.certificate, NameOID.ORGANIZATION_NAME) == "Công đoàn cơ sở Trường THCS Dương Xá"
    assert unit.certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is False


def test_pkcs12_round_trip_with_passphrase():
    root = pki.make_root_ca(common_name="CA gốc")
    person = pki.make_person_certificate(issuer=root, full_name="Trần Văn Bình")
    data = pki.pkcs12_bytes(person.key, person.certificate, [root.certificate], "mật khẩu")
    key, certificate, chain = pkcs12.load_key_and_certificates(data, "mật khẩu".encode())
    assert certificate == person.certificate
    assert chain == [root.certificate]
    assert key.public_key().public_numbers() == person.key.public_key().public_numbers()


def test_fingerprint_is_lower_hex_sha256():
    root = pki.make_root_ca(common_name="CA gốc")
    fingerprint = pki.fingerprint_sha256(root.certificate)
    assert len(fingerprint) == 64
    assert fingerprint == fingerprint.lower()
