from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from campaign_portal.ratelimit import CONTEST_ENTRY_LOOKUP, client_ip, rate_limit_hit

from ..enums import Eligibility, RoundKind
from ..forms import EntryLookupForm
from ..models import Award, Contest, FinalSlot
from ..selectors import contests_public_with_windows, entrant_of, entry_lookup, submitted_entry_count


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


@require_http_methods(["GET", "POST"])
def entry_status_lookup(request):
    """Anyone with the entry's code and the e-mail or phone it was entered with sees its status (never the
    judges or their scores). A POST keeps the e-mail out of URLs and logs; it reads only."""
    form = EntryLookupForm(request.POST or None)
    entry = None
    status = 200
    if request.method == "POST":
        if rate_limit_hit(policy=CONTEST_ENTRY_LOOKUP, key=client_ip(request)):
            form.is_valid()
            form.add_error(None, _("Bạn đã tra cứu quá nhiều lần trong một giờ. Vui lòng thử lại sau."))
            status = 429
        elif form.is_valid():
            entry = entry_lookup(code=form.cleaned_data["code"], contact=form.cleaned_data["contact"])
            if entry is None:
                form.add_error(None, _("Không tìm thấy bài dự thi với mã và thông tin liên hệ này."))
                status = 404
    award = getattr(entry, "award", None) if entry and entry.contest.results_published else None
    return render(request, "contest/entry_lookup.html", {"form": form, "entry": entry, "award": award}, status=status)
