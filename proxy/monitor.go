package proxy

import (
	_ "embed"
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
	Kind    string `json:"kind"` // load|error|rejection|console|fetch
	Level   string `json:"level"`
	Name    string `json:"name"` // the error's name: TypeError; "HTTP 502" for a failed request
	Message string `json:"message"`
	Stack   string `json:"stack"`
	// Frames is the stack read by the monitor, innermost first.
	Frames []jsFrame `json:"frames"`
	// Source, Line and Col locate an error event without a stack.
	Source string `json:"source"`
	Line   int    `json:"line"`
	Col    int    `json:"col"`
}

// jsFrame is one stack frame as the browser printed it: a script URL and a
// 1-based line and column in the code the browser ran.
type jsFrame struct {
	Fn   string `json:"fn"`
	URL  string `json:"url"`
	Line int    `json:"line"`
	Col  int    `json:"col"`
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
	if e.Name != "" && e.Kind != "console" && e.Kind != "fetch" && !strings.Contains(msg, e.Name+":") {
		b.WriteString(e.Name + ": ")
	}
	b.WriteString(msg)
	frames := stackFrames(e.Stack)
	if len(frames) == 0 {
		for _, f := range e.Frames {
			loc := f.URL + ":" + strconv.Itoa(f.Line) + ":" + strconv.Itoa(f.Col)
			if f.Fn != "" {
				loc = f.Fn + " (" + loc + ")"
			}
			frames = append(frames, loc)
		}
	}
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
	if e.Kind == "console" || e.Kind == "fetch" {
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
