package procmgr

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/brummer-dev/brummer/eventbus"
	"go.uber.org/zap"
)

// Defaults for the zero values of Config.
const (
	DefaultMaxConcurrentStarts = 10
	DefaultStopGrace           = 5 * time.Second
	DefaultMaxLineBytes        = 65536
	DefaultMaxEnded            = 500
)

// Manager starts, watches and stops script processes.
type Manager struct {
	cfg  Config
	pub  eventbus.Publisher
	sink Sink
	log  *zap.Logger
	// supervised: scripts run under a supervisor (MaybeSupervise was called).
	supervised bool
	// launchHook, when set (tests), runs while a start holds its slot.
	launchHook func()

	startSem chan struct{} // bounds starts (and parallel stops) in flight
	wg       sync.WaitGroup

	// mu guards the fields below it. Lock order: mu is the only lock of the
	// package; nothing is published or called back while it is held.
	mu     sync.RWMutex
	procs  map[string]*proc
	order  []*proc // start order, oldest first
	nextID uint64
	closed bool
}

// New returns a manager. pub may be nil (no events); sink may be nil
// (output is read and discarded, so children never block on a full pipe).
func New(cfg Config, pub eventbus.Publisher, sink Sink, log *zap.Logger) *Manager {
	if cfg.MaxConcurrentStarts <= 0 {
		cfg.MaxConcurrentStarts = DefaultMaxConcurrentStarts
	}
	if cfg.StopGrace <= 0 {
		cfg.StopGrace = DefaultStopGrace
	}
	if cfg.MaxLineBytes <= 0 {
		cfg.MaxLineBytes = DefaultMaxLineBytes
	}
	if cfg.MaxEnded <= 0 {
		cfg.MaxEnded = DefaultMaxEnded
	}
	if log == nil {
		log = zap.NewNop()
	}
	if sink == nil {
		sink = discardSink{}
	}
	return &Manager{
		cfg: cfg, pub: pub, sink: sink, log: log,
		supervised: supervisorEnabled.Load(),
		startSem:   make(chan struct{}, cfg.MaxConcurrentStarts),
		procs:      map[string]*proc{},
	}
}

type discardSink struct{}

func (discardSink) Append(string, Stream, []Line) {}

// Start starts spec and returns once the child runs (its pid is known) or
// could not start; in that case the process is kept with status Failed and
// the error says why.
func (m *Manager) Start(ctx context.Context, spec Spec) (Snapshot, error) {
	if len(spec.Argv) == 0 || spec.Argv[0] == "" {
		return Snapshot{}, fmt.Errorf("starting %q: empty command: give Spec.Argv, e.g. [\"npm\", \"run\", %q]", spec.Script, spec.Script)
	}
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return Snapshot{}, fmt.Errorf("starting %q: %w", spec.Script, ErrClosed)
	}
	m.nextID++
	p := newProc("p"+strconv.FormatUint(m.nextID, 10), spec)
	m.procs[p.id] = p
	m.order = append(m.order, p)
	m.pruneLocked()
	m.wg.Add(1) // released when p is done: Close waits for it
	m.mu.Unlock()
	m.publish(p)

	select {
	case m.startSem <- struct{}{}:
	case <-ctx.Done():
		return m.failStart(p, ctx.Err())
	case <-p.stopReq:
		return m.stoppedBeforeStart(p)
	}
	defer func() { <-m.startSem }()
	if p.stopRequested() {
		return m.stoppedBeforeStart(p)
	}

	if m.launchHook != nil {
		m.launchHook()
	}
	env := append(os.Environ(), spec.Env...)
	path, err := resolve(spec.Argv[0], spec.Dir, env)
	if err != nil {
		return m.failStart(p, err)
	}
	outR, outW, err := outputPipe()
	if err != nil {
		return m.failStart(p, err)
	}
	errR, errW, err := outputPipe()
	if err != nil {
		outR.Close()
		outW.Close()
		return m.failStart(p, err)
	}
	c, err := launch(spec, path, env, outW, errW, m.cfg.StopGrace, m.supervised)
	// The child has its own copies; ours must go or EOF never comes.
	outW.Close()
	errW.Close()
	if err != nil {
		outR.Close()
		errR.Close()
		return m.failStart(p, err)
	}
	p.pid.Store(int64(c.pid))
	p.started.Store(time.Now().UnixNano())
	p.status.Store(int32(Running))
	m.log.Debug("process started", zap.String("id", p.id), zap.Int("pid", c.pid), zap.Strings("argv", spec.Argv))
	m.publish(p)
	snap := p.snapshot()

	readers := &sync.WaitGroup{}
	readers.Add(2)
	for _, s := range []struct {
		f  outputReader
		st Stream
	}{{outR, Stdout}, {errR, Stderr}} {
		r := newLineReader(p.id, s.st, m.sink, m.cfg.MaxLineBytes)
		go func(f outputReader) {
			defer readers.Done()
			r.run(f)
		}(s.f)
	}
	go m.watch(p, c, readers, outR, errR)
	return snap, nil
}

func (m *Manager) failStart(p *proc, err error) (Snapshot, error) {
	p.finish(Failed, 0, false)
	m.publish(p)
	close(p.done)
	m.wg.Done()
	m.log.Info("process failed to start", zap.String("id", p.id), zap.Strings("argv", p.spec.Argv), zap.Error(err))
	return p.snapshot(), fmt.Errorf("starting %q: %w", p.spec.Argv[0], err)
}

// stoppedBeforeStart ends a process that Stop or Close reached while it
// waited for a start slot.
func (m *Manager) stoppedBeforeStart(p *proc) (Snapshot, error) {
	p.finish(Stopped, 0, false)
	m.publish(p)
	close(p.done)
	m.wg.Done()
	return p.snapshot(), nil
}

// pruneLocked forgets the oldest ended processes beyond MaxEnded, so the
// map does not grow with every restart of a long session.
func (m *Manager) pruneLocked() {
	ended := 0
	for _, p := range m.order {
		if !Status(p.status.Load()).Active() {
			ended++
		}
	}
	if ended <= m.cfg.MaxEnded {
		return
	}
	kept := m.order[:0]
	for _, p := range m.order {
		if ended > m.cfg.MaxEnded && !Status(p.status.Load()).Active() {
			delete(m.procs, p.id)
			ended--
			continue
		}
		kept = append(kept, p)
	}
	clear(m.order[len(kept):])
	m.order = kept
}

func (m *Manager) publish(p *proc) {
	if m.pub == nil {
		return
	}
	err := m.pub.Publish(eventbus.Event{
		Topic:    TopicProcessChanged,
		Key:      p.id,
		Priority: eventbus.High,
		Payload:  ProcessChanged{Process: p.snapshot()},
	})
	if err != nil {
		m.log.Debug("publishing process change", zap.String("id", p.id), zap.Error(err))
	}
}

func (m *Manager) lookup(id string) (*proc, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	p, ok := m.procs[id]
	return p, ok
}

func unknown(verb, id string) error {
	return fmt.Errorf("%s %q: %w (ids come from Start or List)", verb, id, ErrUnknownProcess)
}

// Stop sends SIGTERM to the process group (and to descendants that left
// it), SIGKILL after StopGrace, and returns when every member is gone and
// the output is delivered. Stopping an ended process returns its snapshot.
func (m *Manager) Stop(ctx context.Context, id string) (Snapshot, error) {
	p, ok := m.lookup(id)
	if !ok {
		return Snapshot{}, unknown("stopping", id)
	}
	p.requestStop()
	select {
	case <-p.done:
		return p.snapshot(), nil
	case <-ctx.Done():
		// The stop goes on: SIGKILL follows the grace period regardless.
		return p.snapshot(), fmt.Errorf("stopping %q: %w", id, ctx.Err())
	}
}

// Restart stops id and starts its Spec again under a new id.
func (m *Manager) Restart(ctx context.Context, id string) (Snapshot, error) {
	p, ok := m.lookup(id)
	if !ok {
		return Snapshot{}, unknown("restarting", id)
	}
	if _, err := m.Stop(ctx, id); err != nil {
		return Snapshot{}, fmt.Errorf("restarting %q: %w", id, err)
	}
	return m.Start(ctx, p.spec)
}

// active returns the processes not ended yet, oldest first.
func (m *Manager) active() []*proc {
	m.mu.RLock()
	defer m.mu.RUnlock()
	var ps []*proc
	for _, p := range m.order {
		if Status(p.status.Load()).Active() {
			ps = append(ps, p)
		}
	}
	return ps
}

// parallel runs f for each process, at most MaxConcurrentStarts at a time.
func (m *Manager) parallel(ps []*proc, f func(i int, p *proc) error) error {
	sem := make(chan struct{}, m.cfg.MaxConcurrentStarts)
	errs := make([]error, len(ps))
	var wg sync.WaitGroup
	for i, p := range ps {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			errs[i] = f(i, p)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// StopAll stops every active process, in parallel (bounded).
func (m *Manager) StopAll(ctx context.Context) error {
	return m.parallel(m.active(), func(_ int, p *proc) error {
		_, err := m.Stop(ctx, p.id)
		return err
	})
}

// RestartAll restarts every active process, in parallel (bounded), and
// returns the new snapshots in the order the processes were started.
func (m *Manager) RestartAll(ctx context.Context) ([]Snapshot, error) {
	ps := m.active()
	out := make([]Snapshot, len(ps))
	err := m.parallel(ps, func(i int, p *proc) error {
		s, err := m.Restart(ctx, p.id)
		out[i] = s
		return err
	})
	return out, err
}

// Get returns a snapshot of id.
func (m *Manager) Get(id string) (Snapshot, bool) {
	p, ok := m.lookup(id)
	if !ok {
		return Snapshot{}, false
	}
	return p.snapshot(), true
}

// List returns every known process, newest first.
func (m *Manager) List() []Snapshot {
	m.mu.RLock()
	ps := append([]*proc(nil), m.order...)
	m.mu.RUnlock()
	out := make([]Snapshot, 0, len(ps))
	for i := len(ps) - 1; i >= 0; i-- {
		out = append(out, ps[i].snapshot())
	}
	return out
}

// Done returns a channel closed when id has ended and all its output was
// handed to the Sink.
func (m *Manager) Done(id string) (<-chan struct{}, bool) {
	p, ok := m.lookup(id)
	if !ok {
		return nil, false
	}
	return p.done, true
}

// Close stops every process and waits until they are gone; Start fails
// with ErrClosed afterwards. Idempotent.
func (m *Manager) Close(ctx context.Context) error {
	m.mu.Lock()
	m.closed = true
	ps := append([]*proc(nil), m.order...)
	m.mu.Unlock()
	for _, p := range ps {
		p.requestStop()
	}
	err := m.StopAll(ctx)
	finished := make(chan struct{})
	go func() { m.wg.Wait(); close(finished) }()
	select {
	case <-finished:
		return err
	case <-ctx.Done():
		return errors.Join(err, fmt.Errorf("closing process manager: %w", ctx.Err()))
	}
}
