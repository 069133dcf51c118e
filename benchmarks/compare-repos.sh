#!/usr/bin/env bash
# Side by side over real repositories of different sizes, in one run: the shipped tool (`llmstruct parse`, packed and
# installed as users get it: benchmarks/install-tool.sh) against Universal Ctags on the same files, the two alternating
# every round so they see the same machine load. Prints a markdown table (docs/benchmarks.md, "Small and medium
# repositories") with medians and ratios, and the load average before and after.
#
# Usage: benchmarks/compare-repos.sh [rounds]          (default 5)
# Environment:
#   LLMSTRUCT_TOOL=PATH   an installed tool to time instead of packing one (packing takes several minutes of CPU)
#   LLMSTRUCT_REF=DIR     cmp every cold output with DIR/<repo>.json (e.g. outputs of the main branch's build) and
#                         stop on a difference
#   LLMSTRUCT_KEEP=DIR    keep the cold outputs as DIR/<repo>.json (to become another run's LLMSTRUCT_REF)
#   REPOS="a b"           only these of: self click httpx commander zod pylib
#
# Repositories: this repository (its committed tree), the bundles in ../shared/corpora (click, httpx, commander.js:
# cloned into a temp folder), the zod source tree (TypeScript), and the machine's Python library (*.py only, as in
# benchmarks/python/compare-ctags.sh). ctags reads the languages llmstruct parses (Python, JavaScript, TypeScript,
# C#) with the same extensions.
#
# Per repository and round: ctags -R, then `parse --no-cache` (cold: discover, parse, link, write struct.json), in
# alternating order; after the rounds, one cached run fills the parse cache and then each round times a no-change
# warm run (`parse` with the cache: an up-to-date check). Peak RSS from /usr/bin/time.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-5}"
shared="$(cd "$root/.." && pwd)/shared/corpora"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tool="$("$root/benchmarks/install-tool.sh" "$work")"
pylib="$(python3 -c "import sysconfig;print(sysconfig.get_paths()['stdlib'])")"

# The repositories, as name and folder.
declare -A dirs
for name in ${REPOS:-self click httpx commander zod pylib}; do
  case "$name" in
    self) mkdir -p "$work/src/self"; git -C "$root" archive HEAD | tar -x -C "$work/src/self"; dirs[self]="$work/src/self" ;;
    click|httpx|commander) git clone -q "$shared/$name.bundle" "$work/src/$name" 2>/dev/null; dirs[$name]="$work/src/$name" ;;
    zod) mkdir -p "$work/src/zod"; tar -xzf "$shared/zod-src.tar.gz" -C "$work/src/zod"; dirs[zod]="$work/src/zod" ;;
    pylib) dirs[pylib]="$pylib" ;;
    *) echo "unknown repository: $name" >&2; exit 2 ;;
  esac
done

# wall user sys maxrss-KB of one command (output discarded; a failure stops the script). The wall time is read from
# the nanosecond clock around the run (/usr/bin/time's own %e has 10 ms steps, a third of ctags' time on a small
# repository); CPU and peak RSS come from /usr/bin/time.
measure() {
  local start end
  start=$(date +%s%N)
  /usr/bin/time -o "$work/time" -f '%U %S %M' "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; echo "failed: $*" >&2; exit 1; }
  end=$(date +%s%N)
  echo "$(awk -v ns=$((end - start)) 'BEGIN {printf "%.4f", ns / 1e9}') $(cat "$work/time")"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / (b > 0.005 ? b : 0.005)}'; }
median() { sort -g | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'; }

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; tool: $tool; $rounds rounds"
printf '| repository | files | ctags | llmstruct cold | ratio of medians | median of round ratios | CPU ratio | no-change warm | peak RSS (ctags / llmstruct) |\n'
printf '|---|---:|---:|---:|---:|---:|---:|---:|---:|\n'
for name in ${REPOS:-self click httpx commander zod pylib}; do
  dir="${dirs[$name]}"
  run="$work/run-$name"; mkdir -p "$run"
  if [ "$name" = pylib ]; then
    printf '[parsing]\ninclude = ["**/*.py"]\n' >"$run/llmstruct.toml"
    ctags_args=(--languages=Python)
    files=$(find "$dir" -name '*.py' -type f | wc -l)
  else
    ctags_args=(--languages=Python,JavaScript,TypeScript,C# --map-Python=+.pyi --map-JavaScript=+.cjs --map-TypeScript=+.tsx --map-TypeScript=+.mts --map-TypeScript=+.cts)
    files=$(find "$dir" -type f \( -name '*.py' -o -name '*.pyi' -o -name '*.js' -o -name '*.cjs' -o -name '*.mjs' -o -name '*.jsx' -o -name '*.cs' \
      -o -name '*.ts' -o -name '*.tsx' -o -name '*.mts' -o -name '*.cts' \) \
      -not -path '*/node_modules/*' -not -path '*/.git/*' | wc -l)
  fi
  : >"$run/ctags"; : >"$run/cold"; : >"$run/ratios"; : >"$run/warm"
  for ((r = 0; r < rounds; r++)); do
    c=""; l=""
    if ((r % 2 == 0)); then
      c=$(measure ctags -R "${ctags_args[@]}" -f - "$dir")
      l=$(cd "$run" && measure "$tool" parse -i "$dir" -o "$run/cold.json" --no-cache -q)
    else
      l=$(cd "$run" && measure "$tool" parse -i "$dir" -o "$run/cold.json" --no-cache -q)
      c=$(measure ctags -R "${ctags_args[@]}" -f - "$dir")
    fi
    echo "$c" >>"$run/ctags"; echo "$l" >>"$run/cold"
    ratio "${l%% *}" "${c%% *}" >>"$run/ratios"; echo >>"$run/ratios"
  done
  if [ -n "${LLMSTRUCT_REF:-}" ]; then
    cmp "$run/cold.json" "$LLMSTRUCT_REF/$name.json" || { echo "$name: output differs from $LLMSTRUCT_REF/$name.json" >&2; exit 1; }
  fi
  if [ -n "${LLMSTRUCT_KEEP:-}" ]; then
    mkdir -p "$LLMSTRUCT_KEEP"; cp "$run/cold.json" "$LLMSTRUCT_KEEP/$name.json"
  fi
  (cd "$run" && "$tool" parse -i "$dir" -o "$run/warm.json" --cache-dir "$run/cache" -q)
  cmp -s "$run/warm.json" "$run/cold.json" || { echo "$name: a cached run's output differs from the cold run's" >&2; exit 1; }
  sleep 3 # past git's "racy" window: unchanged files are not even read
  for ((r = 0; r < rounds; r++)); do
    (cd "$run" && measure "$tool" parse -i "$dir" -o "$run/warm.json" --cache-dir "$run/cache" -q) >>"$run/warm"
  done
  ctags_wall=$(cut -d' ' -f1 "$run/ctags" | median)
  cold_wall=$(cut -d' ' -f1 "$run/cold" | median)
  ctags_cpu=$(awk '{print $2 + $3}' "$run/ctags" | median)
  cold_cpu=$(awk '{print $2 + $3}' "$run/cold" | median)
  printf '| %s | %s | %.3f s | **%.3f s** | **%s×** | %.2f× | %s× | %.3f s | %.0f / %.0f MB |\n' \
    "$name" "$files" "$ctags_wall" "$cold_wall" "$(ratio "$cold_wall" "$ctags_wall")" "$(median <"$run/ratios")" \
    "$(ratio "$cold_cpu" "$ctags_cpu")" "$(cut -d' ' -f1 "$run/warm" | median)" \
    "$(cut -d' ' -f4 "$run/ctags" | sort -n | tail -1 | awk '{print $1 / 1024}')" "$(cut -d' ' -f4 "$run/cold" | sort -n | tail -1 | awk '{print $1 / 1024}')"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
[ -n "${LLMSTRUCT_REF:-}" ] && echo "every cold output is byte-identical to $LLMSTRUCT_REF/<repo>.json"
exit 0
