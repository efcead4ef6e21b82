package eventbus

import (
	"context"
	"errors"
	"sync"

	"go.uber.org/zap"
)

// ErrClosed is returned by Publish after Close.
var ErrClosed = errors.New("eventbus: closed")

// PLACEHOLDER implementation: synchronous dispatch, to be replaced by the
// worker-pool bus. The exported API below is the contract.

// Bus is the event bus.
type Bus struct {
	mu     sync.RWMutex
	subs   map[Topic][]*sub
	closed bool
	log    *zap.Logger
}

type sub struct{ h Handler }

// Metrics is a snapshot of the bus's counters.
type Metrics struct {
	Published   uint64            `json:"published"`
	Delivered   uint64            `json:"delivered"`
	Dropped     map[string]uint64 `json:"dropped"` // per policy: drop_oldest, drop_newest
	Panics      uint64            `json:"panics"`
	QueueDepths [3]int            `json:"queueDepths"`
	Workers     int               `json:"workers"`
	// Handler latency percentiles in microseconds.
	LatencyP50us float64 `json:"latencyP50us"`
	LatencyP99us float64 `json:"latencyP99us"`
}

// New starts a bus.
func New(cfg Config, log *zap.Logger) *Bus {
	if log == nil {
		log = zap.NewNop()
	}
	return &Bus{subs: map[Topic][]*sub{}, log: log}
}

// Subscribe registers h for topic and returns a function that removes it.
func (b *Bus) Subscribe(topic Topic, h Handler) (unsubscribe func()) {
	s := &sub{h}
	b.mu.Lock()
	b.subs[topic] = append(b.subs[topic], s)
	b.mu.Unlock()
	return func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		l := b.subs[topic]
		for i, x := range l {
			if x == s {
				b.subs[topic] = append(l[:i:i], l[i+1:]...)
				return
			}
		}
	}
}

// Publish queues e for the handlers of its topic.
func (b *Bus) Publish(e Event) error {
	b.mu.RLock()
	if b.closed {
		b.mu.RUnlock()
		return ErrClosed
	}
	l := b.subs[e.Topic]
	b.mu.RUnlock()
	for _, s := range l {
		s.h(e)
	}
	return nil
}

// Metrics returns the counters.
func (b *Bus) Metrics() Metrics { return Metrics{} }

// Close stops the bus; idempotent.
func (b *Bus) Close(ctx context.Context) error {
	b.mu.Lock()
	b.closed = true
	b.mu.Unlock()
	return nil
}
