package lsp

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/brummer-dev/brummer/core/config"
	"github.com/brummer-dev/brummer/logstore"
	"go.uber.org/zap"
)

func TestHealthShedsPast95AndRestores(t *testing.T) {
	peer := newGatedPeer()
	s := &Server{log: zap.NewNop(), docs: map[string][]byte{}}
	s.out = newOutbox(peer, zap.NewNop(), outboxLimits{}, func(string) any { return nil })
	defer s.out.close()
	h := &health{s: s, res: config.Resources{MemoryLimitMB: 100, MaxGoroutines: 10}}
	mb := uint64(1 << 20)

	h.sample(50*mb, 5)
	if s.out.stats().Queued != 0 {
		t.Fatal("a message under 80%")
	}
	h.sample(85*mb, 5) // warns in the log only
	h.sample(96*mb, 5)
	s.out.logBatch("p1", []logstore.Entry{{Text: "x"}}, 0)
	st := s.out.stats()
	if st.DroppedLines != 1 {
		t.Fatalf("log notifications not shed past 95%%: %+v", st)
	}
	h.sample(97*mb, 50) // shedding once, and the goroutine warning
	h.sample(40*mb, 5)
	s.out.logBatch("p1", []logstore.Entry{{Text: "y"}}, 0)
	if got := s.out.stats().DroppedLines; got != 1 {
		t.Fatalf("log notifications not back under 80%%: dropped lines %d", got)
	}
	close(peer.open)
	peer.waitFor(t, "the shed and restore messages", func(ms []outMsg) bool {
		var shed, back int
		for _, m := range ms {
			raw := string(m.params.(json.RawMessage))
			if m.method == "window/logMessage" && strings.Contains(raw, "log notifications paused") {
				shed++
			}
			if m.method == "window/logMessage" && strings.Contains(raw, "resumed") {
				back++
			}
		}
		return shed == 1 && back == 1
	})
}
