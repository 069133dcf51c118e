#!/usr/bin/env bash
# Times, side by side in one run, LlmStruct.Parsers.Python (a console runner that parses a directory in
# parallel), Universal Ctags and a CPython ast.parse loop over the same directory, alternating the tools each
# round so they see the same machine load. Also prints CPU (user+sys) of each, which machine load barely moves. Prints the median wall time of each and the ratios.
# Usage: benchmarks/python/compare-ctags.sh [dir] [rounds] [threads]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
dir="${1:-$(python3 -c "import sysconfig;print(sysconfig.get_paths()['stdlib'])")}"
rounds="${2:-3}"
threads="${3:-2}"
bench="$root/benchmarks/LlmStruct.Parsers.Python.Bench"
out="$root/artifacts/python-bench"
# ReadyToRun publish: the runner starts without JIT-compiling the parser.
dotnet publish "$bench" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$out" -v q -nologo >/dev/null
runner="$out/LlmStruct.Parsers.Python.Bench"
files=$(find "$dir" -name '*.py' -type f | wc -l)
mb=$(find "$dir" -name '*.py' -type f -print0 | du -cb --files0-from=- | tail -1 | awk '{printf "%.1f", $1/1048576}')
echo "corpus: $dir ($files files, $mb MB), $rounds rounds, $threads threads for LlmStruct, $(nproc) cores"

pyloop='import ast,sys,os
n=0
for r,_,fs in os.walk(sys.argv[1]):
    for f in fs:
        if f.endswith(".py"):
            try: ast.parse(open(os.path.join(r,f),"rb").read())
            except (SyntaxError, ValueError, RecursionError): pass
            n+=1'

time_of() {
  local s e
  s=$(date +%s.%N)
  /usr/bin/time -f "%U %S" -o "$tmp" "$@" >/dev/null 2>&1 || true
  e=$(date +%s.%N)
  echo "$(basename "$1") $(awk '{print $1 + $2}' "$tmp")" >> "$cpulog"
  echo "$e - $s" | bc
}
tmp="$(mktemp)"
cpulog="$(mktemp)"
trap 'rm -f "$tmp" "$cpulog"' EXIT
declare -a ours ctags cpython
for ((i = 0; i < rounds; i++)); do
  ours+=("$(time_of "$runner" "$dir" --threads "$threads")")
  ctags+=("$(time_of ctags -R --languages=Python -f /dev/null "$dir")")
  # The CPython loop takes ~20x longer: once is enough.
  if [ "$i" -eq 0 ]; then cpython+=("$(time_of python3 -c "$pyloop" "$dir")"); fi
  echo "round $((i + 1)): llmstruct ${ours[-1]} s, ctags ${ctags[-1]} s, cpython ast.parse ${cpython[-1]} s"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
o=$(median "${ours[@]}"); c=$(median "${ctags[@]}"); p=$(median "${cpython[@]}")
echo "cpu seconds (user+sys), median per tool:"
for tool in LlmStruct.Parsers.Python.Bench ctags python3; do
  echo "  $tool $(awk -v t="$tool" '$1 == t {print $2}' "$cpulog" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
done
echo "median wall: llmstruct $o s, ctags $c s, cpython ast.parse $p s"
echo "ratios: ctags/llmstruct $(echo "scale=2; $c / $o" | bc)x, cpython/llmstruct $(echo "scale=2; $p / $o" | bc)x"
"$runner" "$dir" --threads "$threads" | tail -2
echo "single-threaded CPU per stage (warm):"
"$runner" "$dir" --mode stages --repeat 2
