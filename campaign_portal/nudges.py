"""What a head's one-tap reminder ("Đôn đốc") answers, shared by the apps that remind (directives, reporting)."""

from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True, slots=True)
class NudgeResult:
    reminded: int  # units reminded now
    skipped: int  # units already reminded today (at most one reminder per unit, subject and day)

    @property
    def message(self) -> str:
        if self.skipped and not self.reminded:
            return _("Không đôn đốc thêm đơn vị nào: %(skipped)s đơn vị đã được đôn đốc hôm nay.") % {
                "skipped": self.skipped
            }
        if self.skipped:
            return _("Đã đôn đốc %(reminded)s đơn vị; %(skipped)s đơn vị đã được đôn đốc hôm nay.") % {
                "reminded": self.reminded,
                "skipped": self.skipped,
            }
        return _("Đã đôn đốc %(reminded)s đơn vị.") % {"reminded": self.reminded}
