"""Generate a national-size organisation tree with its effective-dated history, fast.

    python -m bench.generate            # BENCH_UNITS units (default 130,000), seed BENCH_SEED

The tree has the shape of the real one (domain.md §1):

- before 1/7/2025: Tổng LĐLĐ → 63 provincial federations + 20 central sector unions →
  district federations, local sector unions (education, health, civil servants), zone unions,
  corporation unions → grassroots unions → union groups;
- on 1/7/2025 (`REFORM`), as the real services would record it: commune unions are created under
  the 34 remaining provinces; the grassroots of each district federation move to commune unions
  (those of district-level state agencies are dissolved instead) and the district federation is
  dissolved; the grassroots of local sector unions move up to the province and the sector union
  is dissolved; the 29 other provinces are merged into the one that continues (their zone unions
  move to it);
- after 1/7/2025: new grassroots unions and some renames; before it, about one grassroots union
  in ten was renamed once.

Nothing is written through the ORM row by row: `TreeBuilder` replays the operations in memory,
computing treebeard's materialized paths (steplen 4, alphabet 0-9A-Z, new children and moved
branches go to the last position, as `add_child` and `move(…, "last-child")` do), `numchild`,
`depth`, `parent`, `search_text` and the `UnitVersion` rows exactly as `record_versions` writes
them; `write()` then loads everything with COPY. `bench.verify` checks, on a small tree, that
replaying the same operations through the real services gives the same rows.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import random
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

REFORM = dt.date(2025, 7, 1)
BEFORE = dt.date(2025, 6, 30)
STEPLEN = 4
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

# New province code (vietnam_provinces) ← the old provinces merged into it on 1/7/2025; the first
# one continues (its federation receives the others), the others are merged into it.
# An old province: (kind, name, relative size in grassroots unions).
MERGES: list[tuple[int, list[tuple[str, str, float]]]] = [
    (1, [("thành phố", "Hà Nội", 9.0)]),
    (4, [("tỉnh", "Cao Bằng", 0.5)]),
    (8, [("tỉnh", "Tuyên Quang", 0.7), ("tỉnh", "Hà Giang", 0.5)]),
    (11, [("tỉnh", "Điện Biên", 0.5)]),
    (12, [("tỉnh", "Lai Châu", 0.4)]),
    (14, [("tỉnh", "Sơn La", 0.7)]),
    (15, [("tỉnh", "Lào Cai", 0.8), ("tỉnh", "Yên Bái", 0.6)]),
    (19, [("tỉnh", "Thái Nguyên", 1.3), ("tỉnh", "Bắc Kạn", 0.4)]),
    (20, [("tỉnh", "Lạng Sơn", 0.6)]),
    (22, [("tỉnh", "Quảng Ninh", 1.5)]),
    (24, [("tỉnh", "Bắc Ninh", 2.0), ("tỉnh", "Bắc Giang", 1.8)]),
    (25, [("tỉnh", "Phú Thọ", 1.1), ("tỉnh", "Vĩnh Phúc", 1.5), ("tỉnh", "Hòa Bình", 0.6)]),
    (31, [("thành phố", "Hải Phòng", 2.5), ("tỉnh", "Hải Dương", 1.8)]),
    (33, [("tỉnh", "Hưng Yên", 1.3), ("tỉnh", "Thái Bình", 1.1)]),
    (37, [("tỉnh", "Ninh Bình", 0.9), ("tỉnh", "Hà Nam", 0.9), ("tỉnh", "Nam Định", 1.2)]),
    (38, [("tỉnh", "Thanh Hóa", 2.0)]),
    (40, [("tỉnh", "Nghệ An", 2.0)]),
    (42, [("tỉnh", "Hà Tĩnh", 0.9)]),
    (44, [("tỉnh", "Quảng Trị", 0.6), ("tỉnh", "Quảng Bình", 0.7)]),
    (46, [("thành phố", "Huế", 0.9)]),
    (48, [("thành phố", "Đà Nẵng", 1.5), ("tỉnh", "Quảng Nam", 1.1)]),
    (51, [("tỉnh", "Quảng Ngãi", 0.9), ("tỉnh", "Kon Tum", 0.5)]),
    (52, [("tỉnh", "Gia Lai", 0.9), ("tỉnh", "Bình Định", 1.1)]),
    (56, [("tỉnh", "Khánh Hòa", 1.1), ("tỉnh", "Ninh Thuận", 0.5)]),
    (66, [("tỉnh", "Đắk Lắk", 1.0), ("tỉnh", "Phú Yên", 0.6)]),
    (
        68,
        [("tỉnh", "Lâm Đồng", 0.9), ("tỉnh", "Đắk Nông", 0.5), ("tỉnh", "Bình Thuận", 0.9)],
    ),
    (75, [("tỉnh", "Đồng Nai", 4.0), ("tỉnh", "Bình Phước", 0.9)]),
    (
        79,
        [
            ("thành phố", "Hồ Chí Minh", 10.0),
            ("tỉnh", "Bình Dương", 5.0),
            ("tỉnh", "Bà Rịa – Vũng Tàu", 1.5),
        ],
    ),
    (80, [("tỉnh", "Tây Ninh", 1.2), ("tỉnh", "Long An", 2.0)]),
    (82, [("tỉnh", "Đồng Tháp", 0.9), ("tỉnh", "Tiền Giang", 1.2)]),
    (86, [("tỉnh", "Vĩnh Long", 0.7), ("tỉnh", "Bến Tre", 0.8), ("tỉnh", "Trà Vinh", 0.6)]),
    (91, [("tỉnh", "An Giang", 1.0), ("tỉnh", "Kiên Giang", 1.0)]),
    (92, [("thành phố", "Cần Thơ", 1.2), ("tỉnh", "Sóc Trăng", 0.7), ("tỉnh", "Hậu Giang", 0.5)]),
    (96, [("tỉnh", "Cà Mau", 0.7), ("tỉnh", "Bạc Liêu", 0.5)]),
]

# (unit type, name, short name, sector)
CENTRAL = [
    ("cd_nganh_tw", "Công đoàn Giáo dục Việt Nam", "CĐ Giáo dục VN", "giao_duc"),
    ("cd_nganh_tw", "Công đoàn Y tế Việt Nam", "CĐ Y tế VN", "y_te"),
    ("cd_nganh_tw", "Công đoàn Viên chức Việt Nam", "CĐ Viên chức VN", "hanh_chinh"),
    ("cd_nganh_tw", "Công đoàn Công Thương Việt Nam", "CĐ Công Thương VN", "cong_nghiep"),
    ("cd_nganh_tw", "Công đoàn Giao thông vận tải Việt Nam", "CĐ GTVT VN", "giao_thong"),
    ("cd_nganh_tw", "Công đoàn Xây dựng Việt Nam", "CĐ Xây dựng VN", "xay_dung"),
    (
        "cd_nganh_tw",
        "Công đoàn Nông nghiệp và Phát triển nông thôn Việt Nam",
        "CĐ NN&PTNT",
        "nong_lam",
    ),
    ("cd_nganh_tw", "Công đoàn Ngân hàng Việt Nam", "CĐ Ngân hàng VN", "tai_chinh"),
    ("cd_nganh_tw", "Công đoàn Quốc phòng", "CĐ Quốc phòng", "khac"),
    ("cd_nganh_tw", "Công đoàn Công an nhân dân", "CĐ CAND", "khac"),
    ("cd_nganh_tw", "Công đoàn Thông tin và Truyền thông Việt Nam", "CĐ TT&TT", "van_hoa"),
    ("cd_tct_tw", "Công đoàn Điện lực Việt Nam", "CĐ Điện lực VN", "nang_luong"),
    ("cd_tct_tw", "Công đoàn Than – Khoáng sản Việt Nam", "CĐ TKV", "khai_khoang"),
    ("cd_tct_tw", "Công đoàn Dầu khí Việt Nam", "CĐ Dầu khí VN", "nang_luong"),
    ("cd_tct_tw", "Công đoàn Bưu điện Việt Nam", "CĐ Bưu điện VN", "van_hoa"),
    ("cd_tct_tw", "Công đoàn Cao su Việt Nam", "CĐ Cao su VN", "nong_lam"),
    ("cd_tct_tw", "Công đoàn Dệt May Việt Nam", "CĐ Dệt May VN", "cong_nghiep"),
    ("cd_tct_tw", "Công đoàn Tổng công ty Hàng không Việt Nam", "CĐ TCT HKVN", "giao_thong"),
    ("cd_tct_tw", "Công đoàn Tổng công ty Đường sắt Việt Nam", "CĐ TCT ĐSVN", "giao_thong"),
    ("cd_tct_tw", "Công đoàn Tổng công ty Hàng hải Việt Nam", "CĐ TCT HHVN", "giao_thong"),
]

LOCAL_SECTORS = [
    ("Công đoàn Giáo dục", "CĐ Giáo dục", "giao_duc", 0.55),
    ("Công đoàn Y tế", "CĐ Y tế", "y_te", 0.25),
    ("Công đoàn Viên chức", "CĐ Viên chức", "hanh_chinh", 0.20),
]

SYLLABLES = [
    "An",
    "Bình",
    "Phú",
    "Tân",
    "Hòa",
    "Thành",
    "Hưng",
    "Phúc",
    "Long",
    "Minh",
    "Đức",
    "Thịnh",
    "Quang",
    "Việt",
    "Hoàng",
    "Gia",
    "Hải",
    "Sơn",
    "Trường",
    "Thuận",
    "Lộc",
    "Nam",
    "Bắc",
    "Đông",
    "Tây",
    "Hồng",
    "Kim",
    "Thái",
    "Hà",
    "Vĩnh",
    "Xuân",
    "Thủy",
    "Lâm",
    "Thanh",
    "Ngọc",
    "Đại",
    "Tiến",
    "Phát",
    "Thắng",
    "Lợi",
    "Hiệp",
    "Khánh",
    "Mỹ",
    "Quý",
    "Trung",
    "Nghĩa",
    "Cường",
    "Sáng",
    "Tâm",
    "Hạnh",
    "Yên",
    "Châu",
    "Giang",
    "Lạc",
    "Ninh",
]
FOREIGN = [
    "Samsung Electronics",
    "Pouchen",
    "Hansae",
    "Canon",
    "Foxconn",
    "Nidec",
    "Yazaki",
    "Changshin",
    "Taekwang",
    "Hyosung",
    "Maruichi",
    "Toyota Boshoku",
    "LG Innotek",
    "Brother",
    "Fujikura",
    "Amkor",
    "Intel Products",
    "Hanesbrands",
    "Regina Miracle",
    "Luxshare",
    "Goertek",
    "Shiseido",
    "Ajinomoto",
    "Heineken",
    "Bridgestone",
    "Kyocera",
    "Sumitomo",
]


def step(pos: int) -> str:
    """One path step of `pos` (base 36, zero-padded to STEPLEN), as treebeard's _get_path."""
    digits = ""
    while pos:
        pos, r = divmod(pos, 36)
        digits = ALPHABET[r] + digits
    if len(digits) > STEPLEN:
        raise OverflowError("path step overflow")
    return digits.rjust(STEPLEN, "0")


# ---------------------------------------------------------------------------------------------
# The in-memory tree


VERSIONED = (
    "code",
    "name",
    "short_name",
    "unit_type",
    "sector",
    "ownership",
    "province_code",
    "ward_code",
    "address",
)


@dataclass(slots=True)
class Version:
    valid_from: dt.date
    valid_to: dt.date | None
    data: tuple[Any, ...]  # path, depth, parent id, then VERSIONED
    event: int | None


@dataclass(slots=True, eq=False)
class Node:
    id: int
    parent: Node | None
    path: str
    code: str
    name: str
    short_name: str
    unit_type: str
    sector: str | None
    ownership: str | None
    province_code: int | None
    ward_code: int | None
    address: str
    founded_on: dt.date
    dissolved_on: dt.date | None = None
    dissolution_reason: str = ""
    numchild: int = 0
    last_pos: int = 0
    children: dict[int, Node] = field(default_factory=dict)
    versions: list[Version] = field(default_factory=list)
    tag: str = ""  # generator bookkeeping ("agency": dissolved in the reform)

    @property
    def depth(self) -> int:
        return len(self.path) // STEPLEN

    def snapshot(self) -> tuple[Any, ...]:
        parent_id = self.parent.id if self.parent else None
        return (self.path, self.depth, parent_id, *(getattr(self, f) for f in VERSIONED))

    def active_children(self) -> list[Node]:
        """Active children in path order (what `Unit.objects.filter(parent=…)` returns)."""
        return sorted(
            (c for c in self.children.values() if c.dissolved_on is None), key=lambda c: c.path
        )

    def walk(self) -> Iterable[Node]:
        yield self
        for c in self.children.values():
            yield from c.walk()


@dataclass
class Event:
    kind: str
    day: dt.date
    note: str = ""


class TreeBuilder:
    """Applies tree operations in memory with the semantics of the real services.

    With `log`, every operation is also recorded as (operation, arguments) so that `bench.verify`
    can replay it through `congdoan.organisation.services`.
    """

    def __init__(self, *, log: bool = False) -> None:
        self.nodes: list[Node] = []
        self.by_code: dict[str, Node] = {}
        self.events: list[Event] = []
        self.links: list[tuple[int, int, int, int]] = []  # event, source id, target id, children
        self.log: list[tuple[str, dict[str, Any]]] | None = [] if log else None

    def _log(self, op: str, **kwargs: Any) -> None:
        if self.log is not None:
            self.log.append((op, kwargs))

    def event(self, kind: str, day: dt.date, note: str = "") -> int:
        self.events.append(Event(kind, day, note))
        return len(self.events)  # 1-based: the id it gets

    def _record(self, node: Node, day: dt.date, event: int | None) -> None:
        """`record_versions` for one active unit."""
        data = node.snapshot()
        current = (
            node.versions[-1] if node.versions and node.versions[-1].valid_to is None else None
        )
        if current is not None and current.data == data:
            return
        if current is not None and current.valid_from == day:
            current.data = data
            current.event = event or current.event
            return
        if current is not None:
            assert current.valid_from < day, (node.code, current.valid_from, day)
            current.valid_to = day
        node.versions.append(Version(day, None, data, event))

    def _attach(self, node: Node, parent: Node) -> str:
        parent.last_pos += 1
        parent.numchild += 1
        parent.children[node.id] = node
        node.parent = parent
        return parent.path + step(parent.last_pos)

    def create(
        self,
        parent: Node | None,
        *,
        code: str,
        name: str,
        unit_type: str,
        day: dt.date,
        short_name: str = "",
        sector: str | None = None,
        ownership: str | None = None,
        province_code: int | None = None,
        ward_code: int | None = None,
        address: str = "",
        event: int | None = None,
        tag: str = "",
    ) -> Node:
        node = Node(
            id=len(self.nodes) + 1,
            parent=None,
            path="",
            code=code,
            name=name,
            short_name=short_name,
            unit_type=unit_type,
            sector=sector,
            ownership=ownership,
            province_code=province_code,
            ward_code=ward_code,
            address=address,
            founded_on=day,
            tag=tag,
        )
        if parent is None:
            assert not self.nodes, "one root"
            node.path = step(1)
        else:
            assert parent.dissolved_on is None and parent.founded_on <= day
            node.path = self._attach(node, parent)
        self.nodes.append(node)
        self.by_code[code] = node
        self._record(node, day, event)
        self._log(
            "create",
            parent=parent.code if parent else None,
            code=code,
            name=name,
            unit_type=unit_type,
            day=day,
            short_name=short_name,
            sector=sector,
            ownership=ownership,
            province_code=province_code,
            ward_code=ward_code,
            address=address,
        )
        return node

    def update(self, node: Node, day: dt.date, event: int | None = None, **values: Any) -> None:
        assert node.dissolved_on is None
        for k, v in values.items():
            setattr(node, k, v)
        self._record(node, day, event)
        self._log("update", code=node.code, day=day, values=values)

    def move(self, node: Node, new_parent: Node, day: dt.date, event: int | None) -> None:
        """`unit_move`: the branch goes to the last position under `new_parent`."""
        old = node.parent
        assert old is not None and old is not new_parent and new_parent.dissolved_on is None
        del old.children[node.id]
        old.numchild -= 1
        if int(node.path[-STEPLEN:], 36) == old.last_pos:  # treebeard appends after the last
            old.last_pos = max(
                (int(c.path[-STEPLEN:], 36) for c in old.children.values()), default=0
            )
        old_path = node.path
        new_path = self._attach(node, new_parent)
        for n in node.walk():
            n.path = new_path + n.path[len(old_path) :]
        for n in node.walk():
            if n.dissolved_on is None:
                self._record(n, day, event)
        self._log("move", code=node.code, new_parent=new_parent.code, day=day)

    def dissolve(self, node: Node, day: dt.date, reason: str, event: int | None) -> None:
        """`unit_dissolve` of a unit without active children (its units were moved first)."""
        assert node.dissolved_on is None and not node.active_children()
        current = node.versions[-1]
        assert current.valid_to is None and current.valid_from < day
        current.valid_to = day
        node.dissolved_on = day
        node.dissolution_reason = reason
        self._log("dissolve", code=node.code, day=day, reason=reason)

    def dissolve_branch(self, node: Node, day: dt.date, reason: str, event: int | None) -> None:
        for child in node.active_children():
            self.dissolve_branch(child, day, reason, event)
        self.dissolve(node, day, reason, event)

    def merge(self, source: Node, target: Node, day: dt.date, event: int) -> None:
        """`units_merge([source], target)`: its units move to `target`, then it is dissolved."""
        children = source.active_children()
        for child in children:
            self.move(child, target, day, event)
        if self.log is not None and children:  # replayed as one merge, not as its parts
            del self.log[-len(children) :]
        current = source.versions[-1]
        current.valid_to = day
        source.dissolved_on = day
        source.dissolution_reason = f"Hợp nhất vào {target.short_name or target.name}"
        self.links.append((event, source.id, target.id, len(children)))
        self._log("merge", source=source.code, target=target.code, day=day)


# ---------------------------------------------------------------------------------------------
# The national tree


def split(total: int, weights: Sequence[float]) -> list[int]:
    """`total` split in proportion to `weights` (largest remainder)."""
    s = sum(weights)
    raw = [total * w / s for w in weights]
    out = [math.floor(x) for x in raw]
    rest = total - sum(out)
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - out[i], reverse=True)[:rest]:
        out[i] += 1
    return out


def _date_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return start
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


@dataclass
class Plan:
    units: int
    districts: int
    communes: int
    corporations: int
    zones: int
    grassroots_old: int
    grassroots_new: int
    groups: int


class NationalTree:
    """Builds the tree described in the module docstring into a TreeBuilder."""

    def __init__(self, units: int, seed: int = 2025, *, log: bool = False, today: dt.date) -> None:
        from vietnam_provinces import Province, Ward

        self.rng = random.Random(seed)
        self.b = TreeBuilder(log=log)
        self.today = today
        self.provinces = {int(p.code): p.name for p in Province.iter_all()}
        self.wards: dict[int, list[tuple[int, str]]] = {}
        for w in sorted(Ward.iter_all(), key=lambda w: int(w.code)):
            self.wards.setdefault(int(w.province_code), []).append((int(w.code), w.name))
        self.plan = self._plan(units)
        self._counters: dict[str, int] = {}

    # sizes ------------------------------------------------------------------------------------

    def _plan(self, units: int) -> Plan:
        old = [o for _, olds in MERGES for o in olds]
        scale = units / 130_000
        districts = max(len(old), round(705 * scale))
        communes = max(len(MERGES), round(sum(len(w) for w in self.wards.values()) * scale))
        corporations = round(60 * scale)
        zones = sum(2 if w >= 1.5 else 1 for *_, w in old if w >= 0.9)
        upper = 1 + len(old) + len(CENTRAL) + corporations + districts
        upper += len(LOCAL_SECTORS) * len(old) + zones + communes
        rest = units - upper
        if rest < 200:
            raise SystemExit(f"BENCH_UNITS={units} is too small; use at least {upper + 200}")
        groups = round(rest * 0.02)
        grassroots = rest - groups
        new = round(grassroots * 0.02)
        return Plan(units, districts, communes, corporations, zones, grassroots - new, new, groups)

    # names ------------------------------------------------------------------------------------

    def _next(self, prefix: str, width: int) -> str:
        n = self._counters[prefix] = self._counters.get(prefix, 0) + 1
        return f"{prefix}{n:0{width}d}"

    def _place(self) -> str:
        return " ".join(self.rng.sample(SYLLABLES, 2))

    def _grassroots_fields(self, kind: str, where: str) -> dict[str, Any]:
        """Name, short name, type, sector and ownership of a grassroots union of `kind`."""
        rng = self.rng
        place = self._place()
        if kind == "school":
            level = rng.choice(["Mầm non", "Tiểu học", "Trung học cơ sở", "Trung học phổ thông"])
            org, ownership, sector = f"Trường {level} {place}", "dvsn", "giao_duc"
        elif kind == "health":
            org = rng.choice([f"Bệnh viện Đa khoa {place}", f"Trung tâm Y tế {place}"])
            ownership, sector = "dvsn", "y_te"
        elif kind == "agency":
            dept = rng.choice(
                ["Phòng Tài chính – Kế hoạch", "Phòng Nội vụ", "Phòng Văn hóa – Thông tin"]
            )
            org, ownership, sector = f"{dept} {where}", "cq_hcnn", "hanh_chinh"
        elif kind == "province_agency":
            dept = rng.choice(["Sở Tài chính", "Sở Xây dựng", "Sở Nội vụ", "Văn phòng UBND"])
            org, ownership, sector = f"{dept} {where}", "cq_hcnn", "hanh_chinh"
        elif kind == "commune_office":
            org, ownership, sector = f"Cơ quan UBND xã {place}", "cq_hcnn", "hanh_chinh"
        elif kind == "fdi":
            org = f"Công ty TNHH {rng.choice(FOREIGN)} {place} Việt Nam"
            ownership, sector = "dn_fdi", rng.choice(["cong_nghiep", "cong_nghiep", "thuong_mai"])
        elif kind == "state":
            org, ownership = f"Công ty {place}", "dnnn"
            sector = rng.choice(["cong_nghiep", "xay_dung", "giao_thong", "nang_luong"])
        elif kind == "coop":
            org, ownership, sector = f"Hợp tác xã {place}", "htx", "nong_lam"
        elif kind == "occupation":
            trade = rng.choice(["nghề cá", "xe ôm công nghệ", "giúp việc gia đình", "xây dựng"])
            name = f"Nghiệp đoàn {trade} {place}"
            return {
                "name": name,
                "short_name": f"NĐ {trade} {place}",
                "unit_type": "nghiep_doan",
                "sector": "khac",
                "ownership": "khac",
            }
        else:  # private enterprise
            form = rng.choice(["Công ty TNHH", "Công ty Cổ phần", "Công ty TNHH MTV"])
            org, ownership = f"{form} {place} {rng.randrange(1, 99)}", "dn_ngoai_nn"
            sector = rng.choice(["cong_nghiep", "xay_dung", "thuong_mai", "thuong_mai", "khac"])
        return {
            "name": f"Công đoàn cơ sở {org}",
            "short_name": f"CĐCS {org}"[:120],
            "unit_type": "cdcs",
            "sector": sector,
            "ownership": ownership,
        }

    _DISTRICT_KINDS = (
        ("private", 0.40),
        ("school", 0.18),
        ("fdi", 0.06),
        ("coop", 0.05),
        ("commune_office", 0.12),
        ("agency", 0.12),
        ("health", 0.03),
        ("state", 0.02),
        ("occupation", 0.02),
    )

    def _kind(self, kinds: Sequence[tuple[str, float]]) -> str:
        return self.rng.choices([k for k, _ in kinds], [w for _, w in kinds])[0]

    # build ------------------------------------------------------------------------------------

    def build(self) -> TreeBuilder:
        b, rng, plan = self.b, self.rng, self.plan
        root = b.create(
            None,
            code="TLD",
            name="Tổng Liên đoàn Lao động Việt Nam",
            short_name="Tổng LĐLĐ",
            unit_type="tld",
            day=dt.date(1929, 7, 28),
        )
        old_provinces: list[tuple[int, Node, float]] = []  # new code, federation, weight
        for new_code, olds in MERGES:
            for kind, name, weight in olds:
                fed = b.create(
                    root,
                    code=self._next("T", 2),
                    name=f"Liên đoàn Lao động {kind} {name}",
                    short_name=f"LĐLĐ {name}",
                    unit_type="ldld_tinh",
                    day=dt.date(1997, 1, 1),
                    province_code=new_code,
                    address=f"{kind.capitalize()} {name}",
                )
                old_provinces.append((new_code, fed, weight))
        centrals = [
            b.create(
                root,
                code=self._next("N", 2),
                name=name,
                short_name=short,
                unit_type=utype,
                sector=sector,
                day=dt.date(1990, 1, 1),
            )
            for utype, name, short, sector in CENTRAL
        ]
        corporations = []
        for i in range(plan.corporations):
            parent = centrals[i % len(centrals)]
            org = f"Tổng công ty {self._place()}"
            corporations.append(
                b.create(
                    parent,
                    code=self._next("NT", 3),
                    name=f"Công đoàn {org}",
                    short_name=f"CĐ {org}",
                    unit_type="cd_tct",
                    sector=parent.sector,
                    ownership="dnnn",
                    day=dt.date(1995, 1, 1),
                )
            )

        # grassroots unions before the reform: 8% central, the rest by province weight
        central_count = round(plan.grassroots_old * 0.08)
        province_counts = split(plan.grassroots_old - central_count, [w for *_, w in old_provinces])
        district_counts = [  # at least one district federation per province
            1 + n
            for n in split(
                plan.districts - len(old_provinces), [4 + 3 * w for *_, w in old_provinces]
            )
        ]
        self.districts_of: dict[int, list[Node]] = {}
        self.sectors_of: dict[int, list[Node]] = {}
        grassroots: list[Node] = []
        for (new_code, fed, weight), n_grass, n_dist in zip(
            old_provinces, province_counts, district_counts, strict=True
        ):
            pname = fed.short_name.removeprefix("LĐLĐ ")
            sectors = [
                b.create(
                    fed,
                    code=self._next("NDP", 4),
                    name=f"{name} {fed.address[0].lower()}{fed.address[1:]}",
                    short_name=f"{short} {pname}",
                    unit_type="cd_nganh_dp",
                    sector=sector,
                    day=dt.date(2005, 1, 1),
                    province_code=new_code,
                )
                for name, short, sector, _ in LOCAL_SECTORS
            ]
            self.sectors_of[fed.id] = sectors
            n_zones = (2 if weight >= 1.5 else 1) if weight >= 0.9 else 0
            zones = [
                b.create(
                    fed,
                    code=self._next("KCN", 3),
                    name=f"Công đoàn các Khu công nghiệp {pname}" + (f" {z + 1}" if z else ""),
                    short_name=f"CĐ KCN {pname}" + (f" {z + 1}" if z else ""),
                    unit_type="cd_kcn",
                    sector="cong_nghiep",
                    day=dt.date(2008, 1, 1),
                    province_code=new_code,
                )
                for z in range(n_zones)
            ]
            districts = []
            for _ in range(n_dist):
                dkind = "quận" if fed.address.startswith("Thành phố") else "huyện"
                dkind = rng.choice([dkind, dkind, dkind, "thị xã"])
                dname = f"{dkind} {self._place()}"
                districts.append(
                    b.create(
                        fed,
                        code=self._next("H", 4),
                        name=f"Liên đoàn Lao động {dname}",
                        short_name=f"LĐLĐ {dname}",
                        unit_type="ldld_huyen",
                        day=dt.date(2000, 1, 1),
                        province_code=new_code,
                        address=f"{dname[0].upper()}{dname[1:]}, {fed.address}",
                    )
                )
            self.districts_of[fed.id] = districts
            zone_share = 0.10 if zones else 0.0
            n_zone = round(n_grass * zone_share)
            n_sector = round(n_grass * 0.15)
            n_district = n_grass - n_zone - n_sector
            for sector_unit, n in zip(
                sectors, split(n_sector, [s[3] for s in LOCAL_SECTORS]), strict=True
            ):
                kind = {"giao_duc": "school", "y_te": "health"}.get(
                    sector_unit.sector or "", "province_agency"
                )
                for _ in range(n):
                    grassroots.append(
                        self._grassroots(sector_unit, kind, fed.address, new_code, fed.address)
                    )
            if zones:
                for zone, n in zip(zones, split(n_zone, [1.0] * len(zones)), strict=True):
                    for _ in range(n):
                        kind = "fdi" if rng.random() < 0.6 else "private"
                        grassroots.append(
                            self._grassroots(zone, kind, fed.address, new_code, fed.address)
                        )
            weights = [rng.lognormvariate(0, 0.6) for _ in districts]
            for district, n in zip(districts, split(n_district, weights), strict=True):
                for _ in range(n):
                    kind = self._kind(self._DISTRICT_KINDS)
                    grassroots.append(
                        self._grassroots(
                            district,
                            kind,
                            district.short_name.removeprefix("LĐLĐ "),
                            new_code,
                            district.address,
                        )
                    )
        central_parents = centrals + corporations
        for _ in range(central_count):
            parent = rng.choice(central_parents)
            kind = {"giao_duc": "school", "y_te": "health"}.get(parent.sector or "", "state")
            grassroots.append(self._grassroots(parent, kind, "", None, ""))

        # union groups inside some grassroots unions
        left = plan.groups
        while left > 0:
            g = rng.choice(grassroots)
            if g.children:
                continue
            for i in range(min(left, rng.randint(1, 4))):
                b.create(
                    g,
                    code=self._next("TO", 6),
                    name=f"Tổ công đoàn {i + 1} – {g.short_name}"[:300],
                    short_name=f"Tổ CĐ {i + 1}",
                    unit_type="to_cd",
                    day=_date_between(rng, g.founded_on, BEFORE),
                )
                left -= 1

        # renames before the reform (new company names, schools merged …)
        for g in grassroots:
            if rng.random() < 0.10 and g.founded_on < BEFORE:
                day = _date_between(rng, g.founded_on + dt.timedelta(days=1), BEFORE)
                org = g.name.removeprefix("Công đoàn cơ sở ")
                new_name = org.replace("Công ty TNHH", "Công ty Cổ phần", 1)
                if new_name == org:
                    new_name = f"{org} (mới)"
                b.update(
                    g,
                    day,
                    b.event("update", day),
                    name=f"Công đoàn cơ sở {new_name}",
                    short_name=f"CĐCS {new_name}"[:120],
                )

        self._reform(old_provinces)
        self._after_reform(grassroots)
        assert len(b.nodes) == plan.units, (len(b.nodes), plan.units)
        return b

    def _grassroots(
        self, parent: Node, kind: str, where: str, province: int | None, address: str
    ) -> Node:
        fields = self._grassroots_fields(kind, where)
        day = _date_between(self.rng, max(parent.founded_on, dt.date(1990, 1, 1)), BEFORE)
        return self.b.create(
            parent,
            code=self._next("CS", 6),
            day=day,
            province_code=province,
            address=address,
            tag=kind,
            **fields,
        )

    def _reform(self, old_provinces: list[tuple[int, Node, float]]) -> None:
        b, rng, day = self.b, self.rng, REFORM
        groups: dict[int, list[Node]] = {}
        for new_code, fed, _ in old_provinces:
            groups.setdefault(new_code, []).append(fed)
        weights = [len(self.wards[c]) for c in groups]
        counts = split(self.plan.communes, weights)
        for i, n in enumerate(counts):  # at least one commune union per province
            if n == 0:
                counts[i] = 1
                counts[counts.index(max(counts))] -= 1
        self.communes: list[Node] = []
        for (new_code, feds), n_communes in zip(groups.items(), counts, strict=True):
            target = feds[0]
            pname = self.provinces[new_code]
            create = b.event("create", day, f"Thành lập công đoàn xã, phường – {pname}")
            wards = sorted(rng.sample(self.wards[new_code], n_communes))
            communes = []
            for ward_code, ward in wards:
                wname = ward[0].lower() + ward[1:]
                communes.append(
                    b.create(
                        target,
                        code=f"X{ward_code:05d}",
                        name=f"Công đoàn {wname}",
                        short_name=f"CĐ {wname}",
                        unit_type="cd_xa",
                        day=day,
                        province_code=new_code,
                        ward_code=ward_code,
                        address=f"{ward}, {pname}",
                        event=create,
                    )
                )
            self.communes.extend(communes)
            districts = [d for f in feds for d in self.districts_of[f.id]]
            rng.shuffle(communes)
            share: dict[int, list[Node]] = {d.id: [] for d in districts}
            for i, c in enumerate(communes):
                share[districts[i % len(districts)].id].append(c)
            for i, d in enumerate(districts):
                if not share[d.id]:
                    share[d.id].append(communes[i % len(communes)])
            for d in districts:
                ev = b.event("dissolve", day, f"Giải thể {d.short_name}")
                receivers = share[d.id]
                weights = [rng.lognormvariate(0, 1.0) for _ in receivers]
                moved: dict[int, int] = {}
                for g in d.active_children():
                    if g.tag == "agency":
                        b.dissolve_branch(g, day, "Giải thể do sắp xếp tổ chức bộ máy", ev)
                        continue
                    c = rng.choices(receivers, weights)[0]
                    b.move(g, c, day, ev)
                    b.update(g, day, ev, ward_code=c.ward_code, address=c.address)
                    moved[c.id] = moved.get(c.id, 0) + 1
                b.dissolve(d, day, "Giải thể do sắp xếp đơn vị hành chính cấp huyện", ev)
                for cid, n in moved.items():
                    b.links.append((ev, d.id, cid, n))
            for f in feds:
                for s in self.sectors_of[f.id]:
                    ev = b.event("dissolve", day, f"Giải thể {s.short_name}")
                    children = s.active_children()
                    for g in children:
                        b.move(g, target, day, ev)
                    b.dissolve(s, day, "Giải thể công đoàn ngành địa phương", ev)
                    b.links.append((ev, s.id, target.id, len(children)))
            for source in feds[1:]:
                ev = b.event("merge", day, f"Hợp nhất {source.short_name} vào {target.short_name}")
                b.merge(source, target, day, ev)
            if len(feds) > 1:
                b.update(target, day, None, address=pname)

    def _after_reform(self, old_grassroots: list[Node]) -> None:
        b, rng = self.b, self.rng
        last = self.today - dt.timedelta(days=1)
        first = REFORM + dt.timedelta(days=1)
        zones = [n for n in b.nodes if n.unit_type == "cd_kcn" and n.dissolved_on is None]
        new = []
        for _ in range(self.plan.grassroots_new):
            parent = rng.choice(zones) if rng.random() < 0.15 else rng.choice(self.communes)
            kind = "fdi" if parent.unit_type == "cd_kcn" else self._kind(self._DISTRICT_KINDS[:4])
            fields = self._grassroots_fields(kind, "")
            day = _date_between(rng, first, last)
            new.append(
                b.create(
                    parent,
                    code=self._next("CS", 6),
                    day=day,
                    province_code=parent.province_code,
                    ward_code=parent.ward_code,
                    address=parent.address,
                    event=b.event("create", day),
                    **fields,
                )
            )
        for g in old_grassroots + new:
            if g.dissolved_on is None and rng.random() < 0.01:
                start = max(first, g.versions[-1].valid_from + dt.timedelta(days=1))
                if start > last:
                    continue
                day = _date_between(rng, start, last)
                b.update(g, day, b.event("update", day), name=f"{g.name} (đổi tên)")


# ---------------------------------------------------------------------------------------------
# Loading into the database


def _copy(cursor: Any, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    n = 0
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            n += 1
    return n


def _model_rows(
    model: Any, values: Iterable[dict[str, Any]]
) -> tuple[list[str], Callable[[], Iterable[tuple[Any, ...]]]]:
    """Columns of `model` and a row generator: given attribute values, defaults for the rest."""
    fields = model._meta.concrete_fields
    columns = [f.column for f in fields]
    defaults = {f.attname: f.get_default() for f in fields}
    names = [f.attname for f in fields]

    def rows() -> Iterable[tuple[Any, ...]]:
        for v in values:
            yield tuple(v[a] if a in v else defaults[a] for a in names)

    return columns, rows


def write(b: TreeBuilder) -> dict[str, int]:
    """Load the builder's units, versions, events and lineage with COPY (into an empty tree)."""
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.utils import timezone

    from congdoan.core.text import fold, nfc
    from congdoan.organisation.models import (
        LineageLink,
        OwnershipType,
        ReorgEvent,
        Sector,
        Unit,
        UnitType,
        UnitVersion,
    )

    if Unit.objects.exists():
        raise SystemExit("The database already has units; generate into an empty database.")
    types = dict(UnitType.objects.values_list("code", "id"))
    sectors = dict(Sector.objects.values_list("code", "id"))
    owners = dict(OwnershipType.objects.values_list("code", "id"))
    now = timezone.now()

    def unit_values() -> Iterable[dict[str, Any]]:
        for n in b.nodes:
            code = nfc(n.code).upper()
            name, short = nfc(n.name), nfc(n.short_name)
            yield {
                "id": n.id,
                "path": n.path,
                "depth": n.depth,
                "numchild": n.numchild,
                "parent_id": n.parent.id if n.parent else None,
                "code": code,
                "name": name,
                "short_name": short,
                "unit_type_id": types[n.unit_type],
                "sector_id": sectors.get(n.sector or ""),
                "ownership_id": owners.get(n.ownership or ""),
                "province_code": n.province_code,
                "ward_code": n.ward_code,
                "address": nfc(n.address),
                "founded_on": n.founded_on,
                "dissolved_on": n.dissolved_on,
                "dissolution_reason": n.dissolution_reason,
                "search_text": fold(f"{name} {short} {code}"),
                "created_at": now,
                "updated_at": now,
            }

    def version_values() -> Iterable[dict[str, Any]]:
        vid = 0
        for n in b.nodes:
            for v in n.versions:
                vid += 1
                (
                    path,
                    depth,
                    parent_id,
                    code,
                    name,
                    short,
                    utype,
                    sector,
                    owner,
                    prov,
                    ward,
                    addr,
                ) = v.data
                yield {
                    "id": vid,
                    "unit_id": n.id,
                    "valid_from": v.valid_from,
                    "valid_to": v.valid_to,
                    "path": path,
                    "depth": depth,
                    "parent_id": parent_id,
                    "code": nfc(code).upper(),
                    "name": nfc(name),
                    "short_name": nfc(short),
                    "unit_type_id": types[utype],
                    "sector_id": sectors.get(sector or ""),
                    "ownership_id": owners.get(owner or ""),
                    "province_code": prov,
                    "ward_code": ward,
                    "address": nfc(addr),
                    "event_id": v.event,
                    "recorded_at": now,
                }

    def event_values() -> Iterable[dict[str, Any]]:
        for i, e in enumerate(b.events, 1):
            yield {
                "id": i,
                "kind": e.kind,
                "effective_date": e.day,
                "note": e.note,
                "decision_ref": "",
                "summary": "{}",
                "recorded_at": now,
            }

    def link_values() -> Iterable[dict[str, Any]]:
        for i, (ev, source, target, children) in enumerate(b.links, 1):
            yield {
                "id": i,
                "event_id": ev,
                "source_id": source,
                "target_id": target,
                "children_moved": children,
                "members_moved": 0,
            }

    counts: dict[str, int] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor
        for model, values in (
            (ReorgEvent, event_values()),
            (Unit, unit_values()),
            (UnitVersion, version_values()),
            (LineageLink, link_values()),
        ):
            columns, rows = _model_rows(model, values)
            counts[model._meta.model_name] = _copy(raw, model._meta.db_table, columns, rows())
        for sql in connection.ops.sequence_reset_sql(
            no_style(), [Unit, UnitVersion, ReorgEvent, LineageLink]
        ):
            cursor.execute(sql)
    return counts


def analyze() -> None:
    """VACUUM ANALYZE the loaded tables (as autovacuum would do on a live server)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "VACUUM (ANALYZE) organisation_unit, organisation_unitversion, "
            "organisation_reorgevent, organisation_lineagelink"
        )


def generate(units: int, seed: int, *, log: bool = False) -> tuple[NationalTree, dict[str, Any]]:
    from django.utils import timezone

    t0 = time.perf_counter()
    tree = NationalTree(units, seed, log=log, today=timezone.localdate())
    tree.build()
    t1 = time.perf_counter()
    counts = write(tree.b)
    t2 = time.perf_counter()
    analyze()
    t3 = time.perf_counter()
    stats = {
        "units": units,
        "seed": seed,
        "counts": counts,
        "plan": tree.plan.__dict__,
        "seconds": {
            "build": round(t1 - t0, 2),
            "copy": round(t2 - t1, 2),
            "analyze": round(t3 - t2, 2),
            "total": round(t3 - t0, 2),
        },
    }
    return tree, stats


def main() -> None:
    import django

    django.setup()
    units = int(os.environ.get("BENCH_UNITS", "130000"))
    seed = int(os.environ.get("BENCH_SEED", "2025"))
    _, stats = generate(units, seed)
    c, s, p = stats["counts"], stats["seconds"], stats["plan"]
    print(
        f"generated {c['unit']:,} units, {c['unitversion']:,} unit versions, "
        f"{c['reorgevent']:,} reorganisation events, {c['lineagelink']:,} lineage links "
        f"(seed {seed})"
    )
    print(
        f"  shape: {p['districts']} district federations before 1/7/2025, {p['communes']} commune "
        f"unions after, {p['zones']} zone unions, {p['grassroots_old'] + p['grassroots_new']:,} "
        f"grassroots ({p['grassroots_new']:,} founded after 1/7/2025), {p['groups']:,} union groups"
    )
    print(
        f"  time: {s['total']} s (build in memory {s['build']} s, COPY {s['copy']} s, "
        f"VACUUM ANALYZE {s['analyze']} s)"
    )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
