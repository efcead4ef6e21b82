#!/usr/bin/env bash
# Recaptures testdata/node/*.in from real node (uncaught exceptions, unhandled
# rejections, ESM file:// frames, frames in node_modules, assertion errors),
# nodemon restarts, node --test's spec reporter and mocha, and
# testdata/tap/*.in from node --test's TAP reporter. Run from
# logstore/detect; needs node+npm. Not run in CI. (node/mocha-basic,
# node/node-test-spec and tap/node-assert come from an earlier sweep of
# real projects, not from this script.)
set -euo pipefail
out="$(cd "$(dirname "$0")/.." && pwd)/node"
tap="$(dirname "$out")/tap"
root="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$root"' EXIT
cd "$root"
npm init -y >/dev/null
npm i -D nodemon@3 "mocha@${MOCHA_VERSION:-12}" >/dev/null 2>&1
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
cat > src/assert.js <<'T'
const assert = require("node:assert");
function check(n) {
  assert.strictEqual(n, 3);
}
check(4);
T
cat > src/assert-deep.mjs <<'T'
import assert from "node:assert/strict";
assert.deepEqual({ a: [1, 2], b: "x" }, { a: [1, 3], b: "x" });
T
# node --test: its tests, and mocha's.
mkdir -p test/node test/mocha
cat > src/math.js <<'T'
function add(a, b) {
  return a - b;
}
function getName(user) {
  return user.profile.name;
}
module.exports = { add, getName };
T
cat > test/node/sum.test.js <<'T'
const test = require("node:test");
const assert = require("node:assert");
const { add } = require("../../src/math");

test("sum adds", () => {
  assert.strictEqual(add(1, 3), 3);
});
test("deep", () => {
  assert.deepStrictEqual({ a: [1, 2] }, { a: [1, 3] });
});
T
cat > test/node/math.test.js <<'T'
const { describe, it, test } = require("node:test");
const assert = require("node:assert");
const { add, getName } = require("../../src/math");
const lib = require("lib");

describe("math", () => {
  it("adds", () => {
    assert.strictEqual(add(1, 2), 3);
  });
  describe("nested", () => {
    it("reads a name", () => {
      assert.strictEqual(getName({}), "x");
    });
    it("passes", () => {
      assert.ok(true);
    });
  });
});

test("async rejects", async () => {
  await new Promise((r) => setTimeout(r, 1));
  throw new Error("async boom");
});

test("in lib", () => {
  lib.parse("{oops");
});

test("multi\nline message", () => {
  assert.strictEqual("hello\nworld", "hello\nthere");
});
T
cat > test/node/hooks.test.js <<'T'
const { describe, it, before, test } = require("node:test");
const assert = require("node:assert");

describe("with hook", () => {
  before(() => {
    throw new Error("setup failed");
  });
  it("never runs", () => {
    assert.ok(true);
  });
});

test("too slow", { timeout: 20 }, async () => {
  await new Promise((r) => setTimeout(r, 200));
});

test("todo fails", { todo: true }, () => {
  throw new Error("not yet");
});

test("callback", (t, done) => {
  setTimeout(() => done(new TypeError("callback failed")), 1);
});
T
cat > test/node/broken.test.js <<'T'
const { missing } = require("./does-not-exist");
T
cat > test/node/syntax.test.js <<'T'
const x = ;
T
cat > src/str.js <<'T'
exports.shout = function shout(s) {
  return s.toUpperCase() + "!";
};
T
cat > test/mocha/str.spec.js <<'T'
const assert = require("assert");
const { shout } = require("../../src/str");

describe("shout", function () {
  it("adds bang", function () {
    assert.strictEqual(shout("hi"), "HI!!");
  });
  it("handles null", function () {
    assert.strictEqual(shout(null), "");
  });
});
T
save() { sed "s#$root#\$ROOT#g" > "$out/$1.in"; }
savetap() { sed "s#$root#\$ROOT#g" > "$tap/$1.in"; }
mkdir -p "$tap"
node src/assert.js 2>&1 | save assert || true
node src/assert-deep.mjs 2>&1 | save assert-deep || true
node --test test/node/sum.test.js 2>&1 | savetap piped || true
node --test --test-reporter=tap test/node/ 2>&1 | savetap run || true
node --test --test-reporter=spec test/node/ 2>&1 | save test-spec-run || true
./node_modules/.bin/mocha 'test/mocha/*.spec.js' 2>&1 | save mocha || true
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
