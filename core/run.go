package core

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"

	"github.com/brummer-dev/brummer/logstore"
	"github.com/brummer-dev/brummer/procmgr"
)

// Run starts a script declared in the manifest of dir ("" = the first
// root). Only declared scripts run: the command line always comes from the
// manifest on disk.
func (a *App) Run(ctx context.Context, script, dir string) (Process, error) {
	s, err := a.lookupScript(script, dir)
	if err != nil {
		return Process{}, err
	}
	if _, err := lookManager(s.PackageManager); err != nil {
		return Process{}, fmt.Errorf("running %q in %s: %w", script, s.Dir, err)
	}
	key := s.Dir + "\x00" + s.Name

	spec := &procmgr.Spec{
		Script:  s.Name,
		Dir:     s.Dir,
		Command: s.Command,
		Argv:    runArgv(s.PackageManager, s.Name),
		Env:     sortedEnv(a.Config().Env),
	}
	a.procMu.Lock()
	if a.closing {
		a.procMu.Unlock()
		return Process{}, ErrClosed
	}
	if a.starting[key] != nil {
		a.procMu.Unlock()
		return Process{}, fmt.Errorf("%w: %q in %s is being started", ErrAlreadyRunning, script, s.Dir)
	}
	// While marked, output of the new process (which may come before Start
	// returns its id) finds its spec here.
	a.starting[key] = spec
	// Added before Start so that Close, which waits for the waiters, cannot
	// miss a process that starts while it closes.
	a.waiters.Add(1)
	a.pruneLocked()
	a.procMu.Unlock()
	waiterStarted := false
	defer func() {
		a.procMu.Lock()
		delete(a.starting, key)
		a.procMu.Unlock()
		if !waiterStarted {
			a.waiters.Done()
		}
	}()

	// Checked after marking the key, so two concurrent Runs cannot both pass.
	for _, p := range a.mgr.List() {
		if p.Script != s.Name || p.Dir != s.Dir {
			continue
		}
		if p.Status.Active() {
			return a.process(p), fmt.Errorf("%w: %q in %s is process %s (%s); stop or restart it", ErrAlreadyRunning, script, s.Dir, p.ID, p.Status)
		}
		// Diagnostics of an earlier run are replaced by this one's.
		a.store.ClearProblems(p.ID)
	}

	snap, startErr := a.mgr.Start(ctx, *spec)
	st := a.state(snap.ID)
	if st != nil {
		a.ensureRegistered(snap.ID, st)
		if done, ok := a.mgr.Done(snap.ID); ok {
			waiterStarted = true
			go a.awaitEnd(snap.ID, st, done)
		}
	}
	if startErr != nil {
		return a.process(snap), fmt.Errorf("starting %q in %s: %w", script, s.Dir, startErr)
	}
	return a.process(snap), nil
}

// lookupScript resolves dir and finds the script in its manifest, or says
// what exists.
func (a *App) lookupScript(script, dir string) (Script, error) {
	if dir == "" {
		dir = a.roots[0]
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return Script{}, fmt.Errorf("directory %q: %w", dir, err)
	}
	inside := false
	for _, r := range a.roots {
		inside = inside || isInside(r, abs)
	}
	if !inside {
		return Script{}, fmt.Errorf("%w: %s is not inside %s", ErrOutsideRoots, abs, strings.Join(a.roots, ", "))
	}
	var dirs []string
	for _, m := range a.Manifests() {
		if m.Dir != abs {
			dirs = append(dirs, m.Dir)
			continue
		}
		if m.Err != nil {
			return Script{}, fmt.Errorf("cannot run %q: %w", script, m.Err)
		}
		var names []string
		for _, s := range m.Scripts {
			if s.Name == script {
				return s, nil
			}
			names = append(names, s.Name)
		}
		avail := "it has no scripts"
		if len(names) > 0 {
			avail = "available: " + strings.Join(names, ", ")
		}
		return Script{}, fmt.Errorf("%w %q in %s (%s)", ErrUnknownScript, script, m.Path, avail)
	}
	known := "none"
	if len(dirs) > 0 {
		known = strings.Join(dirs, ", ")
	}
	return Script{}, fmt.Errorf("%w %q: no package.json of the workspace in %s (packages: %s)", ErrUnknownScript, script, abs, known)
}

// Stop stops the process tree and answers when it is gone and its last
// lines are stored.
func (a *App) Stop(ctx context.Context, id string) (Process, error) {
	if _, ok := a.mgr.Get(id); !ok {
		return Process{}, a.unknown(id)
	}
	if _, err := a.mgr.Stop(ctx, id); err != nil {
		return Process{}, fmt.Errorf("stopping %s: %w", id, err)
	}
	if err := a.waitFinished(ctx, id); err != nil {
		return Process{}, err
	}
	p, _ := a.Process(id)
	return p, nil
}

// Restart stops the process if it runs and starts its script again; the
// answer is the new process.
func (a *App) Restart(ctx context.Context, id string) (Process, error) {
	snap, ok := a.mgr.Get(id)
	if !ok {
		return Process{}, a.unknown(id)
	}
	if snap.Status.Active() {
		if _, err := a.Stop(ctx, id); err != nil {
			return Process{}, err
		}
	}
	return a.Run(ctx, snap.Script, snap.Dir)
}

// StopAll stops every running process.
func (a *App) StopAll(ctx context.Context) error {
	var ids []string
	for _, p := range a.mgr.List() {
		if p.Status.Active() {
			ids = append(ids, p.ID)
		}
	}
	if err := a.mgr.StopAll(ctx); err != nil {
		return fmt.Errorf("stopping all processes: %w", err)
	}
	for _, id := range ids {
		if err := a.waitFinished(ctx, id); err != nil {
			return err
		}
	}
	return nil
}

// RestartAll restarts every running process, in parallel; the answer lists
// the new processes (those that started).
func (a *App) RestartAll(ctx context.Context) ([]Process, error) {
	var active []procmgr.Snapshot
	for _, p := range a.mgr.List() {
		if p.Status.Active() {
			active = append(active, p)
		}
	}
	if err := a.StopAll(ctx); err != nil {
		return nil, err
	}
	out := make([]Process, len(active))
	errs := make([]error, len(active))
	var wg sync.WaitGroup
	for i, p := range active {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i], errs[i] = a.Run(ctx, p.Script, p.Dir)
		}()
	}
	wg.Wait()
	var started []Process
	var failed []error
	for i := range active {
		if errs[i] != nil {
			failed = append(failed, errs[i])
			continue
		}
		started = append(started, out[i])
	}
	if len(failed) > 0 {
		return started, fmt.Errorf("restarting: %w", errors.Join(failed...))
	}
	return started, nil
}

// Wait blocks until the process has ended and its last lines and problems
// are stored, or ctx ends.
func (a *App) Wait(ctx context.Context, id string) (Process, error) {
	if _, ok := a.mgr.Get(id); !ok {
		return Process{}, a.unknown(id)
	}
	if err := a.waitFinished(ctx, id); err != nil {
		return Process{}, err
	}
	p, _ := a.Process(id)
	return p, nil
}

func (a *App) waitFinished(ctx context.Context, id string) error {
	// state, not the map alone: a process Run is still starting has no
	// record yet, and state makes the one Run will find.
	st := a.state(id)
	if st == nil {
		return nil // forgotten by procmgr: it ended long ago
	}
	select {
	case <-st.finished:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("waiting for %s to end: %w", id, ctx.Err())
	}
}

// ClearLogs drops the stored lines and problems of process id, or of every
// process when id is "".
func (a *App) ClearLogs(id string) error {
	if id != "" {
		if _, ok := a.mgr.Get(id); !ok {
			return a.unknown(id)
		}
	}
	a.store.Clear(id)
	return nil
}

// Process returns one process.
func (a *App) Process(id string) (Process, bool) {
	s, ok := a.mgr.Get(id)
	if !ok {
		return Process{}, false
	}
	return a.process(s), true
}

// Processes returns every process, newest first.
func (a *App) Processes() []Process {
	list := a.mgr.List()
	out := make([]Process, len(list))
	for i, s := range list {
		out[i] = a.process(s)
	}
	return out
}

// Logs queries the log store.
func (a *App) Logs(q logstore.Query) (logstore.Result, error) {
	return a.store.Query(q)
}

// LogRange returns the stored lines of a LinesAppended batch (see
// logstore.Store.Range).
func (a *App) LogRange(processID string, from, to uint64, max int) []logstore.Entry {
	return a.store.Range(processID, from, to, max)
}

// Problems returns the current problems of process id, or of every process
// (newest first) when id is "".
func (a *App) Problems(id string) []ProcessProblem {
	var list []procmgr.Snapshot
	if id == "" {
		list = a.mgr.List()
	} else if s, ok := a.mgr.Get(id); ok {
		list = []procmgr.Snapshot{s}
	}
	var out []ProcessProblem
	for _, s := range list {
		for _, p := range a.store.Problems(s.ID) {
			out = append(out, ProcessProblem{ProcessID: s.ID, Script: s.Script, Problem: p})
		}
	}
	return out
}

// URLs served by running processes.
func (a *App) URLs() []URL {
	var out []URL
	for _, s := range a.mgr.List() {
		if s.Status.Active() {
			out = append(out, a.process(s).URLs...)
		}
	}
	return out
}

func (a *App) unknown(id string) error {
	var ids []string
	for _, p := range a.mgr.List() {
		ids = append(ids, p.ID)
	}
	known := "there are none"
	if len(ids) > 0 {
		known = "known: " + strings.Join(ids, ", ")
	}
	return fmt.Errorf("%w %q (%s)", ErrUnknownProcess, id, known)
}
