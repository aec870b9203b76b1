"""A meeting's title, the Vietnamese way and in English (no database)."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import translation

from congdoan.meetings.wording import meeting_host, meeting_title, vi_number_words

UNIT = SimpleNamespace(name="Liên đoàn Lao động tỉnh Lai Châu")


def _meeting(**kw):
    base = dict(
        title="", kind="bch", number=None, extended=False, term=None, unit=UNIT,
        cluster=None, period=None, held_on=dt.date(2024, 7, 15),
    )  # fmt: skip
    return SimpleNamespace(**{**base, **kw})


def _term(number, start, end):
    return SimpleNamespace(number=number, start_year=start, end_year=end)


@pytest.mark.parametrize(
    ("n", "words"),
    [(1, "Nhất"), (2, "Hai"), (4, "Tư"), (10, "Mười"), (14, "Mười Bốn"), (15, "Mười Lăm"),
     (21, "Hai Mươi Mốt"), (24, "Hai Mươi Tư"), (30, "Ba Mươi")],
)  # fmt: skip
def test_number_words(n, words):
    assert vi_number_words(n) == words


def test_bch_with_committee_in_vietnamese():
    m = _meeting(number=2, extended=True, term=_term(10, 2023, 2028))
    with translation.override("vi"):
        assert meeting_title(m) == (
            "Hội nghị Ban Chấp hành lần thứ II (mở rộng), khoá X, nhiệm kỳ 2023 – 2028"
        )


def test_bch_in_words_without_committee():
    m = _meeting(number=14, term=_term(9, 2018, 2023))
    with translation.override("vi"):
        assert meeting_title(m, number_words=True, with_committee=False) == (
            "Hội nghị Ban Chấp hành lần thứ Mười Bốn, nhiệm kỳ 2018 – 2023"
        )


def test_bch_in_english():
    m = _meeting(number=2, extended=True, term=_term(10, 2023, 2028))
    with translation.override("en"):
        assert meeting_title(m) == (
            "2nd (extended) meeting of the Executive Committee, 10th committee, term 2023–2028"
        )


def test_congress():
    m = _meeting(kind="congress", term=_term(11, 2023, 2028))
    with translation.override("vi"):
        assert (
            meeting_title(m) == "Đại hội XI Liên đoàn Lao động tỉnh Lai Châu, nhiệm kỳ 2023 – 2028"
        )


def test_cluster_midyear_review():
    m = _meeting(
        kind="midyear", cluster=SimpleNamespace(name="Cụm thi đua số 3"),
        held_on=dt.date(2022, 7, 10),
    )  # fmt: skip
    with translation.override("vi"):
        assert meeting_title(m) == "Hội nghị sơ kết 6 tháng đầu năm 2022 Cụm thi đua số 3"


def test_own_title_wins_and_keeps_its_characters():
    m = _meeting(title='Hội nghị "Đối thoại" & <chia sẻ>')
    assert meeting_title(m) == 'Hội nghị "Đối thoại" & <chia sẻ>'


def test_host():
    with translation.override("vi"):
        assert meeting_host(_meeting()) == "Ban Chấp hành Liên đoàn Lao động tỉnh Lai Châu"
        assert meeting_host(_meeting(kind="workers")) == UNIT.name


def test_a_title_and_its_body_share_their_words_once():
    from congdoan.meetings.selectors import _person

    assert _person("Giàng A Tông", "Phó Bí thư Tỉnh ủy", "Tỉnh ủy Lai Châu").title == (
        "Phó Bí thư Tỉnh ủy Lai Châu"
    )
    assert _person("Lê Từ Bình", "Phó Chủ tịch", "LĐLĐ tỉnh").title == "Phó Chủ tịch LĐLĐ tỉnh"
    assert _person("A", "", "Sở Y tế").title == "Sở Y tế"
