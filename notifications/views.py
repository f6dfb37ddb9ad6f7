from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import delivery, services
from .channels import BadSignature, sms, zalo
from .enums import Channel
from .forms import PreferenceForm
from .messages import describe
from .models import Notification
from .selectors import notifications_for, preference_of, unread_count


@login_required
def notification_list(request):
    page = Paginator(
        notifications_for(request.user).only("id", "kind", "payload", "status", "created_at", "read_at"), 30
    ).get_page(request.GET.get("page"))
    items = [
        {
            "id": n.pk,
            "text": describe(kind=n.kind, payload=n.payload),
            "url": n.url,
            "kind": n.get_kind_display(),
            "created_at": n.created_at,
            "read": n.read_at is not None,
        }
        for n in page.object_list
    ]
    return render(
        request,
        "notifications/list.html",
        {
            "page_obj": page,
            "items": items,
            "unread": unread_count(request.user),
        },
    )


@login_required
@require_POST
def notification_read(request, pk: int):
    # Someone else's notification answers 404: its existence is not revealed.
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.notification_mark_read(notification=notification)
    target = notification.url
    if (
        request.POST.get("open")
        and target
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return redirect(target)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all(request):
    count = services.notifications_mark_all_read(user=request.user)
    messages.success(request, _("Đã đánh dấu %(count)s thông báo là đã đọc.") % {"count": count})
    return redirect("notifications:list")


@login_required
def preferences(request):
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            services.preference_update(
                user=request.user,
                email_disabled_kinds=form.disabled_kinds(),
                digest_hour=form.cleaned_data["digest_hour"],
                language=form.cleaned_data["language"],
                channels=form.chosen_channels(before=preference_of(request.user.pk).channels),
                phone=form.cleaned_data.get("phone"),
            )
            messages.success(request, _("Đã lưu tùy chọn thông báo."))
            return redirect("notifications:preferences")
    else:
        form = PreferenceForm(initial=PreferenceForm.initial_for(preference_of(request.user.pk)))
    return render(request, "notifications/preferences.html", {"form": form})


# Providers' delivery reports: called by Zalo and the SMS gateway, not by a browser, so no session and no CSRF
# token; each is authenticated by its provider's signature or token instead, and is off (404) without it.


@csrf_exempt
@require_POST
def zalo_events(request):
    if not settings.ZALO_OA_SECRET_KEY:
        raise Http404
    try:
        report = zalo.delivery_report(body=request.body, signature=request.headers.get("X-ZEvent-Signature", ""))
    except BadSignature:
        return HttpResponseForbidden()
    except ValueError:
        return HttpResponseBadRequest()
    if report is not None:
        msg_id, delivered = report
        delivery.channel_message_report(channel=Channel.ZALO, provider_id=msg_id, delivered=delivered)
    return HttpResponse(status=200)


@csrf_exempt
@require_POST
def sms_delivery_report(request):
    if not settings.SMS_CALLBACK_TOKEN:
        raise Http404
    try:
        gateway_id, delivered, error_code, error = sms.delivery_report(
            body=request.body, authorization=request.headers.get("Authorization", "")
        )
    except BadSignature:
        return HttpResponseForbidden()
    except ValueError:
        return HttpResponseBadRequest()
    delivery.channel_message_report(
        channel=Channel.SMS, provider_id=gateway_id, delivered=delivered, error_code=error_code, error=error
    )
    return HttpResponse(status=200)
