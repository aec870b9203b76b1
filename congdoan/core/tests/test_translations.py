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
    """makemessages on a copy of the app finds no message missing from the catalogue. It needs
    GNU gettext: never skipped without it (`make test` installs it)."""
    if shutil.which("xgettext") is None:
        pytest.fail(
            "GNU gettext (xgettext) is needed to check that the catalogues are current: run "
            "`make test`, which installs it (Debian's gettext package), or install it yourself "
            "(sudo apt-get install gettext)."
        )
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
    missing = sorted(fresh - known, key=str)
    assert not missing, f"run makemessages in {app_dir.name}: missing {missing[:10]}"


def test_catalogues_agree():
    """Django merges the apps' catalogues into one, so a message translated differently in two
    apps would show the first app's wording everywhere. Different meanings need a context
    (pgettext), the same meaning needs the same words."""
    seen: dict[tuple[str | None, str], dict[str, str]] = {}
    # The project catalogue (third-party messages) takes precedence over every app's, so it
    # must not reword a message an app already translates.
    labelled = [(path.parents[3].name, path) for path in CATALOGUES]
    for name, path in [*labelled, ("congdoan/locale", PROJECT_CATALOGUE)]:
        for entry in polib.pofile(str(path)).translated_entries():
            key = (entry.msgctxt, entry.msgid)
            seen.setdefault(key, {})[name] = entry.msgstr
    conflicts = {key: apps for key, apps in seen.items() if len(set(apps.values())) > 1}
    assert not conflicts, conflicts


# --- Third-party packages --------------------------------------------------------------------
# congdoan/locale/ (in LOCALE_PATHS) holds the Vietnamese that third-party packages lack. It is
# not an app catalogue: CATALOGUES ("*/locale") does not match it, so the makemessages check
# above never runs on it (it is maintained by hand, it has no source of its own).
PROJECT_CATALOGUE = ROOT / "locale/vi/LC_MESSAGES/django.po"
# Every format specifier, positional ones (%s, {0}, {code_point:X}) included.
FORMAT_SPEC = re.compile(r"%(?:\(\w+\))?[sd]|\{[^{}]*\}")
# Messages whose Vietnamese is legitimately the same as the English. Keep it tiny.
SAME_IN_VIETNAMESE: set[str] = set()


def _catalogue(directory: Path) -> polib.POFile | polib.MOFile:
    """The package's .po if it ships one, else its compiled .mo (DRF's wheel has only .mo)."""
    po = directory / "django.po"
    return polib.pofile(str(po)) if po.exists() else polib.mofile(str(directory / "django.mo"))


def test_project_catalogue_is_not_an_app_catalogue():
    assert PROJECT_CATALOGUE.exists()
    assert PROJECT_CATALOGUE not in CATALOGUES


def test_project_catalogue_is_in_locale_paths(settings):
    assert PROJECT_CATALOGUE.parents[2] in [Path(p) for p in settings.LOCALE_PATHS]


def test_project_catalogue_is_complete_and_keeps_placeholders():
    po = polib.pofile(str(PROJECT_CATALOGUE))
    assert po.metadata["Plural-Forms"] == "nplurals=1; plural=0;"
    assert not po.untranslated_entries(), [e.msgid for e in po.untranslated_entries()][:10]
    assert not po.fuzzy_entries(), [e.msgid for e in po.fuzzy_entries()][:10]
    for entry in po.translated_entries():
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        assert len(translations) == 1, f"Vietnamese has one plural form: {entry.msgid!r}"
        for text in translations:
            assert sorted(set(PLACEHOLDER.findall(text))) == sorted(
                set(PLACEHOLDER.findall(entry.msgid))
            ), f"placeholders differ: {entry.msgid!r}"
            assert sorted(FORMAT_SPEC.findall(text)) == sorted(FORMAT_SPEC.findall(entry.msgid)), (
                f"format specifiers differ: {entry.msgid!r}"
            )


def test_rest_framework_is_translated():
    """Every message of DRF's English catalogue comes out in Vietnamese, whichever catalogue
    (ours, DRF's own vi, Django's) provides it."""
    import rest_framework
    from django.utils import translation

    english = _catalogue(Path(rest_framework.__file__).parent / "locale/en/LC_MESSAGES")
    entries = [e for e in english if e.msgid and not e.obsolete]
    assert len(entries) > 100
    untranslated = []
    with translation.override("vi"):
        for e in entries:
            if e.msgid in SAME_IN_VIETNAMESE:
                continue
            if e.msgid_plural:
                results = [
                    translation.npgettext(e.msgctxt, e.msgid, e.msgid_plural, n)
                    if e.msgctxt
                    else translation.ngettext(e.msgid, e.msgid_plural, n)
                    for n in (1, 2)
                ]
                english_forms = [e.msgid, e.msgid_plural]
            else:
                results = [
                    translation.pgettext(e.msgctxt, e.msgid)
                    if e.msgctxt
                    else translation.gettext(e.msgid)
                ]
                english_forms = [e.msgid]
            if any(r in english_forms or not r.strip() for r in results):
                untranslated.append(e.msgid)
    assert not untranslated, untranslated


@pytest.mark.django_db
def test_api_errors_are_vietnamese_by_default(client):
    response = client.get("/api/v1/units/")
    assert response.status_code == 401
    assert response.json()["detail"] == "Chưa cung cấp thông tin xác thực."

    response = client.get("/api/v1/units/", HTTP_AUTHORIZATION="Token cd_not-a-real-token")
    assert response.status_code == 401
    assert response.json()["detail"] == "Mã truy cập không hợp lệ."


@pytest.mark.django_db
def test_api_errors_are_english_on_request(client):
    response = client.get("/api/v1/units/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert response.json()["detail"] == "Authentication credentials were not provided."
