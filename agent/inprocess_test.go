package agent_test

import (
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/brummer-dev/brummer/agent"
	"github.com/brummer-dev/brummer/core"
	"github.com/brummer-dev/brummer/core/config"
	"github.com/brummer-dev/brummer/lsp"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// inProcess serves the agent in this process (so the race detector and
// goleak see its goroutines): a core, the socket protocol over a pipe, the
// MCP server over in-memory transports.
func inProcess(t *testing.T, root string, throttle time.Duration, updates chan<- string) *agentClient {
	t.Helper()
	app, err := core.New(core.Options{Roots: []string{root}, Config: config.Default()})
	if err != nil {
		t.Fatal(err)
	}
	ours, theirs := net.Pipe()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		lsp.ServeConn(context.Background(), theirs, app, nil)
	}()
	srv := agent.New(agent.Options{Conn: ours, Root: root, Standalone: true, Throttle: throttle})
	st, ct := mcp.NewInMemoryTransports()
	ctx, cancel := context.WithCancel(context.Background())
	wg.Add(1)
	go func() {
		defer wg.Done()
		_ = srv.Run(ctx, st)
	}()
	client := mcp.NewClient(&mcp.Implementation{Name: "test", Version: "1"}, &mcp.ClientOptions{
		ResourceUpdatedHandler: func(_ context.Context, req *mcp.ResourceUpdatedNotificationRequest) {
			updates <- req.Params.URI
		},
	})
	cs, err := client.Connect(ctx, ct, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cs.Close()
		cancel()
		wg.Wait()
		cctx, ccancel := context.WithTimeout(context.Background(), deadline)
		defer ccancel()
		if err := app.Close(cctx); err != nil {
			t.Errorf("closing the core: %v", err)
		}
	})
	return &agentClient{t: t, cs: cs}
}

// A burst of output to a subscribed log resource yields few updates, the
// last one after the last line.
func TestLogUpdatesThrottled(t *testing.T) {
	root := t.TempDir()
	writeManifest(t, root, `{"scripts":{"burst":"while [ ! -e go ]; do sleep 0.01; done; for i in $(seq 1 10); do for j in $(seq 1 200); do echo line $i-$j; done; sleep 0.05; done"}}`)
	updates := make(chan string, 10000)
	a := inProcess(t, root, 200*time.Millisecond, updates)
	id := processID(t, a.mustCall("run_script", map[string]any{"script": "burst"}))
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	defer cancel()
	if err := a.cs.Subscribe(ctx, &mcp.SubscribeParams{URI: "brummer://logs/" + id}); err != nil {
		t.Fatal(err)
	}
	// The burst starts once the subscription is in place.
	start := time.Now()
	writeFile(t, filepath.Join(root, "go"), "")
	// What printed after the subscription comes as at most one update per
	// 200ms (and one at the end of the burst).
	n := 0
	timeout := time.After(deadline)
	for done := false; !done; {
		select {
		case <-updates:
			n++
		case <-timeout:
			t.Fatalf("the log resource was not updated up to the last line; %d updates", n)
		}
		res, err := a.cs.ReadResource(ctx, &mcp.ReadResourceParams{URI: "brummer://logs/" + id})
		if err != nil {
			t.Fatal(err)
		}
		done = strings.Contains(res.Contents[0].Text, "line 10-200\n")
	}
	a.mustCall("wait", map[string]any{"processId": id, "until": "exited"})
	if limit := int(time.Since(start)/(200*time.Millisecond)) + 2; n == 0 || n > limit {
		t.Fatalf("%d updates of the log resource in %v: over one per 200ms", n, time.Since(start))
	}
	text := a.mustCall("get_logs", map[string]any{"processId": id, "limit": 5})
	if !strings.Contains(text, "line 10-200") || strings.Contains(text, "line 10-195") || !strings.Contains(text, "earlier ones exist from seq 1: call get_logs with tail: false") {
		t.Fatalf("get_logs tail of 5:\n%s", text)
	}
	page := a.mustCall("get_logs", map[string]any{"processId": id, "afterSeq": 1, "limit": 3})
	if !strings.Contains(page, "more may follow: call get_logs with afterSeq=") {
		t.Fatalf("get_logs page:\n%s", page)
	}
}

func writeManifest(t *testing.T, root, manifest string) {
	t.Helper()
	writeFile(t, filepath.Join(root, "package.json"), manifest)
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// Columns count characters, as `brummer run --problems` does: tsc counts
// UTF-16 units, and an emoji is two of them.
func TestProblemColumnsInCharacters(t *testing.T) {
	root := t.TempDir()
	writeManifest(t, root, `{"scripts":{"fail":"echo \"src/a.ts(1,11): error TS2322: Type 'number' is not assignable to type 'string'.\" && exit 1"}}`)
	if err := os.MkdirAll(filepath.Join(root, "src"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(root, "src/a.ts"), "/*😀*/let s: string = 42;\n")
	a := inProcess(t, root, time.Second, make(chan string, 100))
	id := processID(t, a.mustCall("run_script", map[string]any{"script": "fail"}))
	a.mustCall("wait", map[string]any{"processId": id, "until": "exited"})
	var got problemsAnswer
	if err := json.Unmarshal([]byte(a.mustCall("get_problems", map[string]any{"file": "a.ts"})), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Problems) != 1 || got.Problems[0].Line != 1 || got.Problems[0].Column != 10 || got.Problems[0].EndColumn != 11 {
		t.Fatalf("problems: %+v", got)
	}
}
