"""Who may do what with documents and deliveries.

- Draft, edit, issue, attach: officers/heads of the issuing unit (and portal admins).
- A draft is private to its issuing unit.
- An issued document: the issuing unit's members, the addressees, and members of any
  unit above an addressee (checked against the deliveries' lineage copied at issue).
- A delivery is worked on (opened, acknowledged, implemented) by the receiving unit's officers/heads.
"""

import rules

from organizations.rules import is_member_of, is_officer_of, is_portal_admin, memberships_of


@rules.predicate
def is_issuer_officer(user, document):
    return document is not None and is_officer_of(user, document.issuing_unit)


@rules.predicate
def is_issuer_member(user, document):
    return document is not None and is_member_of(user, document.issuing_unit)


@rules.predicate
def is_draft(user, document):
    return document is not None and document.is_draft


@rules.predicate
def is_issued(user, document):
    return document is not None and document.is_issued


@rules.predicate
def reaches_user_units(user, document):
    """An addressee unit is one of the user's units or lay below one when it was delivered (one query)."""
    if document is None or not document.is_issued:
        return False
    units = [m.unit for m in memberships_of(user)]
    if not units:
        return False
    from .selectors import reached_within_q

    return document.deliveries.filter(reached_within_q(units)).exists()


@rules.predicate
def is_delivery_officer(user, delivery):
    return delivery is not None and is_officer_of(user, delivery.unit)


@rules.predicate
def delivery_can_view(user, delivery):
    return delivery is not None and (
        is_portal_admin(user)
        or is_member_of(user, delivery.unit)
        or any(f"/{m.unit.code}/" in delivery.lineage for m in memberships_of(user))  # the tree when delivered
        or is_issuer_member(user, delivery.document)
    )


can_edit_document = is_draft & (is_portal_admin | is_issuer_officer)
can_view_document = is_portal_admin | is_issuer_officer | (is_issued & (is_issuer_member | reaches_user_units))
can_view_cascade = is_issued & (is_portal_admin | is_issuer_member | reaches_user_units)

rules.add_perm("directives.draft_for_unit", is_portal_admin | is_officer_of)  # obj: a Unit
rules.add_perm("directives.view_register", is_portal_admin | is_member_of)  # obj: a Unit
rules.add_perm("directives.view_document", can_view_document)
rules.add_perm("directives.change_document", can_edit_document)
rules.add_perm("directives.issue_document", can_edit_document)
rules.add_perm("directives.view_cascade", can_view_cascade)
rules.add_perm("directives.view_delivery", delivery_can_view)
rules.add_perm("directives.work_on_delivery", is_delivery_officer)
