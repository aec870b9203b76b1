"""The geography of the demo: districts of Lai Châu before 1/7/2025 and the communes after it.

Commune codes and names come from `congdoan.organisation.divisions` (the post-2025 map); this file
only says which former district each commune belongs to (a plausible mapping for the demo) and
where the district federations had their seat.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

LAI_CHAU = 12
DIEN_BIEN = 11


@dataclass(frozen=True)
class District:
    key: str  # code suffix: the federation's code is f"LC-{key}"
    label: str  # "huyện Tam Đường"
    founded: dt.date
    seat: int  # commune code of the seat after 1/7/2025
    communes: tuple[int, ...]
    weight: int  # share of the grassroots unions
    parent_key: str | None = None  # former district its communes belonged to before `founded`
    old_label: str | None = None  # name before a rename
    renamed_on: dt.date | None = None
    congress: int | None = None  # number of its congress of 2023 (terms), if recorded


DISTRICTS = [
    District(
        "TP",
        "thành phố Lai Châu",
        dt.date(2004, 1, 1),
        3408,
        (3408, 3388),
        44,
        old_label="thị xã Lai Châu",
        renamed_on=dt.date(2013, 12, 27),
        congress=5,
    ),
    District(
        "TD", "huyện Tam Đường", dt.date(2004, 1, 1), 3390, (3390, 3405, 3430, 3424), 30, congress=5
    ),
    District(
        "PT", "huyện Phong Thổ", dt.date(2004, 1, 1), 3549, (3549, 3571, 3562, 3583, 3394), 30
    ),
    District(
        "SH",
        "huyện Sìn Hồ",
        dt.date(2004, 1, 1),
        3478,
        (3478, 3508, 3503, 3517, 3544, 3538, 3532, 3529),
        34,
        congress=11,
    ),
    District(
        "MT",
        "huyện Mường Tè",
        dt.date(2004, 1, 1),
        3445,
        (3445, 3433, 3466, 3451, 3439, 3442, 3463),
        24,
    ),
    District("TU", "huyện Than Uyên", dt.date(2008, 1, 1), 3595, (3595, 3618, 3637, 3640), 30),
    District(
        "TNU",
        "huyện Tân Uyên",
        dt.date(2009, 4, 1),
        3598,
        (3598, 3601, 3613, 3616),
        30,
        parent_key="TU",
    ),
    District(
        "NN",
        "huyện Nậm Nhùn",
        dt.date(2013, 1, 2),
        3434,
        (3434, 3487, 3472, 3460),
        20,
        parent_key="MT",
    ),
]

# Remote communes whose schools are semi-boarding schools for ethnic minority pupils (PTDTBT).
REMOTE = {
    3433,
    3466,
    3451,
    3439,
    3442,
    3463,
    3460,
    3472,
    3487,
    3544,
    3538,
    3532,
    3529,
    3508,
    3503,
    3517,
    3562,
    3583,
    3571,
    3394,
    3430,
    3424,
    3613,
    3640,
}

# Where the provincial bodies stand (the provincial capital's two wards).
CAPITAL_WARDS = (3408, 3388)

# Điện Biên: a small second province, so that scopes can be seen not to overlap.
DIEN_BIEN_CITY_WARDS = ("Phường Điện Biên Phủ", "Phường Mường Thanh")
DIEN_BIEN_DISTRICT_COMMUNE = "Xã Mường Ảng"
