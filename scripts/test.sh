#!/usr/bin/env bash
# Everything `make test` runs, in order, on any machine (CI runs the same through `make test`).
# No stage and no test is skipped because a tool is missing: what the tests need from the system
# is installed first when running as root (Debian's apt-get), else the run stops and says what to
# install.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export PATH="$PWD/$BIN:$PATH"
export DJANGO_SETTINGS_MODULE=congdoan.settings
export CONGDOAN_VAR_DIR="${CONGDOAN_VAR_DIR:-$PWD/var/test}"
unset DATABASE_URL
ARTIFACTS=${ARTIFACTS:-$PWD/artifacts}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
mkdir -p "$CONGDOAN_VAR_DIR" "$ARTIFACTS"
PYTEST_WORKERS=${PYTEST_WORKERS:-2}

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

# What the tests need from the system, as the Debian packages that provide it.
missing_packages() {
  local missing=()
  # GNU gettext: the translation catalogues are current (core/tests/test_translations.py).
  command -v xgettext >/dev/null || missing+=(gettext)
  # Chromium and a font with every Vietnamese glyph for the browser tests.
  [ -x "$CHROMIUM" ] || missing+=(chromium)
  [ -f /usr/share/fonts/truetype/noto/NotoSans-Regular.ttf ] || missing+=(fonts-noto-core)
  # WeasyPrint's Pango and the PDFs' fonts (core/pdf.py).
  python -c "import weasyprint" >/dev/null 2>&1 || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
  [ -f /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf ] || missing+=(fonts-dejavu-core)
  # The PostgreSQL server binaries for the throwaway server (scripts/pg.sh).
  local pgbin=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
  [ -n "$pgbin" ] && [ -x "$pgbin/initdb" ] || missing+=(postgresql)
  echo "${missing[@]}"
}

read -r -a missing <<<"$(missing_packages)"
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "Installing Debian packages the tests need: ${missing[*]}…"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") >/dev/null \
      || { echo "apt-get could not install: ${missing[*]}" >&2; exit 1; }
    read -r -a missing <<<"$(missing_packages)"
  fi
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "The tests need these Debian packages, which are missing: ${missing[*]}." >&2
    echo "Install them (sudo apt-get install ${missing[*]}), or run \`make test\` as root," >&2
    echo "which installs them. No test is skipped for a missing tool." >&2
    exit 1
  fi
fi

step "ruff (lint and format)"
ruff check .
ruff format --check .

step "mypy"
mypy congdoan

step "Django checks, migrations, translations"
congdoan check --fail-level WARNING
congdoan makemigrations --check --dry-run >/dev/null || { congdoan makemigrations --check --dry-run; exit 1; }
CONGDOAN_ENV=production SECRET_KEY="$(python -c 'import secrets;print(secrets.token_urlsafe(50))')" \
  ALLOWED_HOSTS=congdoan.example.org DATABASE_URL="sqlite:///$CONGDOAN_VAR_DIR/deploy-check.sqlite3" \
  congdoan check --deploy --fail-level WARNING

step "tests on SQLite"
# Migrated once; each worker's in-memory test database starts as a copy of it (conftest.py).
rm -f "$CONGDOAN_VAR_DIR/template.sqlite3"
DATABASE_URL="sqlite:///$CONGDOAN_VAR_DIR/template.sqlite3" congdoan migrate -v0
CONGDOAN_TEST_SQLITE_TEMPLATE="$CONGDOAN_VAR_DIR/template.sqlite3" pytest -n "$PYTEST_WORKERS" -m "not browser" -q --durations=15

step "tests on PostgreSQL"
PGDIR=$(mktemp -d /tmp/congdoan-pg.XXXXXX)
trap 'scripts/pg.sh stop "$PGDIR"' EXIT
DATABASE_URL=$(scripts/pg.sh start "$PGDIR") || { echo "PostgreSQL could not be started." >&2; exit 1; }
# Migrated once; each worker's test database is created as a copy of it (settings.py).
DATABASE_URL="$DATABASE_URL" congdoan migrate -v0
DATABASE_URL="$DATABASE_URL" CONGDOAN_TEST_DB_TEMPLATE=congdoan \
  pytest -n "$PYTEST_WORKERS" -m "not browser" -q --durations=15

step "browser tests in Chromium"
# On a test database in a file: the live server's threads each get their own connection.
CONGDOAN_TEST_SQLITE_TEMPLATE="$CONGDOAN_VAR_DIR/template.sqlite3" \
  CONGDOAN_TEST_SQLITE_FILE="$CONGDOAN_VAR_DIR/browser.sqlite3" \
  CHROMIUM="$CHROMIUM" ARTIFACTS="$ARTIFACTS" pytest -m browser -q -p no:randomly
step "all tests passed"
