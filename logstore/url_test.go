package logstore

import (
	"fmt"
	"strings"
	"testing"

	"github.com/brummer-dev/brummer/eventbus"
	"github.com/brummer-dev/brummer/logstore/detect"
	"github.com/stretchr/testify/assert"
)

func TestFindURLs(t *testing.T) {
	cases := []struct {
		line string
		want []string
	}{
		// Vite 5 banner as printed with colours: the port is bold apart.
		{"  \x1b[32m➜\x1b[39m  \x1b[1mLocal\x1b[22m:   \x1b[36mhttp://localhost:\x1b[1m5173\x1b[22m/\x1b[39m", []string{"http://localhost:5173/"}},
		{"  ➜  Local:   http://localhost:5173/", []string{"http://localhost:5173/"}},
		{"  ➜  Network: use --host to expose", nil},
		{"- Local:        http://localhost:3000", []string{"http://localhost:3000/"}},
		{"Server running at http://0.0.0.0:8080.", []string{"http://localhost:8080/"}},
		{"listening on http://[::]:4000, ready", []string{"http://localhost:4000/"}},
		{"listening on http://[::1]:4000/", []string{"http://[::1]:4000/"}},
		{"(see http://127.0.0.1:9229/json)", []string{"http://127.0.0.1:9229/json"}},
		{"open 'https://localhost:8443/app/';", []string{"https://localhost:8443/app/"}},
		{`"url":"http://localhost:6006/"`, []string{"http://localhost:6006/"}},
		{"http://localhost", []string{"http://localhost/"}},
		{"http://localhost:5173/ and http://0.0.0.0:5174/admin", []string{"http://localhost:5173/", "http://localhost:5174/admin"}},
		{"Docs at https://vitejs.dev/config/", nil},
		{"http://localhost.example.com:80/", nil},
		{"http://localhostfoo/", nil},
		{"http://localhost:/", nil},
		{"http://localhost:1234567/", nil},
		{"http://localhost:80x", nil},
		{"xhttp://localhost:3000/", nil},
		{"ws://localhost:24678/", nil},
		{"file:///home/me/app.js", nil},
		{"://localhost:3000", nil},
		{"http://", nil},
		{"plain line without a scheme", nil},
	}
	for _, c := range cases {
		t.Run(c.line, func(t *testing.T) {
			assert.Equal(t, c.want, findURLs(nil, c.line))
		})
	}
}

func TestURLDetectedOncePerProcessAndOrigin(t *testing.T) {
	bus, rec := newBus(t)
	s := newTestStore(t, Config{}, bus)
	vite := "  \x1b[32m➜\x1b[39m  \x1b[1mLocal\x1b[22m:   \x1b[36mhttp://localhost:\x1b[1m5173\x1b[22m/\x1b[39m"
	s.Append("web", Stdout, lines(vite, "  ➜  Local:   http://localhost:5173/"))
	s.Append("web", Stdout, lines("GET http://localhost:5173/src/main.tsx 200", vite))
	s.Append("api", Stdout, lines("listening on http://0.0.0.0:5173"))
	var flood []string
	for i := range 40 {
		flood = append(flood, fmt.Sprintf("http://127.0.0.1:%d/", 9000+i))
	}
	s.Append("flood", Stdout, lines(flood...))

	evs := rec.waitFor(t, "the lines of every process", func(evs []eventbus.Event) bool {
		return len(ofTopic(evs, TopicLinesAppended)) == 4
	})
	var got []URLDetected
	for _, e := range ofTopic(evs, TopicURLDetected) {
		assert.Equal(t, eventbus.Medium, e.Priority)
		u := e.Payload.(URLDetected)
		assert.Equal(t, u.ProcessID, e.Key)
		if u.ProcessID != "flood" {
			got = append(got, u)
		}
	}
	assert.ElementsMatch(t, []URLDetected{
		{ProcessID: "web", URL: "http://localhost:5173/"},
		{ProcessID: "api", URL: "http://localhost:5173/"},
	}, got)
	assert.Len(t, ofTopic(evs, TopicURLDetected), 2+maxURLsPerProcess, "a process announces a bounded number of URLs")
}

func TestWordLevel(t *testing.T) {
	cases := map[string]detect.Level{
		"error TS2322: Type 'string'":          detect.LevelError,
		"Error: Cannot find module 'x'":        detect.LevelError,
		"[ERROR] Could not resolve \"./y\"":    detect.LevelError,
		"npm ERR! code ELIFECYCLE":             detect.LevelError,
		"npm error code 1":                     detect.LevelError,
		"Uncaught TypeError: x is not a fn":    detect.LevelError,
		"ReferenceError: foo is not defined":   detect.LevelError,
		"ERROR in ./src/index.js":              detect.LevelError,
		"(error) boom":                         detect.LevelError,
		"warning: unused variable `x`":         detect.LevelWarn,
		"Warning: React version not specified": detect.LevelWarn,
		"npm warn deprecated inflight@1.0.6":   detect.LevelWarn,
		"WARN  Issues with peer dependencies":  detect.LevelWarn,
		"[WARNING] Duplicate key":              detect.LevelWarn,
		"Found 0 errors. Watching for changes": detect.LevelInfo,
		"src/error.ts compiled":                detect.LevelInfo,
		"import { errorHandler } from './x'":   detect.LevelInfo,
		"rule no-warning-comments":             detect.LevelInfo,
		"ERR_MODULE_NOT_FOUND resolved":        detect.LevelInfo,
		"mirror arrow terror warned":           detect.LevelInfo,
		"myError: not a class":                 detect.LevelInfo,
		"GET /api/users 200 12ms":              detect.LevelInfo,
		"":                                     detect.LevelInfo,
		"error":                                detect.LevelError,
		"WARN":                                 detect.LevelWarn,
	}
	for line, want := range cases {
		assert.Equal(t, want, wordLevel(line), "%q", line)
	}
}

// The SWAR prefilter must never miss what a plain search finds.
func TestMayHaveLevelWord(t *testing.T) {
	for _, probe := range []string{"rr", "RR", "Rr", "arn", "ARN", "aRn"} {
		for n := 0; n < 24; n++ {
			for at := 0; at+len(probe) <= n; at++ {
				line := []byte(strings.Repeat("x", n))
				copy(line[at:], probe)
				assert.True(t, mayHaveLevelWord(string(line)), "%q", line)
			}
		}
	}
	for _, line := range []string{"", "r", "ar", "an", "GET /api/users 200 12ms", "r-r a-r-n", strings.Repeat("ra", 30)} {
		assert.False(t, mayHaveLevelWord(line), "%q", line)
	}
}
