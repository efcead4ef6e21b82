package core

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"go.uber.org/zap"
	"go.yaml.in/yaml/v3"
)

// Workspace is what discovery found under the roots.
type Workspace struct {
	Manifests []Manifest
	// Warnings a person should see: several lockfiles in one directory, an
	// unreadable pnpm-workspace.yaml.
	Warnings []string
}

// Scripts lists every script of the readable manifests, in manifest order.
func (w Workspace) Scripts() []Script {
	var out []Script
	for _, m := range w.Manifests {
		out = append(out, m.Scripts...)
	}
	return out
}

// Discover reads the root package.json of each root and the workspace
// packages it declares (package.json "workspaces" and pnpm-workspace.yaml),
// never looking inside node_modules. A manifest that cannot be read is
// returned with Err set; the others are unaffected. preferred is the
// configured package manager for packages with neither a packageManager
// field nor a lockfile.
func Discover(roots []string, preferred string, log *zap.Logger) Workspace {
	if log == nil {
		log = zap.NewNop()
	}
	var ws Workspace
	for _, root := range roots {
		discoverRoot(filepath.Clean(root), preferred, log, &ws)
	}
	for _, w := range ws.Warnings {
		log.Warn("workspace", zap.String("warning", w))
	}
	return ws
}

func discoverRoot(root, preferred string, log *zap.Logger, ws *Workspace) {
	rootPath := filepath.Join(root, "package.json")
	rootMan, ok := readManifest(rootPath)
	if !ok {
		return // not a JavaScript project: nothing to run here
	}
	patterns := rootMan.workspaces
	pnpm, err := pnpmWorkspace(root)
	if err != nil {
		ws.Warnings = append(ws.Warnings, err.Error())
	}
	patterns = append(patterns, pnpm...)

	all := []parsedManifest{rootMan}
	if len(patterns) > 0 {
		for _, p := range workspacePackages(root, patterns, log) {
			if m, ok := readManifest(p); ok {
				all = append(all, m)
			}
		}
	}
	for _, m := range all {
		if m.Err == nil {
			d := detectManager(m.Dir, root, m.pmField, rootMan.pmField, preferred)
			if d.warning != "" && !containsString(ws.Warnings, d.warning) {
				ws.Warnings = append(ws.Warnings, d.warning)
			}
			m.PackageManager = d.manager
			for i := range m.Scripts {
				m.Scripts[i].PackageManager = d.manager
			}
		}
		ws.Manifests = append(ws.Manifests, m.Manifest)
	}
}

// readManifest reads and parses one package.json; ok is false when it does
// not exist.
func readManifest(p string) (parsedManifest, bool) {
	text, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return parsedManifest{}, false
	}
	if err != nil {
		return parsedManifest{Manifest: Manifest{Path: p, Dir: filepath.Dir(p), Err: fmt.Errorf("reading %s: %w", p, err)}}, true
	}
	return parseManifest(p, text), true
}

// pnpmWorkspace reads the packages globs of root/pnpm-workspace.yaml.
func pnpmWorkspace(root string) ([]string, error) {
	p := filepath.Join(root, "pnpm-workspace.yaml")
	data, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", p, err)
	}
	var doc struct {
		Packages []string `yaml:"packages"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w (expected \"packages:\" followed by a list of globs)", p, err)
	}
	return doc.Packages, nil
}

// workspacePackages returns the package.json paths below root whose
// directory matches the globs: "*" within a path segment, "**" across
// segments, "!glob" excludes. Sorted by path.
func workspacePackages(root string, patterns []string, log *zap.Logger) []string {
	var include, exclude [][]string
	maxDepth := 0
	for _, p := range patterns {
		neg := strings.HasPrefix(p, "!")
		segs := globSegments(strings.TrimPrefix(p, "!"))
		if len(segs) == 0 {
			continue
		}
		if neg {
			exclude = append(exclude, segs)
			continue
		}
		include = append(include, segs)
		depth := len(segs)
		if containsString(segs, "**") {
			depth = -1
		}
		if maxDepth >= 0 && (depth < 0 || depth > maxDepth) {
			maxDepth = depth
		}
	}
	if len(include) == 0 {
		return nil
	}
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			log.Debug("walking the workspace", zap.String("path", p), zap.Error(err))
			if d != nil && d.IsDir() && p != root {
				return fs.SkipDir
			}
			return nil
		}
		if !d.IsDir() || p == root {
			return nil
		}
		name := d.Name()
		if name == "node_modules" || strings.HasPrefix(name, ".") {
			return fs.SkipDir
		}
		rel, _ := filepath.Rel(root, p)
		segs := strings.Split(filepath.ToSlash(rel), "/")
		if maxDepth >= 0 && len(segs) > maxDepth {
			return fs.SkipDir
		}
		if matchAny(include, segs) && !matchAny(exclude, segs) {
			if st, err := os.Stat(filepath.Join(p, "package.json")); err == nil && st.Mode().IsRegular() {
				out = append(out, filepath.Join(p, "package.json"))
			}
		}
		return nil
	})
	if err != nil {
		log.Warn("walking the workspace", zap.String("root", root), zap.Error(err))
	}
	sort.Strings(out)
	return out
}

func globSegments(p string) []string {
	p = strings.TrimSpace(filepath.ToSlash(p))
	p = strings.TrimPrefix(p, "./")
	p = strings.TrimSuffix(p, "/package.json")
	p = strings.Trim(p, "/")
	if p == "" || p == "." {
		return nil
	}
	return strings.Split(p, "/")
}

func matchAny(globs [][]string, segs []string) bool {
	for _, g := range globs {
		if matchSegments(g, segs) {
			return true
		}
	}
	return false
}

// matchSegments matches a path against a glob, segment by segment; "**"
// matches any number of segments, including none.
func matchSegments(glob, segs []string) bool {
	for len(glob) > 0 {
		if glob[0] == "**" {
			for i := 0; i <= len(segs); i++ {
				if matchSegments(glob[1:], segs[i:]) {
					return true
				}
			}
			return false
		}
		if len(segs) == 0 {
			return false
		}
		if ok, err := path.Match(glob[0], segs[0]); err != nil || !ok {
			return false
		}
		glob, segs = glob[1:], segs[1:]
	}
	return len(segs) == 0
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
