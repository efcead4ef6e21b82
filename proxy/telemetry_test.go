package proxy

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func post(t *testing.T, f *fixture, url, body string) (int, string) {
	t.Helper()
	res, err := f.cli.Post(url, "text/plain;charset=UTF-8", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func TestTelemetryReachesOnBrowser(t *testing.T) {
	target := htmlTarget(t, "", page)
	defer target.Close()
	f := newFixture(t, Config{InjectMonitor: true})
	tel := f.open(t, target.URL) + "__brummer/telemetry"
	report := `{"page":"http://127.0.0.1:1/","dropped":3,"entries":[
	 {"kind":"error","level":"error","message":"Uncaught TypeError: x is undefined","source":"http://localhost:5173/src/main.ts","line":10,"col":5,
	  "stack":"TypeError: x is undefined\n    at render (http://localhost:5173/src/main.ts:10:5)\n    at http://localhost:5173/src/main.ts:20:1"},
	 {"kind":"error","level":"error","message":"ReferenceError: y is not defined","source":"http://localhost:5173/src/a.js","line":3,"col":7},
	 {"kind":"rejection","level":"error","message":"Error: boom","stack":"load@http://localhost:5173/src/b.js:4:9\n@http://localhost:5173/src/b.js:8:1\n"},
	 {"kind":"console","level":"warn","message":"Each child in a list should have a unique key"}]}`
	if code, body := post(t, f, tel, report); code != http.StatusNoContent {
		t.Fatalf("telemetry answered %d %q", code, body)
	}
	got := f.br.waitFor(t, 5*time.Second, func(ev []BrowserEvent) bool { return len(ev) == 5 })
	want := []BrowserEvent{
		{"p1", "error", "Uncaught TypeError: x is undefined\n    at render (http://localhost:5173/src/main.ts:10:5)\n    at http://localhost:5173/src/main.ts:20:1"},
		{"p1", "error", "Uncaught ReferenceError: y is not defined\n    at http://localhost:5173/src/a.js:3:7"},
		{"p1", "error", "Uncaught (in promise) Error: boom\n    at load (http://localhost:5173/src/b.js:4:9)\n    at http://localhost:5173/src/b.js:8:1"},
		{"p1", "warn", "Each child in a list should have a unique key"},
		{"p1", "warn", "brummer monitor: 3 more browser messages dropped by the page's rate limit"},
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("event %d:\n got %q\nwant %q", i, got[i], want[i])
		}
	}
}

func TestTelemetryRejectsBadReports(t *testing.T) {
	target := httptest.NewServer(http.NotFoundHandler())
	defer target.Close()
	f := newFixture(t, Config{MaxTelemetryBytes: 512})
	tel := f.open(t, target.URL) + "__brummer/telemetry"
	for _, tc := range []struct {
		name, body string
		code       int
		msg        string
	}{
		{"not json", "{entries", http.StatusBadRequest, "malformed telemetry"},
		{"wrong shape", `{"entries": "x"}`, http.StatusBadRequest, "malformed telemetry"},
		{"too large", `{"entries":[{"message":"` + strings.Repeat("a", 600) + `"}]}`, http.StatusRequestEntityTooLarge, "larger than 512"},
		{"too many", `{"entries":[` + strings.Repeat(`{},`, maxEntries) + `{}]}`, http.StatusBadRequest, "at most"},
	} {
		code, body := post(t, f, tel, tc.body)
		if code != tc.code || !strings.Contains(body, tc.msg) {
			t.Errorf("%s: got %d %q, want %d with %q", tc.name, code, body, tc.code, tc.msg)
		}
	}
	res, err := f.cli.Get(tel)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET telemetry = %d", res.StatusCode)
	}
	if s := f.p.Stats(); s.TelemetryRejected != 4 || s.Telemetry != 0 {
		t.Errorf("stats = %+v", s)
	}
	if ev := f.br.all(); len(ev) != 0 {
		t.Errorf("rejected reports reached onBrowser: %+v", ev)
	}
}
