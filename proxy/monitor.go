package proxy

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// monitorJS is the script injected into pages and served at
// /__brummer/monitor.js.
//
//go:embed monitor.js
var monitorJS []byte

// maxEntries bounds one report; the page sends far fewer.
const maxEntries = 100

func (p *Proxy) serveMonitor(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("Content-Length", strconv.Itoa(len(p.monitorJS)))
	if r.Method != http.MethodHead {
		_, _ = w.Write(p.monitorJS)
	}
}

// report is what the monitor posts.
type report struct {
	Page    string  `json:"page"`
	Dropped int     `json:"dropped"`
	Entries []entry `json:"entries"`
}

type entry struct {
	Kind    string `json:"kind"` // error|rejection|console
	Level   string `json:"level"`
	Message string `json:"message"`
	Source  string `json:"source"`
	Line    int    `json:"line"`
	Col     int    `json:"col"`
	Stack   string `json:"stack"`
}

func (l *listener) serveTelemetry(w http.ResponseWriter, r *http.Request) {
	p := l.p
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "telemetry takes POST with a JSON report", http.StatusMethodNotAllowed)
		return
	}
	var rep report
	body := http.MaxBytesReader(w, r.Body, int64(p.cfg.MaxTelemetryBytes))
	if err := json.NewDecoder(body).Decode(&rep); err != nil {
		p.telemetryRejected.Add(1)
		if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
			http.Error(w, fmt.Sprintf("telemetry report larger than %d bytes", mbe.Limit), http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, fmt.Sprintf("malformed telemetry report (want JSON {\"entries\": [...]}): %v", err), http.StatusBadRequest)
		return
	}
	if len(rep.Entries) > maxEntries {
		p.telemetryRejected.Add(1)
		http.Error(w, fmt.Sprintf("telemetry report has %d entries, at most %d are accepted", len(rep.Entries), maxEntries), http.StatusBadRequest)
		return
	}
	p.telemetry.Add(1)
	w.WriteHeader(http.StatusNoContent)
	if p.onBrowser == nil {
		return
	}
	for _, e := range rep.Entries {
		p.onBrowser(BrowserEvent{ProcessID: l.processID, Level: level(e.Level), Text: e.format()})
	}
	if rep.Dropped > 0 {
		p.onBrowser(BrowserEvent{ProcessID: l.processID, Level: "warn",
			Text: fmt.Sprintf("brummer monitor: %d more browser messages dropped by the page's rate limit", rep.Dropped)})
	}
}

func level(s string) string {
	switch s = strings.ToLower(s); s {
	case "error", "warn", "info":
		return s
	case "warning":
		return "warn"
	}
	return "info"
}

// format renders an entry as the browser console would: a headline, then
// one "    at ..." line per stack frame, which the problem detector reads as
// a JavaScript stack trace.
func (e entry) format() string {
	msg := strings.TrimSpace(e.Message)
	var b strings.Builder
	switch e.Kind {
	case "error":
		if !strings.HasPrefix(msg, "Uncaught") {
			b.WriteString("Uncaught ")
		}
	case "rejection":
		b.WriteString("Uncaught (in promise) ")
	}
	b.WriteString(msg)
	frames := stackFrames(e.Stack)
	if len(frames) == 0 && e.Source != "" {
		loc := e.Source
		if e.Line > 0 {
			loc += ":" + strconv.Itoa(e.Line)
			if e.Col > 0 {
				loc += ":" + strconv.Itoa(e.Col)
			}
		}
		frames = []string{loc}
	}
	if e.Kind == "console" {
		// console messages carry the stack inside the text already, if any.
		frames = nil
	}
	for _, f := range frames {
		b.WriteString("\n    at ")
		b.WriteString(f)
	}
	return b.String()
}

// stackFrames normalizes V8 ("    at fn (url:1:2)") and SpiderMonkey/JSC
// ("fn@url:1:2") stacks to V8's frame text; the V8 headline is skipped.
func stackFrames(stack string) []string {
	var out []string
	for _, line := range strings.Split(stack, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "at "):
			out = append(out, strings.TrimPrefix(line, "at "))
		case strings.Contains(line, "@") && strings.Contains(line, ":"):
			fn, loc, _ := strings.Cut(line, "@")
			if fn == "" {
				out = append(out, loc)
			} else {
				out = append(out, fn+" ("+loc+")")
			}
		}
	}
	return out
}
