"""Writes on documents, registers and deliveries. Every rule a user can hit raises PortalError."""

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaign_portal.exceptions import PortalError
from campaign_portal.text import nfc
from campaign_portal.uploads import ATTACHMENT, upload_check
from organizations.documents import number_symbol_format, unit_issuer_symbol, unit_signer_authority
from organizations.enums import UnitKind
from organizations.models import AdministrativeArea, Unit, User
from organizations.selectors import units_in_area_q
from organizations.services import unit_ensure_not_dissolved

from . import signals
from .deliveries import deliveries_set_outcome
from .enums import (
    DOCUMENT_TRANSITIONS,
    AddresseeMode,
    DeliveryOutcome,
    DocumentStatus,
    DocumentType,
    LinkKind,
    RegisterEntryKind,
)
from .models import AppendixRow, Attachment, Delivery, Document, DocumentLink, IncomingRegister, Task
from .registers import register_entry_take, subject_key
from .rules import subordinate_units
from .signing import (
    document_needs_signer_signature,
    document_prepare_signature_field,
    document_sign,
    document_sign_with_signer,
    unit_signer_choices,
)
from .summaries import delivery_summaries_refresh

KIND_PLURAL = {
    UnitKind.DISTRICT_FEDERATION: "Liên đoàn Lao động các quận, huyện, thị xã",
    UnitKind.INDUSTRY_UNION: "Công đoàn ngành",
    UnitKind.DIRECT_SUPERIOR_UNION: "Công đoàn cấp trên trực tiếp cơ sở",
    UnitKind.COMMUNE_UNION: "Công đoàn các xã, phường",
    UnitKind.GRASSROOTS_UNION: "Các công đoàn cơ sở trực thuộc",
    UnitKind.AGENCY: "Các sở, ban, ngành",
    UnitKind.CITY_FEDERATION: "Liên đoàn Lao động Thành phố",
}


# Kính gửi of a document addressed by commune/ward ("… trên địa bàn phường X").
AREA_KIND_PLURAL = {
    UnitKind.GRASSROOTS_UNION: "Các công đoàn cơ sở",
    UnitKind.COMMUNE_UNION: "Công đoàn xã, phường",
}


@dataclass
class DraftData:
    doc_type: str
    place: str
    issued_on: dt.date
    subject: str
    body: str
    signer_position: str
    signer_name: str
    signer_authority: str = ""
    signer_user: User | None = None  # the head who signs (chosen on the draft or on the issue preview)
    drafting_suffix: str = ""
    extra_legal_bases: str = ""
    closing: str = ""
    appendix_title: str = ""
    addressee_mode: str = AddresseeMode.CHILDREN_OF_KIND
    addressee_kinds: list = field(default_factory=list)
    addressee_root: Unit | None = None
    addressee_units: list = field(default_factory=list)
    addressee_area: AdministrativeArea | None = None
    kinh_gui: str = ""
    noi_nhan: str = ""
    implements: list = field(default_factory=list)
    amends: Document | None = None
    replaces: Document | None = None
    tasks: list = field(default_factory=list)  # [(title, deadline)]
    appendix_rows: list = field(default_factory=list)  # [dict of AppendixRow fields]


# ---------------------------------------------------------------- addressing, legal bases


def _unit_short(unit: Unit) -> str:
    return unit.name


def addressees_resolve(
    *,
    issuing_unit: Unit,
    mode: str,
    kinds=(),
    root: Unit | None = None,
    units=(),
    area: AdministrativeArea | None = None,
    on: dt.date | None = None,
):
    """The units a document goes to, as a queryset (dissolved units and the issuer excluded).

    The ticked kinds filter in every mode (CHILDREN_OF_KIND requires them; elsewhere none ticked means any kind,
    except AREA, whose default is the grassroots unions). SUBTREE sends to the units below the root, never to the
    root itself: "every grassroots union under Gia Lâm" does not reach the Gia Lâm federation.
    AREA: the units of the issuer's system that cover the commune/ward on the document's date (on)."""
    kinds = list(kinds)
    if mode == AddresseeMode.AREA:
        if area is None:
            return Unit.objects.none()
        kinds = kinds or [UnitKind.GRASSROOTS_UNION]
        qs = Unit.objects.filter(units_in_area_q(area, on or timezone.localdate()), path__startswith=issuing_unit.path)
    elif mode == AddresseeMode.UNITS:
        qs = Unit.objects.filter(pk__in=[u.pk for u in units])
    elif mode == AddresseeMode.CHILDREN_OF_KIND:
        if not kinds:
            return Unit.objects.none()
        qs = Unit.objects.filter(path__startswith=issuing_unit.path, depth=issuing_unit.depth + 1)
    elif mode == AddresseeMode.SUBTREE:
        base = root or issuing_unit
        qs = Unit.objects.filter(path__startswith=base.path, depth__gt=base.depth)
    else:
        return Unit.objects.none()
    if kinds:
        qs = qs.filter(kind__in=kinds)
    return qs.filter(dissolved_on__isnull=True).exclude(pk=issuing_unit.pk)


def document_addressees(document: Document):
    return addressees_resolve(
        issuing_unit=document.issuing_unit,
        mode=document.addressee_mode,
        kinds=document.addressee_kinds,
        root=document.addressee_root,
        units=list(document.addressee_units.all()) if document.pk else [],
        area=document.addressee_area,
        on=document.issued_on,
    )


def addressing_propose(
    *,
    issuing_unit: Unit,
    mode: str,
    kinds=(),
    root: Unit | None = None,
    units=(),
    drafting_suffix: str = "",
    area: AdministrativeArea | None = None,
) -> tuple[str, str]:
    """Kính gửi and Nơi nhận proposed from the hierarchy: parents 'để b/c', addressees 'để thực hiện'."""
    if mode == AddresseeMode.AREA and area is not None:
        # Official text: "Các công đoàn cơ sở trên địa bàn phường Kim Liên".
        kinds_text = ", ".join(
            AREA_KIND_PLURAL.get(k, str(UnitKind(k).label)) for k in kinds or [UnitKind.GRASSROOTS_UNION]
        )
        groups = [f"{kinds_text} trên địa bàn {area.name[:1].lower()}{area.name[1:]}"]
    elif mode == AddresseeMode.UNITS:
        groups = [_unit_short(u) for u in units]
    elif mode == AddresseeMode.CHILDREN_OF_KIND:
        groups = [KIND_PLURAL.get(k, str(UnitKind(k).label)) for k in kinds]
    elif kinds:
        # Official text: "Các công đoàn cơ sở thuộc Liên đoàn Lao động huyện Gia Lâm".
        base = root or issuing_unit
        kinds_text = ", ".join(AREA_KIND_PLURAL.get(k, str(UnitKind(k).label)) for k in kinds)
        groups = [f"{kinds_text} thuộc {base.name}"]
    else:
        base = root or issuing_unit
        groups = [_("Các đơn vị trực thuộc %(unit)s") % {"unit": base.name}]
    kinh_gui = "\n".join(groups)
    noi_nhan = []
    ancestors = list(Unit.objects.get_ancestors(issuing_unit)) if issuing_unit.depth > 1 else []
    for ancestor in reversed(ancestors[-2:]):
        noi_nhan.append(f"- Thường trực {ancestor.name} (để b/c);")
    noi_nhan.append("- Như Kính gửi (để thực hiện);")
    suffix = f", {drafting_suffix}" if drafting_suffix else ""
    noi_nhan.append(f"- Lưu: VT{suffix}.")
    return kinh_gui, "\n".join(noi_nhan)


def document_legal_bases(document: Document, *, implements=None) -> list[str]:
    """'Thực hiện Kế hoạch số 33/KH-UBND ngày 29/01/2019 của …' from the links, then the extra lines."""
    if implements is None:
        implements = [
            link.target
            for link in document.links_out.filter(kind=LinkKind.IMPLEMENTS).select_related("target__issuing_unit")
        ]
    lines = [
        f"Thực hiện {target.reference} của {target.issuing_unit.name} về {target.subject.rstrip('.')}"
        for target in implements
    ]
    lines += [line.strip().rstrip(";.") for line in document.extra_legal_bases.splitlines() if line.strip()]
    return [line + (";" if i < len(lines) - 1 else ".") for i, line in enumerate(lines)]


def number_symbol_for(*, document: Document, number: int) -> str:
    """'33/KH-UBND', '83/HD-LĐLĐ', '153/LĐLĐ', '12/UBND-VX': the shared formatter, with the document's parts."""
    return number_symbol_format(
        doc_type=document.doc_type,
        issuer=unit_issuer_symbol(document.issuing_unit),
        number=number,
        drafting_suffix=document.drafting_suffix,
    )


# ---------------------------------------------------------------- drafts


def _validate_draft(*, issuing_unit: Unit, data: DraftData, document: Document | None = None) -> None:
    unit_ensure_not_dissolved(unit=issuing_unit)
    if data.signer_user is not None:
        _signer_check(unit_id=issuing_unit.pk, signer_user=data.signer_user)
    if data.addressee_mode == AddresseeMode.UNITS and not data.addressee_units:
        raise PortalError(_("Chưa chọn đơn vị nhận (Kính gửi)."), field="addressee_units")
    if data.addressee_mode == AddresseeMode.CHILDREN_OF_KIND and not data.addressee_kinds:
        raise PortalError(_("Chưa chọn loại đơn vị nhận (Kính gửi)."), field="addressee_kinds")
    if data.addressee_mode == AddresseeMode.AREA:
        area = data.addressee_area
        if area is None:
            raise PortalError(_("Chưa chọn phường, xã nhận văn bản."), field="addressee_area")
        if area.valid_from > data.issued_on or (area.valid_to is not None and area.valid_to <= data.issued_on):
            raise PortalError(
                _("Vào ngày văn bản (%(date)s) chưa có hoặc không còn %(area)s.")
                % {"date": data.issued_on.strftime("%d/%m/%Y"), "area": area.name},
                field="addressee_area",
            )
    if data.addressee_mode == AddresseeMode.SUBTREE and data.addressee_root is not None:
        if not data.addressee_root.path.startswith(issuing_unit.path):
            raise PortalError(_("Đơn vị gốc phải thuộc hệ thống của đơn vị ban hành."), field="addressee_root")
    if any(u.pk == issuing_unit.pk for u in data.addressee_units):
        raise PortalError(_("Không gửi văn bản cho chính đơn vị ban hành."), field="addressee_units")
    if data.addressee_mode == AddresseeMode.UNITS and data.addressee_kinds:
        # A chosen unit the ticked kinds would drop silently: say so rather than send to fewer units.
        outside = [u.name for u in data.addressee_units if u.kind not in data.addressee_kinds]
        if outside:
            raise PortalError(
                _("Đơn vị không thuộc loại đơn vị nhận đã chọn: %(units)s.") % {"units": ", ".join(outside)},
                field="addressee_units",
            )
    for target in data.implements:
        if target.is_draft or not Delivery.objects.filter(document=target, unit=issuing_unit).exists():
            raise PortalError(
                _("Đơn vị %(unit)s chưa nhận văn bản %(doc)s nên không thể ban hành văn bản thực hiện văn bản đó.")
                % {"unit": issuing_unit.name, "doc": target.number_symbol or target.subject},
                field="implements",
            )
    for title, deadline in data.tasks:
        for target in data.implements:
            if target.due_on and deadline > target.due_on:
                raise PortalError(
                    _("Thời hạn “%(task)s” (%(deadline)s) muộn hơn thời hạn của văn bản cấp trên %(doc)s (%(due)s).")
                    % {
                        "task": title,
                        "deadline": f"{deadline:%d/%m/%Y}",
                        "doc": target.number_symbol,
                        "due": f"{target.due_on:%d/%m/%Y}",
                    },
                    field="tasks_text",
                )
    for target, name in ((data.amends, "amends"), (data.replaces, "replaces")):
        if target is not None and (target.is_draft or target.issuing_unit_id != issuing_unit.pk):
            raise PortalError(_("Chỉ sửa đổi hoặc thay thế văn bản đã ban hành của chính đơn vị."), field=name)


def _apply_draft(*, document: Document, data: DraftData) -> Document:
    for name in (
        "doc_type",
        "place",
        "issued_on",
        "signer_position",
        "signer_name",
        "signer_authority",
        "drafting_suffix",
        "addressee_mode",
        "addressee_kinds",
        "addressee_root",
        "addressee_area",
    ):
        setattr(document, name, getattr(data, name))
    for name in ("subject", "body", "extra_legal_bases", "closing", "appendix_title"):
        setattr(document, name, getattr(data, name))  # Document.save cleans every text column
    document.signer_user = data.signer_user
    if data.signer_user is not None:
        document.signer_name = _signer_printed_name(data.signer_user, document.signer_name)
    if document.addressee_mode != AddresseeMode.SUBTREE:
        document.addressee_root = None
    if document.addressee_mode != AddresseeMode.AREA:
        document.addressee_area = None
    if not data.kinh_gui.strip() or not data.noi_nhan.strip():
        kinh_gui, noi_nhan = addressing_propose(
            issuing_unit=document.issuing_unit,
            mode=data.addressee_mode,
            kinds=data.addressee_kinds,
            root=data.addressee_root,
            units=data.addressee_units,
            drafting_suffix=data.drafting_suffix,
            area=data.addressee_area,
        )
        document.kinh_gui = nfc(data.kinh_gui).strip() or kinh_gui
        document.noi_nhan = nfc(data.noi_nhan).strip() or noi_nhan
    else:
        document.kinh_gui, document.noi_nhan = nfc(data.kinh_gui).strip(), nfc(data.noi_nhan).strip()
    document.due_on = max((deadline for _title, deadline in data.tasks), default=None)
    document.save()
    document.addressee_units.set(data.addressee_units if data.addressee_mode == AddresseeMode.UNITS else [])
    document.tasks.all().delete()
    Task.objects.bulk_create(
        [
            Task(document=document, order=i, title=nfc(title), deadline=deadline)
            for i, (title, deadline) in enumerate(data.tasks, start=1)
        ]
    )
    document.appendix_rows.all().delete()
    AppendixRow.objects.bulk_create(
        [AppendixRow(document=document, order=i, **row) for i, row in enumerate(data.appendix_rows, start=1)]
    )
    document.links_out.all().delete()
    links = [DocumentLink(source=document, target=t, kind=LinkKind.IMPLEMENTS) for t in data.implements]
    if data.amends:
        links.append(DocumentLink(source=document, target=data.amends, kind=LinkKind.AMENDS))
    if data.replaces:
        links.append(DocumentLink(source=document, target=data.replaces, kind=LinkKind.REPLACES))
    DocumentLink.objects.bulk_create(links)
    return document


def document_create(*, issuing_unit: Unit, by: User, data: DraftData) -> Document:
    _validate_draft(issuing_unit=issuing_unit, data=data)
    with transaction.atomic():
        document = Document(issuing_unit=issuing_unit, issuing_lineage=issuing_unit.lineage, created_by=by)
        return _apply_draft(document=document, data=data)


def document_update(*, document: Document, by: User, data: DraftData) -> Document:
    _validate_draft(issuing_unit=document.issuing_unit, data=data, document=document)
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        if not locked.is_draft:
            raise PortalError(_("Văn bản đã ban hành không thể sửa; hãy ban hành văn bản sửa đổi hoặc thay thế."))
        return _apply_draft(document=document, data=data)


def draft_data_from(document: Document) -> DraftData:
    """A draft's current content, as the edit form starts from it."""
    links = list(document.links_out.select_related("target"))
    return DraftData(
        doc_type=document.doc_type,
        place=document.place,
        issued_on=document.issued_on,
        subject=document.subject,
        body=document.body,
        signer_position=document.signer_position,
        signer_name=document.signer_name,
        signer_authority=document.signer_authority,
        signer_user=document.signer_user,
        drafting_suffix=document.drafting_suffix,
        extra_legal_bases=document.extra_legal_bases,
        closing=document.closing,
        appendix_title=document.appendix_title,
        addressee_mode=document.addressee_mode,
        addressee_kinds=list(document.addressee_kinds),
        addressee_root=document.addressee_root,
        addressee_units=list(document.addressee_units.all()),
        addressee_area=document.addressee_area,
        kinh_gui=document.kinh_gui,
        noi_nhan=document.noi_nhan,
        implements=[link.target for link in links if link.kind == LinkKind.IMPLEMENTS],
        amends=next((link.target for link in links if link.kind == LinkKind.AMENDS), None),
        replaces=next((link.target for link in links if link.kind == LinkKind.REPLACES), None),
        tasks=[(t.title, t.deadline) for t in document.tasks.all()],
        appendix_rows=[
            {
                k: getattr(r, k)
                for k in (
                    "task",
                    "deciding_body",
                    "implementing_body",
                    "result",
                    "media_partner",
                    "budget_note",
                    "amount",
                    "period",
                )
            }
            for r in document.appendix_rows.all()
        ],
    )


def document_draft_implementing(*, delivery: Delivery, by: User, today: dt.date | None = None) -> Document:
    """A pre-filled draft implementing a received document: addressees = the unit's children,
    the same deadlines (never later than the parent's). A second click returns the same draft."""
    existing = Document.objects.filter(
        issuing_unit=delivery.unit,
        status=DocumentStatus.DRAFT,
        links_out__target=delivery.document,
        links_out__kind=LinkKind.IMPLEMENTS,
    ).first()
    if existing:
        return existing
    parent = delivery.document
    unit = delivery.unit
    kinds = sorted(set(subordinate_units(unit).values_list("kind", flat=True)))
    if not kinds:
        raise PortalError(_("Đơn vị không có đơn vị trực thuộc; hãy báo cáo kết quả thực hiện."))
    data = DraftData(
        doc_type=DocumentType.HUONG_DAN
        if parent.doc_type in (DocumentType.KE_HOACH, DocumentType.HUONG_DAN)
        else DocumentType.CONG_VAN,
        place=unit.place_name,
        issued_on=today or timezone.localdate(),
        subject=parent.subject,
        body=_("I. MỤC ĐÍCH, YÊU CẦU\n\nII. NỘI DUNG\n\nIII. TỔ CHỨC THỰC HIỆN\n"),
        signer_authority=unit_signer_authority(unit),
        signer_position="CHỦ TỊCH",
        signer_name=by.full_name,
        addressee_mode=AddresseeMode.CHILDREN_OF_KIND,
        addressee_kinds=kinds,
        implements=[parent],
        tasks=[(t.title, t.deadline) for t in parent.tasks.all()],
    )
    with transaction.atomic():
        return document_create(issuing_unit=unit, by=by, data=data)


# ---------------------------------------------------------------- attachments


def attachment_add(*, document: Document, by: User, uploaded_file) -> Attachment:
    if not document.is_draft:
        raise PortalError(_("Văn bản đã ban hành không thể thêm tệp đính kèm."))
    checked = upload_check(upload=uploaded_file, kind=ATTACHMENT, label=_("Tệp đính kèm"), field="file")
    return Attachment.objects.create(
        document=document,
        file=checked.content,
        original_name=nfc(uploaded_file.name)[:255],
        content_type=checked.mime,
        size=checked.size,
        uploaded_by=by,
    )


def attachment_remove(*, attachment: Attachment, by: User) -> None:
    if not attachment.document.is_draft:
        raise PortalError(_("Văn bản đã ban hành không thể xóa tệp đính kèm."))
    attachment.file.delete(save=False)
    attachment.delete()


# ---------------------------------------------------------------- issuing


def document_issue_date(*, document: Document, today: dt.date) -> dt.date:
    """The date a draft will carry once issued today: its own date if in the issue year, else the issue day
    (a document is numbered in the register of the year it is issued, so its date must lie in that year)."""
    return document.issued_on if document.issued_on.year == today.year else today


def document_issue(
    *, document: Document, by: User, now: dt.datetime | None = None, signer_user: User | None = None
) -> Document:
    """Number the document in the register of the issue year (Hanoi time), freeze it, sign it with the
    organisation's signature (when the unit has a credential) and deliver it to every addressee in bulk. A draft
    dated in another year is re-dated to the issue day. A unit whose documents need the signer's own digital
    signature goes through document_prepare_signing and document_complete_signing instead. `signer_user`: the
    head who signs (her signature picture goes into the stamp, her name under it)."""
    now = now or timezone.now()
    with transaction.atomic():
        document = _document_locked(document)
        if not document.is_draft:
            raise PortalError(_("Văn bản đã được ban hành."))
        if document_needs_signer_signature(document):
            raise PortalError(
                _("Văn bản của đơn vị cần chữ ký số của người ký: hãy “Cấp số và chuẩn bị ký”, rồi tải lên tệp đã ký.")
            )
        if signer_user is not None:
            _document_set_signer(document, signer_user)
        units, implements = _document_number(document=document, to=DocumentStatus.ISSUED, by=by, now=now)
        # Signed inside the transaction: a document is issued exactly when its signed PDF is stored (the
        # register row stays locked for the second the rendering takes).
        document_sign(document=document, by=by)
        _document_deliver(document=document, units=units, implements=implements, by=by, now=now)
    return document


def _signer_check(*, unit_id: int, signer_user: User) -> None:
    """The rule of the draft form and of the issue preview alike: the signer is an active head of the unit."""
    if not unit_signer_choices(unit_id).filter(pk=signer_user.pk).exists():
        raise PortalError(_("Người ký phải là lãnh đạo đang công tác của đơn vị ban hành."), field="signer_user")


def _signer_printed_name(signer_user: User, typed: str) -> str:
    return (signer_user.full_name or typed)[:100]  # printed under her picture


def _document_set_signer(document: Document, signer_user: User) -> None:
    _signer_check(unit_id=document.issuing_unit_id, signer_user=signer_user)
    document.signer_user = signer_user
    document.signer_name = _signer_printed_name(signer_user, document.signer_name)
    document.save(update_fields=["signer_user", "signer_name"])


def document_prepare_signing(*, document: Document, by: User, now: dt.datetime | None = None) -> Document:
    """“Cấp số và chuẩn bị ký”: number the draft, render its PDF with an empty signature field at the signer's
    place and keep it for her to sign on her device; the document waits for her signed file."""
    now = now or timezone.now()
    with transaction.atomic():
        document = _document_locked(document)
        if not document.is_draft:
            raise PortalError(_("Văn bản đã được cấp số."))
        if not document_needs_signer_signature(document):
            raise PortalError(_("Đơn vị chưa có chứng thư số còn hiệu lực: không thể chuẩn bị ký số."))
        _document_number(document=document, to=DocumentStatus.AWAITING_SIGNATURE, by=by, now=now)
        document_prepare_signature_field(document=document, by=by)
    return document


def document_complete_signing(*, document: Document, data: bytes, by: User, now: dt.datetime | None = None) -> Document:
    """The signer's signed PDF: checked (her certificate, trusted and valid when she signed, nothing changed but
    her signature), then the organisation's signature is added and the document is delivered."""
    now = now or timezone.now()
    with transaction.atomic():
        document = _document_locked(document)
        if document.status != DocumentStatus.AWAITING_SIGNATURE:
            raise PortalError(_("Văn bản không ở trạng thái chờ ký số."))
        if not by.has_perm("directives.issue_document", document):
            raise PortalError(_("Bạn không có quyền ban hành văn bản của đơn vị này."))
        document_sign_with_signer(document=document, data=data, by=by)
        document_set_state(document=document, to=DocumentStatus.ISSUED, by=by, now=now)
        units = document_addressees(document)
        implements = [link.target for link in document.links_out.filter(kind=LinkKind.IMPLEMENTS)]
        _document_deliver(document=document, units=units, implements=implements, by=by, now=now)
    return document


def _document_locked(document: Document) -> Document:
    return Document.objects.select_for_update().select_related("issuing_unit").get(pk=document.pk)


def _document_number(*, document: Document, to: str, by: User, now: dt.datetime):
    """Check that a draft can go out, then give it its number (the register row locked) and move it to `to`.
    Returns the addressees and the documents it implements, for the delivery."""
    today = timezone.localdate(now)
    unit_ensure_not_dissolved(unit=document.issuing_unit)
    document.issued_on = document_issue_date(document=document, today=today)
    units = document_addressees(document)
    if not units.exists():
        raise PortalError(_("Văn bản chưa có nơi nhận (Kính gửi): không có đơn vị nào nhận được."))
    implements = [link.target for link in document.links_out.filter(kind=LinkKind.IMPLEMENTS)]
    for target in implements:
        if not Delivery.objects.filter(document=target, unit=document.issuing_unit).exists():
            raise PortalError(_("Đơn vị chưa nhận văn bản được thực hiện."))
    entry = register_entry_take(
        unit=document.issuing_unit,
        on=document.issued_on,
        kind=RegisterEntryKind.DIRECTIVE,
        subject_key=subject_key(document),
        number_symbol=lambda number: number_symbol_for(document=document, number=number),
        summary=document.subject,
        signer=" ".join(p for p in (document.signer_authority, document.signer_position, document.signer_name) if p),
        recipients="; ".join(line.strip() for line in document.kinh_gui.splitlines() if line.strip()),
    )
    document_set_state(
        document=document,
        to=to,
        by=by,
        now=now,
        changes={
            "issued_on": document.issued_on,
            "register_id": entry.register_id,
            "number": entry.number,
            "number_symbol": entry.number_symbol,
            "issuing_lineage": document.issuing_unit.lineage,
        },
    )
    return units, implements


def _document_deliver(*, document: Document, units, implements, by: User, now: dt.datetime) -> None:
    delivery_count = deliveries_create(document=document, units=units, now=now)
    transaction.on_commit(
        lambda: signals.document_issued.send(sender=Document, document=document, by=by, delivery_count=delivery_count)
    )
    # The issuer's own deliveries of the documents this one implements are done by it (announced after it).
    done = list(
        Delivery.objects.select_for_update().filter(
            document__in=implements, unit=document.issuing_unit, outcome=DeliveryOutcome.PENDING
        )
    )
    deliveries_set_outcome(
        deliveries=done,
        to=DeliveryOutcome.BY_DOCUMENT,
        by=by,
        now=now,
        changes={"implementing_document": document},
    )


def document_set_state(
    *, document: Document, to: str, by: User, now: dt.datetime | None = None, changes: dict | None = None
) -> Document:
    """The one mover of a document's status (DOCUMENT_TRANSITIONS): refuses any other move and a user the rules
    do not allow, then saves the status with the move's changes (update_fields) and leaves one history row.
    The caller holds the row lock; document_issue numbers the document and gives those numbers as changes."""
    now = now or timezone.now()
    if to not in DOCUMENT_TRANSITIONS[DocumentStatus(document.status)]:
        raise PortalError(
            _("Không thể chuyển văn bản từ trạng thái “%(from)s” sang “%(to)s”.")
            % {"from": DocumentStatus(document.status).label, "to": DocumentStatus(to).label}
        )
    if not by.has_perm("directives.issue_document", document):
        raise PortalError(_("Bạn không có quyền ban hành văn bản của đơn vị này."))
    fields = {"status": to, **(changes or {})}
    if to == DocumentStatus.ISSUED:
        fields.update(issued_at=now, issued_by=by)
    for name, value in fields.items():
        setattr(document, name, value)
    document._history_user = by
    # The search column follows the number symbol (Document.save derives it).
    document.save(update_fields=[*fields, "search_text"])
    return document


def deliveries_create(*, document: Document, units, now: dt.datetime) -> int:
    """units: a Unit queryset. Set-based inside the database, whatever the size of the tree: each row copies the
    unit's lineage, depth and kind at issue time and takes the next incoming number (số đến) of its unit's
    incoming register for the Hanoi year of arrival.

    The numbers come from IncomingRegister rows: the missing ones are inserted, then every recipient's row is
    locked in unit order (two documents sent at once to overlapping units wait for each other, never deadlock)
    and bumped by one UPDATE; the INSERT … SELECT reads each unit's new last number. The deliveries' summary rows
    (directives.summaries) are written in the same transaction."""
    year = timezone.localdate(now).year
    unit_ids_sql, unit_ids_params = units.order_by().values("pk").query.sql_with_params()
    sql, params = units.order_by().values_list("pk", "lineage", "depth", "kind").query.sql_with_params()
    ops = connection.ops
    table = ops.quote_name(Delivery._meta.db_table)
    registers = ops.quote_name(IncomingRegister._meta.db_table)
    in_units = f"year = %s AND unit_id IN ({unit_ids_sql})"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {registers} (unit_id, year, last_number) SELECT u.pk, %s, 0 FROM ({unit_ids_sql}) u WHERE true "
            "ORDER BY u.pk ON CONFLICT (unit_id, year) DO NOTHING",
            [year, *unit_ids_params],
        )
        if connection.features.has_select_for_update:  # SQLite: one writer at a time already
            cursor.execute(
                f"SELECT count(*) FROM (SELECT id FROM {registers} WHERE {in_units} ORDER BY unit_id FOR UPDATE) l",
                [year, *unit_ids_params],
            )
        cursor.execute(
            f"UPDATE {registers} SET last_number = last_number + 1 WHERE {in_units}", [year, *unit_ids_params]
        )
        insert = (
            f"INSERT INTO {table} (unit_id, lineage, depth, unit_kind, document_id, delivered_at, due_on, outcome, "
            "result_note, reason, evidence, evidence_name, assignment_note, incoming_year, incoming_number) "
            f"SELECT u.*, %s, %s, %s, %s, '', '', '', '', '', r.year, r.last_number FROM ({sql}) u "
            f"JOIN {registers} r ON r.unit_id = u.pk AND r.year = %s"
        )
        # The constants' placeholders come before the subquery's in the SQL text, the year after it.
        cursor.execute(
            insert,
            [
                document.pk,
                ops.adapt_datetimefield_value(now),
                ops.adapt_datefield_value(document.due_on),
                DeliveryOutcome.PENDING,
                *params,
                year,
            ],
        )
        delivered = cursor.rowcount
    delivery_summaries_refresh(document_ids=[document.pk])
    return delivered
