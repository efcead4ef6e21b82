package core

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writeTree creates files (path -> content) under root.
func writeTree(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for p, content := range files {
		full := filepath.Join(root, filepath.FromSlash(p))
		require.NoError(t, os.MkdirAll(filepath.Dir(full), 0o755))
		require.NoError(t, os.WriteFile(full, []byte(content), 0o644))
	}
}

func manifestDirs(t *testing.T, root string, ws Workspace) []string {
	t.Helper()
	var out []string
	for _, m := range ws.Manifests {
		rel, err := filepath.Rel(root, m.Dir)
		require.NoError(t, err)
		out = append(out, filepath.ToSlash(rel))
	}
	return out
}

func pkg(name string) string {
	return `{"name": "` + name + `", "scripts": {"build": "echo ` + name + `"}}`
}

func TestDiscoverNPMWorkspacesArray(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"package.json":                           `{"name": "root", "workspaces": ["packages/*", "apps/web"], "scripts": {"dev": "vite"}}`,
		"packages/a/package.json":                pkg("a"),
		"packages/b/package.json":                pkg("b"),
		"packages/b/node_modules/x/package.json": pkg("x"),
		"packages/deep/c/package.json":           pkg("c"), // "*" is one segment
		"apps/web/package.json":                  pkg("web"),
		"apps/other/package.json":                pkg("other"),
		"node_modules/y/package.json":            pkg("y"),
	})
	ws := Discover([]string{root}, "", nil)
	assert.Equal(t, []string{".", "apps/web", "packages/a", "packages/b"}, manifestDirs(t, root, ws))
	for _, m := range ws.Manifests {
		assert.NoError(t, m.Err)
		assert.Equal(t, NPM, m.PackageManager)
	}
	assert.Equal(t, "dev", ws.Manifests[0].Scripts[0].Name)
	assert.Equal(t, "vite", ws.Manifests[0].Scripts[0].Command)
}

func TestDiscoverYarnWorkspacesObject(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"package.json":            `{"private": true, "workspaces": {"packages": ["libs/*"], "nohoist": ["**/x"]}}`,
		"libs/one/package.json":   pkg("one"),
		"libs/two/package.json":   pkg("two"),
		"libs/notapkg/readme.txt": "no manifest here",
	})
	ws := Discover([]string{root}, "", nil)
	assert.Equal(t, []string{".", "libs/one", "libs/two"}, manifestDirs(t, root, ws))
}

func TestDiscoverPNPMWorkspaceGlobs(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"package.json":                           `{"name": "root"}`,
		"pnpm-workspace.yaml":                    "packages:\n  - 'packages/**'\n  - 'tools/*'\n  - '!packages/**/test/**'\n  - '!tools/skip'\n",
		"packages/a/package.json":                pkg("a"),
		"packages/group/b/package.json":          pkg("b"),
		"packages/group/b/test/package.json":     pkg("btest"),
		"packages/a/node_modules/z/package.json": pkg("z"),
		"tools/gen/package.json":                 pkg("gen"),
		"tools/skip/package.json":                pkg("skip"),
	})
	ws := Discover([]string{root}, "", nil)
	assert.Equal(t, []string{".", "packages/a", "packages/group/b", "tools/gen"}, manifestDirs(t, root, ws))
}

func TestDiscoverBrokenManifestKeepsTheRest(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"package.json":           `{"workspaces": ["p/*"], "scripts": {"dev": "vite"}}`,
		"p/bad/package.json":     "{\n  \"scripts\": {\n    \"build\": \"tsc\"\n    \"test\": \"vitest\"\n  }\n}\n",
		"p/good/package.json":    pkg("good"),
		"p/trunc/package.json":   "{\n  \"scripts\": {",
		"p/notobj/package.json":  "[1, 2]",
		"p/badtype/package.json": `{"scripts": {"x": 1}}`,
	})
	ws := Discover([]string{root}, "", nil)
	byDir := map[string]Manifest{}
	for _, m := range ws.Manifests {
		rel, _ := filepath.Rel(root, m.Dir)
		byDir[filepath.ToSlash(rel)] = m
	}
	require.Len(t, byDir, 6)
	assert.NoError(t, byDir["."].Err)
	assert.NoError(t, byDir["p/good"].Err)
	assert.Len(t, byDir["p/good"].Scripts, 1)

	bad := byDir["p/bad"]
	require.Error(t, bad.Err)
	assert.Empty(t, bad.Scripts)
	// The missing comma is noticed at the quote that starts line 4, column 5.
	assert.Contains(t, bad.Err.Error(), filepath.Join(root, "p/bad/package.json")+":4:5: ")
	assert.Contains(t, bad.Err.Error(), "fix the JSON syntax")

	assert.Contains(t, byDir["p/trunc"].Err.Error(), filepath.Join(root, "p/trunc/package.json")+":2:")
	assert.Contains(t, byDir["p/notobj"].Err.Error(), ":1:")
	assert.Contains(t, byDir["p/badtype"].Err.Error(), `script "x": the command must be a string`)

	names := []string{}
	for _, s := range ws.Scripts() {
		names = append(names, s.Name)
	}
	sort.Strings(names)
	assert.Equal(t, []string{"build", "dev"}, names)
}

func TestDiscoverNoManifest(t *testing.T) {
	ws := Discover([]string{t.TempDir()}, "", nil)
	assert.Empty(t, ws.Manifests)
}

func TestMatchSegments(t *testing.T) {
	cases := []struct {
		glob, path string
		want       bool
	}{
		{"packages/*", "packages/a", true},
		{"packages/*", "packages/a/b", false},
		{"packages/**", "packages/a/b", true},
		{"packages/**", "packages", true},
		{"**/web", "apps/x/web", true},
		{"**", "a", true},
		{"apps/web", "apps/web", true},
		{"apps/w[", "apps/w[", false}, // bad pattern never matches
		{"a/**/z", "a/z", true},
		{"a/**/z", "a/b/c/z", true},
		{"a/**/z", "a/b/c", false},
	}
	for _, c := range cases {
		got := matchSegments(globSegments(c.glob), strings.Split(c.path, "/"))
		assert.Equal(t, c.want, got, "%s ~ %s", c.glob, c.path)
	}
}
