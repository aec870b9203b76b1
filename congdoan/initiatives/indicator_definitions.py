"""Indicators derived from the initiatives and contests registers (see
`congdoan.activities.registers`).

Each definition gives a unit's own value — the records whose unit is that unit — counting only
the records of units keeping the register in the year of the record's date (`kept_q`, through
`registers.measures`, one query per read, grouped by unit; subtrees in SQL by path). The engine
adds them up over subtrees as the tree stood on the period's last day. The dates:

- register "initiatives", an initiative counts on the day it was **submitted** (`submitted_on`),
  whatever its status, under its own unit:
  `initiatives_submitted` → sang_kien (entered by units that do not keep the register);
  `initiatives_valid` → sang_kien_hop_le and `initiatives_rejected` → sang_kien_bi_loai (those
  decided valid / rejected so far: a decision taken later changes the figure of the period the
  initiative was submitted in, so that a phase's valid initiatives are those submitted in it);
  `initiatives_benefit` → gia_tri_lam_loi (the estimated benefit of the valid ones, đồng).
- register "contests", everything of a contest counts on the day it **ends** (`ends_on`):
  `quizzes_held` → cuoc_thi (quizzes, under the organising unit);
  `quiz_participants` → luot_du_thi (participants of quizzes, under the participants' unit);
  `contest_entries` → de_tai_du_thi (entries of technical-innovation contests, under the
  entrant's unit) and `contest_prizes_first` / `_second` / `_third` / `_consolation` →
  giai_nhat, giai_nhi, giai_ba, giai_kk (those entries by the prize they won).
"""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from congdoan.activities import registers
from congdoan.initiatives.models import (
    Contest,
    ContestKind,
    Entry,
    Initiative,
    Participant,
    Prize,
    Status,
)

INNOVATION = Q(contest__kind=ContestKind.INNOVATION)

registers.measures(
    "initiatives",
    lambda: Initiative.objects.all(),
    {
        "initiatives_submitted": (_("Initiatives submitted to a programme"), Count("pk")),
        "initiatives_valid": (
            _("Initiatives recognised as valid"),
            Count("pk", filter=Q(status=Status.VALID)),
        ),
        "initiatives_rejected": (
            _("Initiatives rejected"),
            Count("pk", filter=Q(status=Status.REJECTED)),
        ),
        "initiatives_benefit": (
            _("Estimated benefit of the valid initiatives"),
            Sum("benefit", filter=Q(status=Status.VALID)),
        ),
    },
    day="submitted_on",
)

registers.measures(
    "contests",
    lambda: Contest.objects.all(),
    {"quizzes_held": (_("Quizzes held"), Count("pk", filter=Q(kind=ContestKind.QUIZ)))},
    day="ends_on",
)

registers.measures(
    "contests",
    lambda: Participant.objects.all(),
    {
        "quiz_participants": (
            _("Quiz participants"),
            Sum("count", filter=Q(contest__kind=ContestKind.QUIZ)),
        )
    },
    day="contest__ends_on",
)

registers.measures(
    "contests",
    lambda: Entry.objects.all(),
    {
        "contest_entries": (
            _("Entries of technical-innovation contests"),
            Count("pk", filter=INNOVATION),
        ),
        "contest_prizes_first": (
            _("First prizes of technical-innovation contests"),
            Count("pk", filter=INNOVATION & Q(prize=Prize.FIRST)),
        ),
        "contest_prizes_second": (
            _("Second prizes of technical-innovation contests"),
            Count("pk", filter=INNOVATION & Q(prize=Prize.SECOND)),
        ),
        "contest_prizes_third": (
            _("Third prizes of technical-innovation contests"),
            Count("pk", filter=INNOVATION & Q(prize=Prize.THIRD)),
        ),
        "contest_prizes_consolation": (
            _("Consolation prizes of technical-innovation contests"),
            Count("pk", filter=INNOVATION & Q(prize=Prize.CONSOLATION)),
        ),
    },
    day="contest__ends_on",
)
