#!/bin/sh
# Refresh the vendored referrer-spam list (collector/referrer/spammers.txt)
# from its upstream repository. Run it by hand when online; nothing in the
# build, the tests or the server ever fetches the list.
#
#   scripts/referrer-spam.sh            # update to the upstream default branch
#   scripts/referrer-spam.sh <commit>   # pin a given upstream commit
#
# The list must keep its format (one host per line): a download that is
# empty, much shorter than the current list, or has a line that is not a
# host name is refused and the vendored file is left as it was.
set -eu

repo=https://github.com/matomo-org/referrer-spam-list
dir=$(cd "$(dirname "$0")/.." && pwd)/collector/referrer
list=$dir/spammers.txt
notes=$dir/SPAMMERS.md

ref=${1:-}
if [ -z "$ref" ]; then
	ref=$(git ls-remote "$repo" HEAD | cut -c1-40)
fi
case $ref in
*[!0-9a-f]* | "") echo "referrer-spam: not a commit: '$ref'" >&2; exit 1 ;;
esac

tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
curl -fsSL --max-time 60 "https://raw.githubusercontent.com/matomo-org/referrer-spam-list/$ref/spammers.txt" -o "$tmp"

bad=$(grep -cvE '^[A-Za-z0-9._-]+$' "$tmp" || true)
if [ "$bad" -ne 0 ]; then
	echo "referrer-spam: $bad lines are not host names; keeping the current list" >&2
	exit 1
fi
new=$(wc -l <"$tmp")
old=$(wc -l <"$list")
if [ "$new" -lt $((old / 2)) ]; then
	echo "referrer-spam: the new list has $new hosts, the current $old; keeping the current list" >&2
	exit 1
fi

mv "$tmp" "$list"
trap - EXIT
short=$(printf %s "$ref" | cut -c1-7)
today=$(date -u +%Y-%m-%d)
sed -i "s/^- Upstream commit: .*/- Upstream commit: \`$short\` (fetched $today)/" "$notes"
echo "referrer-spam: $old -> $new hosts (upstream $short); run: go test ./collector/referrer/"
