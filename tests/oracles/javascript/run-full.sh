#!/usr/bin/env bash
# Differential test over every .js/.cjs/.mjs file of the machine's npm install (plus the fixtures) against acorn.
# Reports land in the test output and in tests/LlmStruct.Parsers.JavaScript.Tests/bin/*/net10.0/oracle-report-*.txt.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
"$here/setup.sh"
LLMSTRUCT_FULL_CORPUS=1 dotnet test "$repo/tests/LlmStruct.Parsers.JavaScript.Tests" \
  --filter "FullyQualifiedName~AcornDifferentialTests" --logger "console;verbosity=detailed"
