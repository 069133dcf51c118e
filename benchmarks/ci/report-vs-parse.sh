#!/usr/bin/env bash
# `llmstruct ci report` on a real repository's last pull-request-sized change against one incremental `parse` of the
# same change with a warm cache (the budget: the report costs at most 2x that parse). Default repository: click, from
# the shared corpus bundle; the change: its last merge commit whose diff against its first parent touches 2 to 50
# parsed files (a pull request's size), else HEAD~5..HEAD.
# Usage: benchmarks/ci/report-vs-parse.sh [bundle-or-repository] [rounds]
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
source_repo="${1:-$here/../shared/corpora/click.bundle}"
rounds="${2:-5}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 GIT_CONFIG_GLOBAL=/dev/null

dotnet build "$here/src/LlmStruct.Cli" -c Release -o "$work/tool" -v q -nologo > "$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
tool() { dotnet "$work/tool/llmstruct.dll" "$@"; }

git -c advice.detachedHead=false clone -q "$source_repo" "$work/repo"
git -C "$work/repo" config advice.detachedHead false
cd "$work/repo"
head=""
for merge in $(git log --merges --format=%H -200); do
  n=$(git diff --name-only "$merge^1" "$merge" -- '*.py' '*.js' '*.ts' '*.cs' | wc -l)
  if [ "$n" -ge 2 ] && [ "$n" -le 50 ]; then head=$merge; break; fi
done
if [ -n "$head" ]; then base=$(git rev-parse "$head^1"); else head=$(git rev-parse HEAD); base=$(git rev-parse HEAD~5); fi
echo "repository: $(basename "$source_repo"), change ${base:0:12}..${head:0:12}: $(git diff --shortstat "$base" "$head")"
echo "parsed files changed: $(git diff --name-only "$base" "$head" -- '*.py' '*.js' '*.ts' '*.cs' | wc -l), files in the tree: $(git ls-tree -r --name-only "$head" | wc -l)"

seconds() { local start end; start=$(date +%s.%N); "$@" > /dev/null 2>&1; end=$(date +%s.%N); echo "$end - $start" | bc; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# Warm the cache at the base (twice: the second run is the warm, up-to-date one).
git checkout -q --detach "$base"
tool parse --input . --output struct.json --quiet > /dev/null
tool parse --input . --output struct.json --quiet > /dev/null
parse_times=(); report_times=()
for ((i = 1; i <= rounds; i++)); do
  git checkout -q --detach "$base"
  tool parse --input . --output struct.json --quiet > /dev/null          # the cache as the base left it
  git checkout -q --detach "$head"
  parse_times+=("$(seconds tool parse --input . --output struct.json --quiet)")   # one incremental parse of the change
  report_times+=("$(seconds tool ci report --base "$base" --head "$head")")      # the report of the same change
done
parse_median=$(printf '%s\n' "${parse_times[@]}" | median)
report_median=$(printf '%s\n' "${report_times[@]}" | median)
echo "incremental parse (warm cache), median of $rounds: ${parse_median} s  [${parse_times[*]}]"
echo "ci report, median of $rounds:                     ${report_median} s  [${report_times[*]}]"
echo "ratio report / parse: $(echo "scale=2; $report_median / $parse_median" | bc)"
