#!/usr/bin/env bash
# Recaptures the go test cases of testdata/go that go.sh does not: a test
# timeout's goroutine dump, testify assertions, go test -json (test output
# and build errors) and the compiler's "too many errors".
# Usage: bash testdata/capture/go-test.sh   (from logstore/detect; needs go
# and the Go module proxy for testify)
# Not run in CI.
set -euo pipefail
out="$(cd "$(dirname "$0")/.." && pwd)/go"
root="$(mktemp -d)"
cache="$(mktemp -d)" # outside the workspace, as ~/go is
trap 'chmod -R u+w "$cache"; rm -rf "$root" "$cache"' EXIT
export GOTOOLCHAIN=local GOCACHE="$cache/build" GOMODCACHE="$cache/mod" GOWORK=off
cd "$root"
# save NAME DIR: the output as NAME.in, the process dir, and the project's
# files (the only paths that exist for the golden test).
save() {
	sed "s#$root#\$ROOT#g" > "$out/$1.in"
	echo "$2" > "$out/$1.dir"
	(cd "$root" && find "$2" -name '*.go' | sort) > "$out/$1.files"
}

# A test that hangs past -timeout: the runtime dumps every goroutine, the
# alarm's first.
mkdir -p timeout/slow
printf 'module example.com/t\n\ngo 1.22\n' > timeout/go.mod
cat > timeout/slow/slow.go <<'G'
package slow

import "time"

func Wait() {
	time.Sleep(time.Hour)
}
G
cat > timeout/slow/slow_test.go <<'G'
package slow

import "testing"

func TestFast(t *testing.T) {}

func TestHang(t *testing.T) {
	Wait()
}
G
(cd timeout && go test -timeout 2s ./... 2>&1 | save test-timeout timeout) || true

# testify's assertions: an empty log line, then tab-aligned fields.
mkdir -p testify/store
cat > testify/store/store.go <<'G'
package store

func Get() map[string]int { return map[string]int{"a": 1, "b": 3} }
G
cat > testify/store/store_test.go <<'G'
package store

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAssert(t *testing.T) {
	m := Get()
	assert.Equal(t, 2, m["b"], "value of b")
	assert.Equal(t, map[string]int{"a": 1, "b": 2}, m)
}

func TestRequire(t *testing.T) {
	t.Run("nested", func(t *testing.T) {
		require.True(t, false, "must be true")
	})
}

func TestNoError(t *testing.T) {
	require.NoError(t, errors.New("boom"))
}
G
(cd testify && printf 'module example.com/tf\n\ngo 1.22\n\nrequire github.com/stretchr/testify v1.9.0\n' > go.mod && go mod tidy >/dev/null 2>&1 && go test ./... 2>&1 | save testify testify) || true

# go test -json: failures, a panic, and a package that does not build.
mkdir -p json/calc json/p json/broken
printf 'module example.com/j\n\ngo 1.22\n' > json/go.mod
cat > json/calc/calc.go <<'G'
package calc

func Add(a, b int) int { return a + b + 1 }
G
cat > json/calc/calc_test.go <<'G'
package calc

import "testing"

func TestAdd(t *testing.T) {
	t.Run("outer", func(t *testing.T) {
		if Add(1, 1) != 2 {
			t.Errorf("Add(1,1) = %d; want 2", Add(1, 1))
		}
	})
}

func TestOK(t *testing.T) {
	t.Log("this is fine")
}
G
cat > json/p/p.go <<'G'
package p

func Index(s []int, i int) int {
	return s[i]
}
G
cat > json/p/p_test.go <<'G'
package p

import "testing"

func TestIndex(t *testing.T) {
	Index([]int{1, 2}, 5)
}
G
cat > json/broken/broken_test.go <<'G'
package broken

import "testing"

func TestB(t *testing.T) {
	var s string = 1
	_ = s
}
G
(cd json && go test -json ./... 2>&1 | save test-json json) || true

# More errors than the compiler shows.
mkdir -p many
printf 'module example.com/many\n\ngo 1.22\n' > many/go.mod
{
	echo 'package main'
	echo
	echo 'func main() {'
	for i in $(seq 1 12); do echo "	_ = undef$i"; done
	echo '}'
} > many/main.go
(cd many && go build ./... 2>&1 | save too-many-errors many) || true
