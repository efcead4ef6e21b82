package eventbus

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

type propEvent struct {
	id  int64
	key string
	seq int // per key and priority, in the order the key's one publisher sent them
}

// For random configurations, topics, keys, priorities and policies: every
// accepted event is delivered exactly once or counted, and what is
// delivered keeps per-key order within a priority.
func TestPropertyDeliveredOrCounted(t *testing.T) {
	for seed := uint64(1); seed <= 12; seed++ {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			checkProperty(t, seed)
		})
	}
}

func checkProperty(t *testing.T, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 42))
	topics := []Topic{"t0", "t1", "t2", "t3", "t4"}
	cfg := Config{
		Workers:       1 + rng.IntN(4),
		QueueSizes:    [3]int{1 + rng.IntN(16), 1 + rng.IntN(16), 1 + rng.IntN(16)},
		Policy:        Policy(rng.IntN(3)),
		TopicPolicies: map[Topic]Policy{},
	}
	for _, tp := range topics {
		if rng.IntN(2) == 0 {
			cfg.TopicPolicies[tp] = Policy(rng.IntN(3))
		}
	}
	b := New(cfg, nil)

	var (
		mu       sync.Mutex
		seen     = map[int64]int{}
		lastSeq  = map[string]int{}
		orderErr string
	)
	subscribed := map[Topic]bool{}
	for _, tp := range topics[:4] { // t4 has no subscriber
		subscribed[tp] = true
		n := 1 + rng.IntN(2)
		for h := range n {
			slow := rng.IntN(3) == 0
			b.Subscribe(tp, func(e Event) {
				if slow {
					runtime.Gosched()
				}
				if h > 0 { // count each event once, on its first handler
					return
				}
				p := e.Payload.(*propEvent)
				k := fmt.Sprint(p.key, "/", e.Priority)
				mu.Lock()
				seen[p.id]++
				if p.seq <= lastSeq[k] && orderErr == "" {
					orderErr = fmt.Sprintf("%s: seq %d after %d", k, p.seq, lastSeq[k])
				}
				lastSeq[k] = p.seq
				mu.Unlock()
			})
		}
	}

	var (
		wg               sync.WaitGroup
		nextID           atomic.Int64
		accepted, unrout atomic.Uint64
	)
	publishers := 1 + rng.IntN(8)
	for p := range publishers {
		prng := rand.New(rand.NewPCG(seed, uint64(p)))
		wg.Go(func() {
			seq := map[string]int{}
			for range 2000 {
				key := fmt.Sprintf("p%d-%d", p, prng.IntN(3)) // keys owned by one publisher
				prio := Priority(prng.IntN(3))
				tp := topics[prng.IntN(len(topics))]
				k := fmt.Sprint(key, "/", prio)
				seq[k]++
				err := b.Publish(Event{Topic: tp, Key: key, Priority: prio,
					Payload: &propEvent{id: nextID.Add(1), key: key, seq: seq[k]}})
				if errors.Is(err, ErrClosed) {
					return
				}
				if err != nil {
					t.Errorf("publish: %v", err)
					return
				}
				if subscribed[tp] {
					accepted.Add(1)
				} else {
					unrout.Add(1)
				}
			}
		})
	}
	// Half the runs close while publishers are still at it, some with a
	// deadline short enough to discard.
	if rng.IntN(2) == 0 {
		wg.Wait()
	}
	timeout := 10 * time.Second
	if rng.IntN(3) == 0 {
		timeout = time.Millisecond
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := b.Close(ctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("close: %v", err)
	}
	wg.Wait()

	m := b.Metrics()
	checkBalance(t, m)
	mu.Lock()
	defer mu.Unlock()
	if orderErr != "" {
		t.Fatalf("order broken: %s", orderErr)
	}
	for id, n := range seen {
		if n != 1 {
			t.Fatalf("event %d delivered %d times", id, n)
		}
	}
	if uint64(len(seen)) != m.Delivered {
		t.Fatalf("handlers saw %d events, delivered %d", len(seen), m.Delivered)
	}
	if m.Published != accepted.Load()+unrout.Load() || m.Unrouted != unrout.Load() {
		t.Fatalf("published %d unrouted %d, publishers saw %d routed and %d unrouted accepted",
			m.Published, m.Unrouted, accepted.Load(), unrout.Load())
	}
	if cfg.Policy == Block && len(cfg.TopicPolicies) == 0 && m.Dropped["drop_oldest"]+m.Dropped["drop_newest"] != 0 {
		t.Fatalf("an all-Block bus dropped %v", m.Dropped)
	}
}
