import datetime as dt
import re
from unittest import mock

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError

from campaign_portal.calendar import HANOI
from campaign_portal.exceptions import PortalError
from campaign_portal.ratelimit import FEEDBACK_ATTEMPT, FEEDBACK_SUBMIT, FEEDBACK_TRACK
from public import services
from public.enums import FeedbackStatus
from public.forms import read_challenge
from public.models import Feedback
from public.signals import feedback_received
from tests.public.conftest import feedback_form_data as _form_data
from tests.upload_samples import pdf_bytes

SCRIPT = "<script>alert('xss')</script>"


@pytest.mark.django_db
def test_feedback_submit_creates_one_record_with_tracking_code(client, tree, django_capture_on_commit_callbacks):
    received = []
    feedback_received.connect(
        lambda sender, feedback, **kw: received.append(feedback.pk), weak=False, dispatch_uid="test-received"
    )
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/phan-anh/", _form_data(client, unit=str(tree.gialam.pk)))
    finally:
        feedback_received.disconnect(dispatch_uid="test-received")
    feedback = Feedback.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/phan-anh/tra-cuu/{feedback.tracking_code}/"
    assert len(feedback.tracking_code) == 10 and feedback.tracking_code.startswith("PA")
    assert (feedback.unit, feedback.status, feedback.consent_publish) == (tree.gialam, FeedbackStatus.RECEIVED, True)
    assert received == [feedback.pk]
    assert [e.status for e in feedback.events.all()] == ["received"]
    page = client.get(response["Location"]).content.decode()
    assert feedback.tracking_code in page and "Đã tiếp nhận" in page


@pytest.mark.django_db
def test_feedback_without_unit_goes_to_city_federation(client, tree):
    client.post("/phan-anh/", _form_data(client))
    assert Feedback.objects.get().unit == tree.federation


@pytest.mark.django_db
def test_feedback_double_submit_creates_one_record(client, tree):
    data = _form_data(client)
    first = client.post("/phan-anh/", data)
    second = client.post("/phan-anh/", data)
    assert Feedback.objects.count() == 1
    assert first["Location"] == second["Location"]


@pytest.mark.django_db
def test_feedback_errors_are_clear_and_keep_what_was_typed(client, tree):
    data = _form_data(client, email="", phone="", challenge_answer="99", text="Ngắn")
    response = client.post("/phan-anh/", data)
    content = response.content.decode()
    assert response.status_code == 400
    assert Feedback.objects.count() == 0
    assert "Hãy để lại e-mail hoặc số điện thoại" in content
    assert "Câu trả lời kiểm tra chưa đúng." in content
    assert 'value="Chờ lâu ở bộ phận một cửa"' in content
    assert 'value="Nguyễn Văn A"' in content
    assert ">\nNgắn</textarea>" in content
    assert response.context["form"]["token"].value() == data["token"]


@pytest.mark.django_db
def test_feedback_honeypot_rejects_bots(client, tree):
    response = client.post("/phan-anh/", _form_data(client, website="http://spam.example"))
    assert response.status_code == 400
    assert Feedback.objects.count() == 0


@pytest.mark.django_db
def test_feedback_forged_token_gets_a_new_challenge(client, tree):
    response = client.post("/phan-anh/", _form_data(client, token="forged"))
    assert response.status_code == 400
    assert Feedback.objects.count() == 0
    assert read_challenge(response.context["form"]["token"].value()) is not None


@pytest.mark.django_db
def test_feedback_rate_limit_per_address(client, tree):
    for _ in range(FEEDBACK_SUBMIT.limit):
        assert client.post("/phan-anh/", _form_data(client)).status_code == 302
    response = client.post("/phan-anh/", _form_data(client), REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 429
    assert "quá nhiều phản ánh" in response.content.decode()
    assert Feedback.objects.count() == FEEDBACK_SUBMIT.limit
    # another address is not affected
    assert client.post("/phan-anh/", _form_data(client), REMOTE_ADDR="10.0.0.9").status_code == 302


@pytest.mark.django_db
def test_feedback_attachment_checked_by_content(client, tree):
    fake = SimpleUploadedFile("don.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
    response = client.post("/phan-anh/", {**_form_data(client), "attachment": fake})
    assert response.status_code == 400
    assert (
        "Tệp đính kèm: loại tệp không được chấp nhận (kiểm tra theo nội dung tệp, không theo tên). "
        "Chỉ nhận: PDF, DOCX, JPEG, PNG."
    ) in response.content.decode()
    real = SimpleUploadedFile("Đơn kiến nghị.pdf", pdf_bytes(), content_type="text/plain")
    assert client.post("/phan-anh/", {**_form_data(client), "attachment": real}).status_code == 302
    feedback = Feedback.objects.get()
    assert (feedback.attachment_type, feedback.attachment_name) == ("application/pdf", "Đơn kiến nghị.pdf")


@pytest.mark.django_db
def test_feedback_attachment_served_only_to_handlers(client, login, tree):
    real = SimpleUploadedFile("don.pdf", pdf_bytes(), content_type="application/pdf")
    client.post("/phan-anh/", {**_form_data(client, unit=str(tree.gialam.pk)), "attachment": real})
    feedback = Feedback.objects.get()
    url = f"/quan-ly/phan-anh/{feedback.tracking_code}/tep/"
    assert login(tree.donganh_head).get(url).status_code == 404
    response = login(tree.gialam_officer).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")


@pytest.mark.django_db
def test_script_injection_in_every_public_form_is_neutralised(client, login, tree):
    client.post(
        "/phan-anh/",
        _form_data(
            client,
            unit=str(tree.gialam.pk),
            title=f"Tiêu đề {SCRIPT}",
            text=f"Nội dung phản ánh dài hơn hai mươi ký tự {SCRIPT}",
            name=f"Tên {SCRIPT}",
        ),
    )
    feedback = Feedback.objects.get()
    assert "<script" not in feedback.title + feedback.text + feedback.name
    services.feedback_answer(
        feedback=feedback, by=tree.gialam_officer, answer=f"Đơn vị đã tiếp thu và xử lý {SCRIPT}", publish=True
    )
    pages = [
        client.get(f"/phan-anh/tra-cuu/{feedback.tracking_code}/"),
        client.get(f"/phan-anh/cong-khai/{feedback.tracking_code}/"),
        client.get("/phan-anh/cong-khai/"),
        client.get("/tim-kiem/", {"q": SCRIPT}),
        client.get("/tim-kiem/", {"q": "tiep thu"}),
        client.get("/phan-anh/tra-cuu/", {"code": SCRIPT}),
        client.post("/phan-anh/", _form_data(client, title=SCRIPT, email="")),  # re-rendered with errors
        login(tree.gialam_officer).get(f"/quan-ly/phan-anh/{feedback.tracking_code}/"),
    ]
    for response in pages:
        assert response.status_code in (200, 400)
        assert "<script>alert(" not in response.content.decode()


@pytest.mark.django_db
def test_unpublished_feedback_is_404_publicly(client, tree, make_feedback):
    feedback = make_feedback(consent=True)
    url = f"/phan-anh/cong-khai/{feedback.tracking_code}/"
    assert client.get(url).status_code == 404  # not answered yet
    services.feedback_answer(
        feedback=feedback, by=tree.gialam_officer, answer="Đã chấn chỉnh bộ phận một cửa.", publish=False
    )
    assert client.get(url).status_code == 404  # answered, not published
    services.feedback_set_published(feedback=feedback, by=tree.gialam_officer, publish=True)
    content = client.get(url).content.decode()
    assert "Đã chấn chỉnh bộ phận một cửa." in content
    assert "dan@example.vn" not in content and "Người dân" not in content


@pytest.mark.django_db
def test_feedback_without_consent_cannot_be_published(tree, make_feedback):
    feedback = make_feedback(consent=False)
    with pytest.raises(PortalError):
        services.feedback_answer(feedback=feedback, by=tree.gialam_officer, answer="Trả lời đầy đủ.", publish=True)
    services.feedback_answer(feedback=feedback, by=tree.gialam_officer, answer="Trả lời đầy đủ.", publish=False)
    with pytest.raises(PortalError):
        services.feedback_set_published(feedback=feedback, by=tree.gialam_officer, publish=True)
    with pytest.raises(IntegrityError):  # and the database refuses it too
        Feedback.objects.filter(pk=feedback.pk).update(is_published=True)


@pytest.mark.django_db
def test_feedback_handlers_owner_teammate_outsider(login, tree, make_feedback):
    feedback = make_feedback(unit=tree.gialam)
    url = f"/quan-ly/phan-anh/{feedback.tracking_code}/"
    assert login(tree.gialam_officer).get(url).status_code == 200
    assert login(tree.gialam_head).get(url).status_code == 200
    assert login(tree.city_head).get(url).status_code == 200  # heads above may answer
    assert login(tree.donganh_head).get(url).status_code == 404
    assert login(tree.gl1_officer).get(url).status_code == 404
    assert login(tree.outsider).get(url).status_code == 404
    with pytest.raises(PortalError):
        services.feedback_answer(
            feedback=feedback, by=tree.donganh_head, answer="Không phải việc của tôi", publish=False
        )


@pytest.mark.django_db
def test_feedback_answer_through_view_records_history(login, tree, make_feedback):
    feedback = make_feedback(unit=tree.gialam)
    officer = login(tree.gialam_officer)
    officer.post(f"/quan-ly/phan-anh/{feedback.tracking_code}/nhan/")
    response = officer.post(f"/quan-ly/phan-anh/{feedback.tracking_code}/", {"answer": "ngắn"})
    assert response.status_code == 400
    assert "Nội dung trả lời quá ngắn." in response.content.decode()
    officer.post(
        f"/quan-ly/phan-anh/{feedback.tracking_code}/",
        {"answer": "Đơn vị đã bố trí thêm quầy tiếp nhận buổi sáng.", "publish": "on"},
    )
    feedback.refresh_from_db()
    assert (feedback.status, feedback.is_published, feedback.answered_by) == (
        FeedbackStatus.ANSWERED,
        True,
        tree.gialam_officer,
    )
    assert [e.status for e in feedback.events.all()] == ["received", "processing", "answered"]


@pytest.mark.django_db
def test_feedback_list_for_officer_is_scoped(login, tree, make_feedback, django_assert_max_num_queries):
    for _ in range(5):
        make_feedback(unit=tree.gialam)
    make_feedback(unit=tree.donganh, title="Phản ánh Đông Anh")
    client = login(tree.gialam_officer)
    with django_assert_max_num_queries(10):
        response = client.get("/quan-ly/phan-anh/")
    assert len(response.context["page"].object_list) == 5
    assert "Phản ánh Đông Anh" not in response.content.decode()


@pytest.mark.django_db
def test_feedback_due_on_counts_working_days_past_tet(make_feedback):
    # Received Friday 1 Feb 2019; Tết holidays 4–8 Feb and two weekends: ten working days end on Friday 22 Feb.
    moment = dt.datetime(2019, 2, 1, 9, tzinfo=HANOI)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        feedback = make_feedback()
    assert feedback.due_on == dt.date(2019, 2, 22)


@pytest.mark.django_db
def test_tracking_lookup_is_rate_limited(client, tree, make_feedback, settings):
    feedback = make_feedback()
    url = f"/phan-anh/tra-cuu/{feedback.tracking_code}/"
    for _ in range(FEEDBACK_TRACK.limit):
        assert client.get(url).status_code == 200
    assert client.get(url).status_code == 429


@pytest.mark.django_db
def test_feedback_failed_attempts_are_rate_limited_too(client, tree):
    data = _form_data(client, challenge_answer="99")
    for _ in range(FEEDBACK_ATTEMPT.limit):
        assert client.post("/phan-anh/", data).status_code == 400
    assert client.post("/phan-anh/", data).status_code == 429


@pytest.mark.django_db
def test_feedback_desk_shows_the_moves_the_rules_allow(tree, make_feedback, login):
    feedback = make_feedback(consent=True)
    url = f"/quan-ly/phan-anh/{feedback.tracking_code}/"
    flags = ("can_take", "can_answer", "can_decline", "can_publish", "can_hide")

    def shown(user):
        context = login(user).get(url).context
        return tuple(context[flag] for flag in flags)

    assert shown(tree.gialam_officer) == (True, True, True, False, False)
    services.feedback_take(feedback=feedback, by=tree.gialam_officer)
    assert shown(tree.gialam_head) == (False, True, True, False, False)
    services.feedback_answer(
        feedback=feedback, by=tree.gialam_officer, answer="Đã bố trí thêm quầy tiếp nhận.", publish=False
    )
    assert shown(tree.gialam_officer) == (False, False, False, True, False)
    services.feedback_set_published(feedback=feedback, by=tree.gialam_officer, publish=True)
    assert shown(tree.gialam_officer) == (False, False, False, False, True)
    assert login(tree.da1_officer).get(url).status_code == 404


@pytest.mark.django_db
def test_feedback_challenge_question_is_a_labelled_field(client, tree):
    from public.forms import NUMBER_WORDS

    response = client.get("/phan-anh/")
    form = response.context["form"]
    challenge = read_challenge(form.initial["token"])

    question = f"{NUMBER_WORDS[challenge['a']]} cộng {NUMBER_WORDS[challenge['b']]} bằng mấy? (viết bằng số)"
    content = response.content.decode()
    label = re.search(r'<label\s+for="id_challenge_answer"[^>]*>(.*?)</label>', content, re.S)
    assert label is not None
    assert label.group(1).split("<")[0].strip() == f"Câu hỏi kiểm tra: {question}"
    assert label.start() < content.index('id="id_challenge_answer"')  # the label above the box
    assert form.fields["challenge_answer"].label == f"Câu hỏi kiểm tra: {question}"
    assert form.fields["challenge_answer"].help_text == ""
    assert 'id="id_challenge_answer_helptext"' not in content


@pytest.mark.django_db
def test_feedback_sender_with_email_gets_the_tracking_code_by_mail(
    client, tree, mailoutbox, django_capture_on_commit_callbacks
):
    data = _form_data(client, email="Dan@Example.vn")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/phan-anh/", data)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/phan-anh/", data)  # a double submit: one record, one mail
    feedback = Feedback.objects.get()
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["dan@example.vn"]
    assert message.subject == f"Mã tra cứu phản ánh của bạn: {feedback.tracking_code}"
    track_url = f"{settings.SITE_URL}/phan-anh/tra-cuu/{feedback.tracking_code}/"
    assert f"Mã tra cứu: {feedback.tracking_code}" in message.body
    assert track_url in message.body
    html = message.alternatives[0][0]
    assert f"<strong>{feedback.tracking_code}</strong>" in html
    # The task delivered twice (a worker lost before its ack): still one mail.
    from public.tasks import feedback_send_tracking_code

    assert feedback_send_tracking_code(feedback_id=feedback.pk) is False
    assert len(mailoutbox) == 1
    feedback.refresh_from_db()
    assert feedback.tracking_code_mailed_at is not None


@pytest.mark.django_db
def test_feedback_sender_without_email_gets_no_mail(client, tree, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/phan-anh/", _form_data(client, email="", phone="0912 345 678"))
    assert Feedback.objects.count() == 1
    assert mailoutbox == []
