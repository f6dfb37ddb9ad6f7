"""Scale data for the public face: 1,000 published news items spread over units,
200 published feedback items and 50 honoured models, in bulk (no per-row saves)."""

import datetime as dt
import random

from django.utils import timezone

from campaign_portal.text import fold
from organizations.enums import UnitKind
from organizations.models import Unit, User

from .enums import FeedbackKind, FeedbackStatus, FeedbackTopic, NewsStatus, ReformArea
from .models import CityIndicator, Feedback, HonouredModel, NewsItem, refresh_search_vector

NEWS = 1000
FEEDBACK = 200
HONOURED = 50
BATCH = 2000
WORDS = (
    "một cửa liên thông",
    "thủ tục hành chính",
    "dịch vụ công trực tuyến",
    "cải cách",
    "đoàn viên",
    "hội nghị",
    "tuyên truyền",
    "sáng kiến",
    "chính quyền điện tử",
    "kỷ cương hành chính",
)


def generate(*, stdout=None, **_kwargs) -> None:
    if NewsItem.objects.filter(slug__startswith="scale-").exists():
        if stdout:
            stdout.write("  public: scale data already present")
        return
    rng = random.Random(8)
    units = list(Unit.objects.exclude(kind=UnitKind.GRASSROOTS_UNION).only("id", "lineage")[:100])
    units += list(Unit.objects.filter(kind=UnitKind.GRASSROOTS_UNION).only("id", "lineage")[:400])
    author = User.objects.filter(is_superuser=True).first() or User.objects.first()
    now = timezone.now()
    news = []
    for i in range(NEWS):
        unit = rng.choice(units)
        title = f"Tin số {i}: {rng.choice(WORDS)} và {rng.choice(WORDS)}"
        summary = f"Tóm tắt tin {i} về {rng.choice(WORDS)}."
        body = f"<p>Nội dung tin {i}: {' '.join(rng.choice(WORDS) for _ in range(40))}.</p>"
        news.append(
            NewsItem(
                title=title,
                slug=f"scale-{i}",
                summary=summary,
                body=body,
                unit_id=unit.id,
                lineage=unit.lineage,
                tags=f"|{rng.choice(ReformArea.values)}|",
                status=NewsStatus.PUBLISHED,
                author=author,
                approved_by=author,
                published_at=now - dt.timedelta(hours=i),
                search_text=fold(f"{title} {summary} {body}"),
            )
        )
    NewsItem.objects.bulk_create(news, batch_size=BATCH)
    feedback = []
    for i in range(FEEDBACK):
        unit = rng.choice(units[:100])
        title, text = f"Phản ánh số {i} về {rng.choice(WORDS)}", f"Nội dung phản ánh {i}: {rng.choice(WORDS)}."
        answer = f"Trả lời phản ánh {i}: đơn vị đã tiếp thu."
        feedback.append(
            Feedback(
                tracking_code=f"PASCALE{i:05d}",
                submission_key=f"scale-{i}",
                kind=FeedbackKind.REPORT,
                topic=rng.choice(FeedbackTopic.values),
                unit_id=unit.id,
                lineage=unit.lineage,
                title=title,
                text=text,
                name="Người dân",
                email="dan@example.vn",
                consent_publish=True,
                status=FeedbackStatus.ANSWERED,
                due_on=now.date(),
                answer=answer,
                answered_by=author,
                answered_at=now,
                is_published=True,
                published_at=now - dt.timedelta(hours=i),
                search_text=fold(f"{title} {text} {answer}"),
            )
        )
    Feedback.objects.bulk_create(feedback, batch_size=BATCH)
    honoured = []
    for i in range(HONOURED):
        title = f"Mô hình số {i}: {rng.choice(WORDS)}"
        honoured.append(
            HonouredModel(
                title=title,
                slug=f"scale-{i}",
                organisation="Công đoàn cơ sở",
                year=2019,
                summary=title,
                story=title,
                search_text=fold(title),
            )
        )
    HonouredModel.objects.bulk_create(honoured, batch_size=BATCH)
    # bulk_create skips save(): fill the stored tsvectors in three UPDATEs (PostgreSQL only).
    refresh_search_vector(NewsItem.objects.filter(slug__startswith="scale-"))
    refresh_search_vector(Feedback.objects.filter(submission_key__startswith="scale-"))
    refresh_search_vector(HonouredModel.objects.filter(slug__startswith="scale-"))
    CityIndicator.objects.get_or_create(
        year=2017,
        defaults=dict(par_index_rank=3, pci_rank=14, ict_rank=2, one_stop_percent=96, on_time_percent="99.98"),
    )
    if stdout:
        stdout.write(f"  public: {NEWS} news, {FEEDBACK} published feedback, {HONOURED} honoured models")
