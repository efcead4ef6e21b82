package detect

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func init() {
	// The golden inputs name files under goldenRoot; their sources are kept
	// in testdata/python/src so that marker columns can be checked.
	read := natReadLine
	natReadLine = func(abs string, n int) (string, bool) {
		if rel, ok := strings.CutPrefix(abs, goldenRoot+"/"); ok {
			abs = filepath.Join("testdata", "python", "src", rel)
		}
		return read(abs, n)
	}
}

func TestPythonExceptionLine(t *testing.T) {
	for line, want := range map[string]string{
		"ValueError: bad":                 "ValueError",
		"KeyboardInterrupt":               "KeyboardInterrupt",
		"json.decoder.JSONDecodeError: x": "json.decoder.JSONDecodeError",
		"  File \"x\", line 1":            "",
		"hello world: x":                  "",
		"":                                "",
	} {
		got, ok := pythonExceptionLine(line)
		if ok != (want != "") || got != want {
			t.Errorf("pythonExceptionLine(%q) = %q, %v; want %q", line, got, ok, want)
		}
	}
}

func TestPythonColumnsNeedTheSource(t *testing.T) {
	dir := t.TempDir()
	src := "def f(a, b):\n\treturn a / b\n"
	if err := os.WriteFile(filepath.Join(dir, "m.py"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	d := NewDetector(Env{Dir: dir, Roots: []string{dir}}, BuiltinParsers())
	var got []Problem
	for _, l := range []string{
		"Traceback (most recent call last):",
		`  File "m.py", line 2, in f`,
		"    return a / b",
		"           ~~^~~",
		"ZeroDivisionError: division by zero",
	} {
		got = append(got, d.Feed(l).Problems...)
	}
	got = append(got, d.Flush().Problems...)
	if len(got) != 1 {
		t.Fatalf("got %d problems, want 1: %+v", len(got), got)
	}
	// A tab indents the line: the expression starts at byte 8.
	p := got[0]
	if p.File != filepath.Join(dir, "m.py") || p.Line != 2 || p.Column != 9 || p.EndColumn != 14 || p.Code != "ZeroDivisionError" {
		t.Errorf("got %+v", p)
	}
}

func TestPythonVariants(t *testing.T) {
	natRun(t, []natCase{
		{name: "relative paths and no markers (3.10)", dir: "app", files: []string{"app/main.py", "app/lib/x.py"},
			lines: []string{"Traceback (most recent call last):", `  File "main.py", line 3, in <module>`, "    run()",
				`  File "lib/x.py", line 9, in run`, "    raise RuntimeError('no')", "RuntimeError: no"},
			want: "app/lib/x.py:9:0 error python [RuntimeError] RuntimeError: no & app/main.py:3\n"},
		{name: "virtualenv inside the workspace is not ours", files: []string{"main.py", ".venv/lib/python3.11/site-packages/req/api.py"},
			lines: []string{"Traceback (most recent call last):", `  File "/ws/main.py", line 3, in <module>`, "    get()",
				`  File "/ws/.venv/lib/python3.11/site-packages/req/api.py", line 9, in get`, "    raise ValueError('x')",
				"ValueError: x"},
			want: "main.py:3:0 error python [ValueError] ValueError: x\n"},
		{name: "no workspace frame", files: []string{"main.py"},
			lines: []string{"Traceback (most recent call last):", `  File "<stdin>", line 1, in <module>`, "KeyboardInterrupt"}},
		{name: "recursion", files: []string{"r.py"},
			lines: []string{"Traceback (most recent call last):", `  File "/ws/r.py", line 2, in f`, "    return f()",
				"  [Previous line repeated 996 more times]", "RecursionError: maximum recursion depth exceeded"},
			want: "r.py:2:0 error python [RecursionError] RecursionError: maximum recursion depth exceeded\n"},
		{name: "logging prefix and text after", files: []string{"a.py"},
			lines: []string{"ERROR:root:failed", "Traceback (most recent call last):", `  File "/ws/a.py", line 1, in <module>`, "    x()",
				"NameError: name 'x' is not defined", "", "INFO: shutting down"},
			want: "a.py:1:0 error python [NameError] NameError: name 'x' is not defined\n"},
		{name: "syntax error in an imported module", files: []string{"a.py", "b.py"},
			lines: []string{"Traceback (most recent call last):", `  File "/ws/a.py", line 1, in <module>`, "    import b",
				`  File "/ws/b.py", line 4`, "    def (:", "        ^", "SyntaxError: invalid syntax"},
			want: "b.py:4:0 error python [SyntaxError] SyntaxError: invalid syntax & a.py:1\n"},
	})
}
