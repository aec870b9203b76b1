"""`congdoan backup` / `congdoan restore` (congdoan/core/backup.py) on the database the tests run
on (SQLite, then PostgreSQL with the real pg_dump and pg_restore): a restore brings back every
row of every table and every uploaded file, and the report generated again from the restored
data is the same; a damaged or foreign archive is refused before anything changes."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from docx import Document as Docx

from congdoan.core import backup
from congdoan.core.exceptions import RuleViolation
from congdoan.core.tests.world_snapshot import every_row
from congdoan.indicators.models import PeriodKind
from congdoan.indicators.periods import period_open
from congdoan.indicators.tests.figures_world import build_figures
from congdoan.organisation.models import Unit
from congdoan.reports import services as reports
from congdoan.reports.models import GenerationState

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def var(settings: Any, tmp_path: Path) -> Path:
    settings.VAR_DIR = tmp_path / "var"
    settings.MEDIA_ROOT = tmp_path / "var" / "media"
    return tmp_path


def _generate(world: Any) -> Any:
    """A district's yearly report, generated now (its DOCX, PDF and XLSX are uploads)."""
    year = build_figures(world, period_open(actor=None, kind=PeriodKind.YEAR, year=2024))
    reports.template_save(actor=world.officer_a, unit=world.unit_a, place="Thử Nghiệm")
    report = reports.report_create(
        actor=world.officer_a,
        unit=world.unit_a,
        period=year,
        tasks="Phát triển đoàn viên & thành lập CĐCS <mới>",
    )
    gen = reports.generation_start(actor=world.officer_a, report=report, background=False)
    assert gen.state == GenerationState.DONE, gen.error
    return report, gen


def _docx_text(field: Any) -> str:
    with field.open("rb") as f:
        doc = Docx(io.BytesIO(f.read()))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join(parts)


def _media(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_restore_brings_back_every_row_file_and_the_same_report(world, var):
    report, gen = _generate(world)
    media_root = var / "var" / "media"
    (media_root / "imports").mkdir(parents=True, exist_ok=True)
    (media_root / "imports" / "Danh sách đoàn viên & <mới>.xlsx").write_bytes(b"\x00 xlsx \xff")
    rows, files, text = every_row(), _media(media_root), _docx_text(gen.docx)
    assert files and "ALPHA" in text.upper()

    archive, manifest = backup.backup(var / "b.tar")
    assert manifest.vendor == connection.vendor
    assert manifest.tables["organisation_unit"] == Unit.objects.count() == 8
    assert set(manifest.files) == set(files)

    # Everything is lost: the tables emptied, the uploads deleted.
    call_command("flush", interactive=False, verbosity=0)
    for path in sorted(media_root.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    assert Unit.objects.count() == 0

    done = backup.restore(archive)
    assert done.safety_copy is None  # nothing to keep: the database was empty
    assert not done.migrated
    assert every_row() == rows
    assert _media(media_root) == files

    again = reports.generation_start(
        actor=world.officer_a, report=type(report).objects.get(pk=report.pk), background=False
    )
    assert again.state == GenerationState.DONE, again.error
    assert _docx_text(again.docx) == text


def test_the_commands_keep_a_copy_of_the_data_they_replace(world, var):
    out = io.StringIO()
    call_command("backup", output=var / "first.tar", stdout=out)
    assert "Đã sao lưu vào" in out.getvalue() and "bảng" in out.getvalue()
    out = io.StringIO()
    call_command("backup", output=var / "english.tar", language="en", stdout=out)
    assert out.getvalue().startswith(f"Backup written to {var / 'english.tar'}: ")
    Unit.objects.filter(pk=world.group_a1.pk).update(name="Tên sửa sau khi sao lưu")

    out = io.StringIO()
    call_command("restore", var / "first.tar", interactive=False, stdout=out)
    text = out.getvalue()
    assert "Đã khôi phục từ" in text
    kept = sorted((var / "var" / "backups").glob("before-restore-*.tar"))
    assert len(kept) == 1 and str(kept[0]) in text
    assert Unit.objects.get(pk=world.group_a1.pk).name != "Tên sửa sau khi sao lưu"

    # The copy kept before the restore holds the edit, and restores it.
    call_command("restore", kept[0], interactive=False, safety_copy=False, stdout=io.StringIO())
    assert Unit.objects.get(pk=world.group_a1.pk).name == "Tên sửa sau khi sao lưu"


def _rewrite(archive: Path, target: Path, *, manifest: Any = None, media: Any = None) -> Path:
    """A copy of `archive` with its manifest changed by `manifest(dict)` or a file's content
    replaced by `media(name, bytes) -> bytes`."""
    with tarfile.open(archive) as src, tarfile.open(target, "w") as dst:
        for member in src:
            data = src.extractfile(member).read()  # type: ignore[union-attr]
            if member.name == backup.MANIFEST and manifest:
                raw = json.loads(data)
                manifest(raw)
                data = json.dumps(raw).encode()
            elif member.name.startswith("media/") and media:
                data = media(member.name, data)
            member.size = len(data)
            dst.addfile(member, io.BytesIO(data))
    return target


@pytest.mark.parametrize(
    "damage, message",
    [
        ("not a tar", "không phải bản sao lưu của congdoan"),
        ("file changed", "bị hỏng"),
        ("file missing", "bị hỏng"),
        ("newer version", "phiên bản mới hơn"),
        ("other engine", "Hãy khôi phục trên"),
    ],
)
def test_a_damaged_or_foreign_archive_changes_nothing(world, var, damage, message):
    _report, _gen = _generate(world)
    archive, _m = backup.backup(var / "good.tar")
    Unit.objects.filter(pk=world.group_a1.pk).update(name="Giữ nguyên")
    rows, files = every_row(), _media(var / "var" / "media")
    bad = var / "bad.tar"
    if damage == "not a tar":
        bad.write_bytes(b"PK\x03\x04 a zip file, not a backup")
    elif damage == "file changed":
        _rewrite(archive, bad, media=lambda _n, data: data + b"!")
    elif damage == "file missing":
        _rewrite(
            archive,
            bad,
            manifest=lambda m: m["files"].update({"x/thiếu.pdf": {"size": 1, "sha256": "0"}}),
        )
    elif damage == "newer version":
        _rewrite(
            archive, bad, manifest=lambda m: m["migrations"].append(["members", "9999_future"])
        )
    else:
        other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
        _rewrite(archive, bad, manifest=lambda m: m.update(vendor=other))
    with pytest.raises(RuleViolation, match=message) as refused:
        backup.restore(bad)
    assert "bad.tar" in str(refused.value)
    assert every_row() == rows
    assert _media(var / "var" / "media") == files
    assert not list((var / "var").glob(".restore-*"))  # nothing left behind

    with pytest.raises(CommandError, match=message):
        call_command("restore", bad, interactive=False, stdout=io.StringIO())
