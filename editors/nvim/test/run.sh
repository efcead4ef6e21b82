#!/usr/bin/env bash
# Runs each *_spec.lua (or the ones named) in its own headless Neovim with
# the plugin on the runtime path, against $BRUMMER_BIN. Exits non-zero when
# any spec fails.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
plugin=$(dirname "$here")
nvim=${NVIM_BIN:-nvim}
: "${BRUMMER_BIN:?set BRUMMER_BIN to the brummer binary (make build)}"
export BRUMMER_BIN
specs=("$@")
if [ ${#specs[@]} -eq 0 ]; then
  specs=("$here"/*_spec.lua)
fi
failed=()
for spec in "${specs[@]}"; do
  spec=$(cd "$(dirname "$spec")" && pwd)/$(basename "$spec")
  if ! timeout 300 "$nvim" --headless -u NONE -i NONE -n \
      --cmd "set rtp^=$plugin" \
      -c "lua dofile('$here/helpers.lua').main('$spec')" </dev/null; then
    failed+=("$(basename "$spec")")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "nvim tests failed: ${failed[*]}"
  exit 1
fi
echo "nvim tests passed"
