package lsp

import (
	"context"
	"strings"

	"github.com/brummer-dev/brummer/core"
	"github.com/brummer-dev/brummer/logstore"
	"github.com/brummer-dev/brummer/logstore/detect"
	"github.com/brummer-dev/brummer/proxy"
	"go.lsp.dev/jsonrpc2"
)

// Methods answered by request (brummer/*).
var brummerMethods = []string{
	"brummer/scripts", "brummer/processes", "brummer/logs", "brummer/problems",
	"brummer/urls", "brummer/requests", "brummer/stats", "brummer/subscribeLogs",
}

type logsParams struct {
	ProcessID string `json:"processId"`
	AfterSeq  uint64 `json:"afterSeq"`
	Limit     int    `json:"limit"`
	Level     string `json:"level"`
	Query     string `json:"query"`
	// Tail asks for the newest Limit matches (still oldest first): what a
	// log view opens with.
	Tail bool `json:"tail"`
}

type logsResult struct {
	Entries []wireLogEntry `json:"entries"`
	LastSeq uint64         `json:"lastSeq"`
	Dropped uint64         `json:"dropped"`
}

type problemItem struct {
	ProcessID  string         `json:"processId"`
	URI        string         `json:"uri"`
	Diagnostic wireDiagnostic `json:"diagnostic"`
}

type subscribeLogsParams struct {
	ProcessID *string `json:"processId"`
	Enabled   *bool   `json:"enabled"`
}

// Stats is the answer of brummer/stats: the core's health plus the outbox.
type Stats struct {
	core.Stats
	Outbox OutboxStats `json:"outbox"`
}

func (s *Server) request(_ context.Context, method string, raw []byte) (any, error) {
	app := s.application()
	switch method {
	case "brummer/scripts":
		out := []wireScript{}
		for _, sc := range app.Scripts() {
			out = append(out, toWireScript(sc))
		}
		return out, nil
	case "brummer/processes":
		return toWireProcesses(app.Processes()), nil
	case "brummer/logs":
		var p logsParams
		if err := decodeParams(method, raw, &p); err != nil {
			return nil, err
		}
		q := logstore.Query{ProcessID: p.ProcessID, AfterSeq: p.AfterSeq, Limit: p.Limit, Text: p.Query, Tail: p.Tail}
		if q.Limit <= 0 {
			q.Limit = 200
		}
		if p.ProcessID != "" {
			if _, ok := app.Process(p.ProcessID); !ok {
				return nil, errorFor(unknownProcess(app, p.ProcessID))
			}
		}
		switch p.Level {
		case "":
		case "info":
			q.Level, q.HasLevel = detect.LevelInfo, true
		case "warn":
			q.Level, q.HasLevel = detect.LevelWarn, true
		case "error":
			q.Level, q.HasLevel = detect.LevelError, true
		default:
			return nil, invalidParams("brummer/logs: field \"level\" must be info, warn or error, not %q", p.Level)
		}
		res, err := app.Logs(q)
		if err != nil {
			return nil, invalidParams("brummer/logs: %v", err)
		}
		return logsResult{Entries: toWireEntries(res.Entries), LastSeq: res.LastSeq, Dropped: res.Dropped}, nil
	case "brummer/problems":
		var p struct {
			ProcessID string `json:"processId"`
		}
		if err := decodeParams(method, raw, &p); err != nil {
			return nil, err
		}
		out := []problemItem{}
		for _, pp := range app.Problems(p.ProcessID) {
			if pp.File == "" {
				continue
			}
			out = append(out, problemItem{pp.ProcessID, fileURI(pp.File), s.diag.convert(pp.ProcessID, pp.Problem)})
		}
		return out, nil
	case "brummer/urls":
		urls := app.URLs()
		if urls == nil {
			urls = []core.URL{}
		}
		return urls, nil
	case "brummer/requests":
		var p struct {
			Limit int `json:"limit"`
		}
		if err := decodeParams(method, raw, &p); err != nil {
			return nil, err
		}
		if p.Limit <= 0 {
			p.Limit = defaultRequestsLimit
		}
		reqs := app.Requests(p.Limit)
		if reqs == nil {
			reqs = []proxy.Request{}
		}
		return reqs, nil
	case "brummer/stats":
		return Stats{Stats: app.Stats(), Outbox: s.out.stats()}, nil
	case "brummer/subscribeLogs":
		var p subscribeLogsParams
		if err := decodeParams(method, raw, &p); err != nil {
			return nil, err
		}
		if p.Enabled == nil {
			return nil, invalidParams("brummer/subscribeLogs: field \"enabled\" is required (true or false)")
		}
		s.mu.Lock()
		if p.ProcessID == nil {
			s.logSubsAll = *p.Enabled
			if !*p.Enabled {
				clear(s.logSubs)
			}
		} else if *p.Enabled {
			s.logSubs[*p.ProcessID] = true
		} else {
			delete(s.logSubs, *p.ProcessID)
		}
		s.mu.Unlock()
		return nil, nil
	}
	return nil, jsonrpc2.Errorf(jsonrpc2.MethodNotFound, "method %q not found: the brummer methods are %s", method, strings.Join(brummerMethods, ", "))
}

func unknownProcess(app App, id string) error {
	var ids []string
	for _, p := range app.Processes() {
		ids = append(ids, p.ID)
	}
	known := "there are none"
	if len(ids) > 0 {
		known = "known: " + strings.Join(ids, ", ")
	}
	return &wrapped{core.ErrUnknownProcess, "core: unknown process \"" + id + "\" (" + known + ")"}
}

type wrapped struct {
	err error
	msg string
}

func (w *wrapped) Error() string { return w.msg }
func (w *wrapped) Unwrap() error { return w.err }

// defaultRequestsLimit is brummer/requests' page when the client names none.
const defaultRequestsLimit = 200
