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
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './.git/*'))
if [ -n "$unformatted" ]; then
	echo "gofmt would change:"; echo "$unformatted"; exit 1
fi

echo "== go vet"
go vet "${packages[@]}"

echo "== staticcheck"
"$(go env GOPATH)/bin/staticcheck" "${packages[@]}"

echo "== go test -race"
go test -race -count=1 -timeout 25m "${packages[@]}"
