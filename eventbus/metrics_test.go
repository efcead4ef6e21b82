package eventbus

import (
	"testing"
	"time"
)

func TestHistogramBuckets(t *testing.T) {
	prev := -1
	for ns := uint64(0); ns < 1<<20; ns += 1 + ns/64 {
		i := bucketOf(ns)
		lo, hi := bucketBounds(i)
		if float64(ns) < lo || float64(ns) >= hi {
			t.Fatalf("%dns in bucket %d = [%v, %v)", ns, i, lo, hi)
		}
		if i < prev {
			t.Fatalf("bucket of %dns is %d, below the previous %d", ns, i, prev)
		}
		if ns >= 4 && (hi-lo)/lo > 0.25 {
			t.Fatalf("bucket %d [%v, %v) is wider than 25%%", i, lo, hi)
		}
		prev = i
	}
	if i := bucketOf(^uint64(0)); i >= histBuckets {
		t.Fatalf("max duration in bucket %d of %d", i, histBuckets)
	}
}

func TestHistogramQuantiles(t *testing.T) {
	var h histogram
	if h.quantile(0.5) != 0 {
		t.Fatal("empty histogram has a median")
	}
	for range 99 {
		h.observe(10 * time.Microsecond)
	}
	h.observe(10 * time.Millisecond)
	within := func(got, want time.Duration) bool {
		return got >= want*3/4 && got <= want*5/4
	}
	if p50 := h.quantile(0.5); !within(p50, 10*time.Microsecond) {
		t.Fatalf("p50 %v, want about 10µs", p50)
	}
	if p999 := h.quantile(0.999); !within(p999, 10*time.Millisecond) {
		t.Fatalf("p99.9 %v, want about 10ms", p999)
	}
}

func TestMetricsLatency(t *testing.T) {
	b := newTestBus(t, Config{Workers: 1})
	defer b.Subscribe("t", func(Event) {
		// Long enough to dominate the clock reads around it.
		end := time.Now().Add(50 * time.Microsecond)
		for time.Now().Before(end) {
		}
	})()
	for range 64 {
		if err := b.Publish(Event{Topic: "t"}); err != nil {
			t.Fatal(err)
		}
	}
	closeBus(t, b)
	m := b.Metrics()
	if m.LatencyP50us < 40 || m.LatencyP50us > 5000 || m.LatencyP99us < m.LatencyP50us {
		t.Fatalf("latency p50 %vµs p99 %vµs, want p50 about 50µs and p99 >= p50", m.LatencyP50us, m.LatencyP99us)
	}
	if m.Workers != 1 {
		t.Fatalf("workers %d, want 1", m.Workers)
	}
}

func TestPublishDoesNotAllocate(t *testing.T) {
	b := newTestBus(t, Config{Workers: 2, Policy: DropNewest})
	defer b.Subscribe("t", func(Event) {})()
	p := &seqPayload{}
	e := Event{Topic: "t", Key: "k", Priority: Medium, Payload: p}
	if n := testing.AllocsPerRun(10000, func() { _ = b.Publish(e) }); n != 0 {
		t.Fatalf("publish allocates %v times per event", n)
	}
	unrouted := Event{Topic: "nobody", Key: "k", Payload: p}
	if n := testing.AllocsPerRun(1000, func() { _ = b.Publish(unrouted) }); n != 0 {
		t.Fatalf("publish to an unsubscribed topic allocates %v times", n)
	}
}

func TestDefaults(t *testing.T) {
	if w := DefaultWorkers(); w < 4 || w > 32 {
		t.Fatalf("default workers %d outside [4, 32]", w)
	}
	b := newTestBus(t, Config{Workers: 4, Policy: Policy(9)})
	if b.policy != DropOldest {
		t.Fatalf("unknown policy became %v, want drop_oldest", b.policy)
	}
	s := b.workers[0].shard
	if got := [3]int{len(s.rings[0].buf), len(s.rings[1].buf), len(s.rings[2].buf)}; got != [3]int{25, 125, 250} {
		t.Fatalf("per-shard capacities %v, want the defaults split over 4 shards", got)
	}
}
