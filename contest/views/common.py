from django.shortcuts import get_object_or_404

from campaign_portal.view_helpers import require_perm

from ..models import Contest


def managed_contest(request, slug) -> Contest:
    contest = get_object_or_404(Contest, slug=slug)
    require_perm(request.user, "contest.manage_contest", contest)
    return contest
