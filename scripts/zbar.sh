#!/usr/bin/env bash
# Installs Debian's zbar-tools (zbarimg, a real QR code reader) for the test
# that decodes the dashboard's two-factor QR codes, when it is missing.
# Idempotent: does nothing when zbarimg is already on PATH.
set -euo pipefail

if command -v zbarimg >/dev/null 2>&1; then
	exit 0
fi
echo "== installing zbar-tools (Debian package)"
export DEBIAN_FRONTEND=noninteractive
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
	sudo_cmd=(sudo)
fi
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends zbar-tools >/dev/null
zbarimg --version
