package core

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Package managers Brummer knows.
const (
	NPM  = "npm"
	Yarn = "yarn"
	PNPM = "pnpm"
	Bun  = "bun"
)

// ErrManagerNotInstalled is returned by Run when the package manager a
// package uses is not on PATH.
var ErrManagerNotInstalled = errors.New("core: package manager not installed")

// lockfiles in the order that breaks ties when one directory has several:
// pnpm > yarn > bun > npm. Projects that migrate to pnpm or yarn often leave
// a stale package-lock.json behind, rarely the reverse.
var lockfiles = []struct{ file, manager string }{
	{"pnpm-lock.yaml", PNPM},
	{"yarn.lock", Yarn},
	{"bun.lock", Bun},
	{"bun.lockb", Bun},
	{"package-lock.json", NPM},
}

// isLockfile reports whether name is one of the lockfiles above.
func isLockfile(name string) bool {
	for _, l := range lockfiles {
		if l.file == name {
			return true
		}
	}
	return false
}

// managerFromField reads corepack's packageManager field ("pnpm@9.1.0",
// "yarn@4.1.0+sha224.abc").
func managerFromField(v string) (string, error) {
	name, _, _ := strings.Cut(v, "@")
	switch name {
	case NPM, Yarn, PNPM, Bun:
		return name, nil
	}
	return "", fmt.Errorf("packageManager %q: unknown package manager (use npm, yarn, pnpm or bun, as in \"pnpm@9.1.0\")", v)
}

// detection is how a package's manager was chosen.
type detection struct {
	manager string
	warning string // several lockfiles in one directory; "" if none
}

// detectManager chooses the manager of the package in dir: the
// packageManager field (the package's own, else the workspace root's, as
// corepack does), then the nearest lockfile from dir up to root, then the
// configured preference, then npm. Lockfiles are looked at even when the
// field decides, to warn about conflicting ones.
func detectManager(dir, root, field, rootField, preferred string) detection {
	var d detection
	lockManager, lockDir, found := nearestLockfiles(dir, root)
	named := field
	if named == "" {
		named = rootField
	}
	if len(found) > 1 {
		winner := found[0]
		reason := "pnpm > yarn > bun > npm"
		for _, f := range found {
			if named != "" && lockfileManager(f) == named {
				winner, reason = f, "named by packageManager"
			}
		}
		d.warning = fmt.Sprintf("%s has several lockfiles (%s): using %s (%s); delete the stale ones",
			lockDir, strings.Join(found, ", "), lockfileManager(winner), reason)
		lockManager = lockfileManager(winner)
	}
	switch {
	case named != "":
		d.manager = named
	case lockManager != "":
		d.manager = lockManager
	case preferred != "":
		d.manager = preferred
	default:
		d.manager = NPM
	}
	return d
}

func lockfileManager(file string) string {
	for _, l := range lockfiles {
		if l.file == file {
			return l.manager
		}
	}
	return ""
}

// nearestLockfiles returns the lockfiles of the first directory from dir up
// to root (inclusive) that has any, in tie-break order.
func nearestLockfiles(dir, root string) (manager, where string, files []string) {
	for d := dir; ; d = filepath.Dir(d) {
		for _, l := range lockfiles {
			if st, err := os.Stat(filepath.Join(d, l.file)); err == nil && st.Mode().IsRegular() {
				files = append(files, l.file)
			}
		}
		if len(files) > 0 {
			return lockfileManager(files[0]), d, files
		}
		if d == root || !isInside(root, d) || filepath.Dir(d) == d {
			return "", "", nil
		}
	}
}

// lookManager finds the manager's executable, or says how to get it.
func lookManager(manager string) (string, error) {
	p, err := exec.LookPath(manager)
	if err == nil {
		return p, nil
	}
	how := map[string]string{
		NPM:  "install Node.js, which includes npm (https://nodejs.org)",
		Yarn: `run "corepack enable" or "npm install -g yarn"`,
		PNPM: `run "corepack enable" or "npm install -g pnpm"`,
		Bun:  `run "npm install -g bun" (or see https://bun.sh)`,
	}[manager]
	return "", fmt.Errorf("%w: %s is not in PATH: %s", ErrManagerNotInstalled, manager, how)
}

// runArgv is the command line that runs script with manager. Every manager
// accepts "<pm> run <script>"; "--" is not added, nothing follows the name.
func runArgv(manager, script string) []string {
	return []string{manager, "run", script}
}

// isInside reports whether path is root or below it.
func isInside(root, path string) bool {
	rel, err := filepath.Rel(root, path)
	if err != nil {
		return false
	}
	return rel == "." || (rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)))
}
