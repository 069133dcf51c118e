#!/usr/bin/env bash
# Times LlmStruct.Parsers.JavaScript against Universal Ctags on the same JavaScript corpus and prints MB/s and ratios.
# Usage: benchmarks/javascript/compare-ctags.sh [corpus-folder]   (default: $(npm root -g)/npm)
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
corpus="${1:-$(npm root -g)/npm}"
command -v ctags >/dev/null || { echo "ctags is not installed" >&2; exit 1; }
bytes=$(find "$corpus" -type f \( -name '*.js' -o -name '*.cjs' -o -name '*.mjs' -o -name '*.jsx' \) -printf '%s\n' | awk '{s+=$1} END {print s}')
echo "corpus: $corpus ($bytes bytes of JavaScript)"

dotnet build -c Release -v q "$repo/benchmarks/LlmStruct.Parsers.JavaScript.Bench" >/dev/null
ours=$(dotnet "$repo/benchmarks/LlmStruct.Parsers.JavaScript.Bench/bin/Release/net10.0/LlmStruct.Parsers.JavaScript.Bench.dll" "$corpus" 5)
echo "$ours"
ours_s=$(echo "$ours" | sed -n 's/.*single_thread_best_s=\([0-9.]*\).*/\1/p')

# ctags: best of 5, wall clock (it also walks the tree and reads the files, which our timing excludes).
best=""
for _ in 1 2 3 4 5; do
  start=$(date +%s.%N)
  ctags -R --languages=JavaScript -f /dev/null "$corpus" 2>/dev/null
  end=$(date +%s.%N)
  t=$(echo "$end - $start" | bc -l)
  if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
done
mb=$(echo "$bytes / 1048576" | bc -l)
printf 'ctags_best_s=%.3f ctags_mb_s=%.2f\n' "$best" "$(echo "$mb / $best" | bc -l)"
printf 'ratio ours/ctags (time, single thread) = %.2f\n' "$(echo "$ours_s / $best" | bc -l)"
