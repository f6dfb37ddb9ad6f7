"""The sentence each kind of notification says, rendered in the reader's language
from the payload (data, not text): the same row reads in Vietnamese or English."""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from .enums import NotificationKind as K

SENTENCES = {
    K.REPORT_DUE_SOON: _("Báo cáo “%(title)s” của %(unit)s đến hạn nộp ngày %(due)s (còn %(days_left)s ngày)."),
    K.REPORT_DUE_TODAY: _("Hôm nay (%(due)s) là hạn nộp báo cáo “%(title)s” của %(unit)s."),
    K.REPORT_OVERDUE: _("Báo cáo “%(title)s” của %(unit)s đã quá hạn %(days_late)s ngày (hạn %(due)s), chưa nộp."),
    K.REPORT_RETURNED: _("Báo cáo “%(title)s” của %(unit)s đã bị trả lại để sửa. %(reason)s"),
    K.REPORT_CHILDREN_DIGEST: _(
        "%(unit)s: %(late)s đơn vị cấp dưới chưa nộp báo cáo quá hạn, %(pending)s báo cáo đang chờ duyệt."
    ),
    K.DIRECTIVE_ACKNOWLEDGE: _("Văn bản %(title)s gửi %(unit)s chưa được xác nhận đã nhận."),
    K.DIRECTIVE_DEADLINE: _("Văn bản %(title)s: %(unit)s cần thực hiện, báo cáo trước ngày %(due)s."),
    K.DIRECTIVE_ISSUED: _("Văn bản mới gửi %(unit)s: %(title)s."),
    K.CONTEST_DRAFT_DEADLINE: _("Bài dự thi “%(title)s” vẫn là bản nháp; hạn nộp bài là %(due)s."),
    K.CONTEST_RESULTS: _("Cuộc thi “%(title)s” đã công bố kết quả."),
    K.JUDGE_SCORES_PENDING: _("Bạn còn %(count)s bài chưa chấm ở “%(title)s”; hạn chấm là %(due)s."),
    K.REPORT_REMINDER: _("%(by_unit)s đôn đốc %(unit)s nộp báo cáo “%(title)s” (hạn %(due)s)."),
    K.DIRECTIVE_REMINDER: _("%(by_unit)s đôn đốc %(unit)s thực hiện văn bản %(title)s (hạn %(due)s)."),
    K.DIRECTIVE_ASSIGNED: _("%(by)s giao bạn xử lý văn bản %(title)s gửi %(unit)s (hạn %(due)s)."),
}


class _Defaults(dict):
    def __missing__(self, key):
        return ""


def _display(value):
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    return value


def describe(*, kind: str, payload: dict) -> str:
    """One sentence in the active language; unknown kinds fall back to the payload title."""
    sentence = SENTENCES.get(kind)
    values = _Defaults({key: _display(value) for key, value in (payload or {}).items()})
    if sentence is None:
        return str(values["title"])
    return (str(sentence) % values).strip()
