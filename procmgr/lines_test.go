package procmgr

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// collect feeds input to a fresh reader in chunks of the given sizes (the
// last size repeats) and returns every line, the EOF flush included.
func collect(t *testing.T, max int, input string, sizes ...int) []Line {
	t.Helper()
	r := newLineReader("p1", Stdout, nil, max)
	defer r.release()
	var out []Line
	b := []byte(input)
	for i := 0; len(b) > 0; i++ {
		n := sizes[min(i, len(sizes)-1)]
		n = min(n, len(b))
		out = append(out, r.feed(b[:n], time.Time{})...)
		b = b[n:]
	}
	if l, ok := r.flush(time.Time{}); ok {
		out = append(out, l)
	}
	return out
}

func texts(ls []Line) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.Text
	}
	return out
}

func TestLineCleaning(t *testing.T) {
	cases := []struct {
		name, in string
		want     []string
		color    []bool
	}{
		{"lf and crlf", "a\nb\r\nc\n", []string{"a", "b", "c"}, nil},
		{"last line without newline", "a\nlast", []string{"a", "last"}, nil},
		{"empty lines kept", "\n\nx\n", []string{"", "", "x"}, nil},
		{"progress folded", "0%\r50%\r100%\ndone\n", []string{"100%", "done"}, nil},
		{"progress ending in cr", "1/3\r2/3\r3/3\r\n", []string{"3/3"}, nil},
		{"progress at eof", "1/3\r2/3\r", []string{"2/3"}, nil},
		{"ansi", "\x1b[31merror\x1b[0m: bad\nplain\n", []string{"error: bad", "plain"}, []bool{true, false}},
		{"ansi osc link", "\x1b]8;;http://x\x07link\x1b]8;;\x1b\\ end\n", []string{"link end"}, []bool{true}},
		{"ansi charset and keypad", "\x1b(Bx\x1b=y\x1b[?25lz\n", []string{"xyz"}, []bool{true}},
		{"ansi erase then cr", "\x1b[2K\rbuilding 3/4\x1b[K\n", []string{"building 3/4"}, []bool{true}},
		{"ansi only in folded state", "\x1b[32m1/2\r2/2\n", []string{"2/2"}, []bool{true}},
		{"invalid utf8", "a\xffb\xc3\n", []string{"a\uFFFDb\uFFFD"}, nil},
		{"valid utf8 kept", "größe ✓ 日本\n", []string{"größe ✓ 日本"}, nil},
		{"controls removed, tab kept", "a\x00b\x07c\td\x08\n", []string{"abc\td"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// Every way of splitting the input gives the same lines.
			for _, sizes := range [][]int{{len(tc.in) + 1}, {1}, {2}, {3}, {5, 1, 7}} {
				got := collect(t, 1024, tc.in, sizes...)
				if !slices.Equal(texts(got), tc.want) {
					t.Fatalf("chunks %v: got %q, want %q", sizes, texts(got), tc.want)
				}
				for i, c := range tc.color {
					if got[i].Color != c {
						t.Errorf("chunks %v: line %d color %v, want %v", sizes, i, got[i].Color, c)
					}
				}
			}
		})
	}
}

func TestLineTruncation(t *testing.T) {
	long := strings.Repeat("x", 100) + "\n" + "next\n"
	for _, sizes := range [][]int{{1000}, {1}, {7}, {64}} {
		got := collect(t, 10, long, sizes...)
		if len(got) != 2 || got[0].Text != "xxxxxxxxxx"+TruncationMarker || !got[0].Truncated || got[1].Text != "next" || got[1].Truncated {
			t.Fatalf("chunks %v: got %+v", sizes, got)
		}
	}
	// The cut never splits a character.
	got := collect(t, 10, strings.Repeat("é", 20)+"\n", 3)
	if want := strings.Repeat("é", 5) + TruncationMarker; len(got) != 1 || got[0].Text != want {
		t.Fatalf("got %q, want %q", texts(got), want)
	}
	// A long progress line that folds to something short is not cut.
	got = collect(t, 10, strings.Repeat("12345678\r", 50)+"ok\n", 4)
	if len(got) != 1 || got[0].Text != "ok" || got[0].Truncated {
		t.Fatalf("folded progress: %+v", got)
	}
}

func TestLineReaderBoundedMemory(t *testing.T) {
	const max = 4096
	r := newLineReader("p1", Stdout, nil, max)
	defer r.release()
	chunk := bytes.Repeat([]byte("y"), readBufSize)
	var lines []Line
	for range 100 << 20 / readBufSize {
		lines = append(lines, r.feed(chunk, time.Time{})...)
		if c := cap(*r.pend); c > 2*max+4096 {
			t.Fatalf("pending line buffer grew to %d bytes (max line %d)", c, max)
		}
	}
	lines = append(lines, r.feed([]byte("\nafter\n"), time.Time{})...)
	if len(lines) != 2 || !lines[0].Truncated || len(lines[0].Text) != max+len(TruncationMarker) || lines[1].Text != "after" {
		t.Fatalf("got %d lines: %q...", len(lines), texts(lines)[:min(2, len(lines))])
	}
}

func TestLineReaderRandomSplits(t *testing.T) {
	// Random input of lines, escapes, CRs and bad bytes: whatever the read
	// boundaries, the lines are the same, valid UTF-8, and free of escapes.
	rng := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"hello", " ", "\n", "\r\n", "\r", "\x1b[1;32m", "\x1b[0m", "\xff", "é", "日本", "\t", strings.Repeat("z", 40)}
	for round := range 50 {
		var sb strings.Builder
		for range 200 {
			sb.WriteString(pieces[rng.IntN(len(pieces))])
		}
		in := sb.String()
		want := collect(t, 64, in, len(in)+1)
		for _, l := range want {
			if !utf8.ValidString(l.Text) || strings.ContainsAny(l.Text, "\x1b\r\n") {
				t.Fatalf("round %d: unclean line %q", round, l.Text)
			}
		}
		sizes := []int{1 + rng.IntN(20), 1 + rng.IntN(3), 1 + rng.IntN(100)}
		got := collect(t, 64, in, sizes...)
		if !slices.Equal(texts(got), texts(want)) {
			t.Fatalf("round %d, chunks %v:\n got %q\nwant %q\n  in %q", round, sizes, texts(got), texts(want), in)
		}
	}
}

func TestLineAllocations(t *testing.T) {
	// One batch of plain lines costs the batch slice plus one string per
	// line, nothing more.
	var b bytes.Buffer
	for range 100 {
		b.WriteString("2026-11-23T20:00:00Z INFO server listening on http://localhost:5173/ (ready in 312 ms)\n")
	}
	r := newLineReader("p1", Stdout, nil, 1024)
	defer r.release()
	allocs := testing.AllocsPerRun(50, func() { r.feed(b.Bytes(), time.Time{}) })
	if allocs > 101 {
		t.Errorf("%v allocations for a batch of 100 lines, want 101", allocs)
	}
}

func BenchmarkFeed(b *testing.B) {
	var buf bytes.Buffer
	for buf.Len() < readBufSize-200 {
		buf.WriteString("2026-11-23T20:00:00.000Z INFO vite server ready in 312 ms local http://localhost:5173/ hmr update\n")
	}
	r := newLineReader("p1", Stdout, nil, DefaultMaxLineBytes)
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	for range b.N {
		r.feed(buf.Bytes(), time.Time{})
	}
}
