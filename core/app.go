package core

// CONTRACT STUB: the core helper replaces the bodies; signatures are the
// contract used by cmd/brummer and lsp.

import (
	"context"
	"errors"

	"github.com/brummer-dev/brummer/core/config"
	"github.com/brummer-dev/brummer/eventbus"
	"github.com/brummer-dev/brummer/logstore"
	"go.uber.org/zap"
)

// Sentinel errors; wrapped with details that say what exists.
var (
	ErrUnknownScript  = errors.New("core: unknown script")
	ErrUnknownProcess = errors.New("core: unknown process")
	ErrAlreadyRunning = errors.New("core: script already running")
	ErrOutsideRoots   = errors.New("core: directory outside the workspace")
)

// Options to build an App.
type Options struct {
	Roots  []string      // absolute workspace roots (at least one)
	Config config.Config // merged configuration
	Log    *zap.Logger
	Watch  bool // watch manifests, lockfiles and .brummer.toml with fsnotify
}

// Stats of the core, for brummer/stats.
type Stats struct {
	EventBus   eventbus.Metrics `json:"eventBus"`
	LogStore   logstore.Stats   `json:"logStore"`
	Goroutines int              `json:"goroutines"`
	HeapBytes  uint64           `json:"heapBytes"`
	Processes  int              `json:"processes"`
	Running    int              `json:"running"`
}

// App is the running application.
type App struct{}

func New(opts Options) (*App, error)               { return nil, errors.New("unimplemented") }
func (a *App) Bus() *eventbus.Bus                  { return nil }
func (a *App) Config() config.Config               { return config.Default() }
func (a *App) ApplyConfig(cfg config.Config) error { return nil }
func (a *App) Roots() []string                     { return nil }
func (a *App) Manifests() []Manifest               { return nil }
func (a *App) Scripts() []Script                   { return nil }
func (a *App) ParseManifest(path string, text []byte) Manifest {
	return Manifest{}
}
func (a *App) Run(ctx context.Context, script, dir string) (Process, error) {
	return Process{}, nil
}
func (a *App) Stop(ctx context.Context, id string) (Process, error)    { return Process{}, nil }
func (a *App) Restart(ctx context.Context, id string) (Process, error) { return Process{}, nil }
func (a *App) StopAll(ctx context.Context) error                       { return nil }
func (a *App) RestartAll(ctx context.Context) ([]Process, error)       { return nil, nil }
func (a *App) ClearLogs(id string) error                               { return nil }
func (a *App) Process(id string) (Process, bool)                       { return Process{}, false }
func (a *App) Processes() []Process                                    { return nil }
func (a *App) Logs(q logstore.Query) (logstore.Result, error)          { return logstore.Result{}, nil }
func (a *App) Problems(id string) []ProcessProblem                     { return nil }
func (a *App) URLs() []URL                                             { return nil }
func (a *App) Stats() Stats                                            { return Stats{} }
func (a *App) Close(ctx context.Context) error                         { return nil }
