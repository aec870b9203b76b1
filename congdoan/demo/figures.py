"""The demo's figures: what a grassroots union or a unit above it enters in a year (sized by its
members, or by the units and members below it), what a department or union group enters (a
handful), the first six months' share of a year, and what a running year has to show so far
(with a draft's share of it).
Pure functions of a seeded random generator (`congdoan/demo/indicators.py` plays them through
the services)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

MILLION = 1_000_000
# An upper level's inspections and supervisions of the units below it: the indicators' common
# prefix ("…_cuoc": events, "…_dv": units covered) and the share of the units below covered in
# a year.
INSPECTIONS = [
    ("kt_dieu_le", 0.2, 0.5),
    ("kt_tai_chinh", 0.15, 0.4),
    ("kt_qcdc", 0.05, 0.25),
    ("giam_sat", 0.1, 0.3),
]
ASSESSED = ("cdcs_danh_gia", "cdcs_tot")  # grassroots unions assessed at the year's end
MONEY = ("tien_", "gia_tri_", "quy_", "thu_")  # prefixes of amounts in đồng (whole thousands)
# What a grassroots union's six months keep of its year: its state, its yearly conference and
# self-inspection.
GRASSROOTS_STOCKS = ("dn_co_cd", "dn_co_tu", "hn_nld", "hn_cbccvc", "kt_tai_chinh_cuoc")
# … and an upper level's: its share of grassroots unions reached.
UPPER_STOCKS = ("ty_le_cdcs_tuyen_truyen",)
# A count and what it reached or cost: none of the second without the first.
PAIRS = [
    ("suat_qua", "tien_qua"),
    ("nha_macd", "tien_nha_macd"),
    ("ho_tro_kinh_te", "tien_ho_tro_kinh_te"),
    ("lop_tap_huan", "luot_tap_huan"),
    ("cuoc_thi", "luot_du_thi"),
    ("gs_217_cuoc", "gs_217_dv"),
    *((f"{code}_cuoc", f"{code}_dv") for code, _low, _high in INSPECTIONS),
]


def round_to_step(value: float, step: int) -> int:
    return max(step, int(Decimal(value / step).quantize(Decimal(1), ROUND_HALF_UP)) * step)


def figures_for(rng: random.Random, members: int, enterprise: bool) -> dict[str, int]:
    """A grassroots union's figures of a year, sized by its members."""
    m = max(members, 5)
    u, ri = rng.uniform, rng.randint
    v: dict[str, int] = {}
    v["phat_trien_dv"] = round(m * (u(0.03, 0.12) if enterprise else u(0.0, 0.05)))
    v["gioi_thieu_dang"] = round(m * u(0.005, 0.03))
    v["ket_nap_dang"] = round(v["gioi_thieu_dang"] * u(0.3, 0.8))
    v["suat_qua"] = max(1, round(m * u(0.15, 0.6)))
    v["tien_qua"] = v["suat_qua"] * rng.choice([300_000, 500_000, 500_000, 500_000, 1_000_000])
    if rng.random() < 0.4:
        v["suat_qua_cong_dong"] = ri(5, 40)
    if rng.random() < 0.06:
        v["nha_macd"] = 1
        v["tien_nha_macd"] = ri(50, 80) * MILLION
    helped = ri(0, 3)
    if helped:
        v["ho_tro_kinh_te"] = helped
        v["tien_ho_tro_kinh_te"] = helped * ri(5, 20) * MILLION
    v["quy_van_dong"] = ri(2, 60) * MILLION
    v["dv_huong_phuc_loi"] = round(m * u(0.05, 0.4))
    v["gia_tri_phuc_loi"] = v["dv_huong_phuc_loi"] * ri(5, 15) * 10_000
    v["sang_kien"] = round(m * u(0.01, 0.08))
    v["gia_tri_lam_loi"] = v["sang_kien"] * ri(2, 15) * MILLION
    v["cong_trinh_thi_dua"] = ri(0, 3)
    v["mo_hinh"] = 1 if rng.random() < 0.3 else 0
    if enterprise:
        v["dn_co_cd"] = 1
        v["dn_co_tu"] = 1 if rng.random() < 0.7 else 0
        v["hn_nld"] = 1
        v["doi_thoai"] = ri(1, 4)
        if v["dn_co_tu"] and rng.random() < 0.3:
            v["tu_ky_moi"] = 1
    else:
        v["hn_cbccvc"] = 1
    v["kt_tai_chinh_cuoc"] = 1
    v["giam_sat_cuoc"] = ri(0, 2)
    v["lop_tap_huan"] = ri(0, 2)
    v["luot_tap_huan"] = v["lop_tap_huan"] * round(m * u(0.3, 0.9))
    v["hd_vhtt"] = ri(2, 12)
    v["cuoc_thi"] = ri(0, 2)
    v["luot_du_thi"] = v["cuoc_thi"] * round(m * u(0.2, 0.7))
    salary = ri(50, 90) * 100_000  # 5–9 million đồng a month
    v["thu_doan_phi"] = m * 12 * salary // 100 // 1000 * 1000
    v["thu_kpcd"] = round(m * u(1.0, 1.2)) * 12 * salary * 2 // 100 // 1000 * 1000
    return v


def half_of(
    rng: random.Random, year: dict[str, int], stocks: tuple[str, ...] = GRASSROOTS_STOCKS
) -> dict[str, int]:
    """The first six months' share of a year's figures (`stocks` as they are)."""
    out = {}
    for code, value in year.items():
        if code in stocks:
            out[code] = value
        elif code.startswith(MONEY):
            out[code] = int(value * rng.uniform(0.35, 0.55)) // 1000 * 1000
        else:
            out[code] = int(value * rng.uniform(0.35, 0.55))
    return out


@dataclass
class Below:
    """What an upper level's own figures are sized by, as the tree stood on a day."""

    units: int = 0  # units directly below it
    grassroots: int = 0  # grassroots unions directly below it
    founded: int = 0  # … of them founded in the period
    founded_non_state: int = 0  # … of these, in non-state enterprises
    members: int = 0  # members over its whole subtree


def upper_figures_for(rng: random.Random, below: Below, months: int = 12) -> dict[str, int]:
    """An upper level's own figures of a year in which it existed `months` months: what it did
    itself (the engine adds its grassroots unions' figures), sized by what is below it."""
    f = months / 12
    n, g, m = below.units, below.grassroots, max(below.members, 20)
    u, ri = rng.uniform, rng.randint
    v: dict[str, int] = {}
    v["phat_trien_dv"] = round(ri(0, 8) * f)  # where no grassroots union exists yet
    v["thanh_lap_cdcs"] = below.founded
    v["thanh_lap_cdcs_ngoai_nn"] = below.founded_non_state
    if g:
        v["cdcs_danh_gia"] = g
        v["cdcs_tot"] = round(g * u(0.6, 0.9))
    v["suat_qua"] = max(2, round(m * u(0.02, 0.06) * f))
    v["tien_qua"] = v["suat_qua"] * rng.choice([500_000, 1_000_000, 1_000_000, 2_000_000])
    if rng.random() < 0.5:
        v["suat_qua_cong_dong"] = ri(10, 80)
    if rng.random() < 0.3:
        v["nha_macd"] = ri(1, 2)
        v["tien_nha_macd"] = v["nha_macd"] * ri(50, 80) * MILLION
    if rng.random() < 0.15:
        v["nha_chinh_sach"] = 1
    helped = ri(0, 4)
    if helped:
        v["ho_tro_kinh_te"] = helped
        v["tien_ho_tro_kinh_te"] = helped * ri(10, 30) * MILLION
    v["quy_van_dong"] = max(5, round(ri(10, 150) * f)) * MILLION
    v["thoa_thuan_phuc_loi"] = ri(0, 2)
    v["cong_trinh_thi_dua"] = ri(0, 2)
    v["mo_hinh"] = ri(0, 2)
    for code, low, high in INSPECTIONS:
        covered = min(n, int(n * u(low, high) * f + rng.random()))
        v[f"{code}_dv"] = covered
        v[f"{code}_cuoc"] = max(1, round(covered * u(0.4, 1.0))) if covered else 0
    v["gs_217_cuoc"] = ri(0, 2)
    v["gs_217_dv"] = v["gs_217_cuoc"] * ri(1, 3)
    v["khieu_nai"] = ri(0, 2)
    if g:
        v["ty_le_cdcs_tuyen_truyen"] = round(100 * (g - ri(0, g // 4)) / g)
    v["lop_tap_huan"] = max(1, round(ri(1, 4) * f))
    v["luot_tap_huan"] = v["lop_tap_huan"] * ri(25, 70)
    v["hd_vhtt"] = max(1, round(ri(1, 6) * f))
    v["cuoc_thi"] = ri(0, 1)
    v["luot_du_thi"] = v["cuoc_thi"] * round(m * u(0.1, 0.4))
    v["thu_kpcd"] = max(5, round(ri(10, 120) * f)) * MILLION
    return v


def upper_half_of(rng: random.Random, year: dict[str, int]) -> dict[str, int]:
    """`half_of` an upper level's year, without the year-end assessment, its pairs kept
    consistent (no units covered without an inspection, no fewer units covered than
    inspections, no amount without a count)."""
    flows = {c: v for c, v in year.items() if c not in ASSESSED}
    return pairs_kept(half_of(rng, flows, stocks=UPPER_STOCKS))


def pairs_kept(figures: dict[str, int]) -> dict[str, int]:
    """`figures` with their pairs consistent: no amount or units covered without a count, no
    fewer units covered than inspections."""
    out = dict(figures)
    for count, of in PAIRS:
        if of not in out:
            continue
        if not out.get(count):
            out[of] = 0
        elif of.endswith("_dv"):
            out[of] = max(out[of], out[count])
    return out


def so_far(
    rng: random.Random,
    year: dict[str, int],
    share: float,
    stocks: tuple[str, ...] = GRASSROOTS_STOCKS,
) -> dict[str, int]:
    """What a unit has to show `share` (0–1) of the way through a year planned as `year`: each
    flow about that share of it (±15 %, never more than the year), `stocks` as they are, the
    year-end assessment not yet, pairs consistent."""
    out = {}
    for code, value in year.items():
        if code in ASSESSED:
            continue
        if code in stocks:
            out[code] = value
            continue
        part = value * min(1.0, share * rng.uniform(0.85, 1.15))
        out[code] = round(part / 1000) * 1000 if code.startswith(MONEY) else round(part)
    return pairs_kept(out)


def in_progress(rng: random.Random, figures: dict[str, int]) -> dict[str, int]:
    """A draft being filled in: some of `figures` (at least one), a count and its amount or
    units covered kept or left out together."""
    group = {of: count for count, of in PAIRS}
    kept_share = rng.uniform(0.4, 0.9)
    heads = [code for code in figures if code not in group]
    kept = {code for code in heads if rng.random() < kept_share} or {rng.choice(heads)}
    return {code: v for code, v in figures.items() if group.get(code, code) in kept}


PRICES = [300_000, 500_000, 500_000, 1_000_000]  # a gift (suất quà), đồng


def part_figures_for(rng: random.Random) -> dict[str, int]:
    """A department's or union group's own figures of a year (data set "bieu_to_cong_doan"): a
    handful of gifts to its members and of cultural or sports activities."""
    gifts = rng.randint(0, 6)
    return {
        "suat_qua": gifts,
        "tien_qua": gifts * rng.choice(PRICES),
        "hd_vhtt": rng.randint(0, 3),
    }


def part_half_of(rng: random.Random, year: dict[str, int]) -> dict[str, int]:
    """The first six months of a department's or group's year: some of its gifts, at the same
    price, and of its activities."""
    gifts = rng.randint(0, year["suat_qua"])
    price = year["tien_qua"] // year["suat_qua"] if year["suat_qua"] else 0
    return {
        "suat_qua": gifts,
        "tien_qua": gifts * price,
        "hd_vhtt": rng.randint(0, year["hd_vhtt"]),
    }
