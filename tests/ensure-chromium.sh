#!/usr/bin/env bash
# Makes sure /usr/bin/chromium exists for the browser tests (tests/browser). As root it installs the distro
# package quietly; otherwise it prints the command a person must run and fails.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi

cmd='apt-get update && apt-get install -y chromium'
if [ "$(id -u)" -eq 0 ]; then
  echo "ensure-chromium: /usr/bin/chromium is missing; installing it ($cmd)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq chromium >/dev/null
  [ -x /usr/bin/chromium ] || { echo "ensure-chromium: install finished but /usr/bin/chromium is still missing" >&2; exit 1; }
else
  echo "ensure-chromium: /usr/bin/chromium is missing. Install it with:" >&2
  echo "  sudo sh -c '$cmd'" >&2
  exit 1
fi
