//go:build unix

package procmgr

import (
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"sync/atomic"
	"syscall"
	"time"
)

// The supervisor is this same program, started again with a hidden first
// argument (and an environment variable, so that a stray argument alone
// never turns a program into one).
const (
	superviseArg = "__brummer_procmgr_supervise__"
	superviseEnv = "BRUMMER_PROCMGR_SUPERVISE"
)

// supervisorEnabled says MaybeSupervise ran in this program, so re-executing
// it with superviseArg reaches the supervisor rather than, say, a test run.
var supervisorEnabled atomic.Bool

// MaybeSupervise must be the first thing main (and TestMain) calls. When
// the program was started by a Manager as a supervisor, it supervises and
// exits, never returning; otherwise it returns at once and lets Managers
// start scripts through supervisors.
//
// A supervisor sits between Brummer and one script. It leads no more than
// itself; the script gets its own process group. On Linux it is a child
// subreaper, so descendants that leave the group (setsid, daemons) become
// its children and stay within reach. It stops the whole tree (SIGTERM,
// SIGKILL after the grace period, until no descendant is left) when asked
// through its control pipe, when that pipe closes because Brummer died
// (even of SIGKILL), and when the script exits with leftovers. It exits
// with the script's exit code once it has reaped every descendant.
func MaybeSupervise() {
	if len(os.Args) >= 2 && os.Args[1] == superviseArg && os.Getenv(superviseEnv) == "1" {
		os.Exit(supervise(os.Args[2:]))
	}
	supervisorEnabled.Store(true)
}

// supervise runs the supervisor: args are the grace period, the resolved
// path and the script's argv. fd 3 is the control pipe, fd 4 reports "pid
// N" or "error MESSAGE" once.
func supervise(args []string) int {
	// The script's parent-death signal follows the thread that forked it.
	runtime.LockOSThread()
	_ = os.Unsetenv(superviseEnv)
	syscall.CloseOnExec(3)
	syscall.CloseOnExec(4)
	ctrl := os.NewFile(3, "control")
	status := os.NewFile(4, "status")
	fail := func(err error) int {
		fmt.Fprintf(status, "error %v\n", err)
		status.Close()
		return 127
	}
	if len(args) < 3 {
		return fail(fmt.Errorf("supervisor: want GRACE PATH ARGV..., got %q", args))
	}
	grace, err := time.ParseDuration(args[0])
	if err != nil {
		return fail(fmt.Errorf("supervisor: grace period: %w", err))
	}
	if err := setSubreaper(); err != nil {
		return fail(fmt.Errorf("supervisor: becoming a subreaper: %w", err))
	}
	sigs := make(chan os.Signal, 16)
	signal.Notify(sigs, syscall.SIGCHLD, syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP)

	pid, err := syscall.ForkExec(args[1], args[2:], &syscall.ProcAttr{
		Env:   os.Environ(),
		Files: []uintptr{0, 1, 2},
		Sys:   scriptAttr(),
	})
	if err != nil {
		return fail(err)
	}
	fmt.Fprintf(status, "pid %d\n", pid)
	status.Close()

	stopReq := make(chan struct{})
	go func() {
		// Any byte, EOF or error: Brummer wants the script gone, or is gone.
		var b [1]byte
		_, _ = ctrl.Read(b[:])
		close(stopReq)
	}()

	var (
		mainStatus  syscall.WaitStatus
		mainDone    bool
		terminating bool
		killAt      <-chan time.Time
		rekill      <-chan time.Time
	)
	terminate := func() {
		if !terminating {
			terminating = true
			signalDescendants(pid, syscall.SIGTERM)
			killAt = time.After(grace)
		}
	}
	for {
		for {
			var ws syscall.WaitStatus
			wpid, err := syscall.Wait4(-1, &ws, syscall.WNOHANG, nil)
			if err == syscall.EINTR {
				continue
			}
			if err == syscall.ECHILD {
				return exitCode(mainStatus, mainDone)
			}
			if err != nil || wpid <= 0 {
				break
			}
			if wpid == pid {
				mainStatus, mainDone = ws, true
			}
		}
		if mainDone {
			terminate() // leftovers: nothing may outlive the script
		}
		select {
		case s := <-sigs:
			if s != syscall.SIGCHLD {
				terminate()
			}
		case <-stopReq:
			stopReq = nil
			terminate()
		case <-killAt:
			killAt = nil
			signalDescendants(pid, syscall.SIGKILL)
			t := time.NewTicker(50 * time.Millisecond)
			defer t.Stop()
			rekill = t.C
		case <-rekill:
			// Something forked between two signals: keep at it.
			signalDescendants(pid, syscall.SIGKILL)
		}
	}
}

// signalDescendants signals the script's group and every other descendant
// of the supervisor (escapees), never the supervisor itself.
func signalDescendants(pgid int, sig syscall.Signal) {
	_ = syscall.Kill(-pgid, sig)
	for _, pid := range descendants(os.Getpid()) {
		_ = syscall.Kill(pid, sig)
	}
}

func exitCode(ws syscall.WaitStatus, ok bool) int {
	switch {
	case !ok:
		return 1
	case ws.Signaled():
		return 128 + int(ws.Signal())
	default:
		return ws.ExitStatus()
	}
}
