package detect

import "testing"

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
