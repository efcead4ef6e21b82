#!/usr/bin/env bash
# Recaptures testdata/vitest/*.in from real vitest 3 (run and watch mode) and
# vitest 4 with vite 8 (v4-*.in: a test file that fails to load, errors
# outside tests). Usage: vitest.sh [3|4] (default both). Run from
# logstore/detect; needs node+npm. Not run in CI.
set -euo pipefail
out="$(cd "$(dirname "$0")/.." && pwd)/vitest"
root="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$root"' EXIT

capture3() {
mkdir "$root/3"
cd "$root/3"
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
save() { sed "s#$root/3#\$ROOT#g" > "$out/$1.in"; }
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
}

# vitest 4: each case is its own project under $root/4 (one node_modules),
# run as a script runs it (no FORCE_COLOR; vitest and rolldown colour anyway).
capture4() {
mkdir "$root/4"
cd "$root/4"
npm init -y >/dev/null
npm i -D "vitest@${VITEST4_VERSION:-4}" "vite@${VITE8_VERSION:-8}" >/dev/null 2>&1
project() { rm -rf "$root/4/$1"; mkdir -p "$root/4/$1/src" "$root/4/$1/test"; cd "$root/4/$1"; echo '{"name":"'"$1"'","private":true,"type":"module"}' > package.json; }
save4() { sed "s#$root/4/$2#\$ROOT#g; s#$root/4#\$ROOT#g" > "$out/$1.in"; }

# Test files that fail to load: an oxc syntax error (a boxed diagnostic),
# a missing module; and a failing test.
project load
cat > src/helper.ts <<'T'
export function helper(n: number): number {
  return n * 2
}
T
cat > test/syntax.test.ts <<'T'
import { it, expect } from "vitest";
import { helper } from "../src/helper";

it("works", () => {
  const x = helper(2;
  expect(x).toBe(4);
});
T
cat > test/typed.test.ts <<'T'
import { it, expect } from "vitest";
import { helper } from "../src/helper";

interface Cfg { a: number }
const cfg: Cfg = { a: 1 };

it("typed failing", () => {
  expect(helper(cfg.a)).toEqual(3);
});
T
cat > test/missing.test.ts <<'T'
import { it, expect } from "vitest";
import { nothing } from "../src/does-not-exist";

it("never runs", () => {
  expect(nothing).toBe(1);
});
T
../node_modules/.bin/vitest run 2>&1 | save4 v4-load load || true

# An exception thrown from a timer after its test passed, and a failing test.
project uncaught
cat > src/timer.js <<'T'
export function later(cb) {
  setTimeout(() => {
    cb(null).value.x;
  }, 1);
}
export function each(list) {
  return list.map((item) => item.name.toUpperCase());
}
T
cat > test/timer.test.js <<'T'
import { it, expect } from "vitest";
import { later, each } from "../src/timer.js";

it("schedules", async () => {
  later((v) => v);
  await new Promise((r) => setTimeout(r, 20));
  expect(1).toBe(1);
});

it("maps", () => {
  expect(each([{ name: "a" }, {}])).toEqual(["A"]);
});
T
../node_modules/.bin/vitest run 2>&1 | save4 v4-uncaught uncaught || true

# A promise rejected outside any test's await.
project rejection
cat > src/late.js <<'T'
export function late(n) {
  return Promise.reject(new RangeError("late " + n));
}
T
cat > test/late.test.js <<'T'
import { it } from "vitest";
import { late } from "../src/late.js";

it("schedules", async () => {
  late(1);
  await new Promise((r) => setTimeout(r, 20));
});
T
../node_modules/.bin/vitest run 2>&1 | save4 v4-rejection rejection || true
}

case "${1:-all}" in
3) capture3 ;;
4) capture4 ;;
*) capture3; capture4 ;;
esac
