package core

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/brummer-dev/brummer/core/config"
	"github.com/brummer-dev/brummer/eventbus"
	"github.com/brummer-dev/brummer/logstore"
	"github.com/brummer-dev/brummer/logstore/detect"
	"github.com/brummer-dev/brummer/procmgr"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	procmgr.MaybeSupervise()
	goleak.VerifyTestMain(m)
}

const waitLimit = 30 * time.Second

// fixture is a workspace whose scripts need only node (through npm).
func fixture(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"package.json": `{
  "name": "fixture",
  "private": true,
  "scripts": {
    "fail": "node fail.js",
    "serve": "node serve.js",
    "ok": "node -e \"console.log('all good')\""
  }
}
`,
		"src/app.ts": "export const a = 1;\nexport const b = 2;\nlet x: number = 1;\nlet y: number = 2;\n",
		"fail.js": `console.log("compiling");
console.error("src/app.ts:3:5: error: Type 'string' is not assignable to type 'number'.");
console.error("src/app.ts:1:14: warning: 'a' is declared but never used.");
process.exit(1);
`,
		"serve.js": `const http = require("http");
const s = http.createServer((req, res) => res.end("hi"));
s.listen(0, "127.0.0.1", () => console.log("  ➜  Local:   http://localhost:" + s.address().port + "/"));
`,
	})
	return root
}

func newApp(t *testing.T, root string, mutate ...func(*Options)) *App {
	t.Helper()
	cfg := config.Default()
	cfg.ProcessManager.StopGraceMS = 2000
	opts := Options{Roots: []string{root}, Config: cfg}
	for _, f := range mutate {
		f(&opts)
	}
	a, err := New(opts)
	require.NoError(t, err)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
		defer cancel()
		assert.NoError(t, a.Close(ctx))
	})
	return a
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	t.Cleanup(cancel)
	return ctx
}

func logTexts(t *testing.T, a *App, id string) []string {
	t.Helper()
	res, err := a.Logs(logstore.Query{ProcessID: id, Limit: 1000})
	require.NoError(t, err)
	var out []string
	for _, e := range res.Entries {
		out = append(out, e.Text)
	}
	return out
}

func TestRunFailingScriptReportsProblems(t *testing.T) {
	t.Parallel()
	root := fixture(t)
	a := newApp(t, root)
	p, err := a.Run(ctxT(t), "fail", "")
	require.NoError(t, err)
	assert.Equal(t, "fail", p.Script)
	assert.Equal(t, root, p.Dir)

	p, err = a.Wait(ctxT(t), p.ID)
	require.NoError(t, err)
	assert.Equal(t, procmgr.Failed, p.Status)
	require.NotNil(t, p.ExitCode)
	assert.Equal(t, 1, *p.ExitCode)
	assert.Equal(t, 1, p.Errors)
	assert.Equal(t, 1, p.Warnings)

	probs := a.Problems(p.ID)
	require.Len(t, probs, 2)
	assert.Equal(t, filepath.Join(root, "src/app.ts"), probs[0].File)
	assert.Equal(t, 3, probs[0].Line)
	assert.Equal(t, 5, probs[0].Column)
	assert.Equal(t, detect.Error, probs[0].Severity)
	assert.Equal(t, "fail", probs[0].Script)
	assert.Equal(t, p.ID, probs[0].ProcessID)
	assert.Len(t, a.Problems(""), 2)

	logs := logTexts(t, a, p.ID)
	require.NotEmpty(t, logs)
	assert.Equal(t, "> npm run fail", logs[0])
	assert.Equal(t, "exited with code 1", logs[len(logs)-1])
	assert.Contains(t, logs, "compiling")
}

func TestRunStopLongRunning(t *testing.T) {
	t.Parallel()
	root := fixture(t)
	a := newApp(t, root)
	p, err := a.Run(ctxT(t), "serve", root)
	require.NoError(t, err)

	var url string
	require.Eventually(t, func() bool {
		urls := a.URLs()
		if len(urls) == 1 {
			url = urls[0].URL
		}
		return url != ""
	}, waitLimit, 10*time.Millisecond, "the server's URL is detected")
	assert.True(t, strings.HasPrefix(url, "http://localhost:"), url)
	resp, err := http.Get(strings.Replace(url, "localhost", "127.0.0.1", 1))
	require.NoError(t, err)
	resp.Body.Close()
	got, ok := a.Process(p.ID)
	require.True(t, ok)
	assert.Equal(t, procmgr.Running, got.Status)
	require.Len(t, got.URLs, 1)
	assert.Equal(t, "serve", got.URLs[0].Script)

	_, err = a.Run(ctxT(t), "serve", root)
	require.ErrorIs(t, err, ErrAlreadyRunning)
	assert.Contains(t, err.Error(), p.ID)

	stopped, err := a.Stop(ctxT(t), p.ID)
	require.NoError(t, err)
	assert.Equal(t, procmgr.Stopped, stopped.Status)
	assert.Empty(t, a.URLs(), "a stopped process serves nothing")
	_, err = http.Get(strings.Replace(url, "localhost", "127.0.0.1", 1))
	assert.Error(t, err, "the server (a grandchild, under npm) is gone")
	_, err = os.Stat(filepath.Join("/proc", strconv.Itoa(p.PID)))
	assert.True(t, os.IsNotExist(err), "npm's pid %d is gone", p.PID)
	logs := logTexts(t, a, p.ID)
	assert.Equal(t, "stopped", logs[len(logs)-1])

	// It can run again; the new process comes first.
	again, err := a.Run(ctxT(t), "serve", root)
	require.NoError(t, err)
	assert.NotEqual(t, p.ID, again.ID)
	list := a.Processes()
	require.Len(t, list, 2)
	assert.Equal(t, again.ID, list[0].ID)
	require.NoError(t, a.StopAll(ctxT(t)))
	for _, pr := range a.Processes() {
		assert.False(t, pr.Status.Active(), pr.ID)
	}
}

func TestRestartReplacesProblems(t *testing.T) {
	t.Parallel()
	root := fixture(t)
	a := newApp(t, root)
	first, err := a.Run(ctxT(t), "fail", "")
	require.NoError(t, err)
	_, err = a.Wait(ctxT(t), first.ID)
	require.NoError(t, err)
	require.Len(t, a.Problems(first.ID), 2)

	writeTree(t, root, map[string]string{"fail.js": `console.error("src/app.ts:4:5: error: still wrong"); process.exit(2);`})
	second, err := a.Restart(ctxT(t), first.ID)
	require.NoError(t, err)
	assert.NotEqual(t, first.ID, second.ID)
	second, err = a.Wait(ctxT(t), second.ID)
	require.NoError(t, err)
	assert.Equal(t, 2, *second.ExitCode)
	assert.Empty(t, a.Problems(first.ID), "the earlier run's problems are replaced")
	probs := a.Problems(second.ID)
	require.Len(t, probs, 1)
	assert.Equal(t, 4, probs[0].Line)
	assert.Len(t, a.Problems(""), 1)

	require.NoError(t, a.ClearLogs(second.ID))
	assert.Empty(t, a.Problems(second.ID))
	assert.Empty(t, logTexts(t, a, second.ID))
}

func TestRunErrorsSayWhatExists(t *testing.T) {
	root := fixture(t)
	writeTree(t, root, map[string]string{
		"package.json":             `{"workspaces": ["pkgs/*"], "scripts": {"fail": "node fail.js", "ok": "true"}}`,
		"pkgs/broken/package.json": `{"scripts": {`,
		"pkgs/bunny/package.json":  `{"packageManager": "bun@1.2.19", "scripts": {"hop": "echo hop"}}`,
	})
	a := newApp(t, root)
	ctx := ctxT(t)

	_, err := a.Run(ctx, "nope", "")
	require.ErrorIs(t, err, ErrUnknownScript)
	assert.Contains(t, err.Error(), `"nope"`)
	assert.Contains(t, err.Error(), "available: fail, ok")

	_, err = a.Run(ctx, "fail", t.TempDir())
	require.ErrorIs(t, err, ErrOutsideRoots)
	assert.Contains(t, err.Error(), root)

	_, err = a.Run(ctx, "fail", filepath.Join(root, "src"))
	require.ErrorIs(t, err, ErrUnknownScript)
	assert.Contains(t, err.Error(), filepath.Join(root, "pkgs/bunny"))

	_, err = a.Run(ctx, "build", filepath.Join(root, "pkgs/broken"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), filepath.Join(root, "pkgs/broken/package.json")+":1:")

	t.Setenv("PATH", t.TempDir())
	_, err = a.Run(ctx, "hop", filepath.Join(root, "pkgs/bunny"))
	require.ErrorIs(t, err, ErrManagerNotInstalled)
	assert.Contains(t, err.Error(), "bun is not in PATH")

	_, err = a.Stop(ctx, "p999")
	require.ErrorIs(t, err, ErrUnknownProcess)
	assert.Contains(t, err.Error(), "there are none")
	assert.ErrorIs(t, a.ClearLogs("p999"), ErrUnknownProcess)
	assert.Empty(t, a.Processes(), "nothing was started")
}

func TestConcurrentRunsStartOne(t *testing.T) {
	t.Parallel()
	a := newApp(t, fixture(t))
	const n = 4
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = a.Run(ctxT(t), "serve", "")
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
		} else {
			assert.ErrorIs(t, err, ErrAlreadyRunning)
		}
	}
	assert.Equal(t, 1, ok)
	assert.Len(t, a.Processes(), 1)
}

func TestOutputSeesEveryLineInOrder(t *testing.T) {
	t.Parallel()
	root := fixture(t)
	writeTree(t, root, map[string]string{"fail.js": `for (let i = 0; i < 2000; i++) console.log("line " + i); process.exit(3);`})
	var mu sync.Mutex
	var lines []string
	a := newApp(t, root, func(o *Options) {
		o.Output = func(p ProcessRef, s logstore.Stream, ls []logstore.Line) {
			mu.Lock()
			defer mu.Unlock()
			assert.Equal(t, "fail", p.Script)
			for _, l := range ls {
				if s != logstore.Stderr {
					lines = append(lines, l.Text)
				}
			}
		}
	})
	p, err := a.Run(ctxT(t), "fail", "")
	require.NoError(t, err)
	_, err = a.Wait(ctxT(t), p.ID)
	require.NoError(t, err)
	mu.Lock()
	defer mu.Unlock()
	require.NotEmpty(t, lines)
	assert.Equal(t, "> npm run fail", lines[0])
	assert.Equal(t, "exited with code 3", lines[len(lines)-1])
	var numbered []string
	for _, l := range lines {
		if strings.HasPrefix(l, "line ") {
			numbered = append(numbered, l)
		}
	}
	require.Len(t, numbered, 2000)
	for i, l := range numbered {
		require.Equal(t, "line "+strconv.Itoa(i), l)
	}
}

func TestWatchRescansAndReloadsConfig(t *testing.T) {
	t.Parallel()
	root := fixture(t)
	a := newApp(t, root, func(o *Options) { o.Watch = true })
	events := make(chan WorkspaceChanged, 16)
	unsub := a.Bus().Subscribe(TopicWorkspaceChanged, func(e eventbus.Event) {
		events <- e.Payload.(WorkspaceChanged)
	})
	defer unsub()
	next := func() WorkspaceChanged {
		select {
		case ev := <-events:
			return ev
		case <-time.After(waitLimit):
			t.Fatal("no workspace.changed event")
		}
		return WorkspaceChanged{}
	}

	writeTree(t, root, map[string]string{"package.json": `{"scripts": {"fresh": "node -v"}}`})
	ev := next()
	assert.Equal(t, []string{filepath.Join(root, "package.json")}, ev.Paths)
	assert.False(t, ev.ConfigChange)
	require.Len(t, a.Scripts(), 1)
	assert.Equal(t, "fresh", a.Scripts()[0].Name)
	assert.Equal(t, NPM, a.Scripts()[0].PackageManager)

	writeTree(t, root, map[string]string{config.FileName: "package_manager = \"pnpm\"\nbogus = 1\n"})
	ev = next()
	assert.True(t, ev.ConfigChange)
	assert.Equal(t, PNPM, a.Config().PackageManager)
	assert.Equal(t, PNPM, a.Scripts()[0].PackageManager, "the preference applies to packages without a lockfile")
	assert.Contains(t, strings.Join(a.Warnings(), "\n"), "bogus")

	copyDir(t, filepath.Join("testdata", "lockfiles", "yarn"), root)
	for ev = next(); !containsString(ev.Paths, filepath.Join(root, "yarn.lock")); ev = next() {
	}
	assert.Equal(t, Yarn, a.Scripts()[0].PackageManager, "a lockfile beats the preference")
}

func TestParseManifestUnsavedText(t *testing.T) {
	t.Parallel()
	root := fixture(t)
	copyDir(t, filepath.Join("testdata", "lockfiles", "yarn"), root)
	a := newApp(t, root)
	m := a.ParseManifest(filepath.Join(root, "package.json"), []byte("{\n  \"scripts\": {\"new\": \"x\"}\n}"))
	require.NoError(t, m.Err)
	require.Len(t, m.Scripts, 1)
	assert.Equal(t, Yarn, m.Scripts[0].PackageManager)
	assert.Equal(t, rng(1, 14, 1, 19), m.Scripts[0].Range)
	bad := a.ParseManifest(filepath.Join(root, "package.json"), []byte("{\n  \"scripts\": {\"new\" \"x\"}\n}"))
	require.Error(t, bad.Err)
	assert.Contains(t, bad.Err.Error(), "package.json:2:")
}

func TestCloseIsIdempotentAndStopsAll(t *testing.T) {
	t.Parallel()
	root := fixture(t)
	a, err := New(Options{Roots: []string{root}, Config: config.Default(), Watch: true})
	require.NoError(t, err)
	p, err := a.Run(ctxT(t), "serve", "")
	require.NoError(t, err)
	require.NoError(t, a.Close(ctxT(t)))
	require.NoError(t, a.Close(ctxT(t)))
	got, ok := a.Process(p.ID)
	require.True(t, ok)
	assert.Equal(t, procmgr.Stopped, got.Status)
	_, err = a.Run(ctxT(t), "ok", "")
	assert.True(t, errors.Is(err, ErrClosed), "%v", err)
}

func TestRunPassesConfigEnvAndCountsStats(t *testing.T) {
	t.Parallel()
	root := fixture(t)
	writeTree(t, root, map[string]string{"fail.js": `console.log("FOO=" + process.env.BRUMMER_TEST_FOO); process.exit(0);`})
	a := newApp(t, root, func(o *Options) { o.Config.Env = map[string]string{"BRUMMER_TEST_FOO": "bar baz"} })
	p, err := a.Run(ctxT(t), "fail", "")
	require.NoError(t, err)
	p, err = a.Wait(ctxT(t), p.ID)
	require.NoError(t, err)
	assert.Equal(t, procmgr.Success, p.Status)
	assert.Contains(t, logTexts(t, a, p.ID), "FOO=bar baz")
	st := a.Stats()
	assert.Equal(t, 1, st.Processes)
	assert.Equal(t, 0, st.Running)
	assert.Positive(t, st.LogStore.Entries)
	assert.Positive(t, st.Goroutines)
}

func TestUserProblemMatchers(t *testing.T) {
	t.Parallel()
	root := fixture(t)
	writeTree(t, root, map[string]string{"fail.js": `console.log("MYTOOL|src/app.ts|2|warning|do not do that");
console.log("src/app.ts>4>9>efm says hi");
process.exit(1);`})
	a := newApp(t, root, func(o *Options) {
		o.Config.ProblemMatcher = []config.ProblemMatcher{
			{Regexp: `^MYTOOL\|([^|]+)\|(\d+)\|(\w+)\|(.*)$`, File: 1, Line: 2, Severity: 3, Message: 4, Source: "mytool"},
			{Errorformat: []string{"%f>%l>%c>%m"}, Source: "arrows"},
			{Name: "no-such-format"},
		}
	})
	assert.Contains(t, strings.Join(a.Warnings(), "\n"), "problem_matchers[2]: ")
	p, err := a.Run(ctxT(t), "fail", "")
	require.NoError(t, err)
	_, err = a.Wait(ctxT(t), p.ID)
	require.NoError(t, err)
	got := map[string]ProcessProblem{}
	for _, pr := range a.Problems(p.ID) {
		got[pr.Source] = pr
	}
	require.Contains(t, got, "mytool")
	assert.Equal(t, detect.Warning, got["mytool"].Severity)
	assert.Equal(t, 2, got["mytool"].Line)
	assert.Equal(t, "do not do that", got["mytool"].Message)
	require.Contains(t, got, "arrows")
	assert.Equal(t, filepath.Join(root, "src/app.ts"), got["arrows"].File)
	assert.Equal(t, 4, got["arrows"].Line)
	assert.Equal(t, 9, got["arrows"].Column)
}
