#!/usr/bin/env bash
# Recaptures testdata/monorepo/*.log: tsc errors in two workspace packages
# (packages/a, packages/b), run by pnpm -r, turbo, concurrently and npm
# workspaces, which prefix or head each package's output.
# Usage: bash testdata/capture/monorepo.sh   (from logstore/detect; needs
# node, npm and the npm registry)
# Not run in CI.
set -euo pipefail
out="$(cd "$(dirname "$0")/.." && pwd)/monorepo"
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
cd "$root"
mkdir -p packages/a/src packages/b/src
cat > package.json <<'J'
{"name":"root","private":true,"workspaces":["packages/*"],
 "scripts":{"pnpm":"pnpm -r run build","turbo":"turbo run build","npmws":"npm run build --workspaces",
  "conc":"concurrently \"cd packages/a && tsc -p .\" \"cd packages/b && tsc -p .\""}}
J
printf 'packages:\n  - "packages/*"\n' > pnpm-workspace.yaml
echo '{"tasks":{"build":{}}}' > turbo.json
for p in a b; do
	echo "{\"name\":\"$p\",\"version\":\"1.0.0\",\"scripts\":{\"build\":\"tsc -p .\"}}" > packages/$p/package.json
	echo '{"compilerOptions":{"strict":true,"noEmit":true},"include":["src"]}' > packages/$p/tsconfig.json
done
printf 'const x: number = "a";\nexport {};\n' > packages/a/src/x.ts
printf 'export const y: string = 1;\n' > packages/b/src/y.ts
npm install --no-audit --no-fund -D typescript@5.9.3 pnpm@9.15.9 turbo@2.5.8 concurrently@9.2.1 >/dev/null 2>&1
export PATH="$root/node_modules/.bin:$PATH" TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1 NO_COLOR=1
save() { grep -v 'npm warn' | sed "s#$root#\$ROOT#g" > "$out/$1.log"; } # npm's warnings about this machine's config are no tool output
for s in pnpm npmws conc; do
	npm run "$s" 2>&1 | save "$s" || true
done
# turbo wants to know the package manager (pnpm refuses to run under npm's).
sed -i 's/"private":true,/"private":true,"packageManager":"npm@10.9.0",/' package.json
npm run turbo 2>&1 | save turbo || true
