#!/bin/sh
# System packages the tests use, from Debian's apt (run as root on a fresh machine; skipped when present):
#   chromium    the dashboard is tested in a real browser (playwright-core drives /usr/bin/chromium)
#   prometheus  a real Prometheus scrapes the daemon, and promtool checks metrics, config and rules
#   python3     creates the pseudo terminals of the simulated board (daemon/sim/pty-helper.py)
set -eu
need=""
command -v chromium >/dev/null 2>&1 || need="$need chromium"
command -v promtool >/dev/null 2>&1 || need="$need prometheus"
command -v python3 >/dev/null 2>&1 || need="$need python3"
if [ -n "$need" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq $need
fi
echo "test dependencies: chromium $(chromium --version 2>/dev/null | awk '{print $2}'), $(promtool --version 2>/dev/null | head -1 | awk '{print $1, $3}'), $(python3 --version)"
