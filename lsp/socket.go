package lsp

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"
	"go.uber.org/zap/exp/zapslog"
)

// The workspace socket lets a second client (`brummer mcp`, the agents'
// face) drive the same core as the editor: it speaks the brummer/*
// requests, the brummer.* commands and the notifications of PROTOCOL.md,
// framed like the stdio connection (Content-Length headers). There is no
// initialize: a connection is ready once accepted, and ends when either side
// closes it. One socket per workspace root, named from a hash of the root,
// in a directory only the user can open.

// SocketPath is where the socket of the workspace rooted at root lives. The
// directory is derived from the uid alone, never from the environment:
// agents start `brummer mcp` with a trimmed environment (no
// XDG_RUNTIME_DIR, no TMPDIR), and it must find what the editor's
// `brummer lsp` opened. With create, a missing directory is made (0700);
// either way a directory that another user owns, or that others can open,
// is refused.
func SocketPath(root string, create bool) (string, error) {
	dir, err := socketDir(create)
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, socketName(root)), nil
}

// socketName is the socket's file name for a workspace root: the same root
// written differently (a trailing slash, a symlinked path) gets the same
// name.
func socketName(root string) string {
	if abs, err := filepath.Abs(root); err == nil {
		root = abs
	}
	if real, err := filepath.EvalSymlinks(root); err == nil {
		root = real
	}
	sum := sha256.Sum256([]byte(filepath.Clean(root)))
	return hex.EncodeToString(sum[:12]) + ".sock"
}

// FindSocket connects to the live workspace socket of dir or of its
// nearest ancestor that has one, and returns the connection and the root
// it serves; conn is nil when no brummer serves dir.
func FindSocket(dir string) (conn net.Conn, root string, err error) {
	sdir, err := socketDir(false)
	if err != nil {
		return nil, "", err
	}
	if abs, aerr := filepath.Abs(dir); aerr == nil {
		dir = abs
	}
	if real, rerr := filepath.EvalSymlinks(dir); rerr == nil {
		dir = real
	}
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		c, derr := net.DialTimeout("unix", filepath.Join(sdir, socketName(d)), time.Second)
		if derr == nil {
			return c, d, nil
		}
		if parent := filepath.Dir(d); parent == d {
			return nil, "", nil
		}
	}
}

// socketServer accepts the connections of one workspace socket and serves
// each as a session of its own.
type socketServer struct {
	log  *zap.Logger
	ln   net.Listener
	path string
	file fs.FileInfo // the socket file made, removed at close if still there
	app  App
	ctx  context.Context
	stop context.CancelFunc
	wg   sync.WaitGroup // the accept loop and the sessions

	// mu orders wg.Add of a new session before close's wg.Wait.
	mu sync.Mutex
}

// listenSocket opens the workspace sockets once the app exists, if the
// configuration wants them ([mcp] socket). They close at shutdown, before
// the app: they go with the bus subscriptions.
func (s *Server) listenSocket(app App) {
	if !app.Config().MCP.Socket {
		return
	}
	var servers []*socketServer
	for _, root := range app.Roots() {
		ss, err := serveSocket(root, app, s.log.Named("socket"))
		if err != nil {
			s.log.Warn("the workspace socket for agents is off", zap.String("root", root), zap.Error(err))
			s.logMessage(msgWarning, "brummer: no socket for coding agents: "+err.Error())
			continue
		}
		if ss != nil {
			servers = append(servers, ss)
		}
	}
	if len(servers) == 0 {
		return
	}
	s.mu.Lock()
	s.unsub = append(s.unsub, func() {
		for _, ss := range servers {
			ss.close()
		}
	})
	s.mu.Unlock()
}

// serveSocket listens on root's socket; nil without an error when another
// live brummer already serves that workspace (agents attach to it).
func serveSocket(root string, app App, log *zap.Logger) (*socketServer, error) {
	path, err := SocketPath(root, true)
	if err != nil {
		return nil, err
	}
	ln, fi, err := listenUnix(path, log)
	if err != nil || ln == nil {
		return nil, err
	}
	ss := &socketServer{log: log, ln: ln, path: path, file: fi, app: app}
	ss.ctx, ss.stop = context.WithCancel(context.Background())
	log.Info("listening for agents", zap.String("socket", path), zap.String("root", root))
	ss.wg.Add(1)
	go ss.accept()
	return ss, nil
}

func (ss *socketServer) accept() {
	defer ss.wg.Done()
	for {
		c, err := ss.ln.Accept()
		if err != nil {
			if ss.ctx.Err() == nil {
				ss.log.Warn("accepting on the workspace socket", zap.Error(err))
			}
			return
		}
		if err := checkPeer(c); err != nil {
			ss.log.Warn("refused a connection", zap.Error(err))
			_ = c.Close()
			continue
		}
		ss.mu.Lock()
		if ss.ctx.Err() != nil {
			ss.mu.Unlock()
			_ = c.Close()
			return
		}
		ss.wg.Add(1)
		ss.mu.Unlock()
		go func() {
			defer ss.wg.Done()
			ServeConn(ss.ctx, c, ss.app, ss.log)
		}()
	}
}

// close stops accepting, ends every session (their calls in flight are
// answered first) and removes the socket file. Idempotent.
func (ss *socketServer) close() {
	ss.mu.Lock()
	ss.stop()
	ss.mu.Unlock()
	_ = ss.ln.Close()
	ss.wg.Wait()
	removeSocket(ss.path, ss.file)
}

// sharedApp is the editor's app as a socket session sees it: the session
// ends, the app goes on.
type sharedApp struct{ App }

func (sharedApp) Close(context.Context) error { return nil }

// ServeConn serves one client of the workspace socket on rwc until the
// connection ends or ctx does, as a second client of app: the brummer/*
// requests, the brummer.* commands and the notifications, through the same
// handlers, outbox and diagnostics as the editor's connection. It returns
// once the session's goroutines are gone; app is not closed.
func ServeConn(ctx context.Context, rwc io.ReadWriteCloser, app App, log *zap.Logger) {
	if log == nil {
		log = zap.NewNop()
	}
	cfg := app.Config()
	s := &Server{
		log:    log,
		exited: make(chan struct{}), parent: make(chan struct{}),
		docs: map[string][]byte{}, logSubs: map[string]bool{},
		answers: newAnswers(),
		app:     sharedApp{app},
		roots:   app.Roots(),
		state:   stateRunning,
	}
	s.bgCtx, s.bgStop = context.WithCancel(context.Background())
	s.diag = newDiagnostics(s)
	s.diag.setMaxPerURI(cfg.Notifications.MaxDiagnosticsPerURI)
	st := newStream(rwc, log.Named("wire"), false)
	st.answers = s.answers
	s.conn = jsonrpc2.NewConn(st, jsonrpc2.WithCodec(codec{}))
	s.out = newOutbox(s.conn, log.Named("outbox"), limitsOf(cfg), s.snapshot)
	s.subscribe(s.app)

	connCtx := protocol.WithLogger(s.bgCtx, slog.New(zapslog.NewHandler(log.Named("protocol").Core())))
	s.conn.Go(connCtx, socketMethods(s.handler()))
	select {
	case <-s.conn.Done():
	case <-ctx.Done():
	}
	if err := s.shutdown(context.Background()); err != nil {
		log.Warn("ending a socket session", zap.Error(err))
	}
	s.closeConn(st)
}

// socketMethods answers what the socket does not speak: the editor's
// lifecycle and document methods belong to the editor's connection.
func socketMethods(next jsonrpc2.Handler) jsonrpc2.Handler {
	return func(ctx context.Context, req *jsonrpc2.Request) (any, error) {
		m := req.Method()
		if strings.HasPrefix(m, "brummer/") || m == protocol.MethodWorkspaceExecuteCommand || m == protocol.MethodCancelRequest {
			return next(ctx, req)
		}
		if !req.IsCall() {
			return nil, nil
		}
		return nil, jsonrpc2.Errorf(jsonrpc2.MethodNotFound,
			"method %q is not served on the workspace socket: it speaks the brummer/* requests and workspace/executeCommand (no initialize needed)", m)
	}
}
