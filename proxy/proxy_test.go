package proxy

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestPlainGETKeepsStatusHeadersBodyAndTargetHost(t *testing.T) {
	var gotHost, gotXFF string
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotHost, gotXFF = r.Host, r.Header.Get("X-Forwarded-For")
		w.Header().Set("X-Answer", "42")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		fmt.Fprintf(w, `{"path":%q}`, r.URL.RequestURI())
	}))
	defer target.Close()
	f := newFixture(t, Config{InjectMonitor: true})
	pu := f.open(t, target.URL+"/api/?q=1")
	if !strings.HasSuffix(pu, "/api/?q=1") || strings.HasPrefix(pu, target.URL) {
		t.Fatalf("proxy URL %q should be a new origin with the target's path and query", pu)
	}
	res, body := f.get(t, pu)
	if res.StatusCode != http.StatusCreated || res.Header.Get("X-Answer") != "42" || body != `{"path":"/api/?q=1"}` {
		t.Fatalf("got %d %v %q", res.StatusCode, res.Header, body)
	}
	if gotHost != strings.TrimPrefix(target.URL, "http://") {
		t.Errorf("target saw Host %q, want its own host", gotHost)
	}
	if gotXFF != "127.0.0.1" {
		t.Errorf("X-Forwarded-For = %q, want 127.0.0.1", gotXFF)
	}
	reqs := f.p.Requests(10)
	if len(reqs) != 1 || reqs[0].URL != "/api/?q=1" || reqs[0].Status != 201 || reqs[0].Method != "GET" ||
		reqs[0].Bytes != int64(len(body)) || reqs[0].ProcessID != "p1" {
		t.Fatalf("request log = %+v", reqs)
	}
	if s := f.p.Stats(); s.Requests != 1 || s.Bytes != int64(len(body)) || s.Listeners != 1 || s.Failures != 0 {
		t.Fatalf("stats = %+v", s)
	}
}

func TestNonHTMLIsUntouchedAndStreamed(t *testing.T) {
	second := make(chan struct{})
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/app.js":
			w.Header().Set("Content-Type", "text/javascript")
			fmt.Fprint(w, `document.write("</head><body>")`)
		case "/events":
			w.Header().Set("Content-Type", "text/event-stream")
			fmt.Fprint(w, "data: one\n\n")
			w.(http.Flusher).Flush()
			select { // the second event waits until the client has read the first
			case <-second:
			case <-r.Context().Done():
				return
			}
			fmt.Fprint(w, "data: two\n\n")
		}
	}))
	defer target.Close()
	f := newFixture(t, Config{InjectMonitor: true})
	pu := f.open(t, target.URL)
	if _, body := f.get(t, pu+"app.js"); body != `document.write("</head><body>")` {
		t.Fatalf("javascript was modified: %q", body)
	}
	res, err := f.cli.Get(pu + "events")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	rd := bufio.NewReader(res.Body)
	line, err := rd.ReadString('\n')
	if err != nil || line != "data: one\n" {
		t.Fatalf("first event: %q, %v", line, err)
	}
	close(second)
	if _, err := rd.ReadString('\n'); err != nil {
		t.Fatal(err)
	}
	if line, err = rd.ReadString('\n'); err != nil || line != "data: two\n" {
		t.Fatalf("second event: %q, %v", line, err)
	}
}

func TestTargetDownIs502AndCounted(t *testing.T) {
	gone := httptest.NewServer(http.NotFoundHandler())
	url := gone.URL
	gone.Close()
	f := newFixture(t, Config{})
	res, body := f.get(t, f.open(t, url))
	if res.StatusCode != http.StatusBadGateway || !strings.Contains(body, "not answering") || !strings.Contains(body, url) {
		t.Fatalf("got %d %q", res.StatusCode, body)
	}
	if s := f.p.Stats(); s.Failures != 1 || s.Requests != 1 {
		t.Fatalf("stats = %+v", s)
	}
	if r := f.p.Requests(0); len(r) != 1 || r[0].Status != 502 {
		t.Fatalf("request log = %+v", r)
	}
}

func TestRequestLogIsBoundedNewestFirst(t *testing.T) {
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer target.Close()
	f := newFixture(t, Config{MaxRequests: 3})
	pu := f.open(t, target.URL)
	for i := range 5 {
		f.get(t, fmt.Sprintf("%s%d", pu, i))
	}
	all := f.p.Requests(0)
	if len(all) != 3 || all[0].URL != "/4" || all[1].URL != "/3" || all[2].URL != "/2" {
		t.Fatalf("ring = %+v", all)
	}
	if two := f.p.Requests(2); len(two) != 2 || two[0].URL != "/4" {
		t.Fatalf("Requests(2) = %+v", two)
	}
	if s := f.p.Stats(); s.Requests != 5 {
		t.Fatalf("stats count every request, got %+v", s)
	}
}

func TestOpenIsIdempotentAndPublishesOnce(t *testing.T) {
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer target.Close()
	f := newFixture(t, Config{})
	a := f.open(t, target.URL)
	b := f.open(t, target.URL)
	c := f.open(t, target.URL+"/docs")
	if a != b || c != strings.TrimSuffix(a, "/")+"/docs" {
		t.Fatalf("Open gave %q, %q, %q", a, b, c)
	}
	evs := f.ev.all()
	if len(evs) != 1 || evs[0].Topic != TopicProxyReady || evs[0].Key != "p1" {
		t.Fatalf("events = %+v", evs)
	}
	if got := evs[0].Payload.(ProxyReady); got != (ProxyReady{ProcessID: "p1", URL: target.URL, ProxyURL: a}) {
		t.Fatalf("payload = %+v", got)
	}

	f.p.CloseProcess("p1")
	if s := f.p.Stats(); s.Listeners != 0 {
		t.Fatalf("listeners after CloseProcess: %d", s.Listeners)
	}
	if _, err := f.cli.Get(a); err == nil {
		t.Fatal("the closed listener still answers")
	}
	if d := f.open(t, target.URL); d == a {
		t.Fatalf("reopening reused the closed listener %q", d)
	}
	if n := len(f.ev.all()); n != 2 {
		t.Fatalf("reopening published %d events in all, want 2", n)
	}
}

func TestOpenRejectsBadInput(t *testing.T) {
	for _, tc := range []struct {
		name   string
		cfg    Config
		target string
		want   error
	}{
		{"disabled", Config{}, "http://localhost:3000", ErrDisabled},
		{"remote host", Config{Enabled: true}, "http://example.com/", ErrTarget},
		{"lan address", Config{Enabled: true}, "http://192.168.1.2:5173/", ErrTarget},
		{"not http", Config{Enabled: true}, "ftp://localhost/", ErrTarget},
		{"garbage", Config{Enabled: true}, "http://[::1", ErrTarget},
		{"public bind", Config{Enabled: true, Bind: "0.0.0.0"}, "http://localhost:3000", ErrBind},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := New(tc.cfg, nil, nil, nil)
			defer p.Close(context.Background())
			if _, err := p.Open("p1", tc.target); !errors.Is(err, tc.want) {
				t.Fatalf("Open(%q) = %v, want %v", tc.target, err, tc.want)
			}
		})
	}
	p := New(Config{Enabled: true}, nil, nil, nil)
	if err := p.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := p.Close(context.Background()); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if _, err := p.Open("p1", "http://localhost:1/"); !errors.Is(err, ErrClosed) {
		t.Fatalf("Open after Close = %v", err)
	}
}

// wsTarget answers an upgrade by hijacking and echoing bytes, the minimal
// server side of a WebSocket (the proxy never looks inside the frames).
func wsTarget(t *testing.T) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
			http.Error(w, "want an upgrade", http.StatusBadRequest)
			return
		}
		conn, brw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Errorf("hijack: %v", err)
			return
		}
		defer conn.Close()
		fmt.Fprint(brw, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
		if err := brw.Flush(); err != nil {
			return
		}
		buf := make([]byte, 512)
		for {
			n, err := brw.Read(buf)
			if err != nil {
				return
			}
			if _, err := conn.Write(buf[:n]); err != nil {
				return
			}
		}
	}))
}

// dialUpgrade opens an upgraded connection through the proxy.
func dialUpgrade(t *testing.T, proxyURL string) (net.Conn, *bufio.Reader) {
	t.Helper()
	host := strings.TrimSuffix(strings.TrimPrefix(proxyURL, "http://"), "/")
	conn, err := net.Dial("tcp", host)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprintf(conn, "GET /hmr HTTP/1.1\r\nHost: %s\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"+
		"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n", host)
	rd := bufio.NewReader(conn)
	res, err := http.ReadResponse(rd, nil)
	if err != nil {
		t.Fatalf("reading upgrade response: %v", err)
	}
	if res.StatusCode != http.StatusSwitchingProtocols {
		t.Fatalf("upgrade answered %d", res.StatusCode)
	}
	return conn, rd
}

func TestWebSocketRoundTripAndCloseEndsIt(t *testing.T) {
	target := wsTarget(t)
	defer target.Close()
	f := newFixture(t, Config{InjectMonitor: true})
	conn, rd := dialUpgrade(t, f.open(t, target.URL))
	for _, msg := range []string{"ping\n", "update /src/App.tsx\n"} {
		fmt.Fprint(conn, msg)
		if got, err := rd.ReadString('\n'); err != nil || got != msg {
			t.Fatalf("echo %q: %q, %v", msg, got, err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := f.p.Close(ctx); err != nil {
		t.Fatalf("Close with an open websocket: %v", err)
	}
	_, err := rd.ReadString('\n')
	var ne net.Error
	if err == nil || (errors.As(err, &ne) && ne.Timeout()) {
		t.Fatalf("websocket still open after Close: %v", err)
	}
	if r := f.p.Requests(0); len(r) != 1 || r[0].Status != http.StatusSwitchingProtocols {
		t.Fatalf("request log = %+v", r)
	}
}

func TestCloseProcessEndsWebSocket(t *testing.T) {
	target := wsTarget(t)
	defer target.Close()
	f := newFixture(t, Config{})
	conn, rd := dialUpgrade(t, f.open(t, target.URL))
	fmt.Fprint(conn, "x\n")
	if _, err := rd.ReadString('\n'); err != nil {
		t.Fatal(err)
	}
	f.p.CloseProcess("p1")
	_, err := rd.ReadString('\n')
	var ne net.Error
	if err == nil || (errors.As(err, &ne) && ne.Timeout()) {
		t.Fatalf("websocket still open after CloseProcess: %v", err)
	}
}

func TestCloseCutsEventStreams(t *testing.T) {
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprint(w, "data: hello\n\n")
		w.(http.Flusher).Flush()
		<-r.Context().Done() // an HMR stream never ends on its own
	}))
	defer target.Close()
	f := newFixture(t, Config{})
	res, err := f.cli.Get(f.open(t, target.URL))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	rd := bufio.NewReader(res.Body)
	if line, err := rd.ReadString('\n'); err != nil || line != "data: hello\n" {
		t.Fatalf("first event: %q, %v", line, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := f.p.Close(ctx); err != nil {
		t.Fatalf("Close waited on the event stream: %v", err)
	}
	_, _ = io.ReadAll(rd) // ends: the proxy has dropped the stream
}

func TestRedirectToTargetStaysOnProxy(t *testing.T) {
	var target *httptest.Server
	target = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/old":
			http.Redirect(w, r, target.URL+"/new?x=1", http.StatusFound)
		case "/away":
			http.Redirect(w, r, "https://example.com/login", http.StatusFound)
		}
	}))
	defer target.Close()
	f := newFixture(t, Config{})
	pu := f.open(t, target.URL)
	f.cli.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	if res, _ := f.get(t, pu+"old"); res.Header.Get("Location") != pu+"new?x=1" {
		t.Fatalf("Location = %q, want %q", res.Header.Get("Location"), pu+"new?x=1")
	}
	if res, _ := f.get(t, pu+"away"); res.Header.Get("Location") != "https://example.com/login" {
		t.Fatalf("foreign Location rewritten to %q", res.Header.Get("Location"))
	}
}
