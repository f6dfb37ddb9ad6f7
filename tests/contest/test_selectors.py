"""The organisers' entry search ranks like the unit search (campaign_portal.search); the duplicates."""

import pytest

from contest.selectors import duplicate_pairs, entries_for_organisers

from .conftest import make_entrant, make_entry

pytestmark = pytest.mark.django_db


def test_entry_search_matches_word_starts_and_ranks_code_first(contest_env):
    contest = contest_env.contest
    thanh = make_entry(
        make_entrant(contest, email="a@example.vn", name="Phạm Văn An"), title="Thành lập tổ một cửa lưu động"
    )
    dong_anh = make_entry(
        make_entrant(contest, email="b@example.vn", name="Lê Thị Bình"), title="Một cửa liên thông tại huyện Đông Anh"
    )
    apart = make_entry(
        make_entrant(contest, email="c@example.vn", name="Đỗ Văn Cường"),
        title="Hộ tịch Đông Hội, tiếng Anh cho người nước ngoài",
    )

    def codes(q):
        return [e.code for e in entries_for_organisers(contest, q=q)]

    assert codes("dong anh") == [dong_anh.code, apart.code]  # "Thành" holds "anh" inside a word
    assert codes("anh") == [dong_anh.code, apart.code]  # both whole words: by code
    # "một cửa l…" as a phrase in two titles; the third has the words apart (the shared text: "một cửa", "lần")
    assert codes("mot cua l") == [thanh.code, dong_anh.code, apart.code]
    assert codes(dong_anh.code.lower()) == [dong_anh.code]
    assert codes("0003") == [apart.code]  # part of a code still finds the entry
    assert codes("Bình") == [dong_anh.code]  # and so does the author's name


def test_duplicate_pairs_finds_the_copy_and_nothing_else(contest_env, django_assert_num_queries):
    contest = contest_env.contest
    original = make_entry(make_entrant(contest, email="a@example.vn", name="Phạm Văn An"))
    copy = make_entry(make_entrant(contest, email="b@example.vn", name="Lê Thị Bình"))
    make_entry(
        make_entrant(contest, email="c@example.vn", name="Đỗ Văn Cường"),
        title="Cấp phiếu lý lịch tư pháp qua bưu điện",
        problem="Công dân ở xa phải đến Sở Tư pháp hai lần để nộp hồ sơ và nhận phiếu lý lịch.",
        solution="Nhận hồ sơ tại bưu cục gần nhà, trả phiếu tận tay qua dịch vụ bưu chính công ích.",
        benefits="Bớt hai chuyến đi cho mỗi người.",
        feasibility="Theo hợp đồng sẵn có với bưu điện thành phố.",
    )
    with django_assert_num_queries(1):
        pairs = duplicate_pairs(contest)
    assert [(a.code, b.code, title, text) for a, b, title, text in pairs] == [(original.code, copy.code, 1.0, 1.0)]
