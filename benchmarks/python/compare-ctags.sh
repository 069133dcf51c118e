#!/usr/bin/env bash
# Times, side by side in one run, the full `llmstruct parse --no-cache` (discover, parse, link, write struct.json),
# LlmStruct.Parsers.Python alone (a console runner that parses a directory in parallel), Universal Ctags and a
# CPython ast.parse loop over the same directory, alternating the tools each round so they see the same machine load. Also prints CPU (user+sys) of each, which machine load barely moves. Prints the median wall time of each and the ratios.
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
# The CLI as it is deployed here: the linux-x64 tool package (one Native AOT binary), packed and installed with
# `dotnet tool install` into a tool folder.
deployed=$("$root/benchmarks/install-tool.sh" "$out")
# Also a framework-dependent ReadyToRun build with tiered compilation (how this script measured the CLI before the
# linux-x64 package; the "any" package, for other platforms, is framework-dependent without ReadyToRun): the JIT's
# side of the comparison.
dotnet publish "$root/src/LlmStruct.Cli" -c Release -r linux-x64 --self-contained false -p:PublishAot=false -p:PublishReadyToRun=true \
  -o "$out/cli" -v q -nologo >/dev/null
find "$root/src/LlmStruct.Cli/obj" -type d -name R2R -prune -exec rm -rf {} + 2>/dev/null || true # see install-tool.sh
cli_out="$(mktemp -d)"
# The same files as ctags' Python map (*.py): without it llmstruct would also parse the library's .pyi stubs.
printf '[parsing]\ninclude = ["**/*.py"]\n' >"$cli_out/llmstruct.toml"
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
  local label; label=$(basename "$1")
  [ "$label" = llmstruct ] && label=$(basename "$(dirname "$1")") # tool
  echo "$label $(awk '{print $1 + $2}' "$tmp")" >> "$cpulog"
  echo "$e - $s" | bc
}
tmp="$(mktemp)"
cpulog="$(mktemp)"
trap 'rm -rf "$tmp" "$cpulog" "$cli_out"' EXIT
declare -a ours ctags cpython full fdep
for ((i = 0; i < rounds; i++)); do
  full+=("$(time_of "$deployed" parse -i "$dir" -c "$cli_out/llmstruct.toml" -o "$cli_out/struct.json" --no-cache -q)")
  fdep+=("$(time_of dotnet "$out/cli/llmstruct.dll" parse -i "$dir" -c "$cli_out/llmstruct.toml" -o "$cli_out/fdep.json" --no-cache -q)")
  ours+=("$(time_of "$runner" "$dir" --threads "$threads")")
  ctags+=("$(time_of ctags -R --languages=Python -f /dev/null "$dir")")
  # The CPython loop takes ~20x longer: once is enough.
  if [ "$i" -eq 0 ]; then cpython+=("$(time_of python3 -c "$pyloop" "$dir")"); fi
  echo "round $((i + 1)): llmstruct parse ${full[-1]} s, parser alone ${ours[-1]} s, ctags ${ctags[-1]} s, cpython ast.parse ${cpython[-1]} s"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
o=$(median "${ours[@]}"); c=$(median "${ctags[@]}"); p=$(median "${cpython[@]}"); f=$(median "${full[@]}")
echo "cpu seconds (user+sys), median per tool:"
for tool in tool dotnet LlmStruct.Parsers.Python.Bench ctags python3; do
  echo "  $tool $(awk -v t="$tool" '$1 == t {print $2}' "$cpulog" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
done
echo "median wall: llmstruct parse $f s, parser alone $o s, ctags $c s, cpython ast.parse $p s"
echo "ratios: llmstruct parse/ctags $(echo "scale=2; $f / $c" | bc)x, ctags/parser $(echo "scale=2; $c / $o" | bc)x, cpython/parser $(echo "scale=2; $p / $o" | bc)x"
k=$(median "${fdep[@]}")
same=$(cmp -s "$cli_out/fdep.json" "$cli_out/struct.json" && echo "same bytes" || echo "OUTPUT DIFFERS")
echo "framework-dependent ReadyToRun build: llmstruct parse $k s (rounds: ${fdep[*]}), llmstruct parse/ctags $(echo "scale=2; $k / $c" | bc)x; $same"
/usr/bin/time -f "%M" -o "$tmp" "$deployed" parse -i "$dir" -c "$cli_out/llmstruct.toml" -o "$cli_out/struct.json" --no-cache -q >/dev/null 2>&1 || true
echo "llmstruct parse peak RSS: $(( $(tail -1 "$tmp") / 1024 )) MB"
echo "struct.json: $(du -m "$cli_out/struct.json" | cut -f1) MB"
"$runner" "$dir" --threads "$threads" | tail -2
echo "single-threaded CPU per stage (warm):"
"$runner" "$dir" --mode stages --repeat 2
