from django.db import models
from django.utils.translation import gettext_lazy as _


class CredentialKind(models.TextChoices):
    PKCS12 = "pkcs12", _("Tệp PKCS#12 (lưu mã hóa)")
    PKCS11 = "pkcs11", _("Thiết bị PKCS#11 (HSM, token) theo cấu hình môi trường")


class SignedFileKind(models.TextChoices):
    """Every official PDF the portal issues and signs."""

    DIRECTIVE = "directive", _("Văn bản chỉ đạo")
    REPORT = "report", _("Báo cáo gửi cấp trên")
    AWARD_DECISION = "award_decision", _("Quyết định khen thưởng")
    ROUND_RESULTS = "round_results", _("Kết quả vòng thi")
    CERTIFICATE = "certificate", _("Giấy chứng nhận")
    RECEIPT = "receipt", _("Giấy biên nhận bài dự thi")
