package eventbus

import (
	"math/bits"
	"sync/atomic"
	"time"
)

// Metrics is a snapshot of the bus's counters. Once Close has returned,
// Published == Delivered + Unrouted + the sum of Dropped: every accepted
// event was handled, had no subscriber, or was counted as dropped.
type Metrics struct {
	// Published counts events Publish accepted (returned nil for),
	// including those then dropped by policy.
	Published uint64 `json:"published"`
	// Delivered counts events taken from a queue and run through the
	// handlers subscribed at that moment (once per event, not per handler).
	Delivered uint64 `json:"delivered"`
	// Dropped counts lost events by cause: "drop_oldest" and "drop_newest"
	// (the publishing topic's policy at a full queue) and "close" (still
	// queued when Close gave up draining).
	Dropped map[string]uint64 `json:"dropped"`
	// Unrouted counts events published to a topic nobody subscribed to;
	// they are accepted and never queued.
	Unrouted    uint64 `json:"unrouted"`
	Panics      uint64 `json:"panics"`
	QueueDepths [3]int `json:"queueDepths"` // high, medium, low, summed over shards
	Workers     int    `json:"workers"`
	// Handler latency percentiles in microseconds, from a histogram whose
	// buckets are at most 25% wide; under load a worker times one event in
	// 64, otherwise every event.
	LatencyP50us float64 `json:"latencyP50us"`
	LatencyP99us float64 `json:"latencyP99us"`
}

// DropCause names for Metrics.Dropped besides the policies' names.
const dropCauseClose = "close"

// Metrics returns the counters. It takes each shard's lock briefly and
// allocates; it is meant for a stats request, not for every event.
func (b *Bus) Metrics() Metrics {
	unrouted := b.unrouted.Load()
	m := Metrics{
		Published: unrouted,
		Dropped:   map[string]uint64{DropOldest.String(): 0, DropNewest.String(): 0, dropCauseClose: 0},
		Unrouted:  unrouted,
		Workers:   len(b.workers),
	}
	var lat histogram
	for _, w := range b.workers {
		s := w.shard
		s.mu.Lock()
		m.Published += s.published
		m.Dropped[DropOldest.String()] += s.dropped[DropOldest]
		m.Dropped[DropNewest.String()] += s.dropped[DropNewest]
		m.Dropped[dropCauseClose] += s.discarded
		d := s.depthsLocked()
		s.mu.Unlock()
		for p := range d {
			m.QueueDepths[p] += d[p]
		}
		m.Delivered += w.delivered.Load()
		m.Panics += w.panics.Load()
		lat.add(&w.latency)
	}
	m.LatencyP50us = lat.quantile(0.50).Seconds() * 1e6
	m.LatencyP99us = lat.quantile(0.99).Seconds() * 1e6
	return m
}

// histogram counts durations in log-linear buckets: subBuckets per power of
// two of nanoseconds. Observing is one atomic add, and it never allocates.
type histogram struct {
	counts [histBuckets]atomic.Uint64
}

const (
	subBits     = 2
	subBuckets  = 1 << subBits
	histBuckets = 64 * subBuckets
)

func bucketOf(ns uint64) int {
	if ns < subBuckets {
		return int(ns)
	}
	exp := bits.Len64(ns) - 1 // ns is in [2^exp, 2^(exp+1))
	sub := int(ns>>(exp-subBits)) & (subBuckets - 1)
	return (exp-subBits+1)*subBuckets + sub
}

// bucketBounds returns the range [lo, hi) of durations bucket i counts.
func bucketBounds(i int) (lo, hi float64) {
	if i < subBuckets {
		return float64(i), float64(i + 1)
	}
	exp := i/subBuckets + subBits - 1
	sub := i % subBuckets
	width := float64(uint64(1) << (exp - subBits))
	lo = float64(uint64(1)<<exp) + float64(sub)*width
	return lo, lo + width
}

func (h *histogram) observe(d time.Duration) {
	if d < 0 {
		d = 0
	}
	h.counts[bucketOf(uint64(d))].Add(1)
}

func (h *histogram) add(o *histogram) {
	for i := range o.counts {
		if n := o.counts[i].Load(); n > 0 {
			h.counts[i].Add(n)
		}
	}
}

// quantile interpolates linearly inside the bucket where q falls; 0 when
// nothing was observed.
func (h *histogram) quantile(q float64) time.Duration {
	var total uint64
	for i := range h.counts {
		total += h.counts[i].Load()
	}
	if total == 0 {
		return 0
	}
	rank := q * float64(total)
	var seen uint64
	for i := range h.counts {
		n := h.counts[i].Load()
		if n == 0 {
			continue
		}
		if float64(seen+n) >= rank {
			lo, hi := bucketBounds(i)
			frac := (rank - float64(seen)) / float64(n)
			return time.Duration(lo + frac*(hi-lo))
		}
		seen += n
	}
	lo, _ := bucketBounds(histBuckets - 1)
	return time.Duration(lo)
}
