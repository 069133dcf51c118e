#!/usr/bin/env bash
# Reproduces the context-quality tables in docs/context.md: clones the corpus bundles and this repository into a
# temporary folder, then measures recall on each one's last commits (see Program.cs). Usage: run.sh [COMMITS]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
corpora="${CORPORA:-$repo/../shared/corpora}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for name in click httpx commander; do
  git clone -q "$corpora/$name.bundle" "$work/$name"
done
git clone -q "$repo" "$work/llmstruct"
dotnet run -c Release --project "$here/LlmStruct.ContextQuality.csproj" -- --commits "${1:-60}" --work "$work" \
  click="$work/click" httpx="$work/httpx" commander.js="$work/commander" llmstruct="$work/llmstruct"
