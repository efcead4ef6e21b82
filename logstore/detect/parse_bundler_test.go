package detect

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestEsbuildNoteBecomesRelated(t *testing.T) {
	p := jsOne(t, jsDetect(t, "/ws",
		`✘ [ERROR] Multiple exports with the same name "a"`,
		"",
		"    src/x.js:2:13:",
		"      2 │ export const a = 2;",
		"        ╵              ^",
		"",
		`  The name "a" was originally exported here:`,
		"",
		"    src/x.js:1:13:",
		"      1 │ export const a = 1;",
		"        ╵              ^",
		"",
		"1 error"))
	jsWant(t, p, "/ws/src/x.js", 2, 14, "esbuild", `Multiple exports with the same name "a"`)
	if len(p.Related) != 1 || p.Related[0].Line != 1 || p.Related[0].Column != 14 || p.Related[0].Message != `The name "a" was originally exported here:` {
		t.Errorf("related %+v", p.Related)
	}
}

func TestEsbuildWatchCycles(t *testing.T) {
	got := jsDetect(t, "/ws",
		"[watch] build finished, watching for changes...",
		"[watch] build started (change: \"src/a.ts\")",
		"✘ [ERROR] Expected \";\"",
		"",
		"    src/a.ts:1:5:",
		"[watch] build finished")
	p := jsOne(t, got)
	if got[0].Cycle != 1 || p.Column != 6 {
		t.Fatalf("got %+v", got)
	}
}

func TestWebpackVariants(t *testing.T) {
	got := jsDetect(t, "/ws",
		"ERROR in ./src/a.js",
		"Module not found: Error: Can't resolve 'x' in '/ws/src'",
		"",
		"WARNING in ./src/b.js 1:0-3:4",
		"export 'y' (imported as 'y') was not found in './c'",
		"",
		"webpack compiled with 1 error and 1 warning",
		"<i> [webpack-dev-middleware] wait until bundle finished: /",
		"asset main.js 1 KiB [emitted]",
		"webpack 5.9.0 compiled successfully in 20 ms")
	if len(got) != 2 {
		t.Fatalf("got %+v", got)
	}
	jsWant(t, got[0].Problem, "/ws/src/a.js", 1, 0, "webpack", "Module not found: Error: Can't resolve 'x' in '/ws/src'")
	b := got[1].Problem
	if b.Severity != Warning || b.Line != 1 || b.Column != 1 || b.EndLine != 3 || b.EndColumn != 5 {
		t.Errorf("got %+v", b)
	}
}

func TestRollupPluginError(t *testing.T) {
	p := jsOne(t, jsDetect(t, "/ws",
		"[!] (plugin commonjs--resolver) Error: Unexpected token",
		"src/a.js (3:4)",
		"1: x"))
	jsWant(t, p, "/ws/src/a.js", 3, 5, "rollup", "Unexpected token")
	if p.Code != "commonjs--resolver" {
		t.Errorf("code %q", p.Code)
	}
}

func TestViteHMRStartsCycle(t *testing.T) {
	got := jsDetect(t, "/ws",
		"10:00:00 [vite] Internal server error: boom",
		"  Plugin: vite:vue",
		"  File: /ws/src/App.vue:3:0",
		"10:00:05 [vite] hmr update /src/App.vue",
		"10:00:06 [vite] Internal server error: boom again",
		"  File: /ws/src/App.vue:4:2")
	if len(got) != 2 || got[0].Cycle != 0 || got[1].Cycle != 1 || got[0].Code != "vite:vue" || got[1].Column != 3 {
		t.Fatalf("got %+v", got)
	}
}

func TestEsbuildOldFormat(t *testing.T) {
	p := jsOne(t, jsDetect(t, "/ws", ` > src/a.js:2:12: error: Expected ";" but found "x"`, "    2 │   return x +;", "      ╵             ^"))
	jsWant(t, p, "/ws/src/a.js", 2, 13, "esbuild", `Expected ";" but found "x"`)
}

// The goldens' Env reads no sources, so their unresolved imports stay at
// line 1; here the same captured outputs run with the sources they were
// captured on (testdata/bundler-src as $ROOT), and each import is found.
func TestBundlerUnresolvedImportsWithSources(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string // file:line:col severity
	}{
		{"vite/v5-build-missbare", []string{"src/missbare.ts:1:15 error"}},
		{"vite/v7-build-missbare", []string{"src/missbare.ts:1:15 error"}},
		{"vite/v8-build-missbare", []string{"src/missbare.ts:1:15 error"}},
		{"vite/v5-dev-pre", []string{"src/missing.ts:1:19 error"}},
		{"vite/v5-build-css3", []string{"src/bad3.css:1:9 error"}},
		{"vite/v7-build-css3", []string{"src/bad3.css:1:9 error"}},
		{"vite/v8-build-css3", []string{"src/bad3.css:1:9 error"}},
		{"vite/v8-build-css2", []string{"src/bad2.css:4:2 error"}},
		{"rollup/missbare", []string{"src/missbare.js:1:15 warning"}},
		// "\t\treturn eval(...)": the frame shows the two tabs as four
		// spaces; eval is the 10th character.
		{"rollup/tabs", []string{"src/tabs.js:3:10 warning"}},
	} {
		raw, err := os.ReadFile(filepath.Join("testdata", c.in+".in"))
		if err != nil {
			t.Fatal(err)
		}
		src, _ := filepath.Abs("testdata/bundler-src")
		env := Env{Dir: goldenRoot, Roots: []string{goldenRoot},
			Exists: func(abs string) bool {
				_, err := os.Stat(filepath.Join(src, strings.TrimPrefix(abs, goldenRoot)))
				return strings.HasPrefix(abs, goldenRoot+"/") && err == nil
			},
			ReadFile: func(abs string) ([]byte, error) {
				return os.ReadFile(filepath.Join(src, strings.TrimPrefix(abs, goldenRoot)))
			}}
		d := NewDetector(env, BuiltinParsers())
		var got []string
		add := func(o *Output) {
			for _, p := range o.Problems {
				got = append(got, fmt.Sprintf("%s:%d:%d %s", strings.TrimPrefix(p.File, goldenRoot+"/"), p.Line, p.Column, p.Severity))
			}
		}
		for _, l := range strings.Split(strings.ReplaceAll(string(raw), "$ROOT", goldenRoot), "\n") {
			add(d.Feed(StripANSI(strings.TrimSuffix(l, "\r"))))
		}
		add(d.Flush())
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: got %q, want %q", c.in, got, c.want)
		}
	}
}

// A frame whose lines are indented with a tab (as some runners print
// them; the lines of testdata/rollup/tabs.in, the frame's indented) reads
// as the same frame.
func TestRollupFrameIndentedWithTabs(t *testing.T) {
	got := jsDetect(t, "/ws",
		"(!) Use of eval is strongly discouraged",
		"https://rollupjs.org/troubleshooting/#avoiding-eval",
		"src/tabs.js",
		"\t1: export function run(a) {",
		"\t2:   if (a) {",
		"\t3:     return eval(\"1\") + this;",
		"\t              ^",
		"\t4:   }",
		"created dist/out.js in 75ms",
	)
	// The Env of jsDetect reads no sources: the offset in the frame.
	jsWant(t, jsOne(t, got), "/ws/src/tabs.js", 3, 12, "rollup", "Use of eval is strongly discouraged")
}

func TestRollupWarningBodies(t *testing.T) {
	got := jsDetect(t, "/ws",
		"(!) Plugin typescript: @rollup/plugin-typescript TS2322: Type 'string' is not assignable to type 'number'.",
		"src/a.ts: (3:4)",
		"",
		"(!) Missing exports",
		"https://rollupjs.org/troubleshooting/#error-name-is-not-exported-by-module",
		"src/main.js",
		"foo is not exported by src/lib.js",
		" 9: x;",
		"10: import { foo } from './lib.js';",
		"             ^",
		"11: foo();",
		"...and 2 other occurrences",
		"created dist/out.js in 20ms")
	if len(got) != 2 {
		t.Fatalf("got %+v", got)
	}
	jsWant(t, got[0].Problem, "/ws/src/a.ts", 3, 5, "rollup", "Plugin typescript: @rollup/plugin-typescript TS2322: Type 'string' is not assignable to type 'number'.")
	jsWant(t, got[1].Problem, "/ws/src/main.js", 10, 10, "rollup", "Missing exports: foo is not exported by src/lib.js")
	if got[0].Severity != Warning || got[1].Severity != Warning {
		t.Errorf("severities %v %v", got[0].Severity, got[1].Severity)
	}
}

// vite 5 prints a pre-transform error on one line: the next line is not
// part of it.
func TestVitePreTransformOneLine(t *testing.T) {
	got := jsDetect(t, "/ws",
		`9:59:36 PM [vite] Pre-transform error: Failed to resolve import "./nope" from "src/missing.ts". Does the file exist?`,
		`9:59:37 PM [vite] Pre-transform error: Failed to resolve import "./gone" from "src/other.ts". Does the file exist?`,
		"some app output",
		"9:59:40 PM [vite] page reload src/other.ts")
	if len(got) != 2 || got[0].File != "/ws/src/missing.ts" || got[1].File != "/ws/src/other.ts" || got[1].Cycle != 0 {
		t.Fatalf("got %+v", got)
	}
}

func TestUnresolvedImportPhrasings(t *testing.T) {
	for _, c := range []struct{ msg, spec, from string }{
		{`Could not resolve "./x" from "src/main.js"`, "./x", "src/main.js"},
		{`Rollup failed to resolve import "left-pad" from "/ws/src/a.ts".`, "left-pad", "/ws/src/a.ts"},
		{`Failed to resolve import "./nope" from "src/a.ts". Does the file exist?`, "./nope", "src/a.ts"},
		{`ENOENT: no such file or directory, open './nope.css'`, "./nope.css", ""},
		{`Could not resolve './y'`, "./y", ""},
		{`Something else "x"`, "", ""},
	} {
		spec, from, ok := unresolvedImport(c.msg)
		if spec != c.spec || from != c.from || ok != (c.spec != "") {
			t.Errorf("%s: got %q %q %v", c.msg, spec, from, ok)
		}
	}
}
