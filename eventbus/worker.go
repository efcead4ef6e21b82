package eventbus

import (
	"fmt"
	"runtime/debug"
	"sync/atomic"
	"time"

	"go.uber.org/zap"
)

// batchSize bounds how many events a worker takes per lock. It amortizes
// the lock over a burst and bounds how long a newly queued High event can
// wait behind lower-priority events the worker already took.
const batchSize = 32

// A worker times the handlers of every event while it takes small batches
// (a lightly loaded bus, where the clock's cost does not matter) and of one
// event in sampleEvery under load: a clock read costs 20-150ns depending on
// the machine's clock source, more than a cheap handler.
const (
	sampleEvery   = 64
	lightBatchMax = batchSize / 4
)

// worker drains one shard. The counters are written only by the worker
// and read by Metrics, hence the atomics; the padding keeps workers from
// sharing cache lines.
type worker struct {
	bus   *Bus
	shard *shard
	batch [batchSize]item

	delivered atomic.Uint64
	panics    atomic.Uint64
	latency   histogram
	seq       uint64
	_         [64]byte
}

func (w *worker) run() {
	defer w.bus.wg.Done()
	s := w.shard
	for {
		s.mu.Lock()
		if w.bus.abandon.Load() {
			s.closeLocked()
			s.mu.Unlock()
			return
		}
		k := s.takeLocked(w.batch[:])
		if k == 0 {
			if w.bus.isClosing() {
				// Nothing queued and no push can start after closed is
				// set: the drain of this shard is complete.
				s.closeLocked()
				s.mu.Unlock()
				return
			}
			s.idle = true
			s.mu.Unlock()
			select {
			case <-s.signal:
			case <-w.bus.closing:
			}
			continue
		}
		s.mu.Unlock()
		w.dispatch(w.batch[:k])
	}
}

func (w *worker) dispatch(items []item) {
	var (
		routes *routeTable
		topic  Topic
		rt     *route
		light  = len(items) <= lightBatchMax
	)
	for i := range items {
		if w.bus.abandon.Load() {
			w.discard(items[i:])
			return
		}
		e := &items[i].ev
		// Handlers are looked up when the event is handled, not when it
		// was published, so a handler no longer runs for queued events once
		// its unsubscribe has returned (unless it is running already).
		if cur := w.bus.routes.Load(); cur != routes || e.Topic != topic {
			routes, topic = cur, e.Topic
			rt = routes.byTopic[topic]
		}
		w.seq++
		if rt != nil {
			if light || w.seq%sampleEvery == 0 {
				w.callTimed(rt.handlers, e)
			} else {
				for i := 0; i < len(rt.handlers); {
					i = w.callFrom(rt.handlers, i, e)
				}
			}
		}
		w.delivered.Add(1)
		items[i] = item{}
	}
}

func (w *worker) callTimed(hs []*handler, e *Event) {
	t := time.Now()
	for i := range hs {
		w.callFrom(hs[i:i+1], 0, e)
		now := time.Now()
		w.latency.observe(now.Sub(t))
		t = now
	}
}

// callFrom runs hs[i:] and returns len(hs), or, when hs[k] panicked, k+1:
// the caller goes on from there. One deferred recover covers all the
// handlers of an event instead of one per handler.
func (w *worker) callFrom(hs []*handler, i int, e *Event) (next int) {
	defer func() {
		if r := recover(); r != nil {
			w.panicked(e, r)
			next = i + 1
		}
	}()
	for ; i < len(hs); i++ {
		hs[i].fn(*e)
	}
	return i
}

func (w *worker) panicked(e *Event, r any) {
	w.panics.Add(1)
	w.bus.log.Error("event handler panicked",
		zap.String("topic", string(e.Topic)),
		zap.String("key", e.Key),
		zap.String("priority", e.Priority.String()),
		zap.String("panic", fmt.Sprint(r)),
		zap.ByteString("stack", debug.Stack()))
}

// discard counts events the worker had taken but Close told it to drop.
func (w *worker) discard(items []item) {
	s := w.shard
	s.mu.Lock()
	s.discarded += uint64(len(items))
	s.mu.Unlock()
	clear(items)
}
