import io

import pytest
from django.test import override_settings
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from campaign_portal.exceptions import PortalError
from signatures.services_trust import trusted_certificate_set_active, trusted_certificates_add
from signatures.verification import Verdict, verify_pdf

from . import pdfs


@pytest.mark.django_db
def test_one_trusted_signature_is_valid_but_not_ours(trusted_root, test_pki, signed_once):
    result = verify_pdf(signed_once)
    assert result.verdict == Verdict.VALID
    assert result.record_match == ""
    assert result.revocation_checked is False
    [signature] = result.signatures
    assert (signature.signer_name, signature.organisation) == ("Nguyễn Thị Hà", "Liên đoàn Lao động huyện Gia Lâm")
    assert signature.email == "ha.nguyen@example.vn"
    assert (signature.intact, signature.trusted, signature.valid_at_signing_time) == (True, True, True)
    assert signature.modification_level == "none"
    assert signature.covers_whole_file is True
    assert signature.certificate_serial == format(test_pki.person.certificate.serial_number, "X")
    assert signature.signing_time is not None


@pytest.mark.django_db
def test_two_signatures_first_sees_only_a_later_signature(trusted_root, signed_twice):
    result = verify_pdf(signed_twice)
    assert result.verdict == Verdict.VALID
    first, second = result.signatures
    assert (first.signer_name, second.signer_name) == ("Nguyễn Thị Hà", "Liên đoàn Lao động huyện Gia Lâm")
    assert (first.modification_level, second.modification_level) == ("form_filling", "none")
    assert (first.intact, second.intact, first.trusted, second.trusted) == (True, True, True, True)


@pytest.mark.django_db
def test_one_changed_byte_breaks_the_signature(trusted_root, signed_once):
    result = verify_pdf(pdfs.flip_byte_in_text(signed_once))
    assert result.verdict == Verdict.MODIFIED
    assert result.modified_after_signing is True
    assert result.signatures[0].intact is False


@pytest.mark.django_db
def test_content_appended_after_signing_is_modified(trusted_root, test_pki, signed_once):
    writer = IncrementalPdfFileWriter(io.BytesIO(signed_once))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    stream = generic.StreamObject(stream_data=b"BT /F1 12 Tf 72 700 Td (Noi dung them) Tj ET")
    page["/Contents"] = writer.add_object(stream)
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    result = verify_pdf(out.getvalue())
    [signature] = result.signatures
    assert signature.intact is True
    assert signature.modification_level == "other"
    assert result.verdict == Verdict.MODIFIED


@pytest.mark.django_db
def test_untrusted_root_is_untrusted(trusted_root, test_pki):
    data = pdfs.sign(pdfs.plain_pdf(), signer=test_pki.stranger, chain=[test_pki.stranger_root])
    result = verify_pdf(data)
    assert result.verdict == Verdict.UNTRUSTED
    [signature] = result.signatures
    assert (signature.intact, signature.trusted, signature.valid_at_signing_time) == (True, False, False)


@pytest.mark.django_db
def test_nothing_is_trusted_without_trusted_certificates(signed_once):
    # No row at all: no fallback to the operating system's store.
    result = verify_pdf(signed_once)
    assert (result.signatures[0].intact, result.signatures[0].trusted) == (True, False)
    assert result.verdict == Verdict.UNTRUSTED


@pytest.mark.django_db
def test_deactivated_root_is_no_longer_trusted(tree, trusted_root, signed_once):
    trusted_certificate_set_active(certificate=trusted_root, active=False, by=tree.admin)
    assert verify_pdf(signed_once).signatures[0].trusted is False


@pytest.mark.django_db
def test_deactivated_intermediate_breaks_the_chain(tree, trusted_root, test_pki, signed_once):
    [intermediate] = trusted_certificates_add(data=test_pki.intermediate.certificate_pem.encode(), by=tree.admin)
    assert verify_pdf(signed_once).signatures[0].trusted is True
    trusted_certificate_set_active(certificate=intermediate, active=False, by=tree.admin)
    assert verify_pdf(signed_once).signatures[0].trusted is False


@pytest.mark.django_db
def test_expired_certificate_is_trusted_chain_but_not_valid_at_signing(trusted_root, test_pki):
    data = pdfs.sign(pdfs.plain_pdf(), signer=test_pki.expired, chain=[test_pki.intermediate, test_pki.root])
    result = verify_pdf(data)
    [signature] = result.signatures
    assert (signature.intact, signature.trusted, signature.valid_at_signing_time) == (True, True, False)
    assert result.verdict == Verdict.UNTRUSTED


@pytest.mark.django_db
def test_unsigned_pdf(trusted_root):
    result = verify_pdf(pdfs.plain_pdf())
    assert (result.signatures, result.verdict) == ([], Verdict.UNSIGNED)


@pytest.mark.django_db
def test_not_a_pdf_is_refused():
    with pytest.raises(PortalError) as refused:
        verify_pdf(b"Day khong phai PDF, chi la van ban thuong.\n" * 10)
    assert "loại tệp không được chấp nhận" in refused.value.message


@pytest.mark.django_db
def test_encrypted_pdf_is_refused():
    with pytest.raises(PortalError) as refused:
        verify_pdf(pdfs.encrypted_pdf())
    assert "PDF có mật khẩu hoặc mã hóa không được nhận" in refused.value.message


@pytest.mark.django_db
@override_settings(UPLOAD_MAX_BYTES={"verification": 2000})
def test_too_large_is_refused(signed_once):
    with pytest.raises(PortalError) as refused:
        verify_pdf(signed_once)
    assert "tệp quá lớn" in refused.value.message
