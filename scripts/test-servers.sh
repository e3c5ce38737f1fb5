# Sourced by scripts/test.sh: starts the database servers the scale-out
# tests talk to, each in a temporary directory on a spare loopback port, and
# stops them when the test run exits. A server that cannot start fails the
# run: its tests are never skipped.
#
# PostgreSQL (scripts/pg-cluster.sh): exports DATAFAST_TEST_POSTGRES, a libpq
# connection string without a database name. ClickHouse
# (scripts/clickhouse-server.sh): exports DATAFAST_TEST_CLICKHOUSE, HOST:PORT
# of its HTTP interface.

test_servers_dir=$(mktemp -d /tmp/datafast-servers-XXXXXX)
# Absolute: the caller may have changed directory by the time it exits.
test_servers_scripts=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
chmod 755 "$test_servers_dir"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

stop_test_servers() {
  [ -f "$test_servers_dir/pg/postmaster.pid" ] &&
    bash "$test_servers_scripts/pg-cluster.sh" stop "$test_servers_dir/pg" >/dev/null 2>&1
  bash "$test_servers_scripts/clickhouse-server.sh" stop "$test_servers_dir/clickhouse" >/dev/null 2>&1
  bash "$test_servers_scripts/clickhouse-cluster.sh" stop "$test_servers_dir/cluster" >/dev/null 2>&1
  rm -rf "$test_servers_dir"
}
trap stop_test_servers EXIT

pg_port=$(free_port)
bash scripts/pg-cluster.sh start "$test_servers_dir/pg" "$pg_port"
export DATAFAST_TEST_POSTGRES="host=127.0.0.1 port=$pg_port user=postgres"
echo "test-servers: PostgreSQL on 127.0.0.1:$pg_port"

ch_port=$(free_port)
bash scripts/clickhouse-server.sh start "$test_servers_dir/clickhouse" "$ch_port" "$(free_port)"
export DATAFAST_TEST_CLICKHOUSE="127.0.0.1:$ch_port"
echo "test-servers: ClickHouse on 127.0.0.1:$ch_port"

# A ClickHouse cluster (scripts/clickhouse-cluster.sh: ZooKeeper and two
# servers, each a shard): exports DATAFAST_TEST_CLICKHOUSE_CLUSTER, HOST:PORT
# of each server's HTTP interface, comma-separated.
read -r cluster_first cluster_second < <(bash scripts/clickhouse-cluster.sh start "$test_servers_dir/cluster")
[ -n "${cluster_second:-}" ] || { echo "test-servers: the ClickHouse cluster did not start" >&2; exit 1; }
export DATAFAST_TEST_CLICKHOUSE_CLUSTER="127.0.0.1:$cluster_first,127.0.0.1:$cluster_second"
echo "test-servers: ClickHouse cluster on $DATAFAST_TEST_CLICKHOUSE_CLUSTER"
