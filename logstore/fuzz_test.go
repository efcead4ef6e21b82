package logstore

import (
	"bytes"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/brummer-dev/brummer/logstore/detect"
)

// FuzzAppend feeds arbitrary bytes, split into lines and batches, through
// Append (every built-in parser plus the test ones) and URL detection: no
// panic, the ring stays within its bounds, queries keep working, and every
// URL found is a well-formed local URL.
func FuzzAppend(f *testing.F) {
	for _, name := range []string{"tsc-watch.log", "node-crash.log"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("  \x1b[32m➜\x1b[39m  \x1b[1mLocal\x1b[22m:   \x1b[36mhttp://localhost:\x1b[1m5173\x1b[22m/\x1b[39m\n"))
	f.Add([]byte("http://0.0.0.0:8080.\nhttp://[::]:1/a)\nhttps://[::1]\nhttp://localhost:\nhttp://127.0.0.1:99999999/\n"))
	f.Add([]byte("npm ERR! x\nTypeError: y\n    at f (/w/src/a.js:1:2)\nWARN z\n\x00\xff\xfe\n"))
	f.Add(bytes.Repeat([]byte("error "), 20000))
	f.Add([]byte("\x1b]8;;http://localhost:3000\x07link\x1b]8;;\x07\n\x1b[\n\x1b"))

	root := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		const maxEntries, maxBytes = 50, 4096
		s := New(Config{MaxEntries: maxEntries, MaxBytes: maxBytes, QuietFlush: time.Hour}, nil, nil)
		builtin := s.newParsers
		s.newParsers = func() []detect.Parser { return append(builtin(), newTSCParser(), newStackParser()) }
		defer s.Close()
		s.Register(Process{ID: "p", Dir: filepath.Join(root, "app"), Roots: []string{root}})

		all := strings.Split(string(data), "\n")
		batch := 1
		if len(data) > 0 {
			batch = 1 + int(data[0]%7)
		}
		for i := 0; i < len(all); i += batch {
			chunk := all[i:min(i+batch, len(all))]
			for _, l := range chunk {
				for _, u := range findURLs(nil, l) {
					checkURL(t, l, u)
				}
			}
			s.Append("p", Stream(i%4), lines(chunk...))
			st := s.Stats()
			if st.Entries > maxEntries || st.Bytes > maxBytes && st.Entries > 1 {
				t.Fatalf("ring out of bounds: %+v", st)
			}
		}
		s.End("p")
		res, err := s.Query(Query{Limit: maxEntries, Text: string(data[:min(len(data), 3)])})
		if err != nil {
			t.Fatal(err)
		}
		for i := 1; i < len(res.Entries); i++ {
			if res.Entries[i].Seq <= res.Entries[i-1].Seq {
				t.Fatalf("entries out of order: %d after %d", res.Entries[i].Seq, res.Entries[i-1].Seq)
			}
		}
		for _, pr := range s.Problems("p") {
			if !strings.HasPrefix(pr.File, root) {
				t.Fatalf("problem outside the workspace: %+v", pr)
			}
		}
		s.Clear("")
		if st := s.Stats(); st.Entries != 0 || st.Bytes != 0 {
			t.Fatalf("Clear left %+v", st)
		}
	})
}

func checkURL(t *testing.T, line, u string) {
	t.Helper()
	parsed, err := url.Parse(u)
	if err != nil {
		t.Fatalf("findURLs(%q) = %q, which does not parse: %v", line, u, err)
	}
	switch parsed.Hostname() {
	case "localhost", "127.0.0.1", "::1":
	default:
		t.Fatalf("findURLs(%q) = %q: host %q is not local", line, u, parsed.Hostname())
	}
	if parsed.Scheme != "http" && parsed.Scheme != "https" || !strings.HasPrefix(parsed.EscapedPath(), "/") && parsed.Path != "" {
		t.Fatalf("findURLs(%q) = %q: bad scheme or path", line, u)
	}
	if strings.ContainsAny(u, " \x1b\"<>") || strings.HasSuffix(u, ".") || strings.HasSuffix(u, ")") {
		t.Fatalf("findURLs(%q) = %q: stray characters", line, u)
	}
}

// mayHaveLevelWord never misses "rr" or "arn" (any case).
func FuzzMayHaveLevelWord(f *testing.F) {
	for _, s := range []string{"", "error", "x://y", "WARN http://localhost:3000", "ar", "arn", "a:/", "12345678 rr"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		naive := false
		for i := 0; i+1 < len(s); i++ {
			a, b := s[i]|0x20, s[i+1]|0x20
			naive = naive || b == 'r' && (a == 'r' || a == 'a' && i+2 < len(s) && s[i+2]|0x20 == 'n')
		}
		if naive && !mayHaveLevelWord(s) {
			t.Fatalf("%q: level word missed", s)
		}
	})
}
