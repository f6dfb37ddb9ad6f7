import io
import unicodedata

import pytest

from campaign_portal.exceptions import PortalError
from contest.validators import check_vietnamese

ACCENTED = "Rút ngắn thời gian giải quyết hồ sơ đất đai tại bộ phận một cửa của huyện"
UNACCENTED = "Rut ngan thoi gian giai quyet ho so dat dai tai bo phan mot cua cua huyen"
ENGLISH = "Shorten the time needed to process land records at the one stop desk"
MIXED = "Rut ngan thoi gian giai quyet ho so dat dai tai bo phan mot cua huyện"


def test_check_vietnamese_accepts_accented():
    assert check_vietnamese(ACCENTED, label="Giải pháp") == ACCENTED


def test_check_vietnamese_refuses_unaccented_with_message():
    with pytest.raises(PortalError) as error:
        check_vietnamese(UNACCENTED, label="Giải pháp")
    assert "tiếng Việt có dấu" in str(error.value)
    assert "Giải pháp" in str(error.value)


def test_check_vietnamese_refuses_english():
    with pytest.raises(PortalError):
        check_vietnamese(ENGLISH, label="Giải pháp")


def test_check_vietnamese_refuses_mostly_unaccented_mixed():
    with pytest.raises(PortalError):
        check_vietnamese(MIXED, label="Giải pháp")


def test_check_vietnamese_accepts_nfd_and_returns_nfc():
    nfd = unicodedata.normalize("NFD", ACCENTED)
    assert nfd != ACCENTED
    result = check_vietnamese(nfd, label="Giải pháp")
    assert result == ACCENTED
    assert unicodedata.is_normalized("NFC", result)


def test_check_vietnamese_ignores_two_word_values():
    assert check_vietnamese("Mot cua", label="Tên") == "Mot cua"


def pdf_bytes() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Author": "Nguyễn Văn Sáng", "/Title": "Bài của Nguyễn Văn Sáng"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
