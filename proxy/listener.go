package proxy

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"html"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"time"

	"go.uber.org/zap"
)

// prefix is where the proxy serves its own routes on every proxied origin.
const prefix = "/__brummer/"

// listener is one loopback port forwarding to one target origin.
type listener struct {
	p           *Proxy
	processID   string
	target      *url.URL
	proxyOrigin string
	ln          net.Listener
	srv         *http.Server
	served      chan struct{} // closed when Serve returns
	maps        *mapCache
	limit       bucket // telemetry reports

	// reportMu keeps one listener's reports in the order they came.
	reportMu sync.Mutex

	// mu guards the long-lived exchanges Shutdown would wait on forever.
	mu      sync.Mutex
	closed  bool
	hijack  map[*trackedConn]struct{}
	streams map[*stream]struct{}
}

func (p *Proxy) newListener(processID string, target *url.URL, ln net.Listener) *listener {
	l := &listener{
		p:           p,
		processID:   processID,
		target:      target,
		proxyOrigin: "http://" + ln.Addr().String(),
		ln:          ln,
		served:      make(chan struct{}),
		maps:        newMapCache(p.cfg.MaxSourceMaps, p.cfg.MaxSourceMapBytes),
		hijack:      make(map[*trackedConn]struct{}),
		streams:     make(map[*stream]struct{}),
	}
	rp := &httputil.ReverseProxy{
		Rewrite:   l.rewrite,
		Transport: p.transport,
		// FlushInterval 0 is enough: ReverseProxy flushes every write of
		// text/event-stream and of bodies of unknown length (chunked).
		ModifyResponse: l.modifyResponse,
		ErrorHandler:   l.errorPage,
		BufferPool:     copyBuffers,
		ErrorLog:       zap.NewStdLog(p.log.Named("reverseproxy")),
	}
	mux := http.NewServeMux()
	mux.HandleFunc(prefix+"monitor.js", p.serveMonitor)
	mux.HandleFunc(prefix+"telemetry", l.serveTelemetry)
	l.srv = &http.Server{
		Handler:           l.record(mux, rp),
		ReadHeaderTimeout: 30 * time.Second,
		ErrorLog:          zap.NewStdLog(p.log.Named("server")),
	}
	return l
}

func (l *listener) serve() {
	defer close(l.served)
	if err := l.srv.Serve(l.ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		l.p.log.Warn("proxy listener stopped", zap.String("target", l.target.String()), zap.Error(err))
	}
}

func (l *listener) rewrite(pr *httputil.ProxyRequest) {
	pr.SetURL(l.target)
	pr.SetXForwarded()
	// Dev servers (Vite's allowedHosts, webpack's host check) reject a Host
	// they do not know; they know their own.
	pr.Out.Host = l.target.Host
	if l.p.cfg.InjectMonitor {
		// Ask only for encodings the injector can decode (zstd is not one).
		if ae := pr.In.Header.Values("Accept-Encoding"); len(ae) > 0 {
			if f := acceptEncoding(ae); f != "" {
				pr.Out.Header["Accept-Encoding"] = []string{f}
			} else {
				pr.Out.Header.Del("Accept-Encoding")
			}
		}
	}
}

// errorPage answers when the target cannot be reached: usually the dev
// server is still starting or has stopped.
func (l *listener) errorPage(w http.ResponseWriter, r *http.Request, err error) {
	if r.Context().Err() != nil {
		// The browser went away; nothing failed on the target's side.
		w.WriteHeader(http.StatusBadGateway)
		return
	}
	l.p.failures.Add(1)
	l.p.log.Debug("proxy error", zap.String("target", l.target.String()), zap.Error(err))
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusBadGateway)
	fmt.Fprintf(w, `<!doctype html><html><head><meta charset="utf-8"><title>Brummer: dev server not answering</title></head>
<body><h1>502: the dev server is not answering</h1>
<p>Brummer's proxy could not reach <code>%s</code> (script process %s):</p><pre>%s</pre>
<p>The script may still be starting, or it has stopped. Reload when it is up.</p></body></html>
`, html.EscapeString(l.target.String()), html.EscapeString(l.processID), html.EscapeString(err.Error()))
}

// close stops the listener at once (the script ended).
func (l *listener) close() {
	l.cutLongLived()
	_ = l.srv.Close()
	<-l.served
}

// shutdown drains the listener until ctx ends, then closes what is left.
func (l *listener) shutdown(ctx context.Context) error {
	// Shutdown waits for handlers to finish: a WebSocket or an event stream
	// (HMR) would keep it waiting until ctx ends.
	l.cutLongLived()
	err := l.srv.Shutdown(ctx)
	if err != nil {
		_ = l.srv.Close()
		err = fmt.Errorf("proxy: shutting down %s: %w", l.proxyOrigin, err)
	}
	<-l.served
	return err
}

// copyBuffers spares each proxied response ReverseProxy's 32 KiB copy buffer.
var copyBuffers = &bufferPool{pool: sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}}

type bufferPool struct{ pool sync.Pool }

func (b *bufferPool) Get() []byte  { return *b.pool.Get().(*[]byte) }
func (b *bufferPool) Put(p []byte) { b.pool.Put(&p) }

// record logs every proxied request and counts in-flight handlers for
// Close. The proxy's own routes (under prefix) go to own, the rest
// straight to next (no mux lookup on the way of every request).
func (l *listener) record(own *http.ServeMux, next http.Handler) http.Handler {
	p := l.p
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, prefix) {
			own.ServeHTTP(w, r)
			return
		}
		p.handlers.Add(1)
		defer p.handlers.Done()
		if p.cfg.InjectMonitor && hotUpdate(r) {
			// Before the new module runs: what it throws belongs to the new
			// cycle.
			p.browserEvent(BrowserEvent{ProcessID: l.processID, NewCycle: true})
		}
		start := time.Now()
		rw := recorders.Get().(*recorder)
		*rw = recorder{ResponseWriter: w, l: l}
		next.ServeHTTP(rw, r)
		status, n := rw.status, rw.bytes
		if rw.hijacked {
			status = http.StatusSwitchingProtocols
		} else if status == 0 {
			status = http.StatusOK
		}
		*rw = recorder{}
		recorders.Put(rw)
		p.requests.Add(1)
		p.bytes.Add(n)
		uri := r.RequestURI // as the client sent it: no string to build
		if uri == "" {
			uri = r.URL.RequestURI()
		}
		p.ring.add(Request{
			Time: start, Method: r.Method, URL: uri, Status: status,
			DurationMS: float64(time.Since(start).Microseconds()) / 1000, Bytes: n,
			ProcessID: l.processID,
		})
	})
}

// recorders are reused: a recorder is not kept past its request (a
// hijacked connection is tracked by its own wrapper).
var recorders = sync.Pool{New: func() any { return new(recorder) }}

// recorder notes status and size; Flush reaches the connection through
// Unwrap (http.ResponseController), Hijack is wrapped to track the conn.
type recorder struct {
	http.ResponseWriter
	l        *listener
	status   int
	bytes    int64
	hijacked bool
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 && code >= 200 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func (r *recorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	c, brw, err := http.NewResponseController(r.ResponseWriter).Hijack()
	if err != nil {
		return nil, nil, err
	}
	r.hijacked = true
	return r.l.track(c), brw, nil
}

// hotUpdate: a request for a module's new version after an edit: Vite
// imports it (a script or a stylesheet) with a ?t= timestamp, webpack
// loads a *.hot-update.* file. An API call with a ?t= cache buster is no
// hot update.
func hotUpdate(r *http.Request) bool {
	if strings.Contains(r.URL.Path, ".hot-update.") {
		return true
	}
	q := r.URL.RawQuery
	if q == "" || !(strings.HasPrefix(q, "t=") || strings.Contains(q, "&t=")) {
		return false
	}
	dest := r.Header.Get("Sec-Fetch-Dest")
	return dest == "script" || dest == "style" || dest == ""
}
