package eventbus

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"maps"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"go.uber.org/zap"
)

var (
	// ErrClosed is returned by Publish after Close began.
	ErrClosed = errors.New("eventbus: closed")
	// ErrInvalidPriority is returned by Publish for a priority other than
	// High, Medium or Low.
	ErrInvalidPriority = errors.New("eventbus: invalid priority")
	// ErrDrainTimeout is wrapped by Close when CloseTimeout passed before
	// the queues were drained.
	ErrDrainTimeout = errors.New("eventbus: drain timed out")
)

// Defaults for the zero values of Config.
var DefaultQueueSizes = [3]int{100, 500, 1000}

const DefaultCloseTimeout = 5 * time.Second

// DefaultWorkers is clamp(NumCPU*2.5, 4, 32): handlers mostly wait on
// locks and channels of their own package, so more workers than CPUs pays.
func DefaultWorkers() int {
	return min(max(runtime.NumCPU()*5/2, 4), 32)
}

// handler is a subscription; its address is its identity for unsubscribe.
type handler struct{ fn Handler }

// route is what a topic's events go through: immutable once published in
// a routeTable.
type route struct {
	handlers []*handler
	policy   Policy
}

// routeTable is replaced as a whole on every (un)subscribe, never changed,
// so Publish and the workers read it without a lock.
type routeTable struct {
	byTopic map[Topic]*route
}

// Bus is the event bus. Its methods are safe for concurrent use.
type Bus struct {
	log          *zap.Logger
	seed         maphash.Seed
	policy       Policy
	policies     map[Topic]Policy
	closeTimeout time.Duration

	routes atomic.Pointer[routeTable]
	// regMu serializes subscribe and unsubscribe; it is the outermost lock
	// of the application and is never held while a handler runs.
	regMu sync.Mutex

	workers  []*worker
	unrouted atomic.Uint64

	// closingFlag and closing say the same thing (Close began): the flag
	// for Publish's fast check, the channel for whoever waits.
	closingFlag atomic.Bool
	closing     chan struct{}
	// abandon tells the workers to discard what is left instead of
	// handling it.
	abandon   atomic.Bool
	stopped   chan struct{}
	closeOnce atomic.Bool
	closeDone chan struct{}
	closeErr  error

	wg sync.WaitGroup
}

// New starts a bus with its workers. Zero fields of cfg take the defaults;
// an unknown policy is logged and replaced by DropOldest.
func New(cfg Config, log *zap.Logger) *Bus {
	if log == nil {
		log = zap.NewNop()
	}
	b := &Bus{
		log:          log,
		seed:         maphash.MakeSeed(),
		policy:       validPolicy(cfg.Policy, "default", log),
		policies:     make(map[Topic]Policy, len(cfg.TopicPolicies)),
		closeTimeout: cfg.CloseTimeout,
		closing:      make(chan struct{}),
		stopped:      make(chan struct{}),
		closeDone:    make(chan struct{}),
	}
	for t, p := range cfg.TopicPolicies {
		b.policies[t] = validPolicy(p, string(t), log)
	}
	if b.closeTimeout <= 0 {
		b.closeTimeout = DefaultCloseTimeout
	}
	n := cfg.Workers
	if n <= 0 {
		n = DefaultWorkers()
	}
	var perShard [numPriorities]int
	for p := range perShard {
		size := cfg.QueueSizes[p]
		if size <= 0 {
			size = DefaultQueueSizes[p]
		}
		perShard[p] = max((size+n-1)/n, 1)
	}
	b.routes.Store(&routeTable{byTopic: map[Topic]*route{}})
	b.workers = make([]*worker, n)
	for i := range b.workers {
		b.workers[i] = &worker{bus: b, shard: newShard(perShard)}
	}
	b.wg.Add(n)
	for _, w := range b.workers {
		go w.run()
	}
	return b
}

func validPolicy(p Policy, topic string, log *zap.Logger) Policy {
	if p < numPolicies {
		return p
	}
	log.Warn("unknown backpressure policy, using drop_oldest", zap.String("topic", topic), zap.Uint8("policy", uint8(p)))
	return DropOldest
}

func (b *Bus) policyOf(t Topic) Policy {
	if p, ok := b.policies[t]; ok {
		return p
	}
	return b.policy
}

// Subscribe registers h for topic and returns a function that removes it.
// h sees the events handled after Subscribe returned; unsubscribe is
// idempotent, and once it returned h is not called again except by a call
// that had already begun.
func (b *Bus) Subscribe(topic Topic, h Handler) (unsubscribe func()) {
	if h == nil {
		panic(fmt.Sprintf("eventbus: nil handler subscribed to %q", topic))
	}
	s := &handler{fn: h}
	b.regMu.Lock()
	b.updateLocked(topic, func(hs []*handler) []*handler { return append(hs, s) })
	b.regMu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			b.regMu.Lock()
			defer b.regMu.Unlock()
			b.updateLocked(topic, func(hs []*handler) []*handler {
				return slices.DeleteFunc(hs, func(x *handler) bool { return x == s })
			})
		})
	}
}

// updateLocked publishes a copy of the route table where topic's handlers
// are edit(copy of the old ones). The old table stays valid for readers
// that loaded it.
func (b *Bus) updateLocked(topic Topic, edit func([]*handler) []*handler) {
	old := b.routes.Load()
	next := &routeTable{byTopic: maps.Clone(old.byTopic)}
	var hs []*handler
	if r := old.byTopic[topic]; r != nil {
		hs = slices.Clone(r.handlers)
	}
	hs = edit(hs)
	if len(hs) == 0 {
		delete(next.byTopic, topic)
	} else {
		next.byTopic[topic] = &route{handlers: hs, policy: b.policyOf(topic)}
	}
	b.routes.Store(next)
}

// Publish queues e for the handlers of its topic and returns without
// waiting for them. It returns nil when e was queued, dropped by its
// topic's policy (counted in Metrics) or had no subscriber; ErrClosed once
// Close began. Only a Block topic at a full queue makes it wait.
func (b *Bus) Publish(e Event) error {
	if e.Priority >= numPriorities {
		return fmt.Errorf("publishing %q: priority %d, want High, Medium or Low: %w", e.Topic, e.Priority, ErrInvalidPriority)
	}
	if b.closingFlag.Load() {
		return ErrClosed
	}
	r := b.routes.Load().byTopic[e.Topic]
	if r == nil {
		b.unrouted.Add(1)
		return nil
	}
	return b.shardFor(e.Key).push(e, r.policy, b.closing)
}

func (b *Bus) shardFor(key string) *shard {
	if len(b.workers) == 1 {
		return b.workers[0].shard
	}
	return b.workers[maphash.String(b.seed, key)%uint64(len(b.workers))].shard
}

func (b *Bus) isClosing() bool { return b.closingFlag.Load() }

// Close stops the bus; see the package documentation for what it drains
// and what it discards. It is idempotent: later calls wait for the first
// to finish (or for their own ctx) and return its result.
func (b *Bus) Close(ctx context.Context) error {
	if !b.closeOnce.CompareAndSwap(false, true) {
		select {
		case <-b.closeDone:
			return b.closeErr
		case <-ctx.Done():
			return fmt.Errorf("eventbus: waiting for close: %w", ctx.Err())
		}
	}
	b.closeErr = b.shutdown(ctx)
	close(b.closeDone)
	return b.closeErr
}

func (b *Bus) shutdown(ctx context.Context) error {
	b.closingFlag.Store(true)
	close(b.closing)
	go func() {
		b.wg.Wait()
		close(b.stopped)
	}()
	timer := time.NewTimer(b.closeTimeout)
	defer timer.Stop()
	var cause error
	select {
	case <-b.stopped:
		return nil
	case <-timer.C:
		cause = ErrDrainTimeout
	case <-ctx.Done():
		cause = ctx.Err()
	}
	b.abandon.Store(true)
	// A running handler cannot be interrupted: waiting for it is what
	// keeps the promise that no goroutine outlives Close.
	<-b.stopped
	var discarded uint64
	for _, w := range b.workers {
		w.shard.mu.Lock()
		discarded += w.shard.discarded
		w.shard.mu.Unlock()
	}
	if discarded == 0 {
		return nil
	}
	return fmt.Errorf("eventbus: closing: discarded %d queued events: %w", discarded, cause)
}
