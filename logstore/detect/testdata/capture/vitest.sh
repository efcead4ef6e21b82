#!/usr/bin/env bash
# Recaptures testdata/vitest/*.in from real vitest (run and watch mode).
# Run from logstore/detect; needs node+npm. Not run in CI.
set -euo pipefail
out="$(cd "$(dirname "$0")/.." && pwd)/vitest"
root="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$root"' EXIT
cd "$root"
npm init -y >/dev/null
npm i -D "vitest@${VITEST_VERSION:-3}" vite@7 >/dev/null 2>&1
mkdir -p src
cat > src/math.ts <<'T'
export function add(a: number, b: number): number {
  return a - b;
}
export function boom(): never {
  throw new TypeError("boom failed");
}
T
cat > src/math.test.ts <<'T'
import { describe, expect, it } from "vitest";
import { add, boom } from "./math";

describe("math", () => {
  it("adds", () => {
    expect(add(1, 2)).toBe(3);
  });
  it("compares objects", () => {
    expect({ a: 1, b: [1, 2] }).toEqual({ a: 1, b: [1, 3] });
  });
  it("throws", () => {
    boom();
  });
  it("passes", () => {
    expect(1).toBe(1);
  });
});
T
cat > src/broken.test.ts <<'T'
import { it, expect } from "vitest";
import { missing } from "./does-not-exist";

it("never runs", () => {
  expect(missing).toBe(1);
});
T
cat > src/syntax.test.ts <<'T'
import { it } from "vitest";
it("bad", () => {
  const x = ;
});
T
cat > src/unhandled.test.ts <<'T'
import { it } from "vitest";
import { add } from "./math";
it("schedules", async () => {
  Promise.reject(new RangeError("late " + add(1, 1)));
  await new Promise((r) => setTimeout(r, 20));
});
T
save() { sed "s#$root#\$ROOT#g" > "$out/$1.in"; }
FORCE_COLOR=1 ./node_modules/.bin/vitest run math.test broken syntax 2>&1 | save run || true
(cd src && FORCE_COLOR=1 ../node_modules/.bin/vitest run --root .. math.test 2>&1 | save run-subdir) || true
echo src > "$out/run-subdir.dir"
FORCE_COLOR=1 ./node_modules/.bin/vitest run unhandled 2>&1 | save unhandled || true
rm src/broken.test.ts src/syntax.test.ts src/unhandled.test.ts
FORCE_COLOR=1 ./node_modules/.bin/vitest watch > watch.log 2>&1 &
wait_for() { for _ in $(seq 1 300); do [ "$(grep -c "$1" watch.log)" -ge "$2" ] && return; sleep 0.1; done; echo "timeout waiting for $1" >&2; cat watch.log >&2; exit 1; }
wait_for "for file changes" 1
sed -i 's/a - b/a + b/' src/math.ts
wait_for "for file changes" 2
kill %1; wait || true
save watch < watch.log
