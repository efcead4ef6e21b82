//go:build unix

package procmgr

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// child is a started script as the manager sees it.
type child struct {
	cmd *exec.Cmd // the supervisor, or the script itself without one
	pid int       // the script; also its process group id
	// ctrl is the write end of the supervisor's control pipe: a byte asks
	// for a stop, and its closing (our death included) too. Nil without a
	// supervisor.
	ctrl *os.File
	// tree holds descendants found when the stop began, escapees included:
	// without a supervisor they are no longer findable once their parents
	// die, and the stop is not over until they are gone too.
	tree []int
}

// errNoSupervisor: the supervisor program itself could not be started.
var errNoSupervisor = errors.New("procmgr: cannot start the supervisor")

// launch starts spec in its own process group: through a supervisor when
// MaybeSupervise was called by this program, else directly.
func launch(spec Spec, path string, env []string, stdout, stderr *os.File, grace time.Duration, supervised bool) (*child, error) {
	if supervised {
		if exe, err := selfExe(); err == nil {
			c, err := launchSupervised(exe, spec, path, env, stdout, stderr, grace)
			if !errors.Is(err, errNoSupervisor) {
				return c, err
			}
			// Without a supervisor the script still runs, with less
			// protection; better than not running it.
		}
	}
	cmd := &exec.Cmd{
		Path: path, Args: spec.Argv, Dir: spec.Dir, Env: env,
		Stdout: stdout, Stderr: stderr,
		SysProcAttr: &syscall.SysProcAttr{Setpgid: true},
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return &child{cmd: cmd, pid: cmd.Process.Pid}, nil
}

func launchSupervised(exe string, spec Spec, path string, env []string, stdout, stderr *os.File, grace time.Duration) (*child, error) {
	ctrlR, ctrlW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	stR, stW, err := os.Pipe()
	if err != nil {
		ctrlR.Close()
		ctrlW.Close()
		return nil, err
	}
	cmd := &exec.Cmd{
		Path:        exe,
		Args:        append([]string{displayName(exe), superviseArg, grace.String(), path}, spec.Argv...),
		Dir:         spec.Dir,
		Env:         append(env[:len(env):len(env)], superviseEnv+"=1"),
		Stdout:      stdout,
		Stderr:      stderr,
		ExtraFiles:  []*os.File{ctrlR, stW},
		SysProcAttr: &syscall.SysProcAttr{Setpgid: true},
	}
	err = cmd.Start()
	ctrlR.Close()
	stW.Close()
	if err != nil {
		ctrlW.Close()
		stR.Close()
		return nil, fmt.Errorf("%w: %q: %w", errNoSupervisor, exe, err)
	}
	line, _ := bufio.NewReader(stR).ReadString('\n')
	stR.Close()
	line = strings.TrimSpace(line)
	if s, ok := strings.CutPrefix(line, "pid "); ok {
		if pid, err := strconv.Atoi(s); err == nil && pid > 0 {
			return &child{cmd: cmd, pid: pid, ctrl: ctrlW}, nil
		}
	}
	_ = cmd.Wait()
	ctrlW.Close()
	if msg, ok := strings.CutPrefix(line, "error "); ok {
		return nil, errors.New(msg)
	}
	return nil, fmt.Errorf("supervisor %q exited without starting the script (%s)", exe, cmd.ProcessState)
}

// displayName is what ps shows for a supervisor: the program's name
// rather than /proc/self/exe.
func displayName(exe string) string {
	if name, err := os.Executable(); err == nil {
		return name
	}
	return exe
}

// killMargin is how long past the grace period the manager waits before it
// kills by itself: a supervisor sends SIGKILL at the end of the grace
// period and needs a moment to reap.
func (c *child) killMargin() time.Duration {
	if c.ctrl != nil {
		return 2 * time.Second
	}
	return 0
}

// terminate asks the tree to stop: SIGTERM now, SIGKILL after the grace
// period (the supervisor's job, or kill's when there is none).
func (c *child) terminate() {
	if c.ctrl != nil {
		// A supervisor that is gone already has nothing left to stop.
		_, _ = c.ctrl.Write([]byte{'t'})
		return
	}
	c.tree = signalTree(c.pid, syscall.SIGTERM, nil)
}

// kill sends SIGKILL to everything of the tree the manager can find.
func (c *child) kill() {
	if c.ctrl != nil {
		sup := c.cmd.Process.Pid
		// Collect before killing: once the supervisor dies, orphans lose
		// their link to it.
		ds := descendants(sup)
		for _, pid := range ds {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
		c.tree = append(c.tree, ds...)
		_ = syscall.Kill(-sup, syscall.SIGKILL)
	}
	c.tree = signalTree(c.pid, syscall.SIGKILL, c.tree)
}

// wait waits for the supervisor (or the script) and returns the script's
// exit code, 128+n for a death by signal n as shells report it.
func (c *child) wait() int {
	_ = c.cmd.Wait()
	if c.ctrl != nil {
		c.ctrl.Close()
	}
	ps := c.cmd.ProcessState
	if ps == nil {
		return -1
	}
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return ps.ExitCode()
}

// cleanup runs once the supervisor (or the script) has exited and makes
// sure nothing of the tree is left: a script that exited on its own gets
// its leftovers the same TERM-then-KILL treatment.
func (c *child) cleanup(grace time.Duration, stopped bool) {
	if !c.treeAlive() {
		return
	}
	if !stopped {
		c.tree = signalTree(c.pid, syscall.SIGTERM, c.tree)
		if c.waitGone(grace) {
			return
		}
	}
	c.tree = signalTree(c.pid, syscall.SIGKILL, c.tree)
	c.waitGone(5 * time.Second)
}

func (c *child) treeAlive() bool {
	if groupAlive(c.pid) {
		return true
	}
	for _, pid := range c.tree {
		if pidAlive(pid) {
			return true
		}
	}
	return false
}

// waitGone polls until nothing of the tree is alive or d has passed: a
// process group has no notification of its own for that.
func (c *child) waitGone(d time.Duration) bool {
	deadline := time.NewTimer(d)
	defer deadline.Stop()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for c.treeAlive() {
		select {
		case <-deadline.C:
			return !c.treeAlive()
		case <-tick.C:
		}
	}
	return true
}

// signalTree signals the group, the descendants that left it, and known
// pids; it returns the known pids together with the descendants found.
func signalTree(pgid int, sig syscall.Signal, known []int) []int {
	ds := groupTree(pgid)
	_ = syscall.Kill(-pgid, sig)
	for _, pid := range ds {
		_ = syscall.Kill(pid, sig)
	}
	for _, pid := range known {
		if pidAlive(pid) {
			_ = syscall.Kill(pid, sig)
		}
	}
	for _, pid := range ds {
		if !slices.Contains(known, pid) {
			known = append(known, pid)
		}
	}
	return known
}

// resolve finds the executable as exec.LookPath would, but with the
// script's PATH and relative names taken from the script's directory.
func resolve(name, dir string, env []string) (string, error) {
	if strings.Contains(name, "/") {
		p := name
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		if err := executable(p); err != nil {
			return "", fmt.Errorf("%s: %w", p, err)
		}
		return p, nil
	}
	path := ""
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "PATH="); ok {
			path = v
		}
	}
	for _, d := range filepath.SplitList(path) {
		if d == "" {
			d = "."
		}
		if !filepath.IsAbs(d) {
			d = filepath.Join(dir, d)
		}
		p := filepath.Join(d, name)
		if executable(p) == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("%q not found in PATH (install it, or add its directory to PATH): %w", name, exec.ErrNotFound)
}

func executable(p string) error {
	fi, err := os.Stat(p)
	if err != nil {
		return err
	}
	if fi.IsDir() {
		return errors.New("is a directory, not a program")
	}
	if fi.Mode()&0o111 == 0 {
		return errors.New("is not executable (chmod +x it)")
	}
	return nil
}
