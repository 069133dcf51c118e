#!/usr/bin/env bash
# Differential test of LlmStruct.Parsers.Python against CPython's ast.parse on every .py file of the installed
# Python (stdlib + site-packages). Prints agreement percentages; exits non-zero when a target is missed.
# Usage: tests/oracles/python/run-full.sh [corpus-dir]     (defaults to sysconfig's stdlib directory)
# Env:   LLMSTRUCT_ORACLE_REPORT=path   also write every disagreement to that file
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
command -v python3 >/dev/null || { echo "python3 not found: the differential test needs CPython" >&2; exit 2; }
corpus="${1:-$(python3 -c "import sysconfig;print(sysconfig.get_paths()['stdlib'])")}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
find "$corpus" -name '*.py' -type f | LC_ALL=C sort > "$work/files.txt"
echo "corpus: $corpus ($(wc -l < "$work/files.txt") files); running CPython $(python3 -c 'import sys;print(sys.version.split()[0])') ast.parse..."
python3 "$here/py_oracle.py" "$work/files.txt" "$work/oracle.jsonl"
export LLMSTRUCT_FULL_CORPUS=1 LLMSTRUCT_CORPUS_DIR="$corpus" LLMSTRUCT_ORACLE_JSONL="$work/oracle.jsonl"
mkdir -p "$root/TestResults"
export LLMSTRUCT_ORACLE_REPORT="${LLMSTRUCT_ORACLE_REPORT:-$root/TestResults/python-oracle-report.txt}"
status=0
dotnet test "$root/tests/LlmStruct.Parsers.Python.Tests" --filter "FullyQualifiedName~FullCorpusAgreesWithCpython" \
  --logger "console;verbosity=normal" >"$work/test.log" 2>&1 || status=$?
head -n 1 "$LLMSTRUCT_ORACLE_REPORT" 2>/dev/null || tail -n 30 "$work/test.log"
grep '^3.12-only' "$LLMSTRUCT_ORACLE_REPORT" 2>/dev/null || true
[ "$status" -eq 0 ] && echo "PASS" || { echo "FAIL (see $LLMSTRUCT_ORACLE_REPORT)"; grep -v '^3.12-only' "$LLMSTRUCT_ORACLE_REPORT" | sed -n '2,40p' || true; }
exit "$status"
