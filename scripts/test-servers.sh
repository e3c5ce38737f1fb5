# Sourced by scripts/test.sh: starts the database servers the scale-out
# tests talk to, each in a temporary directory on a spare loopback port, and
# stops them when the test run exits. A server that cannot start fails the
# run: its tests are never skipped.
#
# PostgreSQL (Debian's postgresql package) refuses to run as root, so as root
# it runs as the `postgres` system user. Exports DATAFAST_TEST_POSTGRES, a
# libpq connection string without a database name.

PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
[ -x "$PG_BIN/initdb" ] || { echo "test-servers: PostgreSQL is not installed (scripts/install-deps.sh installs it)" >&2; exit 1; }

test_servers_dir=$(mktemp -d /tmp/datafast-servers-XXXXXX)
chmod 755 "$test_servers_dir"
as_db_user() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

stop_test_servers() {
  [ -f "$test_servers_dir/pg/postmaster.pid" ] && as_db_user "$PG_BIN/pg_ctl" -D "$test_servers_dir/pg" -m immediate stop >/dev/null 2>&1
  rm -rf "$test_servers_dir"
}
trap stop_test_servers EXIT

pg_port=$(free_port)
mkdir -p "$test_servers_dir/pg"
[ "$(id -u)" -eq 0 ] && chown postgres "$test_servers_dir/pg"
# C collation: text compares in byte order, as in SQLite. Durability is not
# under test here, so the server skips fsync.
as_db_user "$PG_BIN/initdb" -D "$test_servers_dir/pg" -U postgres -A trust -E UTF8 --locale=C >"$test_servers_dir/pg-init.log" 2>&1 ||
  { cat "$test_servers_dir/pg-init.log" >&2; echo "test-servers: initdb failed" >&2; exit 1; }
as_db_user "$PG_BIN/pg_ctl" -D "$test_servers_dir/pg" -w -t 60 -l "$test_servers_dir/pg/server.log" \
  -o "-p $pg_port -k $test_servers_dir/pg -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200" start >/dev/null ||
  { cat "$test_servers_dir/pg/server.log" >&2; echo "test-servers: PostgreSQL did not start" >&2; exit 1; }
export DATAFAST_TEST_POSTGRES="host=127.0.0.1 port=$pg_port user=postgres"
echo "test-servers: PostgreSQL on 127.0.0.1:$pg_port"
