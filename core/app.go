package core

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"sort"
	"sync"

	"github.com/brummer-dev/brummer/core/config"
	"github.com/brummer-dev/brummer/eventbus"
	"github.com/brummer-dev/brummer/logstore"
	"github.com/brummer-dev/brummer/procmgr"
	"github.com/brummer-dev/brummer/proxy"
	"go.uber.org/zap"
)

// Sentinel errors; wrapped with details that say what exists.
var (
	ErrUnknownScript  = errors.New("core: unknown script")
	ErrUnknownProcess = errors.New("core: unknown process")
	ErrAlreadyRunning = errors.New("core: script already running")
	ErrOutsideRoots   = errors.New("core: directory outside the workspace")
	ErrClosed         = errors.New("core: closed")
)

// OutputFunc sees every line stored for a process, in order per stream: the
// system line "> npm run dev" before the first line of output, then stdout
// and stderr as read (each from its own reader goroutine), then the system
// line saying how it ended. It runs on the reader goroutines: a slow
// OutputFunc slows the script down, which suits a terminal and nothing else.
// The slice is reused once it returns (the strings stay valid).
type OutputFunc func(proc ProcessRef, stream logstore.Stream, lines []logstore.Line)

// ProcessRef names the process a line belongs to; it is known before Run
// returns the process.
type ProcessRef struct {
	ID     string
	Script string
	Dir    string
}

// Options to build an App.
type Options struct {
	Roots  []string      // absolute workspace roots (at least one)
	Config config.Config // merged configuration
	Log    *zap.Logger
	Watch  bool // watch manifests, lockfiles and .brummer.toml with fsnotify
	// ConfigJSON (initializationOptions) is applied again over .brummer.toml
	// when the watcher reloads it, so editor settings keep winning.
	ConfigJSON []byte
	// Output, if set, receives every line (see OutputFunc).
	Output OutputFunc
}

// Stats of the core, for brummer/stats.
type Stats struct {
	EventBus   eventbus.Metrics `json:"eventBus"`
	LogStore   logstore.Stats   `json:"logStore"`
	Goroutines int              `json:"goroutines"`
	HeapBytes  uint64           `json:"heapBytes"`
	Processes  int              `json:"processes"`
	Running    int              `json:"running"`
	Proxy      *proxy.Stats     `json:"proxy"` // null when the proxy is off
}

// App is the running application. Lock order inside core, outermost first:
// procMu, cfgMu, wsMu. procMu is held around procmgr.Get only (pruneLocked),
// which takes procmgr's lock and calls nothing back; no core lock is held
// while calling logstore, the bus or a procmgr method that publishes.
type App struct {
	log        *zap.Logger
	roots      []string
	configJSON []byte
	output     OutputFunc

	bus   *eventbus.Bus
	store *logstore.Store
	mgr   *procmgr.Manager
	proxy *proxy.Proxy // nil when [proxy] enabled = false at start

	procMu   sync.Mutex
	procs    map[string]*procState    // by process id
	starting map[string]*procmgr.Spec // by dir+"\x00"+script, while Run starts it
	closing  bool

	cfgMu          sync.RWMutex
	cfg            config.Config
	configWarnings []string

	wsMu sync.RWMutex
	ws   Workspace

	unsubscribe []func()
	waiters     sync.WaitGroup // one per started process, until it finished
	watch       *watcher
	closeOnce   sync.Once
	closeErr    error
}

// New wires the bus, the log store and the process manager, and discovers
// the workspace.
func New(opts Options) (*App, error) {
	if len(opts.Roots) == 0 {
		return nil, errors.New("core: no workspace root (open a folder, or pass --dir)")
	}
	log := opts.Log
	if log == nil {
		log = zap.NewNop()
	}
	roots := make([]string, len(opts.Roots))
	for i, r := range opts.Roots {
		abs, err := filepath.Abs(r)
		if err != nil {
			return nil, fmt.Errorf("workspace root %q: %w", r, err)
		}
		roots[i] = abs
	}
	cfg := opts.Config.Clone()
	matchers, matcherWarnings := userMatchers(cfg.ProblemMatcher)
	for _, w := range matcherWarnings {
		log.Warn("problem matcher", zap.String("warning", w))
	}
	a := &App{
		log:            log,
		roots:          roots,
		configJSON:     opts.ConfigJSON,
		output:         opts.Output,
		procs:          map[string]*procState{},
		starting:       map[string]*procmgr.Spec{},
		cfg:            cfg,
		configWarnings: matcherWarnings,
	}
	a.bus = eventbus.New(busConfig(cfg.EventBus), log.Named("eventbus"))
	a.store = logstore.New(logstore.Config{
		MaxEntries: cfg.LogStore.MaxEntries,
		MaxBytes:   int64(cfg.LogStore.MaxBytesMB) << 20,
		Matchers:   matchers,
	}, a.bus, log.Named("logstore"))
	a.mgr = procmgr.New(procConfig(cfg), a.bus, sink{a}, log.Named("procmgr"))
	a.unsubscribe = append(a.unsubscribe, a.bus.Subscribe(logstore.TopicURLDetected, a.onURL))
	if cfg.Proxy.Enabled {
		pc := proxyConfig(cfg.Proxy)
		pc.Workspace = a.processWorkspace
		a.proxy = proxy.New(pc, a.bus, a.onBrowser, log.Named("proxy"))
		// Subscribed after onURL: events of one process are handled in
		// order, so the URL is recorded before its proxy is ready.
		a.unsubscribe = append(a.unsubscribe,
			a.bus.Subscribe(logstore.TopicURLDetected, a.openProxy),
			a.bus.Subscribe(proxy.TopicProxyReady, a.onProxyReady))
	}
	a.ws = Discover(roots, cfg.PackageManager, log)
	if opts.Watch {
		w, err := newWatcher(a)
		if err != nil {
			// The app works without live rescans; say so once.
			log.Warn("watching the workspace failed; manifests are read once", zap.Error(err))
			a.configWarnings = append(a.configWarnings, fmt.Sprintf("watching the workspace: %v (changes need a restart)", err))
		} else {
			a.watch = w
		}
	}
	return a, nil
}

func busConfig(c config.EventBus) eventbus.Config {
	var bc eventbus.Config
	bc.Workers = c.WorkerPoolSize
	copy(bc.QueueSizes[:], c.QueueSizes)
	switch c.BackpressureStrategy {
	case "block":
		bc.Policy = eventbus.Block
	case "drop_newest":
		bc.Policy = eventbus.DropNewest
	default:
		bc.Policy = eventbus.DropOldest
	}
	// The store publishes from procmgr's readers, which must never wait:
	// its topics keep their dropping policies even when the user picked
	// "block".
	bc.TopicPolicies = logstore.Policies()
	return bc
}

func procConfig(cfg config.Config) procmgr.Config {
	return procmgr.Config{
		MaxConcurrentStarts: cfg.ProcessManager.MaxConcurrentStarts,
		StopGrace:           msDuration(cfg.ProcessManager.StopGraceMS),
		MaxLineBytes:        cfg.LogStore.MaxLineBytes,
	}
}

// Bus is the event bus, for subscribers such as the language server.
func (a *App) Bus() *eventbus.Bus { return a.bus }

// Config is the configuration in effect.
func (a *App) Config() config.Config {
	a.cfgMu.RLock()
	defer a.cfgMu.RUnlock()
	return a.cfg.Clone()
}

// ApplyConfig takes a new configuration live: log store limits, the
// preferred package manager (manifests are rescanned) and the environment
// of scripts started from now on. Event bus and process manager sizes are
// read once at New.
func (a *App) ApplyConfig(cfg config.Config) error {
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("applying the configuration: %w", err)
	}
	a.cfgMu.Lock()
	a.cfg = cfg.Clone()
	a.cfgMu.Unlock()
	a.store.SetLimits(cfg.LogStore.MaxEntries, int64(cfg.LogStore.MaxBytesMB)<<20)
	a.Rescan()
	return nil
}

// Roots are the workspace roots.
func (a *App) Roots() []string { return append([]string(nil), a.roots...) }

// Rescan discovers the manifests again.
func (a *App) Rescan() {
	ws := Discover(a.roots, a.Config().PackageManager, a.log)
	a.wsMu.Lock()
	a.ws = ws
	a.wsMu.Unlock()
}

// Manifests are the workspace's package.json files, the root's first.
func (a *App) Manifests() []Manifest {
	a.wsMu.RLock()
	defer a.wsMu.RUnlock()
	return append([]Manifest(nil), a.ws.Manifests...)
}

// Scripts are the scripts of every readable manifest.
func (a *App) Scripts() []Script {
	a.wsMu.RLock()
	defer a.wsMu.RUnlock()
	return a.ws.Scripts()
}

// Warnings a person should see: several lockfiles, unknown configuration
// keys, unusable problem matchers, a watcher that could not start.
func (a *App) Warnings() []string {
	a.cfgMu.RLock()
	out := append([]string(nil), a.configWarnings...)
	a.cfgMu.RUnlock()
	a.wsMu.RLock()
	out = append(out, a.ws.Warnings...)
	a.wsMu.RUnlock()
	return out
}

// ParseManifest parses manifest text as an editor holds it (maybe unsaved),
// with the package manager discovery found for that file.
func (a *App) ParseManifest(path string, text []byte) Manifest {
	abs, err := filepath.Abs(path)
	if err == nil {
		path = abs
	}
	m := parseManifest(path, text)
	if m.Err != nil {
		return m.Manifest
	}
	manager := m.pmField
	if manager == "" {
		for _, known := range a.Manifests() {
			if known.Path == m.Path && known.Err == nil {
				manager = known.PackageManager
			}
		}
	}
	if manager == "" {
		root := m.Dir
		for _, r := range a.roots {
			if isInside(r, m.Dir) {
				root = r
			}
		}
		manager = detectManager(m.Dir, root, "", "", a.Config().PackageManager).manager
	}
	m.PackageManager = manager
	for i := range m.Scripts {
		m.Scripts[i].PackageManager = manager
	}
	return m.Manifest
}

// Stats reports the health of the core.
func (a *App) Stats() Stats {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	list := a.mgr.List()
	running := 0
	for _, s := range list {
		if s.Status.Active() {
			running++
		}
	}
	return Stats{
		EventBus:   a.bus.Metrics(),
		LogStore:   a.store.Stats(),
		Proxy:      a.proxyStats(),
		Goroutines: runtime.NumGoroutine(),
		HeapBytes:  ms.HeapAlloc,
		Processes:  len(list),
		Running:    running,
	}
}

// Close stops every process (whole trees), then the process manager, the
// log store and the bus. Idempotent; later calls return the first result.
func (a *App) Close(ctx context.Context) error {
	a.closeOnce.Do(func() {
		if a.watch != nil {
			a.watch.close()
		}
		a.procMu.Lock()
		a.closing = true
		a.procMu.Unlock()
		var errs []error
		if err := a.mgr.Close(ctx); err != nil {
			errs = append(errs, fmt.Errorf("stopping processes: %w", err))
		}
		// Every Done channel is closed once procmgr closed: the waiters
		// write their last line and end.
		a.waiters.Wait()
		for _, u := range a.unsubscribe {
			u()
		}
		if a.proxy != nil {
			if err := a.proxy.Close(ctx); err != nil {
				errs = append(errs, fmt.Errorf("closing the proxies: %w", err))
			}
		}
		a.store.Close()
		if err := a.bus.Close(ctx); err != nil {
			errs = append(errs, fmt.Errorf("closing the event bus: %w", err))
		}
		a.closeErr = errors.Join(errs...)
	})
	return a.closeErr
}

func (a *App) proxyStats() *proxy.Stats {
	if a.proxy == nil {
		return nil
	}
	st := a.proxy.Stats()
	return &st
}

func sortedEnv(env map[string]string) []string {
	out := make([]string, 0, len(env))
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}
