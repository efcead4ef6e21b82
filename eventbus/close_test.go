package eventbus

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Workers are started by New; publishing must not add goroutines however
// many events go through.
func TestNoGoroutineGrowth(t *testing.T) {
	b := newTestBus(t, Config{Workers: 4})
	var handled atomic.Int64
	defer b.Subscribe("t", func(Event) { handled.Add(1) })()
	base := runtime.NumGoroutine()
	peak := base
	payload := &seqPayload{}
	for i := range 100_000 {
		if err := b.Publish(Event{Topic: "t", Key: keyNames[i%len(keyNames)], Priority: Priority(i % 3), Payload: payload}); err != nil {
			t.Fatal(err)
		}
		if i%5000 == 0 {
			peak = max(peak, runtime.NumGoroutine())
		}
	}
	peak = max(peak, runtime.NumGoroutine())
	if peak > base {
		t.Fatalf("goroutines grew from %d to %d while publishing", base, peak)
	}
	closeBus(t, b)
	m := b.Metrics()
	if m.Published != 100_000 {
		t.Fatalf("published %d, want 100000", m.Published)
	}
	if uint64(handled.Load()) != m.Delivered {
		t.Fatalf("handler ran %d times, delivered %d", handled.Load(), m.Delivered)
	}
	checkBalance(t, m)
}

var keyNames = func() []string {
	k := make([]string, 64)
	for i := range k {
		k[i] = fmt.Sprint("p", i)
	}
	return k
}()

// Publishers of every policy keep publishing while Close runs: no panic,
// every publisher ends with ErrClosed, and the counters balance.
func TestCloseDuringPublish(t *testing.T) {
	for _, deadline := range []time.Duration{10 * time.Second, time.Millisecond} {
		t.Run(deadline.String(), func(t *testing.T) {
			b := New(Config{
				Workers:       3,
				QueueSizes:    [3]int{8, 8, 8},
				Policy:        Block,
				TopicPolicies: map[Topic]Policy{"old": DropOldest, "new": DropNewest},
			}, nil)
			var handled atomic.Uint64
			h := func(Event) {
				handled.Add(1)
				runtime.Gosched()
			}
			topics := []Topic{"block", "old", "new"}
			for _, tp := range topics {
				b.Subscribe(tp, h)
			}
			var (
				wg       sync.WaitGroup
				accepted atomic.Uint64
				started  = make(chan struct{}, 16)
			)
			for p := range 16 {
				wg.Go(func() {
					started <- struct{}{}
					for i := 0; ; i++ {
						err := b.Publish(Event{Topic: topics[(p+i)%3], Key: keyNames[p], Priority: Priority(i % 3)})
						if errors.Is(err, ErrClosed) {
							return
						}
						if err != nil {
							t.Errorf("publish: %v", err)
							return
						}
						accepted.Add(1)
					}
				})
			}
			for range 16 {
				recv(t, "a publisher to start", started)
			}
			eventually(t, "some deliveries", func() bool { return handled.Load() > 1000 })
			ctx, cancel := context.WithTimeout(context.Background(), deadline)
			defer cancel()
			err := b.Close(ctx)
			wg.Wait()
			if err != nil && !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("close: %v", err)
			}
			m := b.Metrics()
			if m.Published != accepted.Load() {
				t.Fatalf("published %d, publishers saw %d accepted", m.Published, accepted.Load())
			}
			if m.Delivered != handled.Load() {
				t.Fatalf("delivered %d, handler ran %d times", m.Delivered, handled.Load())
			}
			if m.QueueDepths != [3]int{} {
				t.Fatalf("queues not empty after close: %v", m.QueueDepths)
			}
			checkBalance(t, m)
		})
	}
}

func TestCloseIsIdempotentAndConcurrent(t *testing.T) {
	b := New(Config{Workers: 2}, nil)
	b.Subscribe("t", func(Event) {})
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() { errs <- b.Close(context.Background()) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("close: %v", err)
		}
	}
	if err := b.Publish(Event{Topic: "t"}); !errors.Is(err, ErrClosed) {
		t.Fatalf("publish after close: %v, want ErrClosed", err)
	}
	// Subscribing after close is harmless.
	b.Subscribe("t", func(Event) {})()
}

// A context that is already done makes Close discard at once, yet it still
// waits for the worker to leave its handler.
func TestCloseWithDoneContext(t *testing.T) {
	b, g := fullQueue(t, Config{Policy: DropNewest})
	publish(t, b, "t", "e1")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	closed := make(chan error, 1)
	go func() { closed <- b.Close(ctx) }()
	eventually(t, "close to give up draining", b.abandon.Load)
	select {
	case err := <-closed:
		t.Fatalf("close returned %v while a handler was running", err)
	default:
	}
	close(g.release)
	if err := recv(t, "close", closed); !errors.Is(err, context.Canceled) {
		t.Fatalf("close: %v, want context.Canceled", err)
	}
	if m := b.Metrics(); m.Dropped["close"] != 1 {
		t.Fatalf("dropped %v, want 1 at close", m.Dropped)
	}
}
