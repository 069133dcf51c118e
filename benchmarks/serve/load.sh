#!/usr/bin/env bash
# A bounded load test of `llmstruct serve` on loopback over the machine's Python library (issue #22): parses the
# library into a temporary project, starts the server with a token, then sends a fixed number of requests (four
# clients at once, at most 120 s) to symbol search and to the task list, and prints p50/p95/max per endpoint, errors,
# and the server's peak RSS. Usage: benchmarks/serve/load.sh [TOOL] [REQUESTS per endpoint, default 2000]
# TOOL: an llmstruct executable (default: `llmstruct` on PATH; benchmarks/install-tool.sh installs the shipped one).
set -euo pipefail
tool="${1:-llmstruct}"
requests="${2:-2000}"
pylib="$(python3 -c "import sysconfig;print(sysconfig.get_paths()['stdlib'])")"
work="$(mktemp -d)"
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
mkdir -p "$work/project"
printf '[project]\nname = "python-library"\n\n[[tasks]]\nid = "TSK-001"\ntitle = "Read the JSON decoder"\nfiles = ["json/decoder.py"]\n\n[[tasks]]\nid = "TSK-002"\ntitle = "Profile the tokenizer"\nstatus = "in_progress"\n' >"$work/project/llmstruct.toml"
"$tool" parse -i "$pylib" -c "$work/project/llmstruct.toml" -o "$work/project/struct.json" --no-cache -q
port="$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')"
token="load-test-$RANDOM$RANDOM"
"$tool" serve -i "$work/project" --port "$port" --token "$token" >"$work/serve.log" 2>&1 &
server=$!
python3 - "$port" "$token" "$requests" "$server" "$(stat -c %s "$work/project/struct.json")" <<'PY'
import http.client, json, sys, threading, time
port, token, requests, pid, size = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
headers = {"Authorization": f"Bearer {token}"}
deadline = time.time() + 60
while True:  # wait for the server (bounded)
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=5); c.request("GET", "/api/tasks", headers=headers)
        if c.getresponse().status == 200: break
    except OSError: pass
    if time.time() > deadline: sys.exit("the server did not answer within 60 s")
    time.sleep(0.2)
queries = ["json", "decode", "JSONDecoder", "loads", "tokenize", "Path", "read", "HTTPConnection", "parse_args", "__init__",
           "urlopen", "Thread", "dumps", "match", "compile", "Logger", "getLogger", "socket", "open", "run"]
def load(name, paths):
    times, errors, lock = [], [], threading.Lock()
    stop = time.time() + 120
    def client(k):
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for i in range(k, requests, 4):
            if time.time() > stop: return
            t = time.perf_counter()
            try:
                c.request("GET", paths[i % len(paths)], headers=headers); r = c.getresponse(); r.read()
                ok = r.status == 200
            except OSError as e:
                ok = False; c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            with lock:
                (times if ok else errors).append((time.perf_counter() - t) * 1000)
    threads = [threading.Thread(target=client, args=(k,)) for k in range(4)]
    start = time.time(); [t.start() for t in threads]; [t.join() for t in threads]
    times.sort()
    q = lambda p: times[min(len(times) - 1, int(p * len(times)))] if times else float("nan")
    print(f"| {name} | {len(times) + len(errors)} | {len(errors)} | {q(0.5):.1f} ms | {q(0.95):.1f} ms | {times[-1] if times else float('nan'):.1f} ms | {(len(times) + len(errors)) / (time.time() - start):.0f}/s |")
print(f"struct.json {size / 2**20:.0f} MiB; {requests} requests per endpoint, 4 clients at once")
print("| endpoint | requests | errors | p50 | p95 | max | throughput |")
print("|---|---:|---:|---:|---:|---:|---:|")
load("/api/symbols?q=…", [f"/api/symbols?q={q}" for q in queries])
load("/api/tasks", ["/api/tasks"])
hwm = [l for l in open(f"/proc/{pid}/status") if l.startswith(("VmHWM", "VmRSS"))]
print("server memory: " + ", ".join(l.split(":")[0] + " " + l.split(":")[1].strip() for l in hwm))
PY
