package config

import (
	"fmt"
	"net"
	"regexp"
	"strings"
)

// ValueError is a configuration value out of range. Key is dotted
// ("eventbus.backpressure_strategy").
type ValueError struct {
	Key     string
	Value   any
	Allowed string
}

func (e *ValueError) Error() string {
	return fmt.Sprintf("%s = %v is not allowed: %s", e.Key, e.Value, e.Allowed)
}

// Validate checks every value and returns the first error.
func (c *Config) Validate() error {
	switch c.EventBus.BackpressureStrategy {
	case "block", "drop_oldest", "drop_newest":
	default:
		return &ValueError{"eventbus.backpressure_strategy", quote(c.EventBus.BackpressureStrategy), `use "block", "drop_oldest" or "drop_newest"`}
	}
	if c.EventBus.WorkerPoolSize < 0 || c.EventBus.WorkerPoolSize > 1024 {
		return &ValueError{"eventbus.worker_pool_size", c.EventBus.WorkerPoolSize, "use 0 (auto) or 1..1024"}
	}
	if len(c.EventBus.QueueSizes) != 3 {
		return &ValueError{"eventbus.queue_sizes", c.EventBus.QueueSizes, "use three sizes: [high, medium, low], e.g. [100, 500, 1000]"}
	}
	for _, n := range c.EventBus.QueueSizes {
		if n < 1 || n > 1<<20 {
			return &ValueError{"eventbus.queue_sizes", c.EventBus.QueueSizes, "each size must be 1..1048576"}
		}
	}
	positive := []struct {
		key       string
		v, lo, hi int
	}{
		{"process_manager.max_concurrent_starts", c.ProcessManager.MaxConcurrentStarts, 1, 1024},
		{"process_manager.stop_grace_ms", c.ProcessManager.StopGraceMS, 0, 600000},
		{"log_store.max_entries", c.LogStore.MaxEntries, 100, 10_000_000},
		{"log_store.max_line_bytes", c.LogStore.MaxLineBytes, 256, 16 << 20},
		{"log_store.max_bytes_mb", c.LogStore.MaxBytesMB, 1, 16384},
		{"notifications.log_queue_size", c.Notifications.LogQueueSize, 1, 1 << 20},
		{"notifications.max_diagnostics_per_uri", c.Notifications.MaxDiagnosticsPerURI, 1, 1 << 20},
		{"notifications.queue_size", c.Notifications.QueueSize, 1, 1 << 20},
		{"resources.max_goroutines", c.Resources.MaxGoroutines, 100, 1 << 24},
		{"resources.memory_limit_mb", c.Resources.MemoryLimitMB, 16, 1 << 20},
		{"resources.sample_interval_ms", c.Resources.SampleIntervalMS, 100, 3600000},
		{"proxy.max_source_maps", c.Proxy.MaxSourceMaps, 0, 4096},
		{"proxy.max_source_map_mb", c.Proxy.MaxSourceMapMB, 0, 4096},
		{"proxy.telemetry_per_second", c.Proxy.TelemetryPerSecond, 0, 10000},
	}
	for _, p := range positive {
		if p.v < p.lo || p.v > p.hi {
			return &ValueError{p.key, p.v, fmt.Sprintf("use %d..%d", p.lo, p.hi)}
		}
	}
	if ip := net.ParseIP(c.Proxy.Bind); c.Proxy.Bind != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return &ValueError{"proxy.bind", quote(c.Proxy.Bind), `use a loopback address ("127.0.0.1", "::1" or "localhost")`}
	}
	switch c.PackageManager {
	case "", "npm", "yarn", "pnpm", "bun":
	default:
		return &ValueError{"package_manager", quote(c.PackageManager), `use "npm", "yarn", "pnpm" or "bun"`}
	}
	for i, m := range c.ProblemMatcher {
		key := fmt.Sprintf("problem_matchers[%d]", i)
		kinds := 0
		for _, set := range []bool{m.Name != "", m.Regexp != "", len(m.Errorformat) > 0} {
			if set {
				kinds++
			}
		}
		if kinds != 1 {
			return &ValueError{key, "", `set exactly one of "name", "regexp" or "errorformat"`}
		}
		if m.Regexp != "" {
			if _, err := regexp.Compile(m.Regexp); err != nil {
				return &ValueError{key + ".regexp", quote(m.Regexp), "not a valid regular expression: " + err.Error()}
			}
			if m.File == 0 || m.Line == 0 {
				return &ValueError{key, quote(m.Regexp), `a regexp matcher needs the group numbers "file" and "line"`}
			}
		}
		switch strings.ToLower(m.DefaultSeverity) {
		case "", "error", "warning", "info", "hint":
		default:
			return &ValueError{key + ".default_severity", quote(m.DefaultSeverity), `use "error", "warning", "info" or "hint"`}
		}
	}
	return nil
}

func quote(s string) string { return fmt.Sprintf("%q", s) }
