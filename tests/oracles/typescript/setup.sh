#!/usr/bin/env bash
# Installs the oracle's pinned typescript (from package-lock.json) into node_modules.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --loglevel=error
