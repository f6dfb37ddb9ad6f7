import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from campaign_portal.uploads import detected_mime


def _xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    workbook = Workbook()
    workbook.active.append(["Số buổi tuyên truyền", 12])
    workbook.save(buffer)
    return buffer.getvalue()


def test_an_xlsx_is_told_from_a_plain_zip():
    upload = SimpleUploadedFile("bao-cao.xlsx", _xlsx_bytes())
    assert detected_mime(upload) == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert upload.tell() == 0


def test_a_plain_zip_renamed_xlsx_is_a_zip():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "không phải bảng tính")
    assert detected_mime(SimpleUploadedFile("bao-cao.xlsx", buffer.getvalue())) == "application/zip"


def test_text_renamed_pdf_is_unknown():
    assert detected_mime(SimpleUploadedFile("bai-du-thi.pdf", b"<script>alert(1)</script>")) == ""


def test_a_pdf_is_a_pdf():
    assert detected_mime(SimpleUploadedFile("x.bin", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")) == "application/pdf"
