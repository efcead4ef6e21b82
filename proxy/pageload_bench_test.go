package proxy

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"go.uber.org/zap"

	"github.com/brummer-dev/brummer/proxy/browsertest"
)

// pageLoads is how many cold loads each way the page-load benchmark takes.
const pageLoads = 10

// coldLoad loads url in a new browser context (an empty cache, no
// connections kept) and returns the page's own load time: from navigation
// start to the end of its load event, every module script run.
func coldLoad(b *testing.B, browser context.Context, url string) float64 {
	tab, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	defer cancel()
	ctx, cancelT := context.WithTimeout(tab, 60*time.Second)
	defer cancelT()
	if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS("#buy"))); err != nil {
		b.Fatalf("loading %s: %v", url, err)
	}
	ms, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`performance.getEntriesByType("navigation")[0].loadEventEnd`))
	if err != nil {
		b.Fatalf("reading the load time of %s: %v", url, err)
	}
	return ms
}

// BenchmarkPageLoad loads the Vite + React fixture's page (index, about 50
// module requests) in headless Chromium, cold, straight from Vite and
// through the proxy (monitor injected, telemetry and source maps on),
// taking turns; reported: the median load time of each and their ratio,
// proxy/direct-load (goal <= 1.15).
//
//	go test -run '^$' -bench PageLoad ./proxy
func BenchmarkPageLoad(b *testing.B) {
	dir := browsertest.Fixture(b, "vite-react")
	ds := browsertest.StartDevServer(b, dir, "vite")
	p := New(Config{Enabled: true, InjectMonitor: true, Workspace: func(string) (string, []string) {
		return dir, []string{dir}
	}}, nil, nil, zap.NewNop())
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = p.Close(ctx)
	}()
	pu, err := p.Open("bench", ds.URL)
	if err != nil {
		b.Fatal(err)
	}
	browser := browsertest.Browser(b)
	// Vite transforms each module on its first request: warm it both ways.
	coldLoad(b, browser, ds.URL)
	coldLoad(b, browser, pu)
	var direct, proxied, paired []float64
	for range b.N {
		for range pageLoads {
			d := coldLoad(b, browser, ds.URL)
			p := coldLoad(b, browser, pu)
			direct, proxied, paired = append(direct, d), append(proxied, p), append(paired, p/d)
		}
	}
	b.Logf("load times (ms), direct: %.0f\nthrough the proxy: %.0f", direct, proxied)
	// Each proxied load against the direct one just before it: the two
	// saw about the same load on the machine.
	b.ReportMetric(median(paired), "proxy/direct-paired")
	b.ReportMetric(median(direct), "direct-ms")
	b.ReportMetric(median(proxied), "proxy-ms")
	b.ReportMetric(median(proxied)/median(direct), "proxy/direct-load")
}
