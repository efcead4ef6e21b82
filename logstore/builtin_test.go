package logstore

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/brummer-dev/brummer/eventbus"
	"github.com/brummer-dev/brummer/logstore/detect"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The store wires the built-in parsers: a real node crash and a real tsc
// watch session become problems with the default configuration.
func TestBuiltinParsersWired(t *testing.T) {
	names := map[string]bool{}
	for _, p := range detect.BuiltinParsers() {
		names[p.Name()] = true
	}
	if !names["node"] || !names["tsc"] {
		t.Skipf("the node and tsc parsers are not registered yet (have %v)", names)
	}
	root := t.TempDir()
	// Parsers may check that a file exists before reporting it.
	for _, f := range []string{"src/server.js", "src/a.ts"} {
		require.NoError(t, os.MkdirAll(filepath.Join(root, filepath.Dir(f)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(root, f), []byte("x\n"), 0o644))
	}
	bus, rec := newBus(t)
	s := New(Config{QuietFlush: time.Hour}, bus, nil)
	t.Cleanup(s.Close)

	s.Register(Process{ID: "api", Dir: root, Roots: []string{root}})
	feedInBatches(s, "api", readSample(t, "node-crash.log", root), 3)
	s.End("api")
	ps := s.Problems("api")
	require.Len(t, ps, 1, "%+v", ps)
	assert.Equal(t, filepath.Join(root, "src/server.js"), ps[0].File)
	assert.Equal(t, 2, ps[0].Line)
	assert.Equal(t, 19, ps[0].Column)

	s.Register(Process{ID: "tsc", Dir: root, Roots: []string{root}})
	feedInBatches(s, "tsc", readSample(t, "tsc-watch.log", root), 2)
	ps = s.Problems("tsc")
	require.Len(t, ps, 1, "%+v", ps)
	assert.Equal(t, filepath.Join(root, "src/a.ts"), ps[0].File)
	assert.Equal(t, 2, ps[0].Line)
	assert.Equal(t, 29, ps[0].Column)
	assert.Equal(t, "TS2322", ps[0].Code)
	rec.waitFor(t, "a cycle start", func(evs []eventbus.Event) bool { return len(ofTopic(evs, TopicCycleStarted)) >= 2 })
}
