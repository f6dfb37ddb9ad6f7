"""Reads on documents and deliveries, each in a bounded number of queries."""

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    When,
)
from django.db.models import Value as V
from django.db.models.functions import Coalesce
from django.utils import timezone

from campaign_portal.calendar import HANOI
from campaign_portal.pdf import date_numeric, render_body, vnd_in_words
from campaign_portal.text import fold
from organizations.documents import official_header
from organizations.enums import UnitKind
from organizations.models import AdministrativeArea, Unit, User
from organizations.rules import WORK_ROLES
from organizations.selectors import unit_officers, units_in_area_q

from .enums import DeliveryOutcome, DocumentStatus, LinkKind
from .models import Delivery, DeliveryReminder, DeliverySummary, Document, DocumentLink, Register, RegisterEntry
from .rules import (
    delivery_supervisor_codes,
    document_visible_q,
    reached_q,
    reached_within_q,
    register_readable_q,
    sees_whole_cascade,
)

MAX_CASCADE_LEVELS = 8


def _officer_units(user: User) -> list[Unit]:
    return [m.unit for m in user.active_memberships if m.role in WORK_ROLES]


def hanoi_today() -> dt.date:
    """Deadlines are Hanoi dates: a document due 30/09 is overdue from 1/10 in Hanoi, whatever the server's zone."""
    return timezone.localdate(timezone=HANOI)


def documents_visible_to(user: User) -> QuerySet[Document]:
    """Drafts of the units she works for; issued documents of her units or reaching her units' subtrees."""
    return Document.objects.select_related("issuing_unit").filter(document_visible_q(user))


@dataclass
class DocumentFilters:
    """What a documents list is searched by (a GET form): number/symbol or summary and issuer, both folded
    (accent- and case-insensitive, every word must appear), type, date range, overdue only."""

    text: str = ""
    issuer: str = ""
    doc_type: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    overdue_only: bool = False


def _words_q(field_name: str, text: str) -> Q:
    condition = Q()
    for word in fold(text).split():
        condition &= Q(**{f"{field_name}__contains": word})
    return condition


def documents_filtered(documents: QuerySet, filters: DocumentFilters, *, prefix: str = "") -> QuerySet:
    """Documents (prefix "") or rows pointing at one (prefix "document__": deliveries) narrowed by the filters;
    one WHERE clause, no query of its own. The overdue filter is applied by the caller, who knows for whom."""
    conditions = _words_q(f"{prefix}search_text", filters.text) & _words_q(
        f"{prefix}issuing_unit__search_text", filters.issuer
    )
    if filters.doc_type:
        conditions &= Q(**{f"{prefix}doc_type": filters.doc_type})
    if filters.date_from is not None:
        conditions &= Q(**{f"{prefix}issued_on__gte": filters.date_from})
    if filters.date_to is not None:
        conditions &= Q(**{f"{prefix}issued_on__lte": filters.date_to})
    return documents.filter(conditions)


def documents_list_for(
    user: User, filters: DocumentFilters | None = None, *, today: dt.date | None = None
) -> QuerySet[Document]:
    """The directives index: what she may see, searched, newest first. Each row says in the same query whether
    one of her units' deliveries of it is overdue (past its deadline, not implemented) and, for documents of
    her own units (every document for a portal admin), how many recipients are overdue."""
    today = today or hanoi_today()
    filters = filters or DocumentFilters()
    officer_units = [u.pk for u in _officer_units(user)]
    late = Delivery.objects.filter(late_q(today), document=OuterRef("pk"))
    late_count = late.order_by().values("document").annotate(n=Count("id")).values("n")
    count = Coalesce(Subquery(late_count, output_field=IntegerField()), V(0))
    if not user.is_portal_admin:  # a recipient learns of her own lateness, not of the other recipients'
        own_units = [m.unit_id for m in user.active_memberships]
        count = Case(When(issuing_unit_id__in=own_units, then=count), default=V(0), output_field=IntegerField())
    documents = documents_filtered(documents_visible_to(user), filters).annotate(
        overdue_for_me=Exists(late.filter(unit_id__in=officer_units)), overdue_recipients=count
    )
    if filters.overdue_only:
        documents = documents.filter(Q(overdue_for_me=True) | Q(overdue_recipients__gt=0))
    return documents.order_by(F("issued_on").desc(), "-id")


def inbox_for(user: User, filters: DocumentFilters | None = None, *, today: dt.date | None = None):
    """What her units received, searched, newest first; each row knows whether it is overdue (same query)."""
    today = today or hanoi_today()
    deliveries = deliveries_received_by(units=_officer_units(user)).annotate(
        overdue=Case(When(late_q(today), then=V(True)), default=V(False), output_field=BooleanField())
    )
    if filters is None:
        return deliveries
    deliveries = documents_filtered(deliveries, filters, prefix="document__")
    if filters.overdue_only:
        deliveries = deliveries.filter(late_q(today))
    return deliveries


def deliveries_received_by(*, units) -> QuerySet[Delivery]:
    """What these units received, newest first: by unit, never by place in the tree, so the list of a unit
    dissolved or moved since is the one it had."""
    return with_last_reminder(
        Delivery.objects.filter(unit_id__in=[u.pk for u in units])
        .select_related("document", "document__issuing_unit", "unit", "acknowledged_by")
        .order_by("-delivered_at", "-id")
    )


def received_documents_for(unit: Unit) -> QuerySet[Document]:
    return Document.objects.filter(deliveries__unit=unit, status=DocumentStatus.ISSUED).order_by("-issued_on")


def units_for_drafting(user: User) -> QuerySet[Unit]:
    if user.is_portal_admin:
        return Unit.objects.exclude(kind=UnitKind.GRASSROOTS_UNION).order_by("path")
    return Unit.objects.filter(pk__in=[u.pk for u in _officer_units(user)]).order_by("path")


# ---------------------------------------------------------------- one document


def document_pdf_context(document: Document) -> dict:
    """Everything templates/documents/directive.html needs, in a handful of queries."""
    from .services import document_legal_bases

    # A draft shows the live tree; an issued document the place its unit had when it was issued.
    header = official_header(
        unit=document.issuing_unit,
        on=None if document.is_draft else document.issued_on,
        lineage=None if document.is_draft else document.issuing_lineage,
        number_symbol=document.number_symbol,
    )
    rows = list(document.appendix_rows.all())
    total = sum((r.amount for r in rows), 0)
    return {
        "title": str(document),
        "document": document,
        **header,
        "place": document.place,
        "date": document.issued_on,
        "doc_type_label": document.type_heading,
        "is_cong_van": document.is_cong_van,
        "subject": document.subject,
        "legal_bases": document_legal_bases(document),
        "addressees": [
            line.strip().lstrip("-").strip().rstrip(";.") for line in document.kinh_gui.splitlines() if line.strip()
        ],
        "body_html": render_body(document.body),
        "closing_html": render_body(document.closing) if document.closing else "",
        "tasks": [(t.title, date_numeric(t.deadline)) for t in document.tasks.all()],
        "signer_authority": document.signer_authority,
        "signer_position": document.signer_position,
        "signer_name": document.signer_name,
        "distribution": [line.strip() for line in document.noi_nhan.splitlines() if line.strip()],
        "appendix_rows": [
            {"row": r, "budget_lines": [x.strip() for x in r.budget_note.split(";") if x.strip()]} for r in rows
        ],
        "appendix_title": document.appendix_title,
        # Amounts stay numbers: templates show them the way they are typed (|number).
        "appendix_total": total if rows else None,
        "appendix_total_words": vnd_in_words(total) if rows and total else "",
        "draft": document.is_draft,
    }


def document_page(*, document: Document, user: User, today: dt.date | None = None) -> dict:
    """What the document page shows the user: the document as printed, its links and attachments, her unit's
    delivery of it, and what she may do (can_* flags from the rules)."""
    from .services import document_issue_date
    from .signing import document_signing_state

    context = document_pdf_context(document)
    delivery = delivery_for(document, user) if document.is_issued else None
    can_edit = user.has_perm("directives.change_document", document)
    if delivery is not None:
        context.update(assignments=delivery_assignments(delivery), colleagues=unit_colleagues(delivery.unit))
    context.update(
        links=document_links(document),
        attachments=list(document.attachments.all()),
        delivery=delivery,
        can_edit=can_edit,
        can_issue=user.has_perm("directives.issue_document", document),
        can_cascade=user.has_perm("directives.view_cascade", document),
        can_acknowledge=delivery is not None and user.has_perm("directives.acknowledge_delivery", delivery),
        can_implement=delivery is not None and user.has_perm("directives.implement_delivery", delivery),
        can_assign=delivery is not None and user.has_perm("directives.assign_delivery", delivery),
        can_draft_implementing=delivery is not None
        and user.has_perm("directives.implement_delivery", delivery)
        and user.has_perm("directives.draft_implementing", delivery),
        # The page records the unit's first opening with a POST from static/directives/record-read.js (a GET
        # never writes); the form is also the no-JavaScript fallback.
        can_record_read=delivery is not None
        and delivery.read_at is None
        and user.has_perm("directives.work_on_delivery", delivery),
        delivery_count=document.deliveries.count() if document.is_issued else None,
        # Past its deadline and not implemented (historic documents too: relative to today).
        delivery_overdue=delivery is not None
        and not delivery.is_implemented
        and delivery.is_late(today or hanoi_today()),
        overdue_recipients=document.deliveries.filter(late_q(today or hanoi_today())).count()
        if document.is_issued and sees_whole_cascade(user, document)
        else None,
        # The date the draft would carry if issued today (another year's draft is re-dated).
        issue_day=document_issue_date(document=document, today=today or timezone.localdate()) if can_edit else None,
        can_upload_signed=document.status == DocumentStatus.AWAITING_SIGNATURE
        and user.has_perm("directives.issue_document", document),
        **document_signing_state(document),
    )
    return context


@dataclass
class IssuePreview:
    """What issuing a draft today would do, read without writing: the units it goes to (the same selector the
    issue uses), the number it should take and the date it will carry."""

    addressees: QuerySet[Unit]
    addressee_count: int
    kind_counts: list[dict]
    expected_number: int
    expected_number_symbol: str
    issue_day: dt.date


def document_issue_preview(*, document: Document, today: dt.date | None = None) -> IssuePreview:
    """Three queries. The number is the register's next one now: another document issued first takes it
    (document_issue numbers under a row lock), so the page calls it expected."""
    from .services import document_addressees, document_issue_date, number_symbol_for

    today = today or timezone.localdate()
    addressees = document_addressees(document).order_by("path")
    kind_counts = [
        {"kind": row["kind"], "label": UnitKind(row["kind"]).label, "count": row["count"]}
        for row in addressees.order_by().values("kind").annotate(count=Count("id")).order_by("kind")
    ]
    last_number = (
        Register.objects.filter(unit=document.issuing_unit, code="", year=today.year)
        .values_list("last_number", flat=True)
        .first()
    )
    expected_number = (last_number or 0) + 1
    return IssuePreview(
        addressees=addressees,
        addressee_count=sum(row["count"] for row in kind_counts),
        kind_counts=kind_counts,
        expected_number=expected_number,
        expected_number_symbol=number_symbol_for(document=document, number=expected_number),
        issue_day=document_issue_date(document=document, today=today),
    )


def document_links(document: Document) -> dict:
    out = list(document.links_out.select_related("target"))
    incoming = list(document.links_in.select_related("source", "source__issuing_unit"))
    return {
        "implements": [link.target for link in out if link.kind == LinkKind.IMPLEMENTS],
        "amends": [link.target for link in out if link.kind == LinkKind.AMENDS],
        "replaces": [link.target for link in out if link.kind == LinkKind.REPLACES],
        "implemented_by": [link.source for link in incoming if link.kind == LinkKind.IMPLEMENTS],
        "amended_by": [link.source for link in incoming if link.kind == LinkKind.AMENDS],
        "replaced_by": [link.source for link in incoming if link.kind == LinkKind.REPLACES],
    }


def delivery_for(document: Document, user: User) -> Delivery | None:
    """The delivery of this document to one of the units the user works for, if any."""
    units = [u.pk for u in _officer_units(user)]
    return with_last_reminder(
        Delivery.objects.filter(document=document, unit_id__in=units).select_related(
            "unit", "assignee", "acknowledged_by", "completed_by"
        )
    ).first()


@dataclass
class Assignment:
    assignee: User
    due_on: dt.date | None
    note: str
    at: dt.datetime
    by: User | None


def delivery_assignments(delivery: Delivery) -> list[Assignment]:
    """Who was given the document to handle, by whom and when, oldest first: read from the delivery's history,
    where each (re)assignment left its row (one query)."""
    rows = (
        delivery.history.filter(assigned_at__isnull=False)
        .select_related("assignee", "assigned_by")
        .order_by("history_date", "history_id")
    )
    assignments, seen = [], set()
    for row in rows:
        if row.assigned_at in seen:
            continue  # a later step (acknowledged, done) copies the same assignment into its history row
        seen.add(row.assigned_at)
        assignments.append(
            Assignment(row.assignee, row.assignee_due_on, row.assignment_note, row.assigned_at, row.assigned_by)
        )
    return assignments


# ---------------------------------------------------------------- the cascade


def cascade_document_ids(document: Document) -> list[int]:
    """The document and every issued document implementing it, transitively (one query per level)."""
    ids, frontier = [document.pk], [document.pk]
    for _level in range(MAX_CASCADE_LEVELS):
        frontier = list(
            DocumentLink.objects.filter(
                target_id__in=frontier, kind=LinkKind.IMPLEMENTS, source__status=DocumentStatus.ISSUED
            )
            .exclude(source_id__in=ids)
            .values_list("source_id", flat=True)
        )
        if not frontier:
            break
        ids.extend(frontier)
    return ids


@dataclass
class CascadeFilters:
    late_only: bool = False
    within: Unit | None = None  # drill-down / a district
    kind: str = ""
    area: AdministrativeArea | None = None  # units covering this commune/ward on each document's date
    document_text: str = ""  # number/symbol or summary of the cascade's documents, folded

    def as_params(self) -> dict:
        """The filters as JSON (an export job's params), units and areas by their codes."""
        return {
            "late_only": self.late_only,
            "within": self.within.code if self.within else "",
            "kind": self.kind,
            "area": self.area.code if self.area else "",
            "document_text": self.document_text,
        }

    @classmethod
    def from_params(cls, params: dict) -> "CascadeFilters":
        return cls(
            late_only=params["late_only"],
            within=Unit.objects.filter(code=params["within"]).first() if params["within"] else None,
            kind=params["kind"],
            area=AdministrativeArea.objects.filter(code=params["area"]).first() if params["area"] else None,
            document_text=params["document_text"],
        )


def _cascade_narrowed(rows: QuerySet, *, document: Document, user: User, filters: CascadeFilters, late: Q) -> QuerySet:
    """Deliveries or their summary rows (the same fields: document, lineage, unit_kind, unit) of a document's
    cascade the user may see: the issuer all, a unit her subtree; narrowed by the filters, `late` standing for
    "late only" on that model."""
    rows = rows.filter(document_id__in=cascade_document_ids(document))
    if not sees_whole_cascade(user, document):
        rows = rows.filter(reached_q(user))
    if filters.within is not None:
        rows = rows.filter(reached_within_q([filters.within]))
    if filters.kind:
        rows = rows.filter(unit_kind=filters.kind)
    if filters.area is not None:
        rows = rows.filter(units_in_area_q(filters.area, OuterRef("document__issued_on"), prefix="unit__"))
    if filters.late_only:
        rows = rows.filter(late)
    if filters.document_text:
        rows = rows.filter(_words_q("document__search_text", filters.document_text))
    return rows


def cascade_deliveries(
    *, document: Document, user: User, filters: CascadeFilters, today: dt.date | None = None
) -> QuerySet[Delivery]:
    """The deliveries of a document's cascade the user may see, as filtered (the export and the reminders)."""
    late = late_q(today or timezone.localdate())
    return _cascade_narrowed(Delivery.objects.all(), document=document, user=user, filters=filters, late=late)


def cascade_summaries(
    *, document: Document, user: User, filters: CascadeFilters, today: dt.date | None = None
) -> QuerySet[DeliverySummary]:
    """The same deliveries as cascade_deliveries, as their summary rows: what the cascade page counts and pages."""
    late = summary_late_q(today or timezone.localdate())
    return _cascade_narrowed(DeliverySummary.objects.all(), document=document, user=user, filters=filters, late=late)


CASCADE_PAGE_SIZE = 50
# What a cascade row reads (the template, is_late, progress, the remind rule, the supervisors): the other columns
# of the three wide rows behind each (notes, evidence, a document's body) were a third of the time to load a page.
CASCADE_ROW_FIELDS = (
    "document_id",
    "unit_id",
    "lineage",
    "due_on",
    "read_at",
    "acknowledged_at",
    "outcome",
    "completed_at",
    "unit__code",
    "unit__name",
    "document__number_symbol",
    "document__issuing_lineage",
)


def cascade_page(
    summaries: QuerySet[DeliverySummary], *, count: int, page_number, user: User, today: dt.date | None = None
) -> tuple[Page, list[dict]]:
    """One page of the cascade's units in lineage order (the tree at issue), paged on the narrow summary rows,
    and its rows (cascade_rows) read from the page's deliveries: a handful of queries, whatever the cascade's size
    (the page's slice of summary rows is a subquery of the deliveries' query). count: how many rows `summaries`
    holds, known from the levels' totals (no second count)."""
    ordered = summaries.order_by("lineage", "delivery_id").values_list("delivery_id", flat=True)
    paginator = Paginator(ordered, CASCADE_PAGE_SIZE)
    paginator.count = count  # a cached property: set, it is not queried
    page = paginator.get_page(page_number)
    deliveries = with_last_reminder(
        Delivery.objects.filter(pk__in=page.object_list).select_related("unit", "document").only(*CASCADE_ROW_FIELDS)
    ).order_by("lineage", "pk")
    return page, cascade_rows(list(deliveries), user=user, today=today)


def cascade_rows(deliveries, *, user: User | None = None, today: dt.date | None = None) -> list[dict]:
    """One row per delivery of a cascade page: late or not, the unit above to escalate to when a unit is late and
    has not implemented, and whether the user may remind it (one query for the supervisors, none per row)."""
    today = today or timezone.localdate()
    supervisors = supervisors_for(deliveries)
    rows = []
    for delivery in deliveries:
        late = delivery.is_late(today)
        supervisor = supervisors.get(delivery.pk)
        escalate_to = supervisor if late and not delivery.is_implemented else None
        can_remind = user is not None and user.has_perm("directives.remind_delivery", delivery)
        rows.append(
            {
                "d": delivery,
                "late": late,
                "supervisor": supervisor,
                "escalate_to": escalate_to,
                "can_remind": can_remind,
            }
        )
    return rows


def with_last_reminder(deliveries: QuerySet[Delivery]) -> QuerySet[Delivery]:
    """Each delivery with the time its unit was last reminded ("Đôn đốc"), in the same query."""
    last = DeliveryReminder.objects.filter(delivery=OuterRef("pk")).order_by("-reminded_at")
    return deliveries.annotate(
        last_reminded_at=Subquery(last.values("reminded_at")[:1]),
        last_reminded_by=Subquery(last.values("by_unit__name")[:1]),
    )


def cascade_remind_targets(*, document: Document, user: User, filters: CascadeFilters, ids=None) -> list[Delivery]:
    """What a reminder from the cascade page reaches. Ticked (ids): those of the cascade she sees, as ticked (the
    service refuses any she may not remind); all: the late deliveries of the cascade (as filtered) she may remind.
    A forged id outside the cascade she sees is never reached. Three queries."""
    if ids is not None:
        deliveries = cascade_deliveries(document=document, user=user, filters=CascadeFilters()).filter(pk__in=ids)
        return list(deliveries.select_related("unit", "document").order_by("lineage"))
    late = CascadeFilters(
        late_only=True,
        within=filters.within,
        kind=filters.kind,
        area=filters.area,
        document_text=filters.document_text,
    )
    deliveries = list(
        cascade_deliveries(document=document, user=user, filters=late)
        .select_related("unit", "document")
        .order_by("lineage")
    )
    codes = delivery_supervisor_codes(deliveries)
    for delivery in deliveries:
        delivery._supervisor_code = codes[delivery.pk]
    return [d for d in deliveries if user.has_perm("directives.remind_delivery", d)]


def late_q(today: dt.date) -> Q:
    return Q(outcome=DeliveryOutcome.PENDING, due_on__lt=today)


def summary_late_q(today: dt.date) -> Q:
    """late_q on the summary rows: still to be implemented and past the due date."""
    return Q(is_implemented=False, due_on__lt=today)


def cascade_levels(summaries: QuerySet[DeliverySummary], *, today: dt.date | None = None) -> list[dict]:
    """Per level (depth, kind of unit): delivered, read, acknowledged, implemented, late, coverage %. One query,
    on the summary rows."""
    today = today or timezone.localdate()
    rows = (
        summaries.order_by()
        .values("depth", "unit_kind")
        .annotate(
            delivered=Count("pk"),
            read=Count("pk", filter=Q(is_read=True)),
            acknowledged=Count("pk", filter=Q(is_acknowledged=True)),
            implemented=Count("pk", filter=Q(is_implemented=True)),
            late=Count("pk", filter=summary_late_q(today)),
        )
        .order_by("depth", "unit_kind")
    )
    levels = []
    for row in rows:
        delivered = row["delivered"] or 1
        row["kind_label"] = UnitKind(row["unit_kind"]).label
        for key in ("read", "acknowledged", "implemented"):
            row[f"{key}_pct"] = round(100 * row[key] / delivered, 1)
        levels.append(row)
    return levels


def cascade_totals(levels: list[dict]) -> dict:
    keys = ("delivered", "read", "acknowledged", "implemented", "late")
    totals = {k: sum(level[k] for level in levels) for k in keys}
    totals["implemented_pct"] = round(100 * totals["implemented"] / (totals["delivered"] or 1), 1)
    return totals


def supervisors_for(deliveries) -> dict[int, Unit | None]:
    """The unit each delivery's unit answers to for its document, by delivery id (rules.delivery_supervisor_codes:
    the nearest unit above it then that received or issued the document, never itself). Three queries."""
    codes = delivery_supervisor_codes(deliveries)
    units = {u.code: u for u in Unit.objects.filter(code__in=set(codes.values()) - {None}).only("id", "code", "name")}
    for delivery in deliveries:
        delivery._supervisor_code = codes[delivery.pk]  # the rules ask again for can_remind: answered
    return {pk: units.get(code) for pk, code in codes.items()}


def cascade_districts(document: Document) -> list[Unit]:
    """Second-level units the cascade passes through, for the district filter (one query)."""
    return list(
        Unit.objects.filter(
            Exists(Delivery.objects.filter(document=document, unit=OuterRef("pk"))),
        )
        .exclude(kind=UnitKind.GRASSROOTS_UNION)
        .order_by("sort_key")[:200]
    )


# ---------------------------------------------------------------- the register


def register_units_for(user: User) -> QuerySet[Unit]:
    """The units whose register she may open, as the rule view_register says (rules.register_readable_q)."""
    return Unit.objects.filter(register_readable_q(user)).order_by("path")


def incoming_units_for(user: User) -> QuerySet[Unit]:
    """The units whose incoming register she keeps: those she is an officer or head of (view_incoming_register)."""
    return Unit.objects.filter(pk__in=[u.pk for u in _officer_units(user)]).order_by("path")


def register_years(unit: Unit) -> list[int]:
    """The years in which the unit numbered what it sent, newest first (one query): each is its own register."""
    return list(
        RegisterEntry.objects.filter(register__unit=unit)
        .order_by("-register__year")
        .values_list("register__year", flat=True)
        .distinct()
    )


def _period_q(field: str, date_from: dt.date | None, date_to: dt.date | None) -> Q:
    condition = Q()
    if date_from:
        condition &= Q(**{f"{field}__gte": date_from})
    if date_to:
        condition &= Q(**{f"{field}__lte": date_to})
    return condition


def register_entries(
    *,
    unit: Unit,
    year: int,
    q: str = "",
    kind: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[RegisterEntry]:
    """The unit's outgoing register of a year, in number order: every document it numbered, whichever app sent
    it (one table, one query). q: number, symbol or summary, accent- and case-insensitive."""
    entries = RegisterEntry.objects.filter(register__unit=unit, register__year=year).filter(
        _period_q("issued_on", date_from, date_to)
    )
    if kind:
        entries = entries.filter(kind=kind)
    if q and q.strip():
        entries = entries.filter(search_text__contains=fold(q))
    return entries.order_by("register__code", "number")


def incoming_issuers(unit: Unit) -> QuerySet[Unit]:
    """The units that sent documents to this one, for the incoming register's filter (one query)."""
    return Unit.objects.filter(Exists(Delivery.objects.filter(unit=unit, document__issuing_unit=OuterRef("pk"))))


def incoming_years(unit: Unit) -> list[int]:
    return list(
        Delivery.objects.filter(unit=unit, incoming_year__isnull=False)
        .order_by("-incoming_year")
        .values_list("incoming_year", flat=True)
        .distinct()
    )


def incoming_entries(
    *,
    unit: Unit,
    year: int,
    q: str = "",
    number: int | None = None,
    issuer: Unit | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[Delivery]:
    """The unit's incoming register (sổ văn bản đến) of a year, in incoming-number order, with what each row
    shows loaded (one query). Dates filter on the arrival day in Hanoi; q searches the document's number and
    summary, accent-insensitive."""
    deliveries = Delivery.objects.filter(unit=unit, incoming_year=year).filter(
        _period_q("delivered_at__date", date_from, date_to)
    )
    if number:
        deliveries = deliveries.filter(incoming_number=number)
    if issuer is not None:
        deliveries = deliveries.filter(document__issuing_unit=issuer)
    if q and q.strip():
        deliveries = deliveries.filter(document__search_text__contains=fold(q))
    return deliveries.select_related("document__issuing_unit", "assignee", "acknowledged_by", "completed_by").order_by(
        "incoming_number"
    )


def deliveries_assigned_to(user: User) -> QuerySet[Delivery]:
    """Documents given to her to handle (giao xử lý) and not implemented yet, soonest due first: her to-do."""
    return (
        Delivery.objects.filter(assignee=user, outcome=DeliveryOutcome.PENDING)
        .select_related("document", "unit")
        .order_by(F("assignee_due_on").asc(nulls_last=True), "-assigned_at")
    )


def unit_colleagues(unit: Unit) -> list[User]:
    """The officers and heads of a unit, those a received document can be given to (one query)."""
    return list(
        User.objects.filter(pk__in=unit_officers(unit_ids=[unit.pk]).values("user_id")).order_by("full_name", "pk")
    )


def appendix_total(document: Document) -> int:
    return document.appendix_rows.aggregate(total=Sum("amount"))["total"] or 0
