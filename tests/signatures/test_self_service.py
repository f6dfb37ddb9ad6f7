"""The signer's self-service page: she registers her own certificate and uploads her signature picture through the
services the admin uses; she sees only her own; a bad file is refused with its Vietnamese message."""

import io

import pytest
from cryptography.hazmat.primitives.serialization import Encoding
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from signatures.credentials import personal_certificate_register
from signatures.models import PersonalCertificate, SignatureImage

pytestmark = pytest.mark.django_db

PAGE = "signatures:my_signing"


def _cer(certificate, name="chung-thu.cer", encoding=Encoding.DER):
    return SimpleUploadedFile(name, certificate.public_bytes(encoding), content_type="application/pkix-cert")


def _png(*, size=(600, 300), transparent=True, format="PNG") -> bytes:
    image = Image.new("RGBA" if transparent else "RGB", size, (255, 255, 255, 0) if transparent else "white")
    buffer = io.BytesIO()
    image.save(buffer, format=format)
    return buffer.getvalue()


def test_page_needs_login(client):
    response = client.get(reverse(PAGE))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_she_registers_her_certificate_and_sees_its_details(tree, login, test_pki):
    client = login(tree.gialam_head)
    response = client.post(
        reverse("signatures:my_certificate_add"), {"certificate_file": _cer(test_pki.person.certificate)}
    )
    assert response.status_code == 302
    certificate = PersonalCertificate.objects.get(user=tree.gialam_head)
    page = client.get(reverse(PAGE)).content.decode()
    assert "Nguyễn Thị Hà" in page
    assert "CA trung gian thử nghiệm" in page  # the issuer
    assert certificate.fingerprint_text in page
    # The page writes Hanoi's date: after 17:00 UTC that is already the next day.
    assert timezone.localtime(certificate.not_after).strftime("%d/%m/%Y") in page


def test_sending_the_same_certificate_twice_registers_it_once(tree, login, test_pki):
    client = login(tree.gialam_head)
    for encoding in (Encoding.DER, Encoding.PEM):
        client.post(
            reverse("signatures:my_certificate_add"),
            {"certificate_file": _cer(test_pki.person.certificate, encoding=encoding)},
        )
    assert PersonalCertificate.objects.filter(user=tree.gialam_head).count() == 1


def test_another_persons_certificate_is_never_shown(tree, login, test_pki):
    personal_certificate_register(user=tree.gialam_officer, data=test_pki.person.certificate_pem.encode())
    page = login(tree.gialam_head).get(reverse(PAGE)).content.decode()
    assert "Nguyễn Thị Hà" not in page
    assert "Bạn chưa đăng ký chứng thư số nào." in page
    # Nor can she take it over: it is registered to someone else.
    response = login(tree.gialam_head).post(
        reverse("signatures:my_certificate_add"), {"certificate_file": _cer(test_pki.person.certificate)}
    )
    assert "Chứng thư số này đã được đăng ký cho người khác." in response.content.decode()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda pki: SimpleUploadedFile("a.cer", b"not a certificate"), "Tệp không phải là chứng thư số (.cer, .pem)."),
        (lambda pki: _cer(pki.expired.certificate), "Chứng thư số đã hết hạn ngày"),
        (
            lambda pki: _cer(pki.root.certificate),
            "Chứng thư số này không dùng để ký (thiếu mục đích digitalSignature hoặc nonRepudiation).",
        ),
        (
            lambda pki: SimpleUploadedFile(
                "key.pem", b"-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n"
            ),
            "Chỉ tải lên chứng thư số công khai (.cer, .pem, .der), không bao giờ tải lên khóa bí mật.",
        ),
    ],
)
def test_bad_certificate_file_is_refused_with_its_message(tree, login, test_pki, upload, message):
    response = login(tree.gialam_head).post(
        reverse("signatures:my_certificate_add"), {"certificate_file": upload(test_pki)}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PersonalCertificate.objects.exists()


def test_she_uploads_her_signature_image_and_only_she_sees_it(tree, login, signature_png):
    client = login(tree.gialam_head)
    upload = SimpleUploadedFile("chu-ky.png", signature_png, content_type="image/png")
    response = client.post(reverse("signatures:my_signature_image_set"), {"image": upload}, follow=True)
    assert "Đã lưu hình chữ ký." in response.content.decode()
    assert "nền không trong suốt" not in response.content.decode()
    assert SignatureImage.objects.filter(user=tree.gialam_head).count() == 1
    picture = client.get(reverse("signatures:my_signature_image_file"))
    assert (picture.status_code, picture["Content-Type"]) == (200, "image/png")
    # Another person has no picture: hers is never served to him.
    assert login(tree.gialam_officer).get(reverse("signatures:my_signature_image_file")).status_code == 404


def test_a_new_signature_image_replaces_the_old_one(tree, login, signature_png):
    client = login(tree.gialam_head)
    for _ in range(2):
        client.post(
            reverse("signatures:my_signature_image_set"),
            {"image": SimpleUploadedFile("chu-ky.png", signature_png, content_type="image/png")},
        )
    assert SignatureImage.objects.filter(user=tree.gialam_head).count() == 1


def test_opaque_signature_image_is_kept_with_a_warning(tree, login):
    response = login(tree.gialam_head).post(
        reverse("signatures:my_signature_image_set"),
        {"image": SimpleUploadedFile("chu-ky.png", _png(transparent=False), content_type="image/png")},
        follow=True,
    )
    assert "Hình chữ ký có nền không trong suốt: nền trắng sẽ che con dấu khi đóng dấu." in response.content.decode()
    assert SignatureImage.objects.filter(user=tree.gialam_head).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_png(size=(2400, 600)), "Hình chữ ký quá lớn (2400 × 600 điểm ảnh): tối đa 2000 × 1000."),
        (_png(transparent=False, format="JPEG"), "Hình chữ ký: chỉ nhận ảnh PNG nền trong suốt."),
    ],
)
def test_bad_signature_image_is_refused(tree, login, data, message):
    response = login(tree.gialam_head).post(
        reverse("signatures:my_signature_image_set"),
        {"image": SimpleUploadedFile("chu-ky.png", data, content_type="image/png")},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SignatureImage.objects.exists()


def test_page_queries_are_bounded(tree, login, test_pki, django_assert_max_num_queries):
    personal_certificate_register(user=tree.gialam_head, data=test_pki.person.certificate_pem.encode())
    personal_certificate_register(user=tree.gialam_head, data=test_pki.organisation.certificate_pem.encode())
    client = login(tree.gialam_head)
    with django_assert_max_num_queries(12):
        assert client.get(reverse(PAGE)).status_code == 200
