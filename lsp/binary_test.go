package lsp

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// startBinary runs the built `brummer lsp` and attaches a fake editor to its
// stdio.
func startBinary(t *testing.T, root string) (*editor, *exec.Cmd) {
	t.Helper()
	cmd := exec.Command(brummerBinary(t), "lsp", "--log-level", "debug")
	cmd.Dir = root
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	e := &editor{t: t, toSrv: stdin, fromRd: stdout, done: make(chan int, 1), changed: make(chan struct{})}
	go e.read()
	go func() {
		err := cmd.Wait()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		}
		e.done <- code
	}()
	t.Cleanup(func() {
		e.close()
		if t.Failed() {
			t.Logf("server stderr:\n%s", stderr.String())
		}
	})
	e.mustCall("initialize", map[string]any{"processId": os.Getpid(), "rootUri": fileURI(root), "capabilities": map[string]any{}}, nil)
	e.notify("initialized", map[string]any{})
	return e, cmd
}

// No script outlives the server, even one killed with SIGKILL.
func TestSIGKILLedServerLeavesNoScript(t *testing.T) {
	root := workspace(t, map[string]string{"package.json": `{"scripts":{"serve":"echo pid:$$ && sleep 60"}}`})
	e, cmd := startBinary(t, root)
	p := e.run("serve", root)
	shPID := 0
	e.mustCall("brummer/subscribeLogs", map[string]any{"processId": nil, "enabled": true}, nil)
	for shPID == 0 {
		var logs logsResult
		e.mustCall("brummer/logs", map[string]any{"processId": p.ID, "query": "pid:"}, &logs)
		for _, en := range logs.Entries {
			if v, ok := strings.CutPrefix(en.Text, "pid:"); ok {
				shPID, _ = strconv.Atoi(v)
			}
		}
		if shPID == 0 {
			e.awaitFrom(e.mark(), "more output", func(m msg) bool { return m.Method == methodLogAppended })
		}
	}
	if !alive(shPID) || !alive(p.PID) {
		t.Fatalf("script not running: sh %d, npm %d", shPID, p.PID)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	awaitGone(t, p.PID)
	awaitGone(t, shPID)
}

// SIGTERM is shutdown + exit.
func TestSIGTERMStopsScripts(t *testing.T) {
	root := workspace(t, map[string]string{"package.json": `{"scripts":{"serve":"sleep 60"}}`})
	e, cmd := startBinary(t, root)
	p := e.run("serve", root)
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code := e.exitCode(); code != 0 {
		t.Fatalf("exit code %d after SIGTERM", code)
	}
	if alive(p.PID) {
		t.Fatalf("pid %d outlived the server", p.PID)
	}
	// stdout carried only JSON-RPC: every message the editor read parsed.
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, m := range e.msgs {
		if _, err := json.Marshal(m); err != nil {
			t.Fatal(err)
		}
	}
}

// VS Code sends shutdown and exit back to back when a window closes: the
// built server answers shutdown, after the scripts are gone, before it exits
// with 0.
func TestBinaryAnswersShutdownPipelinedWithExit(t *testing.T) {
	root := workspace(t, map[string]string{"package.json": `{"scripts":{"serve":"sleep 60"}}`})
	e, _ := startBinary(t, root)
	p := e.run("serve", root)
	var in strings.Builder
	for _, body := range []string{`{"jsonrpc":"2.0","id":"bye","method":"shutdown"}`, `{"jsonrpc":"2.0","method":"exit"}`} {
		in.WriteString("Content-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n" + body)
	}
	e.writeRaw([]byte(in.String()))
	e.await("the shutdown answer", func(m msg) bool { return string(m.ID) == `"bye"` && m.Error == nil })
	if code := e.exitCode(); code != 0 {
		t.Fatalf("exit code %d after shutdown + exit", code)
	}
	if alive(p.PID) {
		t.Fatalf("pid %d outlived the server", p.PID)
	}
}
