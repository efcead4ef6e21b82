package config

// Config is the whole configuration: defaults, then .brummer.toml, then the
// editor's initializationOptions, then workspace/didChangeConfiguration.
// JSON and TOML use the same key names.
type Config struct {
	EventBus       EventBus         `toml:"eventbus" json:"eventbus"`
	ProcessManager ProcessManager   `toml:"process_manager" json:"process_manager"`
	LogStore       LogStore         `toml:"log_store" json:"log_store"`
	Proxy          Proxy            `toml:"proxy" json:"proxy"`
	Notifications  Notifications    `toml:"notifications" json:"notifications"`
	Resources      Resources        `toml:"resources" json:"resources"`
	MCP            MCP              `toml:"mcp" json:"mcp"`
	ProblemMatcher []ProblemMatcher `toml:"problem_matchers" json:"problem_matchers"`
	// PackageManager is the preferred manager when a package names none and
	// has no lockfile: npm, yarn, pnpm or bun.
	PackageManager string `toml:"package_manager" json:"package_manager"`
	// Env is added to every script's environment.
	Env map[string]string `toml:"env" json:"env"`
}

type EventBus struct {
	// WorkerPoolSize: 0 = auto, clamp(NumCPU*2.5, 4, 32).
	WorkerPoolSize int `toml:"worker_pool_size" json:"worker_pool_size"`
	// QueueSizes: capacities of the high, medium and low priority queues.
	QueueSizes []int `toml:"queue_sizes" json:"queue_sizes"`
	// BackpressureStrategy: block, drop_oldest or drop_newest.
	BackpressureStrategy string `toml:"backpressure_strategy" json:"backpressure_strategy"`
}

type ProcessManager struct {
	MaxConcurrentStarts int `toml:"max_concurrent_starts" json:"max_concurrent_starts"`
	StopGraceMS         int `toml:"stop_grace_ms" json:"stop_grace_ms"`
}

type LogStore struct {
	MaxEntries   int `toml:"max_entries" json:"max_entries"`
	MaxLineBytes int `toml:"max_line_bytes" json:"max_line_bytes"`
	MaxBytesMB   int `toml:"max_bytes_mb" json:"max_bytes_mb"`
}

type Proxy struct {
	Enabled       bool   `toml:"enabled" json:"enabled"`
	InjectMonitor bool   `toml:"inject_monitor" json:"inject_monitor"`
	Bind          string `toml:"bind" json:"bind"`
	// MaxSourceMaps and MaxSourceMapMB bound the source maps kept per proxy
	// to place browser errors; TelemetryPerSecond the monitor reports a
	// proxy takes (twice as many in a burst). 0 = the default.
	MaxSourceMaps      int `toml:"max_source_maps" json:"max_source_maps"`
	MaxSourceMapMB     int `toml:"max_source_map_mb" json:"max_source_map_mb"`
	TelemetryPerSecond int `toml:"telemetry_per_second" json:"telemetry_per_second"`
}

type Notifications struct {
	// LogQueueSize bounds queued brummer/logAppended batches (oldest dropped).
	LogQueueSize int `toml:"log_queue_size" json:"log_queue_size"`
	// MaxDiagnosticsPerURI bounds the diagnostics of one file.
	MaxDiagnosticsPerURI int `toml:"max_diagnostics_per_uri" json:"max_diagnostics_per_uri"`
	// QueueSize bounds the other queued notifications (snapshots coalesce).
	QueueSize int `toml:"queue_size" json:"queue_size"`
}

// MCP is the agents' face: `brummer lsp` opens the workspace socket that
// `brummer mcp` attaches to.
type MCP struct {
	Socket bool `toml:"socket" json:"socket"`
}

type Resources struct {
	MaxGoroutines    int `toml:"max_goroutines" json:"max_goroutines"`
	MemoryLimitMB    int `toml:"memory_limit_mb" json:"memory_limit_mb"`
	SampleIntervalMS int `toml:"sample_interval_ms" json:"sample_interval_ms"`
}

// ProblemMatcher is a user pattern: either Regexp with group numbers (VS Code
// problem-matcher style) or Errorformat (Vim 'errorformat' lines), or Name,
// one of the formats known by name (errorformat's fmts).
type ProblemMatcher struct {
	Name        string   `toml:"name" json:"name"`
	Source      string   `toml:"source" json:"source"`
	Regexp      string   `toml:"regexp" json:"regexp"`
	File        int      `toml:"file" json:"file"`
	Line        int      `toml:"line" json:"line"`
	Column      int      `toml:"column" json:"column"`
	EndLine     int      `toml:"end_line" json:"end_line"`
	EndColumn   int      `toml:"end_column" json:"end_column"`
	Severity    int      `toml:"severity" json:"severity"`
	Code        int      `toml:"code" json:"code"`
	Message     int      `toml:"message" json:"message"`
	Errorformat []string `toml:"errorformat" json:"errorformat"`
	// DefaultSeverity when the pattern has no severity group: error or warning.
	DefaultSeverity string `toml:"default_severity" json:"default_severity"`
}

// Default returns the configuration with every default filled in.
func Default() Config {
	return Config{
		EventBus: EventBus{
			WorkerPoolSize:       0,
			QueueSizes:           []int{100, 500, 1000},
			BackpressureStrategy: "drop_oldest",
		},
		ProcessManager: ProcessManager{MaxConcurrentStarts: 10, StopGraceMS: 5000},
		LogStore:       LogStore{MaxEntries: 10000, MaxLineBytes: 65536, MaxBytesMB: 64},
		Proxy: Proxy{Enabled: true, InjectMonitor: true, Bind: "127.0.0.1",
			MaxSourceMaps: 64, MaxSourceMapMB: 64, TelemetryPerSecond: 20},
		Notifications:  Notifications{LogQueueSize: 256, MaxDiagnosticsPerURI: 1000, QueueSize: 1024},
		Resources:      Resources{MaxGoroutines: 10000, MemoryLimitMB: 512, SampleIntervalMS: 5000},
		MCP:            MCP{Socket: true},
		PackageManager: "",
	}
}
