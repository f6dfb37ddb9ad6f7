import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from campaign_portal.ratelimit import DOCUMENT_VERIFY_UPLOAD
from signatures.models import SignedFile

from . import pdfs

VERIFY = "/kiem-tra/"
ISSUED_ON = dt.date(2026, 3, 2)


@pytest.fixture
def issued(tree, signed_twice):
    return pdfs.record_issued(
        signed_twice, unit=tree.gialam, number_symbol="12/KH-LĐLĐ", issued_on=ISSUED_ON, code="K7Q2M9XA"
    )


def _upload(client, data: bytes, name="van-ban.pdf", **extra):
    return client.post(VERIFY, {"file": SimpleUploadedFile(name, data, content_type="application/pdf"), **extra})


def _verdict(response) -> str:
    return response.context["result"].verdict


def test_urls_are_the_ones_the_pdf_footer_prints():
    assert reverse("signatures:verify") == VERIFY
    assert reverse("signatures:verify_code", kwargs={"code": "K7Q2M9XA"}) == "/kiem-tra/K7Q2M9XA/"


@pytest.mark.django_db
def test_anonymous_gets_the_page_with_its_three_ways_in(client):
    response = client.get(VERIFY)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert 'name="code"' in html
    assert 'name="number_symbol"' in html
    assert "không kiểm tra tình trạng thu hồi chứng thư số" in html


@pytest.mark.django_db
def test_public_nav_links_to_the_page(client):
    assert f'href="{VERIFY}"' in client.get("/").content.decode()


@pytest.mark.django_db
def test_our_file_is_recognised_with_its_signatures(client, trusted_root, issued, signed_twice):
    count_before = SignedFile.objects.count()
    response = _upload(client, signed_twice)
    assert response.status_code == 200
    assert _verdict(response) == "issued_here"
    html = response.content.decode()
    assert "Văn bản do Cổng này phát hành, nguyên vẹn như khi ký." in html
    assert "12/KH-LĐLĐ" in html
    assert "Nguyễn Thị Hà" in html
    assert "Liên đoàn Lao động huyện Gia Lâm" in html
    assert reverse("signatures:verify_download", kwargs={"code": "K7Q2M9XA"}) in html
    assert SignedFile.objects.count() == count_before  # nothing of the upload is stored


@pytest.mark.django_db
def test_one_changed_byte_says_modified_after_signing(client, trusted_root, issued, signed_twice):
    response = _upload(client, pdfs.flip_byte_in_text(signed_twice))
    assert _verdict(response) == "modified"
    assert "tệp đã bị thay đổi sau khi ký" in response.content.decode()


@pytest.mark.django_db
def test_signed_but_not_ours(client, trusted_root, signed_once):
    response = _upload(client, signed_once)
    assert _verdict(response) == "valid"
    assert "Văn bản này không do Cổng phát hành" in response.content.decode()


@pytest.mark.django_db
def test_untrusted_signature(client, trusted_root, test_pki):
    data = pdfs.sign(pdfs.plain_pdf(), signer=test_pki.stranger, chain=[test_pki.stranger_root])
    response = _upload(client, data)
    assert _verdict(response) == "untrusted"
    assert "không dẫn tới tổ chức chứng thực nào được Cổng tin cậy" in response.content.decode()


@pytest.mark.django_db
def test_expired_certificate(client, trusted_root, test_pki):
    data = pdfs.sign(pdfs.plain_pdf(), signer=test_pki.expired, chain=[test_pki.intermediate, test_pki.root])
    response = _upload(client, data)
    assert _verdict(response) == "untrusted"
    assert "đã hết hạn hoặc chưa có hiệu lực tại thời điểm ký" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%!PS-Adobe-3.0 not a pdf\n" * 20, "loại tệp không được chấp nhận"),
        (pdfs.encrypted_pdf(), "PDF có mật khẩu hoặc mã hóa không được nhận"),
    ],
    ids=["not-a-pdf", "encrypted"],
)
def test_refused_files_get_a_clear_message(client, data, message):
    response = _upload(client, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "result" not in response.context


@pytest.mark.django_db
@override_settings(UPLOAD_MAX_BYTES={"verification": 4000})
def test_too_large_is_refused(client, signed_once):
    response = _upload(client, signed_once)
    assert response.status_code == 400
    assert "tệp quá lớn" in response.content.decode()


@pytest.mark.django_db
def test_upload_needs_csrf(signed_once):
    response = _upload(Client(enforce_csrf_checks=True), signed_once)
    assert response.status_code == 403


@pytest.mark.django_db
def test_upload_is_rate_limited(client):
    for _attempt in range(DOCUMENT_VERIFY_UPLOAD.limit):
        _upload(client, b"not a pdf")
    response = _upload(client, b"not a pdf")
    assert response.status_code == 429
    assert "Bạn đã kiểm tra quá nhiều lần" in response.content.decode()


@pytest.mark.django_db
def test_lookup_by_code_shows_the_record_and_download(client, issued, signed_twice):
    response = client.get(VERIFY, {"code": "k7q2 m9xa"})
    assert response.status_code == 302
    assert response["Location"] == "/kiem-tra/K7Q2M9XA/"
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "Văn bản mã K7Q2M9XA do Cổng này phát hành" in html
    assert 'name="expected_code" value="K7Q2M9XA"' in html
    download = client.get(reverse("signatures:verify_download", kwargs={"code": "K7Q2M9XA"}))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == signed_twice


@pytest.mark.django_db
def test_unknown_code_is_404(client):
    assert client.get("/kiem-tra/ZZZZ9999/").status_code == 404
    assert client.get("/kiem-tra/ZZZZ9999/tai-ve/").status_code == 404


@pytest.mark.django_db
def test_upload_compared_with_the_code_it_came_from(client, trusted_root, issued, signed_once):
    response = _upload(client, signed_once, expected_code="K7Q2M9XA")
    assert "Tệp này không phải văn bản mã K7Q2M9XA" in response.content.decode()


@pytest.mark.django_db
def test_lookup_by_number_issuer_and_date_ignores_accents_and_case(client, issued):
    response = client.get(
        VERIFY, {"number_symbol": "12/kh-ldld", "issuer": "gia lam", "issued_on": ISSUED_ON.isoformat()}
    )
    assert response.status_code == 200
    assert response.context["matches"] == [issued]
    assert "/kiem-tra/K7Q2M9XA/" in response.content.decode()


@pytest.mark.django_db
def test_lookup_by_number_finds_nothing_for_another_issuer_or_date(client, issued):
    wrong_issuer = client.get(
        VERIFY, {"number_symbol": "12/KH-LĐLĐ", "issuer": "Đông Anh", "issued_on": ISSUED_ON.isoformat()}
    )
    wrong_date = client.get(VERIFY, {"number_symbol": "12/KH-LĐLĐ", "issuer": "Gia Lâm", "issued_on": "2026-03-03"})
    assert (wrong_issuer.context["matches"], wrong_date.context["matches"]) == ([], [])
    assert "Không tìm thấy văn bản nào" in wrong_date.content.decode()


@pytest.mark.django_db
def test_lookup_by_number_keeps_typed_values_on_error(client):
    response = client.get(VERIFY, {"number_symbol": "12/KH-LĐLĐ", "issuer": "Gia Lâm", "issued_on": "hôm qua"})
    assert response.status_code == 400
    assert 'value="12/KH-LĐLĐ"' in response.content.decode()


@pytest.mark.django_db
def test_page_query_count_does_not_grow_with_records(client, tree, signed_twice, django_assert_max_num_queries):
    for number in range(12):
        pdfs.record_issued(
            signed_twice + b"\n" * (number + 1),
            unit=tree.gialam,
            number_symbol="12/KH-LĐLĐ",
            issued_on=ISSUED_ON,
            code=f"CODE{number:04d}",
        )
    query = {"number_symbol": "12/KH-LĐLĐ", "issuer": "Gia Lâm", "issued_on": ISSUED_ON.isoformat()}
    with django_assert_max_num_queries(3):
        response = client.get(VERIFY, query)
    assert len(response.context["matches"]) == 10
    with django_assert_max_num_queries(3):
        assert client.get("/kiem-tra/CODE0003/").status_code == 200
    with django_assert_max_num_queries(4):
        assert _upload(client, signed_twice).status_code == 200
