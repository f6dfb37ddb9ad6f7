"""Test PDFs: a plain one-page PDF, signed with pyHanko directly over certificates from signatures.pki."""

import datetime as dt
import io

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from signatures import pki

BODY_TEXT = b"Noi dung van ban chinh thuc"


def plain_pdf(*, padding_bytes: int = 0, text: bytes = BODY_TEXT) -> bytes:
    """One A4 page with a line of text; `padding_bytes` of incompressible data make a large file."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    content = DecodedStreamObject()
    content.set_data(b"BT /F1 12 Tf 72 760 Td (" + text + b") Tj ET")
    page[NameObject("/Contents")] = writer._add_object(content)
    if padding_bytes:
        # Random bytes in an unused stream: a big file whose size pyHanko really has to hash.
        import random

        filler = DecodedStreamObject()
        filler.set_data(random.Random(7).randbytes(padding_bytes))
        writer._root_object[NameObject("/TestPadding")] = writer._add_object(filler)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted_pdf() -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(plain_pdf()))
    writer.encrypt(user_password="mat-khau", owner_password="chu-so-huu", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def sign(data: bytes, *, signer: pki.Issued, chain: list, field_name: str = "ChuKy1") -> bytes:
    """Adds one signature (a new field, an incremental update) with pyHanko's SimpleSigner."""
    pkcs12 = pki.pkcs12_bytes(signer.key, signer.certificate, [issued.certificate for issued in chain], b"pw")
    simple_signer = signers.SimpleSigner.load_pkcs12_data(pkcs12, other_certs=[], passphrase=b"pw")
    out = signers.sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(data), strict=False),
        signers.PdfSignatureMetadata(field_name=field_name),
        signer=simple_signer,
    )
    return out.getvalue()


def flip_byte_in_text(data: bytes) -> bytes:
    """One byte of the page's text changed, inside the signed range."""
    position = data.index(BODY_TEXT)
    return data[:position] + b"X" + data[position + 1 :]


def days_ago(days: int) -> dt.datetime:
    return dt.datetime.now(dt.UTC) - dt.timedelta(days=days)


def record_issued(data: bytes, *, unit, number_symbol: str, issued_on: dt.date, code: str, title: str = ""):
    """The portal's record of a PDF it issued, written by the real service: `data` is taken as the signer's
    signed PDF (the two-step path), stored as the service stores it (and signed again by the organisation when
    the unit has a usable credential)."""
    from signatures.enums import SignedFileKind
    from signatures.services import signed_file_issue

    return signed_file_issue(
        kind=SignedFileKind.DIRECTIVE,
        subject_key="directives.document:1",
        issuer_unit=unit,
        number_symbol=number_symbol,
        issued_on=issued_on,
        title=title or "Kế hoạch tuyên truyền cải cách hành chính năm 2026",
        signer_pdf=data,
        signer_signature={"signer": "Nguyễn Thị Hà", "organisation": unit.name, "signed_at": "", "kind": "person"},
        verification_code=code,
        by=None,
    )
