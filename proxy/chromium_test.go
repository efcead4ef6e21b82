package proxy

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/brummer-dev/brummer/proxy/browsertest"
)

// TestChromiumReportsErrors loads a page that throws through the proxy in
// headless Chromium and waits for the monitor's report. Without Chromium
// it is skipped, or fails under CI=true (see browsertest.Require).
func TestChromiumReportsErrors(t *testing.T) {
	t.Run("plain", func(t *testing.T) { chromiumReportsErrors(t, nil) })
	// helmet's default for Express apps: the browser then sends the
	// monitor's reports with "Origin: null" unless the report asks for
	// its own referrer policy.
	t.Run("no-referrer", func(t *testing.T) {
		chromiumReportsErrors(t, http.Header{"Referrer-Policy": {"no-referrer"}})
	})
}

func chromiumReportsErrors(t *testing.T, header http.Header) {
	bin := browsertest.ChromiumPath(t)
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		for k, v := range header {
			w.Header()[k] = v
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = io.WriteString(w, `<!doctype html><html><head><meta charset="utf-8"><title>t</title></head><body>
<script>
function render() { var props = null; return props.title; }
console.error("boom from the page");
setTimeout(render, 10);
</script></body></html>`)
	}))
	defer target.Close()
	f := newFixture(t, Config{InjectMonitor: true})
	pu := f.open(t, target.URL)

	cmd := exec.Command(bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run", "--user-data-dir="+t.TempDir(), pu)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	defer func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("chromium output:\n%s", out.String())
		}
	}()

	got := f.br.waitFor(t, 30*time.Second, func(ev []BrowserEvent) bool {
		var sawConsole, sawThrow bool
		for _, e := range ev {
			sawConsole = sawConsole || (e.Level == "error" && e.Text == "boom from the page")
			sawThrow = sawThrow || (e.Level == "error" && strings.HasPrefix(e.Text, "Uncaught TypeError") &&
				strings.Contains(e.Text, "\n    at render ("+pu))
		}
		return sawConsole && sawThrow
	})
	for _, e := range got {
		if e.ProcessID != "p1" {
			t.Errorf("event for process %q: %+v", e.ProcessID, e)
		}
	}
}
