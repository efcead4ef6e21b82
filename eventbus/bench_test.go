package eventbus

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

// goroutineBus is the baseline: every Publish starts a goroutine per
// handler, as asaskevich/EventBus's async mode does. It has no bound, no
// order and no backpressure; it is here to be measured against.
type goroutineBus struct {
	mu   sync.RWMutex
	subs map[Topic][]Handler
	wg   sync.WaitGroup
}

func (g *goroutineBus) Subscribe(t Topic, h Handler) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.subs == nil {
		g.subs = map[Topic][]Handler{}
	}
	g.subs[t] = append(g.subs[t], h)
}

func (g *goroutineBus) Publish(e Event) error {
	g.mu.RLock()
	hs := g.subs[e.Topic]
	g.mu.RUnlock()
	for _, h := range hs {
		g.wg.Add(1)
		go func() {
			defer g.wg.Done()
			h(e)
		}()
	}
	return nil
}

type benchPayload struct{ n int }

// benchHandler does next to nothing, so the benchmark measures the bus.
func benchHandler(e Event) {
	if e.Payload.(*benchPayload).n < 0 {
		panic("negative")
	}
}

// publishAll publishes n events from the given number of goroutines, each
// on its own keys, and returns when every Publish has returned.
func publishAll(b *testing.B, pub Publisher, n, publishers int) {
	var wg sync.WaitGroup
	payload := &benchPayload{n: 1}
	for p := range publishers {
		count := n / publishers
		if p == 0 {
			count += n % publishers
		}
		keys := make([]string, 8)
		for i := range keys {
			keys[i] = fmt.Sprintf("p%d-k%d", p, i)
		}
		wg.Go(func() {
			for i := range count {
				if err := pub.Publish(Event{Topic: "bench", Key: keys[i%len(keys)], Priority: Medium, Payload: payload}); err != nil {
					b.Errorf("publish: %v", err)
					return
				}
			}
		})
	}
	wg.Wait()
}

// BenchmarkPublishToHandle measures events per second from Publish to the
// last handler having run (the bus is closed, i.e. drained, inside the
// timed part), for the bus and the goroutine-per-handler baseline.
func BenchmarkPublishToHandle(b *testing.B) {
	for _, handlers := range []int{1, 4, 16} {
		for _, publishers := range []int{1, 4, 16} {
			name := fmt.Sprintf("handlers=%d/publishers=%d", handlers, publishers)
			b.Run(name+"/bus", func(b *testing.B) {
				bus := New(Config{Policy: Block}, nil)
				for range handlers {
					bus.Subscribe("bench", benchHandler)
				}
				b.ReportAllocs()
				b.ResetTimer()
				start := time.Now()
				publishAll(b, bus, b.N, publishers)
				if err := bus.Close(context.Background()); err != nil {
					b.Fatal(err)
				}
				elapsed := time.Since(start)
				b.StopTimer()
				if m := bus.Metrics(); m.Delivered != uint64(b.N) {
					b.Fatalf("delivered %d of %d", m.Delivered, b.N)
				}
				b.ReportMetric(float64(b.N)/elapsed.Seconds(), "events/s")
			})
			b.Run(name+"/goroutine-per-handler", func(b *testing.B) {
				g := &goroutineBus{}
				for range handlers {
					g.Subscribe("bench", benchHandler)
				}
				b.ReportAllocs()
				b.ResetTimer()
				start := time.Now()
				publishAll(b, g, b.N, publishers)
				g.wg.Wait()
				elapsed := time.Since(start)
				b.ReportMetric(float64(b.N)/elapsed.Seconds(), "events/s")
			})
		}
	}
}

// BenchmarkPublish measures Publish alone on a bus whose queues drop, so
// publishers never wait: the hot path's cost and allocations.
func BenchmarkPublish(b *testing.B) {
	bus := New(Config{Policy: DropNewest}, nil)
	defer bus.Close(context.Background())
	bus.Subscribe("bench", benchHandler)
	payload := &benchPayload{n: 1}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		e := Event{Topic: "bench", Key: "k", Priority: Medium, Payload: payload}
		for pb.Next() {
			_ = bus.Publish(e)
		}
	})
}

// shardConsumer drains a shard the way a worker does (batch takes, sleep
// on the capacity-1 signal), minus the dispatch, until it has seen n events.
func shardConsumer(s *shard, n int, done chan<- struct{}) {
	defer close(done)
	var batch [batchSize]item
	for seen := 0; seen < n; {
		s.mu.Lock()
		k := s.takeLocked(batch[:])
		if k == 0 {
			s.idle = true
			s.mu.Unlock()
			<-s.signal
			continue
		}
		s.mu.Unlock()
		for i := range batch[:k] {
			benchHandler(batch[i].ev)
		}
		clear(batch[:k])
		seen += k
	}
}

type shardPublisher struct {
	s       *shard
	closing chan struct{}
}

func (p shardPublisher) Publish(e Event) error { return p.s.push(e, Block, p.closing) }

type chanPublisher chan Event

func (c chanPublisher) Publish(e Event) error {
	c <- e
	return nil
}

// BenchmarkQueueDesign compares the queue of a shard (ring under a mutex,
// batch takes, capacity-1 wake-up channel) with a buffered channel of
// events of the same capacity, each with one consumer doing the same
// trivial handling. The channel has a single priority, which flatters it:
// three would need a nested select per event.
func BenchmarkQueueDesign(b *testing.B) {
	for _, publishers := range []int{1, 4, 16} {
		b.Run(fmt.Sprintf("publishers=%d/ring", publishers), func(b *testing.B) {
			s := newShard([3]int{500, 500, 500})
			done := make(chan struct{})
			b.ReportAllocs()
			b.ResetTimer()
			go shardConsumer(s, b.N, done)
			publishAll(b, shardPublisher{s, make(chan struct{})}, b.N, publishers)
			<-done
		})
		b.Run(fmt.Sprintf("publishers=%d/chan", publishers), func(b *testing.B) {
			ch := make(chan Event, 500)
			done := make(chan struct{})
			b.ReportAllocs()
			b.ResetTimer()
			go func() {
				defer close(done)
				for e := range ch {
					benchHandler(e)
				}
			}()
			publishAll(b, chanPublisher(ch), b.N, publishers)
			close(ch)
			<-done
		})
	}
}
