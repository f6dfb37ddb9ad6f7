"""The organisers' entry search ranks like the unit search (campaign_portal.search)."""

import pytest

from contest.selectors import entries_for_organisers

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
