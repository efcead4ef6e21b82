package logstore

import (
	"bufio"
	"bytes"
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/brummer-dev/brummer/eventbus"
	"github.com/brummer-dev/brummer/logstore/detect"
)

// mixedLog builds a realistic dev-server log: mostly ordinary lines (vite,
// HTTP requests, watch chatter), some tsc errors and eslint rows, and a node
// stack trace every few hundred lines. Paths lie under root.
func mixedLog(root string, n int) []byte {
	ordinary := []string{
		"[vite] hmr update /src/App.tsx",
		"GET /api/users 200 12ms",
		"POST /api/session 201 34ms - 512b",
		"12:01:33 PM [vite] page reload src/main.tsx",
		"[nodemon] restarting due to changes...",
		"webpack 5.91.0 compiled successfully in 812 ms",
		"  VITE v5.4.0  ready in 312 ms",
		"GET /assets/index-4f2a9c.js 304 1ms",
		"info  - compiled client and server successfully",
		"[api] connected to postgres at localhost:5432",
	}
	var b bytes.Buffer
	for i := 0; i < n; i++ {
		switch {
		case i%300 == 299:
			fmt.Fprintf(&b, "TypeError: Cannot read properties of undefined (reading 'id')\n")
			fmt.Fprintf(&b, "    at handler (%s/src/routes/users.js:%d:19)\n", root, 10+i%50)
			fmt.Fprintf(&b, "    at Layer.handle [as handle_request] (%s/node_modules/express/lib/router/layer.js:95:5)\n", root)
			fmt.Fprintf(&b, "    at next (node:internal/process/task_queues:95:5)\n")
			i += 3
		case i%97 == 13:
			fmt.Fprintf(&b, "src/components/List.tsx(%d,7): error TS2322: Type 'string' is not assignable to type 'number'.\n", 1+i%400)
		case i%89 == 7:
			fmt.Fprintf(&b, "  %d:%d  error  'foo' is assigned a value but never used  no-unused-vars\n", 1+i%200, 3+i%40)
		case i%89 == 8:
			fmt.Fprintf(&b, "%s/src/util/format.ts\n", root)
		default:
			b.WriteString(ordinary[i%len(ordinary)])
			b.WriteByte('\n')
		}
	}
	return b.Bytes()
}

const benchBatch = 64

// splitLines is the baseline: what any line reader does with the bytes
// (bufio.Scanner, one string per line, handed over in batches of 64 lines:
// procmgr hands over one batch per read; 1024-line batches measured the
// same).
func splitLines(data []byte, each func([]Line)) int {
	sc := bufio.NewScanner(bytes.NewReader(data))
	batch := make([]Line, 0, benchBatch)
	n := 0
	for sc.Scan() {
		batch = append(batch, Line{Text: sc.Text()})
		n++
		if len(batch) == benchBatch {
			each(batch)
			// A fresh batch: the store keeps the strings, not the slice.
			batch = make([]Line, 0, benchBatch)
		}
	}
	if len(batch) > 0 {
		each(batch)
	}
	return n
}

func benchSplit(b *testing.B, data []byte) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	n := 0
	for b.Loop() {
		n += splitLines(data, func([]Line) {})
	}
	runtime.ReadMemStats(&after)
	reportPerLine(b, n)
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(n), "allocs/line")
}

func reportPerLine(b *testing.B, lines int) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(lines), "ns/line")
	b.ReportMetric(float64(lines)/b.Elapsed().Seconds(), "lines/s")
}

// BenchmarkAppend measures lines/s through Store.Append with detection
// (the built-in parsers, and none for comparison) and a live LinesAppended
// subscriber, against the plain split of the same bytes. Each iteration
// runs the split alone and then split+Append, timed apart, so both see the
// same machine load (this host is shared): x-split is the cost of
// split+Append as a multiple of the split alone; ns/line, lines/s and
// allocs/line are of split+Append.
func BenchmarkAppend(b *testing.B) {
	root := b.TempDir()
	data := mixedLog(root, 20000)
	b.Run("split", func(b *testing.B) { benchSplit(b, data) })
	run := func(name string, parsers func() []detect.Parser) {
		b.Run(name, func(b *testing.B) {
			bus := eventbus.New(eventbus.Config{TopicPolicies: Policies()}, nil)
			defer bus.Close(b.Context())
			var seen atomic.Int64
			defer bus.Subscribe(TopicLinesAppended, func(e eventbus.Event) {
				la := e.Payload.(LinesAppended)
				seen.Add(int64(la.Count))
			})()
			s := New(Config{}, bus, nil)
			defer s.Close()
			if parsers != nil {
				s.newParsers = parsers
			}
			s.Register(Process{ID: "web", Dir: root, Roots: []string{root}})
			b.SetBytes(int64(len(data)))
			var splitTime, storeTime time.Duration
			var mallocs uint64
			var ms runtime.MemStats
			n := 0
			for b.Loop() {
				t0 := time.Now()
				splitLines(data, func([]Line) {})
				t1 := time.Now()
				runtime.ReadMemStats(&ms)
				m0 := ms.Mallocs
				t2 := time.Now()
				n += splitLines(data, func(ls []Line) { s.Append("web", Stdout, ls) })
				storeTime += time.Since(t2)
				splitTime += t1.Sub(t0)
				runtime.ReadMemStats(&ms)
				mallocs += ms.Mallocs - m0
			}
			b.ReportMetric(float64(storeTime.Nanoseconds())/float64(n), "ns/line")
			b.ReportMetric(float64(n)/storeTime.Seconds(), "lines/s")
			b.ReportMetric(float64(mallocs)/float64(n), "allocs/line")
			b.ReportMetric(float64(storeTime)/float64(splitTime), "x-split")
			b.ReportMetric(float64(len(s.newParsers())), "parsers")
		})
	}
	run("store", nil)
	run("store-noparsers", func() []detect.Parser { return nil })
}

// BenchmarkBusRoundTrip is the baseline of BenchmarkProblemLatency: one
// event from Publish to a handler of the same real bus.
func BenchmarkBusRoundTrip(b *testing.B) {
	bus := eventbus.New(eventbus.Config{TopicPolicies: Policies()}, nil)
	defer bus.Close(b.Context())
	got := make(chan struct{}, 1)
	defer bus.Subscribe(TopicProblemsChanged, func(eventbus.Event) { got <- struct{}{} })()
	for b.Loop() {
		if err := bus.Publish(eventbus.Event{Topic: TopicProblemsChanged, Key: "tsc", Priority: eventbus.Medium}); err != nil {
			b.Fatal(err)
		}
		<-got
	}
}

// BenchmarkProblemLatency is the time from Append of an error to the
// ProblemsChanged handler seeing it, through a real bus.
func BenchmarkProblemLatency(b *testing.B) {
	root := b.TempDir()
	bus := eventbus.New(eventbus.Config{TopicPolicies: Policies()}, nil)
	defer bus.Close(b.Context())
	got := make(chan int, 1)
	defer bus.Subscribe(TopicProblemsChanged, func(e eventbus.Event) {
		if ps := e.Payload.(ProblemsChanged).Problems; len(ps) == 1 {
			got <- ps[0].Line
		}
	})()
	s := newTestStore(b, Config{QuietFlush: time.Hour}, bus, newTSCParser)
	s.Register(Process{ID: "tsc", Dir: root, Roots: []string{root}})
	deadline := time.NewTimer(waitTimeout)
	defer deadline.Stop()
	i := 0
	for b.Loop() {
		deadline.Reset(waitTimeout)
		i++
		// A new cycle with one error, completed by the blank line after it.
		s.Append("tsc", Stdout, lines("File change detected. Starting incremental compilation...",
			fmt.Sprintf("src/a.ts(%d,1): error TS2322: Type 'string' is not assignable to type 'number'.", i), ""))
		select {
		case line := <-got:
			if line != i {
				b.Fatalf("saw line %d, want %d", line, i)
			}
		case <-deadline.C:
			b.Fatal("no ProblemsChanged")
		}
	}
}

// BenchmarkLineChecks prices the per-line checks on an
// ordinary line.
func BenchmarkLineChecks(b *testing.B) {
	line := "12:01:33 PM [vite] hmr update /src/components/Table.tsx (x2)"
	b.Run("wordLevel", func(b *testing.B) {
		for b.Loop() {
			wordLevel(line)
		}
	})
	b.Run("findURLs", func(b *testing.B) {
		var buf []string
		for b.Loop() {
			buf = findURLs(buf[:0], line)
		}
	})
	b.Run("baseline-contains", func(b *testing.B) {
		for b.Loop() {
			strings.Contains(line, "\x00")
		}
	})
}
