// Checks Continue config files with Continue's own validator (@continuedev/config-yaml): parseConfigYaml (YAML and the
// config schema) then validateConfigYaml (its further checks). Prints one JSON line:
// {"files":[{"file","ok","errors":[…],"models":[names],"rules":n,"mcpServers":[names]}]}; exit 0 only when every file passes.
import { readFileSync } from "node:fs";
import { parseConfigYaml, validateConfigYaml } from "@continuedev/config-yaml";

const files = [];
for (const file of process.argv.slice(2)) {
  const entry = { file, ok: false, errors: [] };
  try {
    const config = parseConfigYaml(readFileSync(file, "utf8"));
    entry.errors = validateConfigYaml(config).map((e) => `${e.fatal ? "fatal" : "warning"}: ${e.message}`);
    entry.ok = entry.errors.length === 0;
    entry.models = (config.models ?? []).map((m) => m.name ?? m.uses);
    entry.rules = (config.rules ?? []).length;
    entry.mcpServers = (config.mcpServers ?? []).map((s) => s.name ?? s.uses);
  } catch (e) {
    entry.errors.push(String(e?.message ?? e));
  }
  files.push(entry);
}
console.log(JSON.stringify({ files }));
process.exit(files.every((f) => f.ok) ? 0 : 1);
