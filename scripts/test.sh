#!/usr/bin/env bash
# The test command of the README: static checks and every test, with the race
# detector. Installs what the tests need (see scripts/deps.sh) when missing.
#
#   ./scripts/test.sh              all packages
#   ./scripts/test.sh ./collector/...   some packages
set -euo pipefail
cd "$(dirname "$0")/.."

export CGO_ENABLED=1
packages=("${@:-./...}")

./scripts/deps.sh

echo "== gofmt"
# Tracked and new (not ignored) Go files that exist in the working tree.
go_files=()
while IFS= read -r f; do [ -f "$f" ] && go_files+=("$f"); done < <(git ls-files -co --exclude-standard -- '*.go' 2>/dev/null || find . -name '*.go' -not -path './.git/*')
unformatted=$(gofmt -l "${go_files[@]}")
if [ -n "$unformatted" ]; then
	echo "gofmt would change:"; echo "$unformatted"; exit 1
fi

echo "== go vet"
go vet "${packages[@]}"

echo "== staticcheck"
"$(go env GOPATH)/bin/staticcheck" "${packages[@]}"

# The ClickHouse store's tests run against a single server and a two-shard
# cluster on loopback, started here (in a directory of this run, on free
# ports) unless the environment already names servers, and stopped on exit.
if [ -z "${SHUKEI_TEST_CLICKHOUSE:-}" ] && [ -z "${SHUKEI_TEST_CLICKHOUSE_CLUSTER:-}" ]; then
	echo "== ClickHouse: one server and a two-shard cluster"
	unset SHUKEI_CLICKHOUSE_PORT
	SHUKEI_CLICKHOUSE_DIR=$(mktemp -d "${TMPDIR:-/tmp}/shukei-clickhouse.XXXXXX")
	export SHUKEI_CLICKHOUSE_DIR
	trap './scripts/clickhouse.sh stop; rm -rf "$SHUKEI_CLICKHOUSE_DIR"' EXIT
	eval "$(./scripts/clickhouse.sh start 1)"
	eval "$(./scripts/clickhouse.sh start 2)"
fi

echo "== go test -race"
go test -race -count=1 -timeout 25m "${packages[@]}"
