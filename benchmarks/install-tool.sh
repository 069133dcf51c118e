#!/usr/bin/env bash
# Packs the CLI as it ships (`dotnet pack`: the linux-x64, "any" and pointer packages; the linux-x64 one takes several
# minutes) and installs it with `dotnet tool install` into DIR/tool, as a user would; prints the installed command.
# Usage: benchmarks/install-tool.sh DIR
# With LLMSTRUCT_TOOL=PATH (a tool installed before, e.g. by compare-ctags.sh), nothing is packed: PATH is printed.
set -euo pipefail
if [ -n "${LLMSTRUCT_TOOL:-}" ]; then
  echo "$LLMSTRUCT_TOOL"
  exit 0
fi
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$1"
rm -rf "$dir/packages" "$dir/tool"
# ReadyToRun images of other linux-x64 publishes (benchmarks/python/compare-ctags.sh's framework-dependent build) go to
# the CLI's obj/…/R2R folder, which the build does not redo when only the settings changed: cleared before and after,
# so no build picks up another's images.
clear_r2r() { find "$root/src/LlmStruct.Cli/obj" -type d -name R2R -prune -exec rm -rf {} + 2>/dev/null || true; }
clear_r2r
dotnet pack "$root/src/LlmStruct.Cli" -c Release -o "$dir/packages" -v q -nologo >&2
clear_r2r
version=$(ls "$dir/packages" | sed -nE 's/^LlmStruct\.Cli\.([0-9].*)\.nupkg$/\1/p')
dotnet tool install LlmStruct.Cli --version "$version" --tool-path "$dir/tool" --add-source "$dir/packages" >&2
echo "$dir/tool/llmstruct"
