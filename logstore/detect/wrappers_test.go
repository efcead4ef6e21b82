package detect

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// Monorepo runners (testdata/monorepo, captured by capture/monorepo.sh)
// prefix or head each package's output; tsc's paths there are relative to
// the package. Each runner's two errors land in their own package.
func TestMonorepoRunnersOutput(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"package.json":            `{"name":"root","private":true,"workspaces":["packages/*"]}`,
		"packages/a/package.json": `{"name":"a","version":"1.0.0"}`,
		"packages/b/package.json": `{"name":"b","version":"1.0.0"}`,
		"packages/a/src/x.ts":     "const x: number = \"a\";\nexport {};\n",
		"packages/b/src/y.ts":     "export const y: string = 1;\n",
		// Decoys: the same relative paths at the root must not win.
		"src/x.ts": "\n",
		"src/y.ts": "\n",
	})
	commands := map[string]string{
		"pnpm":  "pnpm -r run build",
		"turbo": "turbo run build",
		"npmws": "npm run build --workspaces",
		"conc":  `concurrently "cd packages/a && tsc -p ." "cd packages/b && tsc -p ."`,
	}
	for name, cmd := range commands {
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join("testdata/monorepo", name+".log"))
			if err != nil {
				t.Fatal(err)
			}
			d := NewDetector(Env{Dir: root, Roots: []string{root}, AltDirs: ScriptDirs(root, cmd)}, BuiltinParsers())
			var got []Problem
			sc := bufio.NewScanner(bytes.NewReader(bytes.ReplaceAll(raw, []byte("$ROOT"), []byte(root))))
			for sc.Scan() {
				got = append(got, d.Feed(StripANSI(sc.Text())).Problems...)
			}
			got = append(got, d.Flush().Problems...)
			want := map[string]string{
				filepath.Join(root, "packages/a/src/x.ts"): "1:7 TS2322",
				filepath.Join(root, "packages/b/src/y.ts"): "1:14 TS2322",
			}
			if len(got) != len(want) {
				t.Fatalf("got %d problems, want 2: %+v", len(got), got)
			}
			for _, p := range got {
				w, ok := want[p.File]
				if !ok || w != fmt.Sprintf("%d:%d %s", p.Line, p.Column, p.Code) || p.Source != "tsc" {
					t.Errorf("problem %s:%d:%d %s %s, want one of %v", p.File, p.Line, p.Column, p.Code, p.Source, want)
				}
				delete(want, p.File)
			}
		})
	}
}

// Resolve remembers the paths it resolved for the process's directories;
// a line of a package (its own directory first) neither reads nor fills
// that memory, in either order.
func TestResolveMemoryKeepsPackagesApart(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"package.json":            `{"name":"root","private":true,"workspaces":["packages/*"]}`,
		"packages/a/package.json": `{"name":"a","version":"1.0.0"}`,
		"packages/a/src/x.ts":     "const x: number = \"a\";\n",
		"src/x.ts":                "const x: number = \"a\";\n",
	})
	line := func(col int, inA bool) string {
		l := fmt.Sprintf("src/x.ts(1,%d): error TS2322: Type 'string' is not assignable to type 'number'.", col)
		if inA {
			l = "packages/a build: " + l
		}
		return l
	}
	for _, firstInA := range []bool{false, true} {
		d := NewDetector(Env{Dir: root, Roots: []string{root}}, BuiltinParsers())
		d.Feed("Scope: 1 of 2 workspace projects")
		var got []Problem
		want := map[int]string{}
		for col := 1; col <= 4; col++ {
			inA := firstInA == (col%2 == 1)
			want[col] = filepath.Join(root, "src/x.ts")
			if inA {
				want[col] = filepath.Join(root, "packages/a/src/x.ts")
			}
			got = append(got, d.Feed(line(col, inA)).Problems...)
		}
		got = append(got, d.Flush().Problems...)
		if len(got) != len(want) {
			t.Fatalf("first in a: %v: %d problems, want %d: %+v", firstInA, len(got), len(want), got)
		}
		for _, p := range got {
			if p.File != want[p.Column] {
				t.Errorf("first in a: %v: column %d in %s, want %s", firstInA, p.Column, p.File, want[p.Column])
			}
		}
	}
}
