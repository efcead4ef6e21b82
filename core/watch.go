package core

import (
	"path/filepath"
	"sort"
	"time"

	"github.com/brummer-dev/brummer/core/config"
	"github.com/brummer-dev/brummer/eventbus"
	"github.com/fsnotify/fsnotify"
	"go.uber.org/zap"
)

const (
	// debounce gathers the burst of events of one save (editors write a
	// temporary file and rename it) or of one install into one rescan.
	debounce = 100 * time.Millisecond
	// maxDebounce bounds the wait while events keep coming (a long install).
	maxDebounce = time.Second
)

// watcher rescans the workspace when a manifest, a lockfile,
// pnpm-workspace.yaml or .brummer.toml changes. Its goroutine is owned by
// the App and stopped by Close.
type watcher struct {
	a    *App
	fw   *fsnotify.Watcher
	quit chan struct{}
	done chan struct{}
	// dirs being watched; touched by newWatcher, then only by loop.
	dirs map[string]bool
}

func newWatcher(a *App) (*watcher, error) {
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	w := &watcher{a: a, fw: fw, quit: make(chan struct{}), done: make(chan struct{}), dirs: map[string]bool{}}
	w.addDirs()
	go w.loop()
	return w, nil
}

// addDirs watches the roots and every manifest's directory; directories are
// watched rather than files so that replace-by-rename saves are seen.
func (w *watcher) addDirs() {
	want := append([]string(nil), w.a.roots...)
	for _, m := range w.a.Manifests() {
		want = append(want, m.Dir)
	}
	for _, d := range want {
		if w.dirs[d] {
			continue
		}
		if err := w.fw.Add(d); err != nil {
			w.a.log.Warn("watching a directory", zap.String("dir", d), zap.Error(err))
			continue
		}
		w.dirs[d] = true
	}
}

func relevant(name string) bool {
	switch name {
	case "package.json", "pnpm-workspace.yaml", config.FileName:
		return true
	}
	return isLockfile(name)
}

func (w *watcher) loop() {
	defer close(w.done)
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
	var (
		pending      = map[string]bool{}
		configChange bool
		first        time.Time
	)
	for {
		select {
		case <-w.quit:
			return
		case ev, ok := <-w.fw.Events:
			if !ok {
				return
			}
			name := filepath.Base(ev.Name)
			if !relevant(name) || ev.Op == fsnotify.Chmod {
				continue
			}
			if len(pending) == 0 {
				first = time.Now()
			}
			pending[ev.Name] = true
			configChange = configChange || name == config.FileName
			wait := min(debounce, max(0, maxDebounce-time.Since(first)))
			timer.Reset(wait)
		case err, ok := <-w.fw.Errors:
			if !ok {
				return
			}
			w.a.log.Warn("watching the workspace", zap.Error(err))
		case <-timer.C:
			paths := make([]string, 0, len(pending))
			for p := range pending {
				paths = append(paths, p)
			}
			sort.Strings(paths)
			w.changed(paths, configChange)
			pending, configChange = map[string]bool{}, false
		}
	}
}

func (w *watcher) changed(paths []string, configChange bool) {
	a := w.a
	if configChange {
		a.reloadConfig()
	} else {
		a.Rescan()
	}
	w.addDirs()
	a.log.Debug("workspace changed", zap.Strings("paths", paths), zap.Bool("config", configChange))
	_ = a.bus.Publish(eventbus.Event{
		Topic:    TopicWorkspaceChanged,
		Key:      "workspace",
		Priority: eventbus.Medium,
		Payload:  WorkspaceChanged{Paths: paths, ConfigChange: configChange},
	})
}

// reloadConfig reads .brummer.toml of the first root again, applies the
// editor's options over it, and takes the result live. A broken file keeps
// the configuration in effect and becomes a warning.
func (a *App) reloadConfig() {
	cfg, warnings, err := config.Load(a.roots[0])
	if err == nil && len(a.configJSON) > 0 {
		var more []string
		cfg, more, err = config.MergeJSON(cfg, a.configJSON)
		warnings = append(warnings, more...)
	}
	if err == nil {
		err = a.ApplyConfig(cfg)
	}
	if err != nil {
		a.log.Warn("reloading the configuration", zap.Error(err))
		warnings = append(warnings, err.Error()+" (keeping the previous configuration)")
		a.Rescan()
	}
	a.cfgMu.Lock()
	a.configWarnings = warnings
	a.cfgMu.Unlock()
}

func (w *watcher) close() {
	close(w.quit)
	<-w.done
	_ = w.fw.Close()
}
