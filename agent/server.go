package agent

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// Options of New.
type Options struct {
	// Conn is a connection to the core that speaks the workspace socket's
	// protocol (lsp.ServeConn): the editor's socket, or a pipe to a core
	// started in-process.
	Conn io.ReadWriteCloser
	// Root is the workspace root the core serves.
	Root string
	// Standalone says no editor's brummer serves the workspace: the core is
	// this server's own, its processes end with it, and the editor does not
	// see them. The instructions say so.
	Standalone bool
	// Note is added to the instructions (why the server is standalone).
	Note string
	// Version is the serverInfo version.
	Version string
	// Log receives the server's log; nil discards it. Never stdout.
	Log *slog.Logger
	// Throttle is the least time between two updates of one subscribed
	// resource (default 500ms).
	Throttle time.Duration
	// Redial, when set, connects again after the connection ended (the
	// editor reloaded its window and its brummer came back); it fails when
	// no brummer serves the workspace.
	Redial func() (io.ReadWriteCloser, error)
}

// Server is one agent's MCP server over one connection to the core.
type Server struct {
	opts Options
	mcp  *mcp.Server
	log  *slog.Logger
	thr  *throttle

	// connMu guards the connection to the core and its generation.
	connMu sync.Mutex
	rpc    *rpcClient
	gen    int  // connections made before this one
	noted  int  // the generation the last tool answer was given in
	closed bool // by Close: no more redials

	// mu guards the fields below.
	mu      sync.Mutex
	changed chan struct{} // closed and replaced when a process changes
	subs    map[string]bool
}

// New builds the server; Run serves it.
func New(opts Options) *Server {
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if opts.Throttle <= 0 {
		opts.Throttle = 500 * time.Millisecond
	}
	s := &Server{opts: opts, log: opts.Log, changed: make(chan struct{}), subs: map[string]bool{}}
	s.mcp = mcp.NewServer(&mcp.Implementation{Name: "brummer", Title: "Brummer", Version: opts.Version}, &mcp.ServerOptions{
		Instructions:       s.instructions(),
		Logger:             opts.Log,
		SubscribeHandler:   s.subscribe,
		UnsubscribeHandler: s.unsubscribe,
	})
	s.thr = newThrottle(opts.Throttle, s.publish)
	s.rpc = newRPCClient(opts.Conn, s.onNotification)
	s.addTools()
	s.addResources()
	return s
}

// Run serves MCP on t until the client goes or ctx ends, then closes the
// connection to the core.
func (s *Server) Run(ctx context.Context, t mcp.Transport) error {
	defer s.Close()
	return s.mcp.Run(ctx, t)
}

// MCP is the underlying SDK server (tests connect in-memory clients to it).
func (s *Server) MCP() *mcp.Server { return s.mcp }

// Close stops the throttle's timers and ends the connection to the core.
// Idempotent.
func (s *Server) Close() {
	s.thr.stop()
	s.connMu.Lock()
	s.closed = true
	c := s.rpc
	s.connMu.Unlock()
	c.close()
}

// call asks the core; when the connection ended, it connects again (if it
// can) and asks the new core.
func (s *Server) call(ctx context.Context, method string, params, result any) error {
	c, _ := s.conn()
	err := c.call(ctx, method, params, result)
	if errors.Is(err, errClosed) {
		if again := s.redial(c); again != nil {
			return again.call(ctx, method, params, result)
		}
	}
	return err
}

// command runs a brummer.* command with its one argument object.
func (s *Server) command(ctx context.Context, name string, arg, result any) error {
	return s.call(ctx, "workspace/executeCommand", map[string]any{"command": name, "arguments": []any{arg}}, result)
}

func (s *Server) conn() (*rpcClient, int) {
	s.connMu.Lock()
	defer s.connMu.Unlock()
	return s.rpc, s.gen
}

// redial replaces the ended connection old, once, however many calls saw it
// end; nil when there is no brummer to connect to.
func (s *Server) redial(old *rpcClient) *rpcClient {
	s.connMu.Lock()
	defer s.connMu.Unlock()
	if s.rpc != old {
		return s.rpc
	}
	if s.closed || s.opts.Redial == nil {
		return nil
	}
	conn, err := s.opts.Redial()
	if err != nil {
		s.log.Info("no brummer to connect to again", "error", err)
		return nil
	}
	old.close()
	s.rpc = newRPCClient(conn, s.onNotification)
	s.gen++
	s.log.Info("connected to the editor's brummer again")
	// Log subscriptions named processes of the core that is gone.
	s.mu.Lock()
	for uri := range s.subs {
		if strings.HasPrefix(uri, logsURIPrefix) {
			delete(s.subs, uri)
		}
	}
	s.mu.Unlock()
	return s.rpc
}

// restartNoted reports, once per new connection, that the core changed
// since the last answer.
func (s *Server) restartNoted() bool {
	s.connMu.Lock()
	defer s.connMu.Unlock()
	if s.gen == s.noted {
		return false
	}
	s.noted = s.gen
	return true
}

func (s *Server) instructions() string {
	var b strings.Builder
	b.WriteString("Brummer runs this workspace's package.json scripts (dev servers, builds, tests, watchers) and reads their output: " +
		"processes, logs, problems (compiler, linter, test and runtime errors at exact file:line:column) and the URLs they serve.\n" +
		"Use run_script instead of starting a script in a terminal (a second copy would fight the first for its port), " +
		"wait to get the outcome of a build or test in one call (until: exited or problems), get_problems for exact error locations, " +
		"get_logs for output. Only scripts declared in the workspace's package.json files can run; list_scripts shows them.\n")
	b.WriteString("Workspace: " + s.opts.Root + "\n")
	if s.opts.Standalone {
		b.WriteString("No editor's brummer serves this workspace, so this server started its own: the processes you run end when this server ends, and the editor does not show them.")
		if s.opts.Note != "" {
			b.WriteString(" (" + s.opts.Note + ")")
		}
	} else {
		b.WriteString("Attached to the editor's brummer: you see and drive the processes the editor shows, and what you run shows there too.")
	}
	return b.String()
}

// onNotification runs on the reader: it updates state and wakes waiters,
// never calls the core.
func (s *Server) onNotification(method string, params json.RawMessage) {
	switch method {
	case "brummer/processesChanged", methodClosed:
		s.mu.Lock()
		close(s.changed)
		s.changed = make(chan struct{})
		s.mu.Unlock()
		s.touch(uriProcesses)
	case "textDocument/publishDiagnostics":
		s.touch(uriProblems)
	case "brummer/logAppended":
		var p struct {
			ProcessID string `json:"processId"`
		}
		if json.Unmarshal(params, &p) == nil && p.ProcessID != "" {
			s.touch(logsURI(p.ProcessID))
		}
	}
}

// changes returns a channel closed at the next process change.
func (s *Server) changes() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.changed
}

// touch schedules an update of uri if a client subscribed to it.
func (s *Server) touch(uri string) {
	s.mu.Lock()
	want := s.subs[uri]
	s.mu.Unlock()
	if want {
		s.thr.touch(uri)
	}
}

func (s *Server) publish(uri string) {
	if err := s.mcp.ResourceUpdated(context.Background(), &mcp.ResourceUpdatedNotificationParams{URI: uri}); err != nil {
		s.log.Debug("resource update", "uri", uri, "error", err)
	}
}

// throttle sends at most one update per uri per interval; a change inside
// the interval is sent at its end, so the last change is never lost.
type throttle struct {
	every time.Duration
	send  func(uri string)

	// mu guards the fields below.
	mu      sync.Mutex
	last    map[string]time.Time
	pending map[string]*time.Timer
	stopped bool
}

func newThrottle(every time.Duration, send func(string)) *throttle {
	return &throttle{every: every, send: send, last: map[string]time.Time{}, pending: map[string]*time.Timer{}}
}

func (t *throttle) touch(uri string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.stopped || t.pending[uri] != nil {
		return
	}
	wait := time.Until(t.last[uri].Add(t.every))
	if wait < 0 {
		wait = 0
	}
	t.pending[uri] = time.AfterFunc(wait, func() {
		t.mu.Lock()
		delete(t.pending, uri)
		t.last[uri] = time.Now()
		stopped := t.stopped
		t.mu.Unlock()
		if !stopped {
			t.send(uri)
		}
	})
}

func (t *throttle) stop() {
	t.mu.Lock()
	t.stopped = true
	for uri, tm := range t.pending {
		tm.Stop()
		delete(t.pending, uri)
	}
	t.mu.Unlock()
}
