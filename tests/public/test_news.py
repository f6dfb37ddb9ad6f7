import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from campaign_portal.exceptions import PortalError
from public import services
from public.enums import NewsStatus, ReformArea
from public.models import NewsImage, NewsItem


def _png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.django_db
def test_news_create_slug_is_folded_and_unique(tree):
    first = services.news_create(
        unit=tree.gialam, title="Một cửa liên thông", summary="s", body="b", by=tree.gialam_officer
    )
    second = services.news_create(
        unit=tree.gialam, title="Một cửa liên thông", summary="s", body="b", by=tree.gialam_officer
    )
    assert (first.slug, second.slug) == ("mot-cua-lien-thong", "mot-cua-lien-thong-2")
    assert first.status == NewsStatus.DRAFT
    assert first.lineage == tree.gialam.lineage


@pytest.mark.django_db
def test_news_create_refused_for_other_unit(tree):
    with pytest.raises(PortalError):
        services.news_create(unit=tree.donganh, title="x", summary="s", body="b", by=tree.gialam_officer)


@pytest.mark.django_db
def test_news_body_is_sanitised_on_save(tree):
    news = services.news_create(
        unit=tree.gialam,
        title="t",
        summary="<b>tóm</b> tắt<script>alert(1)</script>",
        body='<p onclick="x()">A<script>alert(1)</script></p><img src="http://evil/x.png"><a href="javascript:alert(1)">l</a>',
        tags=[ReformArea.PROCEDURES, "bogus"],
        by=tree.gialam_officer,
    )
    assert news.body == '<p>A</p><img><a rel="noopener noreferrer nofollow">l</a>'
    assert news.summary == "tóm tắt"
    assert news.tags == "|thu-tuc|"


@pytest.mark.django_db
def test_news_approval_flow_by_parent_communication_officer(tree, comm):
    news = services.news_create(unit=tree.gialam, title="Tin Gia Lâm", summary="s", body="b", by=tree.gialam_officer)
    services.news_submit(news=news, by=tree.gialam_officer)
    with pytest.raises(PortalError):
        services.news_update(news=news, title="x", summary="s", body="b", by=tree.gialam_officer)
    with pytest.raises(PortalError):  # the writer's own head is not the parent
        services.news_approve(news=news, by=tree.gialam_head)
    news = services.news_approve(news=news, by=comm)
    assert (news.status, news.approved_by) == (NewsStatus.PUBLISHED, comm)
    assert news.published_at is not None


@pytest.mark.django_db
def test_news_grassroots_approved_by_district_head(tree):
    news = services.news_create(unit=tree.gl1, title="Tin CĐCS", summary="s", body="b", by=tree.gl1_officer)
    services.news_submit(news=news, by=tree.gl1_officer)
    with pytest.raises(PortalError):
        services.news_approve(news=news, by=tree.donganh_head)
    assert services.news_approve(news=news, by=tree.gialam_head).status == NewsStatus.PUBLISHED


@pytest.mark.django_db
def test_news_return_needs_note_and_goes_back_to_draft(tree, comm):
    news = services.news_create(unit=tree.gialam, title="t", summary="s", body="b", by=tree.gialam_officer)
    services.news_submit(news=news, by=tree.gialam_officer)
    with pytest.raises(PortalError):
        services.news_return(news=news, by=comm, note="  ")
    news = services.news_return(news=news, by=comm, note="Thiếu ảnh")
    assert (news.status, news.review_note) == (NewsStatus.DRAFT, "Thiếu ảnh")


@pytest.mark.django_db
@pytest.mark.parametrize("status", [NewsStatus.DRAFT, NewsStatus.PENDING])
def test_news_detail_unpublished_is_404_for_anonymous_and_outsider(client, login, tree, make_news, status):
    news = make_news(status=status)
    assert client.get(news.get_absolute_url()).status_code == 404
    assert login(tree.outsider).get(news.get_absolute_url()).status_code == 404
    assert login(tree.da1_officer).get(news.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_news_detail_draft_preview_for_writer(login, tree, make_news):
    news = make_news(status=NewsStatus.DRAFT)
    response = login(tree.gialam_officer).get(news.get_absolute_url())
    assert response.status_code == 200
    assert b'<meta name="robots" content="noindex">' in response.content


@pytest.mark.django_db
def test_news_list_shows_only_published(client, make_news):
    make_news(title="Tin đã đăng")
    make_news(title="Tin nháp", status=NewsStatus.DRAFT)
    make_news(title="Tin chờ duyệt", status=NewsStatus.PENDING)
    content = client.get("/tin-tuc/").content.decode()
    assert "Tin đã đăng" in content
    assert "Tin nháp" not in content and "Tin chờ duyệt" not in content


@pytest.mark.django_db
def test_unit_news_page_includes_subtree_only(client, tree, make_news):
    make_news(unit=tree.gl1, title="Tin của Trâu Quỳ", author=tree.gl1_officer)
    make_news(unit=tree.donganh, title="Tin của Đông Anh", author=tree.donganh_head)
    content = client.get(f"/don-vi/{tree.gialam.code}/tin-tuc/").content.decode()
    assert "Tin của Trâu Quỳ" in content
    assert "Tin của Đông Anh" not in content
    assert client.get("/don-vi/KHONG-CO/tin-tuc/").status_code == 404


@pytest.mark.django_db
def test_news_list_filter_by_reform_area(client, make_news):
    make_news(title="Tin công vụ", tags="|cong-vu|")
    make_news(title="Tin tài chính", tags="|tai-chinh|")
    content = client.get("/tin-tuc/?linh-vuc=cong-vu").content.decode()
    assert "Tin công vụ" in content and "Tin tài chính" not in content


@pytest.mark.django_db
def test_news_image_upload_checked_by_content_and_served(login, client, tree, comm, make_news):
    news = make_news(status=NewsStatus.DRAFT)
    officer = login(tree.gialam_officer)
    fake = SimpleUploadedFile("anh.png", b"<svg onload=alert(1)></svg>", content_type="image/png")
    officer.post(f"/quan-ly/tin-tuc/{news.pk}/anh/", {"file": fake, "alt": "Ảnh"})
    assert NewsImage.objects.count() == 0
    real = SimpleUploadedFile("Ảnh hội nghị.png", _png_bytes(), content_type="image/png")
    officer.post(f"/quan-ly/tin-tuc/{news.pk}/anh/", {"file": real, "alt": "Hội nghị"})
    image = NewsImage.objects.get()
    assert image.content_type == "image/png"
    assert image.file.name.endswith("/anh-hoi-nghi.png")
    client.logout()
    assert client.get(image.get_absolute_url()).status_code == 404  # draft: not public yet
    services.news_submit(news=news, by=tree.gialam_officer)
    services.news_approve(news=news, by=comm)
    response = client.get(image.get_absolute_url())
    assert (response.status_code, response["Content-Type"]) == (200, "image/png")
    with image.file.open("rb") as stored:  # the re-encoded image, served as stored
        assert b"".join(response.streaming_content) == stored.read()


@pytest.mark.django_db
def test_manage_news_requires_login_and_role(client, login, tree):
    assert client.get("/quan-ly/tin-tuc/").status_code == 302
    assert login(tree.outsider).get("/quan-ly/tin-tuc/").status_code == 404
    assert login(tree.gialam_officer).get("/quan-ly/tin-tuc/").status_code == 200


@pytest.mark.django_db
def test_manage_news_end_to_end_through_views(client, login, tree, comm):
    officer = login(tree.gialam_officer)
    response = officer.post(
        "/quan-ly/tin-tuc/moi/",
        {
            "unit": tree.gialam.pk,
            "title": "Hội nghị <script>alert(1)</script> một cửa",
            "summary": "Tóm tắt",
            "body": "Đoạn một.\n\nĐoạn hai <img src=x onerror=alert(1)>",
            "tags": ["thu-tuc"],
            "source": "",
        },
    )
    news = NewsItem.objects.get()
    assert response.status_code == 302
    assert "<script" not in news.body and "onerror" not in news.body
    officer.post(f"/quan-ly/tin-tuc/{news.pk}/gui-duyet/")
    news.refresh_from_db()
    assert news.status == NewsStatus.PENDING
    # a sibling district's head cannot approve: the action answers 404
    assert login(tree.donganh_head).post(f"/quan-ly/tin-tuc/{news.pk}/duyet/").status_code == 404
    login(comm).post(f"/quan-ly/tin-tuc/{news.pk}/duyet/")
    news.refresh_from_db()
    assert news.status == NewsStatus.PUBLISHED
    client.logout()
    page = client.get(news.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "Hội nghị &lt;script&gt;alert(1)&lt;/script&gt; một cửa" in page


@pytest.mark.django_db
def test_manage_news_edit_refused_when_pending(login, tree, make_news):
    news = make_news(status=NewsStatus.PENDING)
    response = login(tree.gialam_officer).post(
        f"/quan-ly/tin-tuc/{news.pk}/",
        {
            "unit": tree.gialam.pk,
            "title": "Sửa",
            "summary": "s",
            "body": "b",
        },
    )
    assert response.status_code == 404
    news.refresh_from_db()
    assert news.title != "Sửa"


@pytest.mark.django_db
def test_news_history_is_recorded(tree, comm):
    news = services.news_create(unit=tree.gialam, title="t", summary="s", body="b", by=tree.gialam_officer)
    services.news_submit(news=news, by=tree.gialam_officer)
    services.news_approve(news=news, by=comm)
    assert [h.status for h in news.history.order_by("history_id")] == ["draft", "pending", "published"]
