#!/usr/bin/env bash
# Recaptures testdata/go/*.in from the real go command (build, vet, test, panics).
# Usage: bash testdata/capture/go.sh   (from logstore/detect; needs go)
# Not run in CI.
set -euo pipefail
out="$(cd "$(dirname "$0")/.." && pwd)/go"
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
export GOFLAGS=-mod=mod GOTOOLCHAIN=local GOCACHE="$root/.cache" GOWORK=off
cd "$root"
save() { sed "s#$root#\$ROOT#g" > "$out/$1.in"; }

mkdir -p build/pkg build/cmd/app
cat > build/go.mod <<'G'
module example.com/m

go 1.22
G
cat > build/pkg/util.go <<'G'
package pkg

func Add(a, b int) int {
	var unused string
	return a + b + "x"
}

func Two() int { return 1, 2 }
G
cat > build/cmd/app/main.go <<'G'
package main

import (
	"fmt"
	"os"

	"example.com/m/pkg"
)

func main() {
	fmt.Println(undefinedName, pkg.Add(1, 2))
}
G
(cd build && go build ./... 2>&1 | save build) || true
# From a subdirectory: go prints paths relative to the current directory.
(cd build/cmd && go build -o /dev/null ./... 2>&1 | save build-subdir) || true
echo build/cmd > "$out/build-subdir.dir"
echo build > "$out/build.dir"

mkdir -p vet/pkg
cat > vet/go.mod <<'G'
module example.com/v

go 1.22
G
cat > vet/pkg/v.go <<'G'
package pkg

import "fmt"

func Show(n int) {
	fmt.Printf("%s\n", n)
	var x int
	x = x
	fmt.Println("done", n)
}
G
(cd vet && go vet ./... 2>&1 | save vet) || true
echo vet > "$out/vet.dir"

mkdir -p tst/calc tst/strs
cat > tst/go.mod <<'G'
module example.com/t

go 1.22
G
cat > tst/calc/calc.go <<'G'
package calc

func Mul(a, b int) int { return a + b }
G
cat > tst/calc/calc_test.go <<'G'
package calc

import "testing"

func TestMul(t *testing.T) {
	if got := Mul(2, 3); got != 6 {
		t.Errorf("Mul(2, 3) = %d, want 6", got)
	}
}

func TestSub(t *testing.T) {
	t.Run("zero", func(t *testing.T) {
		t.Fatal("sub failed\nsecond line")
	})
}

func TestOK(t *testing.T) {}
G
cat > tst/strs/strs.go <<'G'
package strs

func At(s []string, i int) string { return s[i] }
G
cat > tst/strs/strs_test.go <<'G'
package strs

import "testing"

func TestAt(t *testing.T) {
	_ = At(nil, 3)
}
G
mkdir -p tst/broken
cat > tst/broken/b.go <<'G'
package broken

func Two() int { return 2 }
G
cat > tst/broken/b_test.go <<'G'
package broken

import "testing"

func TestTwo(t *testing.T) {
	var s string = Two()
	_ = s
}
G
(cd tst && go test ./... 2>&1 | save test) || true
echo tst > "$out/test.dir"
# go test names files relative to their package: list the files that exist
# so that the golden test can tell the right directory from the wrong ones.
find tst -name '*.go' | sort > "$out/test.files"
(cd tst && go test -v ./calc 2>&1 | save test-verbose) || true
echo tst > "$out/test-verbose.dir"
cp "$out/test.files" "$out/test-verbose.files"

mkdir -p pan/internal/work
cat > pan/go.mod <<'G'
module example.com/p

go 1.22
G
cat > pan/internal/work/work.go <<'G'
package work

import "strconv"

type Job struct{ N string }

func (j *Job) Run() int {
	n, err := strconv.Atoi(j.N)
	if err != nil {
		panic("bad job: " + err.Error())
	}
	return n
}

func Nil(m map[string]int) { var p *Job; _ = p.N }
G
cat > pan/main.go <<'G'
package main

import (
	"os"

	"example.com/p/internal/work"
)

func main() {
	if len(os.Args) > 1 {
		work.Nil(nil)
	}
	j := &work.Job{N: "x"}
	j.Run()
}
G
(cd pan && go build -o app . && ./app 2>&1 | save panic) || true
(cd pan && ./app nil 2>&1 | save panic-nil) || true
echo pan > "$out/panic.dir"
echo pan > "$out/panic-nil.dir"
