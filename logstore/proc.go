package logstore

import (
	"slices"
	"sync"
	"time"

	"github.com/brummer-dev/brummer/eventbus"
	"github.com/brummer-dev/brummer/logstore/detect"
)

// proc is the detection state of one process. procmgr appends from two
// reader goroutines (stdout, stderr) and the quiet timer flushes from a
// third; mu serializes them so each stream's lines reach the detector in
// order and events leave in the order they were derived.
type proc struct {
	s  *Store
	id string

	mu         sync.Mutex
	env        detect.Env
	det        *detect.Detector
	problems   []detect.Problem
	pending    []detect.Problem    // blocks in progress, shown before they end (detect.Pender)
	browser    []detect.Problem    // reported by the process's pages (browser.go)
	urls       map[string]struct{} // origins already announced
	timer      *time.Timer         // quiet flush; created on the first batch
	armed      bool                // timer pending (guarded by mu)
	lastAppend time.Time           // monotonic time of the last batch
	dirty      bool                // lines fed since the last flush
	urlBuf     []string
	levels     []detect.Level // reused by append (guarded by mu)

	// Lines stored and not yet announced (LinesAppended), and when the
	// last announcement went out: see linesEvery.
	linesFrom, linesTo uint64
	linesN             int
	linesAt            time.Time
	linesTimer         *time.Timer
	linesArmed         bool

	// outbox holds derived events until they are published. Whoever finds
	// it idle drains it, outside mu, so no lock is held while publishing and
	// the order of one process's events is kept.
	outMu    sync.Mutex
	outbox   []eventbus.Event
	spare    []eventbus.Event
	draining bool
}

func newProc(s *Store, id string, env detect.Env) *proc {
	return &proc{s: s, id: id, env: env, det: detect.NewDetector(env, s.newParsers())}
}

// linesEvery is how often, at most, a process's LinesAppended goes out:
// each one wakes a bus worker and its subscribers, a thread wakeup that
// cost a program printing as fast as it can a tenth of its ingest when it
// came with every read. Lines that arrive sooner are announced together,
// with the next event of their process or when linesEvery has passed; a
// line after a pause is announced at once.
const linesEvery = 2 * time.Millisecond

// append runs detection over a batch, stores it and queues the events.
func (p *proc) append(stream Stream, lines []Line) {
	var evs [4]eventbus.Event
	events := evs[:0]

	p.mu.Lock()
	// Only the levels are gathered in a reused buffer (no pointers, so no
	// write barriers): the ring takes the rest from lines.
	if cap(p.levels) < len(lines) {
		p.levels = make([]detect.Level, len(lines))
	}
	levels := p.levels[:len(lines)]
	now := time.Now()
	changed, cycle := false, false
	urls := p.urlBuf[:0]
	for i := range lines {
		text := lines[i].Text
		out := p.det.Feed(text)
		if out.CycleStart {
			// out.Problems belong to the cycle that just ended, which the
			// new one replaces: the set starts empty.
			clear(p.problems)
			p.problems = p.problems[:0]
			p.setPendingLocked(nil)
			changed, cycle = true, true
		} else if len(out.Problems) > 0 && p.addProblemsLocked(out.Problems) {
			changed = true
		}
		lvl := out.Level
		if out.CycleStart {
			// The level came from the ending cycle's flushed problems,
			// not from this status line.
			lvl = detect.LevelInfo
		}
		// Detection's level only: the words' level is read with the line
		// (settleLevels).
		levels[i] = lvl
		if out.Scheme {
			urls = findURLs(urls, text)
		}
	}
	p.dirty = true
	p.lastAppend = now
	if p.setPendingLocked(p.det.Pending()) {
		changed = true
	}
	from, to := p.s.insert(p.id, stream, lines, levels, now.UnixNano())

	if cycle {
		events = append(events, p.event(TopicCycleStarted, eventbus.Medium, CycleStarted{ProcessID: p.id}))
	}
	if changed {
		events = append(events, p.problemsEventLocked())
	}
	for _, u := range urls {
		if p.rememberURLLocked(u) {
			events = append(events, p.event(TopicURLDetected, eventbus.Medium, URLDetected{ProcessID: p.id, URL: u}))
		}
	}
	clear(urls)
	p.urlBuf = urls[:0]
	if p.linesN == 0 {
		p.linesFrom = from
	}
	p.linesTo = to
	p.linesN += len(lines)
	if len(events) > 0 || now.Sub(p.linesAt) >= linesEvery || p.s.closed.Load() {
		events = append(events, p.linesEventLocked(now))
	} else {
		p.armLinesLocked(now)
	}
	p.armLocked()
	p.queueLocked(events)
	p.mu.Unlock()
}

// linesEventLocked announces the lines stored since the last
// announcement; linesN > 0.
func (p *proc) linesEventLocked(now time.Time) eventbus.Event {
	la := LinesAppended{ProcessID: p.id, From: p.linesFrom, To: p.linesTo, Count: p.linesN}
	p.linesN, p.linesAt = 0, now
	return p.event(TopicLinesAppended, eventbus.Low, la)
}

// armLinesLocked makes sure the pending lines are announced linesEvery
// after the last announcement.
func (p *proc) armLinesLocked(now time.Time) {
	if p.linesArmed || p.s.closed.Load() {
		return
	}
	p.linesArmed = true
	d := linesEvery - now.Sub(p.linesAt)
	if p.linesTimer == nil {
		p.linesTimer = time.AfterFunc(d, p.onLinesDue)
		return
	}
	p.linesTimer.Reset(d)
}

func (p *proc) onLinesDue() {
	p.mu.Lock()
	p.linesArmed = false
	if p.linesN > 0 && !p.s.closed.Load() {
		p.queueLocked([]eventbus.Event{p.linesEventLocked(time.Now())})
	}
	p.mu.Unlock()
	p.drain()
}

// flushLinesLocked announces pending lines now (the process ended, its
// log is cleared or its detection starts afresh).
func (p *proc) flushLinesLocked() {
	if p.linesN > 0 {
		p.queueLocked([]eventbus.Event{p.linesEventLocked(time.Now())})
	}
}

// flush ends the detector's pending blocks: on quiet time, or now because
// the process ended.
func (p *proc) flush(ended bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if ended {
		if p.timer != nil {
			p.timer.Stop()
		}
		p.armed = false
		p.flushLinesLocked()
	} else {
		p.armed = false
		if p.s.closed.Load() {
			return
		}
		if since := time.Since(p.lastAppend); since < p.s.quiet {
			// Output came meanwhile: wait for the rest of its quiet time.
			p.armed = true
			p.timer.Reset(p.s.quiet - since)
			return
		}
	}
	if !p.dirty {
		return
	}
	p.dirty = false
	out := p.det.Flush()
	added := len(out.Problems) > 0 && p.addProblemsLocked(out.Problems)
	if p.setPendingLocked(nil) || added {
		p.queueLocked([]eventbus.Event{p.problemsEventLocked()})
	}
}

// setPendingLocked replaces the problems of the blocks in progress and
// reports whether they changed. A block's problem is published as soon as
// its location line was read; the lines after it amend it (the set is
// published again), and when the block ends its final problem joins the
// set in place of the pending one.
func (p *proc) setPendingLocked(ps []detect.Problem) bool {
	if samePending(p.pending, ps) {
		return false
	}
	clear(p.pending)
	p.pending = p.pending[:0]
	for _, pr := range ps {
		pr.Related = slices.Clone(pr.Related)
		p.pending = append(p.pending, pr)
	}
	return true
}

// samePending compares what the editor would show of two pending sets.
func samePending(a, b []detect.Problem) bool {
	return slices.EqualFunc(a, b, func(x, y detect.Problem) bool {
		return x.Location == y.Location && x.Severity == y.Severity && x.Message == y.Message &&
			x.Source == y.Source && x.Code == y.Code && slices.Equal(x.Related, y.Related)
	})
}

// reset drops the process's problems (and seen URLs) and starts detection
// afresh: a new detector forgets the de-duplication of the old cycle.
func (p *proc) reset(urls bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.flushLinesLocked()
	p.det = detect.NewDetector(p.env, p.s.newParsers())
	p.dirty = false
	clear(p.problems)
	p.problems = p.problems[:0]
	p.setPendingLocked(nil)
	clear(p.browser)
	p.browser = p.browser[:0]
	if urls {
		p.urls = nil
	}
	p.queueLocked([]eventbus.Event{p.problemsEventLocked()})
}

// armLocked starts the quiet timer unless it is pending: one timer per
// process, so quiet output costs nothing and no goroutine waits. A batch
// does not push a pending timer back (that would cost a timer operation
// per batch); the timer, when it fires too early, waits out the rest.
func (p *proc) armLocked() {
	if p.armed || p.s.closed.Load() {
		return
	}
	p.armed = true
	if p.timer == nil {
		p.timer = time.AfterFunc(p.s.quiet, p.onQuiet)
		return
	}
	p.timer.Reset(p.s.quiet)
}

func (p *proc) onQuiet() {
	p.flush(false)
	p.drain()
}

// addProblemsLocked adds new problems up to the store's bound and reports
// whether the set changed. The detector de-duplicates within a cycle and
// reuses its buffers, so problems are copied (Related too).
func (p *proc) addProblemsLocked(ps []detect.Problem) bool {
	added := false
	for _, pr := range ps {
		if len(p.problems) >= p.s.maxProbs {
			break
		}
		pr.Related = slices.Clone(pr.Related)
		p.problems = append(p.problems, pr)
		added = true
	}
	return added
}

// rememberURLLocked reports whether u is the first URL of its origin for
// this process. A server that logs request URLs after its banner must not
// announce (and get a proxy for) every path.
func (p *proc) rememberURLLocked(u string) bool {
	origin := urlOrigin(u)
	if _, seen := p.urls[origin]; seen || len(p.urls) >= maxURLsPerProcess {
		return false
	}
	if p.urls == nil {
		p.urls = map[string]struct{}{}
	}
	p.urls[origin] = struct{}{}
	return true
}

func (p *proc) problemsEventLocked() eventbus.Event {
	return p.event(TopicProblemsChanged, eventbus.Medium, ProblemsChanged{ProcessID: p.id, Problems: p.problemsLocked()})
}

// problemsLocked is a copy of the process's problems: those of ended
// blocks, then those in progress, then its pages', within the store's bound.
func (p *proc) problemsLocked() []detect.Problem {
	n := min(len(p.pending), max(0, p.s.maxProbs-len(p.problems)))
	b := min(len(p.browser), max(0, p.s.maxProbs-len(p.problems)-n))
	out := make([]detect.Problem, 0, len(p.problems)+n+b)
	return append(append(append(out, p.problems...), p.pending[:n]...), p.browser[:b]...)
}

func (p *proc) event(t eventbus.Topic, prio eventbus.Priority, payload any) eventbus.Event {
	return eventbus.Event{Topic: t, Key: p.id, Priority: prio, Payload: payload}
}

// queueLocked moves events to the outbox while mu is still held, so two
// appenders cannot swap the order of their events.
func (p *proc) queueLocked(events []eventbus.Event) {
	p.outMu.Lock()
	p.outbox = append(p.outbox, events...)
	p.outMu.Unlock()
}

// drain publishes the outbox unless another goroutine is already doing so
// (it will pick up these events too).
func (p *proc) drain() {
	p.outMu.Lock()
	if p.draining {
		p.outMu.Unlock()
		return
	}
	p.draining = true
	for len(p.outbox) > 0 {
		batch := p.outbox
		p.outbox = p.spare[:0]
		p.outMu.Unlock()
		for i := range batch {
			p.s.publish(batch[i])
		}
		clear(batch)
		p.outMu.Lock()
		p.spare = batch[:0]
	}
	p.draining = false
	p.outMu.Unlock()
}
