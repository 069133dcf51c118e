#!/usr/bin/env bash
# One run, three numbers: TypeScriptParser on a TypeScript tree (default: zod from ../shared/corpora), the same
# parser against JavaScriptParser on the same JavaScript bytes (npm's own JavaScript), and the TypeScript compiler's
# createSourceFile loop in node on the same TypeScript tree. Ratios are what to compare (the cores are shared).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
ts_root="${1:-}"
if [ -z "$ts_root" ]; then
  ts_root="$(mktemp -d)"
  tar xzf "$repo/../shared/corpora/zod-src.tar.gz" -C "$ts_root"
fi
js_root="${2:-$(npm root -g)/npm}"
bash "$repo/tests/oracles/typescript/setup.sh" >/dev/null
dotnet run -c Release --project "$repo/benchmarks/LlmStruct.Parsers.JavaScript.Bench" -- ts "$ts_root" "$js_root" 5
node "$here/createsourcefile-loop.js" "$ts_root" 5
