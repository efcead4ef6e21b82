package proxy

import (
	"context"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/brummer-dev/brummer/eventbus"
)

// events records what the proxy publishes.
type events struct {
	mu  sync.Mutex
	got []eventbus.Event
}

func (e *events) Publish(ev eventbus.Event) error {
	e.mu.Lock()
	e.got = append(e.got, ev)
	e.mu.Unlock()
	return nil
}

func (e *events) all() []eventbus.Event {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]eventbus.Event(nil), e.got...)
}

// browser records onBrowser calls.
type browser struct {
	mu  sync.Mutex
	got []BrowserEvent
	ch  chan struct{} // signalled on every call
}

func newBrowser() *browser { return &browser{ch: make(chan struct{}, 1)} }

func (b *browser) on(ev BrowserEvent) {
	b.mu.Lock()
	b.got = append(b.got, ev)
	b.mu.Unlock()
	select {
	case b.ch <- struct{}{}:
	default:
	}
}

func (b *browser) all() []BrowserEvent {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]BrowserEvent(nil), b.got...)
}

// waitFor waits until cond holds or the deadline passes.
func (b *browser) waitFor(t *testing.T, d time.Duration, cond func([]BrowserEvent) bool) []BrowserEvent {
	t.Helper()
	deadline := time.NewTimer(d)
	defer deadline.Stop()
	for {
		if got := b.all(); cond(got) {
			return got
		}
		select {
		case <-b.ch:
		case <-deadline.C:
			t.Fatalf("browser events did not arrive in %v; got %+v", d, b.all())
		}
	}
}

type fixture struct {
	p   *Proxy
	ev  *events
	br  *browser
	cli *http.Client
}

func newFixture(t *testing.T, cfg Config) *fixture {
	t.Helper()
	cfg.Enabled = true
	f := &fixture{ev: &events{}, br: newBrowser()}
	f.p = New(cfg, f.ev, f.br.on, zaptest.NewLogger(t))
	tr := &http.Transport{DisableCompression: true}
	f.cli = &http.Client{Transport: tr, Timeout: 10 * time.Second}
	t.Cleanup(func() {
		tr.CloseIdleConnections()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := f.p.Close(ctx); err != nil {
			t.Errorf("closing proxy: %v", err)
		}
	})
	return f
}

func (f *fixture) open(t *testing.T, target string) string {
	t.Helper()
	u, err := f.p.Open("p1", target)
	if err != nil {
		t.Fatalf("Open(%q): %v", target, err)
	}
	return u
}

// get returns status, headers and body of a GET through the client.
func (f *fixture) get(t *testing.T, url string, hdr ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := f.cli.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("reading %s: %v", url, err)
	}
	return res, string(b)
}
