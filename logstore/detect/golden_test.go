package detect

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden .ok files from the parsers' output")

// goldenRoot stands for the directory the output was captured in: capture
// scripts write $ROOT for it in the .in files.
const goldenRoot = "/golden/root"

type goldenProblem struct {
	Cycle     int       `json:"cycle"`
	File      string    `json:"file"`
	Line      int       `json:"line"`
	Column    int       `json:"column"`
	EndLine   int       `json:"endLine,omitempty"`
	EndColumn int       `json:"endColumn,omitempty"`
	Severity  string    `json:"severity"`
	Message   string    `json:"message"`
	Source    string    `json:"source"`
	Code      string    `json:"code,omitempty"`
	Related   []Related `json:"related,omitempty"`
}

// TestGolden runs every testdata/<tool>/<case>.in through a Detector with the
// built-in parsers and compares with <case>.ok. Optional files beside it:
// <case>.dir (process directory relative to $ROOT) and <case>.files (the
// only relative paths that exist; without it every path under $ROOT exists).
func TestGolden(t *testing.T) {
	ins, _ := filepath.Glob("testdata/*/*.in")
	if len(ins) == 0 {
		t.Skip("no golden files yet")
	}
	for _, in := range ins {
		name := strings.TrimSuffix(in, ".in")
		t.Run(strings.TrimPrefix(name, "testdata/"), func(t *testing.T) {
			got := runGolden(t, name, false)
			// Asking for the blocks in progress after every line, as the
			// store does after every batch, changes nothing of the result.
			if withPending := runGolden(t, name, true); !bytes.Equal(withPending, got) {
				t.Errorf("Pending after each line changed the problems:\n with:\n%s\nwithout:\n%s", withPending, got)
			}
			okPath := name + ".ok"
			if *update {
				if err := os.WriteFile(okPath, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(okPath)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("problems differ from %s (run go test ./logstore/detect -run TestGolden -update and review the diff)\n got:\n%s\nwant:\n%s", okPath, got, want)
			}
		})
	}
}

// runGolden feeds a case to a detector; with pending, the problems of the
// blocks in progress are asked for after every line (and must lie in the
// workspace).
func runGolden(t *testing.T, name string, pending bool) []byte {
	t.Helper()
	raw, err := os.ReadFile(name + ".in")
	if err != nil {
		t.Fatal(err)
	}
	env := Env{Dir: goldenRoot, Roots: []string{goldenRoot}}
	if b, err := os.ReadFile(name + ".dir"); err == nil {
		env.Dir = filepath.Join(goldenRoot, strings.TrimSpace(string(b)))
	}
	if b, err := os.ReadFile(name + ".files"); err == nil {
		files := map[string]bool{}
		for _, f := range goldenFileList(b) {
			files[filepath.Join(goldenRoot, f)] = true
		}
		env.Exists = func(abs string) bool { return files[abs] }
	} else {
		env.Exists = func(abs string) bool { return strings.HasPrefix(abs, goldenRoot+"/") }
	}
	d := NewDetector(env, BuiltinParsers())
	var out []goldenProblem
	cycle := 0
	add := func(o *Output) {
		for _, p := range o.Problems {
			out = append(out, toGolden(cycle, p))
		}
		if o.CycleStart {
			cycle++
		}
	}
	sc := bufio.NewScanner(bytes.NewReader(bytes.ReplaceAll(raw, []byte("$ROOT"), []byte(goldenRoot))))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		add(d.Feed(StripANSI(strings.TrimSuffix(sc.Text(), "\r"))))
		if pending {
			for _, p := range d.Pending() {
				if !strings.HasPrefix(p.File, goldenRoot+"/") || p.Line <= 0 {
					t.Errorf("pending problem outside the workspace: %+v", p)
				}
			}
		}
	}
	add(d.Flush())
	if out == nil {
		out = []goldenProblem{}
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(bytes.ReplaceAll(b, []byte(goldenRoot), []byte("$ROOT")), '\n')
}

func toGolden(cycle int, p Problem) goldenProblem {
	return goldenProblem{cycle, p.File, p.Line, p.Column, p.EndLine, p.EndColumn,
		p.Severity.String(), p.Message, p.Source, p.Code, p.Related}
}

// goldenFileList reads a .files list: one path per line (paths may have
// spaces).
func goldenFileList(b []byte) []string {
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
