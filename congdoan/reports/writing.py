"""The sentences of a report, built from its facts (pure functions, no database).

Vietnamese by default through the translations, English when English is active. The figures
are worded by `indicators.wording` (percentages, "16/2", "gần 3 tỷ đồng", "thứ nhất/15",
"N/M chỉ tiêu đạt và vượt") and `core.formats` (numbers); this module puts them into clauses:

    kết nạp 546 đoàn viên mới, đạt 110% chỉ tiêu
    16/2 nhà Mái ấm Công đoàn xây mới, sửa chữa, đạt 800% chỉ tiêu
    kinh phí xây dựng nhà Mái ấm Công đoàn: 3,8 tỷ đồng, đạt 4.750% chỉ tiêu

Clauses start in lower case (they are joined with "; " into one sentence per group, as the
seed reports list their results; `sentence` capitalises the first).

How a result is worded (decisions, kept simple on purpose):

- **Three shapes of clause, from the indicator's name** (names are Vietnamese data). In
  Vietnamese: (1) a name that starts with a known verb ("Kết nạp", "Thành lập", "Xây dựng mới",
  "Kiểm tra"… see `VERBS`) gives "<verb> <figure> [<unit>] <rest>": "kết nạp 546 đoàn viên
  mới", "kiểm tra 593 cuộc chấp hành Điều lệ Công đoàn"; an amount of money goes last ("thu
  đoàn phí công đoàn 1,2 tỷ đồng"); (2) a name that starts with what is counted gives
  "<figure> <name>": "5.200 suất quà thăm hỏi…", "16 nhà cho hộ gia đình chính sách, khó
  khăn", "116 đoàn viên được kết nạp Đảng"; (3) any other name: "<name>: <figure> <unit>"
  ("hội nghị người lao động: 12 cuộc"); percentages always take this shape.
  In English the names stay Vietnamese, so the clause is always (3).
  *What is counted* is the unit of measure itself, or its last word ("căn nhà" → "nhà"), or,
  for the generic counters "người" and "đơn vị", a noun naming whom or which (`COUNT_NOUNS`:
  đoàn viên, CĐCS, doanh nghiệp…); the unit is then not repeated.
- **"a/b"** ("16/2 nhà") when `Options.fractions` and the target is a count of at most
  `SMALL` (20): with a small target the percentage alone hides how small it was.
- **Money** in the body is rounded to one decimal of its scale and says so ("3,8 tỷ đồng",
  "gần 3 tỷ đồng", "hơn 15,2 tỷ đồng"); tables write the exact figure ("2.481.650.000").
- **No target** (missing or 0): no percentage and no word about it (never a division by 0).
- **Lower is better**, and **percent indicators**, are said against the target, without a
  ratio: "chưa đạt chỉ tiêu (không quá 20 người)", "vượt chỉ tiêu (80%)".
- **Missing figures** say "chưa có số liệu", never 0; figures not approved carry
  "(số liệu chưa duyệt)".
- **Own figure and the units below**, where the own figure is known: "(trong đó LĐLĐ tỉnh trực
  tiếp trao 1.200 suất, các đơn vị trực thuộc trao 6.365 suất)" after the figure.
- **Ranks**: "xếp thứ nhất/15 đơn vị toàn tỉnh"; in a cluster "xếp thứ 3 trong Cụm thi đua số
  12" (ordinals from `core.formats.ordinal`: "nhất", "tư").
- **Comparison with the same period a year before**: percentage points for percent
  indicators, the difference in units when the earlier count was under `SMALL` (a change from
  2 to 4 is not "tăng 100%"), else the change in percent; "bằng cùng kỳ" when equal.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from congdoan.core.formats import number, ordinal, vietnamese
from congdoan.indicators import wording
from congdoan.reports.facts import MeetingFacts, Options, Person, Result

SMALL = 20  # a target up to this is written "a/b"; an earlier count under it compares by units

# Verbs a catalogue name may start with (Vietnamese data), longest first where one starts
# another ("xây dựng mới" before "xây dựng").
VERBS = (
    "xây dựng mới",
    "xây dựng",
    "sửa chữa",
    "kết nạp",
    "thành lập",
    "phát triển",
    "giới thiệu",
    "trao tặng",
    "trao",
    "tặng",
    "thăm hỏi",
    "hỗ trợ",
    "giúp đỡ",
    "tổ chức",
    "ký kết",
    "ký mới",
    "vận động",
    "kiểm tra",
    "giám sát",
    "thu",
    "tập huấn",
    "bồi dưỡng",
    "nhân rộng",
    "giải quyết",
)
GENERIC_COUNTERS = ("người", "đơn vị")
COUNT_NOUNS = (
    "đoàn viên",
    "công đoàn",
    "cđcs",
    "nghiệp đoàn",
    "doanh nghiệp",
    "đơn vị",
    "người",
    "cán bộ",
    "công nhân",
    "hộ",
    "gia đình",
    "tập thể",
    "cá nhân",
    "học sinh",
    "trẻ em",
)
MONEY, PERCENT, COUNT = "money", "percent", "count"
MISSING_CELL = "–"  # a missing figure in a table


# --- Small pieces -------------------------------------------------------------------------


def names(items: Sequence[str]) -> str:
    """ "A, B và C" ("A, B and C"); "A và B"; "A"; ""."""
    items = [i for i in items if i]
    if len(items) < 2:
        return "".join(items)
    return _("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def periods(labels: Sequence[str]) -> str:
    """Two periods in one report: "9 tháng đầu năm 2023 và năm học 2022 - 2023" (labels are
    stored capitalised, "Năm học 2022 - 2023": inside a sentence they start in lower case)."""
    return names([label(text) for text in labels])


def label(text: str) -> str:
    """A period's label inside a sentence: "Năm 2023" → "năm 2023"."""
    return lower_first(text)


def lower_first(text: str) -> str:
    """ "Kết nạp đoàn viên" → "kết nạp đoàn viên"; an acronym stays ("CĐCS …")."""
    first = text.split(" ", 1)[0]
    if not text or (len(first) > 1 and first.isupper()):
        return text
    return text[0].lower() + text[1:]


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def sentence(text: str) -> str:
    """A clause as a sentence: capital first letter, one full stop."""
    return upper_first(stop(text))


def stop(text: str) -> str:
    """Ends `text` with one full stop, leaving its first letter as it is."""
    text = text.strip()
    return text if not text or text.endswith((".", "!", "?", "…")) else text + "."


def money_exact(value: Decimal | None) -> str:
    """ "2.481.650.000 đồng" (where exactness is asked: tables, amounts in words)."""
    if value is None:
        return ""
    return _("%(amount)s dong") % {"amount": number(value)}


def _starts_with(text: str, word: str) -> bool:
    text, word = text.casefold(), word.casefold()
    return text == word or (text.startswith(word) and not text[len(word)].isalnum())


def _verb(name: str) -> str:
    """The verb a name starts with, as written in the name, or ""."""
    for verb in VERBS:
        if _starts_with(name, verb):
            return name[: len(verb)]
    return ""


def _counts_itself(text: str, unit: str) -> bool:
    """Whether `text` starts with what is counted, so that the unit is not repeated."""
    unit = unit.strip()
    if not unit:
        return False
    heads = [unit, unit.split()[-1]]
    if unit in GENERIC_COUNTERS:
        heads.extend(COUNT_NOUNS)
    return any(_starts_with(text, head) for head in heads)


# --- Figures ------------------------------------------------------------------------------


def figure(result: Result, value: Decimal | None, options: Options) -> str:
    """The figure as the body writes it: "546", "16/2", "3,8 tỷ đồng", "45,2%"."""
    if value is None:
        return ""
    if result.value_type == MONEY:
        return wording.money(value)
    if result.value_type == PERCENT:
        return f"{wording.amount(value, 1)}%"
    if _as_fraction(result, value, options):
        return wording.fraction(value, result.target)
    return wording.amount(value, 2)


def _as_fraction(result: Result, value: Decimal | None, options: Options) -> bool:
    target = result.target
    return bool(
        options.fractions
        and value is not None
        and result.value_type == COUNT
        and target is not None
        and 0 < target <= SMALL
        and not result.lower_is_better
    )


def quantity(result: Result, value: Decimal | None, options: Options) -> str:
    """The figure with its unit: "546 người", "3,8 tỷ đồng", "45,2%"."""
    text = figure(result, value, options)
    if result.value_type in (MONEY, PERCENT) or not result.unit_of_measure.strip():
        return text
    return f"{text} {wording.unit_of_measure(result.unit_of_measure)}"


def cell(value: Decimal | None, value_type: str) -> str:
    """A figure in a table: exact, "–" when missing."""
    if value is None:
        return MISSING_CELL
    return number(value) if value_type == MONEY else wording.amount(value, 2)


# --- Clauses about one result -------------------------------------------------------------


def stated(result: Result, options: Options) -> str:
    """The result's figure in words: "kết nạp 546 đoàn viên mới", "5.200 suất quà …",
    "tỷ lệ đoàn viên nữ: 45,2%"; "<name>: chưa có số liệu" when nothing was entered (the
    name starts in lower case: the clause sits inside a sentence; `sentence` capitalises)."""
    if result.value is None:
        return missing(result, options)
    shown = figure(result, result.value, options)
    if vietnamese():
        verb = _verb(result.name)
        if verb and result.value_type != PERCENT:
            return _verb_phrase(result, verb, shown)
        if result.value_type not in (MONEY, PERCENT) and _counts_itself(
            result.name, result.unit_of_measure
        ):
            return f"{shown} {lower_first(result.name)}"
    return f"{lower_first(result.name)}: {quantity(result, result.value, options)}"


def _verb_phrase(result: Result, verb: str, shown: str) -> str:
    rest = result.name[len(verb) :].strip()
    verb = verb.lower()
    if result.value_type == MONEY:
        return " ".join(p for p in (verb, rest, shown) if p)
    unit = "" if _counts_itself(rest, result.unit_of_measure) else result.unit_of_measure
    return " ".join(p for p in (verb, shown, unit.strip(), rest) if p)


def missing(result: Result, options: Options) -> str:
    """ "Kết nạp đoàn viên mới: chưa có số liệu (chỉ tiêu 500 người)" — never 0."""
    if result.target is not None and result.target > 0:
        target = quantity(result, result.target, Options(fractions=False))
        return _("%(name)s: no figures yet (target %(target)s)") % {
            "name": lower_first(result.name),
            "target": target,
        }
    return _("%(name)s: no figures yet") % {"name": lower_first(result.name)}


def achieved(result: Result, options: Options) -> str:
    """ "đạt 110% chỉ tiêu", "đạt 85% chỉ tiêu năm 2023", "vượt chỉ tiêu (80%)"; "" without a
    target or a figure."""
    value, target = result.value, result.target
    if value is None or target is None or target <= 0:
        return ""
    if result.lower_is_better or result.value_type == PERCENT:
        return _against(result, options)
    ratio = wording.achievement(value, target)
    shown = wording.percent(
        ratio, options.percent_decimals, truncate=options.rounding == "truncate"
    )
    if result.target_of:
        return _("%(percent)s of the %(period)s target") % {
            "percent": shown,
            "period": label(result.target_of),
        }
    return _("%(percent)s of target") % {"percent": shown}


def _against(result: Result, options: Options) -> str:
    """Lower-is-better and percent indicators: reached or not, with the target shown."""
    target = quantity(result, result.target, Options(fractions=False))
    if result.lower_is_better:
        target = _("at most %(target)s") % {"target": target}
    code = wording.status(result.value, result.target, lower_is_better=result.lower_is_better)
    if code == wording.BELOW:
        return _("target not reached (%(target)s)") % {"target": target}
    if code == wording.EXCEEDED and not result.lower_is_better:
        return _("target exceeded (%(target)s)") % {"target": target}
    return _("target reached (%(target)s)") % {"target": target}


def compared(result: Result, previous_label: str = "") -> str:
    """ "tăng 12% so với cùng kỳ năm 2022", "giảm 5 đơn vị so với cùng kỳ", "bằng cùng kỳ";
    "" without both figures."""
    value, previous = result.value, result.previous
    if value is None or previous is None:
        return ""
    earlier = label(previous_label) if previous_label else _("the same period last year")
    if value == previous:
        return _("the same as %(previous)s") % {"previous": earlier}
    change = _change(result, value, previous)
    if value > previous:
        return _("up %(change)s on %(previous)s") % {"change": change, "previous": earlier}
    return _("down %(change)s on %(previous)s") % {"change": change, "previous": earlier}


def _change(result: Result, value: Decimal, previous: Decimal) -> str:
    difference = abs(value - previous)
    if result.value_type == PERCENT:
        return _("%(points)s percentage points") % {"points": wording.amount(difference, 1)}
    if previous <= 0 or (result.value_type != MONEY and previous < SMALL):
        return quantity(result, difference, Options(fractions=False))
    return wording.percent(wording.achievement(difference, previous))


def ranked(position: int | None, of: int, among: str = "") -> str:
    """ "xếp thứ nhất/15 đơn vị toàn tỉnh" ("ranked 1st of 15 units toàn tỉnh")."""
    if not position or not of:
        return ""
    text = _("ranked %(rank)s units") % {"rank": wording.rank(position, of)}
    return f"{text} {among}" if among else text


def ranked_in_cluster(position: int | None, cluster: str) -> str:
    """ "xếp thứ 4 trong Cụm thi đua số 12"."""
    if not position:
        return ""
    return _("ranked %(position)s in %(cluster)s") % {
        "position": ordinal(position),
        "cluster": cluster,
    }


def split(result: Result, body: str, options: Options) -> str:
    """Own figure and the units' below: "trong đó LĐLĐ tỉnh trực tiếp trao 1.200 suất, các
    đơn vị trực thuộc trao 6.365 suất"; "" when the own figure is unknown or is all of it."""
    value, own = result.value, result.own
    if value is None or own is None or own == value or not own or not body:
        return ""  # (a body that did none of it itself: "trực tiếp 0" says nothing)
    plain = Options(fractions=False, percent_decimals=options.percent_decimals)
    own_text = quantity(result, own, plain)
    below_text = quantity(result, value - own, plain)
    verb = _verb(result.name).lower() if vietnamese() else ""
    if verb:
        return _("of which %(body)s itself %(own)s and the units below %(below)s") % {
            "body": body,
            "own": f"{verb} {own_text}",
            "below": f"{verb} {below_text}",
        }
    return _("of which %(body)s: %(own)s, the units below: %(below)s") % {
        "body": body,
        "own": own_text,
        "below": below_text,
    }


RANK_MIN_PEERS = 3  # "thứ nhất/2" tells nothing


def _ranked(result: Result) -> bool:
    """Ranks are told for the results with a target (those the units compete on), among three
    units or more: told for every figure they would drown the text."""
    return result.target is not None and result.rank_of >= RANK_MIN_PEERS


def clause(result: Result, options: Options, *, body: str = "", previous_label: str = "") -> str:
    """Everything the report says about one result, as one clause:

    "trao 7.565 suất quà (trong đó …), đạt 110% chỉ tiêu, tăng 12% so với 9 tháng đầu năm 2022,
    xếp thứ nhất/15 đơn vị toàn tỉnh (số liệu chưa duyệt)". Clauses are joined with "; " into
    one sentence, as the seed reports list their results."""
    parts = [stated(result, options)]
    if result.value is not None:
        parts += [
            achieved(result, options),
            compared(result, previous_label),
            ranked(result.rank, result.rank_of, result.rank_among) if _ranked(result) else "",
        ]
    apart = split(result, body, options)
    if apart:
        parts[0] = f"{parts[0]} ({apart})"
    text = ", ".join(p for p in parts if p)
    if not result.approved and result.value is not None and result.target is not None:
        # Said where an achievement is claimed; the assessment says it for the whole period.
        pending = _("(figures not yet approved)")
        text = f"{text} {pending}"
    return text


# --- Counting results ---------------------------------------------------------------------


def tally(results: Iterable[Result]) -> tuple[int, int, int]:
    """(reached or exceeded, with a target, exceeded) over the results with a positive target;
    one without a figure counts as not reached."""
    reached = total = exceeded = 0
    for r in results:
        if r.target is None or r.target <= 0:
            continue
        total += 1
        code = wording.status(r.value, r.target, lower_is_better=r.lower_is_better)
        if code in (wording.REACHED, wording.EXCEEDED):
            reached += 1
        if code == wording.EXCEEDED:
            exceeded += 1
    return reached, total, exceeded


def summary(results: Iterable[Result]) -> str:
    """ "10/10 chỉ tiêu đạt và vượt, trong đó 4 chỉ tiêu vượt"; "" without targets."""
    reached, total, exceeded = tally(results)
    if not total:
        return ""
    return wording.indicators_reached(reached, total, exceeded)


def period_summary(period_label: str, subject: str, results: Sequence[Result]) -> str:
    """ "Trong 9 tháng đầu năm 2023, LĐLĐ thị xã có 4/4 chỉ tiêu đạt và vượt, trong đó 4 chỉ
    tiêu vượt."; "" without targets (no claim that none were assigned: they may be elsewhere)."""
    reached = summary(results)
    if not reached:
        return ""
    return _("In %(period)s, %(subject)s had %(reached)s.") % {
        "period": label(period_label),
        "subject": subject,
        "reached": reached,
    }


# --- The meeting, for the news item -------------------------------------------------------


def _day(meeting: MeetingFacts) -> str:
    held = meeting.held_on
    return f"{held.day}/{held.month}/{held.year}"


def person(person: Person) -> str:
    """ "Đặng Đình Chung – TUV, Chủ tịch LĐLĐ tỉnh Lào Cai"."""
    return f"{person.name} – {person.title}" if person.title else person.name


def meeting_opening(meeting: MeetingFacts) -> list[str]:
    """ "Ngày 22/6/2023, BCH … tổ chức Hội nghị …", then who attended and who chaired."""
    values = {"date": _day(meeting), "host": meeting.host, "meeting": meeting.title}
    if meeting.place:
        first = _("On %(date)s, at %(place)s, %(host)s held %(meeting)s.") % {
            **values,
            "place": meeting.place,
        }
    else:
        first = _("On %(date)s, %(host)s held %(meeting)s.") % values
    out = [first]
    present = []
    if meeting.guests:
        guests = "; ".join(_("comrade %(person)s") % {"person": person(g)} for g in meeting.guests)
        present.append(_("Attending the conference were %(guests)s.") % {"guests": guests})
    if meeting.chair:
        chair = meeting.chair.name if meeting.chair in meeting.guests else person(meeting.chair)
        present.append(_("Comrade %(person)s chaired the conference.") % {"person": chair})
    if meeting.attendees:
        present.append(
            ngettext("%(n)s delegate attended.", "%(n)s delegates attended.", meeting.attendees)
            % {"n": meeting.attendees}
        )
    if present:
        out.append(" ".join(present))
    return out


def meeting_presented(meeting: MeetingFacts, periods_text: str) -> list[str]:
    if meeting.presenter is None:
        return []
    return [
        _(
            "At the conference, comrade %(person)s presented the report on the results of "
            "trade union work in %(periods)s."
        )
        % {"person": person(meeting.presenter), "periods": periods_text}
    ]


def meeting_closing(meeting: MeetingFacts) -> list[str]:
    """The conclusions and the pledge, as entered."""
    out = []
    conclusions = meeting.conclusions.strip()
    if conclusions and meeting.chair:
        out.append(
            _("Concluding the conference, comrade %(person)s said: %(conclusions)s")
            % {"person": person(meeting.chair), "conclusions": stop(conclusions)}
        )
    elif conclusions:
        out.append(
            _("The conference concluded: %(conclusions)s") % {"conclusions": stop(conclusions)}
        )
    if meeting.pledge.strip():
        out.append(_("At the conference, %(pledge)s.") % {"pledge": meeting.pledge.strip(" .")})
    return out
