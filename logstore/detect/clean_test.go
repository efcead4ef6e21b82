package detect

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCleanOutputRaisesNothing runs the recorded successful runs in
// testdata/clean (the linters of testdata/<tool> on clean files, real dev
// servers, and documented.txt's logs) through every built-in parser: not
// one problem, neither found nor pending, though the files they name exist
// (<case>.files) and their lines are full of times, ports, versions and
// file:line mentions.
func TestCleanOutputRaisesNothing(t *testing.T) {
	ins, _ := filepath.Glob("testdata/clean/*.in")
	if len(ins) < 20 {
		t.Fatalf("only %d clean runs in testdata/clean", len(ins))
	}
	for _, in := range ins {
		name := strings.TrimSuffix(in, ".in")
		raw, err := os.ReadFile(in)
		if err != nil {
			t.Fatal(err)
		}
		env := Env{Dir: goldenRoot, Roots: []string{goldenRoot}}
		if b, err := os.ReadFile(name + ".dir"); err == nil {
			env.Dir = filepath.Join(goldenRoot, strings.TrimSpace(string(b)))
		}
		b, err := os.ReadFile(name + ".files")
		if err != nil {
			t.Fatalf("%s: %v (every clean run lists its workspace's files)", in, err)
		}
		files := map[string]bool{}
		for _, f := range goldenFileList(b) {
			files[filepath.Join(goldenRoot, f)] = true
		}
		env.Exists = func(abs string) bool { return files[abs] }
		d := NewDetector(env, BuiltinParsers())
		sc := bufio.NewScanner(bytes.NewReader(bytes.ReplaceAll(raw, []byte("$ROOT"), []byte(goldenRoot))))
		sc.Buffer(make([]byte, 1<<20), 1<<24)
		n := 0
		for sc.Scan() {
			n++
			line := StripANSI(strings.TrimSuffix(sc.Text(), "\r"))
			for _, p := range d.Feed(line).Problems {
				t.Errorf("%s:%d: %q raised %s %s:%d:%d %q", in, n, line, p.Source, p.File, p.Line, p.Column, p.Message)
			}
			for _, p := range d.Pending() {
				t.Errorf("%s:%d: %q left pending %s %s:%d %q", in, n, line, p.Source, p.File, p.Line, p.Message)
			}
		}
		for _, p := range d.Flush().Problems {
			t.Errorf("%s: the end raised %s %s:%d %q", in, p.Source, p.File, p.Line, p.Message)
		}
	}
}
