package lsp

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/brummer-dev/brummer/proxy/browsertest"
)

// diagsOf is the latest diagnostics published for uri (nil, false: none yet).
func (e *editor) diagsOf(uri string) ([]wireDiagnostic, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for i := len(e.msgs) - 1; i >= 0; i-- {
		if e.msgs[i].Method != "textDocument/publishDiagnostics" {
			continue
		}
		var p publishDiagnosticsParams
		if json.Unmarshal(e.msgs[i].Params, &p) == nil && p.URI == uri {
			return p.Diagnostics, true
		}
	}
	return nil, false
}

// awaitDiags waits until the latest diagnostics of uri satisfy pred.
func (e *editor) awaitDiags(what, uri string, pred func([]wireDiagnostic) bool) []wireDiagnostic {
	e.t.Helper()
	deadline := time.After(40 * time.Second)
	for {
		e.mu.Lock()
		ch := e.changed
		e.mu.Unlock()
		if d, ok := e.diagsOf(uri); ok && pred(d) {
			return d
		}
		select {
		case <-ch:
		case <-deadline:
			d, _ := e.diagsOf(uri)
			e.t.Fatalf("timed out waiting for %s on %s; latest: %s", what, uri, mustJSON(d))
		}
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// browserDiag finds a browser diagnostic at the start of loc.
func browserDiag(ds []wireDiagnostic, loc browsertest.Loc) *wireDiagnostic {
	for i := range ds {
		d := &ds[i]
		if d.Source == "browser" && d.Range.Start.Line == loc.Line-1 && d.Range.Start.Character == loc.Column-1 {
			return d
		}
	}
	return nil
}

func hasRelated(d *wireDiagnostic, loc browsertest.Loc) bool {
	for _, r := range d.RelatedInformation {
		if r.Location.URI == fileURI(loc.File) && r.Location.Range.Start.Line == loc.Line-1 &&
			r.Location.Range.Start.Character == loc.Column-1 {
			return true
		}
	}
	return false
}

// TestBrowserDiagnostics is the developer's loop through the language
// server: run `dev` (Vite + React + TypeScript), open the proxy URL in
// Chromium, and the page's errors are diagnostics at the .tsx/.ts line and
// column of the throw; fixing the file (a hot update) takes them away, and
// a reload brings back those that still happen.
func TestBrowserDiagnostics(t *testing.T) {
	dir := browsertest.Fixture(t, "vite-react")
	browsertest.ChromiumPath(t)
	m := browsertest.Marks(t, dir)
	e := newEditor(t, dir, editorOpts{})
	proc := e.run("dev", dir)

	var proxyURL string
	e.awaitLast("the dev server's proxy URL", methodURLsChanged, func(msg msg) bool {
		var p struct {
			URLs []struct {
				ProxyURL  string `json:"proxyUrl"`
				ProcessID string `json:"processId"`
			} `json:"urls"`
		}
		_ = json.Unmarshal(msg.Params, &p)
		for _, u := range p.URLs {
			if u.ProcessID == proc.ID && u.ProxyURL != "" {
				proxyURL = u.ProxyURL
				return true
			}
		}
		return false
	})
	ctx := browsertest.Browser(t)
	browsertest.Run(t, ctx, "loading "+proxyURL, chromedp.Navigate(proxyURL), chromedp.WaitVisible(chromedp.CSS("#buy")))

	at := func(what string, loc browsertest.Loc, code string, callers ...browsertest.Loc) *wireDiagnostic {
		t.Helper()
		var found *wireDiagnostic
		e.awaitDiags(what, fileURI(loc.File), func(ds []wireDiagnostic) bool {
			found = browserDiag(ds, loc)
			return found != nil
		})
		if found.Code != code || found.Severity != 1 || found.Data.ProcessID != proc.ID {
			t.Errorf("%s: %s", what, mustJSON(found))
		}
		for _, c := range callers {
			if !hasRelated(found, c) {
				t.Errorf("%s: no related information at %s:%d:%d: %s", what, c.File, c.Line, c.Column, mustJSON(found))
			}
		}
		return found
	}
	load := at("error on load", m["startup.ts:load"], "TypeError", m["main.tsx:load-outer"])
	if load.Message != "startup check failed in short mode" {
		t.Errorf("message %q", load.Message)
	}
	at("unhandled rejection", m["settings.ts:rejection"], "SyntaxError")
	browsertest.Run(t, ctx, "clicking buy", chromedp.Click(chromedp.CSS("#buy")))
	at("error on click", m["price.ts:click"], "RangeError", m["App.tsx:click-outer"])
	browsertest.Run(t, ctx, "clicking check", chromedp.Click(chromedp.CSS("#check")))
	at("error inside node_modules", m["App.tsx:library"], "Error")
	e.mu.Lock()
	for _, msg := range e.msgs {
		if msg.Method != "textDocument/publishDiagnostics" {
			continue
		}
		if strings.Contains(string(msg.Params), "node_modules") {
			t.Errorf("a diagnostic in node_modules: %s", msg.Params)
		}
		// The console text of the reports is in the log too: it must not
		// give a second diagnostic of another source.
		var p publishDiagnosticsParams
		_ = json.Unmarshal(msg.Params, &p)
		for _, d := range p.Diagnostics {
			if d.Source != "browser" {
				t.Errorf("a diagnostic of source %q: %s", d.Source, mustJSON(d))
			}
		}
	}
	e.mu.Unlock()

	// The fix: price.ts no longer throws. Vite sends the new module, the
	// page takes it without a reload, and the browser problems go.
	price := m["price.ts:click"].File
	src, err := os.ReadFile(price)
	if err != nil {
		t.Fatal(err)
	}
	fixed := strings.Replace(string(src), "throw new RangeError(`not a price: ${text}`);", "return { cents: 0 };", 1)
	if fixed == string(src) {
		t.Fatal("the throw to fix is not in price.ts")
	}
	if err := os.WriteFile(price, []byte(fixed), 0o644); err != nil {
		t.Fatal(err)
	}
	e.awaitDiags("the hot update to clear price.ts", fileURI(price), func(ds []wireDiagnostic) bool {
		return browserDiag(ds, m["price.ts:click"]) == nil
	})
	// A reload runs the page again: the errors that still happen are back,
	// the fixed one stays away. Reports keep their order, so once a
	// console.error sent after the click is in the log, the click's error
	// would have been too.
	browsertest.Run(t, ctx, "reloading", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#buy")))
	at("error on load after the reload", m["startup.ts:load"], "TypeError")
	var none any
	e.mustCall("brummer/subscribeLogs", map[string]any{"processId": proc.ID, "enabled": true}, &none)
	from := e.mark()
	browsertest.Run(t, ctx, "clicking buy", chromedp.Click(chromedp.CSS("#buy")))
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](`console.error("brummer test: after buy")`)); err != nil {
		t.Fatalf("logging from the page: %v", err)
	}
	if _, ok := e.awaitFrom(from, "the page's console.error in the log", func(m msg) bool {
		return m.Method == methodLogAppended && strings.Contains(string(m.Params), "brummer test: after buy")
	}); !ok {
		t.Fatal("the page's console.error never reached the log")
	}
	if d, _ := e.diagsOf(fileURI(price)); browserDiag(d, m["price.ts:click"]) != nil {
		t.Errorf("the fixed error came back: %s", mustJSON(d))
	}
}
