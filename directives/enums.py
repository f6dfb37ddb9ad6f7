from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# The Decree 30 document types and their number-symbol parts: one source, shared by every app that prints.
from organizations.documents import TYPE_ABBREVIATION, TYPE_HEADING, DocumentType  # noqa: F401


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("document status", "Dự thảo")
    # Numbered, its PDF offered to the signer; issued once her signed file is checked and sealed.
    AWAITING_SIGNATURE = "to_sign", pgettext_lazy("document status", "Chờ ký số")
    ISSUED = "issued", pgettext_lazy("document status", "Đã ban hành")


class AddresseeMode(models.TextChoices):
    UNITS = "units", _("Các đơn vị được chọn")
    CHILDREN_OF_KIND = "children_of_kind", _("Tất cả đơn vị trực thuộc thuộc loại")
    SUBTREE = "subtree", _("Toàn bộ hệ thống dưới một đơn vị")
    AREA = "area", _("Mọi công đoàn cơ sở trên địa bàn một phường, xã")


class LinkKind(models.TextChoices):
    IMPLEMENTS = "implements", _("Thực hiện")
    AMENDS = "amends", _("Sửa đổi, bổ sung")
    REPLACES = "replaces", _("Thay thế")


class DeliveryOutcome(models.TextChoices):
    PENDING = "pending", pgettext_lazy("delivery outcome", "Chưa thực hiện")
    DONE = "done", pgettext_lazy("delivery outcome", "Đã thực hiện")
    BY_DOCUMENT = "by_document", pgettext_lazy("delivery outcome", "Đã ban hành văn bản triển khai")
    NOT_APPLICABLE = "not_applicable", pgettext_lazy("delivery outcome", "Không áp dụng")


IMPLEMENTED_OUTCOMES = (DeliveryOutcome.DONE, DeliveryOutcome.BY_DOCUMENT, DeliveryOutcome.NOT_APPLICABLE)

# The one place that says which moves a workflow allows; the movers in services.py refuse every other.
# A draft is issued once, directly or through the signer's own signature (numbered, then signed); an issued
# document never goes back (it is amended or replaced by another).
DOCUMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    DocumentStatus.DRAFT: frozenset({DocumentStatus.ISSUED, DocumentStatus.AWAITING_SIGNATURE}),
    DocumentStatus.AWAITING_SIGNATURE: frozenset({DocumentStatus.ISSUED}),
    DocumentStatus.ISSUED: frozenset(),
}
# A delivery's outcome: pending until the unit reports it done, not applicable, or implemented by its own
# document; then final. Reading and acknowledging are steps along the way (set once, never undone).
DELIVERY_TRANSITIONS: dict[str, frozenset[str]] = {
    DeliveryOutcome.PENDING: frozenset(IMPLEMENTED_OUTCOMES),
    DeliveryOutcome.DONE: frozenset(),
    DeliveryOutcome.BY_DOCUMENT: frozenset(),
    DeliveryOutcome.NOT_APPLICABLE: frozenset(),
}


class RegisterEntryKind(models.TextChoices):
    """What a number of the outgoing register (sổ văn bản đi) was given to: every app that sends a document
    numbers it in the sending unit's one register."""

    DIRECTIVE = "directive", _("Văn bản chỉ đạo")
    REPORT = "report", _("Báo cáo gửi cấp trên")
    AWARD_DECISION = "award_decision", _("Quyết định khen thưởng cuộc thi")
    ROUND_RESULTS = "round_results", _("Biên bản kết quả chấm")
    CONTEST_RECEIPT = "contest_receipt", _("Giấy biên nhận bài dự thi")
