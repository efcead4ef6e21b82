package eventbus

import (
	"sync/atomic"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"
)

func TestPanicIsolation(t *testing.T) {
	core, logs := observer.New(zapcore.ErrorLevel)
	b := New(Config{Workers: 1}, zap.New(core))
	var before, after, other atomic.Int64
	b.Subscribe("t", func(Event) { before.Add(1) })
	b.Subscribe("t", func(e Event) {
		if e.Payload.(int)%2 == 0 {
			panic("handler bug")
		}
	})
	b.Subscribe("t", func(Event) { after.Add(1) })
	b.Subscribe("u", func(Event) { other.Add(1) })
	for i := range 10 {
		if err := b.Publish(Event{Topic: "t", Key: "k", Payload: i}); err != nil {
			t.Fatal(err)
		}
		if err := b.Publish(Event{Topic: "u", Key: "k", Payload: i}); err != nil {
			t.Fatal(err)
		}
	}
	closeBus(t, b)
	if before.Load() != 10 || after.Load() != 10 || other.Load() != 10 {
		t.Fatalf("handlers ran %d, %d, %d times, want 10 each", before.Load(), after.Load(), other.Load())
	}
	m := b.Metrics()
	if m.Panics != 5 || m.Delivered != 20 {
		t.Fatalf("panics %d delivered %d, want 5 and 20", m.Panics, m.Delivered)
	}
	entries := logs.FilterMessage("event handler panicked").All()
	if len(entries) != 5 {
		t.Fatalf("logged %d panics, want 5", len(entries))
	}
	fields := entries[0].ContextMap()
	if fields["panic"] != "handler bug" || fields["topic"] != "t" || fields["key"] != "k" {
		t.Fatalf("panic log fields %v", fields)
	}
	checkBalance(t, m)
}
