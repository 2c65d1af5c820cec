#!/usr/bin/env bash
# Runs a multi-node Shukei deployment on loopback (docs/deploy.md): two
# ingest nodes behind nginx, which keeps each client network (/24, /48) on
# one of them, one dashboard node, one jobs node, and a two-shard ClickHouse
# cluster. For trying a deployment, for the cluster test and for benchmarks.
#
#   scripts/cluster.sh up             start everything, print the environment
#   scripts/cluster.sh down           stop everything this script started
#   scripts/cluster.sh status         say what runs
#   scripts/cluster.sh kill NODE      kill -9 one node (ingest1, ingest2,
#                                     dashboard, jobs, jobs2)
#   scripts/cluster.sh start NODE     start one node (again); jobs2 is a
#                                     second jobs node, not started by up
#   scripts/cluster.sh balance N      send hits to the first N ingest nodes
#                                     only (1 or 2; nginx reloads)
#
# Everything lives under $SHUKEI_CLUSTER_DIR (default
# $TMPDIR/shukei-cluster): each node's -data and log, the balancer's
# configuration, the Stats API token, and the ClickHouse servers when this
# script starts them. Environment:
#
#   SHUKEI_BIN                  shukei binary (default: built into the dir)
#   SHUKEI_CLUSTER_PORT         first port (default: first free from 18400):
#                               balancer, ingest1, ingest2, dashboard, jobs,
#                               jobs2 on consecutive ports
#   SHUKEI_CLUSTER_CLICKHOUSE   host:port of a running two-shard cluster's
#                               first shard (default: start one with
#                               scripts/clickhouse.sh start 2)
#   SHUKEI_CLUSTER_CLICKHOUSE_NAME  its cluster name (shukei_two_shards)
#   SHUKEI_CLUSTER_DATABASE     database (default: shukei)
#   SHUKEI_CLUSTER_SITES        sites, comma-separated (example.org)
#   SHUKEI_CLUSTER_LEASE_TTL    jobs lease time to live (10s)
#   SHUKEI_CLUSTER_FLAGS        extra flags for every node
#   SHUKEI_CLUSTER_BALANCER     nginx (default) or haproxy
#
# Every process listens on 127.0.0.1 only. Idempotent: up on a running
# deployment starts what is missing and prints the environment again.
set -euo pipefail
cd "$(dirname "$0")/.."

dir="${SHUKEI_CLUSTER_DIR:-${TMPDIR:-/tmp}/shukei-cluster}"
NODES=(ingest1 ingest2 dashboard jobs jobs2)

usage() {
	sed -n '2,34p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

port_used() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# first_port keeps the ports of a previous up, else finds six free ones.
first_port() {
	if [ -f "$dir/port" ]; then
		cat "$dir/port"
		return
	fi
	if [ -n "${SHUKEI_CLUSTER_PORT:-}" ]; then
		echo "$SHUKEI_CLUSTER_PORT"
		return
	fi
	local p=18400 i free
	while [ "$p" -lt 19000 ]; do
		free=1
		for ((i = 0; i < 6; i++)); do
			port_used $((p + i)) && free=0
		done
		if [ "$free" = 1 ]; then
			echo "$p"
			return
		fi
		p=$((p + 10))
	done
	echo "no six free ports from 18400" >&2
	exit 1
}

port_of() {
	local base i
	base=$(cat "$dir/port")
	case "$1" in
	lb) i=0 ;; ingest1) i=1 ;; ingest2) i=2 ;; dashboard) i=3 ;; jobs) i=4 ;; jobs2) i=5 ;;
	*) echo "unknown node $1 (${NODES[*]})" >&2 && exit 2 ;;
	esac
	echo $((base + i))
}

# alive succeeds while the process runs: a killed process whose parent
# is gone may stay a zombie where nothing reaps orphans, and kill -0
# still finds a zombie.
alive() {
	local state
	kill -0 "$1" 2>/dev/null || return 1
	state=$(ps -o stat= -p "$1" 2>/dev/null || true)
	[ -n "$state" ] && [[ "$state" != Z* ]]
}

running() {
	[ -f "$1" ] && alive "$(cat "$1")"
}

# healthy succeeds when the node answers /healthz.
healthy() {
	local reply
	reply=$( (exec 3<>"/dev/tcp/127.0.0.1/$1" &&
		printf 'GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3 &&
		timeout 2 cat <&3) 2>/dev/null || true)
	[[ "$reply" == *" 200 "* ]]
}

binary() {
	if [ -n "$bin" ]; then
		echo "$bin"
		return
	fi
	if [ ! -x "$dir/bin/shukei" ]; then
		echo "== building shukei" >&2
		go build -o "$dir/bin/shukei" ./cmd/shukei
	fi
	echo "$dir/bin/shukei"
}

# clickhouse finds or starts the two-shard cluster and records it.
clickhouse() {
	if [ -f "$dir/clickhouse" ]; then
		return
	fi
	local addr="${SHUKEI_CLUSTER_CLICKHOUSE:-}" name="${SHUKEI_CLUSTER_CLICKHOUSE_NAME:-shukei_two_shards}"
	if [ -z "$addr" ]; then
		echo "== starting a two-shard ClickHouse cluster" >&2
		eval "$(SHUKEI_CLICKHOUSE_DIR="$dir/clickhouse-servers" SHUKEI_CLICKHOUSE_PORT= ./scripts/clickhouse.sh start 2)"
		addr=$SHUKEI_TEST_CLICKHOUSE_CLUSTER
		name=$SHUKEI_TEST_CLICKHOUSE_CLUSTER_NAME
		touch "$dir/clickhouse-started"
	fi
	echo "$addr $name" >"$dir/clickhouse"
}

# settings records, at the first up, what every later command of the
# deployment must use the same way, and reads it back.
settings() {
	if [ ! -f "$dir/settings" ]; then
		{
			printf 'db=%q\n' "${SHUKEI_CLUSTER_DATABASE:-shukei}"
			printf 'sites=%q\n' "${SHUKEI_CLUSTER_SITES:-example.org}"
			printf 'lease_ttl=%q\n' "${SHUKEI_CLUSTER_LEASE_TTL:-10s}"
			printf 'extra=%q\n' "${SHUKEI_CLUSTER_FLAGS:-}"
			printf 'bin=%q\n' "${SHUKEI_BIN:-}"
			printf 'balancer=%q\n' "${SHUKEI_CLUSTER_BALANCER:-nginx}"
		} >"$dir/settings"
	fi
	# shellcheck disable=SC1091
	. "$dir/settings"
}

# node_flags prints the flags of one node.
node_flags() {
	local node=$1 addr name
	read -r addr name <"$dir/clickhouse"
	echo -listen "127.0.0.1:$(port_of "$node")" -data "$dir/$node/data" -node-name "$node"
	echo -store "clickhouse://$addr/$db" -clickhouse-cluster "$name"
	echo -jobs-lease-ttl "$lease_ttl"
	case "$node" in
	ingest*)
		echo -roles ingest -trusted-proxy 127.0.0.1/32 -client-ip-header X-Real-IP -flush-interval 1s
		;;
	dashboard)
		# The dashboard node names the sites; the others read them from
		# the store. Behind the balancer it trusts it too.
		echo -roles dashboard -site "$sites" -api-token-file "$dir/api-token"
		echo -archive-dir "$dir/archive" -trusted-proxy 127.0.0.1/32 -client-ip-header X-Real-IP
		;;
	jobs*)
		echo -roles jobs -archive-dir "$dir/archive"
		;;
	esac
	echo "$extra"
}

start_node() {
	local node=$1 exe port i
	port=$(port_of "$node")
	if running "$dir/$node/pid"; then
		return
	fi
	exe=$(binary)
	mkdir -p "$dir/$node/data"
	# shellcheck disable=SC2046 # the flags are words
	(exec setsid "$exe" serve $(node_flags "$node") </dev/null >>"$dir/$node/log" 2>&1) &
	echo $! >"$dir/$node/pid"
	for ((i = 0; i < 600; i++)); do
		healthy "$port" && return 0
		if ! running "$dir/$node/pid"; then
			echo "$node exited:" >&2
			tail -n 5 "$dir/$node/log" >&2
			rm -f "$dir/$node/pid"
			return 1
		fi
		sleep 0.1
	done
	echo "$node did not answer on port $port within 60 s" >&2
	return 1
}

stop_pid() {
	local file=$1 sig=${2:-TERM} pid i
	running "$file" || { rm -f "$file"; return 0; }
	pid=$(cat "$file")
	kill "-$sig" "$pid" 2>/dev/null || true
	for ((i = 0; i < 300; i++)); do
		alive "$pid" || break
		sleep 0.1
	done
	if alive "$pid"; then
		echo "process $pid did not stop in 30 s; killing it" >&2
		kill -KILL "$pid" 2>/dev/null || true
	fi
	rm -f "$file"
}

# balancer writes the balancer's configuration for the first n ingest
# nodes and starts it, or reloads it when it runs.
balancer() {
	local n=$1 lb="$dir/$balancer" ingest="" i
	command -v "$balancer" >/dev/null || PATH="$PATH:/usr/sbin"
	command -v "$balancer" >/dev/null || ./scripts/deploy-tools.sh
	mkdir -p "$lb/tmp"
	for ((i = 1; i <= n; i++)); do
		if [ "$balancer" = haproxy ]; then
			ingest+="    server ingest$i 127.0.0.1:$(port_of "ingest$i") check inter 1s fall 1 rise 1"$'\n'
		else
			ingest+="        server 127.0.0.1:$(port_of "ingest$i") max_fails=1 fail_timeout=3s;"$'\n'
		fi
	done
	local template=deploy/cluster/nginx.conf.in conf="$lb/nginx.conf"
	if [ "$balancer" = haproxy ]; then
		template=deploy/cluster/haproxy.cfg.in conf="$lb/haproxy.cfg"
	fi
	awk -v dir="$lb" -v listen="127.0.0.1:$(port_of lb)" -v ingest="${ingest%$'\n'}" \
		-v dash="127.0.0.1:$(port_of dashboard)" \
		'{ gsub(/@DIR@/, dir); gsub(/@LISTEN@/, listen); gsub(/@DASHBOARD@/, dash); if ($0 == "@INGEST@") $0 = ingest; print }' \
		"$template" >"$conf"
	case "$balancer" in
	haproxy)
		haproxy -q -c -f "$conf"
		if running "$lb/pid"; then
			haproxy -D -f "$conf" -p "$lb/pid" -sf "$(cat "$lb/pid")"
		else
			haproxy -D -f "$conf" -p "$lb/pid"
		fi
		sleep 0.5 # the new process takes over
		;;
	*)
		nginx -t -q -p "$lb" -e "$lb/error.log" -c "$conf"
		if running "$lb/nginx.pid"; then
			nginx -p "$lb" -e "$lb/error.log" -c "$conf" -s reload
			sleep 0.5 # the new workers take over
		else
			nginx -p "$lb" -e "$lb/error.log" -c "$conf"
		fi
		;;
	esac
}

print_env() {
	echo "export SHUKEI_CLUSTER_DIR=$dir"
	echo "export SHUKEI_CLUSTER_URL=http://127.0.0.1:$(port_of lb)"
	echo "export SHUKEI_CLUSTER_TOKEN_FILE=$dir/api-token"
	echo "# hits: \$SHUKEI_CLUSTER_URL/api/event; dashboard and Stats API: \$SHUKEI_CLUSTER_URL/"
}

cmd_up() {
	mkdir -p "$dir"
	first_port >"$dir/port.new" && mv "$dir/port.new" "$dir/port"
	if [ ! -f "$dir/api-token" ]; then
		(umask 077 && head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$dir/api-token")
	fi
	clickhouse
	# The dashboard first: it creates the tables and writes the sites'
	# configuration that the others read.
	for node in dashboard jobs ingest1 ingest2; do
		start_node "$node"
	done
	balancer 2
	print_env
}

cmd_down() {
	[ -d "$dir" ] || return 0
	if [ -f "$dir/nginx/nginx.pid" ]; then
		stop_pid "$dir/nginx/nginx.pid" QUIT
	fi
	if [ -f "$dir/haproxy/pid" ]; then
		stop_pid "$dir/haproxy/pid" USR1
	fi
	for node in "${NODES[@]}"; do
		stop_pid "$dir/$node/pid"
	done
	if [ -f "$dir/clickhouse-started" ]; then
		SHUKEI_CLICKHOUSE_DIR="$dir/clickhouse-servers" ./scripts/clickhouse.sh stop 2
		rm -f "$dir/clickhouse-started"
	fi
	rm -f "$dir/settings" "$dir/port" "$dir/clickhouse"
}

cmd_status() {
	local state=0 node
	for node in "${NODES[@]}" nginx haproxy; do
		local f="$dir/$node/pid"
		[ "$node" = nginx ] && f="$dir/nginx/nginx.pid"
		[ -d "$dir/$node" ] || [ "$node" = jobs2 ] || continue
		if running "$f"; then
			echo "$node: running (pid $(cat "$f"))"
		else
			echo "$node: stopped"
			[ "$node" = jobs2 ] || state=3
		fi
	done
	return $state
}

if [ "${1:-}" != down ] && [ "${1:-}" != status ]; then
	mkdir -p "$dir"
	settings
fi
case "${1:-}" in
up) cmd_up ;;
down) cmd_down ;;
status) cmd_status ;;
kill)
	[ $# -eq 2 ] || usage
	port_of "$2" >/dev/null
	stop_pid "$dir/$2/pid" KILL
	;;
start)
	[ $# -eq 2 ] || usage
	start_node "$2"
	;;
balance)
	case "${2:-}" in 1 | 2) balancer "$2" ;; *) usage ;; esac
	;;
*) usage ;;
esac
