#!/usr/bin/env bash
# Recaptures testdata/rollup/tabs.in from the real rollup CLI: warnings in
# a file indented with tabs (rollup's frame shows each leading tab as two
# spaces).
# Run from logstore/detect; needs node+npm. Not run in CI.
set -euo pipefail
out="$(cd "$(dirname "$0")/.." && pwd)/rollup"
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
cd "$root"
npm init -y >/dev/null
npm i -D "rollup@${ROLLUP_VERSION:-4}" >/dev/null 2>&1
mkdir -p src
printf 'export function run(a) {\n\tif (a) {\n\t\treturn eval("1") + this;\n\t}\n}\n' > src/tabs.js
save() { sed "s#$root#\$ROOT#g" > "$out/$1.in"; (cd "$root" && find src -type f | sort) > "$out/$1.files"; }
./node_modules/.bin/rollup src/tabs.js --file dist/out.js 2>&1 | save tabs || true
mkdir -p "$out/../bundler-src/src" && cp src/tabs.js "$out/../bundler-src/src/tabs.js"
echo "rollup $(./node_modules/.bin/rollup --version)" > "$out/tabs.version"
