#!/usr/bin/env bash
# Rebuilds the tracker snippet's minified variants (tracker/dist)
# from tracker/shukei.js with the pinned terser. Run it after
# editing shukei.js and commit the result; the tests check that they agree.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/tracker-npm.sh
node tracker/build.mjs
go test ./tracker -count=1 -run 'TestBuildsAreCurrent|TestDefaultBuildSize|TestBuildsArePolite|TestVariantsCarryTheirFeatures' -v |
	grep -E 'gzipped|^(ok|FAIL|---)'
