package proxy

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.uber.org/zap"

	"github.com/brummer-dev/brummer/eventbus"
)

// TopicProxyReady is published once per listener opened; payload ProxyReady.
const TopicProxyReady eventbus.Topic = "proxy.ready"

// ProxyReady says that ProxyURL now forwards to URL.
type ProxyReady struct{ ProcessID, URL, ProxyURL string }

// Request is one entry of the request log.
type Request struct {
	Time       time.Time `json:"time"`
	Method     string    `json:"method"`
	URL        string    `json:"url"`
	Status     int       `json:"status"`
	DurationMS float64   `json:"durationMs"`
	Bytes      int64     `json:"bytes"`
	ProcessID  string    `json:"processId"`
}

// BrowserEvent is one message reported by the injected monitor, or the
// start of a new cycle of a page's problems.
type BrowserEvent struct {
	ProcessID string
	Level     string // error|warn|info
	// Text is the message as the browser's console shows it, frames at the
	// URLs the browser ran; "" for a new cycle alone.
	Text string
	// Problem is the message placed in the workspace: set when one of its
	// frames maps (through the script's source map, else by its path) to a
	// file of the process's workspace.
	Problem *BrowserProblem
	// NewCycle says a page of the process loaded again or took a hot update:
	// the problems its pages reported before are gone.
	NewCycle bool
}

// BrowserProblem is an error of a page at the source line that raised it.
type BrowserProblem struct {
	Severity string // error|warning
	Name     string // the error's name (TypeError), "HTTP 502" for a failed request
	Message  string // first line of the message
	// Frames are the workspace frames, innermost first: Frames[0] is where
	// the error was raised, the others called it.
	Frames []SourceFrame
}

// SourceFrame is a stack frame in a workspace file: an absolute path, a
// 1-based line and a 1-based column counted in characters.
type SourceFrame struct {
	File     string
	Line     int
	Column   int
	Function string
}

// Config sizes and switches the proxy. Zero values take the defaults.
type Config struct {
	Enabled       bool
	InjectMonitor bool
	// Bind is the loopback address listeners use (default 127.0.0.1).
	Bind string
	// MaxRequests bounds the request log ring (default 1000).
	MaxRequests int
	// MaxTelemetryBytes bounds one telemetry report (default 64 KiB).
	MaxTelemetryBytes int
	// MaxHTMLBytes bounds the HTML buffered for injection (default 8 MiB);
	// larger pages pass through unmodified.
	MaxHTMLBytes int
	// MaxSourceMaps and MaxSourceMapBytes bound the parsed source maps kept
	// per listener (default 64 maps, 64 MiB of map text).
	MaxSourceMaps     int
	MaxSourceMapBytes int
	// TelemetryRate and TelemetryBurst bound the reports a listener takes
	// per second (default 20, bursts of 40); more are answered 429.
	TelemetryRate  float64
	TelemetryBurst int
	// Workspace names a process's directory and the workspace roots, where
	// browser stack frames are looked for; nil: no frame is placed.
	Workspace func(processID string) (dir string, roots []string)
}

// Stats is the proxy's health for brummer/stats.
type Stats struct {
	Requests  int64 `json:"requests"`
	Failures  int64 `json:"failures"`
	Bytes     int64 `json:"bytes"`
	Listeners int   `json:"listeners"`
	// Injected counts HTML pages that got the monitor; InjectSkipped those
	// that could not (CSP, size, unknown encoding).
	Injected      int64 `json:"injected"`
	InjectSkipped int64 `json:"injectSkipped"`
	// Telemetry counts accepted reports; TelemetryRejected refused ones
	// (malformed, too large, no token, foreign origin, over the rate).
	Telemetry         int64 `json:"telemetry"`
	TelemetryRejected int64 `json:"telemetryRejected"`
	// SourceMaps counts source maps fetched and parsed.
	SourceMaps int64 `json:"sourceMaps"`
}

var (
	// ErrDisabled is returned by Open when [proxy] enabled is false.
	ErrDisabled = errors.New("proxy: disabled")
	// ErrClosed is returned by Open after Close.
	ErrClosed = errors.New("proxy: closed")
	// ErrTarget is wrapped by Open when the target is not a loopback http(s) URL.
	ErrTarget = errors.New("proxy: bad target")
	// ErrBind is wrapped by Open when Config.Bind is not a loopback address.
	ErrBind = errors.New("proxy: bad bind address")
)

const (
	defaultMaxRequests  = 1000
	defaultMaxTelemetry = 64 << 10
	defaultMaxHTML      = 8 << 20
	defaultMaxMaps      = 64
	defaultMaxMapBytes  = 64 << 20
	defaultTelRate      = 20
	defaultTelBurst     = 40
)

// Proxy owns every listener. Lock order: Proxy.mu before listener.mu; the
// request ring's lock is a leaf.
type Proxy struct {
	cfg       Config
	pub       eventbus.Publisher
	onBrowser func(BrowserEvent)
	log       *zap.Logger
	transport *http.Transport
	monitorJS []byte
	// token is put on every injected monitor tag; telemetry without it is
	// refused, so no other page can report into the editor.
	token string

	mu        sync.Mutex
	closed    bool
	listeners map[string]*listener // by target origin

	// handlers counts in-flight requests, so Close can wait for them.
	handlers sync.WaitGroup

	ring ring

	requests, failures, bytes    atomic.Int64
	injected, injectSkipped      atomic.Int64
	telemetry, telemetryRejected atomic.Int64
	sourceMaps                   atomic.Int64
}

// New builds a proxy; it listens on nothing until Open. pub and onBrowser may
// be nil.
func New(cfg Config, pub eventbus.Publisher, onBrowser func(BrowserEvent), log *zap.Logger) *Proxy {
	if log == nil {
		log = zap.NewNop()
	}
	if cfg.MaxRequests <= 0 {
		cfg.MaxRequests = defaultMaxRequests
	}
	if cfg.MaxTelemetryBytes <= 0 {
		cfg.MaxTelemetryBytes = defaultMaxTelemetry
	}
	if cfg.MaxHTMLBytes <= 0 {
		cfg.MaxHTMLBytes = defaultMaxHTML
	}
	if cfg.Bind == "" {
		cfg.Bind = "127.0.0.1"
	}
	if cfg.MaxSourceMaps <= 0 {
		cfg.MaxSourceMaps = defaultMaxMaps
	}
	if cfg.MaxSourceMapBytes <= 0 {
		cfg.MaxSourceMapBytes = defaultMaxMapBytes
	}
	if cfg.TelemetryRate <= 0 {
		cfg.TelemetryRate = defaultTelRate
	}
	if cfg.TelemetryBurst <= 0 {
		cfg.TelemetryBurst = defaultTelBurst
	}
	t := http.DefaultTransport.(*http.Transport).Clone()
	// Targets are on loopback: an HTTP_PROXY from the environment must not
	// capture them.
	t.Proxy = nil
	// Dev servers on https use self-signed certificates, and the target is
	// checked to be this machine.
	t.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} //nolint:gosec
	// WebSocket upgrades (hot reload) need HTTP/1.1 to the target.
	t.ForceAttemptHTTP2 = false
	t.TLSNextProto = map[string]func(string, *tls.Conn) http.RoundTripper{}
	// A page load opens many connections at once, all to one host: keep
	// them all for the next load instead of dialing again.
	t.MaxIdleConns = 1024
	t.MaxIdleConnsPerHost = 256
	// Codings pass through as the browser asked for them: the transport
	// must not add gzip of its own and decode it again.
	t.DisableCompression = true
	return &Proxy{
		cfg:       cfg,
		pub:       pub,
		onBrowser: onBrowser,
		log:       log,
		transport: t,
		monitorJS: monitorJS,
		token:     newToken(),
		listeners: make(map[string]*listener),
		ring:      newRing(cfg.MaxRequests),
	}
}

// Open starts (or finds) the listener for target's origin and returns the
// proxy URL that stands for target (same path and query on the proxy origin).
// A listener belongs to the process that opened it first: another process
// opening the same origin shares it, and CloseProcess of the first closes it.
func (p *Proxy) Open(processID, target string) (proxyURL string, err error) {
	if !p.cfg.Enabled {
		return "", ErrDisabled
	}
	origin, err := parseTarget(target)
	if err != nil {
		return "", err
	}
	bind, err := bindAddr(p.cfg.Bind)
	if err != nil {
		return "", err
	}
	l, created, err := p.listenerFor(processID, origin, bind)
	if err != nil {
		return "", err
	}
	u, _ := url.Parse(target) // parsed once already by parseTarget
	pu := l.proxyOrigin + u.EscapedPath()
	if pu == l.proxyOrigin {
		pu += "/"
	}
	if u.RawQuery != "" {
		pu += "?" + u.RawQuery
	}
	if created && p.pub != nil {
		ev := eventbus.Event{Topic: TopicProxyReady, Key: processID, Priority: eventbus.Medium,
			Payload: ProxyReady{ProcessID: processID, URL: target, ProxyURL: pu}}
		if err := p.pub.Publish(ev); err != nil {
			p.log.Warn("publishing proxy ready", zap.String("target", target), zap.Error(err))
		}
	}
	return pu, nil
}

func (p *Proxy) listenerFor(processID string, origin *url.URL, bind string) (*listener, bool, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return nil, false, ErrClosed
	}
	key := origin.String()
	if l, ok := p.listeners[key]; ok {
		return l, false, nil
	}
	// Listening under the lock keeps two concurrent Opens of one origin from
	// starting two listeners; port 0 on loopback does not block.
	ln, err := net.Listen("tcp", net.JoinHostPort(bind, "0"))
	if err != nil {
		return nil, false, fmt.Errorf("proxy: listening on %s for %q: %w", bind, key, err)
	}
	l := p.newListener(processID, origin, ln)
	p.listeners[key] = l
	go l.serve()
	return l, true, nil
}

// CloseProcess closes the listeners opened for processID. The script has
// ended, so its connections are closed at once rather than drained.
func (p *Proxy) CloseProcess(processID string) {
	p.mu.Lock()
	var mine []*listener
	for k, l := range p.listeners {
		if l.processID == processID {
			mine = append(mine, l)
			delete(p.listeners, k)
		}
	}
	p.mu.Unlock()
	for _, l := range mine {
		l.close()
	}
	if len(mine) > 0 {
		p.transport.CloseIdleConnections()
	}
}

// Requests returns up to limit entries of the request log, newest first;
// limit <= 0 means the whole ring.
func (p *Proxy) Requests(limit int) []Request { return p.ring.newest(limit) }

// Stats returns the counters.
func (p *Proxy) Stats() Stats {
	p.mu.Lock()
	n := len(p.listeners)
	p.mu.Unlock()
	return Stats{
		Requests: p.requests.Load(), Failures: p.failures.Load(), Bytes: p.bytes.Load(),
		Listeners: n, Injected: p.injected.Load(), InjectSkipped: p.injectSkipped.Load(),
		Telemetry: p.telemetry.Load(), TelemetryRejected: p.telemetryRejected.Load(),
		SourceMaps: p.sourceMaps.Load(),
	}
}

// Close shuts every listener down gracefully until ctx ends, then forcibly;
// hijacked (WebSocket) connections are closed at once. It waits for in-flight
// handlers until ctx ends. Calling it again returns nil.
func (p *Proxy) Close(ctx context.Context) error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	all := make([]*listener, 0, len(p.listeners))
	for _, l := range p.listeners {
		all = append(all, l)
	}
	clear(p.listeners)
	p.mu.Unlock()

	var wg sync.WaitGroup
	errs := make([]error, len(all))
	for i, l := range all {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = l.shutdown(ctx)
		}()
	}
	wg.Wait()
	done := make(chan struct{})
	go func() {
		p.handlers.Wait()
		close(done)
	}()
	var err error
	select {
	case <-done:
	case <-ctx.Done():
		err = fmt.Errorf("proxy: waiting for in-flight requests: %w", ctx.Err())
	}
	p.transport.CloseIdleConnections()
	return errors.Join(append(errs, err)...)
}

// parseTarget checks target is a loopback http(s) URL and returns its origin.
func parseTarget(target string) (*url.URL, error) {
	u, err := url.Parse(target)
	if err != nil {
		return nil, fmt.Errorf("%w: parsing %q: %w", ErrTarget, target, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("%w: %q is not an http or https URL", ErrTarget, target)
	}
	if !isLoopbackHost(u.Hostname()) {
		return nil, fmt.Errorf("%w: %q is not on this machine; the proxy forwards only to localhost or a loopback address", ErrTarget, target)
	}
	return &url.URL{Scheme: u.Scheme, Host: u.Host}, nil
}

func bindAddr(bind string) (string, error) {
	if bind == "localhost" {
		return "127.0.0.1", nil
	}
	ip := net.ParseIP(bind)
	if ip == nil || !ip.IsLoopback() {
		return "", fmt.Errorf(`%w: %q: set [proxy] bind to a loopback address ("127.0.0.1", "::1" or "localhost")`, ErrBind, bind)
	}
	return bind, nil
}

func isLoopbackHost(h string) bool {
	h = strings.ToLower(h)
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// newToken is at least 128 random bits, as text safe in a URL and an attribute.
func newToken() string {
	return rand.Text()
}
