from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from campaign_portal.forms import CleanTextMixin

from .enums import NotificationKind


class PreferenceForm(CleanTextMixin, forms.Form):
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

    @classmethod
    def initial_for(cls, preference) -> dict:
        return {
            "email_kinds": [k for k in NotificationKind.values if preference.wants_email(k)],
            "digest_hour": preference.digest_hour,
            "language": preference.language,
        }

    def disabled_kinds(self) -> list[str]:
        chosen = set(self.cleaned_data["email_kinds"])
        return [k for k in NotificationKind.values if k not in chosen]
