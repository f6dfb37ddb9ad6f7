"""The one upload check of the portal: every file a user sends goes through `upload_check`.

A file is judged by its content, never by its name or the browser's word. Each upload point
names one `UploadKind`, which declares the allowed types and the size limit once; forms take
their help text and `accept` list from the same declaration. Office files are inspected as zip
archives from the central directory only (never decompressed to be checked), images are decoded
and re-encoded (the stored file is the new one: no EXIF, no trailing polyglot payload), PDFs are
parsed with pikepdf and refused when encrypted or active.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

import filetype
from django import forms
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.functional import lazy
from django.utils.text import slugify
from django.utils.translation import gettext as _

from campaign_portal.exceptions import PortalError

MB = 1024 * 1024

JPEG, PNG, WEBP, PDF = "image/jpeg", "image/png", "image/webp", "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"

# Type → (extension stored, name shown to the user).
TYPES = {
    JPEG: ("jpg", "JPEG"),
    PNG: ("png", "PNG"),
    WEBP: ("webp", "WEBP"),
    PDF: ("pdf", "PDF"),
    DOCX: ("docx", "DOCX"),
    XLSX: ("xlsx", "XLSX"),
    PPTX: ("pptx", "PPTX"),
}
IMAGE_TYPES = frozenset({JPEG, PNG, WEBP})
OFFICE_TYPES = frozenset({DOCX, XLSX, PPTX})
# The main part of each OOXML package tells its type (a plain zip renamed .docx has none).
OFFICE_MAIN_PARTS = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX, "ppt/presentation.xml": PPTX}

# Zip limits, read from the central directory (ZipInfo sizes), never by decompressing.
ZIP_MAX_ENTRIES = 1000
ZIP_MAX_TOTAL_BYTES = 100 * MB
ZIP_MAX_RATIO = 100
# Small XML parts legitimately compress past 100:1; ratios count from these sizes up.
ZIP_RATIO_FROM_ENTRY_BYTES = 1 * MB
ZIP_RATIO_FROM_TOTAL_BYTES = 10 * MB
CONTENT_TYPES_MAX_BYTES = 1 * MB

IMAGE_MAX_PIXELS = 40_000_000  # 40 megapixels: any phone photo, far from a decompression bomb
PDF_ACTIVE_ACTIONS = ("/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/Rendition")


@dataclass(frozen=True)
class UploadKind:
    """What one kind of upload point accepts: types by content and a size limit."""

    name: str
    types: tuple[str, ...]
    max_bytes: int

    @property
    def limit(self) -> int:
        # settings.UPLOAD_MAX_BYTES may lower or raise one kind's limit (e.g. a test's small one).
        return settings.UPLOAD_MAX_BYTES.get(self.name, self.max_bytes)

    @property
    def type_names(self) -> str:
        return ", ".join(TYPES[t][1] for t in self.types)

    @property
    def accept(self) -> str:
        """The `accept` attribute of a file input: a browser hint only, the check is on content."""
        extensions = {f".{TYPES[t][0]}" for t in self.types} | ({".jpeg"} if JPEG in self.types else set())
        return ",".join(sorted(extensions | set(self.types)))

    def effective_limit(self, max_bytes: int | None = None) -> int:
        """The kind's limit, or a lower one the upload point sets (a contest's own limit)."""
        return min(self.limit, max_bytes) if max_bytes else self.limit

    def help_text(self, max_bytes: int | None = None) -> str:
        return _("%(types)s; tối đa %(mb)s MB") % {"types": self.type_names, "mb": _mb(self.effective_limit(max_bytes))}


def _mb(size: int) -> str:
    value = size / MB
    return f"{value:.0f}" if value >= 1 and value == int(value) else f"{value:.1f}".replace(".", ",")


IMAGE = UploadKind("image", (JPEG, PNG, WEBP), 5 * MB)
ATTACHMENT = UploadKind("attachment", (PDF, DOCX, XLSX, JPEG, PNG, WEBP), 10 * MB)
PUBLIC_ATTACHMENT = UploadKind("public_attachment", (PDF, DOCX, JPEG, PNG), 5 * MB)
SCAN = UploadKind("scan", (PDF, JPEG, PNG), 10 * MB)
SPREADSHEET = UploadKind("spreadsheet", (XLSX,), 20 * MB)
# A PDF checked on the public verification page (signatures/verification.py) and never stored.
VERIFICATION = UploadKind("verification", (PDF,), 20 * MB)
KINDS = (IMAGE, ATTACHMENT, PUBLIC_ATTACHMENT, SCAN, SPREADSHEET, VERIFICATION)


@dataclass(frozen=True)
class CheckedUpload:
    """A file that passed: `content` is what to store (re-encoded for images)."""

    content: ContentFile
    mime: str
    extension: str
    original_name: str

    @property
    def size(self) -> int:
        return self.content.size


def upload_field(kind: UploadKind, *, label, required: bool = True, max_bytes: int | None = None) -> forms.FileField:
    """A form's file field whose help text and `accept` list come from the kind's declaration."""
    return forms.FileField(
        label=label,
        required=required,
        help_text=lazy(kind.help_text, str)(max_bytes),
        widget=forms.ClearableFileInput(attrs={"accept": kind.accept}),
    )


def detected_mime(upload) -> str:
    """The MIME type the content shows, or "" when unknown. Leaves the file at position 0.

    Office packages are told apart by their main part (word/document.xml, xl/workbook.xml…),
    read from the zip's central directory; any other zip is "application/zip"."""
    data = _read_all(upload)
    kind = filetype.guess(data[:8192])
    if kind is not None and kind.extension in ("zip", "docx", "xlsx", "pptx"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError):
            return "application/zip"
        return next((mime for part, mime in OFFICE_MAIN_PARTS.items() if part in names), "application/zip")
    return kind.mime if kind else ""


def _read_all(upload) -> bytes:
    if isinstance(upload, bytes):
        return upload
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def upload_check(
    *, upload, kind: UploadKind, label, field: str | None = None, max_bytes: int | None = None
) -> CheckedUpload:
    """Checks one uploaded file (an UploadedFile or bytes) against its kind; raises PortalError
    naming the field, before anything is stored. Returns what to store."""
    limit = kind.effective_limit(max_bytes)
    name = getattr(upload, "name", "") or ""
    size = len(upload) if isinstance(upload, bytes) else upload.size

    def refuse(reason: str):
        raise PortalError(_("%(label)s: %(reason)s") % {"label": label, "reason": reason}, field=field)

    if size > limit:
        refuse(_("tệp quá lớn (%(size)s MB); tối đa %(limit)s MB.") % {"size": _mb(size), "limit": _mb(limit)})
    if size == 0:
        refuse(_("tệp rỗng."))
    data = _read_all(upload)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        # Legacy binary Office (.doc/.xls/.ppt): macros and exploits hide in it and it cannot be inspected.
        refuse(_("tệp Office dạng cũ (.doc, .xls) không được nhận. Hãy lưu lại dưới dạng .docx hoặc .xlsx."))
    if data[:4] == b"PK\x03\x04":
        _check_zip(data, refuse)
    mime = detected_mime(data)
    if mime not in kind.types:
        refuse(
            _("loại tệp không được chấp nhận (kiểm tra theo nội dung tệp, không theo tên). Chỉ nhận: %(types)s.")
            % {"types": kind.type_names}
        )
    if mime in IMAGE_TYPES:
        data = _reencoded_image(data, mime, refuse)
    elif mime == PDF:
        _check_pdf(data, refuse)
    extension = TYPES[mime][0]
    return CheckedUpload(
        content=ContentFile(data, name=stored_name(name, extension=extension)),
        mime=mime,
        extension=extension,
        original_name=name,
    )


def stored_name(name: str, *, extension: str, stem_default: str = "tep") -> str:
    """A stored name from the detected type: the uploader's name is kept only as metadata."""
    from campaign_portal.text import fold

    stem = slugify(fold(PurePosixPath(name).stem))[:60] or stem_default
    return f"{stem}.{extension}"


# ---------------------------------------------------------------- office files (zip)


def _check_zip(data: bytes, refuse) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > ZIP_MAX_ENTRIES:
                refuse(
                    _("tệp nén có quá nhiều thành phần (%(n)s; tối đa %(max)s).")
                    % {"n": len(entries), "max": ZIP_MAX_ENTRIES}
                )
            total = sum(e.file_size for e in entries)
            packed = sum(e.compress_size for e in entries)
            bomb = _("tệp giải nén ra quá lớn so với dung lượng tải lên (nghi “bom nén”); không được nhận.")
            if total > ZIP_MAX_TOTAL_BYTES:
                refuse(bomb)
            for entry in entries:
                if entry.flag_bits & 0x1:
                    refuse(_("tệp có mật khẩu không được nhận."))
                if entry.file_size >= ZIP_RATIO_FROM_ENTRY_BYTES and entry.file_size > ZIP_MAX_RATIO * max(
                    entry.compress_size, 1
                ):
                    refuse(bomb)
            if total >= ZIP_RATIO_FROM_TOTAL_BYTES and total > ZIP_MAX_RATIO * max(packed, 1):
                refuse(bomb)
            macro = _("tệp có macro (.docm, .xlsm, VBA) không được nhận. Hãy lưu lại dưới dạng .docx hoặc .xlsx.")
            names = [e.filename for e in entries]
            if any(PurePosixPath(n).name.lower() in ("vbaproject.bin", "vbadata.xml") for n in names):
                refuse(macro)
            content_types = archive.getinfo("[Content_Types].xml") if "[Content_Types].xml" in names else None
            if content_types is not None:
                if content_types.file_size > CONTENT_TYPES_MAX_BYTES:
                    refuse(bomb)
                declared = archive.read(content_types).lower()
                if b"macroenabled" in declared or b"vbaproject" in declared or b"ms-office.vba" in declared:
                    refuse(macro)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, NotImplementedError, EOFError):
        refuse(_("tệp hỏng hoặc không đọc được."))


# ---------------------------------------------------------------- images


def _reencoded_image(data: bytes, mime: str, refuse) -> bytes:
    """Decoded and saved afresh: EXIF, XMP, comments and anything after the image are gone."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    bomb = _("ảnh có kích thước điểm ảnh quá lớn (tối đa %(mp)s triệu điểm ảnh).") % {
        "mp": IMAGE_MAX_PIXELS // 1_000_000
    }
    broken = _("ảnh hỏng hoặc không đọc được.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.width * probe.height > IMAGE_MAX_PIXELS:
                    refuse(bomb)
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                upright = ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        refuse(bomb)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        refuse(broken)
    fmt = {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP"}[mime]
    if fmt == "JPEG" and upright.mode not in ("RGB", "L"):
        upright = upright.convert("RGB")
    elif fmt != "JPEG" and upright.mode not in ("RGB", "RGBA", "L", "LA", "P"):
        upright = upright.convert("RGBA")
    upright.info = {}  # nothing of the original's metadata travels to the new file
    out = io.BytesIO()
    options = {"quality": 90} if fmt in ("JPEG", "WEBP") else {"optimize": True}
    upright.save(out, format=fmt, **options)
    return out.getvalue()


# ---------------------------------------------------------------- PDF


def pdf_open(data: bytes):
    """A PDF opened with pikepdf (a context manager); raises pikepdf's errors as they come."""
    import pikepdf

    return pikepdf.open(io.BytesIO(data))


def _check_pdf(data: bytes, refuse) -> None:
    import pikepdf

    try:
        with pdf_open(data) as pdf:
            if pdf.is_encrypted:
                refuse(_("PDF có mật khẩu hoặc mã hóa không được nhận. Hãy gửi bản không mã hóa."))
            problem = pdf_active_content(pdf)
    except pikepdf.PasswordError:
        refuse(_("PDF có mật khẩu hoặc mã hóa không được nhận. Hãy gửi bản không mã hóa."))
    except (pikepdf.PdfError, ValueError, RecursionError):
        refuse(_("PDF hỏng hoặc không đọc được."))
    if problem == "embedded":
        refuse(_("PDF có tệp đính kèm bên trong không được nhận."))
    if problem:
        refuse(_("PDF có mã JavaScript hoặc hành động tự chạy không được nhận."))


def pdf_active_content(pdf) -> str:
    """ "embedded", "active" (JavaScript, launch and other actions) or "" — every object is read,
    direct dictionaries inside it too, so an action hidden in an annotation or page is found."""
    import pikepdf

    found = ""

    def walk(obj, depth: int = 0) -> None:
        nonlocal found
        if depth > 50:
            return
        if isinstance(obj, pikepdf.Dictionary) or isinstance(obj, pikepdf.Stream):
            keys = set(obj.keys())
            if (
                "/EmbeddedFiles" in keys
                or "/EmbeddedFile" in keys
                or obj.get("/Type") == "/EmbeddedFile"
                or obj.get("/Subtype") == "/FileAttachment"
            ):
                found = "embedded"
                return
            if keys & {"/JS", "/JavaScript", "/AA", "/Launch", "/XFA"} or str(obj.get("/S", "")) in PDF_ACTIVE_ACTIONS:
                found = found or "active"
            for key in keys:
                value = obj.get(key)
                if not getattr(value, "is_indirect", False):
                    walk(value, depth + 1)
        elif isinstance(obj, pikepdf.Array):
            for value in obj:
                if not getattr(value, "is_indirect", False):
                    walk(value, depth + 1)

    for obj in pdf.objects:
        if found == "embedded":
            break
        walk(obj)
    walk(pdf.trailer)
    return found
