package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
)

// FileName is the configuration file at a workspace root.
const FileName = ".brummer.toml"

// Load reads root/.brummer.toml over the defaults. A missing file means
// defaults. Unknown keys come back as warnings naming them; a bad value is
// an error naming the file, line, key and what is allowed.
func Load(root string) (Config, []string, error) {
	cfg := Default()
	path := filepath.Join(root, FileName)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return cfg, nil, nil
	}
	if err != nil {
		return cfg, nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return decodeTOML(cfg, path, data)
}

func decodeTOML(cfg Config, path string, data []byte) (Config, []string, error) {
	// Decode into a zeroed copy of the sections that replace wholesale
	// (lists), so a file's queue_sizes replace the default rather than merge.
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(&cfg)
	if err != nil {
		var perr toml.ParseError
		if errors.As(err, &perr) {
			return cfg, nil, fmt.Errorf("%s:%d: %s (fix the TOML syntax)", path, perr.Position.Line, perr.Message)
		}
		return cfg, nil, fmt.Errorf("%s: %w", path, err)
	}
	var warnings []string
	undecoded := md.Undecoded()
	for i, k := range undecoded {
		// A whole unknown table is listed along with its keys: name the keys.
		if i+1 < len(undecoded) && strings.HasPrefix(undecoded[i+1].String(), k.String()+".") {
			continue
		}
		where := path
		if line := lineOfKey(data, k); line > 0 {
			where = fmt.Sprintf("%s:%d", path, line)
		}
		warnings = append(warnings, fmt.Sprintf("%s: unknown key %q (ignored; the README lists the known keys)", where, k.String()))
	}
	if err := cfg.Validate(); err != nil {
		return cfg, warnings, fmt.Errorf("%s:%s", path, withLine(err, data, md))
	}
	return cfg, warnings, nil
}

// withLine adds the line of the offending key when the file has it.
func withLine(err error, data []byte, md toml.MetaData) string {
	var ve *ValueError
	if errors.As(err, &ve) {
		keyPath := strings.Split(ve.Key, ".")
		if md.IsDefined(keyPath...) {
			if line := lineOfKey(data, keyPath); line > 0 {
				return fmt.Sprintf("%d: %s", line, ve.Error())
			}
		}
	}
	return " " + err.Error()
}

// lineOfKey finds the line that sets key within its [section] (1-based), or 0.
func lineOfKey(data []byte, keyPath []string) int {
	section := strings.Join(keyPath[:len(keyPath)-1], ".")
	key := keyPath[len(keyPath)-1]
	current := ""
	for i, raw := range strings.Split(string(data), "\n") {
		line := strings.TrimSpace(raw)
		if strings.HasPrefix(line, "[") {
			current = strings.Trim(line, "[] ")
			continue
		}
		if current != section {
			continue
		}
		if k, _, ok := strings.Cut(line, "="); ok && strings.Trim(strings.TrimSpace(k), `"'`) == key {
			return i + 1
		}
	}
	return 0
}

// MergeJSON applies JSON configuration (LSP initializationOptions or
// didChangeConfiguration settings, same key names as the TOML file) over
// base. Unknown keys come back as warnings.
func MergeJSON(base Config, data []byte) (Config, []string, error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || bytes.Equal(data, []byte("null")) {
		return base, nil, nil
	}
	var raw map[string]any
	if err := json.Unmarshal(data, &raw); err != nil {
		return base, nil, fmt.Errorf("configuration options: %w (expected a JSON object with the keys of %s)", err, FileName)
	}
	// Editors often nest settings under "brummer".
	if inner, ok := raw["brummer"].(map[string]any); ok && len(raw) == 1 {
		raw = inner
		data, _ = json.Marshal(inner)
	}
	warnings := unknownJSONKeys(raw, configKeys(), "")
	cfg := base.Clone()
	if err := json.Unmarshal(data, &cfg); err != nil {
		return base, warnings, fmt.Errorf("configuration options: %w", err)
	}
	if err := cfg.Validate(); err != nil {
		return base, warnings, fmt.Errorf("configuration options: %w", err)
	}
	return cfg, warnings, nil
}

// configKeys lists the known keys as a tree: section -> key set (nil for
// leaves and for free-form tables).
func configKeys() map[string]map[string]bool {
	return map[string]map[string]bool{
		"eventbus":         {"worker_pool_size": true, "queue_sizes": true, "backpressure_strategy": true},
		"process_manager":  {"max_concurrent_starts": true, "stop_grace_ms": true},
		"log_store":        {"max_entries": true, "max_line_bytes": true, "max_bytes_mb": true},
		"proxy":            {"enabled": true, "inject_monitor": true, "bind": true},
		"notifications":    {"log_queue_size": true, "max_diagnostics_per_uri": true, "queue_size": true},
		"resources":        {"max_goroutines": true, "memory_limit_mb": true, "sample_interval_ms": true},
		"mcp":              {"socket": true},
		"problem_matchers": nil,
		"package_manager":  nil,
		"env":              nil,
	}
}

func unknownJSONKeys(raw map[string]any, known map[string]map[string]bool, _ string) []string {
	var out []string
	for k, v := range raw {
		sub, ok := known[k]
		if !ok {
			out = append(out, fmt.Sprintf("configuration options: unknown key %q (ignored)", k))
			continue
		}
		if m, isMap := v.(map[string]any); isMap && sub != nil {
			for kk := range m {
				if !sub[kk] {
					out = append(out, fmt.Sprintf("configuration options: unknown key %q (ignored)", k+"."+kk))
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

// Clone returns a deep copy, so decoding into it leaves c untouched.
func (c Config) Clone() Config {
	out := c
	out.EventBus.QueueSizes = append([]int(nil), c.EventBus.QueueSizes...)
	out.ProblemMatcher = append([]ProblemMatcher(nil), c.ProblemMatcher...)
	for i := range out.ProblemMatcher {
		out.ProblemMatcher[i].Errorformat = append([]string(nil), c.ProblemMatcher[i].Errorformat...)
	}
	if c.Env != nil {
		out.Env = make(map[string]string, len(c.Env))
		for k, v := range c.Env {
			out.Env[k] = v
		}
	}
	return out
}
