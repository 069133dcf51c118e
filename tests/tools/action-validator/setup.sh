#!/usr/bin/env bash
# Installs the pinned @action-validator/cli (from package-lock.json) into node_modules; idempotent.
set -euo pipefail
cd "$(dirname "$0")"
if [ -x node_modules/.bin/action-validator ] && [ package-lock.json -ot node_modules/.package-lock.json ]; then
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
