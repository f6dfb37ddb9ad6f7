"""Object-level predicates on units. Every app composes its rules from these.

They read user.active_memberships, loaded once per request, so a page that
checks a hundred units still costs one query for the memberships.
"""

import rules

from .enums import Role

REVIEW_ROLES = {Role.HEAD}
WORK_ROLES = {Role.OFFICER, Role.HEAD}


def memberships_of(user) -> list:
    """The user's active memberships (loaded once per request); none for anonymous users."""
    if not getattr(user, "is_authenticated", False):
        return []
    return user.active_memberships


def former_memberships_of(user) -> list:
    """Memberships ended by the unit's dissolution: they open its past read-only, never a write."""
    if not getattr(user, "is_authenticated", False):
        return []
    return user.former_memberships


@rules.predicate
def is_portal_admin(user):
    return bool(getattr(user, "is_authenticated", False) and user.is_portal_admin)


@rules.predicate
def is_member_of(user, unit):
    return unit is not None and any(m.unit_id == unit.pk for m in memberships_of(user))


@rules.predicate
def was_member_of(user, unit):
    """Belonged to the unit when it was dissolved (reads its page, documents and reports)."""
    return unit is not None and any(m.unit_id == unit.pk for m in former_memberships_of(user))


@rules.predicate
def is_officer_of(user, unit):
    """Files and reads the unit's own work."""
    return unit is not None and any(m.unit_id == unit.pk and m.role in WORK_ROLES for m in memberships_of(user))


@rules.predicate
def is_head_of(user, unit):
    return unit is not None and any(m.unit_id == unit.pk and m.role in REVIEW_ROLES for m in memberships_of(user))


@rules.predicate
def is_member_of_ancestor(user, unit):
    return unit is not None and any(
        unit.path.startswith(m.unit.path) and m.unit_id != unit.pk for m in memberships_of(user)
    )


@rules.predicate
def heads_an_ancestor_of(user, unit):
    """Reviews the unit's work: head of any unit above it."""
    return unit is not None and any(
        m.role in REVIEW_ROLES and unit.path.startswith(m.unit.path) and m.unit_id != unit.pk
        for m in memberships_of(user)
    )


@rules.predicate
def heads_parent_of(user, unit):
    if unit is None or unit.depth <= 1:
        return False
    parent_path = unit.path[: -unit.steplen]
    return any(m.role in REVIEW_ROLES and m.unit.path == parent_path for m in memberships_of(user))


@rules.predicate
def belongs_to_a_unit(user):
    """Holds, or held until a dissolution, a membership: the unit tree has something for her."""
    return bool(memberships_of(user) or former_memberships_of(user))


@rules.predicate
def is_admin_site_user(user):
    """Django admin's own test (an active staff account): the header offers its link to no one else."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_staff)


@rules.predicate
def requested_export(user, job):
    return job is not None and getattr(user, "is_authenticated", False) and job.requested_by_id == user.pk


@rules.predicate
def may_still_export(user, job):
    """The data of an export stays hers only while she may still export it (a membership may have ended)."""
    from campaign_portal.registry import EXPORTS

    return job is not None and job.kind in EXPORTS and bool(EXPORTS[job.kind].allowed(user, job.params))


can_view_unit = is_portal_admin | is_member_of | is_member_of_ancestor | was_member_of
can_manage_tree = is_portal_admin

rules.add_perm("organizations.view_unit", can_view_unit)
rules.add_perm("organizations.view_unit_members", is_portal_admin | is_head_of | heads_an_ancestor_of)
rules.add_perm("organizations.manage_tree", can_manage_tree)
rules.add_perm("organizations.manage_members", is_portal_admin)
rules.add_perm("organizations.open_export", requested_export & may_still_export)
# The header's links (campaign_portal.navigation): asked without an object.
rules.add_perm("organizations.open_own_page", rules.is_authenticated)
rules.add_perm("organizations.see_unit_tree", is_portal_admin | belongs_to_a_unit)
rules.add_perm("organizations.open_admin", is_admin_site_user)
