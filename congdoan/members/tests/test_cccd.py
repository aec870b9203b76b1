import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from congdoan.members import cccd


def make(province: str, sex: str, year: int, tail: str = "123456") -> str:
    return f"{province}{cccd.century_sex_digit(sex, year)}{year % 100:02d}{tail}"


def test_valid_cccd_agrees_with_sex_and_birth_year():
    value = make("012", "F", 1990)
    assert value == "012190123456"
    parsed = cccd.validate(value, sex="F", birth_year=1990)
    assert parsed == cccd.CitizenId(value, "cccd") and parsed.province == "Lai Châu"
    assert cccd.validate(make("001", "M", 2003), sex="M", birth_year=2003).kind == "cccd"


@pytest.mark.parametrize(
    ("value", "sex", "year", "fragment"),
    [
        ("012190123456", "M", 1990, "woman"),  # the ID is a woman's
        ("012190123456", "F", 1991, "1990"),  # born in 1990
        ("003190123456", "F", 1990, "003"),  # 003 is not a province code
        ("01219012345", None, None, "11"),  # 11 digits, not a lost zero of a valid one
        ("0121901234567", None, None, "13"),
        ("01219012345A", None, None, "digits"),
    ],
)
def test_invalid_ids_say_what_is_wrong(value, sex, year, fragment):
    from django.utils import translation

    with translation.override("en"), pytest.raises(cccd.InvalidCitizenId) as info:
        cccd.validate(value, sex=sex, birth_year=year)
    assert fragment in info.value.message


def test_lost_leading_zero_is_shown_never_guessed():
    excel_number = float(make("001", "M", 1985, "000042"))  # what calamine reads from Excel
    with pytest.raises(cccd.InvalidCitizenId) as info:
        cccd.validate(excel_number, sex="M", birth_year=1985)
    assert info.value.suggestion == "001085000042"
    assert "001085000042" in info.value.message


def test_scientific_notation_and_legacy_cmnd():
    with pytest.raises(cccd.InvalidCitizenId):
        cccd.validate("1.20190123E+11")
    assert cccd.validate("123456789").kind == "cmnd"
    assert cccd.validate(" 012 190 123 456 ", sex="F", birth_year=1990).value == "012190123456"
    assert cccd.validate("") is None and cccd.validate(None) is None


@given(
    st.sampled_from(sorted(cccd.PROVINCES)),
    st.sampled_from(["M", "F"]),
    st.integers(1900, 2099),
    st.integers(0, 999_999),
)
def test_every_consistent_id_is_accepted_and_masked(province, sex, year, tail):
    value = make(province, sex, year, f"{tail:06d}")
    assert cccd.validate(value, sex=sex, birth_year=year).value == value
    masked = cccd.mask(value)
    # Only the last two (random) digits show: the province and the digits that follow from the
    # sex and birth year do not (issue 11).
    assert masked == "*" * 10 + value[-2:]
    assert dt.date(year, 1, 1)  # a real year
