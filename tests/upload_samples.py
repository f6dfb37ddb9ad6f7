"""Good and hostile files, made in the test: each upload point is tried with every one of them."""

import functools
import io
import zipfile

MACRO_CT = "application/vnd.ms-word.document.macroEnabled.main+xml"
DOCX_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
XLSM_CT = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"


def _content_types(main_part: str, main_type: str, extra: str = "") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{main_part}" ContentType="{main_type}"/>{extra}</Types>'
    )


def _ooxml(main_part: str, main_type: str, *, extra_parts=(), extra_types: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _content_types(main_part, main_type, extra_types))
        archive.writestr(main_part, "<document>Kế hoạch cải cách hành chính</document>")
        for name, content in extra_parts:
            archive.writestr(name, content)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    return _ooxml("word/document.xml", DOCX_CT)


def xlsx_bytes(rows=(("Số buổi tuyên truyền", 12),)) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@functools.cache
def zip_bomb_docx() -> bytes:
    """About 1 MB on disk, 1 GiB declared: one entry of zeros, deflated (1030:1)."""
    buffer = io.BytesIO()
    chunk = b"\x00" * (16 * 1024 * 1024)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _content_types("word/document.xml", DOCX_CT))
        archive.writestr("word/document.xml", "<document/>")
        with archive.open("word/media/padding.bin", "w", force_zip64=True) as entry:
            for _ in range(64):
                entry.write(chunk)
    return buffer.getvalue()


def docm_bytes() -> bytes:
    return _ooxml("word/document.xml", MACRO_CT, extra_parts=[("word/vbaProject.bin", b"\xd0\xcf\x11\xe0VBA")])


def xlsm_bytes() -> bytes:
    return _ooxml("xl/workbook.xml", XLSM_CT, extra_parts=[("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0VBA")])


def docx_with_vba_bytes() -> bytes:
    """A .docm renamed .docx, content types rewritten as a plain document: the VBA part stays."""
    return _ooxml("word/document.xml", DOCX_CT, extra_parts=[("word/vbaProject.bin", b"\xd0\xcf\x11\xe0VBA")])


def legacy_doc_bytes() -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000


def png_bytes(size=(40, 30), color="red") -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


POLYGLOT_TAIL = b"<html><script>alert(document.cookie)</script></html>"


def polyglot_png_bytes() -> bytes:
    return png_bytes() + POLYGLOT_TAIL


def jpeg_with_exif_bytes() -> bytes:
    """A photo carrying the author's name, GPS position and an orientation (rotated 90°)."""
    from PIL import Image

    image = Image.new("RGB", (60, 20), "blue")
    exif = Image.Exif()
    exif[0x013B] = "Nguyễn Văn Sáng"  # Artist
    exif[0x0112] = 6  # Orientation: rotate 90° to show upright
    gps = {1: "N", 2: (21.0, 1.0, 42.0), 3: "E", 4: (105.0, 50.0, 3.0)}
    exif[0x8825] = gps
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, comment=b"Nguyen Van Sang")
    return out.getvalue()


@functools.cache
def bomb_png_bytes() -> bytes:
    """A 30,000 × 30,000 PNG (900 megapixels) of about 100 KB."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("1", (30_000, 30_000), 0).save(out, format="PNG")
    return out.getvalue()


def _pdf(change=None, **save_options) -> bytes:
    """A one-page PDF made with pikepdf, changed by `change(pdf)` before it is saved."""
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    if change:
        change(pdf)
    out = io.BytesIO()
    pdf.save(out, **save_options)
    return out.getvalue()


def pdf_bytes() -> bytes:
    return _pdf()


def encrypted_pdf_bytes() -> bytes:
    import pikepdf

    return _pdf(encryption=pikepdf.Encryption(owner="chu", user="", R=6))


def js_pdf_bytes() -> bytes:
    import pikepdf

    def open_action(pdf):
        pdf.Root.OpenAction = pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS="app.alert('x')"))

    return _pdf(open_action)


def embedded_file_pdf_bytes() -> bytes:
    import pikepdf

    def attach(pdf):
        pdf.attachments["danh-sach.txt"] = pikepdf.AttachedFileSpec(pdf, b"Nguyen Van Sang")

    return _pdf(attach)


def exe_bytes() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00" + b"\x00" * 400


def oversize_bytes(limit: int) -> bytes:
    """A real PDF one byte past the limit (padding after %%EOF is legal)."""
    data = pdf_bytes()
    return data + b"\n" + b"%" * (limit + 1 - len(data) - 1)
