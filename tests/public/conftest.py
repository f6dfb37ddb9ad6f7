import pytest

from organizations.enums import Role
from public.enums import FeedbackKind, FeedbackTopic, NewsStatus
from public.forms import read_challenge
from public.models import NewsItem
from public.services import feedback_submit
from tests.factories import UserFactory, member


@pytest.fixture
def comm(tree):
    """The city federation's communication officer: approves the districts' news."""
    return member(tree.federation, Role.COMMUNICATION, UserFactory(email="comm@example.vn"))


@pytest.fixture
def make_news(tree):
    counter = iter(range(1, 10**6))

    def _make(*, unit=None, status=NewsStatus.PUBLISHED, title=None, body="Nội dung tin.", author=None, **extra):
        n = next(counter)
        return NewsItem.objects.create(
            unit=unit or tree.gialam,
            author=author or tree.gialam_officer,
            status=status,
            title=title or f"Tin thử số {n}",
            summary=extra.pop("summary", f"Tóm tắt tin {n}"),
            body=body,
            published_at=extra.pop("published_at", None)
            or (__import__("django.utils.timezone").utils.timezone.now() if status == NewsStatus.PUBLISHED else None),
            **extra,
        )

    return _make


@pytest.fixture
def make_feedback(tree):
    counter = iter(range(1, 10**6))

    def _make(
        *,
        unit=None,
        consent=True,
        title="Phản ánh về bộ phận một cửa",
        text="Thời gian chờ ở bộ phận một cửa quá lâu.",
        **extra,
    ):
        n = next(counter)
        feedback, _created = feedback_submit(
            submission_key=f"k{n}",
            kind=FeedbackKind.REPORT,
            topic=FeedbackTopic.ONE_STOP,
            unit=unit or tree.gialam,
            title=title,
            text=text,
            name="Người dân",
            email="dan@example.vn",
            consent_publish=consent,
            **extra,
        )
        return feedback

    return _make


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def feedback_form_data(client, **overrides) -> dict:
    """The public feedback form as a citizen fills it, with the challenge the page just set answered."""
    token = client.get("/phan-anh/").context["form"].initial["token"]
    challenge = read_challenge(token)
    return {
        "kind": "report",
        "topic": "mot-cua",
        "unit": "",
        "title": "Chờ lâu ở bộ phận một cửa",
        "text": "Tôi phải chờ hơn hai giờ ở bộ phận một cửa để nộp hồ sơ.",
        "name": "Nguyễn Văn A",
        "email": "a@example.vn",
        "phone": "",
        "consent_publish": "on",
        "website": "",
        "challenge_answer": str(challenge["a"] + challenge["b"]),
        "token": token,
        **overrides,
    }
