#!/usr/bin/env bash
# Recaptures testdata/vite/*.in from real vite 7: dev server transform and
# import-analysis errors (requested over loopback), an HMR cycle, and build
# errors. Run from logstore/detect; needs node+npm and curl. Not run in CI.
set -euo pipefail
out="$(cd "$(dirname "$0")/.." && pwd)/vite"
root="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$root"' EXIT
cd "$root"
npm init -y >/dev/null
npm i -D "vite@${VITE_VERSION:-7}" >/dev/null 2>&1
mkdir -p src
cat > index.html <<'T'
<!doctype html><html><body><script type="module" src="/src/main.ts"></script></body></html>
T
cat > src/main.ts <<'T'
import { greet } from "./greet";
document.body.textContent = greet("x");
T
cat > src/greet.ts <<'T'
export function greet(name: string): string {
  const s = ;
  return "hi " + name;
}
T
cat > src/other.ts <<'T'
import { nothing } from "./nope";
export const o = nothing;
T
save() { sed "s#$root#\$ROOT#g" > "$out/$1.in"; }
port=$((20000 + RANDOM % 20000))
FORCE_COLOR=1 ./node_modules/.bin/vite --port $port --strictPort > dev.log 2>&1 &
wait_for() { for _ in $(seq 1 200); do [ "$(grep -c "$1" dev.log)" -ge "$2" ] && return; sleep 0.1; done; echo "timeout waiting for $1" >&2; cat dev.log >&2; exit 1; }
wait_for "ready in" 1
# The page first: vite pre-transforms its imports and reports their errors.
sed -i 's#"./greet"#"./greet"; import "./other"#' src/main.ts
curl -s "http://localhost:$port/" >/dev/null || true
curl -s "http://localhost:$port/src/main.ts" >/dev/null || true
wait_for "Pre-transform error" 1
sed -i 's#; import "./other"##' src/main.ts
curl -s "http://localhost:$port/src/greet.ts" >/dev/null || true
wait_for "Internal server error" 1
curl -s "http://localhost:$port/src/other.ts" >/dev/null || true
wait_for "Internal server error" 2
sed -i 's/const s = ;/const s = 1;/' src/greet.ts
curl -s "http://localhost:$port/src/greet.ts" >/dev/null || true
sleep 1 # let the watcher report the change (vite logs nothing we can wait for without a browser)
kill %1; wait || true
save dev < dev.log
# Build errors: esbuild transform error, then an unresolved import.
sed -i 's/const s = 1;/const s = ;/' src/greet.ts
FORCE_COLOR=1 ./node_modules/.bin/vite build 2>&1 | save build-transform || true
sed -i 's/const s = ;/const s = 1;/' src/greet.ts
sed -i 's#"./greet"#"./greet"; import "./other"#' src/main.ts
FORCE_COLOR=1 ./node_modules/.bin/vite build 2>&1 | save build-resolve || true
