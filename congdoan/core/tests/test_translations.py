"""Every app's Vietnamese catalogue is complete, current and consistent.

Vietnamese is the default language, so an untranslated message is a defect users see.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(ROOT.glob("*/locale/vi/LC_MESSAGES/django.po"))
APPS_WITH_TEXT = sorted(
    p.parent.name for p in ROOT.glob("*/apps.py") if p.parent.name not in {"demo"}
)
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w*)\}")


def test_every_app_has_a_catalogue():
    with_catalogue = {p.parents[3].name for p in CATALOGUES}
    assert set(APPS_WITH_TEXT) <= with_catalogue, set(APPS_WITH_TEXT) - with_catalogue


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parents[3].name)
def test_catalogue_is_complete(path):
    po = polib.pofile(str(path))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"untranslated in {path}: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy in {path}: {fuzzy[:10]}"
    for entry in po.translated_entries():
        wanted = sorted(set(PLACEHOLDER.findall(entry.msgid)))
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            assert sorted(set(PLACEHOLDER.findall(text))) == wanted, (
                f"placeholders differ: {entry.msgid!r}"
            )


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parents[3].name)
def test_catalogue_is_current(path, tmp_path):
    """makemessages on a copy of the app finds no message missing from the catalogue."""
    if shutil.which("xgettext") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("GNU gettext (xgettext) is needed to check the catalogues")
        pytest.skip("xgettext not installed")
    app_dir = path.parents[3]
    copy = tmp_path / app_dir.name
    shutil.copytree(app_dir, copy, ignore=shutil.ignore_patterns("__pycache__", "tests"))
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "vi", "--no-obsolete"],
        cwd=copy,
        check=True,
        capture_output=True,
        # PYTHONSAFEPATH: the app's own modules (e.g. selectors.py) must not shadow the stdlib.
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "congdoan.settings", "PYTHONSAFEPATH": "1"},
    )
    fresh = {
        (e.msgctxt, e.msgid)
        for e in polib.pofile(str(copy / "locale/vi/LC_MESSAGES/django.po"))
        if not e.obsolete
    }
    known = {(e.msgctxt, e.msgid) for e in polib.pofile(str(path)) if not e.obsolete}
    missing = sorted(fresh - known)
    assert not missing, f"run makemessages in {app_dir.name}: missing {missing[:10]}"


def test_catalogues_agree():
    """Django merges the apps' catalogues into one, so a message translated differently in two
    apps would show the first app's wording everywhere. Different meanings need a context
    (pgettext), the same meaning needs the same words."""
    seen: dict[tuple[str | None, str], dict[str, str]] = {}
    for path in CATALOGUES:
        for entry in polib.pofile(str(path)).translated_entries():
            key = (entry.msgctxt, entry.msgid)
            seen.setdefault(key, {})[path.parents[3].name] = entry.msgstr
    conflicts = {key: apps for key, apps in seen.items() if len(set(apps.values())) > 1}
    assert not conflicts, conflicts
