//go:build windows

package procmgr

import (
	"os"
	"os/exec"
	"strconv"
	"sync/atomic"
	"syscall"
	"time"
)

// On Windows the tree is the process and its descendants as taskkill /T
// sees them; there is no supervisor, and a console program gets no SIGTERM:
// terminate asks politely (taskkill without /F), kill forces.

type child struct {
	cmd *exec.Cmd
	pid int
}

// MaybeSupervise has nothing to do on Windows; it exists so that main can
// call it on every platform.
func MaybeSupervise() {}

var supervisorEnabled atomic.Bool

func launch(spec Spec, path string, env []string, stdout, stderr *os.File, grace time.Duration, _ bool) (*child, error) {
	cmd := &exec.Cmd{
		Path: path, Args: spec.Argv, Dir: spec.Dir, Env: env,
		Stdout: stdout, Stderr: stderr,
		SysProcAttr: &syscall.SysProcAttr{CreationFlags: syscall.CREATE_NEW_PROCESS_GROUP},
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return &child{cmd: cmd, pid: cmd.Process.Pid}, nil
}

func (c *child) killMargin() time.Duration { return 0 }

func (c *child) taskkill(force bool) {
	args := []string{"/T", "/PID", strconv.Itoa(c.pid)}
	if force {
		args = append([]string{"/F"}, args...)
	}
	_ = exec.Command("taskkill", args...).Run()
}

func (c *child) terminate() { c.taskkill(false) }

func (c *child) kill() {
	c.taskkill(true)
	_ = c.cmd.Process.Kill()
}

func (c *child) wait() int {
	_ = c.cmd.Wait()
	if c.cmd.ProcessState == nil {
		return -1
	}
	return c.cmd.ProcessState.ExitCode()
}

// cleanup: descendants of an exited process are no longer a tree taskkill
// can find; nothing more is reachable.
func (c *child) cleanup(grace time.Duration, stopped bool) {}

func resolve(name, dir string, env []string) (string, error) {
	return exec.LookPath(name)
}
