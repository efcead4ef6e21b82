package core

import (
	"strings"
	"time"

	"github.com/brummer-dev/brummer/core/config"
	"github.com/brummer-dev/brummer/eventbus"
	"github.com/brummer-dev/brummer/logstore"
	"github.com/brummer-dev/brummer/proxy"
	"go.uber.org/zap"
)

// proxyConfig maps the [proxy] section.
func proxyConfig(p config.Proxy) proxy.Config {
	return proxy.Config{Enabled: p.Enabled, InjectMonitor: p.InjectMonitor, Bind: p.Bind}
}

// openProxy gives a detected URL its proxy. It runs on a bus worker, after
// onURL recorded the URL; the proxy publishes ProxyReady when it listens.
func (a *App) openProxy(e eventbus.Event) {
	u, ok := e.Payload.(logstore.URLDetected)
	if !ok || a.proxy == nil || !a.Config().Proxy.Enabled {
		return
	}
	if _, err := a.proxy.Open(u.ProcessID, u.URL); err != nil {
		a.log.Debug("no proxy for url", zap.String("url", u.URL), zap.Error(err))
	}
}

// onProxyReady remembers a URL's proxy address for the process views.
func (a *App) onProxyReady(e eventbus.Event) {
	r, ok := e.Payload.(proxy.ProxyReady)
	if !ok {
		return
	}
	a.procMu.Lock()
	defer a.procMu.Unlock()
	if st := a.procs[r.ProcessID]; st != nil {
		if st.proxies == nil {
			st.proxies = map[string]string{}
		}
		st.proxies[r.URL] = r.ProxyURL
	}
}

// onBrowser stores what the page monitor reported as log lines of stream
// browser, where problem detection reads them like any other output.
func (a *App) onBrowser(ev proxy.BrowserEvent) {
	st := a.state(ev.ProcessID)
	if st == nil {
		return
	}
	a.ensureRegistered(ev.ProcessID, st)
	now := time.Now()
	var lines []logstore.Line
	for _, l := range strings.Split(ev.Text, "\n") {
		lines = append(lines, logstore.Line{Text: l, Time: now})
	}
	a.appendLines(ev.ProcessID, st, logstore.Browser, lines)
}

// Requests is the proxy's request log, newest first.
func (a *App) Requests(limit int) []proxy.Request {
	if a.proxy == nil {
		return nil
	}
	return a.proxy.Requests(limit)
}
