package proxy

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/brummer-dev/brummer/proxy/browsertest"
)

// problemAt finds a reported problem whose location is loc.
func problemAt(ev []BrowserEvent, loc browsertest.Loc) *BrowserProblem {
	for _, e := range ev {
		if p := e.Problem; p != nil && sameLoc(p.Frames[0], loc) {
			return p
		}
	}
	return nil
}

func sameLoc(f SourceFrame, loc browsertest.Loc) bool {
	return f.File == loc.File && f.Line == loc.Line && f.Column == loc.Column
}

func describe(ev []BrowserEvent) string {
	var b strings.Builder
	for _, e := range ev {
		if e.Problem == nil {
			fmt.Fprintf(&b, "  cycle=%v %s %q\n", e.NewCycle, e.Level, e.Text)
			continue
		}
		fmt.Fprintf(&b, "  problem %s %s %q at", e.Problem.Severity, e.Problem.Name, e.Problem.Message)
		for _, f := range e.Problem.Frames {
			fmt.Fprintf(&b, " %s:%d:%d", f.File, f.Line, f.Column)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// expect waits for a problem at loc of the given name, with the workspace
// frames that called it (in order) as its other frames.
func expect(t *testing.T, f *fixture, what string, loc browsertest.Loc, name string, callers ...browsertest.Loc) *BrowserProblem {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		ev := f.br.all()
		if p := problemAt(ev, loc); p != nil {
			if p.Name != name {
				t.Errorf("%s: name %q, want %q", what, p.Name, name)
			}
			if len(p.Frames) < 1+len(callers) {
				t.Fatalf("%s: frames %+v, want callers %+v", what, p.Frames, callers)
			}
			for i, c := range callers {
				if !sameLoc(p.Frames[1+i], c) {
					t.Errorf("%s: caller %d at %+v, want %+v", what, i, p.Frames[1+i], c)
				}
			}
			return p
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: no problem at %s:%d:%d; reports:\n%s", what, loc.File, loc.Line, loc.Column, describe(ev))
		}
		select {
		case <-f.br.ch:
		case <-time.After(time.Until(deadline)):
		}
	}
}

// browserFixture serves a fixture through the proxy, its frames placed in
// the fixture's copy.
func browserFixture(t *testing.T, name string, argv ...string) (dir, proxyURL string, f *fixture, marks map[string]browsertest.Loc) {
	dir = browsertest.Fixture(t, name)
	browsertest.ChromiumPath(t)
	marks = browsertest.Marks(t, dir)
	ds := browsertest.StartDevServer(t, dir, argv...)
	f = newFixture(t, Config{InjectMonitor: true, Workspace: func(id string) (string, []string) {
		if id != "p1" {
			t.Errorf("frames placed for process %q", id)
		}
		return dir, []string{dir}
	}})
	return dir, f.open(t, ds.URL), f, marks
}

// TestBrowserErrorsAtTheSourceLine: a Vite + React + TypeScript page in
// Chromium, through the proxy. The errors it throws land at the .tsx/.ts
// line and column of the throw (the React plugin shifts the served lines,
// so only the source map gets them right), with the workspace callers as
// further frames; an error raised inside node_modules lands at the
// workspace line that called into it.
func TestBrowserErrorsAtTheSourceLine(t *testing.T) {
	_, pu, f, m := browserFixture(t, "vite-react", "vite")
	ctx := browsertest.Browser(t)
	browsertest.Run(t, ctx, "loading "+pu, chromedp.Navigate(pu), chromedp.WaitVisible(chromedp.CSS("#buy")))

	expect(t, f, "error on load", m["startup.ts:load"], "TypeError", m["main.tsx:load-outer"])
	p := expect(t, f, "rejection", m["settings.ts:rejection"], "SyntaxError")
	if p.Message != "settings are not valid JSON" || p.Severity != "error" {
		t.Errorf("rejection: %+v", p)
	}
	browsertest.Run(t, ctx, "clicking buy", chromedp.Click(chromedp.CSS("#buy")))
	expect(t, f, "error on click", m["price.ts:click"], "RangeError", m["App.tsx:click-outer"])
	browsertest.Run(t, ctx, "clicking check", chromedp.Click(chromedp.CSS("#check")))
	p = expect(t, f, "error in node_modules", m["App.tsx:library"], "Error")
	if !strings.Contains(p.Message, "no price chosen") {
		t.Errorf("invariant's message: %q", p.Message)
	}
	browsertest.Run(t, ctx, "clicking sync", chromedp.Click(chromedp.CSS("#sync")))
	p = expect(t, f, "failed fetch", m["App.tsx:fetch"], "NetworkError")
	if p.Severity != "warning" || !strings.Contains(p.Message, "http://127.0.0.1:9/sync") {
		t.Errorf("failed fetch: %+v", p)
	}
	for _, e := range f.br.all() {
		if e.Problem == nil {
			continue
		}
		for _, fr := range e.Problem.Frames {
			if strings.Contains(fr.File, "node_modules") || !strings.HasPrefix(fr.File, m["App.tsx:library"].File[:strings.LastIndex(m["App.tsx:library"].File, "/")]) {
				t.Errorf("a frame outside the workspace sources: %+v", fr)
			}
		}
	}
	if s := f.p.Stats(); s.SourceMaps == 0 {
		t.Errorf("no source map fetched: %+v", s)
	}
}

// TestBrowserErrorsEsbuild: an esbuild bundle with its source map, and a
// plain script that has none and is found by its path.
func TestBrowserErrorsEsbuild(t *testing.T) {
	_, pu, f, m := browserFixture(t, "esbuild", "esbuild", "src/main.ts", "--bundle", "--sourcemap",
		"--outfile=dist/out.js", "--servedir=.", "--serve=127.0.0.1:0", "--watch=forever")
	ctx := browsertest.Browser(t)
	browsertest.Run(t, ctx, "loading "+pu, chromedp.Navigate(pu), chromedp.WaitVisible(chromedp.CSS("#buy")))
	expect(t, f, "error on load", m["main.ts:load"], "TypeError")
	expect(t, f, "rejection", m["main.ts:rejection"], "SyntaxError")
	browsertest.Run(t, ctx, "clicking buy", chromedp.Click(chromedp.CSS("#buy")))
	expect(t, f, "error on click", m["price.ts:click"], "RangeError", m["main.ts:click-outer"])
	browsertest.Run(t, ctx, "clicking check", chromedp.Click(chromedp.CSS("#check")))
	expect(t, f, "error in node_modules", m["main.ts:library"], "Error")

	browsertest.Run(t, ctx, "loading the page without a map", chromedp.Navigate(pu+"plain.html"), chromedp.WaitVisible(chromedp.CSS("#buy")))
	expect(t, f, "plain error on load", m["plain.js:load"], "TypeError")
	browsertest.Run(t, ctx, "clicking buy", chromedp.Click(chromedp.CSS("#buy")))
	expect(t, f, "plain error on click", m["plain.js:click"], "RangeError", m["plain.js:click-outer"])
}
