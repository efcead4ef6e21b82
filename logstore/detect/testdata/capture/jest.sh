#!/usr/bin/env bash
# Recaptures testdata/jest/*.in from real jest. Run from logstore/detect;
# needs node+npm. Not run in CI.
set -euo pipefail
out="$(cd "$(dirname "$0")/.." && pwd)/jest"
root="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$root"' EXIT
cd "$root"
git init -q . # jest --watch needs a repository
npm init -y >/dev/null
npm i -D "jest@${JEST_VERSION:-29}" >/dev/null 2>&1
mkdir -p src
cat > src/math.js <<'T'
function add(a, b) {
  return a - b;
}
function boom() {
  throw new TypeError("boom failed");
}
module.exports = { add, boom };
T
cat > src/math.test.js <<'T'
const { add, boom } = require("./math");

describe("math", () => {
  test("adds", () => {
    expect(add(1, 2)).toBe(3);
  });
  test("compares objects", () => {
    expect({ a: 1, b: [1, 2] }).toEqual({ a: 1, b: [1, 3] });
  });
  test("throws", () => {
    boom();
  });
  test("passes", () => {
    expect(1).toBe(1);
  });
});
T
cat > src/broken.test.js <<'T'
const { missing } = require("./does-not-exist");

test("never runs", () => {
  expect(missing).toBe(1);
});
T
cat > src/syntax.test.js <<'T'
test("bad", () => {
  const x = ;
});
T
save() { sed "s#$root#\$ROOT#g" > "$out/$1.in"; }
FORCE_COLOR=1 ./node_modules/.bin/jest 2>&1 | save run || true
rm src/broken.test.js src/syntax.test.js
git add -A && git -c user.email=a@b -c user.name=a commit -qm init
# jest --watch needs a TTY for its interactive UI; --watchAll works without.
FORCE_COLOR=1 ./node_modules/.bin/jest --watchAll > watch.log 2>&1 &
wait_for() { for _ in $(seq 1 300); do [ "$(grep -c "$1" watch.log)" -ge "$2" ] && return; sleep 0.1; done; echo "timeout waiting for $1" >&2; cat watch.log >&2; exit 1; }
wait_for "Ran all test suites" 1
sed -i 's/a - b/a + b/' src/math.js
wait_for "Ran all test suites" 2
kill %1; wait || true
save watch < watch.log
