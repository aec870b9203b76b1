#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests and benchmarks: socket only, in a temporary directory.
#   scripts/pg.sh start DIR   → starts it, prints the DATABASE_URL to use
#   scripts/pg.sh restart DIR → restarts it (fast shutdown: open sessions are cut, as in a crash)
#   scripts/pg.sh replica PRIMARY_DIR DIR → a streaming replica of that server (pg_basebackup),
#                               started on its own socket directory; prints its DATABASE_URL
#   scripts/pg.sh stop DIR    → stops it and removes DIR
# As root (CI), the server runs as the `postgres` user, since initdb refuses root.
set -euo pipefail
cmd=${1:?start|restart|stop}
dir=${2:?directory}
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
  echo "PostgreSQL server binaries not found (looked in /usr/lib/postgresql/*/bin; set PGBIN)." >&2
  exit 1
fi
as_owner() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$cmd" in
  start)
    mkdir -p "$dir"
    if [ "$(id -u)" = "0" ]; then chown postgres "$dir"; fi
    as_owner "$PGBIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --locale-provider=icu --icu-locale=vi >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
      -o "-k $dir -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50 -c shared_buffers=256MB ${PG_EXTRA_OPTS:-}" >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    as_owner "$PGBIN/createdb" -h "$dir" -U postgres congdoan
    echo "postgres://postgres@/congdoan?host=$dir"
    ;;
  replica)
    primary=$dir
    dir=${3:?replica directory}
    mkdir -p "$dir"
    if [ "$(id -u)" = "0" ]; then chown postgres "$dir"; fi
    as_owner "$PGBIN/pg_basebackup" -h "$primary" -U postgres -D "$dir/data" -R -X stream -c fast \
      || exit 1
    as_owner "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
      -o "-k $dir -c listen_addresses='' -c fsync=off -c full_page_writes=off -c max_connections=50 -c shared_buffers=256MB -c hot_standby=on ${PG_EXTRA_OPTS:-}" >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    echo "postgres://postgres@/congdoan?host=$dir"
    ;;
  restart)
    as_owner "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -m fast -w -t 60 restart >/dev/null
    ;;
  stop)
    if [ -d "$dir/data" ]; then
      as_owner "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start|restart|stop DIR, or $0 replica PRIMARY_DIR DIR" >&2; exit 2 ;;
esac
