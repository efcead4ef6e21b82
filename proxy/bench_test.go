package proxy

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"go.uber.org/zap"
)

// BenchmarkGET compares a GET through the proxy with the same GET sent
// straight to the target, in one run; the ratio of the figures is the
// proxy's cost. "latency-*" send one request at a time, the others run
// parallel clients; "html" adds the monitor injection to an index page.
//
//	go test -run '^$' -bench . -benchmem ./proxy
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

	run := func(b *testing.B, url string) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				res, err := cli.Get(url)
				if err != nil {
					b.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != http.StatusOK {
					b.Errorf("status %d", res.StatusCode)
					return
				}
			}
		})
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
	}
	// One request at a time: ns/op is the latency of a request.
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
	b.Run("latency-direct", func(b *testing.B) { latency(b, target.URL+"/api") })
	b.Run("latency-proxy", func(b *testing.B) { latency(b, pu+"api") })
	// Parallel clients: req/s is the throughput.
	b.Run("direct", func(b *testing.B) { run(b, target.URL+"/api") })
	b.Run("proxy", func(b *testing.B) { run(b, pu+"api") })
	b.Run("direct-html", func(b *testing.B) { run(b, target.URL+"/index.html") })
	b.Run("proxy-html-inject", func(b *testing.B) { run(b, pu+"index.html") })
}
