#!/usr/bin/env bash
# Installs the oracle's pinned acorn and acorn-jsx (from package-lock.json) into node_modules.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --loglevel=error
