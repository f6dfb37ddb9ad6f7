from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from campaign_portal.forms import CleanTextMixin
from campaign_portal.phones import MobilePhoneFormMixin

from .channels import channels_enabled
from .enums import Channel, NotificationKind


class PreferenceForm(MobilePhoneFormMixin, CleanTextMixin, forms.Form):
    channels = forms.MultipleChoiceField(
        label=_("Nhận thông báo qua"),
        choices=Channel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Việc gấp (báo cáo bị trả lại, hạn hôm nay, cấp trên đôn đốc) gửi ngay; việc khác gom mỗi ngày một tin."
        ),
    )
    phone = forms.CharField(
        label=_("Số điện thoại di động (nhận Zalo, SMS)"),
        max_length=30,
        required=False,
        help_text=_("Ví dụ 0912 345 678."),
    )
    email_kinds = forms.MultipleChoiceField(
        label=_("Nhận qua e-mail các loại thông báo"),
        choices=NotificationKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Loại không chọn vẫn hiện trong danh sách thông báo trên cổng."),
    )
    digest_hour = forms.TypedChoiceField(
        label=_("Giờ nhận thư tổng hợp hằng ngày (giờ Việt Nam)"),
        choices=[(h, f"{h:02d}:00") for h in range(24)],
        coerce=int,
        help_text=_("Mỗi ngày nhiều nhất một thư, gom mọi nhắc nhở đến hạn."),
    )
    language = forms.ChoiceField(
        label=_("Ngôn ngữ thư"),
        choices=[("", _("Theo ngôn ngữ của tài khoản"))] + list(settings.LANGUAGES),
        required=False,
    )

    field_order = ["channels", "phone", "email_kinds", "digest_hour", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the channels whose settings are set are shown; the phone only when one of them needs it.
        self.enabled = channels_enabled()
        self.fields["channels"].choices = [(c, label) for c, label in Channel.choices if c in self.enabled]
        if self.enabled == [Channel.EMAIL]:
            del self.fields["phone"]

    def clean(self):
        cleaned = super().clean()
        needs_phone = set(cleaned.get("channels") or []) & {Channel.ZALO, Channel.SMS}
        if needs_phone and "phone" in self.fields and not cleaned.get("phone") and "phone" not in self.errors:
            self.add_error("phone", _("Cần số điện thoại di động để nhận Zalo hoặc SMS."))
        return cleaned

    def chosen_channels(self, *, before: list[str]) -> list[str]:
        """What was ticked, plus earlier choices of channels now off (kept for when they are on again)."""
        kept = [c for c in before if c not in self.enabled]
        return [c for c in Channel.values if c in set(self.cleaned_data["channels"]) | set(kept)]

    @classmethod
    def initial_for(cls, preference) -> dict:
        return {
            "channels": list(preference.channels or []),
            "phone": preference.user.phone,
            "email_kinds": [k for k in NotificationKind.values if preference.wants_email(k)],
            "digest_hour": preference.digest_hour,
            "language": preference.language,
        }

    def disabled_kinds(self) -> list[str]:
        chosen = set(self.cleaned_data["email_kinds"])
        return [k for k in NotificationKind.values if k not in chosen]
