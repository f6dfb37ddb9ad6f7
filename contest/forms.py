from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from campaign_portal.fields import CleanCharField, NumberField
from campaign_portal.forms import CleanTextMixin, NumberBoundsMixin
from campaign_portal.numbers import format_number
from campaign_portal.uploads import SCAN
from organizations.forms import AreaChoiceField
from organizations.models import AdministrativeArea

from .enums import Eligibility, EntrantKind, EntryStatus
from .models import TEXT_FIELDS, Entry, Score


class EntryLookupForm(CleanTextMixin, forms.Form):
    code = forms.CharField(label=_("Mã bài dự thi"), max_length=30, help_text=_("Ví dụ: CT2026-0012"))
    contact = forms.CharField(
        label=_("E-mail hoặc số điện thoại đã dùng khi đăng ký dự thi"),
        max_length=254,
        help_text=_("Để người khác không tra cứu được bài của bạn chỉ bằng mã bài."),
    )


class EntrantFieldsForm(CleanTextMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Hình thức dự thi"), choices=EntrantKind.choices)
    display_name = forms.CharField(
        label=_("Tên tác giả, nhóm hoặc tổ chức (để trống: dùng họ tên)"), max_length=300, required=False
    )
    # Only for a team entry: ignored otherwise (team_list), hidden by contest/entrant-kind.js, and the help text
    # says so where scripts do not run.
    team_members = forms.CharField(
        label=_("Thành viên nhóm (mỗi người một dòng)"),
        required=False,
        help_text=_("Chỉ điền khi dự thi theo hình thức “Nhóm tác giả”."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    organisation = forms.CharField(
        label=_("Cơ quan, đơn vị công tác hoặc tổ chức dự thi"), max_length=300, required=False
    )
    area = AreaChoiceField(
        label=_("Phường, xã"),
        queryset=AdministrativeArea.objects.filter(valid_to__isnull=True).order_by("sort_key", "code"),
        required=False,
        empty_label=_("— Chọn phường, xã —"),
        error_messages={"invalid_choice": _("Hãy chọn một phường, xã trong danh sách.")},
    )
    phone = forms.CharField(label=_("Điện thoại"), max_length=30, required=False)
    eligibility = forms.ChoiceField(label=_("Đối tượng dự thi"), choices=Eligibility.choices, widget=forms.RadioSelect)
    declare = forms.BooleanField(
        label=_("Tôi cam đoan thuộc đối tượng dự thi đã chọn và bài dự thi là của tôi/chúng tôi.")
    )

    def team_list(self) -> list[str]:
        if self.cleaned_data.get("kind") != EntrantKind.TEAM:
            return []  # typed before switching to another kind: not a team, no members
        return [line for line in self.cleaned_data.get("team_members", "").splitlines() if line.strip()]

    def entrant_data(self) -> dict:
        """The entrant's fields as entrant_register and entrant_join take them."""
        data = self.cleaned_data
        fields = ("kind", "display_name", "organisation", "area", "phone", "eligibility")
        return {**{name: data[name] for name in fields}, "team_members": self.team_list()}


class RegisterForm(EntrantFieldsForm):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=200)
    email = forms.EmailField(label=_("E-mail"))
    password1 = forms.CharField(label=_("Mật khẩu"), widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("Nhập lại mật khẩu"), widget=forms.PasswordInput)
    field_order = [
        "full_name",
        "email",
        "password1",
        "password2",
        "kind",
        "display_name",
        "team_members",
        "organisation",
        "area",
        "phone",
        "eligibility",
        "declare",
    ]

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("Hai mật khẩu không khớp."))
        elif data.get("password1"):
            try:
                validate_password(data["password1"])
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class EntryForm(CleanTextMixin, forms.ModelForm):
    field = forms.ChoiceField(label=_("Lĩnh vực"), required=False)
    remove_scan = forms.BooleanField(label=_("Xóa tệp đã tải lên"), required=False)

    class Meta:
        model = Entry
        fields = [
            "title",
            "field",
            "procedure",
            "problem",
            "solution",
            "benefits",
            "feasibility",
            "scan",
            "hall_of_fame_consent",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 5}) for name in ["problem", "solution", "benefits", "feasibility"]
        }

    def __init__(self, *args, contest, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", "—")] + [tuple(f) for f in contest.fields]
        self.fields["scan"].widget = forms.ClearableFileInput(attrs={"accept": SCAN.accept})
        self.fields["scan"].help_text = _("%(types)s; thay cho phần viết nếu bài viết tay.") % {
            "types": SCAN.help_text(contest.max_upload_bytes)
        }
        self.fields["scan"].widget.clear_checkbox_label = ""
        for name in ["title", "procedure", "problem", "solution", "benefits", "feasibility"]:
            self.fields[name].widget.attrs["lang"] = "vi"

    def has_refused_text(self) -> bool:
        """A control character or TCVN3/VNI text: refused at the field (with its suggestion), not saved."""
        return any(self.has_error(name, code) for name in TEXT_FIELDS for code in CleanCharField.REFUSAL_CODES)

    def entry_data(self) -> dict:
        """What was typed, cleaned where the field could clean it: a draft is saved even with a required
        field empty or a value its field refuses, so nothing typed is lost."""
        cleaned = getattr(self, "cleaned_data", {})
        data = {name: cleaned.get(name, self.data.get(name, "")) for name in (*TEXT_FIELDS, "field")}
        data["hall_of_fame_consent"] = self.data.get("hall_of_fame_consent") in ("on", "true", "1")
        return data


class EntryAutosaveForm(forms.Form):
    """The htmx autosave of a draft: the page's draft key and whichever fields the page sent."""

    draft_key = forms.UUIDField()

    def autosave_data(self) -> dict:
        # Raw, as typed: the autosave stores drafts without judging them (services.entry_autosave).
        return {name: self.data[name] for name in (*TEXT_FIELDS, "field") if name in self.data}


class EligibilityForm(CleanTextMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Kết luận"),
        choices=[("eligible", _("Hợp lệ")), ("rejected", _("Không hợp lệ"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Lý do (thí sinh đọc được)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class EntryFilterForm(CleanTextMixin, forms.Form):
    q = forms.CharField(label=_("Tìm (không dấu cũng được)"), required=False)
    status = forms.ChoiceField(label=_("Trạng thái"), required=False)
    field = forms.ChoiceField(label=_("Lĩnh vực"), required=False)
    category = forms.ChoiceField(
        label=_("Đối tượng"), required=False, choices=[("", _("Tất cả"))] + list(Eligibility.choices)
    )
    area = AreaChoiceField(label=_("Phường, xã"), required=False, empty_label=_("Tất cả"))

    def __init__(self, *args, contest, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Tất cả"))] + [
            c for c in EntryStatus.choices if c[0] != EntryStatus.DRAFT
        ]
        self.fields["field"].choices = [("", _("Tất cả"))] + [tuple(f) for f in contest.fields]


SCORE_COLUMN = Score._meta.get_field("value")


class ScoreForm(NumberBoundsMixin, CleanTextMixin, forms.Form):
    comment = forms.CharField(label=_("Nhận xét chung"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, criteria, scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        scores = scores or {}
        for criterion in criteria:
            existing = scores.get(criterion.pk)
            self.fields[f"score_{criterion.pk}"] = NumberField(
                label=f"{criterion.order}. {criterion.name} ({format_number(criterion.min_score)}–"
                f"{format_number(criterion.max_score)}, ×{format_number(criterion.weight)})",
                min_value=criterion.min_score,
                max_value=criterion.max_score,
                required=False,
                # The Score.value column's range: nothing it cannot hold reaches the database.
                max_digits=SCORE_COLUMN.max_digits,
                decimal_places=SCORE_COLUMN.decimal_places,
                initial=existing.value if existing else None,
            )
            # Read by contest/score-total.js for the running total (machine numbers: the server's formula).
            self.fields[f"score_{criterion.pk}"].widget.attrs.update(
                {
                    "data-criterion-weight": str(criterion.weight),
                    "data-criterion-min": str(criterion.min_score),
                    "data-criterion-max": str(criterion.max_score),
                }
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Nhận xét"),
                required=False,
                initial=existing.comment if existing else "",
                widget=forms.Textarea(attrs={"rows": 1}),
            )
        self.order_fields([*[n for c in criteria for n in (f"score_{c.pk}", f"comment_{c.pk}")], "comment"])
        self.show_number_bounds()

    def values(self):
        return {c.pk: self.cleaned_data.get(f"score_{c.pk}") for c in self.criteria}

    def comments(self):
        return {c.pk: self.cleaned_data.get(f"comment_{c.pk}", "") for c in self.criteria}


class ConflictForm(CleanTextMixin, forms.Form):
    reason = forms.CharField(label=_("Lý do xung đột lợi ích"), max_length=300)


class HandAssignForm(CleanTextMixin, forms.Form):
    judge = forms.TypedChoiceField(label=_("Giám khảo"), coerce=int)

    def __init__(self, *args, judges, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["judge"].choices = [(j.user_id, f"{j.label or ''} {j.user.full_name}".strip()) for j in judges]


class ReassignForm(HandAssignForm):
    """Moves one assignment to a chosen judge of the contest, or, left empty, to the least loaded one."""

    def __init__(self, *args, judges, **kwargs):
        super().__init__(*args, judges=judges, **kwargs)
        self.fields["judge"].required = False
        self.fields["judge"].empty_value = None
        self.fields["judge"].choices = [("", _("Tự động (ít bài nhất)")), *self.fields["judge"].choices]


class AutoAssignForm(NumberBoundsMixin, CleanTextMixin, forms.Form):
    k = NumberField(label=_("Số giám khảo mỗi bài"), min_value=1, max_value=15)


class AdvanceForm(NumberBoundsMixin, CleanTextMixin, forms.Form):
    top_n = NumberField(label=_("Số bài có điểm cao nhất vào chung khảo"), min_value=1, max_digits=6, required=False)
    entries = forms.CharField(label=_("Hoặc mã các bài chọn (cách nhau bởi dấu phẩy)"), required=False)

    def clean_entries(self) -> list[str]:
        return [code.strip() for code in self.cleaned_data["entries"].split(",") if code.strip()]


class ScheduleForm(CleanTextMixin, forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Bắt đầu lúc"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class AwardsForm(forms.Form):
    """The prize table of the final: one `tier_<entry id>` select per finalist, its value a tier id
    (empty or 0: no prize)."""

    def choices(self) -> dict[int, int | None]:
        choices = {}
        for name, value in self.data.items():
            entry_id = name.removeprefix("tier_")
            if name.startswith("tier_") and entry_id.isdigit():
                choices[int(entry_id)] = int(value) if value.isdigit() and int(value) else None
        return choices
