#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests, from Debian's postgresql package:
#   pg-cluster.sh start DIR PORT   initdb DIR (once) and start it on 127.0.0.1:PORT
#   pg-cluster.sh stop DIR         stop it at once (as a crash or an outage would)
# PostgreSQL refuses to run as root, so as root it runs as the `postgres`
# system user. Text compares in byte order (C collation), as in SQLite;
# durability is not under test, so the server skips fsync.
set -euo pipefail
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
[ -x "$PG_BIN/initdb" ] || { echo "pg-cluster: PostgreSQL is not installed (scripts/install-deps.sh installs it)" >&2; exit 1; }
as_db_user() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
command=$1 dir=$2
case "$command" in
  start)
    port=$3
    if [ ! -f "$dir/PG_VERSION" ]; then
      mkdir -p "$dir"
      if [ "$(id -u)" -eq 0 ]; then
        chown postgres "$dir"
        chmod 755 "$(dirname "$dir")"  # a mktemp directory is closed to the postgres user
      fi
      as_db_user "$PG_BIN/initdb" -D "$dir" -U postgres -A trust -E UTF8 --locale=C >"$dir.init.log" 2>&1 ||
        { cat "$dir.init.log" >&2; echo "pg-cluster: initdb failed" >&2; exit 1; }
    fi
    as_db_user "$PG_BIN/pg_ctl" -D "$dir" -w -t 60 -l "$dir/server.log" \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200" \
      start >/dev/null || { cat "$dir/server.log" >&2; echo "pg-cluster: PostgreSQL did not start" >&2; exit 1; }
    ;;
  stop)
    as_db_user "$PG_BIN/pg_ctl" -D "$dir" -m immediate -w stop >/dev/null
    ;;
  *)
    echo "usage: pg-cluster.sh start DIR PORT | stop DIR" >&2
    exit 2
    ;;
esac
