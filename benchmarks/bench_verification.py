"""Verifying a 5 MB signed PDF (two signatures, root → intermediate → signer): verify_pdf alone and the public
page's POST. Needs a migrated database; everything it writes (a user, the trusted root) is rolled back."""

from _harness import HttpsClient, measure
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from organizations.models import User
from signatures import pki
from signatures.services_trust import trusted_certificates_add
from signatures.verification import verify_pdf
from tests.signatures import pdfs

FIVE_MB = 5 * 1024 * 1024

root = pki.make_root_ca(common_name="CA gốc đo hiệu năng")
intermediate = pki.make_intermediate_ca(issuer=root, common_name="CA trung gian đo hiệu năng")
person = pki.make_person_certificate(issuer=intermediate, full_name="Nguyễn Thị Hà", organisation="LĐLĐ Gia Lâm")
unit = pki.make_organisation_certificate(issuer=intermediate, organisation="Liên đoàn Lao động huyện Gia Lâm")
chain = [intermediate, root]
data = pdfs.sign(pdfs.plain_pdf(padding_bytes=FIVE_MB), signer=person, chain=chain)
data = pdfs.sign(data, signer=unit, chain=chain, field_name="ChuKy2")
print(f"signed PDF: {len(data) / 1024 / 1024:.2f} MB, 2 signatures")

with transaction.atomic():
    admin = User.objects.create(email="bench.verification@example.vn", full_name="Đo hiệu năng")
    trusted_certificates_add(data=root.certificate_pem.encode(), by=admin)
    result = verify_pdf(data)
    assert result.verdict == "valid", result.verdict

    measure("verify_pdf(5 MB, 2 signatures)", lambda: verify_pdf(data), repeat=5, target=None)
    client = HttpsClient()

    def post():
        upload = SimpleUploadedFile("van-ban.pdf", data, content_type="application/pdf")
        response = client.post("/kiem-tra/", {"file": upload})
        assert response.status_code == 200, response.status_code

    # The rate limit (30 an hour per address) would stop the repeats: each run comes from its own address.
    addresses = iter(f"10.9.{n // 250}.{n % 250 + 1}" for n in range(1000))

    def post_from_new_address():
        client.defaults["REMOTE_ADDR"] = next(addresses)
        post()

    # A 5 MB upload checked signature by signature: an operation more than a page, measured without a target.
    measure("POST /kiem-tra/ (5 MB upload, 2 signatures)", post_from_new_address, repeat=5, target=None)
    transaction.set_rollback(True)
