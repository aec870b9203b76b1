"""Backups of a whole installation: the database and the uploaded files, in one archive.

    congdoan backup                          # var/backups/congdoan-20261207-121500.tar
    congdoan backup --output /mnt/backup/congdoan.tar
    congdoan restore /mnt/backup/congdoan.tar  # asks first; --no-input for scripts

The archive is a plain tar file:

- `manifest.json`: when, from which database (SQLite or PostgreSQL), the migrations applied, the
  rows of every table, and each uploaded file's size and SHA-256;
- the database: for SQLite `database.sqlite3`, a consistent copy made with SQLite's online backup;
  for PostgreSQL `database.dump`, made by `pg_dump --format=custom` from the same snapshot the
  rows were counted in (a REPEATABLE READ transaction exporting its snapshot), so a backup taken
  while officers work is one moment of the data;
- `media/`: the uploaded files (dossiers, generated reports and decisions, imports).

A restore checks the whole archive before it changes anything (the manifest, the migrations known
to this version, every file's checksum, SQLite's integrity check), keeps a copy of the current
data first (unless it is empty or `--no-safety-copy`), then replaces the database (SQLite: the
online backup into it; PostgreSQL: `pg_restore --clean --single-transaction`: all or nothing),
checks every table's rows against the manifest, swaps the uploads in, and applies the migrations
of this version if the backup came from an older one. An archive from a newer version, or from
the other database engine, is refused with the reason.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.core.exceptions import RuleViolation

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.dump"
MEDIA = "media"
CHUNK = 1 << 20


@dataclass
class Manifest:
    created_at: str
    vendor: str
    migrations: list[list[str]]
    tables: dict[str, int]
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    format: int = FORMAT

    @property
    def rows(self) -> int:
        return sum(self.tables.values())

    @property
    def file_bytes(self) -> int:
        return sum(f["size"] for f in self.files.values())


# --- backup -------------------------------------------------------------------------------------


def default_output() -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.VAR_DIR) / "backups" / f"congdoan-{stamp}.tar"


def backup(output: Path | None = None) -> tuple[Path, Manifest]:
    """Write the archive; return its path and manifest."""
    output = Path(output or default_output())
    output.parent.mkdir(parents=True, exist_ok=True)
    if connection.in_atomic_block:
        raise RuleViolation(_("A backup cannot run inside a transaction."))
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".backup-") as tmp:
        work = Path(tmp)
        if connection.vendor == "sqlite":
            db_name, tables = SQLITE_FILE, _sqlite_copy(work / SQLITE_FILE)
        elif connection.vendor == "postgresql":
            db_name, tables = PG_FILE, _pg_dump(work / PG_FILE)
        else:
            raise RuleViolation(_("Backups know SQLite and PostgreSQL only."))
        manifest = Manifest(
            created_at=timezone.now().isoformat(),
            vendor=connection.vendor,
            migrations=_applied(),
            tables=tables,
        )
        partial = work / "archive.tar"
        with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
            tar.add(work / db_name, arcname=db_name)
            for path, rel in _media_files():
                info = tar.gettarinfo(path, arcname=f"{MEDIA}/{rel}")
                with path.open("rb") as f:
                    digest = _Hashing(f)
                    tar.addfile(info, digest)
                manifest.files[rel] = {"size": info.size, "sha256": digest.hexdigest()}
            data = json.dumps(manifest.__dict__, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(timezone.now().timestamp())
            tar.addfile(info, io.BytesIO(data))
        os.replace(partial, output)
    return output, manifest


class _Hashing:
    """A file read through, hashing what is read."""

    def __init__(self, f: Any) -> None:
        self.f, self.hash = f, hashlib.sha256()

    def read(self, n: int = -1) -> bytes:
        data = self.f.read(n)
        self.hash.update(data)
        return data

    def hexdigest(self) -> str:
        return self.hash.hexdigest()


def _media_files() -> Iterator[tuple[Path, str]]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path, path.relative_to(root).as_posix()


def _applied() -> list[list[str]]:
    return sorted([app, name] for app, name in MigrationRecorder(connection).applied_migrations())


def _counts(cursor: Any, tables: list[str], quote: Any) -> dict[str, int]:
    out = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 (names from the catalogue)
        out[table] = cursor.fetchone()[0]
    return out


def _sqlite_copy(target: Path) -> dict[str, int]:
    connection.ensure_connection()
    dest = sqlite3.connect(target)
    try:
        connection.connection.backup(dest)
        tables = [
            r[0]
            for r in dest.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return _counts(dest.cursor(), tables, lambda t: '"' + t.replace('"', '""') + '"')
    finally:
        dest.close()


def _pg_dump(target: Path) -> dict[str, int]:
    from django.db import transaction

    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            tables = connection.introspection.table_names(cursor)
            counts = _counts(cursor, tables, connection.ops.quote_name)
        target_db, env = _pg_target()
        _run(
            _pg_tool("pg_dump"),
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--snapshot={snapshot}",
            f"--file={target}",
            f"--dbname={target_db}",
            env=env,
        )
    return counts


# --- restore ------------------------------------------------------------------------------------


@dataclass
class Restored:
    manifest: Manifest
    safety_copy: Path | None
    migrated: bool


def read_manifest(archive: Path) -> Manifest:
    """The archive's manifest, or a RuleViolation saying why the file is not a backup."""
    archive = Path(archive)
    if not archive.is_file():
        raise RuleViolation(_("The file %(file)s does not exist.") % {"file": archive})
    try:
        with tarfile.open(archive, "r:") as tar:
            member = tar.getmember(MANIFEST)
            f = tar.extractfile(member)
            manifest = Manifest(**json.loads(f.read().decode() if f else ""))
    except (tarfile.TarError, KeyError, TypeError, ValueError, OSError) as exc:
        raise RuleViolation(_("%(file)s is not a congdoan backup.") % {"file": archive}) from exc
    if manifest.format != FORMAT:
        raise RuleViolation(
            _("%(file)s is a backup in format %(n)s, which this version does not read.")
            % {"file": archive, "n": manifest.format}
        )
    return manifest


def check(archive: Path) -> Manifest:
    """Everything a restore checks before it changes anything, except the files' checksums."""
    manifest = read_manifest(archive)
    if manifest.vendor != connection.vendor:
        raise RuleViolation(
            _(
                "%(file)s is a backup of a %(theirs)s database; this installation uses "
                "%(ours)s. Restore it on a %(theirs)s installation."
            )
            % {
                "file": archive,
                "theirs": _vendor(manifest.vendor),
                "ours": _vendor(connection.vendor),
            }
        )
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    newer = [f"{app}.{name}" for app, name in manifest.migrations if (app, name) not in known]
    if newer:
        raise RuleViolation(
            _(
                "%(file)s comes from a newer version of congdoan (migrations unknown here: "
                "%(names)s). Update congdoan first."
            )
            % {"file": archive, "names": ", ".join(newer[:5]) + (" …" if len(newer) > 5 else "")}
        )
    return manifest


def _vendor(vendor: str) -> str:
    return {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(vendor, vendor)


def is_empty() -> bool:
    """No data to lose: no tables, or no organisation unit."""
    tables = connection.introspection.table_names()
    if "organisation_unit" not in tables:
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM organisation_unit LIMIT 1")
        return cursor.fetchone() is None


def restore(archive: Path, *, safety_copy: bool = True) -> Restored:
    """Replace the database and the uploads by the archive's (see the module docstring)."""
    archive = Path(archive)
    manifest = check(archive)
    if connection.in_atomic_block:
        raise RuleViolation(_("A restore cannot run inside a transaction."))
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=media_root.parent, prefix=".restore-") as tmp:
        work = Path(tmp)
        _unpack(archive, manifest, work)
        db_file = work / (SQLITE_FILE if manifest.vendor == "sqlite" else PG_FILE)
        if manifest.vendor == "sqlite":
            _sqlite_sound(db_file, archive)
        copy = None
        if safety_copy and not is_empty():
            copy, _m = backup(
                Path(settings.VAR_DIR)
                / "backups"
                / f"before-restore-{timezone.localtime():%Y%m%d-%H%M%S}.tar"
            )
        if manifest.vendor == "sqlite":
            _sqlite_restore(db_file)
        else:
            _pg_restore(db_file)
        _check_rows(manifest, archive)
        _swap(work / MEDIA, media_root)
    applied = {tuple(m) for m in manifest.migrations}
    pending = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations) - applied
    if pending:
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
    return Restored(manifest=manifest, safety_copy=copy, migrated=bool(pending))


def _unpack(archive: Path, manifest: Manifest, work: Path) -> None:
    """Unpack into `work`, checking every uploaded file against the manifest."""
    db_name = SQLITE_FILE if manifest.vendor == "sqlite" else PG_FILE
    seen: set[str] = set()
    (work / MEDIA).mkdir()
    with tarfile.open(archive, "r:") as tar:
        for member in tar:
            if member.name == MANIFEST:
                continue
            if member.name != db_name and not member.name.startswith(f"{MEDIA}/"):
                raise _damaged(archive, _("unexpected entry %(name)s") % {"name": member.name})
            try:
                tar.extract(member, work, filter="data")
            except (tarfile.TarError, OSError) as exc:
                raise _damaged(archive, f"{member.name}: {exc}") from exc
            if member.name == db_name:
                seen.add(db_name)
                continue
            rel = member.name[len(MEDIA) + 1 :]
            expected = manifest.files.get(rel)
            if expected is None:
                raise _damaged(archive, _("%(name)s is not in the manifest") % {"name": rel})
            if _sha256(work / member.name) != expected["sha256"]:
                raise _damaged(archive, _("%(name)s does not match its checksum") % {"name": rel})
            seen.add(rel)
    missing = [n for n in [db_name, *manifest.files] if n not in seen]
    if missing:
        raise _damaged(archive, _("missing: %(names)s") % {"names": ", ".join(missing[:5])})


def _damaged(archive: Path, reason: str) -> RuleViolation:
    return RuleViolation(
        _("The backup %(file)s is damaged (%(reason)s); nothing was changed.")
        % {"file": archive, "reason": reason}
    )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _sqlite_sound(path: Path, archive: Path) -> None:
    try:
        with contextlib.closing(sqlite3.connect(path)) as db:
            result = db.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise _damaged(archive, str(exc)) from exc
    if result != "ok":
        raise _damaged(archive, result)


def _sqlite_restore(path: Path) -> None:
    connection.ensure_connection()
    with contextlib.closing(sqlite3.connect(path)) as source:
        source.backup(connection.connection)


def _pg_restore(path: Path) -> None:
    target_db, env = _pg_target()
    connection.close()  # pg_restore drops the tables: no session of ours may hold them
    _run(
        _pg_tool("pg_restore"),
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        f"--dbname={target_db}",
        str(path),
        env=env,
    )


def _check_rows(manifest: Manifest, archive: Path) -> None:
    with connection.cursor() as cursor:
        tables = [t for t in connection.introspection.table_names(cursor) if t in manifest.tables]
        found = _counts(cursor, tables, connection.ops.quote_name)
    wrong = [
        f"{t}: {found.get(t, 0)} ≠ {n}" for t, n in manifest.tables.items() if found.get(t, 0) != n
    ]
    if wrong:
        raise RuleViolation(
            _("After the restore from %(file)s, rows differ from the backup: %(tables)s.")
            % {"file": archive, "tables": "; ".join(wrong[:5])}
        )


def _swap(new: Path, root: Path) -> None:
    """Put the unpacked uploads in place of the current ones."""
    old = root.with_name(f".{root.name}-replaced-{dt.datetime.now():%Y%m%d%H%M%S%f}")
    if root.exists():
        os.replace(root, old)
    os.replace(new, root)
    shutil.rmtree(old, ignore_errors=True)


# --- PostgreSQL tools ---------------------------------------------------------------------------


def _pg_tool(name: str) -> str:
    """`pg_dump` / `pg_restore`: from $PGBIN, else the newest Debian keeps per major version,
    else the one on the PATH (it must not be older than the server)."""
    if os.environ.get("PGBIN"):
        return str(Path(os.environ["PGBIN"]) / name)
    versions = [
        p
        for p in Path("/usr/lib/postgresql").glob(f"*/bin/{name}")
        if p.parent.parent.name.isdecimal()
    ]
    if versions:
        return str(max(versions, key=lambda p: int(p.parent.parent.name)))
    found = shutil.which(name)
    if found is None:
        raise RuleViolation(
            _("%(tool)s was not found: install the PostgreSQL client (postgresql-client).")
            % {"tool": name}
        )
    return found


def _pg_target() -> tuple[str, dict[str, str]]:
    """The connection string of the database Django uses (host, port, user, name, options as
    psycopg resolved them) and the environment with its password (not on the command line)."""
    from psycopg.conninfo import make_conninfo

    connection.ensure_connection()
    info = connection.connection.info
    env = dict(os.environ)
    if info.password:
        env["PGPASSWORD"] = info.password
    params = {k: v for k, v in info.get_parameters().items() if k in _PG_PARAMETERS}
    return make_conninfo(**params), env


# What pg_dump needs to reach the database; psycopg's own libpq may know options an older
# pg_dump refuses (sslcertmode).
_PG_PARAMETERS = {
    "host",
    "hostaddr",
    "port",
    "dbname",
    "user",
    "sslmode",
    "sslrootcert",
    "sslcert",
    "sslkey",
}


def _run(*command: str, env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        tail = (result.stderr or result.stdout).strip().splitlines()[-3:]
        raise RuleViolation(
            _("%(tool)s failed: %(error)s")
            % {"tool": Path(command[0]).name, "error": " ".join(tail)}
        )
