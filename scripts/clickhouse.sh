#!/usr/bin/env bash
# Runs ClickHouse servers on loopback for the tests, the benchmarks and local
# trials of the ClickHouse store, without systemd and without touching /etc.
#
#   scripts/clickhouse.sh start [N]    start N servers (1, or 2 as a two-shard
#                                      cluster), wait until they answer and
#                                      print the environment to use them
#   scripts/clickhouse.sh stop [N]     stop them (every set when N is omitted)
#   scripts/clickhouse.sh status [N]   say whether they run
#   scripts/clickhouse.sh install      only install clickhouse-server
#
# Installs Debian's clickhouse-server when it is missing. Each set of servers
# lives under $SHUKEI_CLICKHOUSE_DIR (default: $TMPDIR/shukei-clickhouse) in
# n1/ or n2/: configuration, data, logs and pid files. Ports: the first TCP
# port is $SHUKEI_CLICKHOUSE_PORT, or the first free one from 19000 (one
# server) or 19100 (two); each server uses the TCP port and, for the health
# check, that port + 10 for HTTP. Servers listen on 127.0.0.1 only.
#
# The two servers of N=2 form the cluster "shukei_two_shards": one shard
# each, no replicas, so no ZooKeeper is needed.
#
# Idempotent: starting a running set prints its environment again.
set -euo pipefail

CLUSTER=shukei_two_shards
base="${SHUKEI_CLICKHOUSE_DIR:-${TMPDIR:-/tmp}/shukei-clickhouse}"

usage() {
	sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

# install puts clickhouse-server on the PATH from Debian's packages.
install() {
	if command -v clickhouse-server >/dev/null 2>&1; then
		return
	fi
	echo "== installing clickhouse-server (Debian package)" >&2
	export DEBIAN_FRONTEND=noninteractive
	local sudo_cmd=()
	if [ "$(id -u)" -ne 0 ]; then
		sudo_cmd=(sudo)
	fi
	"${sudo_cmd[@]}" apt-get update -qq
	# Debian's package starts no service in a container without systemd;
	# stop any that an init system started anyway, since ours run on their
	# own ports and directories.
	"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends clickhouse-server >/dev/null
	if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet clickhouse-server 2>/dev/null; then
		"${sudo_cmd[@]}" systemctl stop clickhouse-server || true
	fi
}

# port_used succeeds when something accepts connections on the port.
port_used() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# ping succeeds when the server on the HTTP port answers "Ok.".
ping() {
	local reply
	reply=$( (exec 3<>"/dev/tcp/127.0.0.1/$1" &&
		printf 'GET /ping HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3 &&
		timeout 2 cat <&3) 2>/dev/null || true)
	[[ "$reply" == *"Ok."* ]]
}

# first_port picks the set's first TCP port: the configured one, the one
# of a previous start, or the first from def where all the set's ports
# (TCP and HTTP of each server) are free.
first_port() {
	local dir=$1 n=$2 def=$3
	if [ -n "${SHUKEI_CLICKHOUSE_PORT:-}" ]; then
		echo "$SHUKEI_CLICKHOUSE_PORT"
		return
	fi
	if [ -f "$dir/port" ]; then
		cat "$dir/port"
		return
	fi
	local p=$def i free
	while [ "$p" -lt $((def + 400)) ]; do
		free=1
		for ((i = 0; i < n; i++)); do
			if port_used $((p + i)) || port_used $((p + i + 10)); then
				free=0
			fi
		done
		if [ "$free" = 1 ]; then
			echo "$p"
			return
		fi
		p=$((p + 20))
	done
	echo "no free ports from $def" >&2
	exit 1
}

# remote_servers lists the cluster's shards for each server's config.
remote_servers() {
	local first=$1 n=$2 i
	[ "$n" -ge 2 ] || return 0
	echo "    <remote_servers>"
	echo "        <$CLUSTER>"
	for ((i = 0; i < n; i++)); do
		echo "            <shard><replica><host>127.0.0.1</host><port>$((first + i))</port></replica></shard>"
	done
	echo "        </$CLUSTER>"
	echo "    </remote_servers>"
}

# write_config writes one server's configuration under its directory.
write_config() {
	local dir=$1 tcp=$2 first=$3 n=$4
	mkdir -p "$dir/data" "$dir/tmp" "$dir/user_files" "$dir/log" "$dir/format_schemas"
	cat >"$dir/config.xml" <<EOF
<?xml version="1.0"?>
<!-- Written by scripts/clickhouse.sh: a loopback-only test server. -->
<yandex>
    <logger>
        <level>warning</level>
        <log>$dir/log/server.log</log>
        <errorlog>$dir/log/error.log</errorlog>
        <size>10M</size>
        <count>2</count>
    </logger>
    <listen_host>127.0.0.1</listen_host>
    <tcp_port>$tcp</tcp_port>
    <http_port>$((tcp + 10))</http_port>
    <path>$dir/data/</path>
    <tmp_path>$dir/tmp/</tmp_path>
    <user_files_path>$dir/user_files/</user_files_path>
    <format_schema_path>$dir/format_schemas/</format_schema_path>
    <users_config>$dir/users.xml</users_config>
    <default_profile>default</default_profile>
    <default_database>default</default_database>
    <timezone>UTC</timezone>
    <max_concurrent_queries>100</max_concurrent_queries>
    <mark_cache_size>268435456</mark_cache_size>
    <uncompressed_cache_size>268435456</uncompressed_cache_size>
$(remote_servers "$first" "$n")
</yandex>
EOF
	cat >"$dir/users.xml" <<EOF
<?xml version="1.0"?>
<yandex>
    <profiles>
        <default>
            <max_memory_usage>4000000000</max_memory_usage>
            <load_balancing>random</load_balancing>
        </default>
    </profiles>
    <users>
        <default>
            <password></password>
            <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
            <profile>default</profile>
            <quota>default</quota>
        </default>
    </users>
    <quotas>
        <default>
            <interval>
                <duration>3600</duration>
                <queries>0</queries>
                <errors>0</errors>
                <result_rows>0</result_rows>
                <read_rows>0</read_rows>
                <execution_time>0</execution_time>
            </interval>
        </default>
    </quotas>
</yandex>
EOF
}

# running succeeds when the server of a directory runs.
running() {
	local dir=$1
	[ -f "$dir/pid" ] && kill -0 "$(cat "$dir/pid")" 2>/dev/null
}

start_server() {
	local dir=$1 tcp=$2 first=$3 n=$4
	if running "$dir"; then
		return
	fi
	if port_used "$tcp" || port_used $((tcp + 10)); then
		echo "port $tcp or $((tcp + 10)) is taken by another program" >&2
		exit 1
	fi
	write_config "$dir" "$tcp" "$first" "$n"
	(cd "$dir" && exec setsid clickhouse-server --config-file="$dir/config.xml" \
		</dev/null >>"$dir/log/stdout.log" 2>&1) &
	echo $! >"$dir/pid"
}

wait_ready() {
	local dir=$1 tcp=$2 i
	for ((i = 0; i < 300; i++)); do
		if ping $((tcp + 10)); then
			return
		fi
		if ! running "$dir"; then
			echo "clickhouse-server in $dir exited:" >&2
			tail -n 20 "$dir/log/stdout.log" "$dir/log/error.log" >&2 2>/dev/null || true
			exit 1
		fi
		sleep 0.1
	done
	echo "clickhouse-server in $dir did not answer on port $tcp within 30 s" >&2
	exit 1
}

print_env() {
	local dir=$1 n=$2 first
	first=$(cat "$dir/port")
	if [ "$n" = 1 ]; then
		echo "export SHUKEI_TEST_CLICKHOUSE=127.0.0.1:$first"
		echo "export SHUKEI_TEST_CLICKHOUSE_LOGS=$dir/shard1/log"
		echo "# shukei serve -store clickhouse://127.0.0.1:$first/shukei"
	else
		echo "export SHUKEI_TEST_CLICKHOUSE_CLUSTER=127.0.0.1:$first"
		echo "export SHUKEI_TEST_CLICKHOUSE_CLUSTER_NAME=$CLUSTER"
		echo "export SHUKEI_TEST_CLICKHOUSE_CLUSTER_LOGS=$dir/shard1/log:$dir/shard2/log"
		echo "# shukei serve -store clickhouse://127.0.0.1:$first/shukei -clickhouse-cluster $CLUSTER"
	fi
}

cmd_start() {
	local n=$1 dir="$base/n$1" def=19000 first i
	[ "$n" = 2 ] && def=19100
	install
	mkdir -p "$dir"
	first=$(first_port "$dir" "$n" "$def")
	echo "$first" >"$dir/port"
	for ((i = 0; i < n; i++)); do
		start_server "$dir/shard$((i + 1))" $((first + i)) "$first" "$n"
	done
	for ((i = 0; i < n; i++)); do
		wait_ready "$dir/shard$((i + 1))" $((first + i))
	done
	print_env "$dir" "$n"
}

stop_server() {
	local dir=$1 pid i
	running "$dir" || { rm -f "$dir/pid"; return 0; }
	pid=$(cat "$dir/pid")
	kill -TERM "$pid" 2>/dev/null || true
	for ((i = 0; i < 300; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		echo "clickhouse-server $pid did not stop in 30 s; killing it" >&2
		kill -KILL "$pid" 2>/dev/null || true
	fi
	rm -f "$dir/pid"
}

cmd_stop() {
	local sets=("$@") s d
	[ ${#sets[@]} -gt 0 ] || sets=(1 2)
	for s in "${sets[@]}"; do
		for d in "$base/n$s"/shard*; do
			[ -d "$d" ] && stop_server "$d"
		done
	done
	return 0
}

cmd_status() {
	local sets=("$@") s d state=0
	[ ${#sets[@]} -gt 0 ] || sets=(1 2)
	for s in "${sets[@]}"; do
		for d in "$base/n$s"/shard*; do
			[ -d "$d" ] || continue
			if running "$d"; then
				echo "n$s/$(basename "$d"): running (pid $(cat "$d/pid"))"
			else
				echo "n$s/$(basename "$d"): stopped"
				state=3
			fi
		done
	done
	return $state
}

n=${2:-1}
case "$n" in 1 | 2) ;; *) usage ;; esac
case "${1:-}" in
install) install ;;
start) cmd_start "$n" ;;
stop) if [ $# -ge 2 ]; then cmd_stop "$n"; else cmd_stop; fi ;;
status) if [ $# -ge 2 ]; then cmd_status "$n"; else cmd_status; fi ;;
*) usage ;;
esac
