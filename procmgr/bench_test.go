//go:build linux

package procmgr

import (
	"bufio"
	"context"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// countSink counts what it is given; it stands for a store that never
// blocks.
type countSink struct{ lines, bytes atomic.Int64 }

func (s *countSink) Append(_ string, _ Stream, ls []Line) {
	n := 0
	for _, l := range ls {
		n += len(l.Text)
	}
	s.lines.Add(int64(len(ls)))
	s.bytes.Add(int64(n))
}

// logFile writes size bytes of log-like lines of 80 to 120 bytes.
func logFile(b *testing.B, size int) (string, int) {
	path := filepath.Join(b.TempDir(), "log.txt")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	rng := rand.New(rand.NewPCG(7, 7))
	words := strings.Fields("vite server ready in ms local http://localhost:5173/ hmr update src/App.tsx error warning compiled successfully webpack watching files for changes GET /api/users 200")
	lines, n := 0, 0
	for n < size {
		target := 80 + rng.IntN(41)
		line := "2026-11-23T20:00:00.000Z INFO"
		for len(line) < target {
			line += " " + words[rng.IntN(len(words))]
		}
		line = line[:target]
		w.WriteString(line)
		w.WriteByte('\n')
		n += len(line) + 1
		lines++
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	return path, lines
}

// catPipe starts `cat path` with its stdout on a pipe.
func catPipe(b *testing.B, path string) (*exec.Cmd, *os.File) {
	r, w, err := os.Pipe()
	if err != nil {
		b.Fatal(err)
	}
	cmd := exec.Command("cat", path)
	cmd.Stdout = w
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	w.Close()
	return cmd, r
}

// BenchmarkReader compares, in one run, draining `cat bigfile` raw (the
// baselines: io.Copy to io.Discard, and a plain 64 KiB read loop) with the
// same output going through the line reader, and through a whole Manager
// (supervisor start included), into a counting sink. The ratios are
// reader throughput over baseline throughput.
func BenchmarkReader(b *testing.B) {
	const size = 64 << 20
	path, nlines := logFile(b, size)
	// The GC setting brummer's main runs with (cmd/brummer tuneGC).
	if os.Getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(400))
	}
	var tCopy, tLoop, tReader, tManager time.Duration
	m := New(Config{}, nil, nil, nil)
	m.supervised = supervisorEnabled.Load()
	defer m.Close(context.Background())
	buf := make([]byte, readBufSize)
	b.SetBytes(size)
	b.ResetTimer()
	for range b.N {
		t0 := time.Now()
		cmd, r := catPipe(b, path)
		if n, err := io.Copy(io.Discard, r); err != nil || n < size {
			b.Fatalf("raw copy: %d bytes, %v", n, err)
		}
		cmd.Wait()
		r.Close()
		tCopy += time.Since(t0)

		t0 = time.Now()
		cmd, r = catPipe(b, path)
		for {
			if _, err := r.Read(buf); err != nil {
				break
			}
		}
		cmd.Wait()
		r.Close()
		tLoop += time.Since(t0)

		t0 = time.Now()
		sink := &countSink{}
		cmd, r = catPipe(b, path)
		lr := newLineReader("p1", Stdout, sink, DefaultMaxLineBytes)
		lr.run(r)
		cmd.Wait()
		r.Close()
		tReader += time.Since(t0)
		if got := sink.lines.Load(); got != int64(nlines) {
			b.Fatalf("reader: %d lines, want %d", got, nlines)
		}

		t0 = time.Now()
		msink := &countSink{}
		m.sink = msink
		s, err := m.Start(context.Background(), Spec{Argv: []string{"cat", path}})
		if err != nil {
			b.Fatal(err)
		}
		done, _ := m.Done(s.ID)
		<-done
		tManager += time.Since(t0)
		if got := msink.lines.Load(); got != int64(nlines) {
			b.Fatalf("manager: %d lines, want %d", got, nlines)
		}
	}
	b.StopTimer()
	mbps := func(d time.Duration) float64 { return float64(size) * float64(b.N) / d.Seconds() / 1e6 }
	b.ReportMetric(mbps(tCopy), "copy_MB/s")
	b.ReportMetric(mbps(tLoop), "loop64k_MB/s")
	b.ReportMetric(mbps(tReader), "reader_MB/s")
	b.ReportMetric(float64(nlines)*float64(b.N)/tReader.Seconds()/1e6, "reader_Mlines/s")
	b.ReportMetric(tCopy.Seconds()/tReader.Seconds(), "reader/copy")
	b.ReportMetric(tLoop.Seconds()/tReader.Seconds(), "reader/loop64k")
	b.ReportMetric(tCopy.Seconds()/tManager.Seconds(), "manager/copy")
}
