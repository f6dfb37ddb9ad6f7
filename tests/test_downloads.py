"""The one shape of a file download (campaign_portal.view_helpers)."""

import io

from campaign_portal.view_helpers import download_response, uploaded_file_response
from campaign_portal.xlsx import XLSX_CONTENT_TYPE, xlsx_response


class _StoredFile:
    """Stands for a FieldFile: all the helper needs is open("rb")."""

    def __init__(self, content: bytes):
        self.content = content

    def open(self, mode):
        assert mode == "rb"
        return io.BytesIO(self.content)


def test_download_response_keeps_a_vietnamese_filename_and_no_cache():
    response = download_response(b"%PDF-1.7", filename="Báo cáo quý 1.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''B%C3%A1o%20c%C3%A1o%20qu%C3%BD%201.pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content == b"%PDF-1.7"


def test_download_response_inline_for_a_pdf_shown_in_the_browser():
    response = download_response(b"%PDF-1.7", filename="01-KH-LDLD.pdf", inline=True)
    assert response["Content-Disposition"] == 'inline; filename="01-KH-LDLD.pdf"'
    assert response["Cache-Control"] == "private, no-store"


def test_uploaded_file_response_is_a_sandboxed_private_download():
    response = uploaded_file_response(_StoredFile(b"abc"), filename="minh chứng.txt")
    assert response["Content-Type"] == "text/plain"
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''minh%20ch%E1%BB%A9ng.txt"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert b"".join(response.streaming_content) == b"abc"
    response.file_to_stream.close()  # response.close() would signal request_finished to the database


def test_uploaded_file_response_inline_picture_may_be_cached_publicly():
    response = uploaded_file_response(
        _StoredFile(b"\x89PNG"),
        filename="anh.png",
        content_type="image/png",
        inline=True,
        cache_control="public, max-age=86400",
    )
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'inline; filename="anh.png"'
    assert response["Cache-Control"] == "public, max-age=86400"
    response.file_to_stream.close()


def test_xlsx_response_has_the_same_shape():
    response = xlsx_response(b"PK", filename="sổ văn bản.xlsx")
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''s%E1%BB%95%20v%C4%83n%20b%E1%BA%A3n.xlsx"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
