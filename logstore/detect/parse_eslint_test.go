package detect

import "testing"

func TestEslintScopedRulesAndFileLevelRows(t *testing.T) {
	got := jsDetect(t, "/ws",
		"/ws/src/a.ts",
		"  0:0  warning  File ignored because of a matching ignore pattern",
		"  12:3  error  'x' is defined but never used  @typescript-eslint/no-unused-vars",
		"  13:1  warning  Missing dependency: 'y'  react-hooks/exhaustive-deps",
		"",
		"src/b.js: line 2, col 1, Warning - Unexpected console statement. (no-console)",
		"src/c.js:4:2: Unexpected var. [Error/no-var]",
		"src/d.js: line 1, col 5, Error - Parsing error: Unexpected token",
		"✖ 4 problems (2 errors, 2 warnings)")
	if len(got) != 5 {
		t.Fatalf("got %+v", got)
	}
	want := []struct {
		file      string
		line, col int
		sev       Severity
		code, msg string
	}{
		{"/ws/src/a.ts", 12, 3, Error, "@typescript-eslint/no-unused-vars", "'x' is defined but never used"},
		{"/ws/src/a.ts", 13, 1, Warning, "react-hooks/exhaustive-deps", "Missing dependency: 'y'"},
		{"/ws/src/b.js", 2, 1, Warning, "no-console", "Unexpected console statement."},
		{"/ws/src/c.js", 4, 2, Error, "no-var", "Unexpected var."},
		{"/ws/src/d.js", 1, 5, Error, "", "Parsing error: Unexpected token"},
	}
	for i, w := range want {
		p := got[i].Problem
		if p.File != w.file || p.Line != w.line || p.Column != w.col || p.Severity != w.sev || p.Code != w.code || p.Message != w.msg || p.Source != "eslint" {
			t.Errorf("%d: got %+v, want %+v", i, p, w)
		}
	}
}

func TestEslintRowsNeedAFileHeader(t *testing.T) {
	if got := jsDetect(t, "/ws", "  3:9  error  Expected '==='  eqeqeq"); len(got) != 0 {
		t.Fatalf("got %+v", got)
	}
}
