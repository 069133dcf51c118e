#!/usr/bin/env bash
# Measures what metrics cost on a full `llmstruct parse --no-cache` of the machine's Python library: the same build
# runs with listeners attached (`--otlp-endpoint` to a local OTLP/HTTP sink: the OpenTelemetry SDK's meter and tracer
# providers take every LlmStruct instrument and span, and export them at the end) and without (nothing listens, so
# the instruments are disabled), alternating each round so both see the same machine load; prints every round, the
# median wall and CPU (user+sys) of each, and the ratios.
# Usage: benchmarks/python/metrics-cost.sh [dir] [rounds] [llmstruct command…]
# Default command: the framework-dependent Release build (dotnet src/LlmStruct.Cli/bin/Release/net10.0/llmstruct.dll).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
dir="${1:-$(python3 -c "import sysconfig;print(sysconfig.get_paths()['stdlib'])")}"
rounds="${2:-5}"
shift $(( $# > 2 ? 2 : $# ))
if [ $# -gt 0 ]; then cmd=("$@"); else cmd=(dotnet "$root/src/LlmStruct.Cli/bin/Release/net10.0/llmstruct.dll"); fi
work="$(mktemp -d)"
port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
# The sink: answers every OTLP/HTTP post with 200 and counts the bytes it got.
python3 - "$port" "$work/sink.log" <<'PY' &
import http.server, sys
class Sink(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        n = int(self.headers.get("Content-Length", 0)); self.rfile.read(n)
        open(sys.argv[2], "a").write(f"{self.path} {n}\n")
        self.send_response(200); self.send_header("Content-Type", "application/x-protobuf"); self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *a): pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Sink).serve_forever()
PY
sink=$!
trap 'kill $sink 2>/dev/null; rm -rf "$work"' EXIT
printf '[parsing]\ninclude = ["**/*.py"]\n' >"$work/llmstruct.toml"
run() { # $1 = on|off; prints "wall cpu"
  local s e extra=()
  [ "$1" = on ] && extra=(--otlp-endpoint "http://127.0.0.1:$port")
  s=$(date +%s.%N)
  /usr/bin/time -f "%U %S" -o "$work/time" "${cmd[@]}" parse -i "$dir" -c "$work/llmstruct.toml" -o "$work/$1.json" --no-cache -q "${extra[@]}" >/dev/null 2>"$work/$1.err"
  e=$(date +%s.%N)
  echo "$(echo "$e - $s" | bc) $(awk '{print $1 + $2}' "$work/time")"
}
run off >/dev/null # warm the file cache and the build
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
echo "OTLP posts received: $(wc -l <"$work/sink.log" 2>/dev/null || echo 0) ($(cut -d' ' -f1 "$work/sink.log" 2>/dev/null | sort | uniq -c | tr '\n' ' '))"
cmp -s "$work/on.json" "$work/off.json" && echo "struct.json: identical with and without metrics" || echo "struct.json: DIFFERS"
