"""Provinces and communes of the post-2025 map, from the maintained `vietnam-provinces` package.

Units store the codes; older records keep their address text as it was written then.
"""

from functools import cache

from vietnam_provinces import Province, Ward

from congdoan.core.text import sort_key


@cache
def provinces() -> list[tuple[int, str]]:
    return sorted(
        ((int(p.code), p.name) for p in Province.iter_all()), key=lambda item: sort_key(item[1])
    )


@cache
def _province_names() -> dict[int, str]:
    return dict(provinces())


@cache
def _wards() -> dict[int, tuple[str, int]]:
    return {int(w.code): (w.name, int(w.province_code)) for w in Ward.iter_all()}


def wards_of(province_code: int) -> list[tuple[int, str]]:
    items = [(code, name) for code, (name, p) in _wards().items() if p == province_code]
    return sorted(items, key=lambda item: sort_key(item[1]))


def province_name(code: int | None) -> str:
    return _province_names().get(code, "") if code else ""


def ward_name(code: int | None) -> str:
    return _wards().get(code, ("", 0))[0] if code else ""


def ward_province(code: int) -> int | None:
    item = _wards().get(code)
    return item[1] if item else None


def is_province(code: int) -> bool:
    return code in _province_names()
