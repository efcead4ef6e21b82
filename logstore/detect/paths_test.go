package detect

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestScriptDirs(t *testing.T) {
	cases := map[string][]string{
		"vite":                                     nil,
		"cd web && tsc -p .":                       {"/w/web"},
		"cd packages/api; go vet ./...":            {"/w/packages/api"},
		"cd a && cd b && make":                     {"/w/a", "/w/a/b"},
		`cd "ui" && npm test`:                      {"/w/ui"},
		"cd /abs/x && make":                        {"/abs/x"},
		"cd $HOME && ls":                           nil,
		"echo cd x":                                nil,
		"cd .. && ls":                              {"/"},
		"tsc --watch & cd srv && node a.js":        {"/w/srv"},
		"make --no-print-directory -C sub":         {"/w/sub"},
		"make -Csub all && make --directory=lib/x": {"/w/sub", "/w/lib/x"},
		"cd api && go -C cmd/srv build":            {"/w/api", "/w/api/cmd/srv"},
		"npm --prefix web run build":               {"/w/web"},
		"pnpm -C packages/a build":                 {"/w/packages/a"},
		"yarn --cwd ui test":                       {"/w/ui"},
		"make -j4 && ls -C x":                      nil,
		`concurrently "cd packages/a && tsc" 'cd packages/b && tsc'`: {"/w/packages/a", "/w/packages/b"},
	}
	for cmd, want := range cases {
		if got := ScriptDirs("/w", cmd); !reflect.DeepEqual(got, want) {
			t.Errorf("ScriptDirs(%q) = %v, want %v", cmd, got, want)
		}
	}
}

// A path printed by a tool the script ran after `cd web` resolves there,
// even when the same relative path exists under the process's directory.
func TestResolveTriesTheScriptsDirectories(t *testing.T) {
	root := t.TempDir()
	if err := errors.Join(os.MkdirAll(filepath.Join(root, "web", "src"), 0o755), os.MkdirAll(filepath.Join(root, "src"), 0o755)); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"web/src/app.ts", "top.ts", "src/app.ts"} {
		if err := os.WriteFile(filepath.Join(root, f), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	env := Env{Dir: root, Roots: []string{root}, AltDirs: ScriptDirs(root, "cd web && tsc")}
	d := NewDetector(env, BuiltinParsers())
	got := append([]Problem(nil), d.Feed("src/app.ts(3,5): error TS2322: Type 'string' is not assignable to type 'number'.").Problems...)
	got = append(got, d.Flush().Problems...)
	if len(got) != 1 || got[0].File != filepath.Join(root, "web/src/app.ts") {
		t.Fatalf("problems %+v, want one at web/src/app.ts", got)
	}
	if got, _ := env.Resolve("top.ts"); got != filepath.Join(root, "top.ts") {
		t.Errorf("a path that exists under Dir resolved to %s", got)
	}
	if got, _ := env.Resolve("missing.ts"); got != filepath.Join(root, "missing.ts") {
		t.Errorf("a path that exists nowhere resolved to %s, want under Dir", got)
	}
}

// A project's internal/ directory is the project's (Go's standard layout),
// while old Node versions' "internal/modules/..." frames are not.
func TestResolveInternalDirectories(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "internal", "report"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "internal/report/report.go"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	env := Env{Dir: root, Roots: []string{root}}
	if got, ok := env.Resolve("internal/report/report.go"); !ok || got != filepath.Join(root, "internal/report/report.go") {
		t.Errorf("internal/report/report.go resolved to %q, %v", got, ok)
	}
	if got, ok := env.Resolve("internal/modules/cjs/loader.js"); ok {
		t.Errorf("node's internal frame resolved to %q", got)
	}
	d := NewDetector(env, BuiltinParsers())
	got := append([]Problem(nil), d.Feed("internal/report/report.go:15:15: fmt.Printf format %s has arg r.Count of wrong type int").Problems...)
	got = append(got, d.Flush().Problems...)
	if len(got) != 1 || got[0].File != filepath.Join(root, "internal/report/report.go") || got[0].Line != 15 {
		t.Fatalf("problems %+v, want one in internal/report/report.go:15", got)
	}
}
