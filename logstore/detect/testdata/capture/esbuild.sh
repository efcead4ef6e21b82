#!/usr/bin/env bash
# Recaptures testdata/esbuild/*.in from the real esbuild CLI (errors,
# warnings, watch rebuilds). Run from logstore/detect; needs node+npm.
set -euo pipefail
out="$(cd "$(dirname "$0")/.." && pwd)/esbuild"
root="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$root"' EXIT
cd "$root"
npm init -y >/dev/null
npm i -D "esbuild@${ESBUILD_VERSION:-0.28}" >/dev/null 2>&1
mkdir -p src
cat > src/main.js <<'T'
import { helper } from "./helper";
import missing from "./nope";
const value = helper(1) == -0;
console.log(value, missing);
T
cat > src/helper.js <<'T'
export function helper(x) {
  return x +;
}
T
save() { sed "s#$root#\$ROOT#g" > "$out/$1.in"; }
./node_modules/.bin/esbuild src/main.js --bundle --color=true --outfile=dist/out.js 2>&1 | save build || true
(cd src && ../node_modules/.bin/esbuild main.js --bundle --outfile=../dist/out.js 2>&1 | save build-subdir) || true
echo src > "$out/build-subdir.dir"
sed -i 's/x +;/x + 1;/' src/helper.js
./node_modules/.bin/esbuild src/main.js --bundle --color=true --outfile=dist/out.js --log-level=warning --external:./nope 2>&1 | save warnings || true
# Watch: an error, then fixed.
sed -i 's/x + 1;/x +;/' src/helper.js
./node_modules/.bin/esbuild src/main.js --bundle --external:./nope --outfile=dist/out.js --watch=forever > watch.log 2>&1 &
wait_for() { for _ in $(seq 1 200); do [ "$(grep -c "$1" watch.log)" -ge "$2" ] && return; sleep 0.1; done; echo "timeout waiting for $1" >&2; cat watch.log >&2; exit 1; }
wait_for "build finished" 1
sleep 0.5 # esbuild's watcher polls; a change in the same instant can be missed
sed -i 's/x +;/x + 2;/' src/helper.js
wait_for "build finished" 2
kill %1; wait || true
save watch < watch.log
