package detect

import (
	"bytes"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// detectorBenchLog is a dev server's log as one byte slice: ordinary
// chatter, with a burst of problem output (tsc, eslint, a node crash)
// every few hundred lines, about 1% of the lines.
func detectorBenchLog() []byte {
	noise := []string{
		"12:30:01 PM [vite] hmr update /src/App.tsx, /src/index.css",
		"GET /api/users 200 12ms",
		"12:03:44 [INFO] compiled in 231ms",
		"<s> [webpack.Progress] 65% building 12/15 entries 240/260 dependencies 30/45 modules",
		"POST /api/login 401 3ms",
		"[1] info: request handled in 3ms",
		"  ➜  Local:   http://localhost:5173/",
		"2024-05-01T12:00:00.123Z info server started port=8080",
		"",
		"   Compiling serde v1.0.197",
		"    Finished `dev` profile [unoptimized + debuginfo] target(s) in 2.31s",
		"12:30:05 PM [vite] page reload src/main.ts",
	}
	burst := []string{
		"src/a.ts(10,7): error TS2322: Type 'string' is not assignable to type 'number'.",
		"/ws/src/b.js",
		"  3:9   error    Expected '===' and instead saw '=='   eqeqeq",
		"",
		"TypeError: Cannot read properties of undefined (reading 'name')",
		"    at getName (/ws/src/c.js:2:23)",
		"    at Object.<anonymous> (/ws/src/c.js:7:1)",
		"    at Module._compile (node:internal/modules/cjs/loader:1554:14)",
	}
	var b bytes.Buffer
	for i := 0; i < 8000; i++ {
		if i%800 == 799 {
			for _, l := range burst {
				b.WriteString(l)
				b.WriteByte('\n')
			}
		}
		b.WriteString(noise[i%len(noise)])
		if i%len(noise) == 1 {
			b.WriteString(" #" + strconv.Itoa(i)) // not every line the same
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}

var detectorBenchSink int

// BenchmarkDetector feeds a realistic log through a Detector with every
// built-in parser and reports ns/line, allocs/line and the cost relative
// to a plain bytes.IndexByte split of the same bytes, timed in the same
// run (x-split). The goal is a small multiple of the split.
// "ungated" hides the gate from the Detector (every parser sees every line,
// as before the gate existed) for comparison.
func BenchmarkDetector(b *testing.B) {
	b.Run("gated", func(b *testing.B) { detectorBench(b, BuiltinParsers()) })
	b.Run("ungated", func(b *testing.B) {
		var ps []Parser
		for _, p := range BuiltinParsers() {
			ps = append(ps, detectorUngated{p})
		}
		detectorBench(b, ps)
	})
}

// detectorUngated is a parser without the gate's methods.
type detectorUngated struct{ Parser }

func detectorBench(b *testing.B, parsers []Parser) {
	raw := detectorBenchLog()
	lines := strings.Split(strings.TrimSuffix(string(raw), "\n"), "\n")
	env := Env{Dir: "/ws", Roots: []string{"/ws"}, Exists: func(abs string) bool { return strings.HasPrefix(abs, "/ws/") }}
	d := NewDetector(env, parsers)
	b.ReportAllocs()
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, l := range lines {
			detectorBenchSink += len(d.Feed(l).Problems)
		}
		detectorBenchSink += len(d.Flush().Problems)
	}
	b.StopTimer()
	runtime.ReadMemStats(&m1)
	ours := b.Elapsed()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		for rest := raw; len(rest) > 0; {
			j := bytes.IndexByte(rest, '\n')
			if j < 0 {
				j = len(rest) - 1
			}
			detectorBenchSink += j
			rest = rest[j+1:]
		}
	}
	split := time.Since(start)
	n := float64(b.N) * float64(len(lines))
	b.ReportMetric(float64(ours.Nanoseconds())/n, "ns/line")
	b.ReportMetric(float64(ours)/float64(max(split, 1)), "x-split")
	b.ReportMetric(float64(split.Nanoseconds())/n, "split-ns/line")
	b.ReportMetric(float64(m1.Mallocs-m0.Mallocs)/n, "allocs/line")
}
