#!/usr/bin/env bash
# Recaptures testdata/tsc/*.in from the real TypeScript compiler.
# Usage: bash testdata/capture/tsc.sh   (from logstore/detect; needs node+npm)
# Not run in CI. Set TSC_VERSION to capture another version.
set -euo pipefail
out="$(cd "$(dirname "$0")/.." && pwd)/tsc"
root="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$root"' EXIT
cd "$root"
npm init -y >/dev/null
npm i -D "typescript@${TSC_VERSION:-5}" >/dev/null 2>&1
mkdir -p src
cat > tsconfig.json <<'J'
{ "compilerOptions": { "strict": true, "noEmit": true, "target": "es2022", "module": "esnext", "moduleResolution": "bundler" }, "include": ["src"] }
J
cat > src/a.ts <<'T'
export interface User {
  name: string;
  age: number;
}

export function greet(user: User, greeting: string): string {
  return greeting + user.name;
}

const count: number = "three";
const u: User = { name: "x" };
greet(u);
T
cat > src/b.ts <<'T'
import { greet } from "./a";

type Deep = { a: { b: { c: number } } };
const d: Deep = { a: { b: { c: "no" } } };

export const msg = greet({ name: "y", age: 3 }, 1, 2);
console.log(undefinedThing);
const src = { a: { b: { c: "s" } } };
export const d2: Deep = src;
T
save() { sed "s#$root#\$ROOT#g" > "$out/$1.in"; }
./node_modules/.bin/tsc --pretty false 2>&1 | save plain || true
./node_modules/.bin/tsc --pretty true 2>&1 | save pretty || true
# Pretty output from another directory: paths are printed relative to the cwd.
(cd src && ../node_modules/.bin/tsc -p .. --pretty true 2>&1 | save pretty-subdir) || true
echo src > "$out/pretty-subdir.dir"

# Watch: two cycles, the second after fixing a.ts.
./node_modules/.bin/tsc --watch --preserveWatchOutput --pretty true > watch.log 2>&1 &
wait_for() { for _ in $(seq 1 200); do grep -c "$1" watch.log | grep -qx "$2" && return; sleep 0.1; done; echo "timeout waiting for $1" >&2; exit 1; }
wait_for "Watching for file changes" 1
sed -i 's/"three"/3/' src/a.ts
wait_for "Watching for file changes" 2
kill %1; wait || true
save watch < watch.log
./node_modules/.bin/tsc --watch --pretty false > watchplain.log 2>&1 &
wait_for() { for _ in $(seq 1 200); do grep -c "$1" watchplain.log | grep -qx "$2" && return; sleep 0.1; done; echo "timeout" >&2; exit 1; }
wait_for "Watching for file changes" 1
sed -i 's/greet(u);/greet(u, "hi");/' src/a.ts
wait_for "Watching for file changes" 2
kill %1; wait || true
save watch-plain < watchplain.log
