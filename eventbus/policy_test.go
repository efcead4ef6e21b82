package eventbus

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

// fullQueue starts a one-worker bus whose low queue holds two events, holds
// its worker in a gate handler and returns both.
func fullQueue(t *testing.T, cfg Config) (*Bus, *gate) {
	t.Helper()
	cfg.Workers = 1
	cfg.QueueSizes = [3]int{2, 2, 2}
	b := newTestBus(t, cfg)
	g := newGate()
	t.Cleanup(b.Subscribe("t", g.handle))
	t.Cleanup(b.Subscribe("block", g.handle))
	publish(t, b, "t", "gate")
	recv(t, "the gate handler", g.started)
	return b, g
}

func publish(t testing.TB, b *Bus, topic Topic, payload string) {
	t.Helper()
	if err := b.Publish(Event{Topic: topic, Key: "k", Priority: Low, Payload: payload}); err != nil {
		t.Fatalf("publishing %s: %v", payload, err)
	}
}

func TestPolicyAtFullQueue(t *testing.T) {
	for _, tc := range []struct {
		policy   Policy
		survivor string
		dropped  map[string]uint64
	}{
		{DropNewest, "[gate e1 e2]", map[string]uint64{"drop_newest": 3, "drop_oldest": 0, "close": 0}},
		{DropOldest, "[gate e4 e5]", map[string]uint64{"drop_newest": 0, "drop_oldest": 3, "close": 0}},
	} {
		t.Run(tc.policy.String(), func(t *testing.T) {
			b, g := fullQueue(t, Config{Policy: tc.policy})
			for i := 1; i <= 5; i++ {
				publish(t, b, "t", fmt.Sprintf("e%d", i))
			}
			m := b.Metrics()
			if m.QueueDepths != [3]int{0, 0, 2} {
				t.Fatalf("queue depths %v, want [0 0 2]", m.QueueDepths)
			}
			close(g.release)
			closeBus(t, b)
			if got := fmt.Sprint(g.got()); got != tc.survivor {
				t.Fatalf("handled %s, want %s", got, tc.survivor)
			}
			m = b.Metrics()
			if fmt.Sprint(m.Dropped) != fmt.Sprint(tc.dropped) {
				t.Fatalf("dropped %v, want %v", m.Dropped, tc.dropped)
			}
			if m.Published != 6 || m.Delivered != 3 {
				t.Fatalf("published %d delivered %d, want 6 and 3", m.Published, m.Delivered)
			}
			checkBalance(t, m)
		})
	}
}

// waitingPublishers reports how many Block publishers wait on the shard.
func blockedOn(s *shard) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.room != nil
}

func TestPolicyBlockWaitsForRoom(t *testing.T) {
	b, g := fullQueue(t, Config{Policy: Block})
	publish(t, b, "t", "e1")
	publish(t, b, "t", "e2")
	done := make(chan error, 1)
	go func() {
		done <- b.Publish(Event{Topic: "t", Key: "k", Priority: Low, Payload: "e3"})
	}()
	eventually(t, "the publisher to wait for room", func() bool { return blockedOn(b.workers[0].shard) })
	select {
	case err := <-done:
		t.Fatalf("publish returned %v while the queue was full", err)
	default:
	}
	close(g.release)
	if err := recv(t, "the blocked publish", done); err != nil {
		t.Fatalf("blocked publish: %v", err)
	}
	closeBus(t, b)
	if got, want := fmt.Sprint(g.got()), "[gate e1 e2 e3]"; got != want {
		t.Fatalf("handled %s, want %s", got, want)
	}
	m := b.Metrics()
	if m.Published != 4 || m.Delivered != 4 {
		t.Fatalf("published %d delivered %d, want 4 and 4", m.Published, m.Delivered)
	}
	checkBalance(t, m)
}

func TestPolicyBlockReturnsErrClosedAtClose(t *testing.T) {
	b, g := fullQueue(t, Config{Policy: Block})
	publish(t, b, "t", "e1")
	publish(t, b, "t", "e2")
	done := make(chan error, 1)
	go func() {
		done <- b.Publish(Event{Topic: "t", Key: "k", Priority: Low, Payload: "e3"})
	}()
	eventually(t, "the publisher to wait for room", func() bool { return blockedOn(b.workers[0].shard) })
	closed := make(chan error, 1)
	go func() { closed <- b.Close(context.Background()) }()
	if err := recv(t, "the blocked publish", done); !errors.Is(err, ErrClosed) {
		t.Fatalf("blocked publish at close: %v, want ErrClosed", err)
	}
	close(g.release)
	if err := recv(t, "close", closed); err != nil {
		t.Fatalf("close: %v", err)
	}
	if got, want := fmt.Sprint(g.got()), "[gate e1 e2]"; got != want {
		t.Fatalf("handled %s, want %s (queued events are drained)", got, want)
	}
	m := b.Metrics()
	if m.Published != 3 {
		t.Fatalf("published %d, want 3: the refused event is not published", m.Published)
	}
	checkBalance(t, m)
}

// DropOldest evicts the oldest event it may drop and never a Block topic's.
func TestDropOldestSparesBlockTopics(t *testing.T) {
	b, g := fullQueue(t, Config{Policy: DropOldest, TopicPolicies: map[Topic]Policy{"block": Block}})
	publish(t, b, "block", "b1")
	publish(t, b, "t", "d1")
	publish(t, b, "t", "d2") // evicts d1, not b1
	publish(t, b, "t", "d3") // evicts d2
	close(g.release)
	closeBus(t, b)
	if got, want := fmt.Sprint(g.got()), "[gate b1 d3]"; got != want {
		t.Fatalf("handled %s, want %s", got, want)
	}

	b, g = fullQueue(t, Config{Policy: DropOldest, TopicPolicies: map[Topic]Policy{"block": Block}})
	publish(t, b, "block", "b1")
	publish(t, b, "block", "b2")
	publish(t, b, "t", "d1") // only Block events queued: d1 itself is dropped
	if m := b.Metrics(); m.Dropped["drop_oldest"] != 1 {
		t.Fatalf("dropped %v, want one drop_oldest", m.Dropped)
	}
	close(g.release)
	closeBus(t, b)
	if got, want := fmt.Sprint(g.got()), "[gate b1 b2]"; got != want {
		t.Fatalf("handled %s, want %s", got, want)
	}
	checkBalance(t, b.Metrics())
}

// Eviction from the middle of a wrapped ring keeps the others in order.
func TestRingEvictKeepsOrder(t *testing.T) {
	r := ring{buf: make([]item, 4)}
	var out [4]item
	for i := range 3 { // move head to 3 so the ring wraps
		r.push(item{ev: Event{Key: fmt.Sprint("x", i)}})
	}
	r.popInto(out[:3])
	for i, p := range []Policy{Block, Block, DropNewest, Block} {
		r.push(item{ev: Event{Key: fmt.Sprint(i)}, policy: p})
	}
	if !r.evictDroppable() {
		t.Fatal("found nothing to evict")
	}
	r.push(item{ev: Event{Key: "new"}})
	n := r.popInto(out[:])
	var keys []string
	for _, it := range out[:n] {
		keys = append(keys, it.ev.Key)
	}
	if got, want := fmt.Sprint(keys), "[0 1 3 new]"; got != want {
		t.Fatalf("ring holds %s, want %s", got, want)
	}
	r.push(item{policy: Block})
	r.push(item{policy: Block})
	if r.evictDroppable() {
		t.Fatal("evicted a Block event")
	}
}

func TestInvalidPriority(t *testing.T) {
	b := newTestBus(t, Config{Workers: 1})
	err := b.Publish(Event{Topic: "t", Priority: 7})
	if !errors.Is(err, ErrInvalidPriority) {
		t.Fatalf("publish with priority 7: %v, want ErrInvalidPriority", err)
	}
}

func TestCloseTimeoutDiscardsAndCounts(t *testing.T) {
	b, g := fullQueue(t, Config{Policy: Block, CloseTimeout: 20 * time.Millisecond})
	publish(t, b, "t", "e1")
	publish(t, b, "t", "e2")
	closed := make(chan error, 1)
	go func() { closed <- b.Close(context.Background()) }()
	// The gate holds the worker past the timeout; the queued events are
	// discarded once it returns.
	eventually(t, "close to give up draining", b.abandon.Load)
	close(g.release)
	err := recv(t, "close", closed)
	if !errors.Is(err, ErrDrainTimeout) {
		t.Fatalf("close: %v, want ErrDrainTimeout", err)
	}
	m := b.Metrics()
	if m.Dropped["close"] != 2 || m.Delivered != 1 {
		t.Fatalf("dropped %v delivered %d, want 2 dropped at close and 1 delivered", m.Dropped, m.Delivered)
	}
	checkBalance(t, m)
	if err := b.Close(context.Background()); !errors.Is(err, ErrDrainTimeout) {
		t.Fatalf("second close: %v, want the first close's result", err)
	}
	if err := b.Publish(Event{Topic: "t"}); !errors.Is(err, ErrClosed) {
		t.Fatalf("publish after close: %v, want ErrClosed", err)
	}
}
