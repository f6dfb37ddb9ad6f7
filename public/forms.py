import random
import uuid

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from campaign_portal.fields import NumberField
from campaign_portal.forms import CleanTextMixin
from campaign_portal.uploads import IMAGE, PUBLIC_ATTACHMENT, upload_field
from organizations.models import Unit
from organizations.widgets import UnitPickerWidget

from .enums import FeedbackKind, FeedbackTopic, ReformArea

CHALLENGE_SALT = "public.feedback.challenge"
CHALLENGE_MAX_AGE = 2 * 60 * 60
NUMBER_WORDS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín", "mười"]


def new_challenge_token() -> str:
    """A signed, stateless challenge; its nonce is also the form's idempotency key."""
    a, b = random.randint(1, 9), random.randint(1, 9)
    return signing.dumps({"a": a, "b": b, "n": uuid.uuid4().hex}, salt=CHALLENGE_SALT, compress=True)


def read_challenge(token: str) -> dict | None:
    try:
        return signing.loads(token, salt=CHALLENGE_SALT, max_age=CHALLENGE_MAX_AGE)
    except signing.BadSignature:
        return None


def challenge_question(token: str) -> str:
    data = read_challenge(token) or {"a": 0, "b": 0}
    return _("%(a)s cộng %(b)s bằng mấy? (viết bằng số)") % {
        "a": NUMBER_WORDS[data["a"]],
        "b": NUMBER_WORDS[data["b"]],
    }


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class FeedbackForm(CleanTextMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Loại"), choices=FeedbackKind.choices, widget=forms.RadioSelect, initial=FeedbackKind.REPORT
    )
    topic = forms.ChoiceField(label=_("Lĩnh vực thủ tục hành chính"), choices=[("", "—")] + FeedbackTopic.choices)
    unit = UnitChoiceField(
        label=_("Đơn vị liên quan"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("— Không rõ: chuyển LĐLĐ Thành phố —"),
    )
    title = forms.CharField(label=_("Tiêu đề"), max_length=200)
    text = forms.CharField(
        label=_("Nội dung phản ánh, kiến nghị"),
        max_length=5000,
        min_length=20,
        widget=forms.Textarea(attrs={"rows": 7}),
    )
    attachment = upload_field(PUBLIC_ATTACHMENT, label=_("Tệp đính kèm (không bắt buộc)"), required=False)
    name = forms.CharField(label=_("Họ và tên"), max_length=120)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.RegexField(
        label=_("Điện thoại"),
        required=False,
        max_length=30,
        regex=r"^[0-9+ ().-]{8,30}$",
        error_messages={"invalid": _("Số điện thoại chỉ gồm chữ số, dấu cách, + - . ( ).")},
    )
    consent_publish = forms.BooleanField(
        label=_("Tôi đồng ý công khai nội dung phản ánh và câu trả lời (không công khai họ tên, liên hệ)"),
        required=False,
    )
    # A field people never see: bots fill it in.
    website = forms.CharField(
        label=_("Để trống ô này"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    challenge_answer = NumberField(label=_("Câu hỏi kiểm tra"), min_value=0, max_value=99)
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .selectors import feedback_unit_choices

        self.fields["unit"].queryset = feedback_unit_choices()
        token = self.data.get("token") if self.is_bound else self.initial.get("token")
        if not token or read_challenge(token) is None:
            token = new_challenge_token()
            self.fresh_token = token
            if self.is_bound:
                data = self.data.copy()
                data["token"] = token
                self.data = data
        else:
            self.fresh_token = None
        self.initial["token"] = token
        # The question is the label (above the box, read by screen readers), not a hint under it.
        self.fields["challenge_answer"].label = _("Câu hỏi kiểm tra: %(question)s") % {
            "question": challenge_question(token)
        }

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("Biểu mẫu không hợp lệ."))
        return ""

    def clean(self):
        cleaned = super().clean()
        if self.fresh_token and self.is_bound:
            self.add_error("challenge_answer", _("Phiên điền biểu mẫu đã hết hạn: hãy trả lời câu hỏi kiểm tra mới."))
            return cleaned
        data = read_challenge(cleaned.get("token") or "")
        answer = cleaned.get("challenge_answer")
        if data and answer is not None and answer != data["a"] + data["b"]:
            self.add_error("challenge_answer", _("Câu trả lời kiểm tra chưa đúng."))
        if not cleaned.get("email") and not cleaned.get("phone") and "email" not in self.errors:
            self.add_error("email", _("Hãy để lại e-mail hoặc số điện thoại để đơn vị trả lời bạn."))
        return cleaned

    @property
    def submission_key(self) -> str:
        return (read_challenge(self.cleaned_data["token"]) or {})["n"]


class TrackingForm(CleanTextMixin, forms.Form):
    code_fields = ()  # a look-up, not stored: "PA12 3456" is read without its spaces below
    code = forms.CharField(
        label=_("Mã tra cứu"),
        max_length=12,
        min_length=6,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper().replace(" ", "")


class NewsForm(CleanTextMixin, forms.Form):
    unit = UnitChoiceField(
        label=_("Đơn vị"), queryset=Unit.objects.none(), widget=UnitPickerWidget(scope="news_units", value_field="pk")
    )
    title = forms.CharField(label=_("Tiêu đề"), max_length=255)
    summary = forms.CharField(label=_("Tóm tắt"), max_length=600, widget=forms.Textarea(attrs={"rows": 3}))
    body = forms.CharField(
        label=_("Nội dung"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "Văn bản thường (cách đoạn bằng một dòng trống) hoặc HTML đơn giản: p, strong, em, ul, ol, "
            "li, h2, h3, a, img (chỉ ảnh đã tải lên tin này). Mã độc bị loại bỏ khi lưu."
        ),
    )
    tags = forms.MultipleChoiceField(
        label=_("Lĩnh vực cải cách"), choices=ReformArea.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    source = forms.CharField(label=_("Nguồn (nếu đăng lại)"), max_length=255, required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()


class NewsImageForm(CleanTextMixin, forms.Form):
    file = upload_field(IMAGE, label=_("Ảnh"))
    alt = forms.CharField(label=_("Mô tả ảnh"), max_length=255)
    caption = forms.CharField(label=_("Chú thích"), max_length=255, required=False)


class NoteForm(CleanTextMixin, forms.Form):
    note = forms.CharField(label=_("Ý kiến"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class FeedbackAnswerForm(CleanTextMixin, forms.Form):
    answer = forms.CharField(label=_("Nội dung trả lời"), widget=forms.Textarea(attrs={"rows": 8}))
    publish = forms.BooleanField(label=_("Công khai câu hỏi và câu trả lời trên cổng"), required=False)


class FeedbackDeclineForm(CleanTextMixin, forms.Form):
    reason = forms.CharField(label=_("Lý do không thụ lý"), widget=forms.Textarea(attrs={"rows": 3}))
