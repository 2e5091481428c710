#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 cluster on 127.0.0.1:$PGPORT with a fresh database "arena" and prints its URL.
# Usage: .ci/start-postgres.sh start|stop|restart [fast|immediate]
#   PGDATA and PGPORT may be set (defaults /tmp/hep-arena-pg, 5433); PG_SERVER_OPTIONS adds server options at start
#   (e.g. "-c synchronous_commit=on"). restart keeps the data and the options and waits until the server accepts
#   connections again (used by tests that restart a cluster of their own mid-work).
set -euo pipefail
PGBIN=$(ls -d /usr/lib/postgresql/15/bin 2>/dev/null || ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
PGDATA=${PGDATA:-/tmp/hep-arena-pg}
PGPORT=${PGPORT:-5433}
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "${1:-start}" in
  start)
    if [ -s "$PGDATA/postmaster.pid" ]; then as_postgres "$PGBIN/pg_ctl" -D "$PGDATA" stop -m fast >/dev/null || true; fi
    rm -rf "$PGDATA"; mkdir -p "$PGDATA"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$PGDATA"
    as_postgres "$PGBIN/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 --no-sync >/dev/null
    as_postgres "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k /tmp -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 ${PG_SERVER_OPTIONS:-}" start >/dev/null
    as_postgres "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres arena
    echo "postgres://postgres@127.0.0.1:$PGPORT/arena"
    ;;
  stop)
    as_postgres "$PGBIN/pg_ctl" -D "$PGDATA" stop -m fast >/dev/null || true
    ;;
  restart)
    # pg_ctl restart reuses the options of the running server (postmaster.opts); only the log file is given again.
    as_postgres "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w restart -m "${2:-fast}" >/dev/null
    ;;
  *)
    echo "usage: $0 start|stop|restart [fast|immediate]" >&2; exit 2
    ;;
esac
