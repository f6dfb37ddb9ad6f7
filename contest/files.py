"""Scans served to judges: renamed to the entry code and rebuilt so nothing but the pages' drawing survives.

A PDF is rebuilt with pikepdf into a new document that receives only the pages, each reduced to the
keys that draw it; every object those pages reach loses metadata, actions and attachments, and the
content streams are re-written without comments or marked-content property lists (ActualText, Alt).
Whatever the source carried elsewhere (document info, XMP, outlines, forms, JavaScript, embedded
files, the structure tree, page labels, the /ID) is simply not copied. Images are re-encoded with
Pillow (pixels only).
"""

import io

import pikepdf
from django.http import HttpResponse
from django.utils.translation import gettext as _

from campaign_portal.exceptions import PortalError
from campaign_portal.view_helpers import download_response

CONTENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}

# What a page needs to be drawn; everything else (/Annots, /AA, /Metadata, /PieceInfo, /Thumb, /B,
# /StructParents, /AF, /Trans…) is left behind.
PAGE_KEYS = frozenset(
    {
        "/Type",
        "/Parent",
        "/Resources",
        "/MediaBox",
        "/CropBox",
        "/BleedBox",
        "/TrimBox",
        "/ArtBox",
        "/Contents",
        "/Rotate",
        "/UserUnit",
        "/Group",
    }
)
# Removed from every dictionary and stream the pages reach (image and form XObjects, fonts…):
# metadata, private application data, actions, attachments, external references, optional-content
# groups (their /Name is free text) and marked-content property lists.
DROPPED_KEYS = frozenset(
    {
        "/Metadata",
        "/PieceInfo",
        "/AF",
        "/AA",
        "/A",
        "/JS",
        "/OpenAction",
        "/Annots",
        "/EF",
        "/EmbeddedFiles",
        "/FS",
        "/Ref",
        "/OPI",
        "/OC",
        "/Properties",
        "/StructParent",
        "/StructParents",
        "/LastModified",
    }
)


def _unreadable() -> PortalError:
    return PortalError(
        _("Không đọc được tệp scan của bài này nên không thể gửi bản đã ẩn danh; đề nghị Tổ thư ký kiểm tra tệp.")
    )


def _clean_content(stream: pikepdf.Object) -> None:
    """Re-write a content stream: comments vanish in parsing, and a BDC's property list (which may
    hold /ActualText or /Alt) becomes a plain BMC with the same tag; the drawing is unchanged."""
    instructions = []
    for operands, operator in pikepdf.parse_content_stream(stream):
        if str(operator) == "BDC":
            operands, operator = [operands[0]], pikepdf.Operator("BMC")
        elif str(operator) == "DP":  # a marked point with a property list: nothing to draw
            continue
        instructions.append((operands, operator))
    stream.write(pikepdf.unparse_content_stream(instructions))


def _scrub(obj: pikepdf.Object, seen: set) -> None:
    """Drop DROPPED_KEYS from everything reachable from obj, and clean every form's content."""
    if not isinstance(obj, pikepdf.Object):  # numbers and booleans come back as Python values
        return
    if obj.is_indirect:
        if obj.objgen in seen:
            return
        seen.add(obj.objgen)
    if isinstance(obj, pikepdf.Array):
        for item in obj:
            _scrub(item, seen)
        return
    if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
        return
    for key in list(obj.keys()):
        if key in DROPPED_KEYS:
            del obj[key]
        elif key != "/Parent":
            _scrub(obj[key], seen)
    if isinstance(obj, pikepdf.Stream) and (obj.get("/Subtype") == pikepdf.Name.Form or obj.get("/PatternType") == 1):
        _clean_content(obj)


def strip_pdf(data: bytes) -> bytes:
    try:
        with pikepdf.open(io.BytesIO(data)) as source:
            clean = pikepdf.new()
            for page in source.pages:  # pikepdf pushes inherited MediaBox/Resources down to each page
                for key in list(page.obj.keys()):
                    if key not in PAGE_KEYS:
                        del page.obj[key]
                clean.pages.append(page)
            seen: set = set()
            for page in clean.pages:
                _scrub(page.obj, seen)
                if "/Contents" in page.obj:
                    page.contents_coalesce()
                    _clean_content(page.obj.Contents)
            out = io.BytesIO()
            # A full, fresh write of the new document: only reachable objects, new numbers, an /ID
            # computed from the content, no XMP added back (fix_metadata_version/preserve_pdfa off).
            clean.save(
                out,
                linearize=False,
                object_stream_mode=pikepdf.ObjectStreamMode.generate,
                deterministic_id=True,
                fix_metadata_version=False,
                preserve_pdfa=False,
            )
    except (pikepdf.PdfError, pikepdf.PasswordError, RecursionError) as error:  # encrypted, broken, or nested
        # past reason: it cannot be rebuilt, so it is not served
        raise _unreadable() from error
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
    name = entry.code or f"bai-du-thi-{entry.pk}"
    return download_response(
        data,
        filename=f"{name}.{entry.scan_kind}",
        content_type=CONTENT_TYPES.get(entry.scan_kind, "application/octet-stream"),
    )
