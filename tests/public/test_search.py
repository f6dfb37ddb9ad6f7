import pytest

from public import selectors, services
from public.enums import NewsStatus
from public.models import HonouredModel


@pytest.mark.django_db
def test_search_is_accent_insensitive_across_types(client, tree, make_news, make_feedback):
    make_news(title="Thực hiện cơ chế một cửa liên thông", summary="Một cửa điện tử dùng chung 3 cấp")
    make_news(title="Tin khác", summary="Hội nghị tổng kết")
    make_news(title="Một cửa nhưng là bản nháp", status=NewsStatus.DRAFT)
    HonouredModel.objects.create(
        title="Mô hình một cửa thân thiện", organisation="UBND phường", year=2019, summary="Tóm tắt", story="Câu chuyện"
    )
    HonouredModel.objects.create(
        title="Mô hình một cửa ẩn", organisation="x", year=2019, summary="s", story="s", is_published=False
    )
    published = make_feedback(title="Phản ánh về một cửa", consent=True)
    services.feedback_answer(feedback=published, by=tree.gialam_officer, answer="Đã trả lời đầy đủ.", publish=True)
    make_feedback(title="Một cửa chưa trả lời")

    assert [n.title for n in selectors.search_news("mot cua")] == ["Thực hiện cơ chế một cửa liên thông"]
    assert [n.title for n in selectors.search_news("MỘT CỬA")] == ["Thực hiện cơ chế một cửa liên thông"]
    assert [m.title for m in selectors.search_honoured("mot cua")] == ["Mô hình một cửa thân thiện"]
    assert [f.title for f in selectors.search_feedback("mot cua")] == ["Phản ánh về một cửa"]
    assert list(selectors.search_news("   ")) == []

    response = client.get("/tim-kiem/", {"q": "mot cua"})
    assert response.status_code == 200
    assert response.context["total"] == 3
    content = response.content.decode()
    assert "bản nháp" not in content and "chưa trả lời" not in content and "ẩn" not in content


@pytest.mark.django_db
def test_search_requires_every_word(make_news):
    make_news(title="Cải cách thủ tục hành chính")
    make_news(title="Thủ tục đăng ký kinh doanh")
    assert [n.title for n in selectors.search_news("thu tuc hanh chinh")] == ["Cải cách thủ tục hành chính"]


@pytest.mark.django_db
def test_search_single_type_is_paginated(client, make_news):
    for i in range(25):
        make_news(title=f"Một cửa số {i}")
    response = client.get("/tim-kiem/", {"q": "mot cua", "loai": "tin-tuc", "page": 2})
    assert len(response.context["results"]["tin-tuc"]["page"].object_list) == 5


@pytest.mark.django_db
def test_search_query_count_is_bounded(client, make_news, django_assert_max_num_queries):
    for i in range(30):
        make_news(title=f"Một cửa liên thông {i}")
    with django_assert_max_num_queries(4):
        response = client.get("/tim-kiem/", {"q": "mot cua"})
    assert len(response.context["results"]["tin-tuc"]["items"]) == 10
    assert response.context["results"]["tin-tuc"]["more"] is True


@pytest.mark.postgres
@pytest.mark.django_db
def test_search_uses_full_text_and_gin_index_on_postgresql(make_news):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    make_news(title="Cơ chế một cửa liên thông")
    queryset = selectors.search_news('"mot cua" lien thong')
    assert "websearch_to_tsquery" in str(queryset.query) and "search_vector" in str(queryset.query)
    assert [n.title for n in queryset] == ["Cơ chế một cửa liên thông"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'public_newsitem' AND indexname LIKE '%%gin'"
        )
        assert cursor.fetchall() == [("public_newsitem_vector_gin",)]
