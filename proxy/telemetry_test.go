package proxy

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// postAs posts a report to a proxy's telemetry endpoint with the given
// token and Origin ("" leaves them out).
func postAs(t *testing.T, f *fixture, proxyURL, token, origin, body string) (*http.Response, string) {
	t.Helper()
	u := strings.TrimSuffix(proxyURL, "/") + "/__brummer/telemetry"
	if token != "" {
		u += "?token=" + token
	}
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "text/plain;charset=UTF-8")
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	res, err := f.cli.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// post posts as the injected monitor would.
func post(t *testing.T, f *fixture, proxyURL, body string) (int, string) {
	t.Helper()
	res, b := postAs(t, f, proxyURL, f.p.token, originOf(proxyURL), body)
	return res.StatusCode, b
}

func originOf(u string) string {
	i := strings.Index(u[len("http://"):], "/")
	if i < 0 {
		return u
	}
	return u[:len("http://")+i]
}

func TestTelemetryReachesOnBrowser(t *testing.T) {
	target := htmlTarget(t, "", page)
	defer target.Close()
	f := newFixture(t, Config{InjectMonitor: true})
	pu := f.open(t, target.URL)
	report := `{"page":"http://127.0.0.1:1/","dropped":3,"entries":[
	 {"kind":"load","level":"info","message":"http://127.0.0.1:1/"},
	 {"kind":"error","level":"error","message":"Uncaught TypeError: x is undefined","source":"http://localhost:5173/src/main.ts","line":10,"col":5,
	  "stack":"TypeError: x is undefined\n    at render (http://localhost:5173/src/main.ts:10:5)\n    at http://localhost:5173/src/main.ts:20:1"},
	 {"kind":"error","level":"error","name":"ReferenceError","message":"y is not defined","source":"http://localhost:5173/src/a.js","line":3,"col":7},
	 {"kind":"rejection","level":"error","message":"Error: boom","stack":"load@http://localhost:5173/src/b.js:4:9\n@http://localhost:5173/src/b.js:8:1\n"},
	 {"kind":"console","level":"warn","message":"Each child in a list should have a unique key"}]}`
	if code, body := post(t, f, pu, report); code != http.StatusNoContent {
		t.Fatalf("telemetry answered %d %q", code, body)
	}
	got := f.br.waitFor(t, 5*time.Second, func(ev []BrowserEvent) bool { return len(ev) == 6 })
	want := []BrowserEvent{
		{ProcessID: "p1", NewCycle: true},
		{ProcessID: "p1", Level: "error", Text: "Uncaught TypeError: x is undefined\n    at render (http://localhost:5173/src/main.ts:10:5)\n    at http://localhost:5173/src/main.ts:20:1"},
		{ProcessID: "p1", Level: "error", Text: "Uncaught ReferenceError: y is not defined\n    at http://localhost:5173/src/a.js:3:7"},
		{ProcessID: "p1", Level: "error", Text: "Uncaught (in promise) Error: boom\n    at load (http://localhost:5173/src/b.js:4:9)\n    at http://localhost:5173/src/b.js:8:1"},
		{ProcessID: "p1", Level: "warn", Text: "Each child in a list should have a unique key"},
		{ProcessID: "p1", Level: "warn", Text: "brummer monitor: 3 more browser messages dropped by the page's rate limit"},
	}
	for i := range want {
		g := got[i]
		if g.ProcessID != want[i].ProcessID || g.Level != want[i].Level || g.Text != want[i].Text ||
			g.NewCycle != want[i].NewCycle || g.Problem != nil {
			t.Errorf("event %d:\n got %+v\nwant %+v", i, g, want[i])
		}
	}
}

func TestTelemetryRejectsBadReports(t *testing.T) {
	target := httptest.NewServer(http.NotFoundHandler())
	defer target.Close()
	f := newFixture(t, Config{MaxTelemetryBytes: 512})
	pu := f.open(t, target.URL)
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
		code, body := post(t, f, pu, tc.body)
		if code != tc.code || !strings.Contains(body, tc.msg) {
			t.Errorf("%s: got %d %q, want %d with %q", tc.name, code, body, tc.code, tc.msg)
		}
	}
	res, err := f.cli.Get(pu + "__brummer/telemetry")
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

// TestTelemetryRefusesOtherPages posts from outside, as another page or
// program on the machine could: without the token, from a foreign origin,
// in a flood. None of it reaches the editor, and no answer repeats the
// report or allows other origins to read it.
func TestTelemetryRefusesOtherPages(t *testing.T) {
	target := httptest.NewServer(http.NotFoundHandler())
	defer target.Close()
	f := newFixture(t, Config{TelemetryRate: 1, TelemetryBurst: 5})
	pu := f.open(t, target.URL)
	own := originOf(pu)
	evil := `{"entries":[{"kind":"error","level":"error","message":"<img src=x onerror=alert(1)>"}]}`
	for _, tc := range []struct {
		name, token, origin string
	}{
		{"no token", "", own},
		{"wrong token", "AAAAAAAAAAAAAAAAAAAAAAAAAA", own},
		{"no origin", f.p.token, ""},
		{"foreign origin", f.p.token, "http://evil.example"},
		{"other port", f.p.token, "http://127.0.0.1:1"},
		{"null origin", f.p.token, "null"},
	} {
		res, body := postAs(t, f, pu, tc.token, tc.origin, evil)
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("%s: status %d, want 403", tc.name, res.StatusCode)
		}
		if strings.Contains(body, "onerror") || res.Header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("%s: answer %q with headers %v", tc.name, body, res.Header)
		}
	}
	if ev := f.br.all(); len(ev) != 0 {
		t.Fatalf("refused reports reached onBrowser: %+v", ev)
	}
	// The same port under its other loopback name is the same page.
	alias := strings.Replace(own, "127.0.0.1", "localhost", 1)
	if res, body := postAs(t, f, pu, f.p.token, alias, `{"entries":[]}`); res.StatusCode != http.StatusNoContent {
		t.Fatalf("report from %s: %d %q", alias, res.StatusCode, body)
	}
	// A flood: the burst (5, one taken above) passes, then 429.
	codes := map[int]int{}
	for range 20 {
		res, body := postAs(t, f, pu, f.p.token, own, evil)
		codes[res.StatusCode]++
		if strings.Contains(body, "onerror") {
			t.Fatalf("answer repeats the report: %q", body)
		}
	}
	if codes[http.StatusNoContent] < 3 || codes[http.StatusNoContent] > 6 || codes[http.StatusTooManyRequests] < 14 {
		t.Fatalf("flood of 20 answered %v, want about 4 accepted and the rest 429", codes)
	}
}

// TestTelemetryPlacesProblems: which reports become problems, at which
// frame, with which severity and name. The scripts have no source map
// (the target answers 404), so frames are found by their path.
func TestTelemetryPlacesProblems(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "src"), 0o755); err != nil {
		t.Fatal(err)
	}
	a := filepath.Join(dir, "src", "a.js")
	if err := os.WriteFile(a, []byte("x\nx\nx\nx\nx\nx\nx\nx\nx\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	target := httptest.NewServer(http.NotFoundHandler())
	defer target.Close()
	f := newFixture(t, Config{InjectMonitor: true, Workspace: func(string) (string, []string) { return dir, []string{dir} }})
	pu := f.open(t, target.URL)
	frame := func(fn, path string, line, col int) string {
		return fmt.Sprintf(`{"fn":%q,"url":%q,"line":%d,"col":%d}`, fn, path, line, col)
	}
	stack := strings.Join([]string{
		frame("lib", pu+"node_modules/.vite/deps/lib.js?v=1", 10, 2),
		frame("", pu+"@vite/client", 5, 5),
		frame("inner", pu+"src/a.js?t=17", 3, 5),
		frame("outer", pu+"src/a.js", 9, 1),
		frame("cdn", "https://cdn.example.com/src/a.js", 1, 1),
	}, ",")
	report := `{"entries":[
	 {"kind":"load","level":"info","message":"x"},
	 {"kind":"error","level":"error","name":"TypeError","message":"boom","frames":[` + stack + `]},
	 {"kind":"console","level":"error","name":"","message":"just words","frames":[` + frame("f", pu+"src/a.js", 2, 1) + `]},
	 {"kind":"console","level":"error","name":"RangeError","message":"RangeError: logged","frames":[` + frame("f", pu+"src/a.js", 4, 1) + `]},
	 {"kind":"console","level":"warn","message":"careful","frames":[` + frame("f", pu+"src/a.js", 5, 1) + `]},
	 {"kind":"fetch","level":"warn","name":"HTTP 502","message":"GET /api answered 502","frames":[` + frame("f", pu+"src/a.js", 6, 3) + `]},
	 {"kind":"error","level":"error","name":"Error","message":"elsewhere","frames":[` + frame("", "https://cdn.example.com/src/a.js", 1, 1) + `]}]}`
	if code, body := post(t, f, pu, report); code != http.StatusNoContent {
		t.Fatalf("telemetry: %d %s", code, body)
	}
	ev := f.br.waitFor(t, 5*time.Second, func(ev []BrowserEvent) bool { return len(ev) == 7 })
	type placed struct {
		sev, name, msg string
		frames         []SourceFrame
	}
	at := func(line, col int, fn string) SourceFrame {
		return SourceFrame{File: a, Line: line, Column: col, Function: fn}
	}
	want := []*placed{
		nil, // the load: a new cycle
		{"error", "TypeError", "boom", []SourceFrame{at(3, 5, "inner"), at(9, 1, "outer")}},
		{"warning", "", "just words", []SourceFrame{at(2, 1, "f")}},
		{"error", "RangeError", "logged", []SourceFrame{at(4, 1, "f")}},
		nil, // console.warn is a log line only
		{"warning", "HTTP 502", "GET /api answered 502", []SourceFrame{at(6, 3, "f")}},
		nil, // no frame in the workspace
	}
	if !ev[0].NewCycle {
		t.Errorf("the load is no new cycle: %+v", ev[0])
	}
	for i, w := range want {
		p := ev[i].Problem
		if w == nil {
			if p != nil {
				t.Errorf("entry %d placed: %+v", i, p)
			}
			continue
		}
		if p == nil {
			t.Errorf("entry %d not placed: %+v", i, ev[i])
			continue
		}
		got := placed{p.Severity, p.Name, p.Message, p.Frames}
		if got.sev != w.sev || got.name != w.name || got.msg != w.msg || !slices.Equal(got.frames, w.frames) {
			t.Errorf("entry %d:\n got %+v\nwant %+v", i, got, *w)
		}
	}
}
