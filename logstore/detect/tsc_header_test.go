package detect

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var (
	tscPlainOracle  = regexp.MustCompile(`^\s*(\S.*?)\((\d+),(\d+)\): (error|warning|message) TS(\d+): (.*)$`)
	tscPrettyOracle = regexp.MustCompile(`^\s*(\S.*?):(\d+):(\d+) - (error|warning|message) TS(\d+): (.*)$`)
)

func checkTscHeader(t *testing.T, line string) {
	t.Helper()
	for _, c := range []struct {
		pretty bool
		re     *regexp.Regexp
	}{{false, tscPlainOracle}, {true, tscPrettyOracle}} {
		want := c.re.FindStringSubmatch(line)
		got, ok := tscSplitHeader(line, c.pretty)
		if ok != (want != nil) {
			t.Fatalf("%q (pretty %v): matched %v, the regexp %v", line, c.pretty, ok, want != nil)
		}
		if ok && [7]string(want) != got {
			t.Fatalf("%q (pretty %v): %q, the regexp %q", line, c.pretty, got, want)
		}
	}
}

func TestTscHeaderMatchesTheRegexps(t *testing.T) {
	lines := []string{
		"src/a.ts(10,7): error TS2322: Type 'string' is not assignable to type 'number'.",
		"src/a.ts:10:7 - error TS2322: Type 'string' is not assignable.",
		"  src/a (copy).ts(1,2): warning TS6133: 'x' is declared but never read.",
		"src/a(1).ts(3,4): message TS1: m",
		"src/x.ts(3,4): error TS: no code",
		"src/x.ts(3,4): error TS12:no space",
		"src/x.ts(,4): error TS12: no line",
		"a:1:2 - error TS1: b:3:4 - error TS2: c",
		"(1,2): error TS1: empty file",
		" \t(1,2): error TS1: empty file after spaces",
		"x(1,2): error TS1: ",
		"C:\\src\\a.ts(1,2): error TS1005: ';' expected.",
		"src/a.ts:1:2 - error TS1005 ';' expected.",
		"",
		"      ",
	}
	// And every line of the captured tsc output.
	lines = append(lines, capturedLines(t, "testdata/tsc/*.in")...)
	for _, l := range lines {
		checkTscHeader(t, l)
	}
}

func FuzzTscHeader(f *testing.F) {
	f.Add("src/a.ts(10,7): error TS2322: T")
	f.Add("src/a.ts:10:7 - warning TS2: x")
	f.Fuzz(func(t *testing.T, line string) {
		if strings.ContainsAny(line, "\n") {
			return // lines never hold one
		}
		checkTscHeader(t, line)
	})
}

// capturedLines is every line (colours removed) of the captured tool
// output in the files that glob matches.
func capturedLines(t *testing.T, glob string) []string {
	t.Helper()
	files, _ := filepath.Glob(glob)
	var lines []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, strings.Split(StripANSI(string(data)), "\n")...)
	}
	return lines
}
