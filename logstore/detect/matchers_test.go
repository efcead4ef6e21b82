package detect

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

// matcherRun feeds a captured output file (testdata, $ROOT = the capture
// directory) through the given parsers, with every file under the root
// existing, and returns what they found.
func matcherRun(t *testing.T, in, dir string, parsers ...Parser) []Problem {
	t.Helper()
	b, err := os.ReadFile(in)
	if err != nil {
		t.Fatal(err)
	}
	env := Env{Dir: filepath.Join(goldenRoot, dir), Roots: []string{goldenRoot},
		Exists: func(abs string) bool { return strings.HasPrefix(abs, goldenRoot+"/") }}
	d := NewDetector(env, parsers)
	var got []Problem
	text := strings.ReplaceAll(StripANSI(string(b)), "$ROOT", goldenRoot)
	for _, l := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		got = append(got, d.Feed(l).Problems...)
	}
	return append(got, d.Flush().Problems...)
}

func matcherCheck(t *testing.T, got []Problem, want []Problem) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d problems, want %d:\n%+v", len(got), len(want), got)
	}
	for i := range want {
		g, w := got[i], want[i]
		g.Related, w.Related = nil, nil
		if g.Location != w.Location || g.Severity != w.Severity || g.Message != w.Message || g.Source != w.Source || g.Code != w.Code {
			t.Errorf("problem %d:\n got %+v\nwant %+v", i, g, w)
		}
	}
}

func TestNamedMatcherOnYamllint(t *testing.T) {
	f, err := NamedMatcher("yamllint")
	if err != nil {
		t.Fatal(err)
	}
	got := matcherRun(t, "testdata/generic/yamllint.txt", "proj", f())
	file := goldenRoot + "/proj/conf/app.yaml"
	matcherCheck(t, got, []Problem{
		{Location: Location{File: file, Line: 1, Column: 1}, Message: `[warning] missing document start "---" (document-start)`, Source: "yamllint"},
		{Location: Location{File: file, Line: 4, Column: 6}, Message: "[error] too many spaces after hyphen (hyphens)", Source: "yamllint"},
		{Location: Location{File: file, Line: 5, Column: 11}, Message: "[error] trailing spaces (trailing-spaces)", Source: "yamllint"},
		{Location: Location{File: file, Line: 6, Column: 1}, Message: `[error] duplication of key "key" in mapping (key-duplicates)`, Source: "yamllint"},
	})
}

func TestNamedMatcherUnknownListsNames(t *testing.T) {
	_, err := NamedMatcher("no-such-linter")
	if !errors.Is(err, ErrMatcherUnknown) || !strings.Contains(err.Error(), "no-such-linter") ||
		!strings.Contains(err.Error(), "golint") || !strings.Contains(err.Error(), "yamllint") {
		t.Fatalf("err = %v", err)
	}
}

// A multi-line errorformat on shellcheck's default output: an entry starts
// at "In file line N:" and ends at the first ^-- pointer line, whose
// indentation gives the column (%p).
func TestErrorformatMatcherMultiLine(t *testing.T) {
	defer goleak.VerifyNone(t)
	f, err := NewErrorformatMatcher("shellcheck", []string{
		`%EIn %f line %l:`,
		`%Z%p^%[-^]%# SC%n (%t%*[a-z]): %m`,
		`%C%.%#`,
		`%-G%.%#`,
	})
	if err != nil {
		t.Fatal(err)
	}
	got := matcherRun(t, "testdata/generic/shellcheck-tty.txt", "proj", f())
	file := goldenRoot + "/proj/scripts/run.sh"
	matcherCheck(t, got, []Problem{
		// %E makes them errors; the library takes the column from a
		// non-empty %p only, and %C without %m adds nothing to the message.
		{Location: Location{File: file, Line: 3}, Severity: Error, Message: "Use 'cd ... || exit' or 'cd ... || return' in case cd fails.", Source: "shellcheck", Code: "2164"},
		{Location: Location{File: file, Line: 4, Column: 10}, Severity: Error, Message: "Iterating over ls output is fragile. Use globs.", Source: "shellcheck", Code: "2045"},
		{Location: Location{File: file, Line: 5, Column: 3}, Severity: Error, Message: "x is referenced but not assigned.", Source: "shellcheck", Code: "2154"},
	})
}

// An entry still open when output pauses comes out at Flush, and the next
// line starts a fresh scanner.
func TestErrorformatMatcherFlushEndsOpenEntry(t *testing.T) {
	defer goleak.VerifyNone(t)
	f, err := NewErrorformatMatcher("typos", []string{`%Eerror: %m`, `%C  --> %f:%l:%c%Z`, `%C%m`, `%-G%.%#`})
	if err != nil {
		t.Fatal(err)
	}
	env := Env{Dir: "/w", Roots: []string{"/w"}}
	d := NewDetector(env, []Parser{f()})
	if n := len(d.Feed("error: `teh` should be `the`").Problems); n != 0 {
		t.Fatalf("problem before the entry ended: %d", n)
	}
	if n := len(d.Feed("  --> a.txt:3:7").Problems); n != 1 {
		t.Fatalf("the %%Z line gave %d problems, want 1", n)
	}
	// Open entry at a pause: Flush hands it out.
	d.Feed("error: `recieve` should be `receive`")
	d.Feed("  --> c.txt:5:1")
	d.Feed("error: open")
	if got := d.Flush().Problems; len(got) != 0 {
		// An entry without a file is not a problem.
		t.Fatalf("flush of a file-less entry: %+v", got)
	}
	d.Feed("error: again")
	out := d.Feed("  --> b.txt:1:2")
	if len(out.Problems) != 1 || out.Problems[0].File != "/w/b.txt" || out.Problems[0].Line != 1 || out.Problems[0].Column != 2 {
		t.Fatalf("after flush: %+v", out.Problems)
	}
	d.Flush()
}

func TestErrorformatMatcherBadPattern(t *testing.T) {
	_, err := NewErrorformatMatcher("x", []string{"%f:%l: %m", "%*[abc"})
	if !errors.Is(err, ErrMatcherPattern) || !strings.Contains(err.Error(), `"%*[abc"`) {
		t.Fatalf("err = %v", err)
	}
	if _, err := NewErrorformatMatcher("x", nil); !errors.Is(err, ErrMatcherPattern) {
		t.Fatalf("no patterns: err = %v", err)
	}
}

func TestRegexpMatcherOnShellcheckGcc(t *testing.T) {
	f, err := NewRegexpMatcher(RegexpSpec{
		Name:   "shellcheck",
		Regexp: `^(.+?):(\d+):(\d+): (\w+): (.*) \[(SC\d+)\]$`,
		File:   1, Line: 2, Column: 3, Severity: 4, Message: 5, Code: 6,
	})
	if err != nil {
		t.Fatal(err)
	}
	// The user's matcher comes first and claims its lines: the built-in gcc
	// parser must not report them again.
	got := matcherRun(t, "testdata/generic/shellcheck-gcc.txt", "proj", append([]Parser{f()}, BuiltinParsers()...)...)
	file := goldenRoot + "/proj/scripts/run.sh"
	if len(got) != 9 {
		t.Fatalf("got %d problems, want 9: %+v", len(got), got)
	}
	matcherCheck(t, got[:3], []Problem{
		{Location: Location{File: file, Line: 3, Column: 1}, Severity: Warning, Message: "Use 'cd ... || exit' or 'cd ... || return' in case cd fails.", Source: "shellcheck", Code: "SC2164"},
		{Location: Location{File: file, Line: 3, Column: 4}, Severity: Info, Message: "Double quote to prevent globbing and word splitting.", Source: "shellcheck", Code: "SC2086"},
		{Location: Location{File: file, Line: 4, Column: 10}, Severity: Error, Message: "Iterating over ls output is fragile. Use globs.", Source: "shellcheck", Code: "SC2045"},
	})
}

func TestRegexpMatcherRanges(t *testing.T) {
	f, err := NewRegexpMatcher(RegexpSpec{
		Regexp: `^LINT (\S+) (\d+):(\d+)-(\d+):(\d+) (.*)$`,
		File:   1, Line: 2, Column: 3, EndLine: 4, EndColumn: 5, Message: 6,
		Source: "lint", DefaultSeverity: "warning",
	})
	if err != nil {
		t.Fatal(err)
	}
	p := f()
	env := &Env{Dir: "/w", Roots: []string{"/w"}}
	var out Output
	if p.Feed("other line", false, env, &out) || p.Feed("LINT a.js 1:2-3:4 msg", true, env, &out) {
		t.Fatal("took a line that is not its own or was claimed")
	}
	if !p.Feed("LINT src/a.js 1:2-3:4 bad thing", false, env, &out) {
		t.Fatal("did not take its line")
	}
	want := Problem{Location: Location{File: "/w/src/a.js", Line: 1, Column: 2, EndLine: 3, EndColumn: 4},
		Severity: Warning, Message: "bad thing", Source: "lint"}
	if len(out.Problems) != 1 || out.Problems[0].Location != want.Location || out.Problems[0].Severity != Warning ||
		out.Problems[0].Message != want.Message || out.Problems[0].Source != "lint" {
		t.Fatalf("got %+v", out.Problems)
	}
	out.Problems = nil
	// Outside the workspace: taken, not reported.
	if !p.Feed("LINT /etc/x.js 1:2-3:4 bad", false, env, &out) || len(out.Problems) != 0 {
		t.Fatalf("outside workspace: %+v", out.Problems)
	}
}

func TestRegexpMatcherBadSpecs(t *testing.T) {
	for _, tc := range []struct {
		spec RegexpSpec
		want string
	}{
		{RegexpSpec{Name: "m", Regexp: `(a`, File: 1, Message: 1}, "does not compile"},
		{RegexpSpec{Name: "m", Regexp: `(a):(b)`, File: 1, Message: 3}, "group message = 3"},
		{RegexpSpec{Name: "m", Regexp: `(a):(b)`, File: 1}, "file and message groups are required"},
		{RegexpSpec{Name: "m", Regexp: `(a):(b)`, File: 1, Message: 2, DefaultSeverity: "loud"}, `default severity "loud"`},
	} {
		_, err := NewRegexpMatcher(tc.spec)
		if !errors.Is(err, ErrMatcherPattern) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), `"m"`) {
			t.Errorf("%+v: err = %v, want one naming %q", tc.spec, err, tc.want)
		}
	}
}

// A detector dropped in the middle of an entry, without Flush, must not
// leave its scanner coroutine behind.
func TestErrorformatMatcherDroppedWithoutFlush(t *testing.T) {
	f, err := NewErrorformatMatcher("typos", []string{`%Eerror: %m`, `%C  --> %f:%l:%c%Z`, `%-G%.%#`})
	if err != nil {
		t.Fatal(err)
	}
	func() {
		d := NewDetector(Env{Dir: "/w", Roots: []string{"/w"}}, []Parser{f()})
		d.Feed("error: open entry")
	}()
	for i := 0; i < 5; i++ {
		runtime.GC()
	}
	goleak.VerifyNone(t)
}
