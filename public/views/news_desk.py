"""The officers' news desk: write, submit, approve, return, unpublish. Login required, object-level rules."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from campaign_portal.exceptions import PortalError
from campaign_portal.view_helpers import require_perm
from organizations.models import Unit

from .. import selectors, services
from ..forms import NewsForm, NewsImageForm, NoteForm
from ..models import NewsItem
from .common import form_error


def _news_fields(data: dict) -> dict:
    """The form's fields that news_create and news_update both take."""
    return {key: data[key] for key in ("title", "summary", "body", "tags", "source")}


@login_required
@require_GET
def manage_news(request):
    require_perm(request.user, "public.manage_news")
    desk = selectors.news_for_officer(request.user)
    return render(
        request,
        "public/manage/news_list.html",
        {
            "mine": list(desk["mine"][:100]),
            "to_approve": list(desk["to_approve"][:100]),
            "published": list(desk.get("published", NewsItem.objects.none())[:20]),
        },
    )


@login_required
def manage_news_create(request):
    require_perm(request.user, "public.manage_news")
    form = NewsForm(request.POST or None, units=selectors.news_writer_units(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            news = services.news_create(
                unit=form.cleaned_data["unit"], **_news_fields(form.cleaned_data), by=request.user
            )
        except PortalError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Đã lưu bản nháp. Thêm ảnh rồi gửi duyệt."))
            return redirect("public:manage_news_edit", pk=news.pk)
    return render(request, "public/manage/news_form.html", {"form": form, "news": None})


@login_required
def manage_news_edit(request, pk):
    news = get_object_or_404(NewsItem.objects.select_related("unit", "author", "approved_by"), pk=pk)
    require_perm(request.user, "public.manage_news_item", news)
    can_edit = request.user.has_perm("public.edit_news", news)
    form = NewsForm(
        request.POST or None,
        units=selectors.news_writer_units(request.user) | Unit.objects.filter(pk=news.unit_id),
        initial={
            "unit": news.unit_id,
            "title": news.title,
            "summary": news.summary,
            "body": news.body,
            "tags": news.tag_list,
            "source": news.source,
        },
    )
    if request.method == "POST":
        if not can_edit:
            raise Http404
        if form.is_valid():
            try:
                services.news_update(news=news, **_news_fields(form.cleaned_data), by=request.user)
            except PortalError as error:
                form_error(form, error)
            else:
                messages.success(request, _("Đã lưu."))
                return redirect("public:manage_news_edit", pk=news.pk)
    return render(
        request,
        "public/manage/news_form.html",
        {
            "form": form,
            "news": news,
            "can_edit": can_edit,
            "images": list(news.images.all()),
            "image_form": NewsImageForm(),
            "note_form": NoteForm(),
            "can_submit": request.user.has_perm("public.submit_news", news),
            "can_approve": request.user.has_perm("public.approve_news", news),
            "can_unpublish": request.user.has_perm("public.unpublish_news", news),
        },
    )


@login_required
@require_POST
def manage_news_image(request, pk):
    news = get_object_or_404(NewsItem.objects.select_related("unit"), pk=pk)
    require_perm(request.user, "public.edit_news", news)
    form = NewsImageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            image = services.news_image_add(
                news=news,
                upload=form.cleaned_data["file"],
                alt=form.cleaned_data["alt"],
                caption=form.cleaned_data["caption"],
                by=request.user,
            )
        except PortalError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Đã tải ảnh lên. Chèn vào nội dung bằng: %(tag)s")
                % {"tag": f'<img src="{image.get_absolute_url()}" alt="{image.alt}">'},
            )
    else:
        messages.error(request, _("Ảnh chưa hợp lệ: hãy chọn tệp ảnh và ghi mô tả ảnh."))
    return redirect("public:manage_news_edit", pk=news.pk)


@login_required
@require_POST
def manage_news_action(request, pk, action):
    news = get_object_or_404(NewsItem.objects.select_related("unit"), pk=pk)
    require_perm(request.user, "public.manage_news_item", news)
    note = NoteForm(request.POST)
    note_text = note.cleaned_data["note"] if note.is_valid() else ""
    actions = {
        "gui-duyet": (lambda: services.news_submit(news=news, by=request.user), _("Đã gửi duyệt.")),
        "duyet": (lambda: services.news_approve(news=news, by=request.user), _("Đã duyệt: tin đã đăng công khai.")),
        "tra-lai": (
            lambda: services.news_return(news=news, by=request.user, note=note_text),
            _("Đã trả lại cho người viết."),
        ),
        "go": (lambda: services.news_unpublish(news=news, by=request.user, note=note_text), _("Đã gỡ tin.")),
    }
    if action not in actions:
        raise Http404
    run, done = actions[action]
    try:
        run()
    except PortalError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect("public:manage_news_edit", pk=news.pk)
