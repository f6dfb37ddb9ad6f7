"""Scans served to judges: renamed to the entry code, PDF metadata and image EXIF removed."""

import io

from django.http import HttpResponse

CONTENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}


def strip_pdf(data: bytes) -> bytes:
    from pypdf import PdfReader, PdfWriter  # dev requirement today; see the report for production

    reader = PdfReader(io.BytesIO(data))
    writer = PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    # No document information (Author, Title, Creator, Producer…) and no XMP metadata.
    writer.metadata = None
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def strip_image(data: bytes, kind: str) -> bytes:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        image.load()
        mode = ("RGBA" if kind == "png" else "RGB") if image.mode not in ("RGB", "L") else image.mode
        source = image.convert(mode)
        # A fresh image with the pixels only: EXIF, XMP, comments and text chunks stay behind.
        clean = Image.new(mode, source.size)
        clean.paste(source)
        out = io.BytesIO()
        clean.save(out, format="PNG" if kind == "png" else "JPEG", quality=90)
    return out.getvalue()


def blind_scan_bytes(entry) -> bytes:
    with entry.scan.open("rb") as handle:
        data = handle.read()
    if entry.scan_kind == "pdf":
        return strip_pdf(data)
    return strip_image(data, entry.scan_kind)


def scan_response(entry, *, blind: bool) -> HttpResponse:
    if blind:
        data = blind_scan_bytes(entry)
    else:
        with entry.scan.open("rb") as handle:
            data = handle.read()
    response = HttpResponse(data, content_type=CONTENT_TYPES.get(entry.scan_kind, "application/octet-stream"))
    name = entry.code or f"bai-du-thi-{entry.pk}"
    response["Content-Disposition"] = f'attachment; filename="{name}.{entry.scan_kind}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
