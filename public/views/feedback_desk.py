"""The officers' feedback desk: take, answer, decline, show or hide an answer. Login required, object-level rules."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from campaign_portal.exceptions import PortalError
from campaign_portal.view_helpers import require_perm, uploaded_file_response

from .. import selectors, services
from ..enums import FeedbackStatus
from ..forms import FeedbackAnswerForm, FeedbackDeclineForm
from ..models import Feedback
from .common import form_error, page_of


@login_required
@require_GET
def manage_feedback(request):
    require_perm(request.user, "public.list_feedback")
    feedback = selectors.feedback_for_handler(request.user)
    counts = selectors.feedback_counts_by_status(feedback)
    status = request.GET.get("trang-thai", "")
    if status in FeedbackStatus.values:
        feedback = feedback.filter(status=status)
    return render(
        request,
        "public/manage/feedback_list.html",
        {
            "page": page_of(request, feedback.order_by("due_on", "-received_at"), per_page=30),
            "statuses": [(value, label, counts.get(value, 0)) for value, label in FeedbackStatus.choices],
            "status": status,
        },
    )


@login_required
def manage_feedback_detail(request, code):
    feedback = get_object_or_404(Feedback.objects.select_related("unit", "answered_by"), tracking_code=code)
    require_perm(request.user, "public.handle_feedback", feedback)
    answer_form = FeedbackAnswerForm(request.POST or None, initial={"publish": feedback.consent_publish})
    if request.method == "POST" and answer_form.is_valid():
        try:
            services.feedback_answer(
                feedback=feedback,
                by=request.user,
                answer=answer_form.cleaned_data["answer"],
                publish=answer_form.cleaned_data["publish"],
            )
        except PortalError as error:
            form_error(answer_form, error)
        else:
            messages.success(request, _("Đã gửi câu trả lời."))
            return redirect("public:manage_feedback_detail", code=feedback.tracking_code)
    user = request.user
    return render(
        request,
        "public/manage/feedback_detail.html",
        {
            "feedback": feedback,
            "events": list(feedback.events.select_related("by")),
            "answer_form": answer_form,
            "decline_form": FeedbackDeclineForm(),
            "can_take": user.has_perm("public.take_feedback", feedback),
            "can_answer": user.has_perm("public.answer_feedback", feedback),
            "can_decline": user.has_perm("public.decline_feedback", feedback),
            "can_publish": user.has_perm("public.publish_feedback", feedback),
            "can_hide": user.has_perm("public.hide_feedback", feedback),
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
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            services.feedback_decline(feedback=feedback, by=request.user, reason=reason)
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
