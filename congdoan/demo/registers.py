"""The activity registers of the demo (care, welfare, initiatives, inspections, movements),
then the emulation cycle, the grading of grassroots unions and the awards that follow from
them: each app's `demo.load(today=...)`, in turn. They run after the figures, so that the
units they make keep a register are chosen among those without entered figures (see each app's
demo module)."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from congdoan.awards.demo import load as load_awards
from congdoan.care.demo import load as load_care
from congdoan.emulation.demo import load as load_emulation
from congdoan.grading.demo import load as load_grading
from congdoan.initiatives.demo import load as load_initiatives
from congdoan.inspections.demo import load as load_inspections
from congdoan.movements.demo import load as load_movements
from congdoan.welfare.demo import load as load_welfare

LOADERS = (
    ("chăm lo", load_care),
    ("phúc lợi", load_welfare),
    ("sáng kiến, hội thi", load_initiatives),
    ("kiểm tra, giám sát", load_inspections),
    ("phong trào, mô hình", load_movements),
    ("thi đua", load_emulation),
    ("xếp loại CĐCS", load_grading),
    ("khen thưởng", load_awards),
)


def load_registers(*, today: dt.date, out: Any = None) -> int:
    """Every register's demo records; the number of records created."""
    started = time.perf_counter()
    counts = [(label, load(today=today)) for label, load in LOADERS]
    if out is not None:
        done = ", ".join(f"{label}: {n}" for label, n in counts)
        out.write(f"Sổ hoạt động: {done} ({time.perf_counter() - started:.1f} s)\n")
    return sum(n for _label, n in counts)
