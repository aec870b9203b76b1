import datetime as dt
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from congdoan.core import formats
from congdoan.core.scoping import path_upper
from congdoan.core.text import drop_controls, fold, nfc, sort_key

VIETNAMESE = (
    "aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợpqrstuùủũúụưừửữứựvxyỳỷỹýỵ "
)


def test_fold_ignores_case_diacritics_and_d_stroke():
    assert fold("NGUYỄN ĐỨC") == "nguyen duc"
    assert fold("Hòa") == fold("Hoà") == fold("HOA")
    assert fold("Thủy") == fold("Thuỷ") == "thuy"
    assert fold("  Công   đoàn ") == "cong doan"
    assert fold("ÐẶNG ÐỨC") == "dang duc"  # "Ð" from legacy encodings is read as "Đ"
    assert sort_key("Ðức") == sort_key("Đức")


def test_nfc_repairs_decomposed_input():
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Hồng")
    assert decomposed != "Nguyễn Thị Hồng"
    assert nfc(decomposed) == "Nguyễn Thị Hồng"


def test_control_characters_are_dropped_and_whitespace_ones_become_spaces():
    # Files from old systems carry NUL and ESC; PostgreSQL cannot store a NUL at all.
    assert nfc("Nguy\x00ễn\x1b\tThị\x85Hoa\x7f") == "Nguyễn Thị Hoa"
    assert drop_controls("a\x00b\x01c\nd") == "abc d"


@given(st.text(alphabet=VIETNAMESE + VIETNAMESE.upper(), max_size=30))
def test_fold_is_the_same_for_nfc_and_nfd(text):
    assert (
        fold(unicodedata.normalize("NFD", text))
        == fold(unicodedata.normalize("NFC", text))
        == fold(text)
    )


def test_vietnamese_alphabetical_order():
    words = ["Ư", "U", "Ơ", "Ô", "O", "Đ", "D", "Â", "Ă", "A", "E", "Ê"]
    assert sorted(words, key=sort_key) == [
        "A",
        "Ă",
        "Â",
        "D",
        "Đ",
        "E",
        "Ê",
        "O",
        "Ô",
        "Ơ",
        "U",
        "Ư",
    ]
    tones = ["ạ", "á", "ã", "ả", "à", "a"]
    assert sorted(tones, key=sort_key) == ["a", "à", "ả", "ã", "á", "ạ"]
    assert sorted(["Hùng", "Hưng", "Hoa", "Hòa", "Hà"], key=sort_key) == [
        "Hà",
        "Hoa",
        "Hòa",
        "Hùng",
        "Hưng",
    ]


def test_numbers_dates_and_roman_numerals():
    assert formats.number(1234567) == "1.234.567"
    assert formats.number(12.5, 1) == "12,5"
    assert formats.number(-2481650000) == "-2.481.650.000"
    assert formats.short_date(dt.date(2025, 7, 1)) == "01/07/2025"
    assert formats.long_date(dt.date(2024, 2, 5)) == "ngày 05 tháng 02 năm 2024"
    assert formats.long_date(dt.date(2022, 12, 28)) == "ngày 28 tháng 12 năm 2022"
    assert formats.roman(13) == "XIII" and formats.roman(14) == "XIV"
    assert formats.parse_date("01/07/2025") == dt.date(2025, 7, 1)
    with pytest.raises(ValueError):
        formats.parse_date("2025-13-01")
    with pytest.raises(ValueError):
        formats.parse_date("1/7/25")


@given(st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=12))
def test_path_range_contains_exactly_the_descendants(prefix):
    upper = path_upper(prefix)
    assert prefix < upper
    assert prefix + "0000" < upper and prefix + "ZZZZ" < upper
    if prefix[-1] != "Z":
        sibling = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        assert not (sibling < upper)
