#!/usr/bin/env bash
# The packages as users get them: packs every library under src/ into a local folder feed, then builds fresh console
# projects outside the solution that take LlmStruct.* from that feed only (package source mapping; their
# dependencies come from the usual source):
#   1. LlmStruct.Core + LlmStruct.Parsers.Python: the README's SDK program, run on samples/demo-repo; its struct.json
#      must validate against schema/struct.schema.json (Python jsonschema, draft 2020-12);
#   2. LlmStruct.Llm + LlmStruct.Llm.Cloud: analyze_task through Semantic Kernel against an OpenAI-compatible server on
#      127.0.0.1 (fake_openai.py).
# Also checks each package's metadata, readme, symbols and Source Link (check_packages.py). Packing runs package
# validation against the 0.1.0 baseline, so a breaking API change fails here.
# Ends with one line in `dotnet test`'s summary format, which .ci/run adds up.
# Usage: tests/consumer/run.sh [WORK_DIR]   (default: a new temporary folder, removed afterwards)
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
work="${1:-}"
if [ -z "$work" ]; then
  work=$(mktemp -d /tmp/llmstruct-consumer.XXXXXX)
  trap 'kill "${server_pid:-}" 2>/dev/null; rm -rf "$work"' EXIT
else
  rm -rf "$work" && mkdir -p "$work"
  trap 'kill "${server_pid:-}" 2>/dev/null' EXIT
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
passed=0 failed=0 skipped=0 server_pid=
pass() { echo "  ok: $*"; passed=$((passed + 1)); }
fail() { echo "  FAILED: $*"; failed=$((failed + 1)); }
finish() {
  local total=$((passed + failed + skipped)) word=Passed
  [ "$failed" -eq 0 ] || word=Failed
  echo "$word!  - Failed: $failed, Passed: $passed, Skipped: $skipped, Total: $total - tests/consumer (packages as users get them)"
  [ "$failed" -eq 0 ]
  exit $?
}
commit=$(git -C "$repo" rev-parse HEAD 2>/dev/null || true)
version=$(sed -nE 's:.*<Version>([^<]+)</Version>.*:\1:p' "$repo/Directory.Build.props" | head -1)
feed="$work/feed"
mkdir -p "$feed"

echo "consumer test in $work (version $version, commit ${commit:-unknown})"
# 1. Pack every library (not the tool: .ci/run packs and installs it separately). Packing validates the API.
for project in "$repo"/src/*/*.csproj; do
  if grep -q '<PackAsTool>true</PackAsTool>' "$project"; then continue; fi
  name=$(basename "$project" .csproj)
  if dotnet pack "$project" -c Release -o "$feed" -p:ContinuousIntegrationBuild=true -nologo -v q > "$work/pack-$name.log" 2>&1; then
    pass "pack $name (package validation against the 0.1.0 baseline included)"
  else
    fail "pack $name:"; grep -E 'error|warning' "$work/pack-$name.log" | sort -u | head -20
  fi
done
[ "$failed" -eq 0 ] || finish

# 2. What nuget.org would show: readmes, descriptions, tags, licence, repository and commit, symbols, Source Link.
if python3 "$here/check_packages.py" "$feed" "$repo" "$commit" > "$work/check.log" 2>&1; then
  pass "package metadata, readmes, symbols and Source Link ($(grep -c '^ok:' "$work/check.log") checks)"
else
  fail "package checks:"; grep -v '^ok:' "$work/check.log"
fi

# A NuGet configuration outside the repository: LlmStruct.* only from the local feed, everything else from the usual
# source; a packages folder of its own (nothing stale from another run), reusing the machine's cache read-only.
cat > "$work/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <config><add key="globalPackagesFolder" value="$work/packages" /></config>
  <fallbackPackageFolders><clear /><add key="machine" value="${NUGET_PACKAGES:-$HOME/.nuget/packages}" /></fallbackPackageFolders>
  <packageSources>
    <clear />
    <add key="llmstruct-local" value="$feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="llmstruct-local"><package pattern="LlmStruct.*" /></packageSource>
    <packageSource key="nuget.org"><package pattern="*" /></packageSource>
  </packageSourceMapping>
</configuration>
XML

# new_host NAME PACKAGE…: a fresh console project in $work/NAME with the packages added by `dotnet add package`.
new_host() {
  local name=$1; shift
  dotnet new console -o "$work/$name" -n "$name" --framework net10.0 --no-restore > "$work/$name-new.log" 2>&1 || { cat "$work/$name-new.log"; return 1; }
  for package in "$@"; do
    (cd "$work/$name" && dotnet add package "$package" > "$work/$name-add-$package.log" 2>&1) \
      || { tail -20 "$work/$name-add-$package.log"; return 1; }
  done
  for package in "$@"; do
    case "$package" in
      LlmStruct.*)
        # It came from the local feed, in the version this repository builds.
        [ -f "$work/packages/$(echo "$package" | tr 'A-Z' 'a-z')/$version/$(echo "$package" | tr 'A-Z' 'a-z').$version.nupkg.sha512" ] \
          || { echo "$package $version was not restored from the local feed"; return 1; } ;;
    esac
  done
}

# 3. The README's SDK program, verbatim, on samples/demo-repo.
sed -n '/<!-- sdk-snippet:start -->/,/<!-- sdk-snippet:end -->/p' "$repo/README.md" | sed '1,2d;$d' | sed '$d' > "$work/Program.cs"
if [ ! -s "$work/Program.cs" ]; then
  fail "README.md has no SDK snippet between <!-- sdk-snippet:start --> and <!-- sdk-snippet:end -->"
elif new_host parse-host LlmStruct.Core LlmStruct.Parsers.Python Microsoft.Extensions.DependencyInjection > "$work/parse-host.log" 2>&1; then
  pass "fresh console project adds LlmStruct.Core and LlmStruct.Parsers.Python $version from the local feed"
  cp "$work/Program.cs" "$work/parse-host/Program.cs"
  mkdir -p "$work/run1"
  if (cd "$work/run1" && dotnet run --project "$work/parse-host" -c Release -- "$repo/samples/demo-repo") > "$work/run1.log" 2>&1 \
     && [ -s "$work/run1/struct.json" ]; then
    pass "the README's SDK program wrote struct.json ($(tail -1 "$work/run1.log"))"
    if python3 -c 'import jsonschema' 2>/dev/null; then
      if python3 - "$repo/schema/struct.schema.json" "$work/run1/struct.json" <<'PY'
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1], encoding="utf-8"))
doc = json.load(open(sys.argv[2], encoding="utf-8"))
jsonschema.Draft202012Validator.check_schema(schema)
errors = list(jsonschema.Draft202012Validator(schema).iter_errors(doc))
for e in errors[:10]:
    print("  ", list(e.absolute_path), e.message)
assert not errors, f"{len(errors)} schema errors"
assert any(m["language"] == "python" for m in doc["modules"]), "no python module parsed"
PY
      then pass "its struct.json validates against schema/struct.schema.json (Python jsonschema, draft 2020-12)"
      else fail "its struct.json does not validate against schema/struct.schema.json"
      fi
    else
      skipped=$((skipped + 1)); echo "  skipped: schema check (python3 with jsonschema is not installed)"
    fi
  else
    fail "the README's SDK program:"; tail -30 "$work/run1.log"
  fi
else
  fail "fresh console project with LlmStruct.Core and LlmStruct.Parsers.Python:"; tail -30 "$work/parse-host.log"
fi

# 4. A host with the LLM packages: analyze_task against an OpenAI-compatible server on 127.0.0.1.
if [ -s "$work/run1/struct.json" ]; then
  # The plan the server returns names a file and a symbol that exist in struct.json (analyze_task checks them).
  python3 - "$work/run1/struct.json" "$work/plan.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
module = next(m for m in doc["modules"] if m.get("definitions"))
plan = {"summary": "Add a discount code to the basket total.", "affected_files": [module["path"]],
        "affected_symbols": [module["definitions"][0]["id"]], "steps": ["Add the code.", "Test it."],
        "risks": ["Rounding."], "estimate": "1 hour"}
json.dump(plan, open(sys.argv[2], "w", encoding="utf-8"))
PY
  if ! new_host analyze-host LlmStruct.Llm LlmStruct.Llm.Cloud Microsoft.Extensions.DependencyInjection > "$work/analyze-host.log" 2>&1; then
    fail "fresh console project with LlmStruct.Llm and LlmStruct.Llm.Cloud:"; tail -30 "$work/analyze-host.log"
  elif ! { cp "$here/analyze-host/Program.cs" "$work/analyze-host/Program.cs" \
           && dotnet build "$work/analyze-host" -c Release > "$work/analyze-build.log" 2>&1; }; then
    fail "the analyze host does not build:"; grep -E 'error' "$work/analyze-build.log" | sort -u | head -20
  else
    pass "fresh console project adds LlmStruct.Llm and LlmStruct.Llm.Cloud $version from the local feed, and builds"
    # The server starts once the host is built, so its bounded lifetime is spent on the call alone.
    python3 "$here/fake_openai.py" "$work/plan.json" "$work/requests.jsonl" "$work/port" &
    server_pid=$!
    for _ in $(seq 1 300); do [ -s "$work/port" ] && break; sleep 0.1; done
    mkdir -p "$work/run2"
    if [ ! -s "$work/port" ]; then
      fail "the test server on 127.0.0.1 did not start"
    elif (cd "$work/run2" && CONSUMER_TEST_API_KEY=consumer-test-key dotnet run --no-build --project "$work/analyze-host" -c Release -- \
          "$work/run1/struct.json" "$repo/samples/demo-repo" "http://127.0.0.1:$(cat "$work/port")/v1") > "$work/run2.log" 2>&1 \
       && grep -q "^summary: Add a discount code" "$work/run2.log" \
       && grep -q "task_analysis" "$work/requests.jsonl" && grep -q '"authorized": true' "$work/requests.jsonl"; then
      pass "analyze_task returned the server's plan ($(grep -c . "$work/requests.jsonl") request(s) with the key and the plan's JSON schema)"
    else
      fail "analyze_task against 127.0.0.1:"; tail -30 "$work/run2.log"
    fi
  fi
  kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; server_pid=
else
  fail "analyze_task: no struct.json from the first host to work on"
fi
finish
