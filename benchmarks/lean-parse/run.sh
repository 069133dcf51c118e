#!/usr/bin/env bash
# What the shipped tool's start-up costs for carrying every command: the parse pipeline alone, published as its own
# Native AOT binary (this folder), against the installed tool (benchmarks/install-tool.sh, or LLMSTRUCT_TOOL=PATH)
# and Universal Ctags, on the ../shared/corpora bundles and this repository. Each is run ROUNDS times in a row
# (default 20) and the mean wall time is printed from the nanosecond clock; every lean output is cmp-ed with the
# tool's. Usage: benchmarks/lean-parse/run.sh [ROUNDS]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
rounds="${1:-20}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
dotnet publish "$here/LlmStruct.LeanParse.csproj" -c Release -r linux-x64 -o "$work/lean" -v q -nologo >&2
lean="$work/lean/LlmStruct.LeanParse"
tool="$("$root/benchmarks/install-tool.sh" "$work")"
for name in click httpx commander; do git clone -q "$root/../shared/corpora/$name.bundle" "$work/src/$name" 2>/dev/null; done
mkdir -p "$work/src/self" && git -C "$root" archive HEAD | tar -x -C "$work/src/self"
mean() { # mean wall seconds of ROUNDS runs of a command, output discarded
  local start end
  start=$(date +%s%N)
  for ((i = 0; i < rounds; i++)); do "$@" >/dev/null 2>&1; done
  end=$(date +%s%N)
  awk -v ns=$((end - start)) -v n="$rounds" 'BEGIN {printf "%.4f", ns / n / 1e9}'
}
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $rounds rounds; lean binary $(du -m "$lean" | cut -f1) MB"
echo "| repository | ctags | lean parse binary | shipped tool (\`parse --no-cache\`) | lean / ctags | tool / ctags |"
echo "|---|---:|---:|---:|---:|---:|"
printf '| (start-up only: no arguments / `--version`) | — | %s s | %s s | — | — |\n' "$(mean "$lean")" "$(mean "$tool" --version)"
for name in click httpx commander self; do
  dir="$work/src/$name"
  c=$(mean ctags -R --languages=Python,JavaScript,TypeScript,C# --map-Python=+.pyi --map-JavaScript=+.cjs -f - "$dir")
  l=$(mean "$lean" "$dir" "$work/lean.json")
  t=$(cd "$work" && mean "$tool" parse -i "$dir" -o "$work/tool.json" --no-cache -q)
  cmp "$work/lean.json" "$work/tool.json" >&2 || echo "$name: the lean output differs from the tool's" >&2
  awk -v n="$name" -v c="$c" -v l="$l" -v t="$t" 'BEGIN {printf "| %s | %.3f s | %.3f s | %.3f s | %.2f× | %.2f× |\n", n, c, l, t, l / c, t / c}'
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
