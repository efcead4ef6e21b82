#!/usr/bin/env bash
# Recaptures testdata/go/*.in from the real go command (build, vet, test, panics,
# races).
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

# The race detector (go test -race, go run -race), and the runtime's own
# "concurrent map writes" throw without it.
mkdir -p race/counter race/store race/maps race/cmd/app
cat > race/go.mod <<'G'
module example.com/race

go 1.22
G
cat > race/counter/counter.go <<'G'
package counter

type Counter struct {
	n int
}

func (c *Counter) Inc() {
	c.n++
}

func (c *Counter) Get() int {
	return c.n
}
G
cat > race/counter/counter_test.go <<'G'
package counter

import (
	"sync"
	"testing"
)

func TestRace(t *testing.T) {
	c := &Counter{}
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.Inc()
		}()
	}
	wg.Wait()
	if c.Get() != 2 {
		t.Errorf("got %d", c.Get())
	}
}
G
# The test's goroutine races with one the package started.
cat > race/store/store.go <<'G'
package store

import "time"

var hits int

// Start counts hits in the background.
func Start() {
	go func() {
		for i := 0; i < 3; i++ {
			hits++
			time.Sleep(time.Millisecond)
		}
	}()
}

func Hits() int { return hits }
G
cat > race/store/store_test.go <<'G'
package store

import (
	"testing"
	"time"
)

func TestHits(t *testing.T) {
	Start()
	time.Sleep(5 * time.Millisecond)
	if Hits() < 0 {
		t.Fatal("negative")
	}
}
G
# The racing access's stack starts in the runtime (mapassign).
cat > race/maps/maps.go <<'G'
package maps

import "sync"

func Fill(n int) map[int]int {
	m := map[int]int{}
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			m[i] = i
		}(i)
	}
	wg.Wait()
	return m
}
G
cat > race/maps/maps_test.go <<'G'
package maps

import "testing"

func TestFill(t *testing.T) {
	if len(Fill(50)) != 50 {
		t.Error("lost writes")
	}
}
G
# The main goroutine races with another: no test, "Found 1 data race(s)".
cat > race/cmd/app/main.go <<'G'
package main

import (
	"fmt"
	"time"
)

var ready bool

func main() {
	go func() {
		ready = true
	}()
	time.Sleep(10 * time.Millisecond)
	fmt.Println("ready:", ready)
}
G
(cd race && go test -race ./... 2>&1 | save race) || true
(cd race && go test -race -v ./store 2>&1 | save race-verbose) || true
# The same race twice in one output is one problem.
(cd race && { go test -race -count=1 ./counter; go test -race -count=1 ./counter; } 2>&1 | save race-twice) || true
(cd race && go run -race ./cmd/app 2>&1 | save race-run) || true
# Without -race the map's writers may die of the runtime's check instead.
for i in $(seq 30); do
	(cd race && go test -count=1 ./maps > "$root/map.out" 2>&1) || true
	if grep -q 'concurrent map' "$root/map.out"; then break; fi
done
save map-fatal < "$root/map.out"
for c in race race-verbose race-twice race-run map-fatal; do
	echo race > "$out/$c.dir"
	# testing.go and _testmain.go are no files of the project.
	find race -name '*.go' | sort > "$out/$c.files"
done
