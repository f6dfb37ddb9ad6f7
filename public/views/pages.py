"""Public pages: anyone, no login. What they show is only ever published (the selectors see to it)."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from campaign_portal import registry
from campaign_portal.exceptions import PortalError
from campaign_portal.ratelimit import (
    FEEDBACK_SUBMIT,
    FEEDBACK_TRACK,
    client_ip,
    feedback_submit_refused,
    ip_hash,
    rate_limit_hit,
)
from campaign_portal.view_helpers import require_perm, uploaded_file_response
from organizations.models import Unit

from .. import selectors, services
from ..caching import cached_fragment, public_cacheable
from ..charts import indicator_charts
from ..enums import ReformArea
from ..forms import FeedbackForm, TrackingForm
from ..models import Feedback, HonouredModel, NewsImage, NewsItem
from .common import form_error, page_of

SEARCH_RESULTS_PER_TYPE = 10


def _home_sections_stamp() -> str:
    return "|".join(section.stamp() for section in registry.PUBLIC_HOME_SECTIONS)


@require_GET
@public_cacheable(extra_stamp=_home_sections_stamp)
def index(request):
    content = cached_fragment(request, "home", _home_content, extra_stamp=_home_sections_stamp)
    return render(request, "public/home.html", {"content": content})


def _home_content() -> str:
    return render_to_string(
        "public/_home_content.html",
        {
            "latest_news": list(selectors.news_published()[:6]),
            "honoured": list(selectors.honoured_published()[:3]),
            "latest_feedback": list(selectors.feedback_published()[:3]),
            "indicator": selectors.indicator_latest(),
            "sections": [part for section in registry.PUBLIC_HOME_SECTIONS for part in section.sections()],
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
            "page": page_of(request, news),
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
            "page": page_of(request, selectors.news_published_for_unit(unit)),
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
    response = _serve_image(image.file, image.content_type, image.file.name.rsplit("/", 1)[-1])
    if not image.news.is_published:  # a draft's picture is seen by its writers only: no shared cache
        response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@public_cacheable
def honoured_list(request):
    return render(request, "public/honoured_list.html", {"page": page_of(request, selectors.honoured_published())})


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
            results[kind] = {"label": label, "page": page_of(request, finder(query), per_page=20)}
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
        if feedback_submit_refused(key=ip):
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
                form_error(form, error)
            else:
                if created:
                    rate_limit_hit(policy=FEEDBACK_SUBMIT, key=ip)
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
    if rate_limit_hit(policy=FEEDBACK_TRACK, key=client_ip(request)):
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
            "page": page_of(request, selectors.feedback_published()),
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
