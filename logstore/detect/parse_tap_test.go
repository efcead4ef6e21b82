package detect

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tapFailure is a node:test TAP test point with its YAML block, indented
// by indent spaces; keys are YAML lines (without the block's indentation).
func tapFailure(indent int, title string, keys ...string) []string {
	pad := strings.Repeat(" ", indent)
	lines := []string{pad + "# Subtest: " + title, pad + "not ok 1 - " + title, pad + "  ---"}
	for _, k := range keys {
		lines = append(lines, pad+"  "+k)
	}
	return append(lines, pad+"  ...")
}

func TestTapStackAndLocation(t *testing.T) {
	lines := []string{"TAP version 13", "# Subtest: outer"}
	lines = append(lines, tapFailure(4, "inner",
		"location: '/ws/test/a.test.js:3:5'",
		"failureType: 'testCodeFailure'",
		`error: "it's broken"`,
		"code: 'ERR_TEST_FAILURE'",
		"name: 'TypeError'",
		"stack: |-",
		"  check (/ws/node_modules/dep/index.js:1:1)",
		"  helper (/ws/src/h.js:7:3)",
		"  node:internal/test_runner/harness:255:12",
		"  TestContext.<anonymous> (/ws/test/a.test.js:4:9)",
		"  /ws/test/a.test.js:9:1",
	)...)
	lines = append(lines, tapFailure(0, "outer",
		"type: 'suite'",
		"location: '/ws/test/a.test.js:1:1'",
		"failureType: 'subtestsFailed'",
		"error: '1 subtest failed'",
		"code: 'ERR_TEST_FAILURE'")...)
	p := jsOne(t, jsDetect(t, "/ws", lines...))
	jsWant(t, p, "/ws/src/h.js", 7, 3, "node:test", "TypeError: it's broken")
	if p.Code != "" || len(p.Related) != 2 || p.Related[0].Line != 4 || p.Related[0].Message != "at TestContext.<anonymous>" || p.Related[1].Line != 9 {
		t.Errorf("code %q related %+v", p.Code, p.Related)
	}
}

func TestTapLocationWithoutStack(t *testing.T) {
	// A timeout has no stack; an error in a dependency only frames outside
	// the workspace: the test's location then.
	lines := []string{"TAP version 13"}
	lines = append(lines, tapFailure(0, "slow",
		"location: '/ws/test/a.test.js:13:1'",
		"failureType: 'testTimeoutFailure'",
		"error: 'test timed out after 20ms'",
		"code: 'ERR_TEST_FAILURE'")...)
	lines = append(lines, tapFailure(0, "dep",
		"location: '/ws/test/a.test.js:20:1'",
		"failureType: 'testCodeFailure'",
		"error: 'bad'",
		"stack: |-",
		"  f (/ws/node_modules/dep/index.js:1:1)",
		"  g (/elsewhere/x.js:1:1)")...)
	got := jsDetect(t, "/ws", lines...)
	if len(got) != 2 {
		t.Fatalf("got %+v", got)
	}
	jsWant(t, got[0].Problem, "/ws/test/a.test.js", 13, 1, "node:test", "test timed out after 20ms")
	jsWant(t, got[1].Problem, "/ws/test/a.test.js", 20, 1, "node:test", "bad")
}

func TestTapSkipsNonFailures(t *testing.T) {
	lines := []string{"TAP version 13"}
	lines = append(lines, tapFailure(4, "cancelled",
		"location: '/ws/a.test.js:8:3'",
		"failureType: 'cancelledByParent'",
		"error: 'test did not finish before its parent and was cancelled'")...)
	lines = append(lines,
		"not ok 2 - todo # TODO",
		"  ---",
		"  location: '/ws/a.test.js:17:1'",
		"  error: 'not yet'",
		"  stack: |-",
		"    TestContext.<anonymous> (/ws/a.test.js:18:9)",
		"  ...",
		"not ok 3 - skipped # SKIP no db",
		"  ---",
		"  error: 'x'",
		"  stack: 'f (/ws/a.test.js:30:1)'",
		"  ...",
		"ok 4 - fine",
		"not ok without a block",
		"server said: not ok 5",
	)
	if got := jsDetect(t, "/ws", lines...); len(got) != 0 {
		t.Fatalf("got %+v", got)
	}
}

func TestTapTestFileCrash(t *testing.T) {
	// The test file's stderr comes as comments; its "not ok" says only
	// "test failed" then. A file that fails silently is still reported.
	got := jsDetect(t, "/ws",
		"TAP version 13",
		"# /ws/test/syntax.test.js:1",
		"# const x = ;",
		"#           ^",
		"# SyntaxError: Unexpected token ';'",
		"#     at wrapSafe (node:internal/modules/cjs/loader:1464:18)",
		"# Node.js v20.20.2",
		"# Subtest: /ws/test/syntax.test.js",
		"not ok 1 - /ws/test/syntax.test.js",
		"  ---",
		"  location: '/ws/test/syntax.test.js:1:1'",
		"  failureType: 'testCodeFailure'",
		"  exitCode: 1",
		"  signal: ~",
		"  error: 'test failed'",
		"  code: 'ERR_TEST_FAILURE'",
		"  ...",
		"# Subtest: /ws/test/exit.test.js",
		"not ok 2 - /ws/test/exit.test.js",
		"  ---",
		"  location: '/ws/test/exit.test.js:1:1'",
		"  failureType: 'testCodeFailure'",
		"  exitCode: 3",
		"  error: 'test failed'",
		"  code: 'ERR_TEST_FAILURE'",
		"  ...",
		"1..2")
	if len(got) != 2 {
		t.Fatalf("got %+v", got)
	}
	jsWant(t, got[0].Problem, "/ws/test/syntax.test.js", 1, 11, "node", "SyntaxError: Unexpected token ';'")
	jsWant(t, got[1].Problem, "/ws/test/exit.test.js", 1, 1, "node:test", "test failed")
}

func TestTapCommentsNeedTAP(t *testing.T) {
	// Without "TAP version", comments are no test's output.
	if got := jsDetect(t, "/ws",
		"# TypeError: x",
		"#     at f (/ws/a.js:1:1)",
		"done"); len(got) != 0 {
		t.Fatalf("got %+v", got)
	}
	// With it, they are; an ordinary line ends their block.
	got := jsDetect(t, "/ws",
		"TAP version 13",
		"# TypeError: x",
		"#     at f (/ws/a.js:1:1)",
		"1..0")
	if len(got) != 1 || got[0].Source != "node" || got[0].Line != 1 {
		t.Fatalf("got %+v", got)
	}
}

func TestTapBlockCutShort(t *testing.T) {
	// A block that ends without "..." (output cut, another process's
	// lines) still gives its problem, and the line that ended it is read.
	got := jsDetect(t, "/ws",
		"not ok 1 - a",
		"  ---",
		"  error: |-",
		"    Expected values to be strictly equal:",
		"",
		"    1 !== 2",
		"  stack: |-",
		"    TestContext.<anonymous> (/ws/a.test.js:2:3)",
		"TypeError: next",
		"    at /ws/b.js:1:1",
	)
	if len(got) != 2 {
		t.Fatalf("got %+v", got)
	}
	jsWant(t, got[0].Problem, "/ws/a.test.js", 2, 3, "tap", "Expected values to be strictly equal:\n1 !== 2")
	jsWant(t, got[1].Problem, "/ws/b.js", 1, 1, "node", "TypeError: next")
}

func TestTapLongMessage(t *testing.T) {
	got := jsDetect(t, "/ws",
		"not ok 1 - a",
		"  ---",
		"  error: '"+strings.Repeat("é", 2000)+"'",
		"  stack: 'f (/ws/a.js:1:1)'",
		"  ...")
	if len(got) != 1 || len(got[0].Message) > jsMaxMessage+len("…") || !strings.HasSuffix(got[0].Message, "é…") {
		t.Fatalf("got %+v", got)
	}
}

func TestTapEmptyMessage(t *testing.T) {
	// throw new RangeError(): the name is all there is.
	p := jsOne(t, jsDetect(t, "/ws",
		"not ok 1 - a",
		"  ---",
		"  location: '/ws/a.test.js:1:1'",
		"  error: ''",
		"  name: 'RangeError'",
		"  stack: |-",
		"    at TestContext.<anonymous> (/ws/a.test.js:2:9)",
		"  ..."))
	jsWant(t, p, "/ws/a.test.js", 2, 9, "node:test", "RangeError")
}

func TestTapUnquote(t *testing.T) {
	for in, want := range map[string]string{
		`'a b'`:           "a b",
		`"it's"`:          "it's",
		"`it's \"x\"`":    `it's "x"`,
		`'it\'s \\ \x'`:   `it's \ \x`,
		`'it''s'`:         "it's",
		`plain: text`:     "plain: text",
		`'`:               "'",
		`'unterminated`:   "'unterminated",
		`"tab\there\n"`:   "tab\there\n",
		`'ends in \'`:     `ends in \`,
		`'ends in \\'`:    `ends in \`,
		`"a" and "b"`:     `a" and "b`,
		`''`:              "",
		`~`:               "~",
		`'trailing\\\'x'`: `trailing\'x`,
	} {
		if got := tapUnquote(in); got != want {
			t.Errorf("tapUnquote(%s) = %q, want %q", in, got, want)
		}
	}
}

// FuzzFeedTap feeds arbitrary text through a Detector, seeded with the
// TAP goldens: no panic, every problem in the workspace.
func FuzzFeedTap(f *testing.F) {
	ins, _ := filepath.Glob("testdata/tap/*.in")
	for _, in := range ins {
		if b, err := os.ReadFile(in); err == nil {
			f.Add(strings.ReplaceAll(string(b), "$ROOT", "/ws"))
		}
	}
	f.Add("TAP version 13\nnot ok 1\n  ---\n  error: |-\n" + strings.Repeat("    x\n", 1000) + "  stack: |-\n" + strings.Repeat("    f (/ws/a.js:1:1)\n", 1000))
	f.Fuzz(func(t *testing.T, s string) {
		env := Env{Dir: "/ws", Roots: []string{"/ws"}, Exists: func(abs string) bool { return strings.HasPrefix(abs, "/ws/") }}
		d := NewDetector(env, BuiltinParsers())
		check := func(o *Output) {
			for _, p := range o.Problems {
				if !strings.HasPrefix(p.File, "/ws/") || p.Line < 0 || p.Column < 0 || len(p.Message) > 8192 {
					t.Fatalf("bad problem %+v", p)
				}
			}
		}
		for _, l := range strings.Split(s, "\n") {
			check(d.Feed(l))
		}
		check(d.Flush())
	})
}
