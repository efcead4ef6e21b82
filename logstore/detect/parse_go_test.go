package detect

import (
	"os"
	"path/filepath"
	"testing"
)

func TestGoVariants(t *testing.T) {
	natRun(t, []natCase{
		{name: "dot slash paths of older go", dir: "m",
			lines: []string{"# example.com/m", "./main.go:5:2: undefined: x", "./main.go:9: too many errors"},
			// "too many errors" is the compiler stopping, not a problem.
			want: "m/main.go:5:2 error go undefined: x\n"},
		{name: "vet prefix",
			lines: []string{"vet: a/b.go:3:1: unreachable code"},
			want:  "a/b.go:3:1 error go unreachable code\n"},
		{name: "panic without workspace frames",
			lines: []string{"panic: boom", "", "goroutine 1 [running]:", "main.main()", "\t/usr/local/go/src/x.go:3 +0x1", "exit status 2"}},
		{name: "panic only the first goroutine", files: []string{"a.go", "b.go"},
			lines: []string{"panic: boom [recovered]", "\tpanic: again", "", "goroutine 7 [running]:", "main.f(...)", "\t/ws/a.go:3 +0x1",
				"", "goroutine 1 [chan receive]:", "main.main()", "\t/ws/b.go:9 +0x2", "exit status 2"},
			want: "a.go:3:0 error go panic: boom\n"},
		{name: "fatal error deadlock", files: []string{"main.go"},
			lines: []string{"fatal error: all goroutines are asleep - deadlock!", "", "goroutine 1 [chan receive]:", "main.main()", "\t/ws/main.go:4 +0x25", "exit status 2"},
			want:  "main.go:4:0 error go fatal error: all goroutines are asleep - deadlock!\n"},
		{name: "panic text followed by other output", files: []string{"a.c"},
			lines: []string{"panic: not go", "", "a.c:1:2: error: mine"},
			want:  "a.c:1:2 error gcc mine\n"},
		{name: "panic text that is no go panic",
			lines: append([]string{"panic: not really"}, make([]string, 40)...)},
		{name: "test log of a passing test is dropped (-v)", dir: "", files: []string{"p/a_test.go"},
			lines: []string{"=== RUN   TestA", "    a_test.go:5: just a log", "--- PASS: TestA (0.00s)", "=== RUN   TestB",
				"    a_test.go:9: boom", "--- FAIL: TestB (0.00s)", "FAIL", "FAIL\texample.com/x/p\t0.01s"},
			want: "p/a_test.go:9:0 error go boom\n"},
		{name: "ok package drops everything", files: []string{"p/a_test.go"},
			lines: []string{"=== RUN   TestA", "    a_test.go:5: log", "--- PASS: TestA (0.00s)", "ok  \texample.com/x/p\t0.01s"}},
		{name: "test file at the process dir without package line", dir: "p", files: []string{"p/a_test.go"},
			lines: []string{"--- FAIL: TestB (0.00s)", "    a_test.go:9: boom"},
			want:  "p/a_test.go:9:0 error go boom\n"},
	})
}

// go test names files relative to the package: the module path in go.mod
// maps the import path printed on the FAIL line to the directory.
func TestGotestResolvesThroughGoMod(t *testing.T) {
	root := t.TempDir()
	for name, text := range map[string]string{
		"go.mod":                  "module example.com/deep\n\ngo 1.22\n",
		"internal/x/calc_test.go": "package x\n",
		"calc_test.go":            "package deep\n",
	} {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	d := NewDetector(Env{Dir: root, Roots: []string{root}}, BuiltinParsers())
	var got []Problem
	for _, l := range []string{"--- FAIL: TestX (0.00s)", "    calc_test.go:7: wrong", "FAIL", "FAIL\texample.com/deep/internal/x\t0.003s"} {
		got = append(got, d.Feed(l).Problems...)
	}
	if len(got) != 1 || got[0].File != filepath.Join(root, "internal/x/calc_test.go") || got[0].Line != 7 {
		t.Fatalf("got %+v", got)
	}
}

func TestGoRace(t *testing.T) {
	rule, warn := "==================", "WARNING: DATA RACE"
	natRun(t, []natCase{
		{name: "testing.go of the package is not the race's", files: []string{"p/testing.go", "p/a_test.go"},
			lines: []string{rule, warn, "Read at 0x1 by goroutine 7:", "  example.com/x/p.TestA()", "      /usr/local/go/src/x.go:3 +0x1", rule,
				"--- FAIL: TestA (0.00s)", "    testing.go:1712: race detected during execution of test",
				"    a_test.go:9: boom", "FAIL", "FAIL\texample.com/x/p\t0.01s"},
			want: "p/a_test.go:9:0 error go boom\n"},
		{name: "access without workspace frame falls back to the previous one", files: []string{"a.go", "b.go"},
			lines: []string{rule, warn, "Write at 0x1 by main goroutine:", "  runtime.mapassign()", "      /usr/local/go/src/runtime/map.go:3 +0x1", "",
				"Previous write at 0x1 by goroutine 7:", "  main.f()", "      /ws/a.go:4 +0x1", "",
				"Goroutine 7 (finished) created at:", "  main.main()", "      /ws/b.go:5 +0x2", rule, "Found 1 data race(s)", "exit status 66"},
			want: "a.go:4:0 error go DATA RACE: write, previous write & b.go:5\n"},
		{name: "module cache and outside frames never count", files: []string{"go/pkg/mod/example.com/dep@v1.0.0/d.go", "main.go"},
			lines: []string{rule, warn, "Read at 0x1 by goroutine 8:", "  example.com/dep.F()", "      /ws/go/pkg/mod/example.com/dep@v1.0.0/d.go:3 +0x1",
				"  main.g()", "      /ws/main.go:9 +0x1", "  main.h()", "      /ws/main.go:20 +0x1", "",
				"Previous read at 0x1 by goroutine 9:", "  example.com/dep.F()", "      /other/d.go:3 +0x1", rule},
			want: "main.go:9:0 error go DATA RACE: read, previous read\n"},
		{name: "heap block allocation is no access", files: []string{"a.go", "main.go"},
			lines: []string{rule, warn, "Heap block of size 8 at 0x1 allocated by goroutine 3:", "  main.n()", "      /ws/a.go:2 +0x1", "",
				"Write at 0x1 by goroutine 8:", "  main.g()", "      /ws/main.go:9 +0x1", rule},
			want: "main.go:9:0 error go DATA RACE: write\n"},
		{name: "no workspace frame at all", files: []string{"main.go"},
			lines: []string{rule, warn, "Read at 0x1 by goroutine 8:", "  runtime.f()", "      /usr/local/go/src/runtime/f.go:3 +0x1", rule}},
		{name: "cut off report is flushed", files: []string{"main.go"},
			lines: []string{rule, warn, "Read at 0x1 by goroutine 8:", "  main.g()", "      /ws/main.go:9 +0x1"},
			want:  "main.go:9:0 error go DATA RACE: read\n"},
		{name: "a rule alone is no report", files: []string{"a/b.go"},
			lines: []string{rule, "a/b.go:3:4: undefined: x", rule, rule, "      /ws/a/b.go:1 +0x1"},
			want:  "a/b.go:3:4 error go undefined: x\n"},
		{name: "other output between the report's lines", files: []string{"main.go", "a/b.go"},
			lines: []string{rule, warn, "Read at 0x1 by goroutine 8:", "a/b.go:3:4: undefined: x", "  main.g()", "      /ws/main.go:9 +0x1", rule},
			want:  "a/b.go:3:4 error go undefined: x\nmain.go:9:0 error go DATA RACE: read\n"},
	})
}
