"""Who may do what with documents and deliveries.

- Draft, edit, issue, attach: officers/heads of the issuing unit (and portal admins).
- A draft is private to its issuing unit.
- An issued document: the issuing unit's members, the addressees, and members of any
  unit above an addressee (checked against the deliveries' lineage copied at issue).
- A delivery is worked on (opened, acknowledged, implemented) by the receiving unit's officers/heads.
"""

import rules
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from organizations.rules import (
    WORK_ROLES,
    belongs_to_a_unit,
    former_memberships_of,
    is_member_of,
    is_officer_of,
    is_portal_admin,
    memberships_of,
    was_member_of,
)

from .enums import DELIVERY_TRANSITIONS, DeliveryOutcome, DocumentStatus


def readable_segments(user) -> set[str]:
    """ "/CODE/" of her units and of units dissolved while she belonged to them. A delivery whose
    lineage (copied at issue) holds one went to that unit or below it at the time: a later move
    or dissolution neither hides it nor shows it to the unit's new superiors."""
    units = [m.unit for m in memberships_of(user)] + [m.unit for m in former_memberships_of(user)]
    return {_segment(unit.code) for unit in units}


def _segment(code: str) -> str:
    return f"/{code}/"


def reached_within_q(units, field_name="lineage") -> Q:
    """Deliveries to these units or below them, on the tree as it stood when each was delivered.

    A delivery's lineage holds the stable codes of the units above it then, so containment of a code
    is true to that date: a reorganisation later (which rewrites the units' own lineage) changes nothing."""
    return _contains_any_q(field_name, {_segment(unit.code) for unit in units})


def reached_q(user) -> Q:
    """Deliveries the user's units (and the units dissolved while she belonged to them) received or lay above."""
    return _contains_any_q("lineage", readable_segments(user))


def _contains_any_q(field_name: str, segments: set[str]) -> Q:
    condition = Q(pk__in=[])
    for segment in sorted(segments):
        condition |= Q(**{f"{field_name}__contains": segment})
    return condition


@rules.predicate
def is_issuer_officer(user, document):
    return document is not None and is_officer_of(user, document.issuing_unit)


@rules.predicate
def is_issuer_member(user, document):
    return document is not None and is_member_of(user, document.issuing_unit)


@rules.predicate
def was_issuer_member(user, document):
    return document is not None and was_member_of(user, document.issuing_unit)


@rules.predicate
def is_draft(user, document):
    return document is not None and document.is_draft


@rules.predicate
def is_awaiting_signature(user, document):
    return document is not None and document.status == DocumentStatus.AWAITING_SIGNATURE


@rules.predicate
def is_issued(user, document):
    return document is not None and document.is_issued


@rules.predicate
def reaches_user_units(user, document):
    """An addressee unit was one of the user's units or lay below one when it was issued (one query)."""
    if document is None or not document.is_issued or not readable_segments(user):
        return False
    return document.deliveries.filter(reached_q(user)).exists()


@rules.predicate
def is_delivery_officer(user, delivery):
    return delivery is not None and is_officer_of(user, delivery.unit)


def subordinate_units(unit):
    """The unit's children still active: whom a document implementing a received one would address."""
    from organizations.models import Unit

    return Unit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1, dissolved_on__isnull=True)


@rules.predicate
def delivery_unit_has_subordinates(user, delivery):
    """A union with no active units under it has no one to pass a document on to (one query, skipped when the
    tree says it has no children at all)."""
    return delivery is not None and delivery.unit.numchild > 0 and subordinate_units(delivery.unit).exists()


@rules.predicate
def delivery_can_view(user, delivery):
    return delivery is not None and (
        is_portal_admin(user)
        or is_member_of(user, delivery.unit)
        or any(segment in delivery.lineage for segment in readable_segments(user))
        or is_issuer_member(user, delivery.document)
        or was_issuer_member(user, delivery.document)
    )


@rules.predicate
def is_delivery_pending(user, delivery):
    """The delivery can still move (DELIVERY_TRANSITIONS): its outcome is not final."""
    return delivery is not None and bool(DELIVERY_TRANSITIONS[DeliveryOutcome(delivery.outcome)])


@rules.predicate
def is_delivery_acknowledged(user, delivery):
    return delivery is not None and delivery.acknowledged_at is not None


def _lineage_codes(lineage: str) -> list[str]:
    return [code for code in lineage.split("/") if code]


def delivery_supervisor_codes(deliveries) -> dict[int, str | None]:
    """The code of the unit each delivery's unit answers to for that document, by delivery id: the nearest unit
    above it in its lineage (the tree when it was delivered) that itself received the document or issued it;
    the issuer when no unit above it did (an area or a list of units addressed directly). Never the unit itself.
    Two queries, whatever the number of deliveries."""
    from .models import Delivery, Document

    deliveries = list(deliveries)
    if not deliveries:
        return {}
    document_ids = {d.document_id for d in deliveries}
    above = {d.pk: _lineage_codes(d.lineage)[:-1] for d in deliveries}
    codes = set().union(*above.values())
    received = set(
        Delivery.objects.filter(document_id__in=document_ids, unit__code__in=codes).values_list(
            "document_id", "unit__code"
        )
    )
    # The issuer's code is the last of its lineage at issue: no query when the documents are loaded already.
    loaded = {d.document_id: d.document for d in deliveries if Delivery.document.is_cached(d)}
    issuers = {pk: _lineage_codes(doc.issuing_lineage)[-1] for pk, doc in loaded.items() if doc.issuing_lineage}
    if document_ids - issuers.keys():
        issuers.update(
            Document.objects.filter(pk__in=document_ids - issuers.keys()).values_list("pk", "issuing_unit__code")
        )
    result = {}
    for delivery in deliveries:
        issuer = issuers.get(delivery.document_id)
        own = _lineage_codes(delivery.lineage)[-1:]
        nearest = next(
            (c for c in reversed(above[delivery.pk]) if c == issuer or (delivery.document_id, c) in received),
            issuer,
        )
        result[delivery.pk] = None if [nearest] == own else nearest
    return result


def delivery_supervisor_code(delivery) -> str | None:
    """One delivery's supervisor code, cached on it (services set it for many at once)."""
    if not hasattr(delivery, "_supervisor_code"):
        delivery._supervisor_code = delivery_supervisor_codes([delivery])[delivery.pk]
    return delivery._supervisor_code


@rules.predicate
def is_delivery_overdue(user, delivery):
    """Late and still to be implemented: what a supervisor may remind about."""
    return (
        delivery is not None
        and delivery.outcome == DeliveryOutcome.PENDING
        and delivery.due_on is not None
        and delivery.due_on < timezone.localdate()
    )


@rules.predicate
def acts_for_delivery_supervisor(user, delivery):
    """Officer or head of the unit the delivery's unit answers to for this document."""
    if delivery is None:
        return False
    officer_codes = {m.unit.code for m in memberships_of(user) if m.role in WORK_ROLES}
    return bool(officer_codes) and delivery_supervisor_code(delivery) in officer_codes


@rules.predicate
def is_officer_somewhere(user):
    """Works (officer or head) for at least one unit: she may draft for it."""
    return any(m.role in WORK_ROLES for m in memberships_of(user))


def sees_whole_cascade(user, document) -> bool:
    """The issuer's members (present, and former ones of a dissolved issuer) and portal admins see every
    delivery of a cascade; anyone else only the deliveries reaching her units (reached_q)."""
    return bool(is_portal_admin(user) or is_issuer_member(user, document) or was_issuer_member(user, document))


def document_visible_q(user) -> Q:
    """The rule view_document as a condition on documents, for lists: drafts of the units she works for;
    issued documents of her units (or of units dissolved while she belonged to them) or reaching her units."""
    from .models import Delivery

    if is_portal_admin(user):
        return Q()
    member_unit_ids = [m.unit_id for m in memberships_of(user)] + [m.unit_id for m in former_memberships_of(user)]
    officer_unit_ids = [m.unit_id for m in memberships_of(user) if m.role in WORK_ROLES]
    reached = Delivery.objects.filter(reached_q(user), document=OuterRef("pk"))
    return Q(issuing_unit_id__in=officer_unit_ids) | Q(status=DocumentStatus.ISSUED) & (
        Q(issuing_unit_id__in=member_unit_ids) | Exists(reached)
    )


def register_readable_q(user) -> Q:
    """The units whose register she may open (the rule view_register, as a condition on units): her units,
    those she belonged to when they were dissolved, and for a portal admin every unit that numbered something it
    sent (a directive, a report, a contest paper). One condition, so that the unit list is one queryset."""
    from .models import RegisterEntry

    units = [m.unit_id for m in memberships_of(user)] + [m.unit_id for m in former_memberships_of(user)]
    condition = Q(pk__in=units)
    if is_portal_admin(user):
        condition |= Exists(RegisterEntry.objects.filter(register__unit=OuterRef("pk")))
    return condition


can_edit_document = is_draft & (is_portal_admin | is_issuer_officer)
# Issuing goes on while the numbered document waits for the signer's signed file (nothing in it can be edited).
can_issue_document = (is_draft | is_awaiting_signature) & (is_portal_admin | is_issuer_officer)
can_acknowledge_delivery = is_delivery_officer & is_delivery_pending & ~is_delivery_acknowledged
can_implement_delivery = is_delivery_officer & is_delivery_pending
can_assign_delivery = is_delivery_officer & is_delivery_pending
can_view_document = (
    is_portal_admin | is_issuer_officer | (is_issued & (is_issuer_member | was_issuer_member | reaches_user_units))
)
can_remind_delivery = is_delivery_overdue & (is_portal_admin | acts_for_delivery_supervisor)
can_view_cascade = is_issued & (is_portal_admin | is_issuer_member | was_issuer_member | reaches_user_units)

rules.add_perm("directives.see_directives", is_portal_admin | belongs_to_a_unit)  # the header's link
rules.add_perm("directives.draft_document", is_portal_admin | is_officer_somewhere)  # no obj: has a unit to draft for
rules.add_perm("directives.draft_for_unit", is_portal_admin | is_officer_of)  # obj: a Unit
rules.add_perm("directives.view_register", is_portal_admin | is_member_of | was_member_of)  # obj: a Unit
# The incoming register is the clerk's book of the unit's work: its officers and heads (a parent's head reads
# how the unit implements each document on the cascade page, not its book). obj: a Unit.
rules.add_perm("directives.view_incoming_register", is_officer_of)
rules.add_perm("directives.view_document", can_view_document)
rules.add_perm("directives.change_document", can_edit_document)
rules.add_perm("directives.issue_document", can_issue_document)
# Whoever could have issued it (whatever its state): a second confirmation of an issued draft is told so, not 404.
rules.add_perm("directives.confirm_issue", is_portal_admin | is_issuer_officer)
rules.add_perm("directives.view_cascade", can_view_cascade)
rules.add_perm("directives.view_delivery", delivery_can_view)
rules.add_perm("directives.work_on_delivery", is_delivery_officer)
rules.add_perm("directives.acknowledge_delivery", can_acknowledge_delivery)
rules.add_perm("directives.implement_delivery", can_implement_delivery)
# "Soạn văn bản triển khai cho đơn vị trực thuộc": only where there are units to address.
rules.add_perm("directives.draft_implementing", is_delivery_officer & delivery_unit_has_subordinates)
rules.add_perm("directives.remind_delivery", can_remind_delivery)
rules.add_perm("directives.assign_delivery", can_assign_delivery)
