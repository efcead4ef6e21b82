#!/usr/bin/env bash
# Recaptures testdata/node/*.in from real node (uncaught exceptions, unhandled
# rejections, ESM file:// frames, frames in node_modules) and nodemon
# restarts. Run from logstore/detect; needs node+npm. Not run in CI.
set -euo pipefail
out="$(cd "$(dirname "$0")/.." && pwd)/node"
root="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$root"' EXIT
cd "$root"
npm init -y >/dev/null
npm i -D nodemon@3 >/dev/null 2>&1
mkdir -p src node_modules/lib
cat > node_modules/lib/index.js <<'T'
exports.parse = function parse(s) {
  return JSON.parse(s);
};
T
cat > src/util.js <<'T'
function getName(user) {
  return user.profile.name;
}
module.exports = { getName };
T
cat > src/app.js <<'T'
const { getName } = require("./util");
const lib = require("lib");

function main() {
  if (process.argv[2] === "lib") {
    return lib.parse("{oops");
  }
  console.log(getName({}));
}
main();
T
cat > src/reject.mjs <<'T'
async function load(id) {
  throw new RangeError(`no item ${id}`);
}
export async function run() {
  await load(42);
}
run();
T
cat > src/syntax.js <<'T'
const a = {;
T
npm pkg set type=commonjs >/dev/null
cat > src/esm.js <<'T'
import { readFileSync } from "node:fs";
console.log(readFileSync);
T
save() { sed "s#$root#\$ROOT#g" > "$out/$1.in"; }
node src/app.js 2>&1 | save uncaught || true
node src/app.js lib 2>&1 | save uncaught-in-lib || true
node src/reject.mjs 2>&1 | save rejection-esm || true
node src/syntax.js 2>&1 | save syntax || true
node src/esm.js 2>&1 | save esm-syntax-in-cjs || true
(cd src && node app.js 2>&1 | save uncaught-subdir) || true
echo src > "$out/uncaught-subdir.dir"
node -e 'Promise.reject(new Error("plain rejection"))' 2>&1 | save rejection-eval || true
# nodemon: a crash, a fix, a restart.
./node_modules/.bin/nodemon --watch src src/app.js > nodemon.log 2>&1 &
wait_for() { for _ in $(seq 1 200); do [ "$(grep -c "$1" nodemon.log)" -ge "$2" ] && return; sleep 0.1; done; echo "timeout waiting for $1" >&2; cat nodemon.log >&2; exit 1; }
wait_for "app crashed" 1
sed -i 's/user.profile.name/user.name/' src/util.js
wait_for "clean exit" 1
kill %1; wait || true
save nodemon < nodemon.log
