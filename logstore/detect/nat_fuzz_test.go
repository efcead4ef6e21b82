package detect

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// natFuzzParsers is every built-in parser plus one user matcher of each
// kind, so that the fuzzer reaches the matchers too.
func natFuzzParsers(t testing.TB) []Parser {
	re, err := NewRegexpMatcher(RegexpSpec{Regexp: `^(\S+):(\d+):(\d+): (\w+): (.*)$`, File: 1, Line: 2, Column: 3, Severity: 4, Message: 5})
	if err != nil {
		t.Fatal(err)
	}
	efm, err := NewErrorformatMatcher("efm", []string{`%EIn %f line %l:`, `%Z%p^%[-^]%# SC%n (%t%*[a-z]): %m`, `%C%.%#`, `%-G%.%#`})
	if err != nil {
		t.Fatal(err)
	}
	return append([]Parser{re(), efm()}, BuiltinParsers()...)
}

// FuzzFeedNative feeds arbitrary text, line by line, through a Detector
// with every parser: no panic, every problem well formed.
func FuzzFeedNative(f *testing.F) {
	for _, dir := range []string{"go", "rust", "python", "gcc", "generic"} {
		ins, _ := filepath.Glob(filepath.Join("testdata", dir, "*.in"))
		for _, in := range ins {
			if b, err := os.ReadFile(in); err == nil {
				f.Add(strings.ReplaceAll(string(b), "$ROOT", natRoot))
			}
		}
	}
	f.Add("panic: x\n\ngoroutine 1 [running]:\nmain.main()\n\t/ws/a.go:1 +0x1\n")
	f.Add("error[E1]: x\n --> a.rs:1:1\n  |\n1 | x\n  | ^^^\n")
	f.Add("Traceback (most recent call last):\n  File \"a.py\", line 1, in <module>\n    x\n    ^\nE: y\n")
	f.Fuzz(func(t *testing.T, text string) {
		env := Env{Dir: natRoot + "/d", Roots: []string{natRoot}, Exists: func(abs string) bool { return strings.HasPrefix(abs, natRoot+"/") }}
		d := NewDetector(env, natFuzzParsers(t))
		check := func(o *Output) {
			for _, p := range o.Problems {
				if p.File == "" || !strings.HasPrefix(p.File, natRoot+"/") || p.Line < 0 || p.Column < 0 || p.EndColumn < 0 {
					t.Fatalf("bad problem %+v", p)
				}
			}
		}
		for _, l := range strings.Split(text, "\n") {
			check(d.Feed(l))
		}
		check(d.Flush())
	})
}

// Huge and binary lines go through without panic, and messages that grow
// line by line stay bounded (BenchmarkParsersNative measures the speed).
func TestNativeParsersLongLines(t *testing.T) {
	big := strings.Repeat("a:1:", 1<<18) // 1 MiB of candidate locations
	lines := []string{
		big,
		strings.Repeat(":9", 1<<19),
		"\x00\xff\xfe" + strings.Repeat("\x1b[31m", 1<<16),
		"panic: " + big,
		"Traceback (most recent call last):",
		`  File "` + big + `", line 1, in f`,
		"error[E0001]: " + big,
		" --> " + big,
		"thread 'main' panicked at " + big,
		strings.Repeat("    more\n", 1),
	}
	env := Env{Dir: natRoot, Roots: []string{natRoot}, Exists: func(string) bool { return true }}
	d := NewDetector(env, natFuzzParsers(t))
	for _, l := range lines {
		d.Feed(l)
	}
	d.Flush()
	// A flood of continuation lines keeps the message bounded.
	var got []Problem
	for _, l := range []string{"# example.com/m", "a.go:1:2: first"} {
		got = append(got, d.Feed(l).Problems...)
	}
	for j := 0; j < 5000; j++ {
		got = append(got, d.Feed("\t"+big[:1024]).Problems...)
	}
	got = append(got, d.Flush().Problems...)
	if len(got) != 1 || len(got[0].Message) > natMaxMessage || !strings.HasPrefix(got[0].Message, "first\na:1:") {
		t.Fatalf("flood: %d problems, message of %d bytes", len(got), len(got[0].Message))
	}
}
