#!/usr/bin/env bash
# Recaptures testdata/eslint/*.in from real ESLint 9 (flat config) in the
# stylish, compact and unix formats. Run from logstore/detect; needs node+npm.
set -euo pipefail
out="$(cd "$(dirname "$0")/.." && pwd)/eslint"
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
cd "$root"
npm init -y >/dev/null
npm i -D "eslint@${ESLINT_VERSION:-9}" @eslint/js@9 eslint-formatter-compact eslint-formatter-unix >/dev/null 2>&1
mkdir -p src
cat > eslint.config.mjs <<'J'
import js from "@eslint/js";
export default [
  js.configs.recommended,
  { languageOptions: { globals: { console: "readonly" } },
    rules: { "no-unused-vars": "warn", eqeqeq: "error", "prefer-const": "warn" } },
];
J
cat > src/a.js <<'T'
let unused = 1;
function f(x) {
  if (x == 2) return undefinedVar;
  return x;
}
f(1);
T
cat > src/b.js <<'T'
const s = "ok";
console.log(s +);
T
cat > src/clean.js <<'T'
console.log("fine");
T
save() { sed "s#$root#\$ROOT#g" > "$out/$1.in"; }
FORCE_COLOR=1 ./node_modules/.bin/eslint src 2>&1 | save stylish || true
./node_modules/.bin/eslint -f compact src 2>&1 | save compact || true
./node_modules/.bin/eslint -f unix src 2>&1 | save unix || true
# Warnings only.
FORCE_COLOR=1 ./node_modules/.bin/eslint src/clean.js src/a.js --rule 'eqeqeq: warn' --rule 'no-undef: warn' 2>&1 | save stylish-warnings || true
./node_modules/.bin/eslint -f json src 2>&1 | save json || true
