import datetime as dt

import pytest

from campaign_portal.calendar import HANOI
from directives.enums import AddresseeMode, DocumentType
from directives.services import DraftData, document_create, document_issue


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    """A moment of a day in Hanoi, for services that take `now`."""
    return dt.datetime.combine(day, dt.time(hour), tzinfo=HANOI)


def draft_data(**overrides) -> DraftData:
    values = dict(
        doc_type=DocumentType.KE_HOACH,
        place="Hà Nội",
        issued_on=dt.date(2019, 1, 29),
        subject="Thông tin, tuyên truyền về kiểm soát thủ tục hành chính năm 2019",
        body="I. MỤC ĐÍCH\n- Tuyên truyền.",
        signer_position="CHỦ TỊCH",
        signer_name="Nguyễn Văn A",
        addressee_mode=AddresseeMode.SUBTREE,
        tasks=[("Báo cáo kết quả", dt.date(2019, 9, 30))],
    )
    values.update(overrides)
    return DraftData(**values)


@pytest.fixture
def make_document():
    def _make(*, unit, by, issue=False, **overrides):
        document = document_create(issuing_unit=unit, by=by, data=draft_data(**overrides))
        if issue:  # issued on the day it is dated, as it happened (a draft of another year would be re-dated)
            document = document_issue(document=document, by=by, now=at(document.issued_on))
        return document

    return _make
