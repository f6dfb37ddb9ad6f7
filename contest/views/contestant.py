import uuid

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from campaign_portal.exceptions import PortalError
from campaign_portal.ratelimit import CONTEST_VERIFY_RESEND, client_ip, rate_limit_hit
from campaign_portal.view_helpers import download_response, require_perm

from .. import services
from ..forms import EntrantFieldsForm, EntryAutosaveForm, EntryForm, RegisterForm
from ..models import Contest, Entry, FinalSlot
from ..selectors import entrant_of, entries_of_user, entry_receipt_mail_state
from ..validators import EntryContentError


def _contest(slug) -> Contest:
    return get_object_or_404(Contest.objects.prefetch_related("rounds"), slug=slug, is_public=True)


def register(request, slug):
    contest = _contest(slug)
    if request.user.is_authenticated:
        return redirect("contest:join", slug)
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.entrant_register(
                contest=contest,
                email=d["email"],
                password=d["password1"],
                full_name=d["full_name"],
                **form.entrant_data(),
            )
        except PortalError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            return render(request, "contest/register_done.html", {"contest": contest, "email": d["email"]})
    return render(request, "contest/register.html", {"contest": contest, "form": form})


@require_POST
def verify_resend(request, slug):
    """Answers the same whether or not the address is registered: nothing to learn from it."""
    contest = _contest(slug)
    email = request.POST.get("email", "")
    if rate_limit_hit(policy=CONTEST_VERIFY_RESEND, key=client_ip(request)):
        messages.error(request, _("Bạn đã yêu cầu gửi lại quá nhiều lần. Hãy thử lại sau một giờ."))
    else:
        services.entrant_resend_verification(contest=contest, email=email)
        messages.success(request, _("Nếu địa chỉ này đang chờ xác nhận, thư xác nhận sẽ được gửi lại trong ít phút."))
    return render(request, "contest/register_done.html", {"contest": contest, "email": email})


def verify(request, slug, uidb64, token):
    """GET shows a button; the POST verifies (a GET never changes state, mail scanners follow links)."""
    contest = _contest(slug)
    if request.method == "POST":
        try:
            user = services.entrant_verify(contest=contest, uidb64=uidb64, token=token)
        except PortalError as error:
            messages.error(request, str(error))
            return redirect("contest:public", slug)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Đã xác nhận e-mail. Bạn có thể viết và nộp bài dự thi."))
        return redirect("contest:my_entries")
    return render(request, "contest/verify.html", {"contest": contest})


@login_required
def join(request, slug):
    contest = _contest(slug)
    entrant = entrant_of(request.user, contest)
    initial = {}
    if entrant:
        initial = {
            "kind": entrant.kind,
            "display_name": entrant.display_name,
            "team_members": "\n".join(entrant.team_members),
            "organisation": entrant.organisation,
            "area": entrant.area,
            "phone": entrant.phone,
            "eligibility": entrant.eligibility,
        }
    form = EntrantFieldsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.entrant_join(
                contest=contest,
                user=request.user,
                **form.entrant_data(),
            )
        except PortalError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, _("Đã lưu thông tin dự thi."))
            return redirect("contest:my_entries")
    return render(request, "contest/join.html", {"contest": contest, "form": form, "entrant": entrant})


@login_required
@require_GET
def my_entries(request):
    entries = list(entries_of_user(request.user))
    return render(
        request,
        "contest/my_entries.html",
        {
            "entries": entries,
            "entrants": list(request.user.contest_entrants.select_related("contest")),
        },
    )


def _entry_for_owner(request, pk) -> Entry:
    entry = get_object_or_404(Entry.objects.select_related("contest", "entrant__user"), pk=pk)
    require_perm(request.user, "contest.edit_entry", entry)
    return entry


def _save_and_maybe_submit(request, entry, form, *, new_draft: dict | None = None):
    """Save what was typed (never lost), then submit if asked; errors keep the form as typed.
    A new draft is made in one transaction with its first save: a refused file leaves no empty draft."""
    action = request.POST.get("action", "save")
    if form.has_refused_text():
        return None  # a control character or TCVN3/VNI text: refused at the field, with its suggestion
    try:
        with transaction.atomic():
            if new_draft is not None:
                entry = services.entry_create_draft(**new_draft)
            entry = services.entry_save(
                entry=entry,
                data=form.entry_data(),
                scan=request.FILES.get("scan"),
                remove_scan=bool(request.POST.get("remove_scan")),
                by=request.user,
            )
        if action == "submit":
            entry = services.entry_submit(entry=entry, by=request.user)
            messages.success(
                request,
                _(
                    "Đã nộp bài. Mã bài dự thi: %(code)s. Biên nhận sẽ được gửi tới e-mail "
                    "của bạn; bạn cũng tải được biên nhận ngay trên trang này."
                )
                % {"code": entry.code},
            )
            return redirect("contest:entry_detail", entry.pk)
    except EntryContentError as error:  # each fault at its field, the field marked invalid
        for field, field_messages in error.errors.items():
            for message in field_messages:
                form.add_error(field if field in form.fields else None, str(message))
        return None
    except PortalError as error:
        form.add_error(None, str(error))
        return None
    messages.success(request, _("Đã lưu."))
    return redirect("contest:entry_edit", entry.pk)


@login_required
def entry_new(request, slug):
    contest = _contest(slug)
    entrant = entrant_of(request.user, contest)
    if entrant is None:
        return redirect("contest:join", slug)
    if request.method == "POST":
        form = EntryForm(request.POST, request.FILES, contest=contest)
        try:
            draft_key = uuid.UUID(request.POST.get("draft_key", ""))
        except ValueError:
            draft_key = None
        draft_key = draft_key or uuid.uuid4()
        response = _save_and_maybe_submit(request, None, form, new_draft={"entrant": entrant, "draft_key": draft_key})
        if response:
            return response
        entry = Entry.objects.filter(entrant=entrant, draft_key=draft_key).first()
        return render(
            request,
            "contest/entry_form.html",
            {"contest": contest, "form": form, "entry": entry, "draft_key": draft_key},
        )
    else:
        form = EntryForm(contest=contest)
    return render(
        request, "contest/entry_form.html", {"contest": contest, "form": form, "entry": None, "draft_key": uuid.uuid4()}
    )


@login_required
def entry_edit(request, pk):
    entry = _entry_for_owner(request, pk)
    if not services.entry_is_editable(entry):
        messages.info(request, _("Bài dự thi chỉ còn xem được."))
        return redirect("contest:entry_detail", entry.pk)
    if request.method == "POST":
        form = EntryForm(request.POST, request.FILES, instance=entry, contest=entry.contest)
        response = _save_and_maybe_submit(request, entry, form)
        if response:
            return response
    else:
        form = EntryForm(instance=entry, contest=entry.contest)
    return render(
        request,
        "contest/entry_form.html",
        {"contest": entry.contest, "form": form, "entry": entry, "draft_key": entry.draft_key},
    )


@login_required
@require_POST
def entry_autosave(request, slug):
    """htmx: saves a draft as it is typed; the first call creates it (keyed by the page's draft_key)."""
    contest = _contest(slug)
    entrant = entrant_of(request.user, contest)
    if entrant is None:
        raise Http404
    form = EntryAutosaveForm(request.POST)
    if not form.is_valid():
        raise Http404
    try:
        entry = services.entry_create_draft(entrant=entrant, draft_key=form.cleaned_data["draft_key"])
        entry = services.entry_autosave(entry=entry, data=form.autosave_data())
    except PortalError as error:
        return render(request, "contest/_autosave.html", {"error": str(error)})
    return render(request, "contest/_autosave.html", {"entry": entry, "saved_at": timezone.localtime()})


@login_required
@require_GET
def entry_detail(request, pk):
    entry = get_object_or_404(Entry.objects.select_related("contest", "entrant__user"), pk=pk)
    require_perm(request.user, "contest.view_entry", entry)
    if entry.entrant.user_id != request.user.pk:
        return redirect("contest:manage_entry", entry.contest.slug, entry.pk)
    comments = []
    if entry.contest.comments_published:
        comments = [a.comment for a in entry.assignments.filter(state="submitted").exclude(comment="")]
    slot = FinalSlot.objects.filter(entry=entry).first()
    return render(
        request,
        "contest/entry_detail.html",
        {
            "entry": entry,
            "contest": entry.contest,
            "editable": services.entry_is_editable(entry),
            "comments": comments,
            "slot": slot,
            "award": getattr(entry, "award", None) if entry.contest.results_published else None,
            "receipt_mail": entry_receipt_mail_state(entry),
        },
    )


@login_required
@require_GET
def entry_scan(request, pk):
    from ..files import scan_response

    entry = get_object_or_404(Entry.objects.select_related("contest", "entrant"), pk=pk)
    require_perm(request.user, "contest.view_entry", entry)
    if not entry.scan:
        raise Http404
    return scan_response(entry, blind=False)


@login_required
@require_GET
def entry_receipt(request, pk):
    from ..documents import receipt_pdf
    from ..signing import receipt_stored_pdf

    entry = get_object_or_404(Entry.objects.select_related("contest", "entrant__user"), pk=pk)
    require_perm(request.user, "contest.view_entry", entry)
    if not entry.code:
        raise Http404
    stored = receipt_stored_pdf(entry)
    if stored is not None:  # the signed receipt as it was issued at submission
        with stored.open("rb") as handle:
            return download_response(handle.read(), filename=f"bien-nhan-{entry.code}.pdf")
    return download_response(receipt_pdf(entry=entry), filename=f"bien-nhan-{entry.code}.pdf")
