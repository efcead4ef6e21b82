#!/usr/bin/env bash
# Recaptures testdata/python/pytest-*.in and lint-*.in: pytest failures in
# its three traceback styles, mypy, flake8 and pylint findings.
# Usage: bash testdata/capture/pytest.sh   (from logstore/detect; needs
# Debian's python3-pytest, mypy, flake8 and pylint)
# Not run in CI.
set -euo pipefail
out="$(cd "$(dirname "$0")/.." && pwd)/python"
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
cd "$root"
mkdir -p proj/app proj/tests
touch proj/app/__init__.py proj/tests/__init__.py
cat > proj/app/calc.py <<'P'
def add(a: int, b: int) -> int:
    return a + b + 1


def div(a, b):
    return a / b
P
cat > proj/tests/test_calc.py <<'P'
from app.calc import add, div


def test_add():
    assert add(1, 1) == 2


def test_div():
    assert div(1, 0) == 0


def test_ok():
    assert add(0, -1) == 0
P
cat > proj/app/typed.py <<'P'
import os


def f(x: int) -> str:
    return x


y: int = "a"
reveal_type(y)
P
save() {
	sed "s#$root#\$ROOT#g" > "$out/$1.in"
	echo proj > "$out/$1.dir"
	(cd "$root" && find proj -name '*.py' | sort) > "$out/$1.files"
}
cd proj
export PYTHONDONTWRITEBYTECODE=1
for tb in long short line; do
	/usr/bin/python3 -m pytest -p no:cacheprovider --tb=$tb 2>&1 | save "pytest-$tb" || true
done
/usr/bin/mypy --no-incremental --show-column-numbers app 2>&1 | save lint-mypy || true
/usr/bin/flake8 app 2>&1 | save lint-flake8 || true
/usr/bin/pylint app 2>&1 | save lint-pylint || true
