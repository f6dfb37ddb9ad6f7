import pytest

from organizations.enums import Role
from public.enums import FeedbackKind, FeedbackTopic, NewsStatus
from public.forms import read_challenge
from public.models import NewsItem
from public.services import feedback_submit, news_approve, news_submit
from tests.factories import UserFactory, member


@pytest.fixture
def comm(tree):
    """The city federation's communication officer: approves the districts' news."""
    return member(tree.federation, Role.COMMUNICATION, UserFactory(email="comm@example.vn"))


@pytest.fixture
def make_news(tree):
    counter = iter(range(1, 10**6))

    def _make(*, unit=None, status=NewsStatus.PUBLISHED, title=None, body="Nội dung tin.", author=None, **extra):
        """A news item written as a draft, then brought to `status` through the services (by the portal admin,
        who may act for any unit)."""
        n = next(counter)
        published_at = extra.pop("published_at", None)
        news = NewsItem.objects.create(
            unit=unit or tree.gialam,
            author=author or tree.gialam_officer,
            status=NewsStatus.DRAFT,
            title=title or f"Tin thử số {n}",
            summary=extra.pop("summary", f"Tóm tắt tin {n}"),
            body=body,
            **extra,
        )
        if status in (NewsStatus.PENDING, NewsStatus.PUBLISHED):
            news = news_submit(news=news, by=tree.admin, now=published_at)
        if status == NewsStatus.PUBLISHED:
            news = news_approve(news=news, by=tree.admin, now=published_at)
        return news

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
