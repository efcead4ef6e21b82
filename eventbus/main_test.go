package eventbus

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// newTestBus starts a bus that the test's cleanup closes.
func newTestBus(t testing.TB, cfg Config) *Bus {
	t.Helper()
	b := New(cfg, nil)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = b.Close(ctx)
	})
	return b
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		<-tick.C
	}
}

// recv waits for a value on ch with a deadline.
func recv[T any](t testing.TB, what string, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(10 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
		var zero T
		return zero
	}
}

// gate is a handler that blocks on its first event until released, so a
// test can fill the queues behind it.
type gate struct {
	started chan struct{}
	release chan struct{}
	once    sync.Once

	mu   sync.Mutex
	seen []string
}

func newGate() *gate {
	return &gate{started: make(chan struct{}), release: make(chan struct{})}
}

func (g *gate) handle(e Event) {
	g.once.Do(func() {
		close(g.started)
		<-g.release
	})
	g.mu.Lock()
	g.seen = append(g.seen, e.Payload.(string))
	g.mu.Unlock()
}

func (g *gate) got() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]string(nil), g.seen...)
}

// keysOnDistinctShards returns n keys that hash to n different shards.
func keysOnDistinctShards(t testing.TB, b *Bus, n int) []string {
	t.Helper()
	used := map[*shard]bool{}
	var keys []string
	for i := 0; len(keys) < n; i++ {
		if i > 10000 {
			t.Fatalf("found only %d keys on distinct shards", len(keys))
		}
		k := fmt.Sprintf("key%d", i)
		if s := b.shardFor(k); !used[s] {
			used[s] = true
			keys = append(keys, k)
		}
	}
	return keys
}

// checkBalance asserts the invariant every test ends with.
func checkBalance(t testing.TB, m Metrics) {
	t.Helper()
	var dropped uint64
	for _, n := range m.Dropped {
		dropped += n
	}
	if m.Published != m.Delivered+m.Unrouted+dropped {
		t.Fatalf("published %d != delivered %d + unrouted %d + dropped %d (%v)",
			m.Published, m.Delivered, m.Unrouted, dropped, m.Dropped)
	}
}

func closeBus(t testing.TB, b *Bus) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := b.Close(ctx); err != nil {
		t.Fatalf("close: %v", err)
	}
}
