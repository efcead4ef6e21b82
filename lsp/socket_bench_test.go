package lsp

import (
	"strconv"
	"testing"
	"time"
)

// BenchmarkDiagnosticLatencyWithAgent: what an attached agent costs the
// editor. The editor's diagnostic latency (child's write of an error line
// to the editor's read of its publishDiagnostics) alone, then with a
// second client on the workspace socket subscribed to every log line, and
// that client's own latency for the same diagnostics.
func BenchmarkDiagnosticLatencyWithAgent(b *testing.B) {
	needNode(b)
	privateSocketDir(b)
	n := 400
	root := workspace(b, map[string]string{
		"src/a.ts":     fixtureSource,
		"errors.js":    errorScript,
		"package.json": `{"scripts":{"errors":"node errors.js ` + strconv.Itoa(n) + `"}}`,
	})
	e := newEditor(b, root, editorOpts{})
	path, err := SocketPath(root, false)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	alone := latencies(b, e, root, "errors")
	agent := dialSocket(b, path)
	agent.mustCall("brummer/subscribeLogs", map[string]any{"processId": nil, "enabled": true}, nil)
	mark := agent.mark()
	attached := latencies(b, e, root, "errors")
	var seen []time.Duration
	keys := map[string]bool{}
	agent.mu.Lock()
	for _, m := range agent.msgs[mark:] {
		if m.Method != "textDocument/publishDiagnostics" {
			continue
		}
		if key, written, ok := writtenAt(m.Params); ok && !keys[key] {
			keys[key] = true
			seen = append(seen, m.at.Sub(written))
		}
	}
	agent.mu.Unlock()
	b.StopTimer()
	if len(seen) == 0 {
		b.Fatal("the agent got no diagnostics")
	}
	ms := func(d time.Duration) float64 { return float64(d) / 1e6 }
	b.ReportMetric(ms(percentile(alone, 0.5)), "alone-p50-ms")
	b.ReportMetric(ms(percentile(attached, 0.5)), "attached-p50-ms")
	b.ReportMetric(ms(percentile(attached, 0.99)), "attached-p99-ms")
	b.ReportMetric(float64(percentile(attached, 0.5))/float64(percentile(alone, 0.5)), "attached/alone-p50")
	b.ReportMetric(float64(percentile(attached, 0.99))/float64(percentile(alone, 0.99)), "attached/alone-p99")
	b.ReportMetric(ms(percentile(seen, 0.5)), "agent-p50-ms")
	b.ReportMetric(ms(percentile(seen, 0.99)), "agent-p99-ms")
}
