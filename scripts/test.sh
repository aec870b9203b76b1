#!/usr/bin/env bash
# Everything `make test` runs, in order. CI runs this through `make test` with CI=true, where the
# PostgreSQL and browser stages are mandatory.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export PATH="$PWD/$BIN:$PATH"
export DJANGO_SETTINGS_MODULE=congdoan.settings
export CONGDOAN_VAR_DIR="${CONGDOAN_VAR_DIR:-$PWD/var/test}"
unset DATABASE_URL
CI=${CI:-false}
ARTIFACTS=${ARTIFACTS:-$PWD/artifacts}
mkdir -p "$CONGDOAN_VAR_DIR" "$ARTIFACTS"
PYTEST_WORKERS=${PYTEST_WORKERS:-2}

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

# GNU gettext checks that the translation catalogues are current (core/tests/test_translations.py).
if ! command -v xgettext >/dev/null && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's gettext package…"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext) >/dev/null
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
pytest -n "$PYTEST_WORKERS" -m "not browser" -q

step "tests on PostgreSQL"
PGDIR=$(mktemp -d /tmp/congdoan-pg.XXXXXX)
trap 'scripts/pg.sh stop "$PGDIR"' EXIT
if DATABASE_URL=$(scripts/pg.sh start "$PGDIR"); then
  DATABASE_URL="$DATABASE_URL" pytest -n "$PYTEST_WORKERS" -m "not browser" -q
else
  if [ "$CI" = "true" ]; then echo "PostgreSQL could not be started; it is mandatory in CI." >&2; exit 1; fi
  echo "WARNING: PostgreSQL could not be started; PostgreSQL tests skipped (mandatory in CI)." >&2
fi

step "browser tests in Chromium"
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's chromium package…"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core) >/dev/null
  fi
fi
if [ -x "$CHROMIUM" ]; then
  CHROMIUM="$CHROMIUM" ARTIFACTS="$ARTIFACTS" pytest -m browser -q -p no:randomly
else
  if [ "$CI" = "true" ]; then echo "Chromium is missing; browser tests are mandatory in CI." >&2; exit 1; fi
  echo "WARNING: Chromium not found at $CHROMIUM (install Debian's 'chromium' package: sudo apt-get install chromium); browser tests skipped." >&2
fi
step "all tests passed"
