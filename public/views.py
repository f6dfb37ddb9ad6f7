"""Public pages (anonymous) and the officers' desk for news and feedback.

Thin views: load once, check the rule (404 when not allowed), one service, redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from campaign_portal.exceptions import PortalError
from campaign_portal.view_helpers import require_perm, uploaded_file_response
from organizations.models import Unit

from . import selectors, services
from .caching import public_cacheable
from .charts import indicator_charts
from .enums import FeedbackStatus, NewsStatus, ReformArea
from .forms import (
    FeedbackAnswerForm,
    FeedbackDeclineForm,
    FeedbackForm,
    NewsForm,
    NewsImageForm,
    NoteForm,
    TrackingForm,
)
from .models import Feedback, HonouredModel, NewsImage, NewsItem
from .ratelimit import client_ip, ip_hash, rate_limit_peek, rate_limited

NEWS_PER_PAGE = 12
FEEDBACK_RATE_LIMIT = 5  # submissions per address per hour
FEEDBACK_RATE_WINDOW = 60 * 60
FEEDBACK_ATTEMPT_LIMIT = 30  # any POST, failed ones included
TRACKING_RATE_LIMIT = 30  # look-ups per address per hour: tracking codes are not guessable
SEARCH_RESULTS_PER_TYPE = 10


def _page(request, queryset, per_page=NEWS_PER_PAGE):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def _form_error(form, error: PortalError):
    form.add_error(error.field if error.field in form.fields else None, error.message)


# ------------------------------------------------------------------ public pages


@require_GET
@public_cacheable
def index(request):
    indicators = selectors.indicators_all()
    return render(
        request,
        "public/home.html",
        {
            "latest_news": list(selectors.news_published()[:6]),
            "honoured": list(selectors.honoured_published()[:3]),
            "latest_feedback": list(selectors.feedback_published()[:3]),
            "indicator": indicators[-1] if indicators else None,
        },
    )


@require_GET
@public_cacheable
def news_list(request):
    news = selectors.news_published()
    tag = request.GET.get("linh-vuc", "")
    tag_label = dict(ReformArea.choices).get(tag)
    if tag_label:
        news = news.filter(tags__contains=f"|{tag}|")
    return render(
        request,
        "public/news_list.html",
        {
            "page": _page(request, news),
            "areas": ReformArea.choices,
            "tag": tag if tag_label else "",
            "tag_label": tag_label,
        },
    )


@require_GET
@public_cacheable
def unit_news(request, code):
    unit = get_object_or_404(Unit.objects.only("id", "name", "code", "lineage", "path", "depth"), code=code)
    return render(
        request,
        "public/unit_news.html",
        {
            "unit": unit,
            "page": _page(request, selectors.news_published_for_unit(unit)),
        },
    )


@require_GET
@public_cacheable
def news_detail(request, slug):
    news = get_object_or_404(NewsItem.objects.select_related("unit"), slug=slug)
    require_perm(request.user, "public.view_news", news)
    images = list(news.images.all())
    return render(
        request,
        "public/news_detail.html",
        {
            "news": news,
            "images": images,
            "cover": images[0] if images else None,
        },
    )


def _serve_image(file_field, content_type, filename):
    # Inline (it is a picture in a page) but never sniffed as anything else; public images may be cached.
    return uploaded_file_response(
        file_field, filename=filename, content_type=content_type, inline=True, cache_control="public, max-age=86400"
    )


@require_GET
def news_image(request, pk):
    image = get_object_or_404(NewsImage.objects.select_related("news__unit"), pk=pk)
    require_perm(request.user, "public.view_news", image.news)
    if image.news.status != NewsStatus.PUBLISHED:
        response = _serve_image(image.file, image.content_type, image.file.name.rsplit("/", 1)[-1])
        response["Cache-Control"] = "private, no-store"
        return response
    return _serve_image(image.file, image.content_type, image.file.name.rsplit("/", 1)[-1])


@require_GET
@public_cacheable
def honoured_list(request):
    return render(request, "public/honoured_list.html", {"page": _page(request, selectors.honoured_published())})


@require_GET
@public_cacheable
def honoured_detail(request, slug):
    model = get_object_or_404(HonouredModel.objects.select_related("unit"), slug=slug, is_published=True)
    return render(request, "public/honoured_detail.html", {"model": model})


@require_GET
def honoured_image(request, pk):
    model = get_object_or_404(HonouredModel, pk=pk, is_published=True)
    if not model.image:
        raise Http404
    return _serve_image(model.image, model.image_content_type or "image/jpeg", model.image.name.rsplit("/", 1)[-1])


@require_GET
@public_cacheable
def indicators(request):
    rows = selectors.indicators_all()
    return render(
        request,
        "public/indicators.html",
        {
            "indicators": rows,
            "charts": indicator_charts(rows) if rows else None,
        },
    )


@require_GET
def search(request):
    query = (request.GET.get("q") or "").strip()[:200]
    kind = request.GET.get("loai", "")
    results = {}
    if query:
        sources = {
            "tin-tuc": (_("Tin tức"), selectors.search_news),
            "vinh-danh": (_("Mô hình được vinh danh"), selectors.search_honoured),
            "phan-anh": (_("Phản ánh đã trả lời"), selectors.search_feedback),
        }
        if kind in sources:
            label, finder = sources[kind]
            results[kind] = {"label": label, "page": _page(request, finder(query), per_page=20)}
        else:
            for key, (label, finder) in sources.items():
                rows = list(finder(query)[: SEARCH_RESULTS_PER_TYPE + 1])
                results[key] = {
                    "label": label,
                    "items": rows[:SEARCH_RESULTS_PER_TYPE],
                    "more": len(rows) > SEARCH_RESULTS_PER_TYPE,
                }
    return render(
        request,
        "public/search.html",
        {
            "query": query,
            "kind": kind,
            "results": results,
            "total": sum(
                len(r.get("items", [])) + (r["page"].paginator.count if "page" in r else 0) for r in results.values()
            ),
        },
    )


# ------------------------------------------------------------------ feedback (public side)


def feedback_submit(request):
    ip = client_ip(request)
    if request.method == "POST":
        form = FeedbackForm(request.POST, request.FILES)
        # Two limits: records created (5/h) and any attempt, failed ones included (30/h).
        attempts_exceeded = rate_limited(
            scope="feedback-post", ip=ip, limit=FEEDBACK_ATTEMPT_LIMIT, window_seconds=FEEDBACK_RATE_WINDOW
        )
        if attempts_exceeded or rate_limit_peek(scope="feedback", ip=ip, limit=FEEDBACK_RATE_LIMIT):
            form.is_valid()
            form.add_error(None, _("Bạn đã gửi quá nhiều phản ánh trong một giờ. Vui lòng thử lại sau."))
            return render(request, "public/feedback_form.html", {"form": form}, status=429)
        if form.is_valid():
            try:
                feedback, created = services.feedback_submit(
                    submission_key=form.submission_key,
                    kind=form.cleaned_data["kind"],
                    topic=form.cleaned_data["topic"],
                    unit=form.cleaned_data["unit"],
                    title=form.cleaned_data["title"],
                    text=form.cleaned_data["text"],
                    name=form.cleaned_data["name"],
                    email=form.cleaned_data["email"],
                    phone=form.cleaned_data["phone"],
                    consent_publish=form.cleaned_data["consent_publish"],
                    attachment=form.cleaned_data["attachment"],
                    ip_hash=ip_hash(ip),
                )
            except PortalError as error:
                _form_error(form, error)
            else:
                if created:
                    rate_limited(
                        scope="feedback", ip=ip, limit=FEEDBACK_RATE_LIMIT, window_seconds=FEEDBACK_RATE_WINDOW
                    )
                    messages.success(
                        request,
                        _("Đã gửi. Hãy ghi lại mã tra cứu %(code)s để theo dõi.") % {"code": feedback.tracking_code},
                    )
                return redirect("public:feedback_track_detail", code=feedback.tracking_code)
        return render(request, "public/feedback_form.html", {"form": form}, status=400)
    return render(request, "public/feedback_form.html", {"form": FeedbackForm()})


@require_GET
def feedback_track(request):
    form = TrackingForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return redirect("public:feedback_track_detail", code=form.cleaned_data["code"])
    return render(request, "public/feedback_track.html", {"form": form})


@require_GET
def feedback_track_detail(request, code):
    if rate_limited(scope="tracking", ip=client_ip(request), limit=TRACKING_RATE_LIMIT, window_seconds=3600):
        return render(request, "public/feedback_track.html", {"form": TrackingForm(), "limited": True}, status=429)
    feedback = get_object_or_404(Feedback.objects.select_related("unit"), tracking_code=code.upper())
    return render(
        request,
        "public/feedback_track_detail.html",
        {
            "feedback": feedback,
            "events": list(feedback.events.all()),
        },
    )


@require_GET
@public_cacheable
def feedback_published_list(request):
    return render(
        request,
        "public/feedback_published_list.html",
        {
            "page": _page(request, selectors.feedback_published()),
        },
    )


@require_GET
@public_cacheable
def feedback_published_detail(request, code):
    feedback = get_object_or_404(selectors.feedback_published(), tracking_code=code)
    return render(request, "public/feedback_published_detail.html", {"feedback": feedback})


# ------------------------------------------------------------------ SEO plumbing


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /me/",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        "Disallow: /quan-ly/",
        "Disallow: /phan-anh/tra-cuu/",
        "Disallow: /tim-kiem/",
        f"Sitemap: {request.build_absolute_uri(reverse('public:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


# ------------------------------------------------------------------ officers: news


def _writer_units(user):
    if user.is_portal_admin:
        return Unit.objects.filter(dissolved_on__isnull=True).order_by("path")
    from .rules import NEWS_WRITER_ROLES

    ids = [m.unit_id for m in user.active_memberships if m.role in NEWS_WRITER_ROLES]
    return Unit.objects.filter(pk__in=ids).order_by("path")


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
    units = _writer_units(request.user)
    form = NewsForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            news = services.news_create(
                unit=data["unit"],
                title=data["title"],
                summary=data["summary"],
                body=data["body"],
                tags=data["tags"],
                source=data["source"],
                by=request.user,
            )
        except PortalError as error:
            _form_error(form, error)
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
        units=_writer_units(request.user) | Unit.objects.filter(pk=news.unit_id),
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
            data = form.cleaned_data
            try:
                services.news_update(
                    news=news,
                    title=data["title"],
                    summary=data["summary"],
                    body=data["body"],
                    tags=data["tags"],
                    source=data["source"],
                    by=request.user,
                )
            except PortalError as error:
                _form_error(form, error)
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


# ------------------------------------------------------------------ officers: feedback


@login_required
@require_GET
def manage_feedback(request):
    require_perm(request.user, "public.list_feedback")
    feedback = selectors.feedback_for_handler(request.user)
    status = request.GET.get("trang-thai", "")
    counts = dict(feedback.values_list("status").annotate(n=Count("id")).order_by())
    if status in FeedbackStatus.values:
        feedback = feedback.filter(status=status)
    return render(
        request,
        "public/manage/feedback_list.html",
        {
            "page": _page(request, feedback.order_by("due_on", "-received_at"), per_page=30),
            "statuses": [(value, label, counts.get(value, 0)) for value, label in FeedbackStatus.choices],
            "status": status,
        },
    )


@login_required
def manage_feedback_detail(request, code):
    feedback = get_object_or_404(Feedback.objects.select_related("unit", "answered_by"), tracking_code=code)
    require_perm(request.user, "public.handle_feedback", feedback)
    answer_form = FeedbackAnswerForm(request.POST or None, initial={"publish": feedback.consent_publish})
    decline_form = FeedbackDeclineForm()
    if request.method == "POST":
        if answer_form.is_valid():
            try:
                services.feedback_answer(
                    feedback=feedback,
                    by=request.user,
                    answer=answer_form.cleaned_data["answer"],
                    publish=answer_form.cleaned_data["publish"],
                )
            except PortalError as error:
                _form_error(answer_form, error)
            else:
                messages.success(request, _("Đã gửi câu trả lời."))
                return redirect("public:manage_feedback_detail", code=feedback.tracking_code)
    return render(
        request,
        "public/manage/feedback_detail.html",
        {
            "feedback": feedback,
            "events": list(feedback.events.select_related("by")),
            "answer_form": answer_form,
            "decline_form": decline_form,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def manage_feedback_action(request, code, action):
    feedback = get_object_or_404(Feedback.objects.select_related("unit"), tracking_code=code)
    require_perm(request.user, "public.handle_feedback", feedback)
    try:
        if action == "nhan":
            services.feedback_take(feedback=feedback, by=request.user)
            messages.success(request, _("Đã nhận xử lý."))
        elif action == "khong-thu-ly":
            form = FeedbackDeclineForm(request.POST)
            services.feedback_decline(feedback=feedback, by=request.user, reason=form.data.get("reason", ""))
            messages.success(request, _("Đã đóng phản ánh (không thụ lý)."))
        elif action in ("cong-khai", "an"):
            services.feedback_set_published(feedback=feedback, by=request.user, publish=action == "cong-khai")
            messages.success(request, _("Đã cập nhật công khai."))
        else:
            raise Http404
    except PortalError as error:
        messages.error(request, str(error))
    return redirect("public:manage_feedback_detail", code=feedback.tracking_code)


@login_required
@require_GET
def manage_feedback_attachment(request, code):
    feedback = get_object_or_404(Feedback.objects.select_related("unit"), tracking_code=code)
    require_perm(request.user, "public.handle_feedback", feedback)
    if not feedback.attachment:
        raise Http404
    stored = feedback.attachment.name.rsplit("/", 1)[-1]
    return uploaded_file_response(
        feedback.attachment, filename=f"{feedback.tracking_code}-{stored}", content_type=feedback.attachment_type
    )
