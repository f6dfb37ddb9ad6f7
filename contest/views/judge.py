"""The jury's pages. Blind: nothing here reads the entrant (name, unit, e-mail, phone)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from campaign_portal.exceptions import PortalError
from campaign_portal.view_helpers import download_response, require_perm

from .. import judging
from ..enums import AssignmentState, RoundState
from ..files import scan_response
from ..forms import ConflictForm, ScoreForm
from ..models import Assignment, ContestStaff
from ..selectors import judge_queue as judge_queue_selector

# A judge works down the queue a page at a time; pending work comes first.
JUDGE_QUEUE_PAGE_SIZE = 50

# Only these entry columns are ever loaded for a judge (no entrant join).
BLIND_ENTRY_FIELDS = (
    "entry__id",
    "entry__code",
    "entry__title",
    "entry__field",
    "entry__procedure",
    "entry__problem",
    "entry__solution",
    "entry__benefits",
    "entry__feasibility",
    "entry__scan",
    "entry__scan_kind",
    "entry__contest_id",
    "entry__entrant_id",
)


@login_required
@require_GET
def judge_queue(request):
    require_perm(request.user, "contest.judge_any")
    queue = judge_queue_selector(request.user)
    counts = queue.order_by().aggregate(total=Count("id"), done=Count("id", filter=Q(state=AssignmentState.SUBMITTED)))
    page = Paginator(queue, JUDGE_QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "contest/judge_queue.html", {"assignments": page, "page": page, **counts})


def _assignment(request, pk) -> Assignment:
    assignment = get_object_or_404(
        Assignment.objects.select_related("round__contest", "entry").only(
            "id",
            "state",
            "comment",
            "total",
            "judge_id",
            "round__id",
            "round__name",
            "round__kind",
            "round__state",
            "round__scores_open",
            "round__contest__id",
            "round__contest__name",
            "round__contest__fields",
            "round__contest__slug",
            *BLIND_ENTRY_FIELDS,
        ),
        pk=pk,
    )
    require_perm(request.user, "contest.judge_assignment", assignment)
    return assignment


@login_required
def judge_assignment(request, pk):
    assignment = _assignment(request, pk)
    round_ = assignment.round
    criteria = list(round_.criteria.all())
    scores = {s.criterion_id: s for s in assignment.scores.all()}
    form = ScoreForm(request.POST or None, criteria=criteria, scores=scores, initial={"comment": assignment.comment})
    if request.method == "POST" and form.is_valid():
        try:
            assignment = judging.assignment_score(
                assignment=assignment,
                values=form.values(),
                comments=form.comments(),
                comment=form.cleaned_data["comment"],
                submit=request.POST.get("action") == "submit",
                by=request.user,
            )
        except PortalError as error:
            form.add_error(None, str(error))
        else:
            if assignment.state == AssignmentState.SUBMITTED:
                messages.success(request, _("Đã nộp điểm."))
            else:
                messages.success(request, _("Đã lưu điểm. Điểm chưa được nộp: bấm “Nộp điểm” khi chấm xong."))
            return redirect("contest:judge_assignment", assignment.pk)
    others = []
    if round_.scores_open:
        labels = dict(
            ContestStaff.objects.filter(contest_id=round_.contest_id, role="judge").values_list("user_id", "label")
        )
        others = [
            (labels.get(j) or _("Giám khảo"), t)
            for j, t in Assignment.objects.filter(round=round_, entry_id=assignment.entry_id, state="submitted")
            .exclude(pk=assignment.pk)
            .values_list("judge_id", "total")
        ]
    return render(
        request,
        "contest/judge_assignment.html",
        {
            "assignment": assignment,
            "entry": assignment.entry,
            "round": round_,
            "form": form,
            "field_label": dict(map(tuple, round_.contest.fields)).get(assignment.entry.field, assignment.entry.field),
            "editable": round_.state == RoundState.OPEN,
            "others": others,
            "conflict_form": ConflictForm(),
        },
    )


@login_required
@require_GET
def judge_scan(request, pk):
    assignment = _assignment(request, pk)
    if not assignment.entry.scan:
        raise Http404
    try:
        return scan_response(assignment.entry, blind=True)
    except PortalError as error:  # never the original file: a scan that cannot be rebuilt is not served
        messages.error(request, str(error))
        return redirect("contest:judge_assignment", assignment.pk)


@login_required
@require_GET
def judge_score_sheet(request, pk):
    """PHIẾU CHẤM ĐIỂM as a PDF: for the assigned judge (same rule as the assignment page) and the organisers."""
    from ..documents import score_sheet_pdf

    assignment = get_object_or_404(
        Assignment.objects.select_related("round__contest", "entry", "judge").only(
            "id",
            "state",
            "comment",
            "total",
            "submitted_at",
            "judge_id",
            "judge__id",
            "judge__full_name",
            "round__id",
            "round__name",
            "round__kind",
            "round__contest__id",
            "round__contest__name",
            "entry__id",
            "entry__code",
            "entry__title",
        ),
        pk=pk,
    )
    require_perm(request.user, "contest.view_score_sheet", assignment)
    return download_response(
        score_sheet_pdf(assignment=assignment), filename=f"phieu-cham-{assignment.entry.code}-{assignment.pk}.pdf"
    )


@login_required
@require_POST
def judge_conflict(request, pk):
    assignment = _assignment(request, pk)
    form = ConflictForm(request.POST)
    if form.is_valid():
        try:
            judging.conflict_declare(assignment=assignment, reason=form.cleaned_data["reason"], by=request.user)
        except PortalError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Đã ghi nhận xung đột lợi ích; bài được chuyển cho giám khảo khác."))
            return redirect("contest:judge_queue")
    else:
        messages.error(request, _("Ghi lý do xung đột lợi ích."))
    return redirect("contest:judge_assignment", assignment.pk)
