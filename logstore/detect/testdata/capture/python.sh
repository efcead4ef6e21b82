#!/usr/bin/env bash
# Recaptures testdata/python/*.in from the real python3 interpreter.
# Usage: bash testdata/capture/python.sh   (from logstore/detect; needs python3 >= 3.11)
# Not run in CI.
set -euo pipefail
out="$(cd "$(dirname "$0")/.." && pwd)/python"
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
cd "$root"
save() { sed "s#$root#\$ROOT#g" > "$out/$1.in"; }
export PYTHONDONTWRITEBYTECODE=1 FORCE_COLOR=1
mkdir -p app/lib
cat > app/lib/calc.py <<'P'
import json


def ratio(a, b):
    return a / b


def load(text):
    return json.loads(text)


def lookup(d, k):
    try:
        return d[k]
    except KeyError as e:
        raise ValueError(f"no key {k!r}") from e


def lookup2(d, k):
    try:
        return d[k]
    except KeyError:
        return undefined_helper(k)
P
touch app/lib/__init__.py
cat > app/main.py <<'P'
import sys
from lib import calc

def main():
    what = sys.argv[1]
    if what == "zero":
        print(calc.ratio(1, 0))
    elif what == "json":
        calc.load("{bad")
    elif what == "chain":
        calc.lookup({}, "k")
    elif what == "during":
        calc.lookup2({}, "k")
    elif what == "exit":
        sys.exit("fatal: configuration missing")

main()
P
for c in zero json chain during; do (cd app && python3 main.py $c 2>&1 | save $c) || true; echo app > "$out/$c.dir"; done
cat > app/syn.py <<'P'
def f(x):
    return (x +* 2)
P
(cd app && python3 syn.py 2>&1 | save syntax) || true
echo app > "$out/syntax.dir"
cat > app/ind.py <<'P'
def f(x):
    if x:
        return 1
      return 2
P
(cd app && python3 ind.py 2>&1 | save indent) || true
echo app > "$out/indent.dir"
cat > app/imp.py <<'P'
import lib.calc
from lib import missing_thing
P
(cd app && python3 imp.py 2>&1 | save import) || true
echo app > "$out/import.dir"
# Absolute paths (python run with an absolute script path from elsewhere).
python3 "$root/app/main.py" zero 2>&1 | save abs || true
# Python prints source lines without their indentation: the parser reads the
# file for columns, so the golden test serves these copies for $ROOT.
rm -rf "$out/src" && mkdir -p "$out/src" && cp -r app "$out/src/"
