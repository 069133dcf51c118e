#!/usr/bin/env bash
# Measures what secret redaction costs on a full `llmstruct parse --no-cache` of the machine's Python library:
# the same build runs with `[security] redact_secrets = true` (the default) and `= false`, alternating each round so
# both see the same machine load; prints every round and the median wall and CPU (user+sys) of each, and the ratios.
# Usage: benchmarks/python/redaction-cost.sh [dir] [rounds] [llmstruct command…]
# Default command: the framework-dependent Release build (dotnet src/LlmStruct.Cli/bin/Release/net10.0/llmstruct.dll);
# build it first with `dotnet build src/LlmStruct.Cli -c Release`, or pass the installed tool (benchmarks/install-tool.sh).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
dir="${1:-$(python3 -c "import sysconfig;print(sysconfig.get_paths()['stdlib'])")}"
rounds="${2:-5}"
shift $(( $# > 2 ? 2 : $# ))
if [ $# -gt 0 ]; then cmd=("$@"); else cmd=(dotnet "$root/src/LlmStruct.Cli/bin/Release/net10.0/llmstruct.dll"); fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
printf '[parsing]\ninclude = ["**/*.py"]\n[security]\nredact_secrets = true\n' >"$work/on.toml"
printf '[parsing]\ninclude = ["**/*.py"]\n[security]\nredact_secrets = false\n' >"$work/off.toml"
run() { # prints "wall cpu"
  local s e
  s=$(date +%s.%N)
  /usr/bin/time -f "%U %S" -o "$work/time" "${cmd[@]}" parse -i "$dir" -c "$work/$1.toml" -o "$work/$1.json" --no-cache -q >/dev/null 2>"$work/$1.err"
  e=$(date +%s.%N)
  echo "$(echo "$e - $s" | bc) $(awk '{print $1 + $2}' "$work/time")"
}
run on >/dev/null # warm the file cache and the build
declare -a onw onc offw offc
for ((i = 0; i < rounds; i++)); do
  if (( i % 2 == 0 )); then read -r w c < <(run on); onw+=("$w"); onc+=("$c"); read -r w c < <(run off); offw+=("$w"); offc+=("$c")
  else read -r w c < <(run off); offw+=("$w"); offc+=("$c"); read -r w c < <(run on); onw+=("$w"); onc+=("$c"); fi
  echo "round $((i + 1)): on ${onw[-1]} s (cpu ${onc[-1]} s), off ${offw[-1]} s (cpu ${offc[-1]} s)"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mow=$(median "${onw[@]}"); mfw=$(median "${offw[@]}"); moc=$(median "${onc[@]}"); mfc=$(median "${offc[@]}")
echo "median: on ${mow} s wall, ${moc} s cpu; off ${mfw} s wall, ${mfc} s cpu"
echo "ratio on/off: wall $(echo "scale=4; $mow / $mfw" | bc), cpu $(echo "scale=4; $moc / $mfc" | bc)"
python3 - "$work/on.json" <<'PY'
import json, sys
stats = json.load(open(sys.argv[1]))["stats"]
print(f"definitions {stats['definitions']}, redactions {stats.get('redactions', 0)}")
PY
