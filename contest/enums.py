from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EntrantKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Cá nhân")
    TEAM = "team", _("Nhóm tác giả")
    ORGANISATION = "organisation", _("Cơ quan, tổ chức, doanh nghiệp")


# Plan 34, section II: who may enter.
class Eligibility(models.TextChoices):
    CITIZEN = "citizen", _("Công dân Việt Nam sinh sống và làm việc trên địa bàn Hà Nội")
    ORGANISATION = "organisation", _("Cơ quan, tổ chức, doanh nghiệp trên địa bàn Hà Nội")
    OFFICIAL = "official", _("Cán bộ, công chức, viên chức, người lao động tại cơ quan hành chính nhà nước TP Hà Nội")


class EntryStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("entry status", "Bản nháp")
    RECEIVED = "received", pgettext_lazy("entry status", "Đã nhận")
    ELIGIBLE = "eligible", pgettext_lazy("entry status", "Hợp lệ")
    REJECTED = "rejected", pgettext_lazy("entry status", "Không hợp lệ")
    IN_JUDGING = "in_judging", pgettext_lazy("entry status", "Đang chấm")
    JUDGED = "judged", pgettext_lazy("entry status", "Đã chấm sơ khảo")
    ADVANCED = "advanced", pgettext_lazy("entry status", "Vào chung khảo")
    PRIZE = "prize", pgettext_lazy("entry status", "Đạt giải")


SUBMITTED_STATUSES = [s for s in EntryStatus.values if s != EntryStatus.DRAFT]
JUDGEABLE_STATUSES = [EntryStatus.ELIGIBLE, EntryStatus.IN_JUDGING]
# The secretariat checks eligibility of these (and may change its mind until judging starts).
ELIGIBILITY_STATUSES = [EntryStatus.RECEIVED, EntryStatus.ELIGIBLE, EntryStatus.REJECTED]
# Advancing to the final sorts these into finalists and the rest.
RANKED_STATUSES = [EntryStatus.IN_JUDGING, EntryStatus.JUDGED, EntryStatus.ADVANCED]
FINALIST_STATUSES = [EntryStatus.ADVANCED, EntryStatus.PRIZE]

# Every move an entry may make; contest.states.entry_set_state refuses any other.
ENTRY_TRANSITIONS: dict[str, set[str]] = {
    EntryStatus.DRAFT: {EntryStatus.RECEIVED},  # submission
    EntryStatus.RECEIVED: {EntryStatus.ELIGIBLE, EntryStatus.REJECTED},  # eligibility check
    EntryStatus.ELIGIBLE: {EntryStatus.REJECTED, EntryStatus.IN_JUDGING},  # second thoughts; first judge assigned
    # Second thoughts; or the entrant mends a rejected entry and it is received again.
    EntryStatus.REJECTED: {EntryStatus.ELIGIBLE, EntryStatus.RECEIVED},
    EntryStatus.IN_JUDGING: {EntryStatus.JUDGED, EntryStatus.ADVANCED},  # the choice of finalists
    EntryStatus.JUDGED: {EntryStatus.ADVANCED},  # the finalists chosen again
    EntryStatus.ADVANCED: {EntryStatus.JUDGED, EntryStatus.PRIZE},  # chosen again; results published
    EntryStatus.PRIZE: set(),
}
# The entrant's own moves; every other move is the organisers'.
ENTRANT_ENTRY_MOVES = {(EntryStatus.DRAFT, EntryStatus.RECEIVED), (EntryStatus.REJECTED, EntryStatus.RECEIVED)}


class RoundKind(models.TextChoices):
    PRELIMINARY = "preliminary", _("Sơ khảo")
    FINAL = "final", _("Chung khảo")


# The order rounds are held in (and listed in, everywhere): Sơ khảo before Chung khảo.
ROUND_SEQUENCE = {RoundKind.PRELIMINARY: 1, RoundKind.FINAL: 2}


class RoundState(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("round state", "Chưa mở")
    OPEN = "open", pgettext_lazy("round state", "Đang mở")
    CLOSED = "closed", pgettext_lazy("round state", "Đã đóng")


# Every move a round may make; a closed round may be reopened (the dashboard's "Mở chấm"), never planned again.
ROUND_TRANSITIONS: dict[str, set[str]] = {
    RoundState.PLANNED: {RoundState.OPEN},
    RoundState.OPEN: {RoundState.CLOSED},
    RoundState.CLOSED: {RoundState.OPEN},
}


class StaffRole(models.TextChoices):
    ORGANISER = "organiser", _("Ban tổ chức")
    SECRETARY = "secretary", _("Tổ thư ký")
    JUDGE = "judge", _("Giám khảo")


MANAGING_ROLES = {StaffRole.ORGANISER, StaffRole.SECRETARY}


class AssignmentState(models.TextChoices):
    ASSIGNED = "assigned", pgettext_lazy("assignment", "Chưa chấm")
    # One wording for the saved states, on every page and message: saved (a draft) or submitted.
    DRAFT = "draft", pgettext_lazy("assignment", "Đã lưu điểm")
    SUBMITTED = "submitted", pgettext_lazy("assignment", "Đã nộp điểm")
    WITHDRAWN = "withdrawn", pgettext_lazy("assignment", "Đã rút (xung đột/chuyển)")


ACTIVE_ASSIGNMENT_STATES = [AssignmentState.ASSIGNED, AssignmentState.DRAFT, AssignmentState.SUBMITTED]


class PrizeGroup(models.TextChoices):
    INDIVIDUAL = "individual", _("Cá nhân")
    GROUP = "group", _("Tập thể (nhóm, tổ chức)")


# The fields plan 34 lists, plus the one-stop shop and "other"; a contest copies them.
DEFAULT_FIELDS = [
    ("dat-dai", "Đất đai"),
    ("dau-tu", "Đầu tư"),
    ("dang-ky-kinh-doanh", "Đăng ký kinh doanh"),
    ("xay-dung", "Xây dựng"),
    ("ho-tich", "Hộ tịch"),
    ("ho-khau", "Hộ khẩu"),
    ("cong-chung", "Công chứng"),
    ("xu-phat-vphc", "Xử phạt vi phạm hành chính"),
    ("khieu-nai-to-cao", "Khiếu nại, tố cáo"),
    ("mot-cua", "Một cửa, một cửa liên thông"),
    ("khac", "Lĩnh vực khác"),
]
