package core

import (
	"strings"
	"time"

	"github.com/brummer-dev/brummer/core/config"
	"github.com/brummer-dev/brummer/eventbus"
	"github.com/brummer-dev/brummer/logstore"
	"github.com/brummer-dev/brummer/logstore/detect"
	"github.com/brummer-dev/brummer/proxy"
	"go.uber.org/zap"
)

// proxyConfig maps the [proxy] section.
func proxyConfig(p config.Proxy) proxy.Config {
	return proxy.Config{Enabled: p.Enabled, InjectMonitor: p.InjectMonitor, Bind: p.Bind,
		MaxSourceMaps: p.MaxSourceMaps, MaxSourceMapBytes: p.MaxSourceMapMB << 20,
		TelemetryRate: float64(p.TelemetryPerSecond), TelemetryBurst: 2 * p.TelemetryPerSecond}
}

// processWorkspace tells the proxy where a process's page errors may lie.
func (a *App) processWorkspace(id string) (string, []string) {
	st := a.state(id)
	if st == nil {
		return "", nil
	}
	return st.dir, a.Roots()
}

// browserProblem is a placed page error as a problem: at its innermost
// workspace frame, the frames that called it as related locations.
func browserProblem(bp *proxy.BrowserProblem) detect.Problem {
	sev := detect.Error
	if bp.Severity == "warning" {
		sev = detect.Warning
	}
	f := bp.Frames[0]
	pr := detect.Problem{
		Location: detect.Location{File: f.File, Line: f.Line, Column: f.Column},
		Severity: sev, Message: bp.Message, Source: "browser", Code: bp.Name,
	}
	for _, o := range bp.Frames[1:] {
		msg := "called from here"
		if o.Function != "" {
			msg = "at " + strings.TrimPrefix(o.Function, "async ")
		}
		pr.Related = append(pr.Related, detect.Related{
			Location: detect.Location{File: o.File, Line: o.Line, Column: o.Column}, Message: msg})
	}
	return pr
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
// browser, and the errors the proxy placed in the workspace as problems of
// source "browser"; a page load or hot update starts their new cycle.
func (a *App) onBrowser(ev proxy.BrowserEvent) {
	st := a.state(ev.ProcessID)
	if st == nil {
		return
	}
	a.ensureRegistered(ev.ProcessID, st)
	if ev.NewCycle || ev.Problem != nil {
		var ps []detect.Problem
		if ev.Problem != nil {
			ps = []detect.Problem{browserProblem(ev.Problem)}
		}
		a.store.AddBrowser(ev.ProcessID, ev.NewCycle, ps)
	}
	if ev.Text == "" {
		return
	}
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
