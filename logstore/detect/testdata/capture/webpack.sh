#!/usr/bin/env bash
# Recaptures testdata/webpack/*.in from real webpack 5 + webpack-cli
# (module not found, parse failure, watch rebuilds). Run from
# logstore/detect; needs node+npm. Not run in CI.
set -euo pipefail
out="$(cd "$(dirname "$0")/.." && pwd)/webpack"
root="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$root"' EXIT
cd "$root"
npm init -y >/dev/null
npm i -D "webpack@${WEBPACK_VERSION:-5}" webpack-cli babel-loader @babel/core >/dev/null 2>&1
npm pkg delete type >/dev/null
mkdir -p src
cat > src/index.js <<'T'
import { helper } from "./helper";
import missing from "./nope";
console.log(helper(1), missing);
T
cat > src/helper.js <<'T'
export function helper(x) {
  return x +;
}
T
save() { sed "s#$root#\$ROOT#g" > "$out/$1.in"; }
FORCE_COLOR=1 ./node_modules/.bin/webpack --mode development 2>&1 | save build || true
# The same through babel-loader: babel reports the syntax error itself.
cat > webpack.babel.js <<'J'
module.exports = { mode: "development", module: { rules: [{ test: /\.js$/, use: "babel-loader" }] } };
J
FORCE_COLOR=1 ./node_modules/.bin/webpack -c webpack.babel.js 2>&1 | save babel || true
sed -i '/nope/d; s/, missing//' src/index.js
FORCE_COLOR=1 ./node_modules/.bin/webpack --mode development --watch > watch.log 2>&1 &
wait_for() { for _ in $(seq 1 300); do [ "$(grep -c "$1" watch.log)" -ge "$2" ] && return; sleep 0.1; done; echo "timeout waiting for $1" >&2; cat watch.log >&2; exit 1; }
wait_for "compiled" 1
sleep 0.5 # the watcher can miss a change made in the same instant
sed -i 's/x +;/x + 2;/' src/helper.js
wait_for "compiled" 2
kill %1; wait || true
save watch < watch.log
