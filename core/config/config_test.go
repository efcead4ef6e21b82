package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func writeConfig(t *testing.T, text string) string {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, FileName), []byte(text), 0o644))
	return dir
}

func TestLoadMissingFileGivesDefaults(t *testing.T) {
	cfg, warnings, err := Load(t.TempDir())
	require.NoError(t, err)
	assert.Empty(t, warnings)
	assert.Equal(t, Default(), cfg)
}

func TestLoadOverridesDefaults(t *testing.T) {
	dir := writeConfig(t, `
[eventbus]
worker_pool_size = 8
queue_sizes = [10, 20, 30]
backpressure_strategy = "block"

[process_manager]
stop_grace_ms = 200

[[problem_matchers]]
source = "mylint"
regexp = '^(.+):(\d+): (.*)$'
file = 1
line = 2
message = 3
`)
	cfg, warnings, err := Load(dir)
	require.NoError(t, err)
	assert.Empty(t, warnings)
	assert.Equal(t, 8, cfg.EventBus.WorkerPoolSize)
	assert.Equal(t, []int{10, 20, 30}, cfg.EventBus.QueueSizes)
	assert.Equal(t, "block", cfg.EventBus.BackpressureStrategy)
	assert.Equal(t, 200, cfg.ProcessManager.StopGraceMS)
	assert.Equal(t, 10, cfg.ProcessManager.MaxConcurrentStarts, "keys not in the file keep their default")
	require.Len(t, cfg.ProblemMatcher, 1)
	assert.Equal(t, "mylint", cfg.ProblemMatcher[0].Source)
}

func TestLoadReportsUnknownKeys(t *testing.T) {
	dir := writeConfig(t, "[eventbus]\nworkers = 3\n[nosuch]\nx = 1\n")
	_, warnings, err := Load(dir)
	require.NoError(t, err)
	require.Len(t, warnings, 2)
	assert.Contains(t, strings.Join(warnings, "\n"), `unknown key "eventbus.workers"`)
	assert.Contains(t, strings.Join(warnings, "\n"), `unknown key "nosuch.x"`)
}

func TestLoadBadValueNamesFileLineKeyAndAllowed(t *testing.T) {
	dir := writeConfig(t, "[eventbus]\nworker_pool_size = 4\nbackpressure_strategy = \"sometimes\"\n")
	_, _, err := Load(dir)
	require.Error(t, err)
	msg := err.Error()
	assert.Contains(t, msg, filepath.Join(dir, FileName)+":3:")
	assert.Contains(t, msg, "eventbus.backpressure_strategy")
	assert.Contains(t, msg, `"drop_oldest"`)
}

func TestLoadSyntaxErrorNamesLine(t *testing.T) {
	dir := writeConfig(t, "[eventbus]\nworker_pool_size = = 4\n")
	_, _, err := Load(dir)
	require.Error(t, err)
	assert.Contains(t, err.Error(), FileName+":2:")
}

func TestLoadWrongTypeIsAnError(t *testing.T) {
	dir := writeConfig(t, "[log_store]\nmax_entries = \"lots\"\n")
	_, _, err := Load(dir)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "max_entries")
}

func TestValidateRejects(t *testing.T) {
	cases := map[string]func(*Config){
		"eventbus.queue_sizes":                  func(c *Config) { c.EventBus.QueueSizes = []int{1, 2} },
		"log_store.max_entries":                 func(c *Config) { c.LogStore.MaxEntries = 0 },
		"proxy.bind":                            func(c *Config) { c.Proxy.Bind = "0.0.0.0" },
		"proxy.telemetry_per_second":            func(c *Config) { c.Proxy.TelemetryPerSecond = -1 },
		"package_manager":                       func(c *Config) { c.PackageManager = "pip" },
		"problem_matchers[0]":                   func(c *Config) { c.ProblemMatcher = []ProblemMatcher{{Regexp: "x"}} },
		"problem_matchers[0].regexp":            func(c *Config) { c.ProblemMatcher = []ProblemMatcher{{Regexp: "(", File: 1, Line: 2}} },
		"problem_matchers[0].default_severity":  func(c *Config) { c.ProblemMatcher = []ProblemMatcher{{Name: "golint", DefaultSeverity: "fatal"}} },
		"process_manager.max_concurrent_starts": func(c *Config) { c.ProcessManager.MaxConcurrentStarts = -1 },
	}
	for key, mutate := range cases {
		t.Run(key, func(t *testing.T) {
			cfg := Default()
			mutate(&cfg)
			err := cfg.Validate()
			require.Error(t, err)
			assert.Contains(t, err.Error(), key)
		})
	}
	d := Default()
	assert.NoError(t, d.Validate())
}

func TestMergeJSONOverFile(t *testing.T) {
	dir := writeConfig(t, "[log_store]\nmax_entries = 5000\nmax_line_bytes = 1024\n")
	base, _, err := Load(dir)
	require.NoError(t, err)
	merged, warnings, err := MergeJSON(base, []byte(`{"log_store": {"max_entries": 2000}, "eventbus": {"queue_sizes": [1, 2, 3]}, "bogus": 1}`))
	require.NoError(t, err)
	assert.Equal(t, 2000, merged.LogStore.MaxEntries, "options win over the file")
	assert.Equal(t, 1024, merged.LogStore.MaxLineBytes, "file values not in the options stay")
	assert.Equal(t, []int{1, 2, 3}, merged.EventBus.QueueSizes)
	assert.Equal(t, []int{100, 500, 1000}, base.EventBus.QueueSizes, "the base is not modified")
	assert.Equal(t, []string{`configuration options: unknown key "bogus" (ignored)`}, warnings)
}

func TestMergeJSONNestedUnderBrummerAndNull(t *testing.T) {
	merged, _, err := MergeJSON(Default(), []byte(`{"brummer": {"process_manager": {"stop_grace_ms": 10}}}`))
	require.NoError(t, err)
	assert.Equal(t, 10, merged.ProcessManager.StopGraceMS)
	same, _, err := MergeJSON(Default(), []byte(`null`))
	require.NoError(t, err)
	assert.Equal(t, Default(), same)
}

func TestMergeJSONInvalidKeepsBase(t *testing.T) {
	base := Default()
	got, _, err := MergeJSON(base, []byte(`{"eventbus": {"backpressure_strategy": "never"}}`))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "eventbus.backpressure_strategy")
	assert.Equal(t, base, got)
	_, _, err = MergeJSON(base, []byte(`[1,2]`))
	require.Error(t, err)
}
