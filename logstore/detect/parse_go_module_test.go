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
	for path, text := range map[string]string{
		"api/go.mod":            "module example.com/api\n\ngo 1.22\n",
		"api/main.go":           "package main\n",
		"api/store/store.go":    "package store\n",
		"node_modules/x/go.mod": "module example.com/api\n",
	} {
		full := filepath.Join(root, path)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
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
