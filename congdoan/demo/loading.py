"""Load the demo into the configured database: migrate if needed, reset (SQLite only), build."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from congdoan.demo.federation import DemoError, DemoSummary, build_demo, summarise
from congdoan.demo.player import Writer


def _sqlite_file() -> Path | None:
    """The SQLite database file, or None when the database is not a file-backed SQLite one."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "sqlite":
        return None
    name = str(connection.settings_dict["NAME"])
    if not name or name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
        return None
    return Path(name).resolve()


def reset_database(out: Writer | None = None) -> None:
    """Delete the SQLite file, when it lies under CONGDOAN_VAR_DIR. Refuse anything else."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "sqlite":
        raise DemoError(
            "--reset chỉ dùng cho CSDL SQLite nhúng; không xóa CSDL "
            f"{connection.vendor}. / --reset only deletes the embedded SQLite database."
        )
    path = _sqlite_file()
    var_dir = Path(settings.VAR_DIR).resolve()
    if path is None or not path.is_relative_to(var_dir):
        raise DemoError(
            f"--reset chỉ xóa tệp SQLite nằm trong CONGDOAN_VAR_DIR ({var_dir}). "
            "/ --reset only deletes a SQLite file under CONGDOAN_VAR_DIR."
        )
    connections.close_all()
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    if out is not None:
        out.write(f"Đã xóa CSDL demo cũ / deleted {path}\n")


def migrate_if_needed(out: Writer | None = None) -> None:
    connection = connections[DEFAULT_DB_ALIAS]
    path = _sqlite_file()
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if not plan:
        return
    if out is not None:
        out.write(f"Cập nhật cấu trúc CSDL / applying {len(plan)} migrations…\n")
    call_command("migrate", interactive=False, verbosity=0)


def load_demo(
    *, scale: float = 1.0, seed: int = 2025, reset: bool = False, out: Writer | None = None
) -> tuple[DemoSummary, bool]:
    """Make sure the demo is in the database; returns (summary, built now)."""
    from congdoan.organisation.models import Unit

    if reset:
        reset_database(out)
    migrate_if_needed(out)
    if Unit.objects.exists():
        if out is not None:
            out.write(
                "CSDL đã có dữ liệu; giữ nguyên (dùng --reset để tạo lại). "
                "/ The database already holds data; kept as is.\n"
            )
        return summarise(), False
    return build_demo(scale=scale, seed=seed, stdout=out), True
