#!/usr/bin/env bash
# A throwaway ClickHouse cluster for tests: ZooKeeper (Debian's zookeeper
# package) and two ClickHouse servers (scripts/clickhouse-server.sh), the two
# shards of the cluster `datafast`, one replica each, on 127.0.0.1.
#   clickhouse-cluster.sh start DIR   prints the HTTP ports of the two servers
#   clickhouse-cluster.sh stop DIR
set -euo pipefail
cd "$(dirname "$0")/.."
command=$1 dir=$2
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
case "$command" in
  start)
    mkdir -p "$dir/zookeeper"
    zk_port=$(free_port)
    jars=/etc/zookeeper/conf
    for jar in zookeeper zookeeper-jute slf4j-api slf4j-simple netty log4j-1.2; do jars="$jars:/usr/share/java/$jar.jar"; done
    java -Xmx256m -cp "$jars" -Dzookeeper.admin.enableServer=false \
      org.apache.zookeeper.server.ZooKeeperServerMain "$zk_port" "$dir/zookeeper" >"$dir/zookeeper.log" 2>&1 &
    echo $! >"$dir/zookeeper.pid"
    for _ in $(seq 1 80); do
      python3 -c "import socket; socket.create_connection(('127.0.0.1', $zk_port), 0.2)" 2>/dev/null && break
      sleep 0.25
    done
    http=() tcp=()
    for n in 1 2; do http+=("$(free_port)"); tcp+=("$(free_port)"); done
    for n in 1 2; do
      cat >"$dir/node$n.xml" <<XML
  <remote_servers><datafast>
    <shard><internal_replication>true</internal_replication><replica><host>127.0.0.1</host><port>${tcp[0]}</port></replica></shard>
    <shard><internal_replication>true</internal_replication><replica><host>127.0.0.1</host><port>${tcp[1]}</port></replica></shard>
  </datafast></remote_servers>
  <zookeeper><node><host>127.0.0.1</host><port>$zk_port</port></node></zookeeper>
  <macros><shard>0$n</shard><replica>node$n</replica></macros>
  <interserver_http_host>127.0.0.1</interserver_http_host>
  <interserver_http_port>$(free_port)</interserver_http_port>
  <distributed_ddl><path>/clickhouse/task_queue/ddl</path></distributed_ddl>
XML
      bash scripts/clickhouse-server.sh start "$dir/node$n" "${http[$((n - 1))]}" "${tcp[$((n - 1))]}" "$dir/node$n.xml"
    done
    echo "${http[0]} ${http[1]}"
    ;;
  stop)
    for n in 1 2; do bash scripts/clickhouse-server.sh stop "$dir/node$n"; done
    if [ -f "$dir/zookeeper.pid" ]; then
      kill -9 "$(cat "$dir/zookeeper.pid")" 2>/dev/null || true
      rm -f "$dir/zookeeper.pid"
    fi
    ;;
  *)
    echo "usage: clickhouse-cluster.sh start DIR | stop DIR" >&2
    exit 2
    ;;
esac
