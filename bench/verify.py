"""Check, on a small tree, that the generated data is what the real services would have written.

    python -m bench.verify      # BENCH_VERIFY_UNITS units (default 3,000); needs an empty database

1. Generates a small tree with `bench.generate` (COPY, no services) and checks it: treebeard's
   `find_problems()`, parent/path/depth agreement, `search_text`, that `record_versions` finds
   nothing to correct, contiguous version periods, a consistent tree on several past dates, and
   that `selectors.subtree_on` rebuilds the pre-2025 province (district federations, old paths).
2. Runs a few real services on it (create, move, merge; rolled back) and checks the tree again.
3. Empties the tree and replays the generator's operation log through the real services
   (`unit_create`, `unit_update`, `unit_move`, `unit_dissolve`, `units_merge`), then compares
   every unit and unit version, field by field (ids, events and dissolution wording aside).

Empties the tree again at the end; exits with status 1 if anything disagrees.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import sys
import time
from collections import defaultdict
from typing import Any

PAST = dt.date(2024, 6, 30)


class Checks:
    def __init__(self) -> None:
        self.failed: list[str] = []

    def check(self, ok: bool, what: str, detail: Any = "") -> None:
        print(f"  [{'ok' if ok else 'FAIL'}] {what}" + (f": {detail}" if detail and not ok else ""))
        if not ok:
            self.failed.append(what)


def tree_checks(c: Checks, label: str) -> None:
    from django.db import transaction
    from django.utils import timezone

    from congdoan.core.text import fold
    from congdoan.organisation.models import Unit, UnitVersion
    from congdoan.organisation.services.tree import record_versions

    today = timezone.localdate()
    problems = Unit.objects.find_problems()
    c.check(not any(problems), f"{label}: treebeard find_problems() reports nothing", problems)

    units = {u.pk: u for u in Unit.objects.all()}
    bad = [
        u.code
        for u in units.values()
        if (u.parent_id is None) != (u.depth == 1)
        or (u.parent_id is not None and units[u.parent_id].path != u.path[: -Unit.steplen])
        or u.depth != len(u.path) // Unit.steplen
        or u.search_text != fold(f"{u.name} {u.short_name} {u.code}")
    ]
    c.check(not bad, f"{label}: parent, path, depth and search_text agree", bad[:10])

    with transaction.atomic():
        written = record_versions(list(units), today, None)
        transaction.set_rollback(True)
    c.check(written == 0, f"{label}: record_versions finds every open version up to date", written)

    versions: dict[int, list[Any]] = defaultdict(list)
    for v in UnitVersion.objects.order_by("unit_id", "valid_from"):
        versions[v.unit_id].append(v)
    bad = []
    for pk, u in units.items():
        vs = versions.get(pk, [])
        if (
            not vs
            or vs[0].valid_from != u.founded_on
            or vs[-1].valid_to != u.dissolved_on
            or any(a.valid_to != b.valid_from for a, b in itertools.pairwise(vs))
        ):
            bad.append(u.code)
    c.check(
        not bad, f"{label}: version periods run from founding to dissolution, no gaps", bad[:10]
    )

    for day in (PAST, dt.date(2025, 6, 30), dt.date(2025, 7, 1), today):
        on = {v.unit_id: v for v in UnitVersion.objects.on(day)}
        paths = [v.path for v in on.values()]
        bad = [
            units[pk].code
            for pk, v in on.items()
            if v.depth != len(v.path) // Unit.steplen
            or (
                v.parent_id is not None
                and (v.parent_id not in on or on[v.parent_id].path != v.path[: -Unit.steplen])
            )
        ]
        c.check(
            not bad and len(paths) == len(set(paths)),
            f"{label}: the versions valid on {day} form one tree ({len(on):,} units)",
            bad[:10],
        )


def subtree_checks(c: Checks) -> None:
    from django.utils import timezone

    from congdoan.organisation import selectors
    from congdoan.organisation.models import LineageLink, ReorgKind, Unit, UnitVersion

    today = timezone.localdate()
    merge = LineageLink.objects.filter(event__kind=ReorgKind.MERGE).select_related(
        "source", "target"
    )[0]
    kept, merged = merge.target, merge.source
    for prov in (kept, merged):
        got = selectors.subtree_on(prov, PAST)
        on = {v.unit_id: v for v in UnitVersion.objects.on(PAST)}
        children = defaultdict(list)
        for v in on.values():
            children[v.parent_id].append(v.unit_id)
        expected, todo = set(), [prov.pk]
        while todo:  # walk the parent links, not the paths
            pk = todo.pop()
            expected.add(pk)
            todo.extend(children[pk])
        types = {v.unit_type.code for v in got}
        c.check(
            {v.unit_id for v in got} == expected
            and "ldld_huyen" in types
            and "cd_xa" not in types
            and all(v.path.startswith(on[prov.pk].path) for v in got),
            f"subtree_on({prov}, {PAST}) is the pre-2025 province: {len(got):,} units, "
            f"district federations, no commune unions",
            (len(got), len(expected), sorted(types)),
        )
    now = selectors.subtree_on(kept, today)
    current = set(Unit.objects.subtree_of(kept).active_on(today).values_list("pk", flat=True))
    types = {v.unit_type.code for v in now}
    c.check(
        {v.unit_id for v in now} == current and "cd_xa" in types and "ldld_huyen" not in types,
        f"subtree_on({kept}, today) is the current subtree ({len(now):,} units, commune unions)",
    )
    c.check(selectors.subtree_on(merged, today) == [], f"subtree_on({merged}, today) is empty")


def services_checks(c: Checks) -> None:
    from django.db import transaction
    from django.utils import timezone

    from congdoan.organisation.models import Unit, UnitType
    from congdoan.organisation.services import tree as services

    today = timezone.localdate()
    communes = list(Unit.objects.filter(unit_type__code="cd_xa", dissolved_on__isnull=True))
    with transaction.atomic():
        a, b = communes[0], next(x for x in communes if x.path[:8] != communes[0].path[:8])
        services.unit_create(
            actor=None,
            parent=a,
            code="VERIFY1",
            name="Công đoàn cơ sở Kiểm tra",
            unit_type=UnitType.objects.get(code="cdcs"),
            day=today,
        )
        branch = (
            Unit.objects.filter(
                depth=5, dissolved_on__isnull=True, parent__parent__unit_type__code="cd_xa"
            )
            .select_related("parent")
            .first()
        )
        if branch is not None:
            to = b if branch.parent.parent_id != b.pk else a
            services.unit_move(actor=None, unit=branch.parent, new_parent=to, day=today)
        services.units_merge(actor=None, sources=[communes[2]], target=communes[1], day=today)
        tree_checks(c, "after real create, move and merge")
        transaction.set_rollback(True)


# ---------------------------------------------------------------------------------------------
# Replay through the real services


def snapshot() -> tuple[dict[str, tuple[Any, ...]], dict[tuple[str, dt.date], tuple[Any, ...]]]:
    from congdoan.organisation.models import Unit, UnitVersion

    code = dict(Unit.objects.values_list("pk", "code"))
    units = {
        u["code"]: (
            u["path"],
            u["depth"],
            u["numchild"],
            code.get(u["parent_id"]),
            u["name"],
            u["short_name"],
            u["unit_type__code"],
            u["sector__code"],
            u["ownership__code"],
            u["province_code"],
            u["ward_code"],
            u["address"],
            u["founded_on"],
            u["dissolved_on"],
            u["search_text"],
        )
        for u in Unit.objects.values(
            "code",
            "path",
            "depth",
            "numchild",
            "parent_id",
            "name",
            "short_name",
            "unit_type__code",
            "sector__code",
            "ownership__code",
            "province_code",
            "ward_code",
            "address",
            "founded_on",
            "dissolved_on",
            "search_text",
        )
    }
    versions = {
        (code[v["unit_id"]], v["valid_from"]): (
            v["valid_to"],
            v["path"],
            v["depth"],
            code.get(v["parent_id"]),
            v["code"],
            v["name"],
            v["short_name"],
            v["unit_type__code"],
            v["sector__code"],
            v["ownership__code"],
            v["province_code"],
            v["ward_code"],
            v["address"],
        )
        for v in UnitVersion.objects.values(
            "unit_id",
            "valid_from",
            "valid_to",
            "path",
            "depth",
            "parent_id",
            "code",
            "name",
            "short_name",
            "unit_type__code",
            "sector__code",
            "ownership__code",
            "province_code",
            "ward_code",
            "address",
        )
    }
    return units, versions


def truncate() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE organisation_unit, organisation_unitversion, organisation_reorgevent, "
            "organisation_lineagelink RESTART IDENTITY CASCADE"
        )


def replay(log: list[tuple[str, dict[str, Any]]]) -> None:

    from congdoan.organisation.models import OwnershipType, Sector, Unit, UnitType
    from congdoan.organisation.services import tree as services

    truncate()
    types = {t.code: t for t in UnitType.objects.all()}
    sectors = {s.code: s for s in Sector.objects.all()}
    owners = {o.code: o for o in OwnershipType.objects.all()}

    def unit(code: str) -> Unit:
        return Unit.objects.get(code=code)

    for i, (op, a) in enumerate(log, 1):
        if op == "create" and a["parent"] is None:
            services.unit_create_root(
                code=a["code"],
                name=a["name"],
                short_name=a["short_name"],
                unit_type=types[a["unit_type"]],
                day=a["day"],
            )
        elif op == "create":
            services.unit_create(
                actor=None,
                parent=unit(a["parent"]),
                code=a["code"],
                name=a["name"],
                short_name=a["short_name"],
                unit_type=types[a["unit_type"]],
                sector=sectors.get(a["sector"] or ""),
                ownership=owners.get(a["ownership"] or ""),
                province_code=a["province_code"],
                ward_code=a["ward_code"],
                address=a["address"],
                day=a["day"],
            )
        elif op == "update":
            services.unit_update(actor=None, unit=unit(a["code"]), day=a["day"], **a["values"])
        elif op == "move":
            services.unit_move(
                actor=None, unit=unit(a["code"]), new_parent=unit(a["new_parent"]), day=a["day"]
            )
        elif op == "dissolve":
            services.unit_dissolve(
                actor=None, unit=unit(a["code"]), day=a["day"], reason=a["reason"]
            )
        elif op == "merge":
            services.units_merge(
                actor=None, sources=[unit(a["source"])], target=unit(a["target"]), day=a["day"]
            )
        else:
            raise ValueError(op)
        if i % 1000 == 0:
            print(f"  … {i:,}/{len(log):,} operations")
            sys.stdout.flush()


def compare(c: Checks, what: str, a: dict[Any, Any], b: dict[Any, Any]) -> None:
    missing = sorted(set(a) - set(b), key=str)
    extra = sorted(set(b) - set(a), key=str)
    differ = sorted((k for k in set(a) & set(b) if a[k] != b[k]), key=str)
    detail = (
        f"{len(missing)} only generated {missing[:3]}, {len(extra)} only replayed {extra[:3]}, "
        f"{len(differ)} differ"
        + "".join(
            f"\n      {k}: generated {a[k]}\n      {' ' * len(str(k))}  replayed  {b[k]}"
            for k in differ[:3]
        )
    )
    c.check(
        not (missing or extra or differ),
        f"replay: the same {len(a):,} {what}, field by field",
        detail,
    )


def main() -> None:
    import django

    django.setup()
    from bench.generate import generate

    units = int(os.environ.get("BENCH_VERIFY_UNITS", "3000"))
    seed = int(os.environ.get("BENCH_SEED", "2025"))
    c = Checks()
    t0 = time.perf_counter()
    tree, stats = generate(units, seed, log=True)
    print(
        f"generated {stats['counts']['unit']:,} units, {stats['counts']['unitversion']:,} versions"
    )
    tree_checks(c, "generated")
    subtree_checks(c)
    services_checks(c)
    generated = snapshot()
    assert tree.b.log is not None
    print(f"replaying {len(tree.b.log):,} operations through the services …")
    sys.stdout.flush()
    t1 = time.perf_counter()
    replay(tree.b.log)
    print(f"  replayed in {time.perf_counter() - t1:.0f} s")
    replayed = snapshot()
    compare(c, "units", generated[0], replayed[0])
    compare(c, "unit versions", generated[1], replayed[1])
    tree_checks(c, "replayed")
    truncate()
    print(
        f"verify: {'FAILED: ' + '; '.join(c.failed) if c.failed else 'all checks passed'}"
        f" ({time.perf_counter() - t0:.0f} s)"
    )
    if c.failed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
