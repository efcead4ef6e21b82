package lsp

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Diagnostics follow a real `tsc --watch`: its errors appear, and each new
// cycle replaces them (a fixed error goes away, a new one appears).
func TestTscWatchCycles(t *testing.T) {
	fixtureDir, _ := filepath.Abs("testdata/tscwatch")
	needNodeModules(t, fixtureDir)
	manifest, err := os.ReadFile(filepath.Join(fixtureDir, "package.json"))
	if err != nil {
		t.Fatal(err)
	}
	root := workspace(t, map[string]string{
		"package.json":  string(manifest),
		"tsconfig.json": `{"compilerOptions": {"strict": true, "noEmit": true, "target": "es2022"}, "include": ["src"]}`,
		"src/a.ts":      "export const s: string = 42;\n",
		"src/b.ts":      "export const n: number = 1;\n",
	})
	if err := os.Symlink(filepath.Join(fixtureDir, "node_modules"), filepath.Join(root, "node_modules")); err != nil {
		t.Fatal(err)
	}
	e := newEditor(t, root, editorOpts{})
	a := fileURI(filepath.Join(root, "src/a.ts"))
	b := fileURI(filepath.Join(root, "src/b.ts"))
	p := e.run("watch", root)

	m := e.awaitLast("tsc's error in a.ts", "textDocument/publishDiagnostics", func(m msg) bool {
		return publishFor(a)(m) && strings.Contains(string(m.Params), "TS2322")
	})
	d := decodePublish(t, m).Diagnostics[0]
	// "s" at tsc's 1:14; the word is one character.
	if d.Range != (wireRange{wirePosition{0, 13}, wirePosition{0, 14}}) || d.Source != "tsc" || d.Data.ProcessID != p.ID {
		t.Fatalf("diagnostic %+v", d)
	}

	mark := e.mark()
	if err := os.WriteFile(filepath.Join(root, "src/a.ts"), []byte("export const s: string = 'ok';\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, ok := e.awaitFrom(mark, "a.ts cleared by the next cycle", func(m msg) bool {
		return publishFor(a)(m) && strings.Contains(string(m.Params), `"diagnostics":[]`)
	}); !ok {
		t.Fatalf("a.ts not cleared:\n%s", e.tail(6))
	}

	mark = e.mark()
	if err := os.WriteFile(filepath.Join(root, "src/b.ts"), []byte("export const n: number = 'one';\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, ok := e.awaitFrom(mark, "b.ts's new error", func(m msg) bool {
		return publishFor(b)(m) && strings.Contains(string(m.Params), "TS2322")
	}); !ok {
		t.Fatalf("no diagnostics for b.ts:\n%s", e.tail(6))
	}
	e.mustCall("workspace/executeCommand", map[string]any{"command": "brummer.stop", "arguments": []any{map[string]string{"id": p.ID}}}, nil)
}
