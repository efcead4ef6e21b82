package lsp

import (
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/brummer-dev/brummer/core/config"
	"go.uber.org/zap"
)

// Memory thresholds, as fractions of resources.memory_limit_mb.
const (
	warnFraction = 0.80
	shedFraction = 0.95
)

// health samples memory and goroutines. Past 80% of the memory limit it
// warns; past 95% it sheds what clients can rebuild: log notifications
// (brummer/logs refills) and the oldest stored lines (a quarter of
// log_store.max_entries is kept), and says so in window/logMessage. Both
// come back once memory is under 80% again.
type health struct {
	s    *Server
	stop func()

	mu        sync.Mutex
	res       config.Resources
	warned    bool
	shedding  bool
	keptLimit int // log_store.max_entries before shedding
	gWarned   bool
}

func startHealth(s *Server, res config.Resources) *health {
	h := &health{s: s, res: res}
	done := make(chan struct{})
	var wg sync.WaitGroup
	var once sync.Once
	h.stop = func() {
		once.Do(func() { close(done) })
		wg.Wait()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			t := time.NewTimer(h.interval())
			select {
			case <-done:
				t.Stop()
				return
			case <-t.C:
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				h.sample(ms.HeapAlloc, runtime.NumGoroutine())
			}
		}
	}()
	return h
}

func (h *health) interval() time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	d := time.Duration(h.res.SampleIntervalMS) * time.Millisecond
	if d < 50*time.Millisecond {
		d = 5 * time.Second
	}
	return d
}

func (h *health) setResources(res config.Resources) {
	h.mu.Lock()
	h.res = res
	h.mu.Unlock()
}

// sample judges one measurement.
func (h *health) sample(heap uint64, goroutines int) {
	h.mu.Lock()
	limit := uint64(h.res.MemoryLimitMB) << 20
	maxG := h.res.MaxGoroutines
	var actions []func()
	if maxG > 0 && goroutines > maxG && !h.gWarned {
		h.gWarned = true
		actions = append(actions, func() {
			h.s.log.Warn("goroutines over resources.max_goroutines", zap.Int("goroutines", goroutines), zap.Int("limit", maxG))
		})
	} else if goroutines <= maxG {
		h.gWarned = false
	}
	if limit > 0 {
		ratio := float64(heap) / float64(limit)
		switch {
		case ratio >= shedFraction && !h.shedding:
			h.shedding, h.warned = true, true
			actions = append(actions, func() { h.shed(heap, limit) })
		case ratio >= warnFraction && !h.warned:
			h.warned = true
			actions = append(actions, func() {
				h.s.log.Warn("memory over 80% of resources.memory_limit_mb", zap.Uint64("heapBytes", heap), zap.Uint64("limitBytes", limit))
			})
		case ratio < warnFraction && (h.warned || h.shedding):
			wasShedding := h.shedding
			h.warned, h.shedding = false, false
			if wasShedding {
				actions = append(actions, h.restore)
			}
		}
	}
	h.mu.Unlock()
	for _, a := range actions {
		a()
	}
}

func (h *health) shed(heap, limit uint64) {
	s := h.s
	s.out.shedLogs(true)
	msg := fmt.Sprintf("brummer: memory at %d MB of %d MB: log notifications paused and older log lines dropped (brummer/logs still answers)", heap>>20, limit>>20)
	if app := s.application(); app != nil {
		cfg := app.Config()
		h.mu.Lock()
		h.keptLimit = cfg.LogStore.MaxEntries
		h.mu.Unlock()
		cfg.LogStore.MaxEntries = max(cfg.LogStore.MaxEntries/4, 100)
		if err := app.ApplyConfig(cfg); err != nil {
			s.log.Warn("shedding log entries", zap.Error(err))
		}
	}
	s.log.Warn(msg)
	s.logMessage(msgWarning, msg)
}

func (h *health) restore() {
	s := h.s
	s.out.shedLogs(false)
	h.mu.Lock()
	kept := h.keptLimit
	h.mu.Unlock()
	if app := s.application(); app != nil && kept > 0 {
		cfg := app.Config()
		cfg.LogStore.MaxEntries = kept
		if err := app.ApplyConfig(cfg); err != nil {
			s.log.Warn("restoring the log store limit", zap.Error(err))
		}
	}
	s.logMessage(msgInfo, "brummer: memory back under 80%: log notifications resumed")
}
