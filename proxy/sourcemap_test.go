package proxy

import (
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/brummer-dev/brummer/proxy/browsertest"
)

// TestSourceMapHeader: a script whose map is named only by the SourceMap
// header (esbuild --sourcemap=external writes no comment). The frame of the
// throw in the bundle lands at the throw in the TypeScript source.
func TestSourceMapHeader(t *testing.T) {
	dir := browsertest.Fixture(t, "esbuild")
	marks := browsertest.Marks(t, dir)
	out := t.TempDir()
	build := exec.Command(filepath.Join(dir, "node_modules", ".bin", "esbuild"), "src/main.ts", "--bundle",
		"--sourcemap=external", "--outfile="+filepath.Join(out, "app.js"))
	build.Dir = dir
	if b, err := build.CombinedOutput(); err != nil {
		t.Fatalf("esbuild: %v\n%s", err, b)
	}
	js, err := os.ReadFile(filepath.Join(out, "app.js"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(js), "sourceMappingURL") {
		t.Fatal("the bundle names its map itself; this test is about the header")
	}
	// Where the bundle throws the RangeError, as the browser would say.
	line, col := 0, 0
	for i, l := range strings.Split(string(js), "\n") {
		if at := strings.Index(l, "throw new RangeError"); at >= 0 {
			line, col = i+1, at+len("throw ")+1
		}
	}
	if line == 0 {
		t.Fatalf("no throw in the bundle:\n%s", js)
	}
	target := http.NewServeMux()
	target.HandleFunc("/app.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		w.Header().Set("SourceMap", "/maps/app.js.map")
		_, _ = w.Write(js)
	})
	target.HandleFunc("/maps/app.js.map", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFile(w, r, filepath.Join(out, "app.js.map"))
	})
	srv := httptestServer(t, target)
	f := newFixture(t, Config{InjectMonitor: true, Workspace: func(string) (string, []string) { return dir, []string{dir} }})
	pu := f.open(t, srv)
	report := `{"entries":[{"kind":"error","level":"error","name":"RangeError","message":"not a price: twelve","frames":[
	 {"fn":"parsePrice","url":"` + pu + `app.js","line":` + strconv.Itoa(line) + `,"col":` + strconv.Itoa(col) + `}]}]}`
	if code, body := post(t, f, pu, report); code != http.StatusNoContent {
		t.Fatalf("telemetry: %d %s", code, body)
	}
	ev := f.br.waitFor(t, 5*time.Second, func(ev []BrowserEvent) bool { return len(ev) > 0 })
	want := marks["price.ts:click"]
	if p := ev[0].Problem; p == nil || !sameLoc(p.Frames[0], want) {
		t.Fatalf("placed at %+v, want %+v", ev[0].Problem, want)
	}
	if s := f.p.Stats(); s.SourceMaps != 1 {
		t.Errorf("source maps parsed: %d", s.SourceMaps)
	}
}

// httptestServer serves h on loopback until the test ends; its URL.
func httptestServer(t *testing.T, h http.Handler) string {
	s := httptest.NewServer(h)
	t.Cleanup(s.Close)
	return s.URL
}
