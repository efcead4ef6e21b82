package lsp

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/brummer-dev/brummer/core"
	"github.com/brummer-dev/brummer/core/config"
	"go.lsp.dev/jsonrpc2"
	"go.uber.org/zap"
)

// ProtocolVersion is capabilities.experimental.brummer.protocol.
const ProtocolVersion = 1

// Commands are the workspace/executeCommand commands the server announces.
var Commands = []string{
	"brummer.run", "brummer.stop", "brummer.restart", "brummer.stopAll",
	"brummer.restartAll", "brummer.clearLogs", "brummer.openUrl",
}

type initializeParams struct {
	ProcessID        *int    `json:"processId"`
	RootURI          *string `json:"rootUri"`
	RootPath         *string `json:"rootPath"`
	WorkspaceFolders []struct {
		URI  string `json:"uri"`
		Name string `json:"name"`
	} `json:"workspaceFolders"`
	InitializationOptions json.RawMessage `json:"initializationOptions"`
	Capabilities          struct {
		Workspace struct {
			CodeLens struct {
				RefreshSupport bool `json:"refreshSupport"`
			} `json:"codeLens"`
		} `json:"workspace"`
	} `json:"capabilities"`
}

type initializeResult struct {
	Capabilities serverCapabilities `json:"capabilities"`
	ServerInfo   serverInfo         `json:"serverInfo"`
}

type serverInfo struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type serverCapabilities struct {
	TextDocumentSync struct {
		OpenClose bool `json:"openClose"`
		Change    int  `json:"change"` // 1 = full
	} `json:"textDocumentSync"`
	CodeLensProvider struct {
		ResolveProvider bool `json:"resolveProvider"`
	} `json:"codeLensProvider"`
	HoverProvider          bool `json:"hoverProvider"`
	ExecuteCommandProvider struct {
		Commands []string `json:"commands"`
	} `json:"executeCommandProvider"`
	Workspace struct {
		WorkspaceFolders struct {
			Supported           bool `json:"supported"`
			ChangeNotifications bool `json:"changeNotifications"`
		} `json:"workspaceFolders"`
	} `json:"workspace"`
	Experimental struct {
		Brummer struct {
			Protocol int `json:"protocol"`
		} `json:"brummer"`
	} `json:"experimental"`
}

func (s *Server) failInitialize() {
	s.mu.Lock()
	if s.state == stateInitializing {
		s.state = stateNew
	}
	s.mu.Unlock()
}

func (s *Server) initialize(ctx context.Context, p *initializeParams) (*initializeResult, error) {
	res, err := s.initializeApp(p)
	if err != nil {
		s.failInitialize()
		return nil, err
	}
	return res, nil
}

func workspaceRoots(p *initializeParams) ([]string, error) {
	var roots []string
	for i, f := range p.WorkspaceFolders {
		path := uriPath(f.URI)
		if path == "" {
			return nil, invalidParams("initialize: workspaceFolders[%d].uri %q is not a file:// URI", i, f.URI)
		}
		roots = append(roots, path)
	}
	if len(roots) == 0 && p.RootURI != nil && *p.RootURI != "" {
		path := uriPath(*p.RootURI)
		if path == "" {
			return nil, invalidParams("initialize: rootUri %q is not a file:// URI", *p.RootURI)
		}
		roots = append(roots, path)
	}
	if len(roots) == 0 && p.RootPath != nil && *p.RootPath != "" {
		roots = append(roots, *p.RootPath)
	}
	if len(roots) == 0 {
		return nil, invalidParams("initialize: no workspace: send workspaceFolders or rootUri (open a folder in the editor)")
	}
	for _, r := range roots {
		if fi, err := os.Stat(r); err != nil || !fi.IsDir() {
			return nil, invalidParams("initialize: workspace folder %s is not a readable directory", r)
		}
	}
	return roots, nil
}

func (s *Server) initializeApp(p *initializeParams) (*initializeResult, error) {
	roots, err := workspaceRoots(p)
	if err != nil {
		return nil, err
	}
	var warnings []string
	cfg, warns, err := config.Load(roots[0])
	warnings = append(warnings, warns...)
	if err != nil {
		s.showMessage(msgError, fmt.Sprintf("brummer: %v; using the defaults", err))
		cfg = config.Default()
	}
	opts := []byte(p.InitializationOptions)
	merged, warns, err := config.MergeJSON(cfg, opts)
	warnings = append(warnings, warns...)
	if err != nil {
		s.showMessage(msgError, fmt.Sprintf("brummer: initializationOptions: %v; ignoring them", err))
		opts = nil
	} else {
		cfg = merged
	}
	newApp := s.opts.NewApp
	if newApp == nil {
		newApp = func(o core.Options) (App, error) { return core.New(o) }
	}
	app, err := newApp(core.Options{Roots: roots, Config: cfg, Log: s.log.Named("core"), Watch: true, ConfigJSON: opts})
	if err != nil {
		return nil, jsonrpc2.NewError(codeRequestFailed, fmt.Sprintf("initialize: %v", err))
	}
	s.out.setLimits(limitsOf(cfg))
	s.out.setLensRefresh(p.Capabilities.Workspace.CodeLens.RefreshSupport)
	s.diag.setMaxPerURI(cfg.Notifications.MaxDiagnosticsPerURI)

	s.mu.Lock()
	s.app = app
	s.roots = app.Roots()
	s.state = stateRunning
	s.mu.Unlock()
	s.subscribe(app)
	s.listenSocket(app)

	for _, w := range append(warnings, app.Warnings()...) {
		s.logMessage(msgWarning, "brummer: "+w)
	}
	if p.ProcessID != nil && *p.ProcessID > 0 {
		s.watchParent(*p.ProcessID)
	}
	h := startHealth(s, cfg.Resources)
	s.mu.Lock()
	s.health = h
	s.mu.Unlock()

	var res initializeResult
	c := &res.Capabilities
	c.TextDocumentSync.OpenClose = true
	c.TextDocumentSync.Change = 2 // incremental: ranged edits, UTF-16 positions
	c.HoverProvider = true
	c.ExecuteCommandProvider.Commands = Commands
	c.Workspace.WorkspaceFolders.Supported = true
	c.Experimental.Brummer.Protocol = ProtocolVersion
	res.ServerInfo = serverInfo{Name: "brummer", Version: s.opts.Version}
	return &res, nil
}

func (s *Server) shutdownRequest(ctx context.Context) error {
	if err := s.shutdown(ctx); err != nil {
		return jsonrpc2.NewError(codeRequestFailed, fmt.Sprintf("shutdown: %v", err))
	}
	return nil
}

// shutdown stops every process tree and answers when they are gone.
// Idempotent.
func (s *Server) shutdown(ctx context.Context) error {
	s.shutdownOnce.Do(func() {
		s.mu.Lock()
		s.state = stateShutdown
		app := s.app
		unsub := s.unsub
		s.unsub = nil
		h := s.health
		s.mu.Unlock()
		for _, u := range unsub {
			u()
		}
		if h != nil {
			h.stop()
		}
		if app == nil {
			return
		}
		// Calls sent before shutdown are answered before it: they may still
		// need the app (and a command may be stopping a process tree).
		s.calls.Wait()
		// Their answers are written after the handlers return; an answer
		// jsonrpc2 drops (the client went away) must not hold shutdown for
		// long.
		actx, acancel := context.WithTimeout(context.Background(), answerWait)
		if !s.answers.waitWritten(actx) {
			s.log.Warn("shutdown: answers to earlier calls were not written in time", zap.Duration("waited", answerWait))
		}
		acancel()
		grace := time.Duration(app.Config().ProcessManager.StopGraceMS) * time.Millisecond
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), grace+30*time.Second)
		defer cancel()
		s.shutdownErr = app.Close(cctx)
	})
	return s.shutdownErr
}

func (s *Server) exit() {
	s.exitSet.Do(func() {
		s.mu.Lock()
		if s.state == stateShutdown {
			s.exitCode = 0
		} else {
			s.exitCode = 1
		}
		s.mu.Unlock()
		close(s.exited)
	})
}

// watchParent polls the editor's process: when it is gone, so are we.
func (s *Server) watchParent(pid int) {
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		t := time.NewTicker(s.opts.ParentPoll)
		defer t.Stop()
		for {
			select {
			case <-s.bgCtx.Done():
				return
			case <-t.C:
				if !processAlive(pid) {
					s.log.Info("editor process gone", zap.Int("pid", pid))
					close(s.parent)
					return
				}
			}
		}
	}()
}

const (
	msgError   = 1
	msgWarning = 2
	msgInfo    = 3
	msgLog     = 4
)

type messageParams struct {
	Type    int    `json:"type"`
	Message string `json:"message"`
}

func (s *Server) logMessage(typ int, msg string) {
	s.out.message("window/logMessage", messageParams{typ, msg})
}

func (s *Server) showMessage(typ int, msg string) {
	s.out.message("window/showMessage", messageParams{typ, msg})
}
