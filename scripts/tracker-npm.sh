#!/usr/bin/env bash
# Installs the pinned npm packages of the tracker tests (terser, which
# builds the snippet, and Plausible's official trackers, which the browser
# tests run against Shukei) from tracker/testdata/npm's lockfile.
# Installs Debian's nodejs and npm first when node is missing. Idempotent:
# does nothing when the installed packages match the lockfile.
set -euo pipefail
cd "$(dirname "$0")/../tracker/testdata/npm"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	echo "== installing nodejs and npm (Debian packages)"
	export DEBIAN_FRONTEND=noninteractive
	sudo_cmd=()
	if [ "$(id -u)" -ne 0 ]; then
		sudo_cmd=(sudo)
	fi
	"${sudo_cmd[@]}" apt-get update -qq
	"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi

stamp=node_modules/.shukei-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
	exit 0
fi
echo "== installing the tracker's npm packages (npm ci)"
npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
echo "$want" >"$stamp"
