package core

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// copyDir copies a testdata tree (real lockfiles made by the real managers).
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	require.NoError(t, err)
}

func TestDetectManagerFromRealLockfiles(t *testing.T) {
	for _, pm := range []string{NPM, Yarn, PNPM, Bun} {
		t.Run(pm, func(t *testing.T) {
			root := t.TempDir()
			copyDir(t, filepath.Join("testdata", "lockfiles", pm), root)
			ws := Discover([]string{root}, "", nil)
			require.Len(t, ws.Manifests, 1)
			m := ws.Manifests[0]
			require.NoError(t, m.Err)
			assert.Equal(t, pm, m.PackageManager)
			require.Len(t, m.Scripts, 1)
			assert.Equal(t, pm, m.Scripts[0].PackageManager)
			assert.Empty(t, ws.Warnings)
		})
	}
}

func TestDetectManagerNearestLockfileUpToRoot(t *testing.T) {
	root := t.TempDir()
	copyDir(t, filepath.Join("testdata", "lockfiles", "pnpm"), root)
	writeTree(t, root, map[string]string{
		"pnpm-workspace.yaml":      "packages: ['pkgs/*']\n",
		"pkgs/a/package.json":      pkg("a"),
		"pkgs/b/package.json":      pkg("b"),
		"pkgs/b/yarn.lock":         "# yarn lockfile v1\n",
		"pkgs/c/package.json":      `{"packageManager": "bun@1.2.19", "scripts": {"x": "y"}}`,
		"pkgs/c/package-lock.json": "{}",
	})
	ws := Discover([]string{root}, "", nil)
	got := map[string]string{}
	for _, m := range ws.Manifests {
		rel, _ := filepath.Rel(root, m.Dir)
		got[filepath.ToSlash(rel)] = m.PackageManager
	}
	assert.Equal(t, map[string]string{".": PNPM, "pkgs/a": PNPM, "pkgs/b": Yarn, "pkgs/c": Bun}, got)
}

func TestDetectManagerStopsAtRoot(t *testing.T) {
	outer := t.TempDir()
	writeTree(t, outer, map[string]string{"yarn.lock": "", "ws/package.json": pkg("ws")})
	ws := Discover([]string{filepath.Join(outer, "ws")}, "", nil)
	require.Len(t, ws.Manifests, 1)
	assert.Equal(t, NPM, ws.Manifests[0].PackageManager, "a lockfile above the root is not ours")

	ws = Discover([]string{filepath.Join(outer, "ws")}, PNPM, nil)
	assert.Equal(t, PNPM, ws.Manifests[0].PackageManager, "the configured preference comes before npm")
}

func TestDetectManagerFieldBeatsLockfile(t *testing.T) {
	root := t.TempDir()
	copyDir(t, filepath.Join("testdata", "lockfiles", "npm"), root)
	writeTree(t, root, map[string]string{"package.json": `{"packageManager": "yarn@4.1.0", "scripts": {"a": "b"}}`})
	ws := Discover([]string{root}, PNPM, nil)
	assert.Equal(t, Yarn, ws.Manifests[0].PackageManager)
	assert.Empty(t, ws.Warnings)
}

func TestDetectManagerSeveralLockfilesWarns(t *testing.T) {
	root := t.TempDir()
	for _, pm := range []string{NPM, Yarn, Bun} {
		copyDir(t, filepath.Join("testdata", "lockfiles", pm), root)
	}
	ws := Discover([]string{root}, "", nil)
	assert.Equal(t, Yarn, ws.Manifests[0].PackageManager, "yarn beats bun and npm")
	require.Len(t, ws.Warnings, 1)
	w := ws.Warnings[0]
	assert.Contains(t, w, root+" has several lockfiles (yarn.lock, bun.lock, package-lock.json): using yarn (pnpm > yarn > bun > npm)")

	// packageManager names the winner among them.
	writeTree(t, root, map[string]string{"package.json": `{"packageManager": "npm@10.0.0", "scripts": {"a": "b"}}`})
	ws = Discover([]string{root}, "", nil)
	assert.Equal(t, NPM, ws.Manifests[0].PackageManager)
	require.Len(t, ws.Warnings, 1)
	assert.Contains(t, ws.Warnings[0], "using npm (named by packageManager)")
}

func TestLookManagerMissing(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, err := lookManager(PNPM)
	require.Error(t, err)
	assert.True(t, errors.Is(err, ErrManagerNotInstalled))
	assert.Contains(t, err.Error(), "pnpm is not in PATH")
	assert.Contains(t, err.Error(), "corepack enable")
	assert.Contains(t, err.Error(), "npm install -g pnpm")
	assert.False(t, strings.HasPrefix(err.Error(), "C"), "errors start lowercase")
}

func TestIsInside(t *testing.T) {
	assert.True(t, isInside("/a/b", "/a/b"))
	assert.True(t, isInside("/a/b", "/a/b/c"))
	assert.False(t, isInside("/a/b", "/a/bc"))
	assert.False(t, isInside("/a/b", "/a"))
	assert.True(t, isInside("/a/b", "/a/b/..c"))
}
