#!/usr/bin/env bash
# Recaptures testdata/vite/*.in from real vite 7: dev server transform and
# import-analysis errors (requested over loopback), an HMR cycle, and build
# errors; and from vite 8 (rolldown + oxc, boxed diagnostics): build errors
# and warnings, the dev server, and the rolldown CLI itself (v8-*.in).
# Usage: vite.sh [7|8] (default both). Run from logstore/detect; needs
# node+npm and curl. Not run in CI.
set -euo pipefail
out="$(cd "$(dirname "$0")/.." && pwd)/vite"
root="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$root"' EXIT
wait_for() { for _ in $(seq 1 200); do [ "$(grep -c "$1" dev.log)" -ge "$2" ] && return; sleep 0.1; done; echo "timeout waiting for $1" >&2; cat dev.log >&2; exit 1; }

capture7() {
mkdir "$root/7"
cd "$root/7"
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
save() { sed "s#$root/7#\$ROOT#g" > "$out/$1.in"; }
port=$((20000 + RANDOM % 20000))
FORCE_COLOR=1 ./node_modules/.bin/vite --port $port --strictPort > dev.log 2>&1 &
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
}

# vite 8: each case is its own project under $root/8 (one node_modules),
# captured without FORCE_COLOR as a script's output is: rolldown colours its
# boxes all the same.
capture8() {
mkdir "$root/8"
cd "$root/8"
npm init -y >/dev/null
npm i -D "vite@${VITE8_VERSION:-8}" >/dev/null 2>&1
project() { # project NAME ENTRY: a fresh project dir with an index.html
	rm -rf "$root/8/$1"; mkdir -p "$root/8/$1/src"; cd "$root/8/$1"
	echo '{"name":"'"$1"'","private":true,"type":"module"}' > package.json
	echo '<!doctype html><html><body><div id="app"></div><script type="module" src="/'"$2"'"></script></body></html>' > index.html
}
# The process directory is the project: paths in it become $ROOT.
save8() { sed "s#$root/8/$2#\$ROOT#g; s#$root/8#\$ROOT#g" > "$out/$1.in"; }
vite8() { ../node_modules/.bin/vite "$@"; }

project jsx src/main.jsx
mkdir -p src/components
cat > src/components/Button.jsx <<'T'
export function Button(props) {
  return (
    <div className="btn">
      <span>{props.label}</span>
    </dv>
  );
}
T
cat > src/main.jsx <<'T'
import { Button } from "./components/Button.jsx";
const el = Button({ label: "x" });
console.log(el);
T
vite8 build 2>&1 | save8 v8-build-jsx jsx || true

project ts src/main.ts
mkdir -p src/lib
cat > src/lib/fmt.ts <<'T'
export function fmt(n: number): string {
  const parts = [n, n * 2];
  return parts.map((p) => p.toFixed(2)).join(", ";
}
T
cat > src/main.ts <<'T'
import { fmt } from "./lib/fmt";
document.body.textContent = fmt(3);
T
vite8 build 2>&1 | save8 v8-build-ts ts || true

project resolve src/main.ts
cat > src/main.ts <<'T'
import { x } from "./missing-mod";
import y from "not-a-pkg";
console.log(x, y);
T
vite8 build 2>&1 | save8 v8-build-resolve resolve || true

# Two errors in one build, then (fixed) a warning of a successful build.
project multi src/main.ts
cat > src/main.ts <<'T'
import { a } from "./a";
import { b } from "./b";
eval("1");
console.log(a, b);
T
printf 'export const a = (1;\n' > src/a.ts
printf 'export const b = [1;\n' > src/b.ts
vite8 build 2>&1 | save8 v8-build-multi multi || true
printf 'export const a = (1);\n' > src/a.ts
printf 'export const b = [1];\n' > src/b.ts
vite8 build 2>&1 | save8 v8-build-warn multi

# The rolldown CLI on the same project: a warning with its location first,
# then an error.
../node_modules/.bin/rolldown src/main.ts -d dist 2>&1 | save8 v8-rolldown-cli multi
printf 'export const b = [1;\n' > src/b.ts
../node_modules/.bin/rolldown src/main.ts -d dist 2>&1 | save8 v8-rolldown-cli-error multi || true

# vite build --watch: a build fails (no "error during build:" then), the next
# one passes.
project watch src/main.ts
cat > src/main.ts <<'T'
import { a } from "./a";
console.log(a);
T
printf 'export const a = (1);\n' > src/a.ts
../node_modules/.bin/vite build --watch > dev.log 2>&1 &
wait_for "built in" 1
printf 'export const a = (1;\n' > src/a.ts
wait_for "Build failed" 1
sleep 0.5
printf 'export const a = (1);\n' > src/a.ts
wait_for "built in" 2
kill %1; wait || true
save8 v8-build-watch watch < dev.log

# The dev server: the dependency scan and the transform report the syntax
# error; an import-analysis error follows.
project dev src/main.ts
cat > src/main.ts <<'T'
import { a } from "./a";
console.log(a);
T
printf 'export const a = (1;\n' > src/a.ts
printf 'import "./zz";\n' > src/e.ts
port=$((20000 + RANDOM % 20000))
../node_modules/.bin/vite --port $port --strictPort > dev.log 2>&1 &
wait_for "ready in" 1
curl -s "http://localhost:$port/" >/dev/null || true
curl -s "http://localhost:$port/src/main.ts" >/dev/null || true
wait_for "Pre-transform error" 1
curl -s "http://localhost:$port/src/a.ts" >/dev/null || true
wait_for "Internal server error" 1
curl -s "http://localhost:$port/src/e.ts" >/dev/null || true
wait_for "Internal server error" 2
kill %1; wait || true
save8 v8-dev dev < dev.log
}

case "${1:-all}" in
7) capture7 ;;
8) capture8 ;;
*) capture7; capture8 ;;
esac
