#!/usr/bin/env bash
# The one test command (README, CI): installs what the tests need on a fresh machine, then runs
# the whole suite. Safe to run again: every step skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-test-deps.sh
npm_config_yes=true npm ci --no-audit --no-fund
npm test
