from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from ..enums import Eligibility, RoundKind
from ..models import Award, Contest, FinalSlot
from ..selectors import contests_public_with_windows, entrant_of, submitted_entry_count


@require_GET
def contest_index(request):
    contests = contests_public_with_windows()
    if len(contests) == 1:
        return redirect("contest:public", contests[0].slug)
    return render(request, "contest/index.html", {"contests": contests})


@require_GET
def contest_public(request, slug):
    contest = get_object_or_404(
        Contest.objects.prefetch_related("rounds__criteria", "prize_tiers"), slug=slug, is_public=True
    )
    rounds = {r.kind: r for r in contest.rounds.all()}
    winners = hall = slots = []
    if contest.results_published:
        winners = list(
            Award.objects.filter(entry__contest=contest)
            .select_related("tier", "entry__entrant")
            .order_by("tier__group", "tier__rank", "entry__code")
        )
        hall = [a for a in winners if a.entry.hall_of_fame_consent]
    final = rounds.get(RoundKind.FINAL)
    if final is not None:
        slots = list(
            FinalSlot.objects.filter(round=final)
            .select_related("entry")
            .only("order", "starts_at", "ends_at", "entry__code", "entry__title")
        )
    return render(
        request,
        "contest/public.html",
        {
            "contest": contest,
            "preliminary": rounds.get(RoundKind.PRELIMINARY),
            "final": final,
            "entry_count": submitted_entry_count(contest),
            "winners": winners,
            "hall": hall,
            "slots": slots,
            "entrant": entrant_of(request.user, contest),
            "eligibility_choices": Eligibility.choices,
        },
    )
