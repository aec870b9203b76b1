"""A meeting's title, worded the way union documents word it (pure functions, no queries
beyond the meeting's own relations).

    Hội nghị Ban Chấp hành lần thứ II (mở rộng), khoá X, nhiệm kỳ 2023 – 2028
    Hội nghị Ban Chấp hành lần thứ Mười Bốn, nhiệm kỳ 2018 – 2023   (number_words, no committee)
    Đại hội XI Liên đoàn Lao động tỉnh Lai Châu, nhiệm kỳ 2023 – 2028
    Hội nghị sơ kết 6 tháng đầu năm 2022 Cụm thi đua số 3

The words come from the translations: in English "2nd (extended) meeting of the Executive
Committee, 10th committee, term 2023–2028".
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from congdoan.core.formats import ordinal, roman, short_date, vietnamese

_DIGITS = ["", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]


def vi_number_words(n: int) -> str:
    """14 → "Mười Bốn", 21 → "Hai Mươi Mốt", 1 → "Nhất", 4 → "Tư" (after "lần thứ"); 1–99,
    Roman numerals beyond."""
    if not 1 <= n <= 99:
        return roman(n)
    if n == 1:
        words = "nhất"
    elif n == 4:
        words = "tư"
    elif n < 10:
        words = _DIGITS[n]
    else:
        tens, unit = divmod(n, 10)
        head = "mười" if tens == 1 else f"{_DIGITS[tens]} mươi"
        if unit == 0:
            words = head
        elif unit == 5:
            words = f"{head} lăm"
        elif unit == 1 and tens > 1:
            words = f"{head} mốt"
        elif unit == 4 and tens > 1:
            words = f"{head} tư"
        else:
            words = f"{head} {_DIGITS[unit]}"
    return " ".join(w.capitalize() for w in words.split())


def _nth(n: int, number_words: bool) -> str:
    """The meeting's number: "II" (or "Mười Bốn") in Vietnamese, "2nd" in English."""
    if not vietnamese():
        return ordinal(n)
    return vi_number_words(n) if number_words else roman(n)


def _term_years(term: Any) -> str:
    return _("term %(start)s–%(end)s") % {"start": term.start_year, "end": term.end_year}


def _committee_meeting(meeting: Any, number_words: bool, with_committee: bool) -> str:
    extended = " " + _("(extended)") if meeting.extended else ""
    standing = meeting.kind == "btv"
    if meeting.number:
        template = (
            _("%(number)s%(extended)s meeting of the Standing Committee")
            if standing
            else _("%(number)s%(extended)s meeting of the Executive Committee")
        )
        parts = [template % {"number": _nth(meeting.number, number_words), "extended": extended}]
    else:
        template = (
            _("Meeting of the Standing Committee%(extended)s")
            if standing
            else _("Meeting of the Executive Committee%(extended)s")
        )
        parts = [template % {"extended": extended}]
    term = meeting.term
    if term is not None:
        if with_committee:
            numeral = roman(term.number) if vietnamese() else ordinal(term.number)
            parts.append(_("%(number)s committee") % {"number": numeral})
        parts.append(_term_years(term))
    return ", ".join(parts)


def _congress(meeting: Any) -> str:
    term = meeting.term
    if term is None:
        return _("Congress of %(unit)s") % {"unit": meeting.unit.name}
    head = _("Congress %(number)s of %(unit)s") % {
        "number": roman(term.number),
        "unit": meeting.unit.name,
    }
    return f"{head}, {_term_years(term)}"


def _year(meeting: Any) -> int:
    period = meeting.period
    return int(period.year) if period is not None else int(meeting.held_on.year)


def _review(meeting: Any) -> str:
    words = {"year": _year(meeting), "cluster": getattr(meeting.cluster, "name", "")}
    cluster = meeting.cluster is not None
    if meeting.kind == "midyear":
        if cluster:
            return _("Mid-year review %(year)s of %(cluster)s") % words
        return _("Mid-year review %(year)s") % words
    if meeting.kind == "yearend":
        if cluster:
            return _("Year-end review %(year)s of %(cluster)s") % words
        return _("Year-end review %(year)s") % words
    if cluster:
        return _("Conference of %(cluster)s %(year)s") % words
    return _("Cluster conference %(year)s") % words


def meeting_title(meeting: Any, *, number_words: bool = False, with_committee: bool = True) -> str:
    """The meeting's own title when it has one, else its title worded from its kind, number,
    term, period and cluster. `number_words`: "lần thứ Mười Bốn" rather than "lần thứ XIV";
    `with_committee`: name the committee ("khoá X") before the term's years."""
    if meeting.title:
        return str(meeting.title)
    kind = meeting.kind
    if kind in ("bch", "btv"):
        return _committee_meeting(meeting, number_words, with_committee)
    if kind == "congress":
        return _congress(meeting)
    if kind in ("midyear", "yearend", "cluster"):
        return _review(meeting)
    words = {"year": _year(meeting), "unit": meeting.unit.name}
    if kind == "workers":
        return _("Workers' conference %(year)s") % words
    if kind == "civil":
        return _("Conference of civil servants and public employees %(year)s") % words
    return _("Meeting of %(unit)s on %(day)s") % {
        "unit": meeting.unit.name,
        "day": short_date(meeting.held_on),
    }


def meeting_host(meeting: Any) -> str:
    """The body holding the meeting: "Ban Chấp hành Liên đoàn Lao động thị xã Sa Pa"."""
    if meeting.kind == "bch":
        return _("Executive Committee of %(unit)s") % {"unit": meeting.unit.name}
    if meeting.kind == "btv":
        return _("Standing Committee of %(unit)s") % {"unit": meeting.unit.name}
    return str(meeting.unit.name)
