"""Ban tổ chức and Tổ thư ký: entries, eligibility, duplicates, assignments, rounds, ranking, final, prizes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from campaign_portal.exceptions import PortalError
from campaign_portal.polling import poll_response
from campaign_portal.view_helpers import download_response
from campaign_portal.xlsx import xlsx_response

from .. import judging, ranking, results, services, states
from ..background_documents import certificates_start, round_results_request
from ..enums import RoundKind, RoundState, StaffRole
from ..forms import (
    AdvanceForm,
    AutoAssignForm,
    AwardsForm,
    EligibilityForm,
    EntryFilterForm,
    HandAssignForm,
    ReassignForm,
    ScheduleForm,
)
from ..models import (
    Assignment,
    Award,
    CertificateBatch,
    ContestStaff,
    Entry,
    FinalSlot,
    RoundDocument,
    RoundDocumentKind,
)
from ..rules import assignment_can_be_reassigned, contest_awards_editable, round_sends_to_final
from ..selectors import (
    add_assignment_counts,
    duplicate_pairs,
    entries_for_organisers,
    entries_in_round,
    entry_status_counts,
    progress_per_judge,
    round_document_status,
    round_opening_warning,
    rounds_with_moves,
    submitted_entry_count,
)
from .common import managed_contest

# The ranking shows its top and then a page at a time: rendering thousands of rows is what made it slow.
RANKING_PAGE_SIZE = 50


def _round(contest, kind):
    round_ = contest.rounds.filter(kind=kind).first()
    if round_ is None:
        raise Http404
    return round_


@login_required
@require_GET
def dashboard(request, slug):
    contest = managed_contest(request, slug)
    return render(
        request,
        "contest/manage/dashboard.html",
        {
            "contest": contest,
            "rounds": rounds_with_moves(contest),
            "statuses": entry_status_counts(contest),
            "submitted": submitted_entry_count(contest),
            "batch": CertificateBatch.objects.filter(contest=contest).first(),
        },
    )


@login_required
@require_GET
def entry_list(request, slug):
    contest = managed_contest(request, slug)
    form = EntryFilterForm(request.GET or None, contest=contest)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = entries_for_organisers(contest, **{k: v for k, v in filters.items() if v})
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    add_assignment_counts(list(page))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "contest/manage/entry_list.html",
        {
            "contest": contest,
            "form": form,
            "page": page,
            "query": query.urlencode(),
        },
    )


@login_required
@require_GET
def entry_manage(request, slug, pk):
    contest = managed_contest(request, slug)
    entry = get_object_or_404(
        Entry.objects.select_related("entrant__user", "entrant__unit", "entrant__area"), pk=pk, contest=contest
    )
    judges = list(ContestStaff.objects.filter(contest=contest, role=StaffRole.JUDGE).select_related("user"))
    assignments = list(entry.assignments.select_related("round", "judge").order_by("round__sequence", "id"))
    for assignment in assignments:
        assignment.can_reassign = assignment_can_be_reassigned(assignment)
    return render(
        request,
        "contest/manage/entry_detail.html",
        {
            "contest": contest,
            "entry": entry,
            "assignments": assignments,
            "versions": list(entry.versions.all()[:20]),
            "eligibility_form": EligibilityForm(initial={"reason": entry.rejection_reason}),
            "assign_form": HandAssignForm(judges=judges),
            "judges": judges,
            "rounds": list(contest.rounds.all()),
        },
    )


@login_required
@require_POST
def entry_eligibility(request, slug, pk):
    contest = managed_contest(request, slug)
    entry = get_object_or_404(Entry, pk=pk, contest=contest)
    form = EligibilityForm(request.POST)
    if form.is_valid():
        try:
            services.entry_set_eligibility(
                entry=entry,
                eligible=form.cleaned_data["decision"] == "eligible",
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
            messages.success(request, _("Đã ghi kết quả kiểm tra hợp lệ."))
        except PortalError as error:
            messages.error(request, str(error))
    else:
        messages.error(request, _("Chọn kết luận hợp lệ hoặc không hợp lệ."))
    return redirect("contest:manage_entry", slug, entry.pk)


@login_required
@require_POST
def entry_assign(request, slug, pk, kind):
    contest = managed_contest(request, slug)
    entry = get_object_or_404(Entry.objects.select_related("entrant"), pk=pk, contest=contest)
    round_ = _round(contest, kind)
    judges = list(ContestStaff.objects.filter(contest=contest, role=StaffRole.JUDGE).select_related("user"))
    form = HandAssignForm(request.POST, judges=judges)
    if form.is_valid():
        judge = next(j.user for j in judges if j.user_id == form.cleaned_data["judge"])
        try:
            judging.assignment_create(round_=round_, entry=entry, judge=judge, by=request.user)
            messages.success(request, _("Đã phân công."))
        except PortalError as error:
            messages.error(request, str(error))
    return redirect("contest:manage_entry", slug, entry.pk)


@login_required
@require_POST
def assignment_reassign(request, slug, pk):
    contest = managed_contest(request, slug)
    assignment = get_object_or_404(Assignment, pk=pk, round__contest=contest)
    judges = ContestStaff.objects.filter(contest=contest, role=StaffRole.JUDGE).select_related("user")
    form = ReassignForm(request.POST, judges=judges)
    if not form.is_valid():
        messages.error(request, _("Giám khảo được chọn không thuộc hội đồng chấm của cuộc thi."))
        return redirect("contest:manage_entry", slug, assignment.entry_id)
    chosen = form.cleaned_data["judge"]
    to_judge = next((staff.user for staff in judges if staff.user_id == chosen), None) if chosen else None
    try:
        new = judging.assignment_reassign(assignment=assignment, to_judge=to_judge, by=request.user)
        messages.success(request, _("Đã chuyển bài.") if new else _("Đã rút phân công; không còn giám khảo phù hợp."))
    except PortalError as error:
        messages.error(request, str(error))
    return redirect("contest:manage_entry", slug, assignment.entry_id)


@login_required
@require_GET
def duplicates(request, slug):
    contest = managed_contest(request, slug)
    return render(request, "contest/manage/duplicates.html", {"contest": contest, "pairs": duplicate_pairs(contest)})


@login_required
@require_POST
def round_state(request, slug, kind):
    contest = managed_contest(request, slug)
    round_ = _round(contest, kind)
    state = request.POST.get("state")
    if state == "scores_open":
        judging.round_set_scores_open(round_=round_, open_=request.POST.get("value") == "1", by=request.user)
    else:
        warning = round_opening_warning(round_) if state == RoundState.OPEN else None
        if warning and request.POST.get("confirmed") != "1":  # nothing changes until the organiser confirms
            return render(
                request,
                "contest/manage/round_open_confirm.html",
                {"contest": contest, "round": round_, "warning": warning},
            )
        try:
            states.round_set_state(round_=round_, to=state, by=request.user)
        except PortalError as error:
            messages.error(request, str(error))
    return redirect("contest:manage_dashboard", slug)


@login_required
def round_assign(request, slug, kind):
    contest = managed_contest(request, slug)
    round_ = _round(contest, kind)
    form = AutoAssignForm(request.POST or None, initial={"k": round_.judges_per_entry})
    if request.method == "POST" and form.is_valid():
        try:
            outcome = judging.assignment_auto(round_=round_, k=form.cleaned_data["k"], by=request.user)
        except PortalError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Đã tạo %(n)s phân công; chênh lệch số bài giữa các giám khảo: %(s)s.")
                % {"n": outcome.created, "s": outcome.spread},
            )
            if outcome.short:
                messages.warning(
                    request,
                    _("Không đủ giám khảo không xung đột cho: %(codes)s") % {"codes": ", ".join(outcome.short[:30])},
                )
            return redirect("contest:round_progress", slug, kind)
    return render(request, "contest/manage/round_assign.html", {"contest": contest, "round": round_, "form": form})


@login_required
@require_GET
def round_progress(request, slug, kind):
    contest = managed_contest(request, slug)
    round_ = _round(contest, kind)
    entries = Paginator(entries_in_round(round_), 100).get_page(request.GET.get("page"))
    add_assignment_counts(entries.object_list, round_=round_)
    return render(
        request,
        "contest/manage/round_progress.html",
        {
            "contest": contest,
            "round": round_,
            "judges": progress_per_judge(round_),
            "entries": entries,
        },
    )


@login_required
@require_GET
def round_ranking(request, slug, kind):
    contest = managed_contest(request, slug)
    round_ = _round(contest, kind)
    normalised = request.GET.get("order") == "z"
    rows = ranking.round_scores_cached(round_, normalised=normalised)
    criteria = list(round_.criteria.all())
    page = Paginator(rows, RANKING_PAGE_SIZE).get_page(request.GET.get("page"))
    ranking.rows_complete(round_, page.object_list)
    ranking.rows_criterion_columns(page.object_list, criteria)
    return render(
        request,
        "contest/manage/ranking.html",
        {
            "contest": contest,
            "round": round_,
            "rows": page,
            "page": page,
            "row_count": len(rows),
            "criteria": criteria,
            "order": "z" if normalised else "",
            "normalised": normalised,
            "advance_form": AdvanceForm(),
            "can_advance": round_sends_to_final(round_),
            "method": ranking.__doc__,
            "fields": contest.field_labels,
        },
    )


def _round_document_response(document) -> HttpResponse:
    with document.file.open("rb") as handle:
        return download_response(handle.read(), filename=document.download_name)


@login_required
@require_GET
def round_ranking_pdf(request, slug, kind):
    """The round's results (Biên bản kết quả chấm) rendered in the background: the stored PDF
    while the scores have not changed, else a page with the button and, while it renders, a
    fragment htmx polls. ?document=<id> downloads that stored copy, even if the scores changed."""
    contest = managed_contest(request, slug)
    round_ = _round(contest, kind)
    wanted = request.GET.get("document")
    if wanted is not None:
        document = get_object_or_404(
            RoundDocument.objects.select_related("round__contest").exclude(file=""),
            pk=int(wanted) if wanted.isdigit() else 0,
            round=round_,
            kind=RoundDocumentKind.RESULTS,
            finished_at__isnull=False,
            failed=False,
        )
        return _round_document_response(document)
    status = round_document_status(round_=round_)
    if status.fresh and not request.htmx:
        return _round_document_response(status.ready)
    template = "contest/manage/_round_document_progress.html" if request.htmx else "contest/manage/round_document.html"
    response = render(request, template, {"contest": contest, "round": round_, "status": status})
    return poll_response(request, response, done=not status.polling)


@login_required
@require_POST
def round_ranking_pdf_request(request, slug, kind):
    contest = managed_contest(request, slug)
    round_ = _round(contest, kind)
    round_results_request(round_=round_, by=request.user)
    # No flash message: the page shows where the request stands (or the PDF downloads at once).
    return redirect("contest:round_ranking_pdf", slug, round_.kind)


@login_required
@require_POST
def advance(request, slug):
    contest = managed_contest(request, slug)
    form = AdvanceForm(request.POST)
    if form.is_valid():
        try:
            chosen = results.round_advance(
                contest=contest,
                entry_codes=form.cleaned_data["entries"],
                top_n=form.cleaned_data["top_n"],
                by=request.user,
            )
            messages.success(request, _("%(n)s bài vào chung khảo.") % {"n": len(chosen)})
        except PortalError as error:
            messages.error(request, str(error))
    for name, errors in form.errors.items():
        messages.error(request, f"{form[name].label}: {' '.join(errors)}")
    return redirect("contest:manage_final", slug)


@login_required
def final(request, slug):
    contest = managed_contest(request, slug)
    final_round = _round(contest, RoundKind.FINAL)
    form = ScheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        results.final_schedule(contest=contest, starts_at=form.cleaned_data["starts_at"], by=request.user)
        messages.success(request, _("Đã xếp lịch thuyết trình."))
        return redirect("contest:manage_final", slug)
    rows = ranking.final_results(contest)
    tiers = list(contest.prize_tiers.all())
    proposal = {row.entry.pk: tier.pk for row, tier in ranking.awards_propose(contest)}
    return render(
        request,
        "contest/manage/final.html",
        {
            "contest": contest,
            "round": final_round,
            "form": form,
            "rows": rows,
            "tiers": tiers,
            "proposal": proposal,
            "can_edit_awards": contest_awards_editable(contest),
            "slots": list(FinalSlot.objects.filter(round=final_round).select_related("entry")),
            "weight": contest.final_written_weight,
        },
    )


@login_required
@require_POST
def awards(request, slug):
    contest = managed_contest(request, slug)
    try:
        results.awards_replace(contest=contest, choices=AwardsForm(request.POST).choices(), by=request.user)
        messages.success(request, _("Đã lưu giải thưởng."))
    except PortalError as error:
        messages.error(request, str(error))
    return redirect("contest:manage_final", slug)


@login_required
@require_POST
def publish(request, slug):
    contest = managed_contest(request, slug)
    try:
        results.results_publish(contest=contest, by=request.user)
        messages.success(request, _("Đã công bố kết quả."))
    except PortalError as error:
        messages.error(request, str(error))
    return redirect("contest:manage_final", slug)


@login_required
def certificates(request, slug):
    contest = managed_contest(request, slug)
    if request.method == "POST":
        try:
            certificates_start(contest=contest, by=request.user)
            messages.success(request, _("Đang tạo giấy chứng nhận trong nền."))
        except PortalError as error:
            messages.error(request, str(error))
        return redirect("contest:certificates", slug)
    batch = CertificateBatch.objects.filter(contest=contest).first()
    polling = batch is not None and batch.finished_at is None
    template = "contest/manage/_certificates_progress.html" if request.htmx else "contest/manage/certificates.html"
    response = render(
        request,
        template,
        {
            "contest": contest,
            "batch": batch,
            "polling": polling,
            "awards": list(
                Award.objects.filter(entry__contest=contest)
                .select_related("tier", "entry")
                .order_by("tier__group", "tier__rank")
            ),
        },
    )
    return poll_response(request, response, done=not polling)


@login_required
@require_GET
def certificate_download(request, slug, pk):
    contest = managed_contest(request, slug)
    award = get_object_or_404(Award.objects.select_related("entry"), pk=pk, entry__contest=contest)
    if not award.certificate:
        raise Http404
    with award.certificate.open("rb") as handle:
        return download_response(handle.read(), filename=f"giay-chung-nhan-{award.entry.code}.pdf")


@login_required
@require_GET
def export_xlsx(request, slug):
    from ..exports import entries_workbook

    contest = managed_contest(request, slug)
    return xlsx_response(entries_workbook(contest), filename=f"bai-du-thi-{contest.slug}.xlsx")


@login_required
@require_GET
def award_decision(request, slug):
    from ..documents import award_decision_awards, award_decision_pdf
    from ..signing import award_decision_stored_pdf

    contest = managed_contest(request, slug)
    stored = award_decision_stored_pdf(contest) if contest.results_published else None
    if stored is not None:  # published: the signed decision as it was issued
        with stored.open("rb") as handle:
            return download_response(handle.read(), filename=f"quyet-dinh-khen-thuong-{contest.slug}.pdf")
    awards = award_decision_awards(contest)
    if not awards:
        raise Http404
    return download_response(
        award_decision_pdf(contest=contest, awards=awards),
        filename=f"du-thao-quyet-dinh-khen-thuong-{contest.slug}.pdf",
    )
