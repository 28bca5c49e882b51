#!/bin/sh
# Installs Debian's chromium for tests/test_report.py (headless screenshots of report.html).
# Idempotent: does nothing when chromium is already on PATH. Needs root and apt's mirror;
# the test skips, saying why, where this cannot run.
set -eu
if command -v chromium >/dev/null 2>&1; then
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
command -v chromium
