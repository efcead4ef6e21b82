package lsp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/url"
	"strings"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.uber.org/zap"
)

type executeCommandParams struct {
	Command   string            `json:"command"`
	Arguments []json.RawMessage `json:"arguments"`
}

// showDocumentTimeout bounds how long the server waits for the client to
// answer window/showDocument.
const showDocumentTimeout = 30 * time.Second

// executeCommand runs a brummer.* command and answers once it took effect:
// the Process for run/stop/restart (and clearLogs with an id), else null.
func (s *Server) executeCommand(ctx context.Context, p *executeCommandParams) (any, error) {
	app := s.application()
	if len(p.Arguments) > 1 {
		return nil, invalidParams("%s takes one argument object, got %d arguments", p.Command, len(p.Arguments))
	}
	var arg json.RawMessage
	if len(p.Arguments) == 1 {
		arg = p.Arguments[0]
	}
	switch p.Command {
	case "brummer.run":
		var a struct {
			Script string `json:"script"`
			Dir    string `json:"dir"`
		}
		if err := decodeArg(p.Command, arg, &a); err != nil {
			return nil, err
		}
		if a.Script == "" {
			return nil, invalidParams("brummer.run: the argument needs \"script\" (one of the scripts brummer/scripts lists)")
		}
		proc, err := app.Run(ctx, a.Script, a.Dir)
		if err != nil {
			return nil, errorFor(err)
		}
		return toWireProcess(proc), nil
	case "brummer.stop", "brummer.restart":
		var a idArg
		if err := decodeArg(p.Command, arg, &a); err != nil {
			return nil, err
		}
		if a.ID == "" {
			return nil, invalidParams("%s: the argument needs \"id\" (a process id from brummer/processes)", p.Command)
		}
		stop := app.Stop
		if p.Command == "brummer.restart" {
			stop = app.Restart
		}
		proc, err := stop(ctx, a.ID)
		if err != nil {
			return nil, errorFor(err)
		}
		return toWireProcess(proc), nil
	case "brummer.stopAll", "brummer.restartAll":
		var a struct{}
		if err := decodeArg(p.Command, arg, &a); err != nil {
			return nil, err
		}
		var err error
		if p.Command == "brummer.stopAll" {
			err = app.StopAll(ctx)
		} else {
			_, err = app.RestartAll(ctx)
		}
		return nil, errorFor(err)
	case "brummer.clearLogs":
		var a idArg
		if err := decodeArg(p.Command, arg, &a); err != nil {
			return nil, err
		}
		if err := app.ClearLogs(a.ID); err != nil {
			return nil, errorFor(err)
		}
		s.diag.clear(a.ID)
		if a.ID == "" {
			return nil, nil
		}
		proc, _ := app.Process(a.ID)
		return toWireProcess(proc), nil
	case "brummer.openUrl":
		var a urlArg
		if err := decodeArg(p.Command, arg, &a); err != nil {
			return nil, err
		}
		u, err := url.Parse(a.URL)
		if a.URL == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			return nil, invalidParams("brummer.openUrl: \"url\" must be an http:// or https:// URL, got %q", a.URL)
		}
		s.showDocument(a.URL)
		return nil, nil
	}
	return nil, invalidParams("unknown command %q: the commands are %s", p.Command, strings.Join(Commands, ", "))
}

// decodeArg decodes a command's argument object strictly: an unknown field
// is named, since it is usually a typo.
func decodeArg(command string, raw json.RawMessage, v any) error {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil
	}
	if raw[0] != '{' {
		return invalidParams("%s: the argument must be an object, got %s", command, truncate(string(raw), 40))
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil && !errors.Is(err, io.EOF) {
		if strings.HasPrefix(err.Error(), "json: unknown field ") {
			return invalidParams("%s: %s", command, strings.TrimPrefix(err.Error(), "json: "))
		}
		return paramsError(command, err)
	}
	return nil
}

// showDocument asks the client to open url in the browser. It is a request
// to the client, so it runs on its own goroutine, never the read loop, and
// the command does not wait for the browser.
func (s *Server) showDocument(u string) {
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		ctx, cancel := context.WithTimeout(s.bgCtx, showDocumentTimeout)
		defer cancel()
		var res json.RawMessage
		params := map[string]any{"uri": u, "external": true}
		if _, err := s.conn.Call(ctx, "window/showDocument", params, (*jsonrpc2.RawMessage)(&res)); err != nil {
			s.log.Info("window/showDocument", zap.String("url", u), zap.Error(err))
		}
	}()
}
