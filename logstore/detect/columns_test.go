package detect

import (
	"errors"
	"path/filepath"
	"testing"
)

// Lines captured from the real tools (go 1.26, gcc 12, tsc 5.9) on the
// files below: each counts columns its own way; problems count characters.
func TestColumnsAreConvertedToCharacters(t *testing.T) {
	root := "/ws"
	files := map[string]string{
		"/ws/main.go":  "package main\n\nfunc main() {\n\tvar s = \"héllo wörld\"; var n int = s\n\t_ = n\n}\n",
		"/ws/src/t.c":  "#include <stdio.h>\nint f(int a) {\n\tif (a) {\n\t\tint q = \"é\" + 1; return undeclared_v;\n\t}\n\treturn 0;\n}\n",
		"/ws/src/u.ts": "const s = \"😀é\"; const n: number = s;\n\tconst t = \"x\"; t.foo();\nexport {};\n",
	}
	reads := 0
	env := Env{Dir: root, Roots: []string{root},
		Exists: func(abs string) bool { _, ok := files[abs]; return ok },
		ReadFile: func(abs string) ([]byte, error) {
			reads++
			if s, ok := files[abs]; ok {
				return []byte(s), nil
			}
			return nil, errors.New("no such file")
		}}
	for _, c := range []struct {
		lines []string
		file  string
		want  [][2]int // line, column of each problem
	}{
		{[]string{"# example.com/gu", "./main.go:4:39: cannot use s (variable of type string) as int value in variable declaration"},
			"main.go", [][2]int{{4, 37}}},
		{[]string{
			"src/t.c: In function ‘f’:",
			"src/t.c:4:25: warning: initialization of ‘int’ from ‘char *’ makes integer from pointer without a cast [-Wint-conversion]",
			"    4 |                 int q = \"é\" + 1; return undeclared_v;",
			"      |                         ^~~",
			"src/t.c:4:41: error: ‘undeclared_v’ undeclared (first use in this function)",
			"    4 |                 int q = \"é\" + 1; return undeclared_v;",
			"      |                                         ^~~~~~~~~~~~",
			"src/t.c:4:21: warning: unused variable ‘q’ [-Wunused-variable]",
		}, "src/t.c", [][2]int{{4, 11}, {4, 27}, {4, 7}}},
		{[]string{
			"src/u.ts(1,24): error TS2322: Type 'string' is not assignable to type 'number'.",
			"src/u.ts(2,19): error TS2339: Property 'foo' does not exist on type '\"x\"'.",
		}, "src/u.ts", [][2]int{{1, 23}, {2, 19}}},
	} {
		d := NewDetector(env, BuiltinParsers())
		var got [][2]int
		for _, l := range c.lines {
			for _, p := range d.Feed(l).Problems {
				if p.File != filepath.Join(root, c.file) {
					t.Fatalf("%s: problem in %s", c.file, p.File)
				}
				got = append(got, [2]int{p.Line, p.Column})
			}
		}
		for _, p := range d.Flush().Problems {
			got = append(got, [2]int{p.Line, p.Column})
		}
		if len(got) != len(c.want) {
			t.Fatalf("%s: problems at %v, want %v", c.file, got, c.want)
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%s: problem %d at %v, want %v", c.file, i, got[i], c.want[i])
			}
		}
	}
	if reads == 0 {
		t.Fatal("no source file was read")
	}
}

func TestCharColumn(t *testing.T) {
	line := []byte("\ta😀é\tb")
	for _, c := range []struct {
		col  int
		unit columnUnit
		want int
	}{
		{1, unitBytes, 1}, {2, unitBytes, 2}, {3, unitBytes, 3}, {7, unitBytes, 4}, {9, unitBytes, 5}, {10, unitBytes, 6},
		{3, unitUTF16, 3}, {5, unitUTF16, 4}, {6, unitUTF16, 5},
		{9, unitDisplay, 2}, {16, unitDisplay, 5}, {17, unitDisplay, 6}, {18, unitDisplay, 7},
		{30, unitBytes, 30 - 11 + 7}, // past the end: same distance from it
		{4, unitChars, 4},
	} {
		if got := charColumn(line, c.col, c.unit); got != c.want {
			t.Errorf("column %d in unit %d = %d, want %d", c.col, c.unit, got, c.want)
		}
	}
}

// rollup names only the importer of a module it cannot resolve (vite 5
// prints it with a "file:" line): the problem goes to the import (captured
// from rollup 4 and vite 5).
func TestUnresolvedImportIsPlacedAtTheImport(t *testing.T) {
	for _, c := range []struct {
		name, src string
		lines     []string
		line, col int
	}{
		{"rollup", "import { helper } from \"./parts/helper.js\";\nimport { nope } from \"./parts/other.js\";\nconsole.log(helper(), nope);\n", []string{
			"src/main.js → dist/bundle.js...",
			`[!] RollupError: Could not resolve "./parts/other.js" from "src/main.js"`,
			"src/main.js",
			"    at getRollupError (/ws/node_modules/rollup/dist/shared/parseAst.js:326:41)",
			"",
		}, 2, 22},
		{"vite", "import './style.css';\nimport { x } from \"./missing-mod\";\nconsole.log(x);\n", []string{
			"x Build failed in 68ms",
			"error during build:",
			`Could not resolve "./missing-mod" from "src/main.js"`,
			"file: /ws/src/main.js",
			"    at getRollupError (file:///ws/node_modules/rollup/dist/es/shared/parseAst.js:355:41)",
		}, 2, 19},
	} {
		env := Env{Dir: "/ws", Roots: []string{"/ws"},
			Exists:   func(abs string) bool { return abs == "/ws/src/main.js" },
			ReadFile: func(string) ([]byte, error) { return []byte(c.src), nil }}
		d := NewDetector(env, BuiltinParsers())
		var got []Problem
		for _, l := range c.lines {
			got = append(got, d.Feed(l).Problems...)
		}
		got = append(got, d.Flush().Problems...)
		if len(got) != 1 || got[0].File != "/ws/src/main.js" || got[0].Line != c.line || got[0].Column != c.col {
			t.Fatalf("%s: problems %+v, want one at src/main.js:%d:%d", c.name, got, c.line, c.col)
		}
	}
}
