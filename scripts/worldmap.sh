#!/usr/bin/env bash
# Regenerates the dashboard's country map (dashboard/assets/map/world.json)
# from Natural Earth's 1:110m Admin 0 countries (public domain), as the
# world-atlas npm package (ISC) redistributes them. Needs npm and Go; the
# map is committed, so neither the build nor the tests run this.
set -euo pipefail
cd "$(dirname "$0")/.."
version=2.0.2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "world-atlas@$version" >/dev/null && tar xzf "world-atlas-$version.tgz")
go run ./scripts/worldmap -in "$tmp/package/countries-110m.json" -out dashboard/assets/map/world.json
