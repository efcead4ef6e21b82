package detect

import (
	"strings"
	"testing"
)

// oxcDetect feeds lines through a Detector with the built-in parsers, in a
// workspace /ws where every path exists.
func oxcDetect(t *testing.T, dir string, lines ...string) []Problem {
	t.Helper()
	env := Env{Dir: dir, Roots: []string{"/ws"}, Exists: func(abs string) bool { return strings.HasPrefix(abs, "/ws/") }}
	d := NewDetector(env, BuiltinParsers())
	var got []Problem
	for _, l := range lines {
		got = append(got, d.Feed(l).Problems...)
	}
	return append(got, d.Flush().Problems...)
}

func oxcWant(t *testing.T, got []Problem, want ...string) {
	t.Helper()
	var s []string
	for _, p := range got {
		s = append(s, p.File+":"+itoa(p.Line)+":"+itoa(p.Column)+" "+p.Severity.String()+" ["+p.Source+"/"+p.Code+"] "+p.Message)
	}
	if strings.Join(s, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(s, "\n"), strings.Join(want, "\n"))
	}
}

// box is a diagnostic as rolldown draws it.
func oxcBox(header, place string) []string {
	return []string{
		header,
		"   ╭─[ " + place + " ]",
		"   │",
		" 1 │ export const a = (1;",
		"   │                  ┬ ┬  ",
		"   │                    ╰── `,` or `)` expected",
		"───╯",
	}
}

func TestOxcHelpers(t *testing.T) {
	for _, c := range []struct{ in, code, msg string }{
		{"[PARSE_ERROR] Expected `,`", "PARSE_ERROR", "Expected `,`"},
		{"[builtin:vite-transform] Expected x", "builtin:vite-transform", "Expected x"},
		{"src/main.ts (3:0) [EVAL] Use of eval", "EVAL", "Use of eval"},
		{"(my plugin) src/a b.ts (12:4) [PLUGIN_WARNING] hm", "PLUGIN_WARNING", "hm"},
		{"[1, 2] x", "", ""},
		{"[] x", "", ""},
		{"[X]", "", ""},
		{"[X]  ", "", ""},
		{"src/main.ts (a:0) [EVAL] x", "", ""},
		{"x) [EVAL] y", "", ""},
		{"[plugin vite:x] [PLUGIN_WARNING] careful", "PLUGIN_WARNING", "careful"},
		{"[plugin vite:x] careful", "", ""},
	} {
		code, msg, ok := oxcHeader(c.in)
		if ok != (c.code != "") || code != c.code || msg != c.msg {
			t.Errorf("oxcHeader(%q) = %q, %q, %v", c.in, code, msg, ok)
		}
	}
	for _, c := range []struct {
		in        string
		path      string
		line, col int
	}{
		{"╭─[ src/main.ts:1:19 ]", "src/main.ts", 1, 19},
		{"╭─[src/a.ts:12:3]", "src/a.ts", 12, 3},
		{"╭───[ C:\\w\\a.ts:2:1 ]", "C:\\w\\a.ts", 2, 1},
		{"╭─[ my dir/a:b.ts:2:1 ]", "my dir/a:b.ts", 2, 1},
		{"╭─[ a.ts:2 ]", "", 0, 0},
		{"╭─[ 2:1 ]", "", 0, 0},
		{"╭─[ a.ts:0:1 ]", "", 0, 0},
		{"╭─ a.ts:1:1", "", 0, 0},
		{"│ ╭─[ a.ts:1:1 ]", "", 0, 0},
	} {
		path, l, col, ok := oxcBoxTop(c.in)
		if ok != (c.path != "") || path != c.path || l != c.line || col != c.col {
			t.Errorf("oxcBoxTop(%q) = %q, %d, %d, %v", c.in, path, l, col, ok)
		}
	}
	for in, want := range map[string]bool{"PARSE_ERROR": true, "EVAL": true, "E2": true, "1": false, "builtin:vite-transform": false, "Error": false, "": false} {
		if got := oxcIsCode(in); got != want {
			t.Errorf("oxcIsCode(%q) = %v", in, got)
		}
	}
	for in, want := range map[string]bool{"───╯": true, "╰────": true, "╯": true, "───╯  ": true, "│": false, "╰── Module not found.": false, "─┬─": false} {
		if got := oxcBoxEnd(in); got != want {
			t.Errorf("oxcBoxEnd(%q) = %v", in, got)
		}
	}
	for in, want := range map[string]int{"Build failed with 2 errors:": 2, "ERROR  Build failed with 1 error:": 1, "Error: Transform failed with 1 error:": 1, "failed with x errors": 0, "Build failed with 2 warnings": 0, "failed with ": 0} {
		if got := oxcFailedWith(in); got != want {
			t.Errorf("oxcFailedWith(%q) = %d", in, got)
		}
	}
}

func TestRolldownErrorsThenWarning(t *testing.T) {
	// Two errors announced: both boxes are errors; a later box is a warning.
	var lines []string
	lines = append(lines, "", " ERROR  Build failed with 2 errors:", "")
	lines = append(lines, oxcBox("[PARSE_ERROR] Expected `,` or `)` but found `;`", "src/a.ts:1:20")...)
	lines = append(lines, "")
	lines = append(lines, oxcBox("[PARSE_ERROR] Expected `,` or `]` but found `;`", "src/b.ts:1:20")...)
	lines = append(lines, "", "    at main (node_modules/rolldown/dist/cli.mjs:1:1)", "")
	lines = append(lines, oxcBox("src/c.ts (1:19) [EVAL] Use of direct `eval`", "src/c.ts:1:20")...)
	oxcWant(t, oxcDetect(t, "/ws", lines...),
		"/ws/src/a.ts:1:20 error [rolldown/PARSE_ERROR] Expected `,` or `)` but found `;`",
		"/ws/src/b.ts:1:20 error [rolldown/PARSE_ERROR] Expected `,` or `]` but found `;`",
		"/ws/src/c.ts:1:20 warning [rolldown/EVAL] Use of direct `eval`")
}

func TestRolldownStackEndsErrors(t *testing.T) {
	// "Build failed with 3 errors:" but the stack came after one box: what
	// follows is no error of that build.
	var lines []string
	lines = append(lines, "Build failed with 3 errors:", "")
	lines = append(lines, oxcBox("[PARSE_ERROR] one", "src/a.ts:1:1")...)
	lines = append(lines, "    at x (y.js:1:1)")
	lines = append(lines, oxcBox("[EVAL] two", "src/a.ts:2:1")...)
	oxcWant(t, oxcDetect(t, "/ws/sub", lines...),
		"/ws/sub/src/a.ts:1:1 error [rolldown/PARSE_ERROR] one",
		"/ws/sub/src/a.ts:2:1 warning [rolldown/EVAL] two")
}

func TestRolldownMietteBox(t *testing.T) {
	oxcWant(t, oxcDetect(t, "/ws",
		"Transform failed with 1 error:",
		"[PARSE_ERROR] Unexpected token",
		"   ╭─[src/a.ts:3:7]",
		" 3 │ const = 1;",
		"   ·       ─",
		"   ╰────",
		"[NOT_A_BOX] just a line",
		"src/a.ts:9:9 is not taken by rolldown"),
		"/ws/src/a.ts:3:7 error [rolldown/PARSE_ERROR] Unexpected token")
}

func TestRolldownNoBoxNoProblem(t *testing.T) {
	oxcWant(t, oxcDetect(t, "/ws",
		"[PARSE_ERROR] a header whose box never comes",
		"",
		"   ╭─[ src/a.ts:1:1 ]",
		"[EVAL] outside the workspace",
		"   ╭─[ /elsewhere/a.ts:1:1 ]",
		"───╯",
		"[1] GET / 200"))
}

func TestRolldownBoxCutShort(t *testing.T) {
	// A box whose bottom never comes ends at the first line that cannot be
	// in it: that line is read as usual.
	box := oxcBox("[EVAL] two", "src/b.ts:2:1")
	lines := []string{"[EVAL] one", "   ╭─[ src/a.ts:1:1 ]", "   │", " 1 │ eval(x)"}
	lines = append(lines, box...)
	lines = append(lines, oxcBox("[EVAL] three", "src/c.ts:3:1")[:3]...)
	lines = append(lines, "src/d.ts:4:5: error: generic")
	oxcWant(t, oxcDetect(t, "/ws", lines...),
		"/ws/src/a.ts:1:1 warning [rolldown/EVAL] one",
		"/ws/src/b.ts:2:1 warning [rolldown/EVAL] two",
		"/ws/src/c.ts:3:1 warning [rolldown/EVAL] three",
		"/ws/src/d.ts:4:5 error ["+genericSource+"/] generic")
}

func TestViteBoxHeaderIsFirstLine(t *testing.T) {
	// The box's header as the block's first line; and a dev server error
	// whose box names the place (its "File:" line does not).
	lines := []string{"error during build:"}
	lines = append(lines, oxcBox("[UNRESOLVED_IMPORT] Could not resolve './x' in src/m.ts", "src/m.ts:1:19")...)
	lines = append(lines, "    at aggregateBindingErrorsIntoJsError (file:///ws/node_modules/rolldown/dist/e.mjs:50:18)",
		"12:00:00 PM [vite] (client) Pre-transform error: Transform failed with 1 error:", "")
	lines = append(lines, oxcBox("[PARSE_ERROR] Expected `,` or `)` but found `;`", "src/a.ts:1:20")...)
	lines = append(lines, "", "  Plugin: vite:oxc", "  File: /ws/src/a.ts", "12:00:01 PM [vite] ready")
	oxcWant(t, oxcDetect(t, "/ws", lines...),
		"/ws/src/m.ts:1:19 error [vite/UNRESOLVED_IMPORT] Could not resolve './x' in src/m.ts",
		"/ws/src/a.ts:1:20 error [vite/PARSE_ERROR] Expected `,` or `)` but found `;`")
}

func TestVitestBoxAndBanners(t *testing.T) {
	lines := []string{
		" RUN  v4.1.12 /ws/pkg",
		" FAIL  test/s.test.ts [ test/s.test.ts ]",
		"Error: Transform failed with 1 error:",
		"",
	}
	lines = append(lines, oxcBox("[PARSE_ERROR] Expected `,` or `)` but found `;`", "test/s.test.ts:5:21")...)
	lines = append(lines,
		"",
		"  Plugin: vite:oxc",
		"  File: /ws/pkg/test/s.test.ts",
		" ❯ transformWithOxc node_modules/vite/dist/node/chunks/node.js:7673:19",
		"",
		"⎯⎯⎯⎯⎯⎯⎯[1/1]⎯",
		"⎯⎯⎯⎯⎯⎯ Unhandled Errors ⎯⎯⎯⎯⎯⎯",
		"Error: not a block",
		" ❯ src/x.ts:1:1",
		"⎯⎯⎯⎯ Teardown Error ⎯⎯⎯⎯⎯",
		"Error: teardown failed",
		" ❯ close src/env.ts:4:9",
		"⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯",
	)
	oxcWant(t, oxcDetect(t, "/ws/pkg/sub", lines...),
		"/ws/pkg/test/s.test.ts:5:21 error [vitest/PARSE_ERROR] Expected `,` or `)` but found `;`",
		"/ws/pkg/src/env.ts:4:9 error [vitest/] Teardown Error: Error: teardown failed")
}

// TestOxcGateSkipsOnlyNoOps runs the gate's no-op check over boxes in
// awkward places: a header claimed by a block, an announcement with no
// box, a box cut short.
func TestOxcGateSkipsOnlyNoOps(t *testing.T) {
	box := oxcBox("[PARSE_ERROR] x", "src/a.ts:1:20")
	var lines []string
	lines = append(lines, "Build failed with 7 errors:")
	lines = append(lines, box...)
	lines = append(lines, "...", "GET / 200", "    at x (y.js:1:1)")
	lines = append(lines, box[:3]...)
	lines = append(lines, "error during build:", "Build failed with 1 error:")
	lines = append(lines, box[:4]...)
	lines = append(lines, "12:00 [vite] Internal server error: x", "Transform failed with 2 errors:")
	lines = append(lines, box...)
	lines = append(lines, " FAIL  src/a.test.ts [ src/a.test.ts ]", "Error: Transform failed with 1 error:")
	lines = append(lines, box...)
	lines = append(lines, "⎯⎯⎯ Uncaught Exception ⎯⎯⎯", "src/a.ts (1:0) [EVAL] y", box[1], "Transform failed with 1 error:")
	env := Env{Dir: "/ws", Roots: []string{"/ws"}, Exists: func(abs string) bool { return strings.HasPrefix(abs, "/ws/") }}
	for i := range lines {
		gateTrace(t, "oxc", env, lines[i:])
	}
}

func TestRolldownMayStart(t *testing.T) {
	for in, want := range map[string]bool{
		"[EVAL] x": true, "[plugin vite:x] [EVAL] x": true, "  Build failed with 1 error:": true,
		"src/a.ts (3:0) [EVAL] x": true, "(p plugin) src/a.ts (3:0) [EVAL] x": true,
		"[1] GET /": false, "[vite] x": false, "12:00:01 PM [vite] x": false, "  at x [y]": false,
		"": false, "   ": false, "x (1:0) [e] y": false,
	} {
		if got := rolldownMayStart(in); got != want {
			t.Errorf("rolldownMayStart(%q) = %v", in, got)
		}
	}
	// A plugin's warning through vite build: the box's code is the kind.
	oxcWant(t, oxcDetect(t, "/ws", oxcBox("[plugin vite:x] [PLUGIN_WARNING] careful", "src/a.ts:1:2")...),
		"/ws/src/a.ts:1:2 warning [rolldown/PLUGIN_WARNING] careful")
}

func TestOxcBoxLine(t *testing.T) {
	for in, want := range map[string]bool{"│": true, "5 │ x": true, "12   │ x": true, "· ───": true, "⋮": true, "───╯": true, "": false, "5 x": false, "at x": false, "Plugin: vite:oxc": false} {
		if got := oxcBoxLine(in); got != want {
			t.Errorf("oxcBoxLine(%q) = %v", in, got)
		}
	}
}
