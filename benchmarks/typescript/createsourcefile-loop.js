// The TypeScript compiler's own parser over the same files: ts.createSourceFile (setParentNodes, as the oracle),
// files read into memory first, single thread, best of N. Usage: node createsourcefile-loop.js <folder> [iterations]
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const ts = require(path.join(__dirname, '..', '..', 'tests', 'oracles', 'typescript', 'node_modules', 'typescript'));

const root = process.argv[2];
const iterations = Number(process.argv[3] ?? 5);
const files = [];
(function walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) { if (entry.name !== 'node_modules') walk(full); }
    else if (/\.(ts|tsx|mts|cts)$/.test(entry.name)) files.push({ name: full, text: fs.readFileSync(full, 'utf8') });
  }
})(root);
const bytes = files.reduce((n, f) => n + Buffer.byteLength(f.text), 0);
const run = () => { for (const f of files) ts.createSourceFile(f.name, f.text, ts.ScriptTarget.Latest, true, f.name.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS); };
run();
let best = Infinity;
for (let i = 0; i < iterations; i++) {
  const start = process.hrtime.bigint();
  run();
  best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9);
}
console.log(`typescript_files=${files.length} bytes=${bytes} createSourceFile_best_s=${best.toFixed(3)} createSourceFile_mb_s=${(bytes / 1048576 / best).toFixed(2)} typescript=${ts.version} node=${process.version}`);
