"""Uploaded files are judged by their content (filetype), never by their name or the browser's word."""

import filetype

ZIP_BASED = {"docx", "xlsx", "pptx", "odt", "ods", "zip"}


def detected_mime(upload) -> str:
    """The MIME type the content shows, or "" when unknown. Leaves the file at position 0.

    filetype tells a DOCX/XLSX from a plain zip only by looking past the first
    kilobytes, so zip-based files are read whole (uploads are size-limited first)."""
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is not None and kind.extension in ZIP_BASED:
        kind = filetype.guess(upload.read())
        upload.seek(0)
    return kind.mime if kind else ""
