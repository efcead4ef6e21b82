package lsp

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The scripts of BenchmarkStalledClientBinary time themselves (from their
// first line of code to the moment their last byte was accepted by stdout)
// and write the milliseconds to the file named by their first argument.
const (
	// firehoseScript writes its lines 1000 at a time, as fast as the pipe
	// takes them: far more than any dev server prints.
	firehoseScript = `const t0 = performance.now(); const n = +process.argv[3];
const chunk = "a log line of output, long enough to be realistic: 0123456789\n".repeat(1000);
let left = n / 1000;
function done() { require("fs").writeFileSync(process.argv[2], String(performance.now() - t0)); }
function go() { while (left > 0) { left--; if (!process.stdout.write(chunk)) { process.stdout.once("drain", go); return; } } process.stdout.write("", done); }
go();`
	// consoleScript prints one line per console.log, as scripts do (on
	// Linux a pipe makes each one a synchronous write).
	consoleScript = `const t0 = performance.now(); const n = +process.argv[3];
for (let i = 0; i < n; i++) console.log("GET /api/items/" + i + " 200 3ms - 512b");
process.stdout.write("", () => require("fs").writeFileSync(process.argv[2], String(performance.now() - t0)));`
)

// BenchmarkStalledClientBinary drives the built binary as an editor would,
// subscribes to every process's log lines, then stops reading while a
// script prints BENCH_LINES lines (default 10 million). It reports the
// server's peak resident memory (VmHWM) and the script's own run time
// against the same script with its output to /dev/null and to a pipe that
// a plain reader drains (pipe/devnull is what a pipe alone costs), for a
// firehose script and for a line-by-line one. This host's speed drifts
// from run to run: the three runs are interleaved BENCH_REPS times
// (default 3) and each ratio is the median of its runs' ratios.
func BenchmarkStalledClientBinary(b *testing.B) {
	needNode(b)
	lines := 10_000_000
	if s := os.Getenv("BENCH_LINES"); s != "" {
		lines, _ = strconv.Atoi(s)
	}
	reps := 3
	if s := os.Getenv("BENCH_REPS"); s != "" {
		reps, _ = strconv.Atoi(s)
	}
	bin := brummerBinary(b)
	for _, sc := range []struct{ name, src string }{{"firehose", firehoseScript}, {"console", consoleScript}} {
		b.Run(sc.name, func(b *testing.B) {
			root := workspace(b, map[string]string{
				"print.js":     sc.src,
				"package.json": fmt.Sprintf(`{"scripts":{"print":"node print.js took.txt %d"}}`, lines),
			})
			took := filepath.Join(root, "took.txt")
			// The script alone, its stdout a file or a drained pipe.
			direct := func(stdout io.Writer) float64 {
				cmd := exec.Command("node", "print.js", took, strconv.Itoa(lines))
				cmd.Dir = root
				cmd.Stdout = stdout // nil: /dev/null; io.Discard: a pipe exec copies from
				if err := cmd.Run(); err != nil {
					b.Fatal(err)
				}
				ms := readMillis(b, took)
				os.Remove(took)
				return ms
			}
			var devnull, pipe, served []float64
			var peak int64
			// Each run takes seconds; the figures are per run.
			for i := 0; i < min(b.N, 1); i++ {
				for range reps {
					devnull = append(devnull, direct(nil))
					pipe = append(pipe, direct(io.Discard))
					ms, rss := stalledRun(b, bin, root, sc.name, took)
					served = append(served, ms)
					peak = max(peak, rss)
				}
			}
			ratios := func(num, den []float64) float64 {
				var r []float64
				for i := range num {
					r = append(r, num[i]/den[i])
				}
				slices.Sort(r)
				return r[len(r)/2]
			}
			b.ReportMetric(float64(lines)/slices.Min(served)*1000, "lines/s")
			b.ReportMetric(ratios(served, devnull), "runtime/devnull")
			b.ReportMetric(ratios(pipe, devnull), "pipe/devnull")
			b.ReportMetric(ratios(served, pipe), "runtime/pipe")
			b.ReportMetric(float64(peak)/(1<<20), "peak-RSS-MB")
		})
	}
}

// stalledRun starts a server, subscribes to every log, stops reading and
// runs the print script through it. It returns the script's milliseconds
// and the server's peak RSS.
func stalledRun(b *testing.B, bin, root, name, took string) (float64, int64) {
	b.Helper()
	args := []string{"lsp"}
	if prof := os.Getenv("BENCH_SERVER_PROFILE"); prof != "" {
		// The server's CPU profile, for looking into a figure.
		args = append(args, "--profile.cpu", prof+"."+name)
	}
	srv := exec.Command(bin, args...)
	if os.Getenv("BENCH_SERVER_STDERR") != "" {
		srv.Stderr = os.Stderr // with GODEBUG=gctrace=1: the server's heap
	}
	stdin, _ := srv.StdinPipe()
	stdout, _ := srv.StdoutPipe()
	if err := srv.Start(); err != nil {
		b.Fatal(err)
	}
	rd := bufio.NewReader(stdout)
	send := func(body string) {
		fmt.Fprintf(stdin, "Content-Length: %d\r\n\r\n%s", len(body), body)
	}
	// Read until the answer to id arrives.
	answer := func(id int) {
		want := fmt.Sprintf(`"id":%d,`, id)
		for {
			m, err := readMessage(rd)
			if err != nil {
				b.Fatalf("reading the server: %v", err)
			}
			if strings.Contains(string(m), want) && !strings.Contains(string(m), `"method"`) {
				return
			}
		}
	}
	send(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":null,"rootUri":"file://` + root + `","capabilities":{}}}`)
	answer(1)
	send(`{"jsonrpc":"2.0","method":"initialized","params":{}}`)
	send(`{"jsonrpc":"2.0","id":2,"method":"brummer/subscribeLogs","params":{"processId":null,"enabled":true}}`)
	answer(2)
	// From here on the editor reads nothing.
	send(`{"jsonrpc":"2.0","id":3,"method":"workspace/executeCommand","params":{"command":"brummer.run","arguments":[{"script":"print"}]}}`)
	deadline := time.Now().Add(10 * time.Minute)
	for {
		if _, err := os.Stat(took); err == nil {
			break
		}
		if time.Now().After(deadline) {
			b.Fatal("the script did not finish")
		}
		time.Sleep(20 * time.Millisecond) // polling a file the script writes, with a deadline
	}
	ran := readMillis(b, took)
	os.Remove(took)
	peak := peakRSS(b, srv.Process.Pid)
	// Catch up, then end the session.
	go io.Copy(io.Discard, rd)
	send(`{"jsonrpc":"2.0","id":4,"method":"shutdown"}`)
	send(`{"jsonrpc":"2.0","method":"exit"}`)
	if err := srv.Wait(); err != nil {
		b.Fatalf("server: %v", err)
	}
	return ran, peak
}

func readMillis(b *testing.B, path string) float64 {
	b.Helper()
	var data []byte
	deadline := time.Now().Add(5 * time.Second)
	for {
		data, _ = os.ReadFile(path)
		if len(data) > 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(5 * time.Millisecond) // the file may be seen before its content
	}
	ms, err := strconv.ParseFloat(strings.TrimSpace(string(data)), 64)
	if err != nil {
		b.Fatalf("%s: %v", path, err)
	}
	return ms
}

// peakRSS reads the high-water mark of a process's resident memory.
func peakRSS(b *testing.B, pid int) int64 {
	b.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Skipf("no /proc: %v", err)
	}
	for _, l := range strings.Split(string(data), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	b.Fatal("no VmHWM")
	return 0
}
