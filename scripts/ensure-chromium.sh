#!/usr/bin/env bash
# The HTML report's browser test needs a Chromium. Use the one on PATH or CHROMIUM_PATH; otherwise
# install Debian's package (needs root, as on CI). Nothing is downloaded by npm packages.
set -euo pipefail
if [ -n "${CHROMIUM_PATH:-}" ] && [ -x "${CHROMIUM_PATH}" ]; then exit 0; fi
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the report's browser test…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "Chromium not found: install it (apt-get install chromium) or set CHROMIUM_PATH." >&2
exit 1
