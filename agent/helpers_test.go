package agent_test

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/brummer-dev/brummer/procmgr"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	// The in-process core starts scripts under a supervisor that is this
	// binary started again.
	procmgr.MaybeSupervise()
	code := m.Run()
	if binDir != "" {
		_ = os.RemoveAll(binDir)
	}
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintf(os.Stderr, "goleak: %v\n", err)
			code = 1
		}
	}
	os.Exit(code)
}

// deadline bounds every wait of a test on a condition.
const deadline = 30 * time.Second

var (
	binOnce sync.Once
	binDir  string
	binPath string
	binErr  error
)

// brummerBinary builds cmd/brummer once per test run.
func brummerBinary(t testing.TB) string {
	t.Helper()
	binOnce.Do(func() {
		binDir, binErr = os.MkdirTemp("", "brummer-agent-test")
		if binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "brummer")
		out, err := exec.Command("go", "build", "-o", binPath, "../cmd/brummer").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("building brummer: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// fixture copies testdata/workspace (a package.json whose typecheck script
// prints tsc's recorded output) to a fresh directory: no .git above it, a
// root of its own.
func fixture(t testing.TB) string {
	t.Helper()
	dst := t.TempDir()
	src := "testdata/workspace"
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	real, err := filepath.EvalSymlinks(dst)
	if err != nil {
		t.Fatal(err)
	}
	return real
}

// trimmedEnv is the environment MCP clients give the servers they start
// (the TypeScript SDK's stdio transport passes only these).
func trimmedEnv() []string {
	var env []string
	for _, k := range []string{"HOME", "LOGNAME", "PATH", "SHELL", "TERM", "USER"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return env
}

type agentClient struct {
	t       *testing.T
	cs      *mcp.ClientSession
	updates chan string // URIs of resources/updated notifications
}

// startAgent runs the built `brummer mcp --dir dir` with the trimmed
// environment and connects the Go SDK's client to it.
func startAgent(t *testing.T, dir string) *agentClient {
	t.Helper()
	cmd := exec.Command(brummerBinary(t), "mcp", "--dir", dir, "--log-level", "debug")
	cmd.Env = trimmedEnv()
	stderr := &lockedBuffer{}
	cmd.Stderr = stderr
	a := &agentClient{t: t, updates: make(chan string, 100)}
	client := mcp.NewClient(&mcp.Implementation{Name: "brummer-test", Version: "1"}, &mcp.ClientOptions{
		ResourceUpdatedHandler: func(_ context.Context, req *mcp.ResourceUpdatedNotificationRequest) {
			select {
			case a.updates <- req.Params.URI:
			default:
			}
		},
	})
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	defer cancel()
	cs, err := client.Connect(ctx, &mcp.CommandTransport{Command: cmd}, nil)
	if err != nil {
		t.Fatalf("connecting to brummer mcp: %v\n%s", err, stderr.String())
	}
	a.cs = cs
	t.Cleanup(func() {
		if err := cs.Close(); err != nil {
			t.Logf("closing the session: %v", err)
		}
		if t.Failed() {
			t.Logf("brummer mcp stderr:\n%s", stderr.String())
		}
	})
	return a
}

// call calls a tool and returns its text and whether it is a tool error.
func (a *agentClient) call(name string, args map[string]any) (string, bool) {
	a.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	defer cancel()
	res, err := a.cs.CallTool(ctx, &mcp.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		a.t.Fatalf("%s %v: protocol error %v", name, args, err)
	}
	var b strings.Builder
	for _, c := range res.Content {
		if tc, ok := c.(*mcp.TextContent); ok {
			b.WriteString(tc.Text)
		}
	}
	return b.String(), res.IsError
}

// mustCall calls a tool that must succeed.
func (a *agentClient) mustCall(name string, args map[string]any) string {
	a.t.Helper()
	text, isErr := a.call(name, args)
	if isErr {
		a.t.Fatalf("%s %v: tool error %s", name, args, text)
	}
	return text
}

// processID reads the id out of run_script's answer ("started p1 ...").
func processID(t *testing.T, started string) string {
	t.Helper()
	var id string
	if _, err := fmt.Sscanf(started, "started %s ", &id); err != nil {
		t.Fatalf("no process id in %q", started)
	}
	return id
}

// lockedBuffer collects a process's stderr; await waits on what it holds.
type lockedBuffer struct {
	mu      sync.Mutex
	b       strings.Builder
	changed chan struct{} // closed and replaced on every write
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.changed != nil {
		close(l.changed)
	}
	l.changed = make(chan struct{})
	return l.b.Write(p)
}

func (l *lockedBuffer) await(t *testing.T, what string, ok func(string) bool) {
	t.Helper()
	timeout := time.After(deadline)
	for {
		l.mu.Lock()
		text := l.b.String()
		if l.changed == nil {
			l.changed = make(chan struct{})
		}
		ch := l.changed
		l.mu.Unlock()
		if ok(text) {
			return
		}
		select {
		case <-ch:
		case <-timeout:
			t.Fatalf("no %s within %s", what, deadline)
		}
	}
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
