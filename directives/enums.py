from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DocumentType(models.TextChoices):
    KE_HOACH = "KH", _("Kế hoạch")
    HUONG_DAN = "HD", _("Hướng dẫn")
    CONG_VAN = "CV", _("Công văn")
    THONG_BAO = "TB", _("Thông báo")
    QUYET_DINH = "QĐ", _("Quyết định")
    BAO_CAO = "BC", _("Báo cáo")


# The type part of the number symbol (Điều 15, Nghị định 30/2020): a công văn has none.
TYPE_ABBREVIATION = {
    DocumentType.KE_HOACH: "KH",
    DocumentType.HUONG_DAN: "HD",
    DocumentType.CONG_VAN: "",
    DocumentType.THONG_BAO: "TB",
    DocumentType.QUYET_DINH: "QĐ",
    DocumentType.BAO_CAO: "BC",
}
# The type line printed on the document (none for a công văn).
TYPE_HEADING = {
    DocumentType.KE_HOACH: "KẾ HOẠCH",
    DocumentType.HUONG_DAN: "HƯỚNG DẪN",
    DocumentType.CONG_VAN: "",
    DocumentType.THONG_BAO: "THÔNG BÁO",
    DocumentType.QUYET_DINH: "QUYẾT ĐỊNH",
    DocumentType.BAO_CAO: "BÁO CÁO",
}


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("document status", "Dự thảo")
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
