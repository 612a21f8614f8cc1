#!/usr/bin/env bash
# Makes sure the browser tests (internal/browser) can start Chromium:
# HOOKD_CHROMIUM when set, else chromium on PATH. `make test` runs it first.
#
# When Chromium is missing and this runs as root on a system with apt-get, it
# installs Debian's chromium package; otherwise it fails, saying the command
# to run. The tests themselves never skip without a browser: they fail with
# the same advice.
set -euo pipefail

advice="run 'sudo apt-get update && sudo apt-get install -y chromium', or set HOOKD_CHROMIUM to a Chromium or Chrome binary"

if [ -n "${HOOKD_CHROMIUM:-}" ]; then
  if command -v "$HOOKD_CHROMIUM" >/dev/null; then
    exit 0
  fi
  echo "HOOKD_CHROMIUM=$HOOKD_CHROMIUM is not a program: unset it and $advice" >&2
  exit 1
fi
if command -v chromium >/dev/null; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Chromium is missing (the browser tests need it): installing Debian's chromium package" >&2
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
  if command -v chromium >/dev/null; then
    exit 0
  fi
fi
echo "Chromium is missing (the browser tests need it): $advice" >&2
exit 1
