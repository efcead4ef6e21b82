#!/usr/bin/env bash
# Recaptures testdata/rollup/*.in from the real rollup CLI (parse error,
# unresolved import, watch mode). Run from logstore/detect; needs node+npm.
set -euo pipefail
out="$(cd "$(dirname "$0")/.." && pwd)/rollup"
root="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$root"' EXIT
cd "$root"
npm init -y >/dev/null
npm i -D "rollup@${ROLLUP_VERSION:-4}" >/dev/null 2>&1
mkdir -p src
cat > src/main.js <<'T'
import { helper } from "./helper.js";
console.log(helper(1));
T
cat > src/helper.js <<'T'
export function helper(x) {
  return x +;
}
T
save() { sed "s#$root#\$ROOT#g" > "$out/$1.in"; }
FORCE_COLOR=1 ./node_modules/.bin/rollup src/main.js --file dist/out.js 2>&1 | save parse || true
sed -i 's/x +;/x + 1;/' src/helper.js
echo 'import "./nope.js";' >> src/main.js
FORCE_COLOR=1 ./node_modules/.bin/rollup src/main.js --file dist/out.js 2>&1 | save unresolved || true
sed -i '$d' src/main.js
sed -i 's/x + 1;/x +;/' src/helper.js
FORCE_COLOR=1 ./node_modules/.bin/rollup src/main.js --file dist/out.js --watch > watch.log 2>&1 &
wait_for() { for _ in $(seq 1 200); do [ "$(grep -c "$1" watch.log)" -ge "$2" ] && return; sleep 0.1; done; echo "timeout waiting for $1" >&2; cat watch.log >&2; exit 1; }
wait_for "waiting for changes" 1
sed -i 's/x +;/x + 2;/' src/helper.js
wait_for "waiting for changes" 2
kill %1; wait || true
save watch < watch.log
