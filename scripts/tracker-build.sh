#!/usr/bin/env bash
# Rebuilds the tracker snippet's minified variants (collector/tracker/dist)
# from collector/tracker/shukei.js with the pinned terser. Run it after
# editing shukei.js and commit the result; the tests check that they agree.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/tracker-npm.sh
node collector/tracker/build.mjs
go test ./collector/tracker -count=1 -run 'TestBuildsAreCurrent|TestDefaultBuildSize|TestBuildsArePolite|TestVariantsCarryTheirFeatures' -v |
	grep -E 'gzipped|^(ok|FAIL|---)'
