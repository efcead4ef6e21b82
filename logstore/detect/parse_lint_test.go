package detect

import "testing"

// The column-less shapes ("path:12 msg", "path - ERROR: ... on line 3",
// brakeman's tabs) take a path only when it is a file of the workspace:
// times, ports, versions and missing files never match.
func TestLintPathMustBeAWorkspaceFile(t *testing.T) {
	natRun(t, []natCase{
		{name: "existing file", files: []string{".env", "app/a.haml"},
			lines: []string{".env:2 DuplicatedKey: The FOO key is duplicated", "app/a.haml:3 [E] Syntax: Illegal nesting"},
			want: ".env:2:0 warning dotenv-linter [DuplicatedKey] The FOO key is duplicated\n" +
				"app/a.haml:3:0 error haml-lint [Syntax] Illegal nesting\n"},
		{name: "missing file", files: nil,
			lines: []string{".env:2 DuplicatedKey: The FOO key is duplicated", "app/a.haml:3 [E] Syntax: Illegal nesting",
				"manifests/a.pp - ERROR: bad on line 3", "app/a.rb\t12\tSQL Injection\tHigh\tPossible SQL injection"}},
		{name: "times ports versions", files: []string{"12", "localhost", "v1.2"},
			lines: []string{
				"12:30:45 server started",
				"localhost:5173 ready",
				"v1.2:3 released",
				"[12:30:45] Starting compilation in watch mode...",
				"[2026-11-23 20:45:30] waiting for changes...",
				"1796588209795 START \"/ws\"",
			}},
		{name: "a logger's file:line", files: []string{"app.py", "lib/job.rb", "main.go"},
			lines: []string{"app.py:42 started server on :8000", "lib/job.rb:7 enqueued 3 jobs", "main.go:12 listening"}},
		{name: "svelte machine and a time first", files: []string{"src/A.svelte"},
			lines: []string{`1796588209795 WARNING "src/A.svelte" 4:2 "A11y: <img> element should have an alt attribute"`},
			want:  "src/A.svelte:4:2 warning svelte-check A11y: <img> element should have an alt attribute\n"},
	})
}

// A block of javac is shown from its location line on (Pending) and
// amended by its caret and the lines after it.
func TestJvmPendingAmended(t *testing.T) {
	env := Env{Dir: natRoot, Roots: []string{natRoot}, Exists: func(abs string) bool { return abs == natRoot+"/App.java" }}
	d := NewDetector(env, BuiltinParsers())
	d.Feed("App.java:6: error: cannot find symbol")
	p := d.Pending()
	if len(p) != 1 || p[0].Line != 6 || p[0].Column != 0 || p[0].Message != "cannot find symbol" || p[0].Source != "javac" {
		t.Fatalf("pending after the location line: %+v", p)
	}
	d.Feed("        System.out.println(missing);")
	d.Feed("                           ^")
	d.Feed("  symbol:   variable missing")
	p = d.Pending()
	if len(p) != 1 || p[0].Column != 28 || p[0].Message != "cannot find symbol\nsymbol:   variable missing" {
		t.Fatalf("pending after the caret: %+v", p)
	}
	got := d.Feed("1 error").Problems
	if len(got) != 1 || got[0].Column != 28 || got[0].Message != p[0].Message {
		t.Fatalf("the block's end: %+v", got)
	}
}

// oxlint on a terminal draws with Unicode (testdata/oxlint has its ASCII
// form, recorded through a pipe).
func TestOxlintUnicodeFrame(t *testing.T) {
	natRun(t, []natCase{
		{name: "warning and error", files: []string{"src/util.js"},
			lines: []string{
				"",
				"  ⚠ eslint(no-debugger): `debugger` statement is not allowed",
				"   ╭─[src/util.js:3:20]",
				" 2 │ export function g(a) {",
				" 3 │   if (a == null) { debugger; }",
				"   ·                    ─────────",
				"   ╰────",
				"  × eslint(no-undef): 'x' is not defined.",
				"   ╭─[src/util.js:4:3]",
				"   ╰────",
				"Found 1 warning and 1 error.",
			},
			want: "src/util.js:3:20 warning oxlint [eslint(no-debugger)] `debugger` statement is not allowed\n" +
				"src/util.js:4:3 error oxlint [eslint(no-undef)] 'x' is not defined.\n"},
	})
}
