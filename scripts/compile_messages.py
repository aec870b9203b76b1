"""Compile the .po catalogues to .mo with polib (no GNU gettext needed at install time).

Both the apps' catalogues (congdoan/<app>/locale/) and the project catalogue for third-party
packages (congdoan/locale/, in LOCALE_PATHS) match the pattern below.
"""

from pathlib import Path

import polib

root = Path(__file__).resolve().parent.parent / "congdoan"
for po_path in root.glob("**/locale/*/LC_MESSAGES/*.po"):
    mo_path = po_path.with_suffix(".mo")
    if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
        continue
    polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
