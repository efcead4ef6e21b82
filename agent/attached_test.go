package agent_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/textproto"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// editor is a fake editor around the real `brummer lsp`: it records every
// message the server sends and waits on predicates with a deadline.
type editor struct {
	t      *testing.T
	cmd    *exec.Cmd
	in     io.WriteCloser
	stderr *lockedBuffer

	writeMu  sync.Mutex
	nextID   int
	stopOnce sync.Once

	mu      sync.Mutex
	msgs    []editorMsg
	changed chan struct{} // closed and replaced on every message
	done    chan struct{} // closed when the server's output ends
}

type editorMsg struct {
	ID     *int            `json:"id"`
	Method string          `json:"method"`
	Params json.RawMessage `json:"params"`
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func startEditor(t *testing.T, root string) *editor {
	t.Helper()
	cmd := exec.Command(brummerBinary(t), "lsp", "--log-level", "debug")
	cmd.Dir = root
	e := &editor{t: t, cmd: cmd, stderr: &lockedBuffer{}, changed: make(chan struct{}), done: make(chan struct{})}
	cmd.Stderr = e.stderr
	var err error
	if e.in, err = cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go e.read(out)
	t.Cleanup(func() {
		e.stop()
		if t.Failed() {
			t.Logf("brummer lsp stderr:\n%s", e.stderr.String())
		}
	})
	e.request("initialize", map[string]any{"processId": os.Getpid(), "rootUri": "file://" + root, "capabilities": map[string]any{}})
	e.notify("initialized", map[string]any{})
	return e
}

// stop ends the session as an editor does (shutdown, exit) and waits for
// the server. Idempotent.
func (e *editor) stop() {
	e.stopOnce.Do(func() {
		e.send(map[string]any{"jsonrpc": "2.0", "id": -1, "method": "shutdown"})
		e.notify("exit", nil)
		_ = e.in.Close()
		select {
		case <-e.done:
		case <-time.After(deadline):
			e.t.Errorf("brummer lsp did not end after shutdown and exit")
			_ = e.cmd.Process.Kill()
		}
		_ = e.cmd.Wait()
	})
}

func (e *editor) read(out io.Reader) {
	defer close(e.done)
	r := bufio.NewReader(out)
	tp := textproto.NewReader(r)
	for {
		h, err := tp.ReadMIMEHeader()
		if err != nil {
			return
		}
		n, _ := strconv.Atoi(h.Get("Content-Length"))
		body := make([]byte, n)
		if _, err := io.ReadFull(r, body); err != nil {
			return
		}
		var m editorMsg
		if err := json.Unmarshal(body, &m); err != nil {
			continue
		}
		if m.Method != "" && m.ID != nil { // a request from the server
			e.send(map[string]any{"jsonrpc": "2.0", "id": *m.ID, "result": nil})
		}
		e.mu.Lock()
		e.msgs = append(e.msgs, m)
		close(e.changed)
		e.changed = make(chan struct{})
		e.mu.Unlock()
	}
}

func (e *editor) send(v any) {
	body, _ := json.Marshal(v)
	e.writeMu.Lock()
	defer e.writeMu.Unlock()
	fmt.Fprintf(e.in, "Content-Length: %d\r\n\r\n%s", len(body), body)
}

func (e *editor) notify(method string, params any) {
	e.send(map[string]any{"jsonrpc": "2.0", "method": method, "params": params})
}

// request sends a call and waits for its answer.
func (e *editor) request(method string, params any) editorMsg {
	e.t.Helper()
	e.writeMu.Lock()
	e.nextID++
	id := e.nextID
	e.writeMu.Unlock()
	e.send(map[string]any{"jsonrpc": "2.0", "id": id, "method": method, "params": params})
	return e.waitFor(method+" answer", func(m editorMsg) bool { return m.Method == "" && m.ID != nil && *m.ID == id })
}

// waitFor returns the first message (since the start) that matches.
func (e *editor) waitFor(what string, match func(editorMsg) bool) editorMsg {
	e.t.Helper()
	timeout := time.After(deadline)
	seen := 0
	for {
		e.mu.Lock()
		msgs, changed := e.msgs[seen:], e.changed
		seen = len(e.msgs)
		e.mu.Unlock()
		for _, m := range msgs {
			if match(m) {
				return m
			}
		}
		select {
		case <-changed:
		case <-e.done:
			e.t.Fatalf("the server ended while the editor waited for %s", what)
		case <-timeout:
			e.t.Fatalf("the editor did not get %s within %s", what, deadline)
		}
	}
}

type editorProcess struct {
	ID     string `json:"id"`
	Script string `json:"script"`
	Status string `json:"status"`
}

// processesChanged matches a brummer/processesChanged whose snapshot has a
// process that satisfies ok.
func processesChanged(ok func(editorProcess) bool) func(editorMsg) bool {
	return func(m editorMsg) bool {
		if m.Method != "brummer/processesChanged" {
			return false
		}
		var p struct {
			Processes []editorProcess `json:"processes"`
		}
		_ = json.Unmarshal(m.Params, &p)
		for _, proc := range p.Processes {
			if ok(proc) {
				return true
			}
		}
		return false
	}
}

// An agent started with the trimmed environment finds the editor's brummer
// through the workspace socket: what it runs shows in the editor, and what
// the editor does the agent sees.
func TestAttachedToTheEditor(t *testing.T) {
	root := fixture(t)
	e := startEditor(t, root)
	a := startAgent(t, root+"/src")

	if ins := a.cs.InitializeResult().Instructions; !strings.Contains(ins, "Attached to the editor's brummer") || !strings.Contains(ins, root) {
		t.Fatalf("instructions do not say the agent is attached to %s:\n%s", root, ins)
	}
	id := processID(t, a.mustCall("run_script", map[string]any{"script": "serve"}))
	e.waitFor("brummer/processesChanged with the agent's "+id, processesChanged(func(p editorProcess) bool {
		return p.ID == id && p.Script == "serve"
	}))
	if out := a.mustCall("wait", map[string]any{"processId": id, "until": "url"}); !strings.Contains(out, "http://localhost:5173/") {
		t.Fatalf("wait url:\n%s", out)
	}

	// The agent waits for the end; the editor stops the process.
	type answer struct {
		text  string
		isErr bool
	}
	const read = `"method": "brummer/processes"`
	reads := strings.Count(e.stderr.String(), read)
	waited := make(chan answer, 1)
	go func() {
		text, isErr := a.call("wait", map[string]any{"processId": id, "until": "exited", "timeoutMs": 20000})
		waited <- answer{text, isErr}
	}()
	// The stop comes once the agent's wait has read the process (the
	// server logs each request at debug level), so the wait must see it
	// change.
	e.stderr.await(t, "the wait's first read", func(s string) bool { return strings.Count(s, read) > reads })
	stop := e.request("workspace/executeCommand", map[string]any{"command": "brummer.stop", "arguments": []any{map[string]any{"id": id}}})
	if stop.Error != nil {
		t.Fatalf("the editor's brummer.stop: %s", stop.Error.Message)
	}
	select {
	case w := <-waited:
		if w.isErr || !strings.Contains(w.text, id+" serve [.] stopped") {
			t.Fatalf("the agent's wait for the stop: %v %s", w.isErr, w.text)
		}
	case <-time.After(deadline):
		t.Fatal("the agent's wait did not see the editor's stop")
	}

	// The agent's typecheck fails in the editor's core: the editor gets the
	// diagnostics too.
	tc := processID(t, a.mustCall("run_script", map[string]any{"script": "typecheck"}))
	a.mustCall("wait", map[string]any{"processId": tc, "until": "exited"})
	e.waitFor("the typecheck's diagnostics", func(m editorMsg) bool {
		return m.Method == "textDocument/publishDiagnostics" && strings.Contains(string(m.Params), "TS2322")
	})
}

// When the editor's brummer ends, the agent's wait returns at once with a
// tool error that says what happened and what to do.
func TestAttachedEditorEnds(t *testing.T) {
	root := fixture(t)
	e := startEditor(t, root)
	a := startAgent(t, root)
	id := processID(t, a.mustCall("run_script", map[string]any{"script": "serve"}))
	a.mustCall("wait", map[string]any{"processId": id, "until": "running"})
	const read = `"method": "brummer/processes"`
	reads := strings.Count(e.stderr.String(), read)
	type answer struct {
		text  string
		isErr bool
	}
	waited := make(chan answer, 1)
	go func() {
		text, isErr := a.call("wait", map[string]any{"processId": id, "until": "exited", "timeoutMs": 600000})
		waited <- answer{text, isErr}
	}()
	e.stderr.await(t, "the wait's first read", func(s string) bool { return strings.Count(s, read) > reads })
	e.stop()
	select {
	case w := <-waited:
		if !w.isErr || !strings.Contains(w.text, "the editor's brummer ended") || !strings.Contains(w.text, "once the editor has the workspace open again") {
			t.Fatalf("the agent's wait when the editor went: %v %s", w.isErr, w.text)
		}
	case <-time.After(deadline):
		t.Fatal("the agent's wait did not notice the editor's brummer ending")
	}
	if text, isErr := a.call("list_processes", nil); !isErr || !strings.Contains(text, "the editor's brummer ended") {
		t.Fatalf("list_processes after the editor went: %v %s", isErr, text)
	}
}

// When the editor comes back (a reloaded window), the agent's next call
// reaches the new brummer, and its answer says the old processes are gone.
func TestAttachedEditorRestarts(t *testing.T) {
	root := fixture(t)
	first := startEditor(t, root)
	a := startAgent(t, root)
	a.mustCall("run_script", map[string]any{"script": "serve"})
	first.stop()
	second := startEditor(t, root)
	text := a.mustCall("list_processes", nil)
	if !strings.Contains(text, "restarted since the last answer") || !strings.Contains(text, "no processes") {
		t.Fatalf("list_processes after the editor came back:\n%s", text)
	}
	if again := a.mustCall("list_processes", nil); strings.Contains(again, "restarted") {
		t.Fatalf("the restart was told twice:\n%s", again)
	}
	next := processID(t, a.mustCall("run_script", map[string]any{"script": "hello"}))
	second.waitFor("the new editor's brummer/processesChanged with the agent's "+next, processesChanged(func(p editorProcess) bool {
		return p.ID == next && p.Script == "hello"
	}))
}
