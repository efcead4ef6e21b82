package detect

import (
	"regexp"
	"testing"
)

var nodeErrorOracle = regexp.MustCompile(`^\s*(?:Uncaught )?((?:[A-Z][A-Za-z0-9_$]*)?(?:Error|Exception))(?: \[([A-Za-z0-9_]+)\])?(?::(?: (.*))?)?$`)

func checkNodeError(t *testing.T, line string) {
	t.Helper()
	want := nodeErrorOracle.FindStringSubmatch(line)
	got, ok := nodeSplitError(line)
	if ok != (want != nil) {
		t.Fatalf("%q: matched %v, the regexp %v", line, ok, want != nil)
	}
	if ok && [4]string(want) != got {
		t.Fatalf("%q: %q, the regexp %q", line, got, want)
	}
}

func TestNodeErrorMatchesTheRegexp(t *testing.T) {
	lines := []string{
		"TypeError: Cannot read properties of undefined (reading 'id')",
		"  Uncaught ReferenceError: x is not defined",
		"Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'x'",
		"Error [ERR_X]:",
		"Error [ERR_X]",
		"Error [ERR_X]x",
		"Error [ERR$X]: m",
		"Error []: m",
		"Error [ERR_X: m",
		"Error",
		"Error:",
		"Error:x",
		"Error: ",
		"MyError$1: m",
		"Exception in thread",
		"NodeException: m",
		"typeError: m",
		"ErrorX: m",
		"FooErrorBar: m",
		"Uncaught Error: m",
		"Uncaught  Error: m",
		"UncaughtError: m",
		"\t\r\fError: m",
		"Error: a\nb",
		"Error: caf\xe9",
		"",
		"   ",
	}
	// And every line of every captured tool's output.
	lines = append(lines, capturedLines(t, "testdata/*/*.in")...)
	for _, l := range lines {
		checkNodeError(t, l)
	}
}

func FuzzNodeError(f *testing.F) {
	f.Add("TypeError: x")
	f.Add("Error [ERR_X]: y")
	f.Fuzz(func(t *testing.T, line string) {
		checkNodeError(t, line)
	})
}
