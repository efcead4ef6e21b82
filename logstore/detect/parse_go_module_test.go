package detect

import (
	"os"
	"path/filepath"
	"testing"
)

// A script that runs go in a subdirectory (`cd api && go vet ./...`) prints
// paths relative to that directory; the "# pkg" header leads to its module.
func TestGobuildResolvesThroughThePackageModule(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"api/go.mod":            "module example.com/api\n\ngo 1.22\n",
		"api/main.go":           "package main\n",
		"api/store/store.go":    "package store\n",
		"node_modules/x/go.mod": "module example.com/api\n",
	})
	d := NewDetector(Env{Dir: root, Roots: []string{root}}, BuiltinParsers())
	// Output captured from `cd api && go vet ./...` (go 1.26).
	lines := []string{
		"# example.com/api",
		"# [example.com/api]",
		`vet: ./main.go:7:14: cannot use "a" (untyped string constant) as int value in variable declaration`,
		"# example.com/api/store",
		"store/store.go:3:2: declared and not used: x",
	}
	var got []Problem
	for _, l := range lines {
		got = append(got, d.Feed(l).Problems...)
	}
	got = append(got, d.Flush().Problems...)
	want := []string{filepath.Join(root, "api/main.go"), filepath.Join(root, "api/store/store.go")}
	if len(got) != len(want) {
		t.Fatalf("got %d problems, want %d: %+v", len(got), len(want), got)
	}
	for i, p := range got {
		if p.File != want[i] || p.Source != "go" {
			t.Errorf("problem %d at %s (%s), want %s", i, p.File, p.Source, want[i])
		}
	}
	if got[0].Line != 7 || got[0].Column != 14 {
		t.Errorf("first problem at %d:%d, want 7:14", got[0].Line, got[0].Column)
	}
}

// A workspace of modules (go.work) tested from its root: go test names
// each package by import path, and the module directories need not match
// the module paths.
func TestGotestResolvesThroughWorkspaceModules(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"go.work":                "go 1.22\n\nuse (\n\t./modA\n\t./modB\n)\n",
		"modA/go.mod":            "module example.com/moda\n\ngo 1.22\n",
		"modA/lib/lib_test.go":   "package lib\n",
		"modB/go.mod":            "module example.com/modb\n\ngo 1.22\n",
		"modB/app/app_test.go":   "package app\n",
		"modB/app/sub/x_test.go": "package sub\n",
	})
	d := NewDetector(Env{Dir: root, Roots: []string{root}}, BuiltinParsers())
	// Output of `go test ./modA/... ./modB/...` (go 1.26).
	lines := []string{
		"--- FAIL: TestLib (0.00s)",
		"    lib_test.go:6: lib failed",
		"FAIL",
		"FAIL\texample.com/moda/lib\t0.002s",
		"--- FAIL: TestRun (0.00s)",
		"    app_test.go:6: app failed",
		"FAIL",
		"FAIL\texample.com/modb/app\t0.002s",
		"FAIL",
	}
	var got []Problem
	for _, l := range lines {
		got = append(got, d.Feed(l).Problems...)
	}
	got = append(got, d.Flush().Problems...)
	want := []string{filepath.Join(root, "modA/lib/lib_test.go"), filepath.Join(root, "modB/app/app_test.go")}
	if len(got) != len(want) {
		t.Fatalf("got %d problems, want %d: %+v", len(got), len(want), got)
	}
	for i, p := range got {
		if p.File != want[i] || p.Line != 6 {
			t.Errorf("problem %d at %s:%d, want %s:6", i, p.File, p.Line, want[i])
		}
	}
}

// writeTree creates files (path relative to root: content) and their
// directories.
func writeTree(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for path, text := range files {
		full := filepath.Join(root, path)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
