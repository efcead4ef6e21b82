package logstore

import (
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/brummer-dev/brummer/eventbus"
	"github.com/brummer-dev/brummer/logstore/detect"
	"go.uber.org/zap"
)

// Defaults of Config.
const (
	DefaultMaxEntries  = 10000
	DefaultMaxBytes    = 64 << 20
	DefaultQuietFlush  = 50 * time.Millisecond
	DefaultMaxProblems = 1000
	DefaultLimit       = 200
)

// ErrInvalidQuery is wrapped by Query errors that come from the query itself.
var ErrInvalidQuery = errors.New("logstore: invalid query")

// Policies returns the backpressure policy of each topic the store
// publishes; core merges them into eventbus.Config.TopicPolicies. None of
// them blocks: Append runs on procmgr's reader goroutines, which must never
// wait on a slow consumer. Problem sets and URLs are small and rare (medium
// queue); log batches are the volume and lose their oldest first (low).
func Policies() map[eventbus.Topic]eventbus.Policy {
	return map[eventbus.Topic]eventbus.Policy{
		TopicProblemsChanged: eventbus.DropOldest,
		TopicURLDetected:     eventbus.DropOldest,
		TopicCycleStarted:    eventbus.DropOldest,
		TopicLinesAppended:   eventbus.DropOldest,
	}
}

// Store is the log store. Create it with New; all methods are safe for
// concurrent use.
//
// Lock order, outermost first: proc.mu (detection of one process), then
// Store.procsMu or Store.mu (never both), then proc.outMu. No lock is held
// while publishing.
type Store struct {
	pub        eventbus.Publisher
	log        *zap.Logger
	quiet      time.Duration
	maxProbs   int
	matchers   []func() detect.Parser
	closed     atomic.Bool
	pubErrors  atomic.Uint64
	newParsers func() []detect.Parser

	procsMu sync.RWMutex
	procs   map[string]*proc

	mu   sync.RWMutex
	ring *ring
}

// New builds a store that publishes on pub (nil: events are discarded).
func New(cfg Config, pub eventbus.Publisher, log *zap.Logger) *Store {
	if log == nil {
		log = zap.NewNop()
	}
	maxEntries, maxBytes := limitsOrDefault(cfg.MaxEntries, cfg.MaxBytes)
	s := &Store{
		pub:      pub,
		log:      log,
		quiet:    cfg.QuietFlush,
		maxProbs: cfg.MaxProblems,
		matchers: cfg.Matchers,
		procs:    map[string]*proc{},
		ring:     newRing(maxEntries, maxBytes),
	}
	if s.quiet <= 0 {
		s.quiet = DefaultQuietFlush
	}
	if s.maxProbs <= 0 {
		s.maxProbs = DefaultMaxProblems
	}
	s.newParsers = func() []detect.Parser {
		// User matchers first: they are the user's explicit wish and
		// would otherwise lose lines to the generic fallback.
		ps := make([]detect.Parser, 0, len(s.matchers)+16)
		for _, m := range s.matchers {
			if p := m(); p != nil {
				ps = append(ps, p)
			}
		}
		return append(ps, detect.BuiltinParsers()...)
	}
	return s
}

func limitsOrDefault(maxEntries int, maxBytes int64) (int, int64) {
	if maxEntries <= 0 {
		maxEntries = DefaultMaxEntries
	}
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	return maxEntries, maxBytes
}

// Register tells the store about a process before its first line: its
// directory and workspace roots decide which paths in its output become
// problems. Registering an id again rebuilds its detector.
func (s *Store) Register(p Process) {
	env := detect.Env{Dir: p.Dir, Roots: p.Roots, AltDirs: detect.ScriptDirs(p.Dir, p.Command)}
	s.procsMu.Lock()
	pr := s.procs[p.ID]
	if pr == nil {
		pr = newProc(s, p.ID, env)
		s.procs[p.ID] = pr
		s.procsMu.Unlock()
		return
	}
	s.procsMu.Unlock()
	pr.mu.Lock()
	pr.env = env
	pr.det = detect.NewDetector(env, s.newParsers())
	pr.mu.Unlock()
}

// procFor returns the state of id, creating it for a process nobody
// registered: its lines are kept, but without a directory and roots no
// path can become a problem.
func (s *Store) procFor(id string) *proc {
	s.procsMu.RLock()
	p := s.procs[id]
	s.procsMu.RUnlock()
	if p != nil {
		return p
	}
	s.procsMu.Lock()
	defer s.procsMu.Unlock()
	if p = s.procs[id]; p == nil {
		s.log.Debug("lines for an unregistered process", zap.String("process", id))
		p = newProc(s, id, detect.Env{})
		s.procs[id] = p
	}
	return p
}

func (s *Store) lookup(id string) *proc {
	s.procsMu.RLock()
	defer s.procsMu.RUnlock()
	return s.procs[id]
}

func (s *Store) allProcs() []*proc {
	s.procsMu.RLock()
	defer s.procsMu.RUnlock()
	ps := make([]*proc, 0, len(s.procs))
	for _, p := range s.procs {
		ps = append(ps, p)
	}
	return ps
}

// Append stores a batch of lines of one stream of a process, runs problem
// and URL detection on them, and publishes what changed. It is the one
// write path; it never waits on readers of the store or on the bus. The
// lines slice is not kept (the strings are).
func (s *Store) Append(processID string, stream Stream, lines []Line) {
	if len(lines) == 0 {
		return
	}
	p := s.procFor(processID)
	p.append(stream, lines)
	p.drain()
}

// End says the process ended: pending multi-line problems are flushed now
// instead of after the quiet time.
func (s *Store) End(processID string) {
	p := s.lookup(processID)
	if p == nil {
		return
	}
	p.flush(true)
	p.drain()
}

// Problems returns a copy of the process's current problems.
func (s *Store) Problems(processID string) []detect.Problem {
	p := s.lookup(processID)
	if p == nil {
		return nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.problemsLocked()
}

// Clear drops the stored lines, problems and seen URLs of a process ("":
// of every process) and publishes an empty problem set for each.
func (s *Store) Clear(processID string) {
	var ps []*proc
	if processID == "" {
		ps = s.allProcs()
		s.mu.Lock()
		s.ring.clearAll()
		s.mu.Unlock()
	} else {
		s.mu.Lock()
		s.ring.clearProc(processID)
		s.mu.Unlock()
		if p := s.lookup(processID); p != nil {
			ps = append(ps, p)
		}
	}
	for _, p := range ps {
		p.reset(true)
		p.drain()
	}
}

// ClearProblems drops a process's problems but keeps its lines (the same
// script starts again) and publishes the empty set.
func (s *Store) ClearProblems(processID string) {
	if p := s.lookup(processID); p != nil {
		p.reset(false)
		p.drain()
	}
}

// Stats returns the store's counters.
func (s *Store) Stats() Stats {
	s.mu.RLock()
	st := Stats{Entries: s.ring.live, Bytes: s.ring.bytes, Dropped: s.ring.dropped, LastSeq: s.ring.lastSeq}
	s.mu.RUnlock()
	st.PublishErrors = s.pubErrors.Load()
	return st
}

// SetLimits changes the bounds of the ring (0 or less: the default).
// Shrinking drops the oldest entries and counts them as dropped.
func (s *Store) SetLimits(maxEntries int, maxBytes int64) {
	maxEntries, maxBytes = limitsOrDefault(maxEntries, maxBytes)
	s.mu.Lock()
	s.ring.setLimits(maxEntries, maxBytes)
	s.mu.Unlock()
}

// Close stops the quiet-time timers. Lines appended afterwards are still
// stored but no longer flushed on quiet time. Idempotent.
func (s *Store) Close() {
	if s.closed.Swap(true) {
		return
	}
	for _, p := range s.allProcs() {
		p.mu.Lock()
		if p.timer != nil {
			p.timer.Stop()
		}
		if p.linesTimer != nil {
			p.linesTimer.Stop()
		}
		p.mu.Unlock()
	}
}

// insert stores a detected batch of one process's stream under the write
// lock (see ring.pushBatch) and returns the Seq of its first and last line.
func (s *Store) insert(id string, stream Stream, lines []Line, levels []detect.Level, now int64) (first, last uint64) {
	s.mu.Lock()
	first, last = s.ring.pushBatch(id, stream, lines, levels, now)
	s.mu.Unlock()
	return first, last
}

// Range returns copies of the stored entries of a process with sequence
// numbers from to to (a LinesAppended batch), the newest max of them when
// max > 0; those already overwritten or cleared are missing.
func (s *Store) Range(processID string, from, to uint64, max int) []Entry {
	if to < from {
		return nil
	}
	s.mu.RLock()
	entries := s.ring.copyRange(nil, processID, from, to, max)
	s.mu.RUnlock()
	settleLevels(entries)
	return entries
}

func (s *Store) publish(e eventbus.Event) {
	if s.pub == nil {
		return
	}
	if err := s.pub.Publish(e); err != nil {
		if s.pubErrors.Add(1) == 1 {
			s.log.Warn("publishing store events", zap.String("topic", string(e.Topic)), zap.Error(err))
		}
	}
}
