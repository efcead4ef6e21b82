package proxy

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
)

const page = `<!doctype html><html><head><meta charset="utf-8"><title>app</title></head><body><div id="root"></div></body></html>`

func encode(t *testing.T, enc string, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	var w interface {
		Write([]byte) (int, error)
		Close() error
	}
	switch enc {
	case "":
		return b
	case "gzip":
		w = gzip.NewWriter(&buf)
	case "deflate":
		w = zlib.NewWriter(&buf)
	case "br":
		w = brotli.NewWriter(&buf)
	}
	if _, err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// htmlTarget serves body with the given encoding and extra headers.
func htmlTarget(t *testing.T, enc, body string, hdr ...string) *httptest.Server {
	raw := encode(t, enc, []byte(body))
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if enc != "" {
			w.Header().Set("Content-Encoding", enc)
		}
		for i := 0; i+1 < len(hdr); i += 2 {
			w.Header().Set(hdr[i], hdr[i+1])
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(raw)))
		_, _ = w.Write(raw)
	}))
}

func TestInjectDecodesAndFixesLength(t *testing.T) {
	for _, enc := range []string{"", "gzip", "deflate", "br"} {
		t.Run("enc="+enc, func(t *testing.T) {
			target := htmlTarget(t, enc, page)
			defer target.Close()
			f := newFixture(t, Config{InjectMonitor: true})
			res, body := f.get(t, f.open(t, target.URL), "Accept-Encoding", "gzip, deflate, br, zstd")
			if ce := res.Header.Get("Content-Encoding"); ce != "" {
				t.Fatalf("Content-Encoding %q left on a decoded body", ce)
			}
			if res.ContentLength != int64(len(body)) {
				t.Fatalf("Content-Length %d, body %d bytes", res.ContentLength, len(body))
			}
			at := strings.Index(body, `<script data-brummer-monitor data-brummer-token="`+f.p.token+`">`)
			if at < 0 || at > strings.Index(body, "</head>") || !strings.Contains(body, "/__brummer/telemetry") {
				t.Fatalf("monitor not inlined before </head>: %q", body)
			}
			if strings.Replace(body, string(monitorTag(placement{inject: true}, monitorJS, f.p.token)), "", 1) != page {
				t.Fatal("the page changed beyond the inserted script")
			}
			if s := f.p.Stats(); s.Injected != 1 {
				t.Fatalf("stats = %+v", s)
			}
		})
	}
}

func TestInjectAskForDecodableEncodingsOnly(t *testing.T) {
	var got string
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Get("Accept-Encoding")
	}))
	defer target.Close()
	f := newFixture(t, Config{InjectMonitor: true})
	f.get(t, f.open(t, target.URL), "Accept-Encoding", "gzip, deflate, br, zstd;q=1.0")
	if got != "gzip, deflate, br" {
		t.Fatalf("target saw Accept-Encoding %q", got)
	}
}

func TestInjectHonoursCSP(t *testing.T) {
	for _, tc := range []struct {
		name, csp, want string // want "" means not injected
	}{
		{"nonce", "default-src 'self'; script-src 'nonce-r4nd0m' 'strict-dynamic'", `<script data-brummer-monitor data-brummer-token="TOKEN" nonce="r4nd0m">`},
		{"unsafe-inline", "script-src 'self' 'unsafe-inline'", `<script data-brummer-monitor data-brummer-token="TOKEN">`},
		{"self only", "default-src 'self'", `<script data-brummer-monitor data-brummer-token="TOKEN" src="/__brummer/monitor.js"></script>`},
		{"other hosts only", "script-src https://cdn.example.com", ""},
		{"no script rule", "img-src *", `<script data-brummer-monitor data-brummer-token="TOKEN">`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			target := htmlTarget(t, "gzip", page, "Content-Security-Policy", tc.csp)
			defer target.Close()
			f := newFixture(t, Config{InjectMonitor: true})
			res, body := f.get(t, f.open(t, target.URL), "Accept-Encoding", "gzip")
			if tc.want == "" {
				if res.Header.Get("Content-Encoding") != "gzip" || f.p.Stats().InjectSkipped != 1 {
					t.Fatalf("page should pass through untouched: %v %+v", res.Header, f.p.Stats())
				}
				return
			}
			if want := strings.Replace(tc.want, "TOKEN", f.p.token, 1); !strings.Contains(body, want) {
				t.Fatalf("want %q in %q", tc.want, body)
			}
		})
	}
}

func TestInjectPlacement(t *testing.T) {
	tag := []byte("<S>")
	for in, want := range map[string]string{
		"<html><HEAD></HEAD><body>x</body></html>": "<html><HEAD><S></HEAD><body>x</body></html>",
		"<html><body class=a>x</body></html>":      "<html><body class=a><S>x</body></html>",
		"just text":                                "just text<S>",
	} {
		if got := string(insertScript([]byte(in), tag)); got != want {
			t.Errorf("insertScript(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLargeHTMLPassesThrough(t *testing.T) {
	big := "<html><head></head><body>" + strings.Repeat("x", 4096) + "</body></html>"
	target := htmlTarget(t, "", big)
	defer target.Close()
	f := newFixture(t, Config{InjectMonitor: true, MaxHTMLBytes: 1024})
	res, body := f.get(t, f.open(t, target.URL))
	if body != big || res.ContentLength != int64(len(big)) {
		t.Fatalf("large page modified: %d bytes, Content-Length %d", len(body), res.ContentLength)
	}
	if s := f.p.Stats(); s.InjectSkipped != 1 || s.Injected != 0 {
		t.Fatalf("stats = %+v", s)
	}
}

func TestMonitorScriptIsServed(t *testing.T) {
	target := htmlTarget(t, "", page)
	defer target.Close()
	f := newFixture(t, Config{InjectMonitor: true})
	pu := f.open(t, target.URL)
	res, body := f.get(t, pu+"__brummer/monitor.js")
	if res.StatusCode != 200 || body != string(monitorJS) || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/javascript") {
		t.Fatalf("got %d %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if n := len(f.p.Requests(0)); n != 0 {
		t.Fatalf("the proxy's own routes entered the request log: %d", n)
	}
}

func TestPlaceMonitor(t *testing.T) {
	for _, tc := range []struct {
		csp  []string
		want placement
	}{
		{nil, placement{inject: true}},
		{[]string{"script-src 'strict-dynamic' 'self'"}, placement{reason: "x"}},
		{[]string{"script-src 'unsafe-inline' 'sha256-abc' 'self'"}, placement{inject: true, src: true}},
		{[]string{"script-src 'nonce-a'", "default-src 'nonce-a' 'self'"}, placement{inject: true, nonce: "a"}},
		{[]string{"script-src 'unsafe-inline', script-src 'self'"}, placement{reason: "x"}}, // no one script satisfies both
		{[]string{"script-src 'unsafe-inline' 'self', script-src 'self'"}, placement{inject: true, src: true}},
		{[]string{"script-src-elem 'self'; script-src 'unsafe-inline'"}, placement{inject: true, src: true}},
		{[]string{"default-src 'none'"}, placement{reason: "x"}},
		{[]string{"script-src *"}, placement{inject: true, src: true}},
	} {
		h := http.Header{}
		for _, v := range tc.csp {
			h.Add("Content-Security-Policy", v)
		}
		got := placeMonitor(h)
		if got.inject != tc.want.inject || got.nonce != tc.want.nonce || got.src != tc.want.src || (got.reason == "") != (tc.want.reason == "") {
			t.Errorf("placeMonitor(%q) = %+v, want %+v", tc.csp, got, tc.want)
		}
	}
}
