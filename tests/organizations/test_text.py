import unicodedata

from campaign_portal.text import fold, has_vietnamese_diacritics, nfc, vietnamese_sort_key


def test_fold_removes_tones_and_d_stroke():
    assert fold("Liên đoàn Lao động huyện Gia Lâm") == "lien doan lao dong huyen gia lam"
    assert fold("ĐỐNG ĐA") == "dong da"


def test_fold_of_nfd_input_equals_fold_of_nfc():
    decomposed = unicodedata.normalize("NFD", "Hà Nội")
    assert fold(decomposed) == fold("Hà Nội") == "ha noi"
    assert nfc(decomposed) == "Hà Nội"


def test_sort_key_orders_the_vietnamese_alphabet():
    names = ["Đống Đa", "Ba Đình", "Ứng Hòa", "Uy Nỗ", "Ân Thi", "An Khánh", "Ăn Uống", "Dương Xá", "Cầu Giấy"]
    ordered = sorted(names, key=vietnamese_sort_key)
    assert ordered == [
        "An Khánh",
        "Ăn Uống",
        "Ân Thi",
        "Ba Đình",
        "Cầu Giấy",
        "Dương Xá",
        "Đống Đa",
        "Uy Nỗ",
        "Ứng Hòa",
    ]


def test_sort_key_orders_tones_after_base_letters():
    assert sorted(["mà", "má", "ma", "mả"], key=vietnamese_sort_key) == ["ma", "mà", "mả", "má"]


def test_has_vietnamese_diacritics_accepts_accented_and_refuses_unaccented():
    assert has_vietnamese_diacritics("Giải pháp rút ngắn thời gian giải quyết thủ tục hành chính")
    assert not has_vietnamese_diacritics("Giai phap rut ngan thoi gian giai quyet thu tuc hanh chinh")
    assert not has_vietnamese_diacritics("A solution to shorten administrative procedures")
