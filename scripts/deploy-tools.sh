#!/usr/bin/env bash
# Installs, from Debian's packages, the programs that the deployment files
# under deploy/ are tested with when they are missing: nginx (the cluster's
# load balancer, scripts/cluster.sh), HAProxy (docs/deploy.md's other
# balancer) and Prometheus' promtool (the alert rules' check).
set -euo pipefail

missing=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || missing+=(haproxy)
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
[ ${#missing[@]} -gt 0 ] || exit 0

echo "== installing ${missing[*]} (Debian packages)" >&2
export DEBIAN_FRONTEND=noninteractive
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
	sudo_cmd=(sudo)
fi
"${sudo_cmd[@]}" apt-get update -qq
# Debian's packages would start their services where an init system runs:
# ours run on their own ports and directories, so stop them again.
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
if command -v systemctl >/dev/null 2>&1; then
	for s in nginx haproxy prometheus; do
		if systemctl is-active --quiet "$s" 2>/dev/null; then
			"${sudo_cmd[@]}" systemctl stop "$s" || true
		fi
	done
fi
