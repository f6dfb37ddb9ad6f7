import datetime as dt
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from campaign_portal.fields import NumberField
from campaign_portal.forms import CleanTextMixin
from campaign_portal.numbers import format_number
from campaign_portal.uploads import ATTACHMENT, VERIFICATION, upload_field
from organizations.enums import UnitKind
from organizations.forms import AreaChoiceField
from organizations.models import Unit, User
from organizations.widgets import UnitPickerWidget, unit_picker_bind

from .enums import AddresseeMode, DocumentStatus, DocumentType, RegisterEntryKind
from .models import AppendixRow, Document
from .selectors import CascadeFilters, DocumentFilters, received_documents_for
from .services import DraftData
from .signing import unit_signer_choices

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_AMOUNT_COLUMN = AppendixRow._meta.get_field("amount")
# An appendix amount as officers type it ("100.000.000đ", "100 000 000"), within what its column holds.
APPENDIX_AMOUNT = NumberField(
    min_value=0,
    max_digits=_AMOUNT_COLUMN.max_digits,
    decimal_places=_AMOUNT_COLUMN.decimal_places,
    currency=True,
    required=False,
)


def _parse_date(text: str) -> dt.date:
    return dt.datetime.strptime(text.strip(), "%d/%m/%Y").date()


def _codes(text: str) -> list[str]:
    return [c.strip().upper() for c in re.split(r"[\s,;]+", text or "") if c.strip()]


class DocumentForm(CleanTextMixin, forms.Form):
    """A draft: everything but the number, which issuing assigns."""

    issuing_unit = forms.ModelChoiceField(
        label=_("Đơn vị ban hành"),
        queryset=Unit.objects.none(),
        widget=UnitPickerWidget(scope="drafting_units", value_field="pk"),
    )
    doc_type = forms.ChoiceField(label=_("Loại văn bản"), choices=DocumentType.choices)
    drafting_suffix = forms.CharField(
        label=_("Ký hiệu đơn vị soạn thảo"),
        required=False,
        max_length=20,
        help_text=_("Tùy chọn, ví dụ TG → 12/LĐLĐ-TG"),
    )
    place = forms.CharField(label=_("Địa danh"), max_length=60)
    issued_on = forms.DateField(label=_("Ngày văn bản"), widget=DATE_INPUT, input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    subject = forms.CharField(
        label=_("Trích yếu"), max_length=500, help_text=_("Với công văn, “V/v” được thêm tự động.")
    )
    implements = forms.ModelMultipleChoiceField(
        label=_("Thực hiện văn bản"),
        queryset=Document.objects.none(),
        required=False,
        help_text=_("Dòng “Thực hiện … số … ngày … của …” được tạo tự động."),
    )
    amends = forms.ModelChoiceField(
        label=_("Sửa đổi, bổ sung văn bản"), queryset=Document.objects.none(), required=False
    )
    replaces = forms.ModelChoiceField(label=_("Thay thế văn bản"), queryset=Document.objects.none(), required=False)
    extra_legal_bases = forms.CharField(
        label=_("Căn cứ khác"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    addressee_mode = forms.ChoiceField(label=_("Gửi tới"), choices=AddresseeMode.choices)
    addressee_kinds = forms.MultipleChoiceField(
        label=_("Loại đơn vị trực thuộc nhận"),
        choices=UnitKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    addressee_area = AreaChoiceField(
        label=_("Phường, xã (gửi theo địa bàn)"),
        required=False,
        help_text=_(
            "Văn bản đến mọi đơn vị phụ trách địa bàn này vào ngày văn bản, thuộc các loại đã chọn ở trên "
            "(không chọn loại: các công đoàn cơ sở)."
        ),
    )
    addressee_root_code = forms.CharField(
        label=_("Đơn vị gốc (toàn hệ thống dưới đơn vị này)"),
        required=False,
        help_text=_("Để trống: đơn vị ban hành."),
        widget=UnitPickerWidget(scope="live"),
    )
    addressee_unit_codes = forms.CharField(
        label=_("Các đơn vị nhận"),
        required=False,
        widget=UnitPickerWidget(scope="live", multiple=True, as_text=True),
        help_text=_("Gõ tên hoặc mã để tìm, chọn được nhiều đơn vị."),
    )
    kinh_gui = forms.CharField(
        label=_("Kính gửi"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Để trống: đề xuất theo cây tổ chức."),
    )
    body = forms.CharField(
        label=_("Nội dung"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Phần I., II.; mục 1., 2.; dòng bắt đầu bằng - hoặc +; **đậm**, *nghiêng*. Không dùng HTML."),
    )
    closing = forms.CharField(label=_("Câu kết"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    tasks_text = forms.CharField(
        label=_("Nhiệm vụ và thời hạn"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Mỗi dòng: dd/mm/yyyy | nhiệm vụ"),
    )
    appendix_title = forms.CharField(label=_("Tiêu đề phụ lục"), required=False, max_length=500)
    appendix_text = forms.CharField(
        label=_("Bảng phụ lục"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Mỗi dòng: nhiệm vụ | cơ quan quyết định | cơ quan thực hiện | kết quả | cơ quan truyền thông "
            "| chi tiết kinh phí | số tiền (đồng) | thời gian"
        ),
    )
    signer_authority = forms.CharField(
        label=_("Thẩm quyền ký"),
        required=False,
        max_length=100,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Mỗi dòng một cấp, ví dụ: TM. BAN THƯỜNG VỤ (dòng 1), KT. CHỦ TỊCH (dòng 2)."),
    )
    signer_position = forms.CharField(label=_("Chức vụ người ký"), max_length=100)
    signer_name = forms.CharField(label=_("Họ tên người ký"), max_length=100)
    signer_user = forms.ModelChoiceField(
        label=_("Người ký (tài khoản)"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("— Chọn sau, khi ban hành —"),
        help_text=_(
            "Lãnh đạo đang công tác của đơn vị ban hành; họ tên người được chọn được in dưới chữ ký, hình chữ ký "
            "(nếu có) được đặt cạnh con dấu. Danh sách hiện sau khi chọn đơn vị ban hành và lưu dự thảo."
        ),
    )
    noi_nhan = forms.CharField(
        label=_("Nơi nhận"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Để trống: đề xuất theo cây tổ chức."),
    )

    def __init__(self, *args, units, issuing_unit: Unit | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issuing_unit"].queryset = units
        if issuing_unit is not None:
            self.fields["issuing_unit"].initial = issuing_unit
            self.fields["issuing_unit"].disabled = True
            self.fields["issuing_unit"].queryset = Unit.objects.filter(pk=issuing_unit.pk)
        unit = issuing_unit or self._posted_unit(units)
        issued = Document.objects.filter(status=DocumentStatus.ISSUED).select_related("issuing_unit")
        # Validate against every issued document so that the service answers with a clear message
        # ("never received"); offer only the ones the unit received.
        self.fields["implements"].queryset = issued
        received = list(received_documents_for(unit)[:100]) if unit else []
        self.fields["implements"].widget.choices = [(d.pk, str(d)) for d in received]
        own = issued.filter(issuing_unit=unit) if unit else Document.objects.none()
        for name in ("amends", "replaces"):
            self.fields[name].queryset = own
        # The issue preview's choices (the unit's active heads); the service checks the same rule again.
        signing_unit = unit or (None if self.is_bound else self.initial.get("issuing_unit"))  # ?unit= preset
        self.fields["signer_user"].queryset = (
            unit_signer_choices(signing_unit.pk) if signing_unit else User.objects.none()
        )
        self.fields["signer_user"].label_from_instance = lambda user: user.full_name or user.email

    def _posted_unit(self, units):
        pk = self.data.get("issuing_unit") if self.is_bound else None
        if pk and str(pk).isdigit():
            return units.filter(pk=pk).first()
        return None

    def clean_tasks_text(self):
        tasks = []
        for number, line in enumerate(self.cleaned_data["tasks_text"].splitlines(), start=1):
            if not line.strip():
                continue
            date_text, sep, title = line.partition("|")
            try:
                deadline = _parse_date(date_text)
            except ValueError:
                raise forms.ValidationError(_("Dòng %(n)s: cần “dd/mm/yyyy | nhiệm vụ”.") % {"n": number}) from None
            if not sep or not title.strip():
                raise forms.ValidationError(_("Dòng %(n)s: thiếu tên nhiệm vụ.") % {"n": number})
            tasks.append((title.strip(), deadline))
        self.parsed_tasks = tasks
        return self.cleaned_data["tasks_text"]

    def clean_appendix_text(self):
        rows = []
        for number, line in enumerate(self.cleaned_data["appendix_text"].splitlines(), start=1):
            if not line.strip():
                continue
            cells = [c.strip() for c in line.split("|")]
            cells += [""] * (8 - len(cells))
            if len(cells) > 8:
                raise forms.ValidationError(_("Dòng %(n)s: nhiều hơn 8 cột.") % {"n": number})
            try:
                amount = APPENDIX_AMOUNT.clean(cells[6]) or 0
            except forms.ValidationError as error:
                raise forms.ValidationError(
                    _("Dòng %(n)s, số tiền: %(error)s") % {"n": number, "error": " ".join(error.messages)}
                ) from None
            rows.append(
                dict(
                    task=cells[0],
                    deciding_body=cells[1],
                    implementing_body=cells[2],
                    result=cells[3],
                    media_partner=cells[4],
                    budget_note=cells[5],
                    amount=amount,
                    period=cells[7],
                )
            )
        self.parsed_appendix = rows
        return self.cleaned_data["appendix_text"]

    def clean_addressee_root_code(self):
        code = self.cleaned_data["addressee_root_code"].strip().upper()
        if not code:
            self.root_unit = None
            return code
        self.root_unit = Unit.objects.filter(code=code).first()
        if self.root_unit is None:
            raise forms.ValidationError(_("Không có đơn vị mã “%(code)s”.") % {"code": code})
        return code

    def clean_addressee_unit_codes(self):
        codes = _codes(self.cleaned_data["addressee_unit_codes"])
        found = {u.code: u for u in Unit.objects.filter(code__in=codes)}
        missing = [c for c in codes if c not in found]
        if missing:
            raise forms.ValidationError(_("Không có đơn vị mã: %(codes)s.") % {"codes": ", ".join(missing)})
        self.chosen_units = [found[c] for c in codes]
        return self.cleaned_data["addressee_unit_codes"]

    def draft_data(self) -> DraftData:
        c = self.cleaned_data
        return DraftData(
            doc_type=c["doc_type"],
            place=c["place"],
            issued_on=c["issued_on"],
            subject=c["subject"],
            body=c["body"],
            signer_position=c["signer_position"],
            signer_name=c["signer_name"],
            signer_authority=c["signer_authority"],
            signer_user=c["signer_user"],
            drafting_suffix=c["drafting_suffix"],
            extra_legal_bases=c["extra_legal_bases"],
            closing=c["closing"],
            appendix_title=c["appendix_title"],
            addressee_mode=c["addressee_mode"],
            addressee_kinds=list(c["addressee_kinds"]),
            addressee_root=self.root_unit,
            addressee_units=self.chosen_units,
            addressee_area=c["addressee_area"],
            kinh_gui=c["kinh_gui"],
            noi_nhan=c["noi_nhan"],
            implements=list(c["implements"]),
            amends=c["amends"],
            replaces=c["replaces"],
            tasks=self.parsed_tasks,
            appendix_rows=self.parsed_appendix,
        )

    @staticmethod
    def initial_from(data: DraftData) -> dict:
        return {
            "doc_type": data.doc_type,
            "drafting_suffix": data.drafting_suffix,
            "place": data.place,
            "issued_on": data.issued_on,
            "subject": data.subject,
            "implements": [d.pk for d in data.implements],
            "amends": data.amends,
            "replaces": data.replaces,
            "extra_legal_bases": data.extra_legal_bases,
            "addressee_mode": data.addressee_mode,
            "addressee_kinds": data.addressee_kinds,
            "addressee_root_code": data.addressee_root.code if data.addressee_root else "",
            "addressee_unit_codes": ", ".join(u.code for u in data.addressee_units),
            "kinh_gui": data.kinh_gui,
            "addressee_area": data.addressee_area.code if data.addressee_area else None,
            "body": data.body,
            "closing": data.closing,
            "tasks_text": "\n".join(f"{d:%d/%m/%Y} | {t}" for t, d in data.tasks),
            "appendix_title": data.appendix_title,
            "appendix_text": "\n".join(
                " | ".join(
                    [
                        r["task"],
                        r["deciding_body"],
                        r["implementing_body"],
                        r["result"],
                        r["media_partner"],
                        r["budget_note"],
                        format_number(r["amount"], decimal_places=0),
                        r["period"],
                    ]
                )
                for r in data.appendix_rows
            ),
            "signer_authority": data.signer_authority,
            "signer_position": data.signer_position,
            "signer_name": data.signer_name,
            "signer_user": data.signer_user.pk if data.signer_user else None,
            "noi_nhan": data.noi_nhan,
        }


class IssueSignerForm(forms.Form):
    """On the issue preview: the head who signs (optional); her signature picture goes into the stamp."""

    signer_user = forms.ModelChoiceField(
        label=_("Người ký"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("— Chỉ con dấu của đơn vị —"),
        widget=forms.Select(attrs={"class": "form-select", "aria-describedby": "id_signer_user-help"}),
        help_text=_("Lãnh đạo của đơn vị ban hành; hình chữ ký của người này (nếu có) được đặt cạnh con dấu."),
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signer_user"].queryset = choices
        self.fields["signer_user"].label_from_instance = lambda user: user.full_name or user.email


class AttachmentForm(CleanTextMixin, forms.Form):
    file = upload_field(ATTACHMENT, label=_("Tệp đính kèm"))


class SignedPdfForm(CleanTextMixin, forms.Form):
    """The PDF the signer signed on her device (checked by signatures.services.signer_pdf_check)."""

    file = upload_field(VERIFICATION, label=_("Tệp PDF đã ký số"))


class ImplementForm(CleanTextMixin, forms.Form):
    DONE, NOT_APPLICABLE = "done", "not_applicable"
    outcome = forms.ChoiceField(
        label=_("Kết quả"),
        widget=forms.RadioSelect,
        choices=[(DONE, _("Đã thực hiện")), (NOT_APPLICABLE, _("Không áp dụng với đơn vị"))],
    )
    result_note = forms.CharField(
        label=_("Kết quả thực hiện (ngắn gọn)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence = upload_field(ATTACHMENT, label=_("Minh chứng (tùy chọn)"), required=False)
    reason = forms.CharField(label=_("Lý do không áp dụng"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CascadeFilterForm(CleanTextMixin, forms.Form):
    late = forms.BooleanField(label=_("Chỉ đơn vị chậm"), required=False)
    within = forms.CharField(label=_("Trong đơn vị"), required=False, widget=UnitPickerWidget(scope="visible"))
    kind = forms.ChoiceField(
        label=_("Loại đơn vị"), required=False, choices=[("", _("Tất cả"))] + list(UnitKind.choices)
    )
    area = AreaChoiceField(label=_("Phường, xã"), required=False, empty_label=_("Tất cả"))
    document = forms.CharField(label=_("Số, ký hiệu hoặc trích yếu"), required=False, max_length=200)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:  # the picker names only units she may open
            unit_picker_bind(self.fields["within"], user=user)

    def filters(self) -> CascadeFilters:
        """The filters as the cascade selectors take them: none unless the form is valid."""
        filters = CascadeFilters()
        if self.is_valid():
            filters.late_only = self.cleaned_data["late"]
            filters.kind = self.cleaned_data["kind"]
            filters.area = self.cleaned_data["area"]
            filters.document_text = self.cleaned_data["document"]
            code = self.cleaned_data["within"].strip().upper()
            if code:
                filters.within = Unit.objects.filter(code=code).first()
        return filters


class RegisterFilterForm(CleanTextMixin, forms.Form):
    """A unit's register of a year, searched (number, summary: accent-insensitive) and filtered by date range."""

    unit = forms.ModelChoiceField(
        label=_("Đơn vị"),
        queryset=Unit.objects.none(),
        widget=UnitPickerWidget(scope="register_units", value_field="pk"),
    )
    # A year is typed without grouping (2026, not 2.026): its range is checked below, not as a quantity.
    year = NumberField(label=_("Năm"), max_digits=4)
    q = forms.CharField(label=_("Tìm theo số, ký hiệu, trích yếu"), required=False, max_length=200)
    date_from = forms.DateField(
        label=_("Từ ngày"), required=False, widget=DATE_INPUT, input_formats=["%Y-%m-%d", "%d/%m/%Y"]
    )
    date_to = forms.DateField(
        label=_("Đến ngày"), required=False, widget=DATE_INPUT, input_formats=["%Y-%m-%d", "%d/%m/%Y"]
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 2000 <= year <= 2100:
            raise forms.ValidationError(_("Năm từ 2000 đến 2100."))
        return year

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", _("“Đến ngày” phải sau “Từ ngày”."))
        return cleaned

    def filters(self) -> dict:
        """The search and filters, as the register selectors take them (valid form only)."""
        names = [name for name in self.fields if name not in ("unit", "year")]
        return {name: self.cleaned_data.get(name) for name in names}


class OutgoingRegisterForm(RegisterFilterForm):
    kind = forms.ChoiceField(
        label=_("Loại"), required=False, choices=[("", _("Tất cả"))] + list(RegisterEntryKind.choices)
    )


class IncomingRegisterForm(RegisterFilterForm):
    number = NumberField(label=_("Số đến"), required=False, min_value=1, max_digits=7)
    issuer = forms.ModelChoiceField(
        label=_("Nơi gửi"), queryset=Unit.objects.none(), required=False, empty_label=_("Tất cả")
    )

    def __init__(self, *args, issuers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issuer"].queryset = issuers


class AssignForm(CleanTextMixin, forms.Form):
    """Giao xử lý: a colleague of the receiving unit, a due date, a note."""

    assignee = forms.ModelChoiceField(label=_("Giao cho"), queryset=User.objects.filter(is_active=True))
    due_on = forms.DateField(
        label=_("Hạn xử lý"), required=False, widget=DATE_INPUT, input_formats=["%Y-%m-%d", "%d/%m/%Y"]
    )
    note = forms.CharField(label=_("Ý kiến chỉ đạo xử lý"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        # The list offers the unit's officers; any other person sent is refused by the service, with its message.
        self.fields["assignee"].widget.choices = [("", "---------")] + [
            (user.pk, user.full_name or user.email) for user in colleagues
        ]


class DocumentSearchForm(CleanTextMixin, forms.Form):
    """The search of a documents list (GET, kept in the URL)."""

    text = forms.CharField(label=_("Số, ký hiệu hoặc trích yếu"), required=False, max_length=200)
    issuer = forms.CharField(label=_("Đơn vị ban hành"), required=False, max_length=200)
    doc_type = forms.ChoiceField(
        label=_("Loại văn bản"), required=False, choices=[("", _("Tất cả"))] + list(DocumentType.choices)
    )
    date_from = forms.DateField(
        label=_("Từ ngày"), required=False, widget=DATE_INPUT, input_formats=["%Y-%m-%d", "%d/%m/%Y"]
    )
    date_to = forms.DateField(
        label=_("Đến ngày"), required=False, widget=DATE_INPUT, input_formats=["%Y-%m-%d", "%d/%m/%Y"]
    )
    overdue_only = forms.BooleanField(label=_("Chỉ văn bản quá hạn"), required=False)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("“Đến ngày” phải sau “Từ ngày”."))
        return cleaned

    def filters(self) -> DocumentFilters:
        """The filters typed, or none when the form has an error (the page shows the error and every row)."""
        if not self.is_valid():
            return DocumentFilters()
        return DocumentFilters(**self.cleaned_data)  # the fields are named as the filters

    @property
    def is_searching(self) -> bool:
        return self.is_bound and self.is_valid() and any(v not in ("", None, False) for v in self.cleaned_data.values())
