package lsp

import (
	"context"
	"fmt"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"
)

// handler builds the chain once, outermost first: notification errors are
// logged (jsonrpc2 would end the connection on them), $/cancelRequest,
// logging, the lifecycle gate, release of calls from the read loop, panic
// recovery, then dispatch by method.
//
// Notifications stay on the read loop so didOpen/didChange apply in wire
// order; they only touch server state and the outbox. Calls are released
// (jsonrpc2.Async) so a command that waits for a process tree never holds
// the read loop, and a call may send requests to the client.
func (s *Server) handler() jsonrpc2.Handler {
	h := s.dispatch
	h = s.recoverPanics(h)
	h = s.asyncCalls(h)
	h = s.gate(h)
	h = s.logging(h)
	h = protocol.CancelHandler(h)
	h = s.quietNotifications(h)
	h = ownContext(h)
	return h
}

// ownContext gives handlers a context of their own. jsonrpc2 v1.0.1 pools
// the request context and recycles it when the handler returns, but
// context.WithCancel on it (as jsonrpc2.CancelHandler does) starts a
// goroutine that reads it later: a data race, and a panic once recycled.
// Handlers get a plain cancelable context on the connection's lifetime
// instead; only values (jsonrpc2.Async's release token) are looked up in the
// request's context, and only while the handler runs.
func ownContext(next jsonrpc2.Handler) jsonrpc2.Handler {
	return func(ctx context.Context, req *jsonrpc2.Request) (any, error) {
		base, cancel := context.WithCancel(jsonrpc2.DetachContext(ctx))
		rc := &reqContext{Context: base, req: ctx}
		rc.live.Store(true)
		defer func() {
			rc.live.Store(false)
			cancel()
		}()
		return next(rc, req)
	}
}

type reqContext struct {
	context.Context
	req  context.Context
	live atomic.Bool
}

func (c *reqContext) Value(key any) any {
	if c.live.Load() {
		if v := c.req.Value(key); v != nil {
			return v
		}
	}
	return c.Context.Value(key)
}

func (s *Server) quietNotifications(next jsonrpc2.Handler) jsonrpc2.Handler {
	return func(ctx context.Context, req *jsonrpc2.Request) (any, error) {
		res, err := next(ctx, req)
		if req.IsCall() {
			return res, err
		}
		if err != nil {
			s.log.Warn("notification failed", zap.String("method", req.Method()), zap.Error(err))
		}
		return nil, nil
	}
}

func (s *Server) logging(next jsonrpc2.Handler) jsonrpc2.Handler {
	return func(ctx context.Context, req *jsonrpc2.Request) (any, error) {
		start := time.Now()
		res, err := next(ctx, req)
		fields := []zap.Field{zap.String("method", req.Method()), zap.Duration("took", time.Since(start))}
		if req.IsCall() {
			fields = append(fields, zap.Stringer("id", idString{req.ID()}))
		}
		if err != nil {
			s.log.Info("request failed", append(fields, zap.Error(err))...)
		} else {
			s.log.Debug("handled", fields...)
		}
		return res, err
	}
}

type idString struct{ id jsonrpc2.ID }

func (i idString) String() string { return fmt.Sprint(i.id) }

// gate answers everything but initialize before it (ServerNotInitialized)
// and everything but exit after shutdown (InvalidRequest); notifications
// in those states are dropped, as LSP says.
func (s *Server) gate(next jsonrpc2.Handler) jsonrpc2.Handler {
	return func(ctx context.Context, req *jsonrpc2.Request) (any, error) {
		method := req.Method()
		if method == protocol.MethodExit {
			return next(ctx, req)
		}
		s.mu.Lock()
		st := s.state
		switch {
		case method == protocol.MethodInitialize && st == stateNew:
			s.state = stateInitializing
		case method == protocol.MethodShutdown && st == stateRunning:
			// Decided here, in wire order, not when the released call gets
			// to it: what follows shutdown (exit above all) must see it.
			s.state = stateShutdown
		}
		s.mu.Unlock()
		switch {
		case method == protocol.MethodInitialize:
			if st == stateShutdown {
				return nil, jsonrpc2.NewError(jsonrpc2.InvalidRequest, "the server is shut down: send exit")
			}
			if st != stateNew {
				return nil, jsonrpc2.NewError(jsonrpc2.InvalidRequest, "initialize was already called: it may be sent once per session")
			}
		case st == stateShutdown:
			if req.IsCall() {
				return nil, jsonrpc2.Errorf(jsonrpc2.InvalidRequest, "%s after shutdown: the server is shut down, only exit is accepted", method)
			}
			return nil, nil
		case st != stateRunning:
			if req.IsCall() {
				return nil, s.notReady()
			}
			return nil, nil
		}
		return next(ctx, req)
	}
}

// asyncCalls releases calls from the read loop, except initialize and
// shutdown: nothing may overtake them (a client that pipelines its first
// requests behind initialize, or exit behind shutdown, gets them handled in
// order).
//
// Released calls are counted, and their ids kept until the stream writes
// their answers, so that shutdown answers after them: a client that
// pipelines a request, shutdown and exit still gets every answer.
func (s *Server) asyncCalls(next jsonrpc2.Handler) jsonrpc2.Handler {
	return func(ctx context.Context, req *jsonrpc2.Request) (any, error) {
		if req.IsCall() && req.Method() != protocol.MethodInitialize && req.Method() != protocol.MethodShutdown {
			s.calls.Add(1)
			defer s.calls.Done()
			s.answers.expect(req.ID())
			jsonrpc2.Async(ctx)
		}
		return next(ctx, req)
	}
}

// recoverPanics turns a panic into an InternalError answer: jsonrpc2 would
// end the connection, and with it every running script.
func (s *Server) recoverPanics(next jsonrpc2.Handler) jsonrpc2.Handler {
	return func(ctx context.Context, req *jsonrpc2.Request) (res any, err error) {
		defer func() {
			if r := recover(); r != nil {
				s.log.Error("handler panicked", zap.String("method", req.Method()), zap.Any("panic", r), zap.ByteString("stack", debug.Stack()))
				res, err = nil, jsonrpc2.Errorf(jsonrpc2.InternalError, "internal error in %s: %v (please report it)", req.Method(), r)
			}
		}()
		return next(ctx, req)
	}
}

func (s *Server) dispatch(ctx context.Context, req *jsonrpc2.Request) (any, error) {
	method := req.Method()
	params := req.Params()
	switch method {
	case protocol.MethodInitialize:
		var p initializeParams
		if err := decodeParams(method, params, &p); err != nil {
			s.failInitialize()
			return nil, err
		}
		return s.initialize(ctx, &p)
	case protocol.MethodInitialized:
		return nil, nil
	case protocol.MethodShutdown:
		return nil, s.shutdownRequest(ctx)
	case protocol.MethodExit:
		s.exit()
		return nil, nil
	case protocol.MethodTextDocumentDidOpen:
		var p didOpenParams
		if err := decodeParams(method, params, &p); err != nil {
			return nil, err
		}
		return nil, s.didOpen(&p)
	case protocol.MethodTextDocumentDidChange:
		var p didChangeParams
		if err := decodeParams(method, params, &p); err != nil {
			return nil, err
		}
		return nil, s.didChange(&p)
	case protocol.MethodTextDocumentDidClose:
		var p textDocumentParams
		if err := decodeParams(method, params, &p); err != nil {
			return nil, err
		}
		return nil, s.didClose(&p)
	case protocol.MethodTextDocumentCodeLens:
		var p textDocumentParams
		if err := decodeParams(method, params, &p); err != nil {
			return nil, err
		}
		return s.codeLens(ctx, &p)
	case protocol.MethodTextDocumentHover:
		var p positionParams
		if err := decodeParams(method, params, &p); err != nil {
			return nil, err
		}
		return s.hover(ctx, &p)
	case protocol.MethodWorkspaceExecuteCommand:
		var p executeCommandParams
		if err := decodeParams(method, params, &p); err != nil {
			return nil, err
		}
		return s.executeCommand(ctx, &p)
	case protocol.MethodWorkspaceDidChangeConfiguration:
		var p didChangeConfigurationParams
		if err := decodeParams(method, params, &p); err != nil {
			return nil, err
		}
		return nil, s.didChangeConfiguration(&p)
	}
	if strings.HasPrefix(method, "brummer/") {
		return s.request(ctx, method, params)
	}
	return s.unimplemented(method, req.IsCall())
}
