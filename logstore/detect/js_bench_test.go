package detect

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// jsBenchLog is a realistic dev log: every captured JS tool output, mixed
// with the request and status lines that make up most of a dev server's
// output.
func jsBenchLog(b *testing.B) []string {
	b.Helper()
	var lines []string
	ins, _ := filepath.Glob("testdata/*/*.in")
	for _, in := range ins {
		switch filepath.Base(filepath.Dir(in)) {
		case "tsc", "eslint", "vitest", "jest", "node", "vite", "esbuild", "rollup", "webpack":
		default:
			continue
		}
		raw, err := os.ReadFile(in)
		if err != nil {
			b.Fatal(err)
		}
		for _, l := range strings.Split(strings.ReplaceAll(string(raw), "$ROOT", "/ws"), "\n") {
			lines = append(lines, StripANSI(l))
		}
	}
	for i, n := 0, 4*len(lines); i < n; i++ {
		lines = append(lines, []string{
			"GET /api/users?page=2 200 12.3 ms - 512",
			"  ➜  Local:   http://localhost:5173/",
			"[0] info: request handled in 3ms",
			"",
			"    at processTicksAndRejections (node:internal/process/task_queues:95:5)",
		}[i%5])
	}
	return lines
}

// jsParsers is this group's parsers alone, in registration order.
func jsParsers() []Parser {
	return []Parser{&tscParser{}, &eslintParser{}, &vitestParser{}, &jestParser{},
		&viteParser{}, &esbuildParser{}, &rollupParser{}, &webpackParser{}, &nodeParser{}}
}

// BenchmarkParsersJS runs a log through a Detector with this group's
// parsers and reports the cost relative to a plain loop over the same lines
// (x-baseline): "mixed" is the captured tool output among dev-server
// chatter, "unrelated" only the chatter (the common case, rejected by byte
// checks).
func BenchmarkParsersJS(b *testing.B) {
	all := jsBenchLog(b)
	for _, c := range []struct {
		name  string
		lines []string
	}{{"mixed", all}, {"unrelated", all[len(all)*4/5:]}} {
		b.Run(c.name, func(b *testing.B) { jsBenchLines(b, c.lines) })
	}
}

func jsBenchLines(b *testing.B, lines []string) {
	env := Env{Dir: "/ws", Roots: []string{"/ws"}, Exists: func(abs string) bool { return strings.HasPrefix(abs, "/ws/") }}
	d := NewDetector(env, jsParsers())
	sink := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, l := range lines {
			sink += len(d.Feed(l).Problems)
		}
		sink += len(d.Flush().Problems)
	}
	b.StopTimer()
	elapsed := b.Elapsed()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		for _, l := range lines {
			sink += strings.IndexByte(l, ':')
		}
	}
	if base := time.Since(start); base > 0 {
		b.ReportMetric(float64(elapsed)/float64(base), "x-baseline")
	}
	b.ReportMetric(float64(elapsed.Nanoseconds())/float64(b.N*len(lines)), "ns/line")
	if sink == -1 {
		b.Log(sink)
	}
}
