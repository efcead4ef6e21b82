#!/usr/bin/env bash
# Recaptures testdata/{stylelint,remark,tslint,prettier,svelte,vue,biome,
# oxlint,xo}/*.in from the real npm linters: a fixture project with a few
# real mistakes per tool (the *-error cases), and the same tools on clean
# files (testdata/clean/*). Each .in starts with no header: the tool's
# version is in the .version file beside it.
# Usage: bash testdata/capture/lint-js.sh   (from logstore/detect; needs
# node+npm). LINT_JS_TOOLS=dir reuses an npm project where the tools are
# installed. Not run in CI.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
tools="${LINT_JS_TOOLS:-}"
if [ -z "$tools" ]; then
	tools="$root/tools"
	mkdir -p "$tools" && (cd "$tools" && npm init -y >/dev/null &&
		npm i -D stylelint@17 stylelint-config-standard@40 remark-cli@12 remark-preset-lint-recommended@7 \
			tslint@6 typescript@5 prettier@3 svelte-check@4 svelte@5 vue-tsc@3 vue@3 @biomejs/biome@2 oxlint@1 xo@2 >/dev/null 2>&1)
fi
bin="$tools/node_modules/.bin"
ln -s "$tools/node_modules" "$root/node_modules"
cd "$root"
mkdir -p proj/src proj/styles proj/docs
cd proj
# save FAMILY CASE TOOL: the output on stdin becomes FAMILY/CASE.in with
# its .dir, .files (every fixture file) and .version.
save() {
	mkdir -p "$here/$1"
	sed "s#$root#\$ROOT#g" > "$here/$1/$2.in"
	echo proj > "$here/$1/$2.dir"
	(cd "$root" && find proj -type f -not -path '*/node_modules/*' | sort) > "$here/$1/$2.files"
	echo "$3 $("$bin/$3" --version 2>&1 | head -1)" > "$here/$1/$2.version"
}
cat > package.json <<'J'
{ "name": "proj", "version": "1.0.0", "type": "module" }
J
cat > .stylelintrc.json <<'J'
{ "extends": "stylelint-config-standard", "rules": { "length-zero-no-unit": [true, { "severity": "warning" }] } }
J
cat > styles/app.css <<'C'
a { color: #FFF; }
.box {
  colr: red;
  margin: 0px;
}
b {
  color: red;;
}
C
cat > styles/ok.css <<'C'
a {
  color: #fff;
}
C
cat > .remarkrc.json <<'J'
{ "plugins": ["remark-preset-lint-recommended"] }
J
cat > docs/guide.md <<'M'
# Guide

* one
- two

[link]: http://example.com
[link]: http://example.com/again

Some text with a [broken][nope] reference.
M
cat > docs/ok.md <<'M'
# Fine

Just text.
M
cat > tslint.json <<'J'
{ "extends": "tslint:recommended", "rules": { "no-console": false } }
J
cat > tsconfig.json <<'J'
{ "compilerOptions": { "strict": true, "noEmit": true, "target": "es2022", "module": "esnext", "moduleResolution": "bundler" }, "include": ["src"] }
J
cat > src/lib.ts <<'T'
var x = 1
export function f(a: number) {
  if (a == 2) { return "two" }
  return x
}
T
cat > src/ok.ts <<'T'
export const ok = 1;
T
cat > src/App.svelte <<'S'
<script lang="ts">
  let count: number = "zero";
  function inc() { count += 1; }
</script>

<button on:click={inc}>{cont}</button>
S
cat > src/Ok.svelte <<'S'
<script lang="ts">
  let n: number = 1;
</script>

<p>{n}</p>
S
cat > src/Comp.vue <<'V'
<script setup lang="ts">
const count: number = "zero";
</script>

<template>
  <p>{{ missing }}</p>
</template>
V
cat > src/util.js <<'T'
const unused = 1;
export function g(a) {
  if (a == null) { debugger; }
  return a
}
T
cat > src/ok.js <<'T'
export const fine = 1;
T
"$bin/stylelint" "styles/*.css" 2>&1 | save stylelint errors stylelint || true
"$bin/stylelint" "styles/ok.css" 2>&1 | save clean stylelint-ok stylelint || true
"$bin/remark" docs --quiet --frail 2>&1 | save remark errors remark || true
"$bin/remark" docs/ok.md --frail 2>&1 | save clean remark-ok remark || true
"$bin/tslint" -p . 2>&1 | save tslint stylish tslint || true
"$bin/tslint" -p . -t prose 2>&1 | save tslint prose tslint || true
"$bin/tslint" -p . -t verbose 2>&1 | save tslint verbose tslint || true
"$bin/tslint" src/ok.ts 2>&1 | save clean tslint-ok tslint || true
"$bin/prettier" --check src styles 2>&1 | save prettier check prettier || true
"$bin/prettier" --check src/ok.ts 2>&1 | save clean prettier-ok prettier || true
"$bin/svelte-check" --tsconfig ./tsconfig.json 2>&1 | save svelte human svelte-check || true
"$bin/svelte-check" --tsconfig ./tsconfig.json --output machine 2>&1 | save svelte machine svelte-check || true
"$bin/vue-tsc" --noEmit -p tsconfig.vue.json 2>&1 >/dev/null || true
cat > tsconfig.vue.json <<'J'
{ "compilerOptions": { "strict": true, "noEmit": true, "target": "es2022", "module": "esnext", "moduleResolution": "bundler" }, "include": ["src/*.vue"] }
J
"$bin/vue-tsc" --noEmit -p tsconfig.vue.json 2>&1 | save vue plain vue-tsc || true
"$bin/vue-tsc" --noEmit -p tsconfig.vue.json --pretty 2>&1 | save vue pretty vue-tsc || true
"$bin/biome" lint src 2>&1 | save biome lint biome || true
"$bin/biome" check src 2>&1 | save biome check biome || true
"$bin/biome" lint src/ok.js 2>&1 | save clean biome-ok biome || true
"$bin/oxlint" src 2>&1 | save oxlint default oxlint || true
"$bin/oxlint" -f unix src 2>&1 | save oxlint unix oxlint || true
"$bin/oxlint" src/ok.js 2>&1 | save clean oxlint-ok oxlint || true
"$bin/xo" src/util.js 2>&1 | save xo errors xo || true
"$bin/xo" src/ok.js 2>&1 | save clean xo-ok xo || true
