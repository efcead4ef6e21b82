package core

import (
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/brummer-dev/brummer/eventbus"
	"github.com/brummer-dev/brummer/logstore"
	"github.com/brummer-dev/brummer/logstore/detect"
	"github.com/brummer-dev/brummer/procmgr"
)

// maxURLsPerProcess bounds what one process's output can make us remember.
const maxURLsPerProcess = 16

// procState is what core adds to a procmgr process.
type procState struct {
	script, dir string
	command     string // as written in the manifest
	argv        []string
	registered  sync.Once         // logstore.Register + the start line, before any output
	finished    chan struct{}     // closed after the exit line and logstore.End
	urls        []string          // guarded by App.procMu
	proxies     map[string]string // url -> proxy url; guarded by App.procMu
}

// sink hands procmgr's lines to the log store (and the Output hook).
type sink struct{ a *App }

func (s sink) Append(id string, stream procmgr.Stream, lines []procmgr.Line) {
	st := s.a.state(id)
	if st == nil {
		return
	}
	s.a.ensureRegistered(id, st)
	bp := lineBufs.Get().(*[]logstore.Line)
	out := (*bp)[:0]
	for _, l := range lines {
		out = append(out, logstore.Line{Text: l.Text, Time: l.Time})
	}
	ls := logstore.Stdout
	if stream == procmgr.Stderr {
		ls = logstore.Stderr
	}
	s.a.appendLines(id, st, ls, out)
	// The store and the Output hook keep no reference to the slice.
	clear(out)
	*bp = out[:0]
	lineBufs.Put(bp)
}

// lineBufs are the batches sink hands on, one per reader at a time.
var lineBufs = sync.Pool{New: func() any { return new([]logstore.Line) }}

func (a *App) appendLines(id string, st *procState, stream logstore.Stream, lines []logstore.Line) {
	a.store.Append(id, stream, lines)
	if a.output != nil {
		a.output(ProcessRef{ID: id, Script: st.script, Dir: st.dir}, stream, lines)
	}
}

func (a *App) systemLine(id string, st *procState, text string) {
	a.appendLines(id, st, logstore.System, []logstore.Line{{Text: text, Time: time.Now()}})
}

// state finds or creates the record of process id. Output can arrive
// before procmgr.Start returns the id to Run; procmgr knows the process by
// then, and Run's spec waits in a.starting under its script and dir.
func (a *App) state(id string) *procState {
	if id == "" {
		return nil
	}
	a.procMu.Lock()
	st := a.procs[id]
	a.procMu.Unlock()
	if st != nil {
		return st
	}
	snap, ok := a.mgr.Get(id)
	if !ok {
		return nil
	}
	a.procMu.Lock()
	defer a.procMu.Unlock()
	if st = a.procs[id]; st == nil {
		spec := procmgr.Spec{Script: snap.Script, Dir: snap.Dir}
		if pending := a.starting[snap.Dir+"\x00"+snap.Script]; pending != nil {
			spec = *pending
		}
		st = newProcState(spec)
		a.procs[id] = st
	}
	return st
}

// pruneLocked forgets finished processes that procmgr forgot, so the map
// stays as bounded as procmgr's.
func (a *App) pruneLocked() {
	if len(a.procs) < 64 {
		return
	}
	for id, st := range a.procs {
		select {
		case <-st.finished:
			if _, ok := a.mgr.Get(id); !ok {
				delete(a.procs, id)
			}
		default:
		}
	}
}

func newProcState(spec procmgr.Spec) *procState {
	return &procState{script: spec.Script, dir: spec.Dir, command: spec.Command, argv: spec.Argv, finished: make(chan struct{})}
}

func (a *App) ensureRegistered(id string, st *procState) {
	st.registered.Do(func() {
		a.store.Register(logstore.Process{ID: id, Script: st.script, Dir: st.dir, Command: st.command, Roots: a.Roots()})
		a.systemLine(id, st, "> "+strings.Join(st.argv, " "))
	})
}

// awaitEnd runs on a goroutine per process: once procmgr has delivered all
// output, it says how the process ended and flushes pending problems.
func (a *App) awaitEnd(id string, st *procState, done <-chan struct{}) {
	defer a.waiters.Done()
	<-done
	a.ensureRegistered(id, st)
	if snap, ok := a.mgr.Get(id); ok {
		a.systemLine(id, st, exitText(snap))
	}
	a.store.End(id)
	if a.proxy != nil {
		a.proxy.CloseProcess(id)
	}
	close(st.finished)
}

func exitText(s procmgr.Snapshot) string {
	switch {
	case s.Status == procmgr.Stopped:
		return "stopped"
	case s.ExitCode != nil:
		return "exited with code " + strconv.Itoa(*s.ExitCode)
	}
	return "failed"
}

// onURL remembers the URLs a process printed.
func (a *App) onURL(e eventbus.Event) {
	u, ok := e.Payload.(logstore.URLDetected)
	if !ok {
		return
	}
	a.procMu.Lock()
	defer a.procMu.Unlock()
	st := a.procs[u.ProcessID]
	if st == nil || len(st.urls) >= maxURLsPerProcess || slices.Contains(st.urls, u.URL) {
		return
	}
	st.urls = append(st.urls, u.URL)
}

// process builds the client view of a snapshot.
func (a *App) process(s procmgr.Snapshot) Process {
	p := Process{Snapshot: s}
	for _, pr := range a.store.Problems(s.ID) {
		switch pr.Severity {
		case detect.Error:
			p.Errors++
		case detect.Warning:
			p.Warnings++
		}
	}
	a.procMu.Lock()
	if st := a.procs[s.ID]; st != nil {
		for _, u := range st.urls {
			p.URLs = append(p.URLs, URL{URL: u, ProxyURL: st.proxies[u], ProcessID: s.ID, Script: s.Script})
		}
	}
	a.procMu.Unlock()
	return p
}

func msDuration(ms int) time.Duration { return time.Duration(ms) * time.Millisecond }
