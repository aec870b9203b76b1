"""Property tests: random trees and random reorganisation sequences.

For every sequence of operations (create, rename, move, merge, split, dissolve, admissions) with
non-decreasing effective dates:
- the tree rebuilt "as of" every past date equals the tree recorded at the end of that date, both
  through parent pointers and through the historical paths (subtree of the province);
- member counts per unit "as of" every date equal those recorded on that date;
- no unit or member is lost: every unit still exists (dissolved ones marked), every member is
  either active in an active unit or has left with a reason and a date;
- an operation refused with a RuleViolation leaves no trace;
- treebeard finds no problem in the materialized paths.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter

from django.db.models import Q
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from congdoan.core.exceptions import RuleViolation
from congdoan.core.tests.support import unit_type
from congdoan.members.models import Member, Membership, MemberStatus
from congdoan.members.services import member_admit
from congdoan.organisation import selectors
from congdoan.organisation import services as org
from congdoan.organisation.models import Unit, UnitVersion

START = dt.date(2015, 1, 1)

# An operation: (kind, a, b, c, day step). Indexes pick among the units alive at that moment.
operation = st.tuples(
    st.sampled_from(["create", "create", "rename", "move", "merge", "split", "dissolve", "admit"]),
    st.integers(0, 1000),
    st.integers(0, 1000),
    st.integers(0, 1000),
    st.integers(0, 90),
)


def snapshot() -> tuple[dict[int, tuple], Counter]:
    tree = {
        u.pk: (u.parent_id, u.name, u.code, u.unit_type_id)
        for u in Unit.objects.filter(dissolved_on__isnull=True)
    }
    members = Counter(
        Member.objects.filter(status__in=[MemberStatus.ACTIVE, MemberStatus.SUSPENDED]).values_list(
            "unit_id", flat=True
        )
    )
    return tree, members


def descendants(tree: dict[int, tuple], root: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for uid, (parent, *_rest) in tree.items():
        children.setdefault(parent, []).append(uid)
    out, stack = {root}, [root]
    while stack:
        for child in children.get(stack.pop(), []):
            out.add(child)
            stack.append(child)
    return out


class ReorganisationProperties(TestCase):
    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(st.lists(operation, min_size=1, max_size=24))
    def test_history_survives_any_sequence(self, ops):
        types = {
            code: unit_type(code) for code in ("tld", "ldld_tinh", "ldld_huyen", "cdcs", "to_cd")
        }
        root = org.unit_create_root(code="R", name="Gốc", unit_type=types["tld"], day=START)
        province = org.unit_create(
            actor=None, parent=root, code="P", name="Tỉnh", unit_type=types["ldld_tinh"], day=START
        )
        day = START
        recorded: dict[dt.date, tuple[dict[int, tuple], Counter]] = {day: snapshot()}
        created = 2
        admitted = 0

        def alive(*type_codes: str) -> list[Unit]:
            qs = Unit.objects.filter(dissolved_on__isnull=True, depth__gte=3).order_by("pk")
            if type_codes:
                qs = qs.filter(unit_type__code__in=type_codes)
            return list(qs)

        for serial, (kind, a, b, c, step) in enumerate(ops, start=1):
            day = day + dt.timedelta(days=step)
            before = snapshot()
            try:
                if kind == "create":
                    parents = [province, *alive("ldld_huyen", "cdcs")]
                    parent = parents[a % len(parents)]
                    child_type = {"ldld_tinh": "ldld_huyen", "ldld_huyen": "cdcs"}.get(
                        parent.unit_type.code, "to_cd"
                    )
                    org.unit_create(
                        actor=None,
                        parent=parent,
                        code=f"U{serial}",
                        name=f"Đơn vị {serial}",
                        unit_type=types[child_type],
                        day=day,
                    )
                    created += 1
                elif kind == "rename":
                    units = alive()
                    if units:
                        org.unit_update(
                            actor=None,
                            unit=units[a % len(units)],
                            day=day,
                            name=f"Tên mới {serial}",
                        )
                elif kind == "move":
                    units = alive()
                    targets = [province, *alive()]
                    if units:
                        org.unit_move(
                            actor=None,
                            unit=units[a % len(units)],
                            new_parent=targets[b % len(targets)],
                            day=day,
                        )
                elif kind == "merge":
                    units = alive()
                    if len(units) >= 2:
                        source, target = units[a % len(units)], units[b % len(units)]
                        org.units_merge(actor=None, sources=[source], target=target, day=day)
                elif kind == "split":
                    units = alive()
                    if len(units) >= 3:
                        source = units[a % len(units)]
                        t1, t2 = units[b % len(units)], units[c % len(units)]
                        members = list(
                            Member.objects.filter(unit=source, status="active").order_by("pk")
                        )
                        assignment = {m.pk: t2 for m in members[::2]}
                        org.unit_split(
                            actor=None,
                            source=source,
                            targets=[t1, t2],
                            day=day,
                            member_targets=assignment,
                        )
                elif kind == "dissolve":
                    units = alive()
                    if units:
                        unit = units[a % len(units)]
                        receivers = [u for u in alive() if u.pk != unit.pk]
                        receiver = receivers[b % len(receivers)] if receivers and c % 2 else None
                        org.unit_dissolve(actor=None, unit=unit, day=day, members_to=receiver)
                elif kind == "admit":
                    units = alive()
                    if units:
                        for i in range(1 + b % 3):
                            member_admit(
                                actor=None,
                                unit=units[a % len(units)],
                                family_name="Lê",
                                given_name=f"Thành viên {serial}-{i}",
                                sex="F" if i % 2 else "M",
                                admitted_on=day,
                            )
                            admitted += 1
            except RuleViolation as exc:
                event(f"refused {kind}: {type(exc).__name__}")
                self.assertEqual(snapshot(), before, f"refused {kind} left a trace")
            else:
                event(f"applied {kind}")
            recorded[day] = snapshot()

        # 1. Every recorded date: the as-of tree equals the tree recorded then.
        for when, (tree, member_counts) in recorded.items():
            as_of = {
                v.unit_id: (v.parent_id, v.name, v.code, v.unit_type_id)
                for v in UnitVersion.objects.on(when)
            }
            self.assertEqual(as_of, tree, f"tree as of {when}")
            via_paths = {v.unit_id for v in selectors.subtree_on(province, when)}
            self.assertEqual(via_paths, descendants(tree, province.pk), f"subtree as of {when}")
            spells = Counter(
                Membership.objects.filter(start__lte=when)
                .filter(Q(end__isnull=True) | Q(end__gt=when))
                .values_list("unit_id", flat=True)
            )
            self.assertEqual(spells, member_counts, f"member counts as of {when}")

        # 2. A date between two recorded dates shows the earlier one.
        dates = sorted(recorded)
        for earlier, later in itertools.pairwise(dates):
            if (later - earlier).days > 1:
                middle = earlier + (later - earlier) / 2
                tree = {
                    v.unit_id: (v.parent_id, v.name, v.code, v.unit_type_id)
                    for v in UnitVersion.objects.on(middle)
                }
                self.assertEqual(tree, recorded[earlier][0], f"tree as of {middle}")

        # 3. Nothing is lost.
        self.assertEqual(Unit.objects.count(), created)
        self.assertEqual(Member.objects.count(), admitted)
        for member in Member.objects.select_related("unit"):
            open_spells = list(member.spells.filter(end__isnull=True))
            if member.status == MemberStatus.EXITED:
                self.assertTrue(member.exited_on and member.exit_reason)
                self.assertEqual(open_spells, [])
            else:
                self.assertIsNone(member.unit.dissolved_on, f"{member} sits in a dissolved unit")
                self.assertEqual([s.unit_id for s in open_spells], [member.unit_id])
        problems = Unit.objects.find_problems()
        self.assertTrue(all(not p for p in problems), problems)
