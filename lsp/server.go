package lsp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/brummer-dev/brummer/core"
	"github.com/brummer-dev/brummer/core/config"
	"github.com/brummer-dev/brummer/eventbus"
	"github.com/brummer-dev/brummer/logstore"
	"github.com/brummer-dev/brummer/proxy"
	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"
	"go.uber.org/zap/exp/zapslog"
)

// App is what the server needs of *core.App.
type App interface {
	Bus() *eventbus.Bus
	Config() config.Config
	ApplyConfig(config.Config) error
	Roots() []string
	Manifests() []core.Manifest
	Scripts() []core.Script
	Warnings() []string
	ParseManifest(path string, text []byte) core.Manifest
	Stats() core.Stats
	Close(ctx context.Context) error
	Run(ctx context.Context, script, dir string) (core.Process, error)
	Stop(ctx context.Context, id string) (core.Process, error)
	Restart(ctx context.Context, id string) (core.Process, error)
	StopAll(ctx context.Context) error
	RestartAll(ctx context.Context) ([]core.Process, error)
	ClearLogs(id string) error
	Process(id string) (core.Process, bool)
	Processes() []core.Process
	Logs(q logstore.Query) (logstore.Result, error)
	LogRange(processID string, from, to uint64, max int) []logstore.Entry
	Problems(id string) []core.ProcessProblem
	URLs() []core.URL
	Requests(limit int) []proxy.Request
}

var _ App = (*core.App)(nil)

// Options of Serve.
type Options struct {
	// Version is serverInfo.version.
	Version string
	// Log receives the server's log; nil discards it. Never stdout.
	Log *zap.Logger
	// Trace logs every message read and written (at debug level).
	Trace bool
	// NewApp builds the application once initialize named the workspace;
	// nil means core.New.
	NewApp func(core.Options) (App, error)
	// ParentPoll is how often the editor's processId is checked (default 1s).
	ParentPoll time.Duration
}

// closeTimeout bounds the wait for the connection's reader at the end.
const closeTimeout = 2 * time.Second

// answerWait bounds shutdown's wait for the answers to earlier calls once
// their handlers have returned (writing them normally takes microseconds).
const answerWait = 2 * time.Second

type lifecycle int

const (
	stateNew lifecycle = iota
	stateInitializing
	stateRunning
	stateShutdown
)

// Server is one editor session.
type Server struct {
	opts    Options
	log     *zap.Logger
	conn    jsonrpc2.Conn
	out     *outbox
	exited  chan struct{} // closed by the exit notification
	parent  chan struct{} // closed when the editor's process is gone
	bgCtx   context.Context
	bgStop  context.CancelFunc
	bg      sync.WaitGroup // goroutines owned by the server (parent watch, health, openUrl)
	calls   sync.WaitGroup // calls released from the read loop, until they return
	answers *answers       // calls released from the read loop, until their answer is written
	diag    *diagnostics
	exitSet sync.Once

	shutdownOnce sync.Once
	shutdownErr  error

	// mu guards the fields below.
	mu         sync.Mutex
	state      lifecycle
	app        App
	roots      []string
	docs       map[string][]byte // open documents by path
	unsub      []func()
	logSubsAll bool
	logSubs    map[string]bool
	exitCode   int
	health     *health
}

// Serve runs the server on in/out until exit, end of input, ctx's end or
// the editor's death, and returns the process exit code: 0 after shutdown,
// 1 for an exit without shutdown. Every process it started is gone when it
// returns.
func Serve(ctx context.Context, in io.Reader, out io.Writer, opts Options) int {
	log := opts.Log
	if log == nil {
		log = zap.NewNop()
	}
	if opts.ParentPoll <= 0 {
		opts.ParentPoll = time.Second
	}
	s := &Server{
		opts: opts, log: log,
		exited: make(chan struct{}), parent: make(chan struct{}),
		docs: map[string][]byte{}, logSubs: map[string]bool{},
		answers: newAnswers(),
	}
	s.bgCtx, s.bgStop = context.WithCancel(context.Background())
	s.diag = newDiagnostics(s)
	rwc := &stdio{in: in, out: out}
	st := newStream(rwc, log.Named("wire"), opts.Trace)
	st.answers = s.answers
	s.conn = jsonrpc2.NewConn(st, jsonrpc2.WithCodec(codec{}))
	def := config.Default()
	s.out = newOutbox(s.conn, log.Named("outbox"), limitsOf(def), s.snapshot)

	connCtx := protocol.WithLogger(s.bgCtx, slog.New(zapslog.NewHandler(log.Named("protocol").Core())))
	s.conn.Go(connCtx, s.handler())

	code := 0
	select {
	case <-s.exited:
		s.mu.Lock()
		code = s.exitCode
		s.mu.Unlock()
	case <-s.conn.Done():
		log.Info("end of input: shutting down")
	case <-ctx.Done():
		log.Info("signalled: shutting down")
	case <-s.parent:
		log.Info("the editor's process is gone: shutting down")
	}
	if err := s.shutdown(context.Background()); err != nil {
		log.Warn("shutdown", zap.Error(err))
	}
	s.closeConn(st)
	return code
}

// closeConn ends the connection after shutdown and waits for the server's
// goroutines.
func (s *Server) closeConn(st *stream) {
	// The stream first: it releases a write blocked on a client that stopped
	// reading, which Conn.Close would otherwise wait for.
	_ = st.Close()
	closed := make(chan struct{})
	go func() {
		_ = s.conn.Close()
		close(closed)
	}()
	select {
	case <-closed:
	case <-time.After(closeTimeout):
		// A read blocked on an input that cannot be interrupted (a blocking
		// stdin): the process is about to exit, so do not wait for it.
		s.log.Warn("the connection did not close; leaving its reader behind", zap.Duration("after", closeTimeout))
	}
	s.out.close()
	s.bgStop()
	s.bg.Wait()
}

func limitsOf(c config.Config) outboxLimits {
	return outboxLimits{LogBatches: c.Notifications.LogQueueSize, Misc: c.Notifications.QueueSize}
}

// stdio joins the two standard streams; Close closes both when they can be.
type stdio struct {
	in   io.Reader
	out  io.Writer
	once sync.Once
}

func (s *stdio) Read(p []byte) (int, error)  { return s.in.Read(p) }
func (s *stdio) Write(p []byte) (int, error) { return s.out.Write(p) }
func (s *stdio) Close() error {
	s.once.Do(func() {
		if c, ok := s.in.(io.Closer); ok {
			_ = c.Close()
		}
		if c, ok := s.out.(io.Closer); ok {
			_ = c.Close()
		}
	})
	return nil
}

// application returns the App once initialize made it, else nil.
func (s *Server) application() App {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.app
}

// snapshot builds the params of a snapshot notification when the outbox
// writes it, so the last one written always shows the final state.
func (s *Server) snapshot(method string) any {
	app := s.application()
	switch method {
	case methodProcessesChanged:
		var ps []core.Process
		if app != nil {
			ps = app.Processes()
		}
		return map[string]any{"processes": toWireProcesses(ps)}
	case methodURLsChanged:
		urls := []core.URL{}
		if app != nil {
			if u := app.URLs(); u != nil {
				urls = u
			}
		}
		return map[string]any{"urls": urls}
	}
	return nil
}

// codec passes pre-encoded payloads through and encodes the rest with
// encoding/json: the server writes its own structs, whose field names are
// PROTOCOL.md's.
type codec struct{}

func (codec) Marshal(v any) ([]byte, error) {
	switch m := v.(type) {
	case jsonrpc2.RawMessage:
		if m == nil {
			return []byte("null"), nil
		}
		return m, nil
	case json.RawMessage:
		if m == nil {
			return []byte("null"), nil
		}
		return m, nil
	}
	return json.Marshal(v)
}

func (codec) Unmarshal(data []byte, v any) error {
	if p, ok := v.(*jsonrpc2.RawMessage); ok {
		*p = append(jsonrpc2.RawMessage(nil), data...)
		return nil
	}
	return json.Unmarshal(data, v)
}

// decodeParams decodes params into v, or answers InvalidParams naming the
// field that is wrong.
func decodeParams(method string, raw []byte, v any) error {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return paramsError(method, err)
	}
	return nil
}

func paramsError(method string, err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		if te.Field == "" {
			return jsonrpc2.Errorf(jsonrpc2.InvalidParams, "%s: params must be %s, not %s", method, jsonKind(te.Type.Kind().String()), te.Value)
		}
		return jsonrpc2.Errorf(jsonrpc2.InvalidParams, "%s: field %q must be %s, not %s", method, te.Field, jsonKind(te.Type.Kind().String()), te.Value)
	}
	return jsonrpc2.Errorf(jsonrpc2.InvalidParams, "%s: invalid params: %v", method, err)
}

func jsonKind(goKind string) string {
	switch goKind {
	case "struct", "map":
		return "an object"
	case "slice", "array":
		return "an array"
	case "string":
		return "a string"
	case "bool":
		return "a boolean"
	case "int", "int64", "int32", "uint64", "uint32", "float64":
		return "a number"
	}
	return goKind
}

func invalidParams(format string, args ...any) error {
	return jsonrpc2.Errorf(jsonrpc2.InvalidParams, format, args...)
}

// codeRequestFailed is LSP's RequestFailed: the request was understood but
// could not be carried out.
const codeRequestFailed jsonrpc2.Code = -32803

// errorFor maps core's errors to JSON-RPC errors; their messages already
// say what exists.
func errorFor(err error) error {
	if err == nil {
		return nil
	}
	var wire *jsonrpc2.Error
	if errors.As(err, &wire) {
		return err
	}
	switch {
	case errors.Is(err, core.ErrUnknownScript), errors.Is(err, core.ErrUnknownProcess), errors.Is(err, core.ErrOutsideRoots):
		return jsonrpc2.NewError(jsonrpc2.InvalidParams, err.Error())
	case errors.Is(err, context.Canceled):
		return protocol.ErrRequestCancelled
	}
	return jsonrpc2.NewError(codeRequestFailed, err.Error())
}

func (s *Server) notReady() error {
	return jsonrpc2.NewError(jsonrpc2.ServerNotInitialized, "the server is not initialized: send initialize first")
}
