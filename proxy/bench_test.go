package proxy

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"

	"go.uber.org/zap"
)

// Load of the throughput benchmark: 64 connections, each sending small
// JSON GETs one after the other, for loadTime per mode and round. The
// modes take turns, round after round, so that a busy neighbour on the
// machine slows them alike; each figure is the median of its rounds.
const (
	loadConns  = 64
	loadTime   = 250 * time.Millisecond
	loadWarm   = 100 * time.Millisecond
	loadRounds = 21
)

type loadResult struct {
	reqs float64 // requests per second
	p99  time.Duration
	cpu  time.Duration // CPU time of this process per request (clients and servers)
}

// cpuTime is the CPU time this process used so far: unlike wall time, it
// does not grow when other programs take the cores.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// runLoad drives url with loadConns connections for d after a warm-up.
func runLoad(tb testing.TB, url string, d time.Duration) loadResult {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		lats  []time.Duration
		count int
	)
	start := time.Now()
	cpu0 := cpuTime()
	measureFrom := start.Add(loadWarm)
	end := measureFrom.Add(d)
	for range loadConns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// One connection per client, as a browser's or a load tool's.
			tr := &http.Transport{MaxIdleConnsPerHost: 1, DisableCompression: true, Proxy: nil}
			defer tr.CloseIdleConnections()
			cli := &http.Client{Transport: tr}
			mine := make([]time.Duration, 0, 4096)
			for {
				t0 := time.Now()
				if t0.After(end) {
					break
				}
				res, err := cli.Get(url)
				if err != nil {
					tb.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != http.StatusOK {
					tb.Errorf("status %d", res.StatusCode)
					return
				}
				if t0.After(measureFrom) {
					mine = append(mine, time.Since(t0))
				}
			}
			mu.Lock()
			lats = append(lats, mine...)
			count += len(mine)
			mu.Unlock()
		}()
	}
	wg.Wait()
	cpu := cpuTime() - cpu0
	slices.Sort(lats)
	r := loadResult{reqs: float64(count) / d.Seconds()}
	if count > 0 {
		// The warm-up's requests are not counted but cost CPU alike.
		r.cpu = cpu / time.Duration(float64(count)*float64(loadWarm+d)/float64(d))
	}
	if len(lats) > 0 {
		r.p99 = lats[len(lats)*99/100]
	}
	return r
}

// bareProxy is the floor for a Go reverse proxy on these cores:
// httputil.ReverseProxy with a Transport tuned for many connections to one
// loopback host and pooled copy buffers, and nothing else.
func bareProxy(target string) *httptest.Server {
	tu, _ := url.Parse(target)
	tr := &http.Transport{MaxIdleConns: 1024, MaxIdleConnsPerHost: 1024, IdleConnTimeout: 90 * time.Second,
		DisableCompression: true, ForceAttemptHTTP2: false}
	rp := &httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) {
		pr.SetURL(tu)
		pr.SetXForwarded()
	}, Transport: tr, BufferPool: copyBuffers}
	s := httptest.NewServer(rp)
	s.Config.ErrorLog = nil
	return s
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

// BenchmarkProxyJSON compares, in one run, small JSON GETs over 64
// connections sent straight to the target, through a bare
// httputil.ReverseProxy, and through Brummer's proxy (request log,
// injection checks, stream tracking, all on). Reported: each mode's
// requests/s and p99 latency, and Brummer's against the bare proxy:
// brummer/bare-reqs (goal >= 0.90) and brummer/bare-p99 (goal <= 1.10).
//
//	go test -run '^$' -bench ProxyJSON ./proxy
func BenchmarkProxyJSON(b *testing.B) {
	small := []byte(`{"ok":true,"items":[1,2,3]}`)
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(small)
	}))
	defer target.Close()
	bare := bareProxy(target.URL)
	defer bare.Close()
	p := New(Config{Enabled: true, InjectMonitor: true}, nil, nil, zap.NewNop())
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = p.Close(ctx)
	}()
	pu, err := p.Open("bench", target.URL)
	if err != nil {
		b.Fatal(err)
	}
	modes := []struct{ name, url string }{
		{"direct", target.URL + "/api"}, {"bare", bare.URL + "/api"}, {"brummer", pu + "api"},
	}
	reqs := map[string][]float64{}
	p99 := map[string][]float64{}
	cpu := map[string][]float64{}
	// The figures come from fixed-length rounds, not from b.N.
	for range b.N {
		for range loadRounds {
			for _, m := range modes {
				r := runLoad(b, m.url, loadTime)
				reqs[m.name] = append(reqs[m.name], r.reqs)
				p99[m.name] = append(p99[m.name], float64(r.p99.Microseconds())/1000)
				cpu[m.name] = append(cpu[m.name], float64(r.cpu.Nanoseconds())/1000)
			}
		}
	}
	for _, m := range modes {
		b.ReportMetric(median(reqs[m.name]), m.name+"-req/s")
		b.ReportMetric(median(p99[m.name]), m.name+"-p99-ms")
		b.ReportMetric(median(cpu[m.name]), m.name+"-cpu-us/req")
	}
	// What the proxy hop itself costs in CPU (client and target take the
	// direct mode's share): the figure other programs on the machine do
	// not move.
	hop := func(name string) float64 { return median(cpu[name]) - median(cpu["direct"]) }
	b.ReportMetric(hop("brummer")/hop("bare"), "brummer/bare-hop-cpu")
	b.ReportMetric(median(reqs["brummer"])/median(reqs["bare"]), "brummer/bare-reqs")
	b.ReportMetric(median(p99["brummer"])/median(p99["bare"]), "brummer/bare-p99")
	b.ReportMetric(median(reqs["bare"])/median(reqs["direct"]), "bare/direct-reqs")
}

// BenchmarkGET is the cost of one request through the proxy against the
// same request sent straight to the target: latency (one at a time) and
// allocations, for JSON and for an HTML page that gets the monitor.
func BenchmarkGET(b *testing.B) {
	small := []byte(`{"ok":true}`)
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/index.html" {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = io.WriteString(w, page)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(small)
	}))
	defer target.Close()
	p := New(Config{Enabled: true, InjectMonitor: true}, nil, nil, zap.NewNop())
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = p.Close(ctx)
	}()
	pu, err := p.Open("bench", target.URL)
	if err != nil {
		b.Fatal(err)
	}
	tr := &http.Transport{MaxIdleConnsPerHost: 64, DisableCompression: true}
	defer tr.CloseIdleConnections()
	cli := &http.Client{Transport: tr}
	latency := func(b *testing.B, url string) {
		b.ReportAllocs()
		for b.Loop() {
			res, err := cli.Get(url)
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
		}
	}
	bare := bareProxy(target.URL)
	defer bare.Close()
	b.Run("direct", func(b *testing.B) { latency(b, target.URL+"/api") })
	b.Run("bare", func(b *testing.B) { latency(b, bare.URL+"/api") })
	b.Run("proxy", func(b *testing.B) { latency(b, pu+"api") })
	b.Run("direct-html", func(b *testing.B) { latency(b, target.URL+"/index.html") })
	b.Run("proxy-html-inject", func(b *testing.B) { latency(b, pu+"index.html") })
}
