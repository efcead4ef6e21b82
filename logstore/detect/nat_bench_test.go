package detect

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// natBenchLog is a realistic mix: mostly the chatter of dev servers and
// builds, with the captured tool outputs of testdata in between.
func natBenchLog(b *testing.B) []string {
	noise := []string{
		"  VITE v5.4.2  ready in 312 ms",
		"  ➜  Local:   http://localhost:5173/",
		"12:30:01 PM [vite] hmr update /src/App.tsx, /src/index.css",
		"[nodemon] restarting due to changes...",
		"GET /api/users 200 12.345 ms - 512",
		"webpack 5.91.0 compiled successfully in 1234 ms",
		"   Compiling serde v1.0.197",
		"    Finished `dev` profile [unoptimized + debuginfo] target(s) in 2.31s",
		"ok  \texample.com/m/pkg\t0.012s",
		"=== RUN   TestSomething",
		"--- PASS: TestSomething (0.00s)",
		"INFO:werkzeug: * Running on http://127.0.0.1:5000",
		"2024-05-01T12:00:00.123Z info server started port=8080",
		"",
	}
	var lines []string
	for i := 0; i < 40; i++ {
		lines = append(lines, noise...)
	}
	for _, dir := range []string{"go", "rust", "python", "gcc", "generic"} {
		ins, _ := filepath.Glob(filepath.Join("testdata", dir, "*.in"))
		for _, in := range ins {
			raw, err := os.ReadFile(in)
			if err != nil {
				b.Fatal(err)
			}
			text := StripANSI(strings.ReplaceAll(string(raw), "$ROOT", natRoot))
			lines = append(lines, strings.Split(text, "\n")...)
		}
	}
	return lines
}

func natNativeParsers() []Parser {
	var ps []Parser
	for _, p := range BuiltinParsers() {
		switch p.Name() {
		case "gobuild", "gotest", "gopanic", "rust", "python", "gcc", "generic":
			ps = append(ps, p)
		}
	}
	return ps
}

var natBenchSink int

// natBenchRun feeds lines b.N times and reports the cost against a plain
// loop that looks at every line once (x-baseline), timed in the same run.
func natBenchRun(b *testing.B, lines []string, parsers []Parser, flush bool) {
	env := Env{Dir: natRoot, Roots: []string{natRoot}, Exists: func(abs string) bool { return strings.HasPrefix(abs, natRoot+"/") }}
	d := NewDetector(env, parsers)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, l := range lines {
			natBenchSink += len(d.Feed(l).Problems)
		}
		if flush {
			d.Flush()
		}
	}
	b.StopTimer()
	ours := b.Elapsed()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		for _, l := range lines {
			natBenchSink += strings.IndexByte(l, ':')
		}
	}
	base := time.Since(start)
	b.ReportMetric(float64(ours)/float64(max(base, 1)), "x-baseline")
	b.ReportMetric(float64(ours.Nanoseconds())/float64(b.N)/float64(len(lines)), "ns/line")
}

// BenchmarkParsersNative: the native parsers, then all built-in ones, over
// the mixed log; "noise" is the lines nobody claims, the cost every line of
// a quiet dev server pays.
func BenchmarkParsersNative(b *testing.B) {
	lines := natBenchLog(b)
	b.Run("native", func(b *testing.B) { natBenchRun(b, lines, natNativeParsers(), true) })
	b.Run("builtin", func(b *testing.B) { natBenchRun(b, lines, BuiltinParsers(), true) })
	b.Run("noise", func(b *testing.B) { natBenchRun(b, lines[:560], natNativeParsers(), false) })
}
