package proxy

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

func TestCharColumn(t *testing.T) {
	f := filepath.Join(t.TempDir(), "a.ts")
	// "𝒳" is two UTF-16 units and one character; "é" one of each.
	if err := os.WriteFile(f, []byte("first\nconst s = \"𝒳é\"; throw new Error(s);\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ line, col, want int }{
		{2, 1, 1}, {2, 11, 11}, {2, 15, 14}, {2, 25, 24}, {1, 3, 3}, {9, 4, 4},
	} {
		if got := charColumn(f, tc.line, tc.col); got != tc.want {
			t.Errorf("line %d column %d (UTF-16): got %d, want %d", tc.line, tc.col, got, tc.want)
		}
	}
}

func TestResolveSource(t *testing.T) {
	root := t.TempDir()
	app := filepath.Join(root, "web")
	for _, f := range []string{"web/src/App.tsx", "web/public/legacy.js", "web/node_modules/lib/index.js", "other.js"} {
		p := filepath.Join(root, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	roots := []string{app}
	for src, want := range map[string]string{
		"http://127.0.0.1:5173/src/App.tsx?t=1733": "web/src/App.tsx",
		"/src/App.tsx":                   "web/src/App.tsx",
		"/@fs" + app + "/src/App.tsx":    "web/src/App.tsx",
		"file://" + app + "/src/App.tsx": "web/src/App.tsx",
		"webpack://shop/./src/App.tsx":   "web/src/App.tsx",
		app + "/src/App.tsx":             "web/src/App.tsx",
		"/legacy.js":                     "web/public/legacy.js",
		"/static/js/src/App.tsx":         "web/src/App.tsx",
		"/node_modules/lib/index.js":     "",
		"../node_modules/lib/index.js":   "",
		"/@fs" + root + "/other.js":      "",
		"/src/Missing.tsx":               "",
	} {
		got, ok := resolveSource(src, app, roots)
		if want == "" {
			if ok {
				t.Errorf("%s resolved to %s, want nothing", src, got)
			}
			continue
		}
		if !ok || got != filepath.Join(root, want) {
			t.Errorf("%s: got %q %v, want %s", src, got, ok, want)
		}
	}
}

func TestMappingURL(t *testing.T) {
	for script, want := range map[string]string{
		"a();\n//# sourceMappingURL=out.js.map\n":                         "out.js.map",
		"a();\n//# sourceMappingURL=data:application/json;base64,e30=":    "data:application/json;base64,e30=",
		"a();\n//@ sourceMappingURL=old.map":                              "old.map",
		"a{}\n/*# sourceMappingURL=style.css.map */":                      "style.css.map",
		"s = '//# sourceMappingURL=' + x;\n//# sourceMappingURL=real.map": "real.map",
		"var k = 'sourceMappingURL=nope';":                                "",
		"nothing":                                                         "",
	} {
		if got := mappingURL([]byte(script)); got != want {
			t.Errorf("%q: got %q, want %q", script, got, want)
		}
	}
}

func TestMapCacheBounds(t *testing.T) {
	c := newMapCache(3, 100)
	for i, k := range []string{"/a.js", "/b.js", "/c.js"} {
		c.put(k, nil, 10*(i+1))
	}
	if _, ok := c.get("/a.js"); !ok { // /a.js is now the most recent
		t.Fatal("/a.js missing")
	}
	c.put("/d.js", nil, 10)
	if _, ok := c.get("/b.js"); ok {
		t.Error("the least recently used map stayed past the count bound")
	}
	c.put("/e.js", nil, 90)
	if n, bytes := c.len(); bytes > 100 || n < 1 {
		t.Errorf("%d maps of %d bytes, bound 100 bytes", n, bytes)
	}
	if _, ok := c.get("/e.js"); !ok {
		t.Error("the newest map was dropped")
	}
	c.clear()
	if n, bytes := c.len(); n != 0 || bytes != 0 {
		t.Errorf("after clear: %d maps, %d bytes", n, bytes)
	}
}

func TestHotUpdate(t *testing.T) {
	for _, tc := range []struct {
		url, dest string
		want      bool
	}{
		{"/src/App.tsx?t=1733", "script", true},
		{"/src/App.tsx?import&t=1733", "script", true},
		{"/src/index.css?t=1733", "style", true},
		{"/main.4f2a.hot-update.js", "script", true},
		{"/api/items?t=1733", "empty", false},
		{"/src/App.tsx", "script", false},
		{"/src/App.tsx?v=abc", "script", false},
	} {
		r := httptest.NewRequest(http.MethodGet, tc.url, nil)
		r.Header.Set("Sec-Fetch-Dest", tc.dest)
		if got := hotUpdate(r); got != tc.want {
			t.Errorf("%s (%s): %v, want %v", tc.url, tc.dest, got, tc.want)
		}
	}
}
