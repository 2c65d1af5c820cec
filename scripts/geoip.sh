#!/usr/bin/env bash
# Download a GeoIP city database for Shukei's collector.
#
# By default: DB-IP's free "IP to City Lite" database (CC BY 4.0, no account
# needed; show the attribution "IP Geolocation by DB-IP" where you publish
# statistics). With MAXMIND_LICENSE_KEY set: MaxMind's GeoLite2-City (free
# account and licence key required; see MaxMind's GeoLite2 terms).
#
# The collector only ever looks up truncated addresses (/24, /48).
set -euo pipefail

usage() {
	cat <<'EOF'
usage: scripts/geoip.sh [TARGET]

Downloads a GeoIP city database to TARGET (default: ./data/geoip.mmdb)
and prints the collector flag that uses it.

  default                   DB-IP IP to City Lite (this month's, else last month's)
  MAXMIND_LICENSE_KEY=...   MaxMind GeoLite2-City instead

Re-run monthly to keep locations current.
EOF
}

die() {
	echo "geoip.sh: $*" >&2
	exit 1
}

case "${1:-}" in
-h | --help)
	usage
	exit 0
	;;
-*)
	usage >&2
	exit 2
	;;
esac
[ "$#" -le 1 ] || {
	usage >&2
	exit 2
}

target="${1:-./data/geoip.mmdb}"
command -v curl >/dev/null || die "curl is required"
command -v gzip >/dev/null || die "gzip is required"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# fetch URL FILE: download quietly, failing on HTTP errors. The URL may
# carry a licence key, so it is never printed and goes to curl on standard
# input rather than in its arguments, which other users can list.
fetch() {
	printf 'url = "%s"\n' "$1" |
		curl --config - --fail --silent --show-error --location --retry 2 \
			--max-time 600 --output "$2"
}

# month OFFSET: YYYY-MM of this month (0) or the previous one (1), in UTC,
# with GNU or BSD date.
month() {
	if [ "$1" = 0 ]; then
		date -u +%Y-%m
	else
		date -u -d "$(date -u +%Y-%m-01) -1 month" +%Y-%m 2>/dev/null ||
			date -u -v-1m +%Y-%m
	fi
}

download_dbip() {
	local m
	for offset in 0 1; do
		m="$(month "$offset")"
		echo "Downloading DB-IP City Lite $m ..." >&2
		if fetch "https://download.db-ip.com/free/dbip-city-lite-$m.mmdb.gz" "$tmp/db.mmdb.gz"; then
			gzip -dc "$tmp/db.mmdb.gz" >"$tmp/db.mmdb" || die "downloaded file is not valid gzip"
			return 0
		fi
		echo "  not available yet" >&2
	done
	die "could not download DB-IP City Lite for this or last month"
}

download_maxmind() {
	command -v tar >/dev/null || die "tar is required"
	echo "Downloading MaxMind GeoLite2-City ..." >&2
	fetch "https://download.maxmind.com/app/geoip_download?edition_id=GeoLite2-City&license_key=${MAXMIND_LICENSE_KEY}&suffix=tar.gz" \
		"$tmp/db.tar.gz" || die "download failed (check MAXMIND_LICENSE_KEY)"
	tar -xzf "$tmp/db.tar.gz" -C "$tmp" || die "downloaded file is not a valid tar.gz"
	local found
	found="$(find "$tmp" -name 'GeoLite2-City.mmdb' -type f | head -n 1)"
	[ -n "$found" ] || die "archive has no GeoLite2-City.mmdb"
	mv "$found" "$tmp/db.mmdb"
}

if [ -n "${MAXMIND_LICENSE_KEY:-}" ]; then
	download_maxmind
else
	download_dbip
fi

# A MaxMind DB file ends with its metadata, introduced by this marker.
[ -s "$tmp/db.mmdb" ] || die "downloaded database is empty"
LC_ALL=C grep -q "$(printf '\xab\xcd\xefMaxMind.com')" "$tmp/db.mmdb" ||
	die "downloaded file is not a MaxMind DB (.mmdb) database"

mkdir -p "$(dirname "$target")"
mv "$tmp/db.mmdb" "$target.tmp"
mv "$target.tmp" "$target"
echo "Wrote $target ($(wc -c <"$target" | tr -d ' ') bytes)." >&2
echo "-geoip $target"
