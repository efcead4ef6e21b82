package eventbus

import (
	"fmt"
	"sync"
	"testing"
)

type seqPayload struct {
	pub, seq int
}

// Sixteen publishers, each owning a few keys, publish on two topics of the
// same priority: every key must see its events exactly once, in order.
func TestOrderPerKeyConcurrentPublishers(t *testing.T) {
	const (
		publishers   = 16
		keysPerPub   = 3
		perPublisher = 3000
	)
	b := newTestBus(t, Config{Workers: 4, Policy: Block, QueueSizes: [3]int{64, 64, 64}})
	var mu sync.Mutex
	last := map[string]int{}
	var errs []string
	h := func(e Event) {
		p := e.Payload.(*seqPayload)
		mu.Lock()
		defer mu.Unlock()
		if want := last[e.Key] + 1; p.seq != want && len(errs) < 10 {
			errs = append(errs, fmt.Sprintf("key %s: got seq %d, want %d", e.Key, p.seq, want))
		}
		last[e.Key] = p.seq
	}
	defer b.Subscribe("a", h)()
	defer b.Subscribe("b", h)()

	var wg sync.WaitGroup
	for pub := range publishers {
		wg.Go(func() {
			seq := map[string]int{}
			for i := range perPublisher {
				key := fmt.Sprintf("p%d-k%d", pub, i%keysPerPub)
				seq[key]++
				topic := Topic("a")
				if i%2 == 1 {
					topic = "b"
				}
				err := b.Publish(Event{Topic: topic, Key: key, Priority: Medium, Payload: &seqPayload{pub, seq[key]}})
				if err != nil {
					t.Errorf("publish: %v", err)
					return
				}
			}
		})
	}
	wg.Wait()
	closeBus(t, b)

	mu.Lock()
	defer mu.Unlock()
	for _, e := range errs {
		t.Error(e)
	}
	if len(last) != publishers*keysPerPub {
		t.Fatalf("saw %d keys, want %d", len(last), publishers*keysPerPub)
	}
	for k, n := range last {
		if n != perPublisher/keysPerPub {
			t.Errorf("key %s: last seq %d, want %d", k, n, perPublisher/keysPerPub)
		}
	}
	m := b.Metrics()
	if m.Delivered != publishers*perPublisher {
		t.Fatalf("delivered %d, want %d", m.Delivered, publishers*perPublisher)
	}
	checkBalance(t, m)
}

// A key whose handler blocks must not hold up a key on another shard.
func TestDifferentKeysRunInParallel(t *testing.T) {
	b := newTestBus(t, Config{Workers: 2})
	keys := keysOnDistinctShards(t, b, 2)
	bRan := make(chan struct{})
	aDone := make(chan struct{})
	defer b.Subscribe("t", func(e Event) {
		if e.Key == keys[0] {
			<-bRan // would deadlock if keys[1] waited for keys[0]
			close(aDone)
			return
		}
		close(bRan)
	})()
	if err := b.Publish(Event{Topic: "t", Key: keys[0]}); err != nil {
		t.Fatal(err)
	}
	if err := b.Publish(Event{Topic: "t", Key: keys[1]}); err != nil {
		t.Fatal(err)
	}
	recv(t, "the blocked key's handler to finish", aDone)
}

// Queued high events are taken before queued low ones of the same shard.
func TestHighPriorityFirst(t *testing.T) {
	b := newTestBus(t, Config{Workers: 1})
	g := newGate()
	defer b.Subscribe("t", g.handle)()
	publish := func(p Priority, s string) {
		t.Helper()
		if err := b.Publish(Event{Topic: "t", Key: "k", Priority: p, Payload: s}); err != nil {
			t.Fatal(err)
		}
	}
	publish(Low, "gate")
	recv(t, "the gate handler", g.started)
	publish(Low, "low1")
	publish(Medium, "medium1")
	publish(Low, "low2")
	publish(High, "high1")
	publish(Medium, "medium2")
	close(g.release)
	closeBus(t, b)
	got := fmt.Sprint(g.got())
	if want := "[gate high1 medium1 medium2 low1 low2]"; got != want {
		t.Fatalf("handled %s, want %s", got, want)
	}
}
