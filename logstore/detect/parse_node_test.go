package detect

import (
	"strings"
	"testing"
)

// jsCycleProblem is a problem with the cycle it was reported in.
type jsCycleProblem struct {
	Problem
	Cycle int
}

// jsDetect runs lines through a Detector with every built-in parser in a
// workspace /ws where every path exists.
func jsDetect(t *testing.T, dir string, lines ...string) []jsCycleProblem {
	t.Helper()
	env := Env{Dir: dir, Roots: []string{"/ws"}, Exists: func(abs string) bool { return strings.HasPrefix(abs, "/ws/") }}
	d := NewDetector(env, BuiltinParsers())
	var got []jsCycleProblem
	cycle := 0
	add := func(o *Output) {
		for _, p := range o.Problems {
			got = append(got, jsCycleProblem{p, cycle})
		}
		if o.CycleStart {
			cycle++
		}
	}
	for _, l := range lines {
		add(d.Feed(l))
	}
	add(d.Flush())
	return got
}

// jsOne asserts exactly one problem and returns it.
func jsOne(t *testing.T, got []jsCycleProblem) Problem {
	t.Helper()
	if len(got) != 1 {
		t.Fatalf("want 1 problem, got %d: %+v", len(got), got)
	}
	return got[0].Problem
}

func jsWant(t *testing.T, p Problem, file string, line, col int, source, msg string) {
	t.Helper()
	if p.File != file || p.Line != line || p.Column != col || p.Source != source || p.Message != msg {
		t.Errorf("got %s:%d:%d [%s] %q, want %s:%d:%d [%s] %q", p.File, p.Line, p.Column, p.Source, p.Message, file, line, col, source, msg)
	}
}

func TestNodeConsoleErrorWithoutHeader(t *testing.T) {
	// console.error(err) prints no "file:line" header; the frames suffice.
	p := jsOne(t, jsDetect(t, "/ws",
		"Error [ERR_X]: bad thing",
		"    at f (/ws/node_modules/dep/index.js:1:1)",
		"    at async g (file:///ws/src/a.mjs:4:3)",
		"    at node:internal/main/run_main_module:28:49",
		"next output"))
	jsWant(t, p, "/ws/src/a.mjs", 4, 3, "node", "Error: bad thing")
	if p.Code != "ERR_X" || len(p.Related) != 0 {
		t.Errorf("code %q related %v", p.Code, p.Related)
	}
}

func TestNodeNoWorkspaceFrame(t *testing.T) {
	got := jsDetect(t, "/ws",
		"/usr/lib/node/x.js:3",
		"  throw e;",
		"  ^",
		"",
		"TypeError: outside",
		"    at x (/usr/lib/node/x.js:3:3)",
		"    at /ws/node_modules/a/b.js:1:1")
	if len(got) != 0 {
		t.Fatalf("frames outside the workspace must not be problems: %+v", got)
	}
}

func TestNodeRequireStack(t *testing.T) {
	p := jsOne(t, jsDetect(t, "/ws",
		"node:internal/modules/cjs/loader:1228",
		"  throw err;",
		"  ^",
		"",
		"Error: Cannot find module './nope'",
		"Require stack:",
		"- /ws/src/app.js",
		"    at Module._resolveFilename (node:internal/modules/cjs/loader:1225:15)",
		"    at Object.<anonymous> (/ws/src/app.js:1:13) {",
		"  code: 'MODULE_NOT_FOUND',",
		"}"))
	// The require stack is part of the error's message.
	jsWant(t, p, "/ws/src/app.js", 1, 13, "node", "Error: Cannot find module './nope'\nRequire stack:\n- /ws/src/app.js")
}

func TestNodeMultiLineMessage(t *testing.T) {
	// mocha indents the first line of the message only.
	p := jsOne(t, jsDetect(t, "/ws",
		"  1) suite",
		"       test:",
		"",
		"      AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:",
		"",
		"'a' !== 'b'",
		"",
		"      + expected - actual",
		"",
		"      -a",
		"      +b",
		"      ",
		"      at Context.<anonymous> (test/a.spec.js:6:12)",
		"      at process.processImmediate (node:internal/timers:483:21)",
		""))
	jsWant(t, p, "/ws/test/a.spec.js", 6, 12, "node",
		"AssertionError: Expected values to be strictly equal:\n'a' !== 'b'\n+ expected - actual\n-a\n+b")
	if p.Code != "ERR_ASSERTION" {
		t.Errorf("code %q", p.Code)
	}
}

func TestNodeMessageBounded(t *testing.T) {
	lines := []string{"Error: many"}
	for i := 0; i < 30; i++ {
		lines = append(lines, "  line "+strings.Repeat("x", i*10))
	}
	lines = append(lines, "    at f (/ws/a.js:1:2)")
	p := jsOne(t, jsDetect(t, "/ws", lines...))
	if n := strings.Count(p.Message, "\n"); n > jsMaxMessageLines+1 || len(p.Message) > jsMaxMessage+len("\n…") || !strings.HasSuffix(p.Message, "\n…") {
		t.Errorf("message not bounded: %d lines, %d bytes: %q", n, len(p.Message), p.Message)
	}
	got := jsJoinMessage("E: x", []string{"  a", "", "    b  ", "c"}, 2)
	if got != "E: x\na\n  b\nc" {
		t.Errorf("jsJoinMessage = %q", got)
	}
}

func TestNodeBracketNameIsNoCode(t *testing.T) {
	// node --test's spec reporter prints "TypeError [Error]: msg".
	p := jsOne(t, jsDetect(t, "/ws",
		"  ✖ reads a name (0.3ms)",
		"    TypeError [Error]: Cannot read properties of undefined (reading 'name')",
		"        at getName (/ws/src/math.js:5:23)",
		""))
	jsWant(t, p, "/ws/src/math.js", 5, 23, "node:test", "TypeError: Cannot read properties of undefined (reading 'name')")
	if p.Code != "" {
		t.Errorf("code %q, want none", p.Code)
	}
}

func TestNodeWatchRestartIsCycle(t *testing.T) {
	got := jsDetect(t, "/ws",
		"TypeError: x",
		"    at /ws/a.js:1:1",
		"Restarting 'a.js'",
		"TypeError: y",
		"    at /ws/a.js:2:1")
	if len(got) != 2 || got[0].Cycle != 0 || got[1].Cycle != 1 || got[1].Message != "TypeError: y" {
		t.Fatalf("got %+v", got)
	}
}

func TestJSSplitLoc(t *testing.T) {
	for _, c := range []struct {
		in        string
		path      string
		line, col int
		ok        bool
	}{
		{"/a/b.js:2:3", "/a/b.js", 2, 3, true},
		{"file:///a/b.js:2", "file:///a/b.js", 2, 0, true},
		{"b.js", "", 0, 0, false},
		{"b.js:x:3", "b.js:x", 3, 0, true},
		{"b.js:0:3", "b.js", 0, 3, false},
		{":", "", 0, 0, false},
	} {
		path, l, col, ok := jsSplitLoc(c.in)
		if path != c.path || l != c.line || col != c.col || ok != c.ok {
			t.Errorf("jsSplitLoc(%q) = %q %d %d %v", c.in, path, l, col, ok)
		}
	}
}

// Lines that are not a tool's must cost no allocation in any of our parsers.
func TestJSParsersRejectWithoutAllocating(t *testing.T) {
	env := Env{Dir: "/ws", Roots: []string{"/ws"}, Exists: func(string) bool { return true }}
	ps := []Parser{&tscParser{}, &eslintParser{}, &vitestParser{}, &jestParser{}, &viteParser{}, &esbuildParser{}, &rollupParser{}, &webpackParser{}, &nodeParser{}, &tapParser{}}
	lines := []string{
		"GET /api/users 200 12ms",
		"  VITE v7.3.8  ready in 897 ms",
		"server listening on http://localhost:3000",
		"",
		"    compiled 12 modules",
		"# comment",
		"ok, done",
		"not okay",
		"Testing...",
	}
	var out Output
	for _, p := range ps {
		allocs := testing.AllocsPerRun(100, func() {
			for _, l := range lines {
				if p.Feed(l, false, &env, &out) {
					t.Fatalf("%s took %q", p.Name(), l)
				}
			}
		})
		if allocs != 0 {
			t.Errorf("%s: %v allocations per run on unrelated lines", p.Name(), allocs)
		}
	}
}

func TestNodeLeavesPythonTracebacksAlone(t *testing.T) {
	for _, p := range jsDetect(t, "/ws",
		"Traceback (most recent call last):",
		`  File "/ws/app.py", line 3, in <module>`,
		"    main()",
		"ValueError: bad value",
		"") {
		if p.Source == "node" {
			t.Errorf("node claimed a Python traceback: %+v", p)
		}
	}
}

// TestNodeModuleNotFoundAtImport: ESM's ERR_MODULE_NOT_FOUND names the
// importing file only; the problem goes at its import of the module.
func TestNodeModuleNotFoundAtImport(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"src/main.mjs": "// app\nimport { a } from './util.mjs';\nimport b from \"./does-not-exist.mjs\";\nimport c from 'no-such-package';\n",
		"src/util.mjs": "export const a = 1;\n",
	})
	env := Env{Dir: root, Roots: []string{root}}
	for _, c := range []struct {
		msg       string
		line, col int
	}{
		{"Error [ERR_MODULE_NOT_FOUND]: Cannot find module '" + root + "/src/does-not-exist.mjs' imported from " + root + "/src/main.mjs", 3, 15},
		{"Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'no-such-package' imported from " + root + "/src/main.mjs", 4, 15},
		{"Error [ERR_MODULE_NOT_FOUND]: Cannot find module '" + root + "/src/gone.mjs' imported from " + root + "/src/main.mjs", 1, 1},
	} {
		d := NewDetector(env, BuiltinParsers())
		var got []Problem
		for _, l := range []string{"node:internal/modules/esm/resolve:283", "    throw new ERR_MODULE_NOT_FOUND(", "          ^", "", c.msg,
			"    at finalizeResolution (node:internal/modules/esm/resolve:283:11)", "    at moduleResolve (node:internal/modules/esm/resolve:952:10) {", "  code: 'ERR_MODULE_NOT_FOUND',", "}", "", "Node.js v20.20.2"} {
			got = append(got, d.Feed(l).Problems...)
		}
		got = append(got, d.Flush().Problems...)
		if len(got) != 1 || got[0].File != root+"/src/main.mjs" || got[0].Line != c.line || got[0].Column != c.col || got[0].Code != "ERR_MODULE_NOT_FOUND" {
			t.Errorf("%s: got %+v, want main.mjs:%d:%d", c.msg, got, c.line, c.col)
		}
	}
}

// TestNodePrefixedErrorNeedsFrames: an error line after a prefix is one
// only when a stack frame follows it.
func TestNodePrefixedErrorNeedsFrames(t *testing.T) {
	got := jsDetect(t, "/ws", "request failed: Error: boom", "GET /x 500", "    at handler (/ws/src/a.js:3:9)")
	if len(got) != 0 {
		t.Fatalf("got %+v, want none", got)
	}
	p := jsOne(t, jsDetect(t, "/ws", "[db] TypeError: boom", "    at handler (/ws/src/a.js:3:9)"))
	jsWant(t, p, "/ws/src/a.js", 3, 9, "node", "TypeError: boom")
}
