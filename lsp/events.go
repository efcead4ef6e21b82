package lsp

import (
	"github.com/brummer-dev/brummer/core"
	"github.com/brummer-dev/brummer/eventbus"
	"github.com/brummer-dev/brummer/logstore"
	"github.com/brummer-dev/brummer/procmgr"
	"github.com/brummer-dev/brummer/proxy"
	"go.uber.org/zap"
)

// subscribe connects the bus to the outbox. The handlers run on bus
// workers: they update server state and enqueue, never wait on the client.
func (s *Server) subscribe(app App) {
	bus := app.Bus()
	unsub := []func(){
		bus.Subscribe(procmgr.TopicProcessChanged, s.onProcessChanged),
		bus.Subscribe(logstore.TopicProblemsChanged, s.onProblemsChanged),
		bus.Subscribe(logstore.TopicURLDetected, s.onURL),
		bus.Subscribe(proxy.TopicProxyReady, s.onURL),
		bus.Subscribe(logstore.TopicLinesAppended, s.onLines),
		bus.Subscribe(core.TopicWorkspaceChanged, s.onWorkspaceChanged),
	}
	s.mu.Lock()
	s.unsub = append(s.unsub, unsub...)
	s.mu.Unlock()
}

func (s *Server) onProcessChanged(eventbus.Event) {
	s.out.processesChanged()
	// A process that ends takes its URLs with it.
	s.out.urlsChanged()
	s.out.lensChanged()
}

func (s *Server) onProblemsChanged(e eventbus.Event) {
	pc, ok := e.Payload.(logstore.ProblemsChanged)
	if !ok {
		return
	}
	s.diag.onProblems(pc)
	// Counts show in the process snapshots and the lens titles.
	s.out.processesChanged()
	s.out.lensChanged()
}

func (s *Server) onURL(eventbus.Event) {
	s.out.urlsChanged()
	s.out.processesChanged()
	s.out.lensChanged()
}

func (s *Server) onLines(e eventbus.Event) {
	la, ok := e.Payload.(logstore.LinesAppended)
	if !ok || la.To < la.From {
		return
	}
	s.mu.Lock()
	want := s.logSubsAll || s.logSubs[la.ProcessID]
	app := s.app
	s.mu.Unlock()
	if !want || app == nil {
		return
	}
	// The newest maxBatchEntries lines of the batch, copied now (the ring
	// moves on); the rest, and what the ring already overwrote, count as
	// dropped.
	entries := app.LogRange(la.ProcessID, la.From, la.To, maxBatchEntries)
	missing := la.Count - len(entries)
	if missing > 0 {
		entries = detach(entries)
	}
	s.out.logBatch(la.ProcessID, entries, missing)
}

func (s *Server) onWorkspaceChanged(e eventbus.Event) {
	wc, _ := e.Payload.(core.WorkspaceChanged)
	s.log.Debug("workspace changed", zap.Strings("paths", wc.Paths), zap.Bool("config", wc.ConfigChange))
	if wc.ConfigChange {
		if app := s.application(); app != nil {
			s.applyLimits(app.Config())
		}
	}
	s.out.lensChanged()
}
