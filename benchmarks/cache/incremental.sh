#!/usr/bin/env bash
# Incremental-parse benchmark (issue 6): times `llmstruct parse` over a corpus cold (no cache), warm with no change,
# and warm after one file changed, all in one run on the same machine, and prints the ratios to the cold run.
# Usage: benchmarks/cache/incremental.sh [corpus-dir]   (default: the machine's Python library, stdlib + site-packages)
# The corpus is copied to a temp folder first so the benchmark never writes into it and can edit a file safely.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
corpus="${1:-$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')}"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
cp -r "$corpus" "$work/corpus"
# The tool as it is deployed here: the linux-x64 package (one Native AOT binary), packed and installed with
# `dotnet tool install`.
cli=("$("$repo/benchmarks/install-tool.sh" "$work/tool")" parse -i "$work/corpus" -q --cache-dir "$work/cache")

# A run that fails stops the benchmark (a crashed CLI must not be timed as a fast one).
shopt -s inherit_errexit
seconds() { local s e; s=$(date +%s.%N); "$@" || { echo "failed ($?): $*" >&2; exit 1; }; e=$(date +%s.%N); echo "$e - $s" | bc; }
best() { local b=""; for _ in 1 2 3; do local t; t=$(seconds "$@"); if [ -z "$b" ] || (( $(echo "$t < $b" | bc) )); then b=$t; fi; done; echo "$b"; }
# best_after EDIT: three times, make the edit (not timed), then time one warm run; prints the best time.
best_after() { local b=""; for _ in 1 2 3; do "$1"; local t; t=$(seconds "${cli[@]}" -o "$work/struct.json"); if [ -z "$b" ] || (( $(echo "$t < $b" | bc) )); then b=$t; fi; done; echo "$b"; }

cold=$(best "${cli[@]}" --no-cache -o "$work/cold.json"); echo "cold: $cold s" >&2
"${cli[@]}" -o "$work/struct.json"          # fill the cache
sleep 3                                     # leave git's "racy" window so unchanged files are not even read
warm=$(best "${cli[@]}" -o "$work/struct.json"); echo "warm: $warm s" >&2
cmp -s "$work/struct.json" "$work/cold.json" || { echo "warm output differs from cold output" >&2; exit 1; }
one=$(find "$work/corpus" -type f \( -name '*.py' -o -name '*.js' -o -name '*.cs' \) | LC_ALL=C sort | sed -n 1p)
changed() { echo "# touched $RANDOM" >>"$one"; }
after_one=$(best_after changed)
# A body edit that shifts lines: a call added at the top of the first function of a mid-size module.
body_file=$(grep -l -m1 "^def " $(find "$work/corpus" -name '*.py' -size +20k -size -60k | LC_ALL=C sort | head -50) | head -1)
body_edit() { python3 - "$body_file" <<'PY'
import re, sys
p = sys.argv[1]; s = open(p, encoding="utf-8").read()
m = re.search(r"^def [^\n]*:\n", s, re.M)
open(p, "w", encoding="utf-8").write(s[:m.end()] + "    len([])\n" + s[m.end():])
PY
}
after_body=$(best_after body_edit)
# A new function: other modules may now link to it, so this is a full relink (parsing still comes from the cache).
n=0
new_def() { n=$((n + 1)); printf '\ndef _bench_added_%s():\n    return %s\n' "$n" "$n" >>"$one"; }
after_def=$(best_after new_def)
"${cli[@]}" --no-cache -o "$work/cold2.json"
cmp -s "$work/struct.json" "$work/cold2.json" || { echo "incremental output differs from cold output" >&2; exit 1; }
echo "incremental outputs are byte-identical to cold runs" >&2

files=$(find "$work/corpus" -type f \( -name '*.py' -o -name '*.pyi' -o -name '*.js' -o -name '*.cs' \) | wc -l)
printf 'corpus: %s (%s source files)\n' "$corpus" "$files"
printf 'cold (no cache):        %6.2f s\n' "$cold"
printf 'warm, no change:        %6.2f s  (%.1f%% of cold)\n' "$warm" "$(echo "100 * $warm / $cold" | bc -l)"
printf 'warm, one file changed: %6.2f s  (%.1f%% of cold)  [comment appended to %s]\n' "$after_one" "$(echo "100 * $after_one / $cold" | bc -l)" "${one#"$work/corpus/"}"
printf 'warm, one body edited:  %6.2f s  (%.1f%% of cold)  [call inserted in a function of %s, lines shift]\n' "$after_body" "$(echo "100 * $after_body / $cold" | bc -l)" "${body_file#"$work/corpus/"}"
printf 'warm, function added:   %6.2f s  (%.1f%% of cold)  [full relink: the file'"'"'s surface changed]\n' "$after_def" "$(echo "100 * $after_def / $cold" | bc -l)"
