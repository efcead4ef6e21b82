package logstore

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/brummer-dev/brummer/logstore/detect"
)

// BenchmarkMixedLogFalsePositives runs BenchmarkAppend's mixed dev-server
// log through the built-in parsers in a workspace where every file the log
// names exists, and counts the problems that are not one of the errors
// the log carries (tsc's in List.tsx, eslint's in format.ts, node's in
// users.js): false-positives should be 0. problems counts the carried
// ones found, once per place (the log repeats them; its eslint rows come
// before their file's line, so only some are read).
func BenchmarkMixedLogFalsePositives(b *testing.B) {
	root := b.TempDir()
	for _, f := range []string{"src/App.tsx", "src/main.tsx", "src/components/List.tsx", "src/util/format.ts", "src/routes/users.js"} {
		p := filepath.Join(root, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x\n"), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	const n = 20000
	data := mixedLog(root, n)
	carried := map[string]bool{
		filepath.Join(root, "src/components/List.tsx"): true,
		filepath.Join(root, "src/util/format.ts"):      true,
		filepath.Join(root, "src/routes/users.js"):     true,
	}
	var fp, found int
	for b.Loop() {
		fp, found = 0, 0
		d := detect.NewDetector(detect.Env{Dir: root, Roots: []string{root}}, detect.BuiltinParsers())
		count := func(o *detect.Output) {
			for _, p := range o.Problems {
				if carried[p.File] {
					found++
				} else {
					fp++
				}
			}
		}
		sc := bufio.NewScanner(bytes.NewReader(data))
		for sc.Scan() {
			count(d.Feed(sc.Text()))
		}
		count(d.Flush())
	}
	b.ReportMetric(float64(fp), "false-positives")
	b.ReportMetric(float64(found), "problems")
}
