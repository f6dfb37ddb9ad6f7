from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campaign_portal.exceptions import PortalError
from campaign_portal.polling import poll_response
from campaign_portal.view_helpers import require_perm, uploaded_file_response
from campaign_portal.xlsx import XLSX_CONTENT_TYPE

from . import exports, forms, pickers, reorganisations, selectors, services, tree_io
from .models import ExportJob, Membership, Unit, UnitChange, User

TOTP_SETUP_SESSION_KEY = "totp_setup_key"


@login_required
@require_GET
def unit_autocomplete(request):
    """The unit picker's suggestions (JSON): at most 20 units of the scope the form named, for this user."""
    try:
        units = pickers.unit_scope(
            request.GET.get("scope", ""), user=request.user, anchor=pickers.unit_anchor(request.GET.get("unit"))
        )
    except KeyError:
        raise Http404 from None
    return JsonResponse({"results": pickers.units_autocomplete(units=units, query=request.GET.get("q", "")[:100])})


def _unit(request, code) -> Unit:
    unit = get_object_or_404(Unit, code=code)
    require_perm(request.user, "organizations.view_unit", unit)
    return unit


def _tree_date(request):
    """“Cơ cấu tại ngày …” from the GET parameter `on` (dd/mm/yyyy); None: today's tree."""
    form = forms.TreeDateForm(request.GET if "on" in request.GET else None)
    return form, (form.cleaned_data["on"] if form.is_bound and form.is_valid() else None)


@login_required
@require_GET
def unit_tree(request):
    query = request.GET.get("q", "").strip()
    visible = selectors.units_visible_to(request.user)
    date_form, on = _tree_date(request)
    context = {"query": query, "date_form": date_form, "on": on}
    if query:
        page = Paginator(selectors.units_search(query=query, within=visible), 50).get_page(request.GET.get("page"))
        context["results"] = page
    elif on:
        tops = []
        for top in selectors.root_units_for(request.user)[:20]:
            children = selectors.unit_children_on(top, on)
            if children is not None:
                tops.append((top, children, selectors.summary_of_children_on(children)))
        context["tops"] = tops
    else:
        tops = selectors.root_units_for(request.user)
        context["tops"] = [(top, selectors.unit_children_with_counts(top), None) for top in tops[:20]]
    return render(request, "organizations/unit_tree.html", context)


@login_required
@require_GET
def unit_children(request, code):
    """htmx: one level of the tree, expanded on demand."""
    unit = _unit(request, code)
    _form, on = _tree_date(request)
    children = (selectors.unit_children_on(unit, on) or []) if on else selectors.unit_children_with_counts(unit)
    return render(request, "organizations/_children.html", {"unit": unit, "children": children, "on": on})


@login_required
@require_GET
def unit_detail(request, code):
    unit = _unit(request, code)
    children = selectors.unit_children_with_counts(unit, include_dissolved=True)
    page = Paginator(children, 100).get_page(request.GET.get("page"))
    can_members = request.user.has_perm("organizations.view_unit_members", unit)
    context = {
        "unit": unit,
        "ancestors": [
            (ancestor, request.user.has_perm("organizations.view_unit", ancestor))
            for ancestor in Unit.objects.get_ancestors(unit)
        ],
        "children_page": page,
        "summary": selectors.subtree_summary(unit),
        "memberships": (
            unit.memberships.filter(is_active=True).select_related("user").order_by("role", "user__full_name")
            if can_members
            else None
        ),
        "changes": UnitChange.objects.filter(unit=unit).select_related(
            "old_parent", "new_parent", "related_unit", "by"
        )[:20],
        **_coverage_context(unit),
        "can_manage": request.user.has_perm("organizations.manage_tree"),
    }
    return render(request, "organizations/unit_detail.html", context)


def _coverage_context(unit: Unit) -> dict:
    """Địa bàn: the areas covered today (with the date each began) and the whole history, in one query."""
    history = selectors.unit_coverage_history(unit)
    today = timezone.localdate()
    current = [row for row in history if row.valid_from <= today and (row.valid_to is None or row.valid_to > today)]
    return {"coverage_now": sorted(current, key=lambda row: row.area.sort_key), "coverage_history": history}


def _manage(request, code) -> Unit:
    unit = _unit(request, code)
    require_perm(request.user, "organizations.manage_tree", unit)
    return unit


@login_required
@require_http_methods(["GET", "POST"])
def unit_edit(request, code):
    unit = _manage(request, code)
    form = forms.UnitForm(request.POST or None, instance=unit)
    if request.method == "POST" and form.is_valid():
        services.unit_update(unit=unit, by=request.user, **{f: form.cleaned_data[f] for f in form.Meta.fields})
        messages.success(request, _("Đã lưu thông tin đơn vị."))
        return redirect(unit)
    return render(
        request, "organizations/unit_form.html", {"unit": unit, "form": form, "title": _("Sửa thông tin đơn vị")}
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_add_child(request, code):
    parent = _manage(request, code)
    form = forms.UnitCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            child = services.unit_create(parent=parent, by=request.user, **data)
        except PortalError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, _("Đã thêm đơn vị “%(name)s”.") % {"name": child.name})
            return redirect(child)
    return render(
        request,
        "organizations/unit_form.html",
        {"unit": parent, "form": form, "title": _("Thêm đơn vị trực thuộc %(name)s") % {"name": parent.name}},
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_coverage(request, code):
    unit = _manage(request, code)
    form = forms.UnitCoverageForm(
        request.POST or None,
        initial={"areas": [a.code for a in selectors.areas_covered_by(unit, timezone.localdate())]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_coverage_set(
                unit=unit,
                area_codes=[a.code for a in form.cleaned_data["areas"]],
                valid_from=form.cleaned_data["valid_from"],
                by=request.user,
            )
        except PortalError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, _("Đã lưu địa bàn của đơn vị."))
            return redirect(unit)
    return render(
        request,
        "organizations/unit_coverage.html",
        {"unit": unit, "form": form, "title": _("Địa bàn phụ trách"), **_coverage_context(unit)},
    )


REORGANISATIONS = {
    reorganisations.MOVE: (forms.UnitMoveForm, gettext_lazy("Chuyển đơn vị cấp trên")),
    reorganisations.DISSOLVE: (forms.UnitDissolveForm, gettext_lazy("Giải thể đơn vị")),
    reorganisations.MERGE: (forms.UnitMergeForm, gettext_lazy("Sáp nhập vào đơn vị khác")),
    reorganisations.SPLIT: (forms.UnitSplitForm, gettext_lazy("Chia tách đơn vị")),
}
# What the preview's confirmation posts besides the form's own fields.
PREVIEW_CONTROLS = {"csrfmiddlewaretoken", "token", "confirm", "edit"}


def _reorganisation_args(action: str, form) -> dict:
    data = form.cleaned_data
    args = {"effective_on": data["effective_on"]}
    if form.unit_field:
        args["target"] = data.get(form.unit_field)
    if action == reorganisations.SPLIT:
        args["parts"] = form.parts_data()
    return args


@login_required
@require_http_methods(["GET", "POST"])
def unit_reorganise(request, code, action):
    """Form → preview (what will happen) → confirmation, applied once. “Sửa lại” posts the previewed
    values back to the form; “Hủy” leaves without any change."""
    unit = _manage(request, code)
    if action not in REORGANISATIONS:
        return redirect(unit)
    form_class, title = REORGANISATIONS[action]
    form = form_class(request.POST or None, unit=unit, user=request.user)
    context = {"unit": unit, "form": form, "title": title, "action": action, "danger": action != "move"}
    if "confirm" in request.POST and reorganisations.reorganisation_already_applied(
        action=action, unit=unit, token=request.POST.get("token", "")
    ):  # a second click: the form no longer validates against the changed tree, and needs not
        messages.info(request, reorganisations.ALREADY_APPLIED)
        return redirect(unit)
    if request.method == "POST" and "edit" not in request.POST and form.is_valid():
        args = _reorganisation_args(action, form)
        if "confirm" in request.POST:
            try:
                reorganisations.unit_reorganise(
                    action=action,
                    unit=unit,
                    token=request.POST.get("token", ""),
                    by=request.user,
                    note=form.cleaned_data.get("note", ""),
                    **args,
                )
            except reorganisations.ReorganisationAlreadyApplied as error:
                messages.info(request, str(error))
                return redirect(Unit.objects.get(pk=unit.pk))
            except PortalError as error:
                form.add_error(error.field if error.field in form.fields else None, str(error))
            else:
                messages.success(request, _("Đã ghi nhận thay đổi tổ chức."))
                return redirect(Unit.objects.get(pk=unit.pk))
        else:
            context |= {
                "preview": reorganisations.reorganisation_preview(action=action, unit=unit, **args),
                "token": reorganisations.reorganisation_token(action=action, unit=unit),
                "posted": [
                    (name, value)
                    for name in request.POST
                    if name not in PREVIEW_CONTROLS
                    for value in request.POST.getlist(name)
                ],
            }
            return render(request, "organizations/unit_reorganise_preview.html", context)
    return render(request, "organizations/unit_reorganise.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def membership_add(request, code):
    unit = _unit(request, code)
    require_perm(request.user, "organizations.manage_members", unit)
    form = forms.MembershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = User.objects.filter(email=data["email"].lower()).first()
        try:
            with transaction.atomic():
                if user is None:
                    user = User.objects.create_user(email=data["email"], full_name=data["full_name"])
                services.membership_grant(user=user, unit=unit, role=data["role"], by=request.user)
        except PortalError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã phân công %(name)s.") % {"name": user.full_name})
            return redirect(unit)
    return render(
        request, "organizations/unit_form.html", {"unit": unit, "form": form, "title": _("Phân công người dùng")}
    )


@login_required
@require_POST
def membership_revoke(request, code, pk):
    unit = _unit(request, code)
    require_perm(request.user, "organizations.manage_members", unit)
    membership = get_object_or_404(Membership, pk=pk, unit=unit)
    services.membership_revoke(membership=membership, by=request.user)
    messages.success(request, _("Đã thu hồi phân công."))
    return redirect(unit)


def xlsx_import_run(request, form, run, success_message):
    """Runs an XLSX import on the uploaded file: a refused file is shown beside the field, a clean
    import announced. Returns the result (its row errors, if any, are for the template), or None."""
    try:
        result = run(form.cleaned_data["file"].read())
    except PortalError as error:
        form.add_error("file", str(error))
        return None
    if not result.errors:
        messages.success(request, success_message(result))
    return result


@login_required
@require_POST
def tree_export(request):
    """10,000 units take seconds to write: a background job builds the file (organizations.exports)."""
    require_perm(request.user, "organizations.manage_tree")
    job = exports.export_start(kind=tree_io.EXPORT_KIND, params={}, title=_("Cây đơn vị"), by=request.user)
    return redirect("organizations:export_job", job.pk)


@login_required
@require_GET
def export_job(request, pk):
    """The progress of one's export, polled until its file is ready, then its download link."""
    job = get_object_or_404(ExportJob, pk=pk)
    require_perm(request.user, "organizations.open_export", job)
    polling = job.finished_at is None
    template = "organizations/_export_progress.html" if request.htmx else "organizations/export_job.html"
    response = render(request, template, {"job": job, "polling": polling})
    return poll_response(request, response, done=not polling)


@login_required
@require_GET
def export_download(request, pk):
    job = get_object_or_404(ExportJob, pk=pk)
    require_perm(request.user, "organizations.open_export", job)
    if not job.is_ready:
        raise Http404
    return uploaded_file_response(job.file, filename=job.filename, content_type=XLSX_CONTENT_TYPE)


@login_required
@require_http_methods(["GET", "POST"])
def tree_import(request):
    require_perm(request.user, "organizations.manage_tree")
    form = forms.TreeImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = xlsx_import_run(
            request,
            form,
            lambda data: tree_io.tree_import_xlsx(
                data=data, by=request.user, effective_on=form.cleaned_data["effective_on"]
            ),
            lambda r: _("Đã nhập: %(c)s đơn vị mới, %(u)s cập nhật, %(m)s chuyển cấp trên.")
            % {"c": r.created, "u": r.updated, "m": r.moved},
        )
        if result is not None and not result.errors:
            return redirect("organizations:unit_tree")
    return render(request, "organizations/tree_import.html", {"form": form, "result": result})


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request):
    """Set up (first time) or enter the TOTP code of the authenticator app. While setting up, the
    secret lives in the signed session only: the device is stored when its first code is confirmed."""
    import base64

    from django_otp import login as otp_login
    from django_otp.plugins.otp_totp.models import TOTPDevice

    next_url = request.POST.get("next") or request.GET.get("next") or reverse("home")
    if not next_url.startswith("/") or next_url.startswith("//"):
        next_url = reverse("home")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    setting_up = device is None
    if setting_up:
        key = request.session.get(TOTP_SETUP_SESSION_KEY) or services.totp_setup_key()
        request.session[TOTP_SETUP_SESSION_KEY] = key
        device = TOTPDevice(user=request.user, name=services.TOTP_DEVICE_NAME, key=key)  # unsaved
    form = forms.TwoFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if setting_up:
            try:
                device = services.totp_device_confirm(user=request.user, key=key, token=form.cleaned_data["token"])
            except PortalError as error:
                form.add_error("token", error.message)
            else:
                del request.session[TOTP_SETUP_SESSION_KEY]
        elif not device.verify_token(form.cleaned_data["token"]):
            form.add_error("token", _("Mã không đúng hoặc đã hết hạn. Hãy nhập mã mới trong ứng dụng xác thực."))
        if not form.errors:
            otp_login(request, device)
            messages.success(request, _("Đã xác thực hai lớp."))
            return redirect(next_url)
    secret = base64.b32encode(device.bin_key).decode() if setting_up else ""
    return render(
        request,
        "registration/two_factor.html",
        {
            "form": form,
            "setting_up": setting_up,
            "secret": secret,
            "config_url": device.config_url if setting_up else "",
            "next": next_url,
        },
    )


class UnlockingPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Setting a new password from the e-mailed link also clears the account's login lockouts:
    the user's own way out of a lockout (an admin's is the "Mở khóa" action)."""

    def form_valid(self, form):
        response = super().form_valid(form)
        services.user_unlock(user=form.user, by=form.user)
        return response
