#!/usr/bin/env bash
# Installs the tools the tests need when they are missing: staticcheck from
# the Go module proxy; Chromium for the browser tests from Debian's packages;
# the tracker's pinned npm packages (terser, Plausible's trackers);
# clickhouse-server for the ClickHouse store's tests and zbar-tools for the QR
# code test, from Debian's packages.
# nginx, HAProxy and promtool for the deployment files (scripts/deploy-tools.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

STATICCHECK_VERSION=v0.8.2

gobin="$(go env GOPATH)/bin"
if ! "$gobin/staticcheck" -version 2>/dev/null | grep -q "(${STATICCHECK_VERSION#v})"; then
	echo "== installing staticcheck $STATICCHECK_VERSION"
	go install "honnef.co/go/tools/cmd/staticcheck@$STATICCHECK_VERSION"
fi

./scripts/chromium.sh
./scripts/tracker-npm.sh
./scripts/clickhouse.sh install
./scripts/zbar.sh
./scripts/deploy-tools.sh
