package lsp

import (
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

func needNode(b *testing.B) {
	if _, err := exec.LookPath("node"); err != nil {
		b.Skip("node is not installed")
	}
}

// errorScript prints n tsc-watch cycles, one error each, every 5 ms; the
// message carries the wall time the line was written, in ns.
const errorScript = `const n = +process.argv[2]; let i = 0;
const t = setInterval(() => {
  if (i++ >= n) { clearInterval(t); return; }
  const ns = BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));
  process.stdout.write("File change detected. Starting incremental compilation...\n" +
    "src/a.ts(1,10): error TS2322: written at " + ns + "\n" +
    "Found 1 error. Watching for file changes.\n");
}, 5);`

// loneScript prints n tsc-watch cycles every 10 ms whose one error line has
// nothing after it: the cycle's start, 2 ms later the error line alone (no
// summary follows, as from a watcher waiting for the next change). The
// message carries the wall time the line was written, in ns.
const loneScript = `const n = +process.argv[2]; let i = 0;
const t = setInterval(() => {
  if (i++ >= n) { clearInterval(t); return; }
  process.stdout.write("File change detected. Starting incremental compilation...\n");
  setTimeout(() => {
    const ns = BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));
    process.stdout.write("src/a.ts(1,10): error TS2322: written at " + ns + "\n");
  }, 2);
}, 10);`

// floodScript prints 200k lines/s: 2000 every 10 ms, until stopped.
const floodScript = `const line = "flood line with some text in it to look like a log ".repeat(2) + "\n";
const chunk = line.repeat(2000);
setInterval(() => process.stdout.write(chunk), 10);`

// latencies runs the error script and measures, for each of its n cycles
// whose diagnostics were published (the outbox may coalesce two cycles into
// one publish), the time from the line written by the child to the
// publishDiagnostics read by the editor.
func latencies(b *testing.B, e *editor, root, script string) []time.Duration {
	mark := e.mark()
	p := e.run(script, root)
	e.awaitProcess(script+" to end", func(w wireProcess) bool { return w.ID == p.ID && w.Status == "success" })
	seen := map[string]bool{}
	var out []time.Duration
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, m := range e.msgs[mark:] {
		if m.Method != "textDocument/publishDiagnostics" {
			continue
		}
		if key, written, ok := writtenAt(m.Params); ok && !seen[key] {
			seen[key] = true
			out = append(out, m.at.Sub(written))
		}
	}
	if len(out) == 0 {
		b.Fatal("no diagnostics published")
	}
	return out
}

func writtenAt(params json.RawMessage) (string, time.Time, bool) {
	s := string(params)
	i := strings.Index(s, "written at ")
	if i < 0 {
		return "", time.Time{}, false
	}
	j := i + len("written at ")
	k := j
	for k < len(s) && s[k] >= '0' && s[k] <= '9' {
		k++
	}
	ns, err := strconv.ParseInt(s[j:k], 10, 64)
	if err != nil {
		return "", time.Time{}, false
	}
	return s[j:k], time.Unix(0, ns), true
}

func percentile(ds []time.Duration, p float64) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[min(len(s)-1, int(float64(len(s))*p))]
}

// BenchmarkDiagnosticLatency: from the child's write of an error line to
// the editor's read of its publishDiagnostics, through the real server over
// pipes, alone and while another process of the server floods 200k
// lines/s. "cycle": each error ends its watch cycle ("Found 1 error"), which
// flushes at once; "lone": the error line has nothing after it, the case
// of a watcher waiting for the next change.
func BenchmarkDiagnosticLatency(b *testing.B) {
	needNode(b)
	// 400 cycles a run: p99 is then the 4th worst, not the single worst
	// (one scheduling hiccup of this shared host).
	n := 400
	root := workspace(b, map[string]string{
		"src/a.ts":  fixtureSource,
		"errors.js": errorScript,
		"lone.js":   loneScript,
		"flood.js":  floodScript,
		"package.json": `{"scripts":{"errors":"node errors.js ` + strconv.Itoa(n) + `","lone":"node lone.js ` + strconv.Itoa(n) +
			`","flood":"node flood.js"}}`,
	})
	for _, script := range []string{"cycle", "lone"} {
		name := map[string]string{"cycle": "errors", "lone": "lone"}[script]
		b.Run(script, func(b *testing.B) {
			e := newEditor(b, root, editorOpts{})
			b.ResetTimer()
			alone := latencies(b, e, root, name)
			flood := e.run("flood", root)
			during := latencies(b, e, root, name)
			b.StopTimer()
			e.mustCall("workspace/executeCommand", map[string]any{"command": "brummer.stop", "arguments": []any{map[string]string{"id": flood.ID}}}, nil)
			ms := func(d time.Duration) float64 { return float64(d) / 1e6 }
			b.ReportMetric(ms(percentile(alone, 0.5)), "alone-p50-ms")
			b.ReportMetric(ms(percentile(alone, 0.99)), "alone-p99-ms")
			b.ReportMetric(ms(percentile(during, 0.5)), "flood-p50-ms")
			b.ReportMetric(ms(percentile(during, 0.99)), "flood-p99-ms")
			b.ReportMetric(float64(percentile(during, 0.99))/float64(percentile(alone, 0.99)), "flood/alone-p99")
			b.ReportMetric(float64(len(alone)+len(during))/float64(2*n), "published/cycles")
		})
	}
}

// BenchmarkCodeLens200Packages: codeLens on a manifest of a 200-package
// workspace, against a trivial request (brummer/urls) as the baseline.
func BenchmarkCodeLens200Packages(b *testing.B) {
	files := map[string]string{"package.json": `{"name":"mono","private":true,"workspaces":["packages/*"],"scripts":{"dev":"echo dev","build":"echo build"}}`}
	for i := 0; i < 200; i++ {
		files[fmt.Sprintf("packages/p%03d/package.json", i)] = fmt.Sprintf(`{"name":"p%03d","scripts":{"dev":"vite","build":"tsc -b","test":"vitest","lint":"eslint ."}}`, i)
	}
	root := workspace(b, files)
	e := newEditor(b, root, editorOpts{})
	var scripts []wireScript
	e.mustCall("brummer/scripts", map[string]any{}, &scripts)
	if len(scripts) < 800 {
		b.Fatalf("%d scripts discovered, want 802", len(scripts))
	}
	uri := fileURI(filepath.Join(root, "packages/p100/package.json"))
	params := map[string]any{"textDocument": map[string]string{"uri": uri}}
	var lens, base time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		e.mustCall("brummer/urls", map[string]any{}, nil)
		t1 := time.Now()
		e.mustCall("textDocument/codeLens", params, nil)
		lens += time.Since(t1)
		base += t1.Sub(t0)
	}
	b.ReportMetric(float64(lens)/float64(b.N)/1e6, "codeLens-ms")
	b.ReportMetric(float64(lens)/float64(base), "codeLens/trivial")
}
