package proxy

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// serveTelemetry takes the monitor's reports. Only the injected monitor
// may post: a report needs the proxy's token and an Origin of this proxy
// (any page the user has open could otherwise post, and the browser would
// send it), and a listener takes a bounded number per second. Nothing of a
// report is ever sent back.
func (l *listener) serveTelemetry(w http.ResponseWriter, r *http.Request) {
	p := l.p
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "telemetry takes POST with a JSON report", http.StatusMethodNotAllowed)
		return
	}
	reject := func(code int, msg string) {
		p.telemetryRejected.Add(1)
		http.Error(w, msg, code)
	}
	tok := r.URL.Query().Get("token")
	if subtle.ConstantTimeCompare([]byte(tok), []byte(p.token)) != 1 {
		reject(http.StatusForbidden, "telemetry needs the token of the monitor the proxy injected")
		return
	}
	if !l.ownOrigin(r.Header.Get("Origin")) {
		reject(http.StatusForbidden, "telemetry is taken only from pages of this proxy (Origin "+l.proxyOrigin+")")
		return
	}
	if !l.limit.take(time.Now(), p.cfg.TelemetryRate, float64(p.cfg.TelemetryBurst)) {
		w.Header().Set("Retry-After", "1")
		reject(http.StatusTooManyRequests, "too many telemetry reports; slow down")
		return
	}
	var rep report
	body := http.MaxBytesReader(w, r.Body, int64(p.cfg.MaxTelemetryBytes))
	if err := json.NewDecoder(body).Decode(&rep); err != nil {
		if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
			reject(http.StatusRequestEntityTooLarge, fmt.Sprintf("telemetry report larger than %d bytes", mbe.Limit))
			return
		}
		reject(http.StatusBadRequest, `malformed telemetry report (want JSON {"entries": [...]})`)
		return
	}
	if len(rep.Entries) > maxEntries {
		reject(http.StatusBadRequest, fmt.Sprintf("telemetry report has %d entries, at most %d are accepted", len(rep.Entries), maxEntries))
		return
	}
	p.telemetry.Add(1)
	// Reports are placed one at a time per listener, in the order they
	// came: a page load's new cycle must not overtake the errors before it.
	l.reportMu.Lock()
	l.handleReport(r, rep)
	l.reportMu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func (l *listener) handleReport(r *http.Request, rep report) {
	p := l.p
	for _, e := range rep.Entries {
		if e.Kind == "load" {
			// A full load runs new code: the maps of the last one are stale.
			l.maps.clear()
			p.browserEvent(BrowserEvent{ProcessID: l.processID, NewCycle: true})
			continue
		}
		ev := BrowserEvent{ProcessID: l.processID, Level: level(e.Level), Text: e.format()}
		ev.Problem = l.place(r.Context(), e)
		p.browserEvent(ev)
	}
	if rep.Dropped > 0 {
		p.browserEvent(BrowserEvent{ProcessID: l.processID, Level: "warn",
			Text: fmt.Sprintf("brummer monitor: %d more browser messages dropped by the page's rate limit", rep.Dropped)})
	}
}

func (p *Proxy) browserEvent(ev BrowserEvent) {
	if p.onBrowser != nil {
		p.onBrowser(ev)
	}
}

// ownOrigin: the origin of a page served by this listener, under any
// loopback name of its address (127.0.0.1 or localhost).
func (l *listener) ownOrigin(origin string) bool {
	if origin == l.proxyOrigin {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil || u.Scheme != "http" || u.Path != "" {
		return false
	}
	_, port, _ := net.SplitHostPort(l.ln.Addr().String())
	return u.Port() == port && isLoopbackHost(u.Hostname())
}

// bucket is a token bucket: burst reports at once, rate per second after.
type bucket struct {
	mu     sync.Mutex
	tokens float64
	last   time.Time
}

func (b *bucket) take(now time.Time, rate, burst float64) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.last.IsZero() {
		b.tokens = burst
	} else {
		b.tokens = min(burst, b.tokens+now.Sub(b.last).Seconds()*rate)
	}
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// place turns an entry into a problem at the innermost workspace frame,
// or nil when it has no such frame or is no problem (console.warn).
func (l *listener) place(ctx context.Context, e entry) *BrowserProblem {
	sev := "error"
	switch e.Kind {
	case "error", "rejection":
	case "console":
		if e.Level != "error" {
			return nil
		}
		if e.Name == "" {
			sev = "warning"
		}
	case "fetch":
		sev = "warning"
	default:
		return nil
	}
	frames := e.Frames
	if len(frames) == 0 && e.Source != "" {
		frames = []jsFrame{{URL: e.Source, Line: e.Line, Col: e.Col}}
	}
	placed := l.mapFrames(ctx, frames)
	if len(placed) == 0 {
		return nil
	}
	name := e.Name
	if name == "" && sev == "error" {
		name = "Error"
	}
	return &BrowserProblem{Severity: sev, Name: name, Message: headline(e), Frames: placed}
}

// headline is the first line of the message, without the "Uncaught " and
// "Name: " the console puts before it.
func headline(e entry) string {
	msg := strings.TrimSpace(e.Message)
	msg, _, _ = strings.Cut(msg, "\n")
	msg = strings.TrimPrefix(msg, "Uncaught ")
	if e.Name != "" {
		msg = strings.TrimPrefix(msg, e.Name+": ")
	}
	return strings.TrimSpace(msg)
}
