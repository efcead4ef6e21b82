package lsp

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/brummer-dev/brummer/core"
	"github.com/brummer-dev/brummer/procmgr"
	"go.uber.org/goleak"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"
)

func TestMain(m *testing.M) {
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
		binDir, binErr = os.MkdirTemp("", "brummer-lsp-test")
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

// wait is how long a test waits for a condition before failing.
const wait = 20 * time.Second

// msg is one message the editor read from the server.
type msg struct {
	ID     json.RawMessage `json:"id,omitempty"`
	Method string          `json:"method,omitempty"`
	Params json.RawMessage `json:"params,omitempty"`
	Result json.RawMessage `json:"result,omitempty"`
	Error  *rpcError       `json:"error,omitempty"`
	at     time.Time       // when the editor read it
}

type rpcError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

func (e *rpcError) Error() string { return fmt.Sprintf("%d: %s", e.Code, e.Message) }

// editor is a fake editor: it runs the real server in-process over pipes,
// records every message the server sends and waits on predicates with a
// deadline. Requests from the server are answered (null, or success for
// showDocument) unless stalled.
type editor struct {
	t      testing.TB
	toSrv  io.WriteCloser
	fromRd io.ReadCloser
	done   chan int // Serve's exit code
	app    App      // the application the server built

	writeMu sync.Mutex
	nextID  int

	mu      sync.Mutex
	msgs    []msg
	changed chan struct{} // closed and replaced on every message
	paused  chan struct{} // non-nil while the editor does not read
	readErr error
}

type editorOpts struct {
	noInit   bool
	initOpts any
	folders  []string
	noRead   bool // start stalled
}

func newEditor(t testing.TB, root string, o editorOpts) *editor {
	t.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	e := &editor{t: t, toSrv: inW, fromRd: outR, done: make(chan int, 1), changed: make(chan struct{})}
	log := zap.NewNop()
	if os.Getenv("LSP_TEST_LOG") != "" {
		log = zaptest.NewLogger(t)
	}
	appCh := make(chan App, 1)
	opts := Options{Version: "test", Log: log, ParentPoll: 50 * time.Millisecond,
		NewApp: func(co core.Options) (App, error) {
			a, err := core.New(co)
			if err == nil {
				appCh <- a
			}
			return a, err
		}}
	go func() { e.done <- Serve(context.Background(), inR, outW, opts) }()
	if o.noRead {
		e.paused = make(chan struct{})
	}
	go e.read()
	t.Cleanup(func() { e.close() })
	if !o.noInit {
		folders := o.folders
		if folders == nil {
			folders = []string{root}
		}
		var wf []map[string]string
		for _, f := range folders {
			wf = append(wf, map[string]string{"uri": fileURI(f), "name": filepath.Base(f)})
		}
		params := map[string]any{
			"processId":        os.Getpid(),
			"rootUri":          fileURI(root),
			"workspaceFolders": wf,
			"capabilities":     map[string]any{"workspace": map[string]any{"codeLens": map[string]any{"refreshSupport": true}}},
		}
		if o.initOpts != nil {
			params["initializationOptions"] = o.initOpts
		}
		if _, err := e.call("initialize", params); err != nil {
			t.Fatalf("initialize: %v", err)
		}
		e.notify("initialized", map[string]any{})
		select {
		case e.app = <-appCh:
		default:
		}
	}
	return e
}

func (e *editor) read() {
	r := bufio.NewReader(e.fromRd)
	for {
		e.mu.Lock()
		p := e.paused
		e.mu.Unlock()
		if p != nil {
			<-p
		}
		body, err := readMessage(r)
		if err != nil {
			e.mu.Lock()
			e.readErr = err
			close(e.changed)
			e.changed = make(chan struct{})
			e.mu.Unlock()
			return
		}
		var m msg
		m.at = time.Now()
		if err := json.Unmarshal(body, &m); err != nil {
			e.t.Errorf("server wrote a body that is not JSON: %q", body)
			continue
		}
		if m.Method != "" && len(m.ID) > 0 {
			// A request from the server.
			var result any
			if m.Method == "window/showDocument" {
				result = map[string]bool{"success": true}
			}
			go e.write(map[string]any{"jsonrpc": "2.0", "id": m.ID, "result": result})
		}
		e.mu.Lock()
		e.msgs = append(e.msgs, m)
		close(e.changed)
		e.changed = make(chan struct{})
		e.mu.Unlock()
	}
}

func (e *editor) resume() {
	e.mu.Lock()
	if e.paused != nil {
		close(e.paused)
		e.paused = nil
	}
	e.mu.Unlock()
}

func readMessage(r *bufio.Reader) ([]byte, error) {
	length := -1
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return nil, err
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			break
		}
		if v, ok := strings.CutPrefix(line, "Content-Length: "); ok {
			length, _ = strconv.Atoi(v)
		}
	}
	if length < 0 {
		return nil, fmt.Errorf("no Content-Length")
	}
	body := make([]byte, length)
	_, err := io.ReadFull(r, body)
	return body, err
}

func (e *editor) writeRaw(b []byte) {
	e.writeMu.Lock()
	defer e.writeMu.Unlock()
	if _, err := e.toSrv.Write(b); err != nil {
		e.t.Logf("writing to the server: %v", err)
	}
}

func (e *editor) write(v any) {
	body, err := json.Marshal(v)
	if err != nil {
		e.t.Fatalf("encoding: %v", err)
	}
	e.writeRaw([]byte(fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(body), body)))
}

func (e *editor) notify(method string, params any) {
	e.write(map[string]any{"jsonrpc": "2.0", "method": method, "params": params})
}

// send writes a request and returns its id.
func (e *editor) send(method string, params any) string {
	e.writeMu.Lock()
	e.nextID++
	id := e.nextID
	e.writeMu.Unlock()
	m := map[string]any{"jsonrpc": "2.0", "id": id, "method": method}
	if params != nil {
		m["params"] = params
	}
	e.write(m)
	return strconv.Itoa(id)
}

// call sends a request and waits for its answer.
func (e *editor) call(method string, params any) (json.RawMessage, *rpcError) {
	e.t.Helper()
	id := e.send(method, params)
	m := e.await("answer to "+method, func(m msg) bool { return m.Method == "" && string(m.ID) == id })
	if m.Error != nil {
		return nil, m.Error
	}
	return m.Result, nil
}

// mustCall is call that fails the test on an error answer, decoding the
// result into out.
func (e *editor) mustCall(method string, params, out any) {
	e.t.Helper()
	res, err := e.call(method, params)
	if err != nil {
		e.t.Fatalf("%s: %v", method, err)
	}
	if out != nil {
		if err := json.Unmarshal(res, out); err != nil {
			e.t.Fatalf("%s: decoding %s: %v", method, res, err)
		}
	}
}

// await returns the first message (of all read so far, then new ones)
// satisfying pred, or fails the test after the deadline.
func (e *editor) await(what string, pred func(msg) bool) msg {
	e.t.Helper()
	m, ok := e.awaitFrom(0, what, pred)
	if !ok {
		e.t.Fatalf("timed out after %v waiting for %s; last messages:\n%s", wait, what, e.tail(8))
	}
	return m
}

// awaitLast waits until the latest message of a kind satisfies pred.
func (e *editor) awaitLast(what, method string, pred func(msg) bool) msg {
	e.t.Helper()
	deadline := time.After(wait)
	for {
		e.mu.Lock()
		ch := e.changed
		var last *msg
		for i := len(e.msgs) - 1; i >= 0; i-- {
			if e.msgs[i].Method == method && len(e.msgs[i].ID) == 0 {
				last = &e.msgs[i]
				break
			}
		}
		e.mu.Unlock()
		if last != nil && pred(*last) {
			return *last
		}
		select {
		case <-ch:
		case <-deadline:
			e.t.Fatalf("timed out after %v waiting for %s; last messages:\n%s", wait, what, e.tail(8))
		}
	}
}

func (e *editor) mark() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.msgs)
}

func (e *editor) awaitFrom(from int, what string, pred func(msg) bool) (msg, bool) {
	deadline := time.After(wait)
	for {
		e.mu.Lock()
		ch := e.changed
		msgs := e.msgs[min(from, len(e.msgs)):]
		for _, m := range msgs {
			if pred(m) {
				e.mu.Unlock()
				return m, true
			}
		}
		from += len(msgs)
		readErr := e.readErr
		e.mu.Unlock()
		if readErr != nil {
			return msg{}, false
		}
		select {
		case <-ch:
		case <-deadline:
			return msg{}, false
		}
	}
}

func (e *editor) tail(n int) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	var b strings.Builder
	for _, m := range e.msgs[max(0, len(e.msgs)-n):] {
		j, _ := json.Marshal(m)
		b.WriteString(truncate(string(j), 400) + "\n")
	}
	return b.String()
}

// close ends the session: shutdown and exit when the server is still up,
// then waits for Serve to return.
func (e *editor) close() int {
	select {
	case code := <-e.done:
		e.done <- code
		return code
	default:
	}
	e.resume()
	id := e.send("shutdown", nil)
	e.awaitFrom(0, "shutdown answer", func(m msg) bool { return string(m.ID) == id })
	e.notify("exit", nil)
	return e.exitCode()
}

func (e *editor) exitCode() int {
	e.t.Helper()
	select {
	case code := <-e.done:
		e.done <- code
		_ = e.toSrv.Close()
		_ = e.fromRd.Close()
		return code
	case <-time.After(wait):
		e.t.Fatalf("the server did not end within %v", wait)
		return -1
	}
}

// Helpers for what tests look for.

func method(name string) func(msg) bool { return func(m msg) bool { return m.Method == name } }

type processesParams struct {
	Processes []wireProcess `json:"processes"`
}

func (e *editor) awaitProcess(what string, pred func(wireProcess) bool) wireProcess {
	e.t.Helper()
	var found wireProcess
	e.awaitLast(what, methodProcessesChanged, func(m msg) bool {
		var p processesParams
		_ = json.Unmarshal(m.Params, &p)
		for _, pr := range p.Processes {
			if pred(pr) {
				found = pr
				return true
			}
		}
		return false
	})
	return found
}

func (e *editor) run(script, dir string) wireProcess {
	e.t.Helper()
	var p wireProcess
	e.mustCall("workspace/executeCommand", map[string]any{"command": "brummer.run", "arguments": []any{map[string]string{"script": script, "dir": dir}}}, &p)
	return p
}

func (e *editor) lensTitles(uri string) []string {
	e.t.Helper()
	var lenses []codeLens
	e.mustCall("textDocument/codeLens", map[string]any{"textDocument": map[string]string{"uri": uri}}, &lenses)
	var out []string
	for _, l := range lenses {
		out = append(out, l.Command.Title)
	}
	return out
}

// awaitLenses polls codeLens until pred holds (lens titles are computed on
// request, so this waits on the state they show).
func (e *editor) awaitLenses(uri, what string, pred func([]string) bool) []string {
	e.t.Helper()
	deadline := time.Now().Add(wait)
	for {
		titles := e.lensTitles(uri)
		if pred(titles) {
			return titles
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("timed out waiting for lenses %s; have %q", what, titles)
		}
		// The state behind the titles changes with process events; wait for
		// the next message rather than spin.
		m := e.mark()
		e.awaitFrom(m, "any message", func(msg) bool { return true })
	}
}

// workspace writes a package.json (and files) into a temp dir.
func workspace(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	dir, _ = filepath.EvalSymlinks(dir)
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
