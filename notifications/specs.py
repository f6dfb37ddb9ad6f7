"""What a reminder provider (`<app>/reminders.py`, registered in the app's ready()) yields, and what
an app passes to `services.notify_many`: the idempotency key and what the e-mail needs."""

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class ReminderSpec:
    recipient_id: int
    kind: str
    subject_model: str  # "app_label.modelname", e.g. "reporting.report"
    subject_id: int
    window: str  # e.g. "2019-09-20:before", "2019-09-20:after+8"
    payload: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def key(self) -> tuple:
        return (self.recipient_id, self.kind, self.subject_model, self.subject_id, self.window)


def url_or(name: str, args: list, default: str) -> str:
    """A URL for links in reminders; apps still being built may not have the view yet."""
    from django.urls import reverse

    try:
        return reverse(name, args=args)
    except Exception:  # NoReverseMatch, or a URLconf that does not import yet
        return default


def shorten(text: str, limit: int = 120) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
