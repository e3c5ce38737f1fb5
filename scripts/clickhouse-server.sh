#!/usr/bin/env bash
# A throwaway ClickHouse server for tests, from Debian's clickhouse-server
# package (18.16):
#   clickhouse-server.sh start DIR HTTP_PORT TCP_PORT [XML]
#       start it on 127.0.0.1 with its data in DIR; XML, a file of more
#       settings for its config (scripts/clickhouse-cluster.sh gives one)
#   clickhouse-server.sh stop DIR
#       stop it at once (as a crash or an outage would)
# Waits until the HTTP interface answers.
set -euo pipefail
command=$1 dir=$2
case "$command" in
  start)
    http_port=$3 tcp_port=$4 more=${5:-/dev/null}
    mkdir -p "$dir/data" "$dir/tmp" "$dir/user_files" "$dir/format_schemas"
    cat >"$dir/config.xml" <<XML
<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>$dir/server.log</log><errorlog>$dir/error.log</errorlog><console>0</console></logger>
  <http_port>$http_port</http_port>
  <tcp_port>$tcp_port</tcp_port>
  <listen_host>127.0.0.1</listen_host>
  <path>$dir/data/</path>
  <tmp_path>$dir/tmp/</tmp_path>
  <user_files_path>$dir/user_files/</user_files_path>
  <format_schema_path>$dir/format_schemas/</format_schema_path>
  <mark_cache_size>268435456</mark_cache_size>
  <users_config>$dir/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
$(cat "$more")
</yandex>
XML
    cat >"$dir/users.xml" <<XML
<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>4000000000</max_memory_usage></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default></users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
XML
    clickhouse-server --config-file="$dir/config.xml" >"$dir/stdout.log" 2>&1 &
    echo $! >"$dir/server.pid"
    for _ in $(seq 1 120); do
      if curl -sf "http://127.0.0.1:$http_port/ping" >/dev/null; then exit 0; fi
      sleep 0.25
    done
    cat "$dir/stdout.log" "$dir/error.log" >&2 2>/dev/null || true
    echo "clickhouse-server: ClickHouse did not start" >&2
    exit 1
    ;;
  stop)
    if [ -f "$dir/server.pid" ]; then
      pid=$(cat "$dir/server.pid")
      kill -9 "$pid" 2>/dev/null || true
      while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
      rm -f "$dir/server.pid"
    fi
    ;;
  *)
    echo "usage: clickhouse-server.sh start DIR HTTP_PORT TCP_PORT [XML] | stop DIR" >&2
    exit 2
    ;;
esac
