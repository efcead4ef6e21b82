package core

import (
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/brummer-dev/brummer/logstore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A dev server's URL gets a proxy: pages come back with the monitor, the
// request is logged, browser reports become log lines, and the proxy goes
// away with the process.
func TestDevServerURLGetsAProxy(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"package.json": `{"name": "site", "private": true, "scripts": {"dev": "node page.js"}}`,
		"page.js": `const http = require("http");
const s = http.createServer((req, res) => {
  res.setHeader("Content-Type", "text/html");
  res.end("<html><head><title>t</title></head><body>hello page</body></html>");
});
s.listen(0, "127.0.0.1", () => console.log("  ➜  Local:   http://localhost:" + s.address().port + "/"));
`,
	})
	a := newApp(t, root)
	p, err := a.Run(ctxT(t), "dev", "")
	require.NoError(t, err)

	var u URL
	deadline := time.Now().Add(waitLimit)
	for {
		if urls := a.URLs(); len(urls) == 1 && urls[0].ProxyURL != "" {
			u = urls[0]
			break
		}
		require.False(t, time.Now().After(deadline), "no proxied URL; urls: %+v", a.URLs())
		time.Sleep(10 * time.Millisecond)
	}
	assert.Equal(t, p.ID, u.ProcessID)
	assert.True(t, strings.HasPrefix(u.URL, "http://localhost:"), u.URL)
	assert.True(t, strings.HasPrefix(u.ProxyURL, "http://127.0.0.1:"), u.ProxyURL)
	proc, _ := a.Process(p.ID)
	require.Len(t, proc.URLs, 1)
	assert.Equal(t, u.ProxyURL, proc.URLs[0].ProxyURL)

	resp, err := http.Get(u.ProxyURL)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, string(body), "hello page")
	assert.Contains(t, string(body), "__brummer", "the monitor script is injected")
	reqs := a.Requests(10)
	require.NotEmpty(t, reqs)
	assert.Equal(t, http.StatusOK, reqs[0].Status)
	assert.Equal(t, p.ID, reqs[0].ProcessID)

	// The monitor posts with the token the proxy put on its tag, from a
	// page of the proxy's origin.
	token := regexp.MustCompile(`data-brummer-token="([^"]+)"`).FindStringSubmatch(string(body))
	require.NotNil(t, token, "the monitor tag carries the telemetry token")
	report := `{"page":"` + u.ProxyURL + `","entries":[{"kind":"error","level":"error","name":"TypeError","message":"x is undefined","source":"` + u.ProxyURL + `page.js","line":3,"col":5}]}`
	req, err := http.NewRequest(http.MethodPost, u.ProxyURL+"__brummer/telemetry?token="+token[1], strings.NewReader(report))
	require.NoError(t, err)
	req.Header.Set("Origin", strings.TrimSuffix(u.ProxyURL, "/"))
	tel, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	tel.Body.Close()
	require.Less(t, tel.StatusCode, 300)
	deadline = time.Now().Add(waitLimit)
	for {
		res, err := a.Logs(logstore.Query{ProcessID: p.ID, Limit: 1000})
		require.NoError(t, err)
		if slices.ContainsFunc(res.Entries, func(e logstore.Entry) bool {
			return e.Stream == logstore.Browser && strings.Contains(e.Text, "x is undefined")
		}) {
			break
		}
		require.False(t, time.Now().After(deadline), "browser report not in the log")
		time.Sleep(10 * time.Millisecond)
	}
	// The page's script has no source map: its path names the file.
	probs := a.store.Problems(p.ID)
	require.Len(t, probs, 1, "%+v", probs)
	assert.Equal(t, filepath.Join(root, "page.js"), probs[0].File)
	assert.Equal(t, [2]int{3, 5}, [2]int{probs[0].Line, probs[0].Column})
	assert.Equal(t, "browser", probs[0].Source)
	assert.Equal(t, "TypeError", probs[0].Code)
	assert.Equal(t, "x is undefined", probs[0].Message)
	assert.NotNil(t, a.Stats().Proxy)

	_, err = a.Stop(ctxT(t), p.ID)
	require.NoError(t, err)
	_, err = a.Wait(ctxT(t), p.ID)
	require.NoError(t, err)
	_, err = http.Get(u.ProxyURL)
	assert.Error(t, err, "the proxy closes with its process")
	assert.Empty(t, a.URLs())
}

func TestProxyDisabled(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"package.json": `{"name": "site", "private": true, "scripts": {"dev": "node -e \"console.log('http://localhost:4999/'); setInterval(() => {}, 1000)\""}}`,
	})
	a := newApp(t, root, func(o *Options) { o.Config.Proxy.Enabled = false })
	_, err := a.Run(ctxT(t), "dev", "")
	require.NoError(t, err)
	deadline := time.Now().Add(waitLimit)
	for len(a.URLs()) == 0 {
		require.False(t, time.Now().After(deadline), "URL not detected")
		time.Sleep(10 * time.Millisecond)
	}
	assert.Empty(t, a.URLs()[0].ProxyURL)
	assert.Nil(t, a.Requests(10))
	assert.Nil(t, a.Stats().Proxy)
}
