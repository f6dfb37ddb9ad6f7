import pytest
from cryptography.hazmat.primitives import serialization
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaign_portal.exceptions import PortalError
from signatures import pki
from signatures.models import TrustedCertificate
from signatures.services_trust import trusted_certificate_set_active, trusted_certificates_add

pytestmark = pytest.mark.django_db

ADD = reverse("admin:signatures_trustedcertificate_add")


def _bundle(*issued) -> bytes:
    return b"".join(i.certificate_pem.encode() for i in issued)


def test_bundle_adds_root_and_intermediate_with_their_fields(tree, test_pki):
    root, intermediate = trusted_certificates_add(data=_bundle(test_pki.root, test_pki.intermediate), by=tree.admin)
    assert (root.is_root, intermediate.is_root) == (True, False)
    assert root.subject_name == "CA gốc thử nghiệm Hà Nội, Ban Cơ yếu thử nghiệm, VN"
    assert root.fingerprint_sha256 == pki.fingerprint_sha256(test_pki.root.certificate)
    assert root.not_after == test_pki.root.certificate.not_valid_after_utc
    assert (root.is_active, root.added_by) == (True, tree.admin)


def test_der_file_is_accepted(tree, test_pki):
    der = test_pki.root.certificate.public_bytes(serialization.Encoding.DER)
    [root] = trusted_certificates_add(data=der, by=tree.admin)
    assert root.certificate_pem == test_pki.root.certificate_pem


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Không đọc được chứng thư số"),
        (b"-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n", "Không đọc được chứng thư số"),
        (b"\x30\x82\x01\x00garbage", "Không đọc được chứng thư số"),
    ],
    ids=["empty", "bad-pem", "bad-der"],
)
def test_garbage_is_refused(tree, data, message):
    with pytest.raises(PortalError) as refused:
        trusted_certificates_add(data=data, by=tree.admin)
    assert message in refused.value.message
    assert TrustedCertificate.objects.count() == 0


def test_non_ca_certificate_is_refused_and_nothing_is_added(tree, test_pki):
    with pytest.raises(PortalError) as refused:
        trusted_certificates_add(data=_bundle(test_pki.root, test_pki.person), by=tree.admin)
    assert refused.value.message == (
        "“Nguyễn Thị Hà, Chủ tịch, Liên đoàn Lao động huyện Gia Lâm, VN” không phải chứng thư của tổ chức cung cấp "
        "dịch vụ chứng thực (CA); chỉ nhận chứng thư CA gốc hoặc trung gian."
    )
    assert TrustedCertificate.objects.count() == 0


def test_duplicate_is_refused_even_when_deactivated(tree, test_pki):
    [root] = trusted_certificates_add(data=_bundle(test_pki.root), by=tree.admin)
    trusted_certificate_set_active(certificate=root, active=False, by=tree.admin)
    with pytest.raises(PortalError) as refused:
        trusted_certificates_add(data=_bundle(test_pki.root), by=tree.admin)
    assert refused.value.message == (
        "Chứng thư số “CA gốc thử nghiệm Hà Nội, Ban Cơ yếu thử nghiệm, VN” đã có trong danh sách tin cậy."
    )
    assert TrustedCertificate.objects.count() == 1


def test_admin_uploads_a_bundle(login, superuser, test_pki):
    client = login(superuser)
    upload = SimpleUploadedFile("ca.pem", _bundle(test_pki.root, test_pki.intermediate))
    response = client.post(ADD, {"certificate_file": upload, "certificate_text": ""}, follow=True)
    assert response.status_code == 200
    assert "Đã thêm 2 chứng thư CA tin cậy." in response.content.decode()
    assert sorted(TrustedCertificate.objects.values_list("is_root", flat=True)) == [False, True]


def test_admin_shows_a_clear_error_and_keeps_the_pasted_text(login, superuser, test_pki):
    client = login(superuser)
    response = client.post(ADD, {"certificate_text": test_pki.person.certificate_pem})
    assert response.status_code == 200
    html = response.content.decode()
    assert "không phải chứng thư của tổ chức cung cấp dịch vụ chứng thực (CA)" in html
    assert "-----BEGIN CERTIFICATE-----" in html
    assert TrustedCertificate.objects.count() == 0
    empty = client.post(ADD, {"certificate_text": ""})
    assert "Hãy chọn tệp chứng thư số hoặc dán nội dung PEM." in empty.content.decode()


def test_admin_deactivates_instead_of_deleting(login, superuser, test_pki):
    [root] = trusted_certificates_add(data=_bundle(test_pki.root), by=superuser)
    client = login(superuser)
    change = reverse("admin:signatures_trustedcertificate_change", args=[root.pk])
    assert client.post(change, {"is_active": ""}).status_code == 302
    root.refresh_from_db()
    assert root.is_active is False
    assert root.history.count() == 2
    delete = reverse("admin:signatures_trustedcertificate_delete", args=[root.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:signatures_trustedcertificate_changelist")
    client.post(changelist, {"action": "activate", "_selected_action": [root.pk]})
    root.refresh_from_db()
    assert root.is_active is True
