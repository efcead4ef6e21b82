//go:build linux

package procmgr

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/brummer-dev/brummer/eventbus"
)

var ctx = context.Background()

func TestExitCodes(t *testing.T) {
	modes(t, func(t *testing.T, sup bool) {
		pub := &recPub{}
		m := newManager(t, Config{}, sup, pub, nil)
		pub.m = m
		for _, tc := range []struct {
			script string
			status Status
			code   int
		}{
			{"exit 0", Success, 0},
			{"exit 3", Failed, 3},
			{"kill -KILL $$", Failed, 128 + 9},
		} {
			s, err := m.Start(ctx, sh(tc.script))
			if err != nil {
				t.Fatalf("%s: %v", tc.script, err)
			}
			if s.PID <= 0 || s.Status != Running {
				t.Fatalf("%s: start snapshot %+v, want running with a pid", tc.script, s)
			}
			s = waitDone(t, m, s.ID, 10*time.Second)
			if s.Status != tc.status || s.ExitCode == nil || *s.ExitCode != tc.code || s.EndedAt == nil {
				t.Errorf("%s: got %v exit %v, want %v exit %d", tc.script, s.Status, s.ExitCode, tc.status, tc.code)
			}
			if got, want := pub.statuses(s.ID), []Status{Starting, Running, tc.status}; !slices.Equal(got, want) {
				t.Errorf("%s: events %v, want %v", tc.script, got, want)
			}
		}
	})
}

func TestCommandNotFound(t *testing.T) {
	modes(t, func(t *testing.T, sup bool) {
		m := newManager(t, Config{}, sup, nil, nil)
		s, err := m.Start(ctx, Spec{Script: "x", Argv: []string{"brummer-no-such-command"}})
		if !errors.Is(err, exec.ErrNotFound) || !strings.Contains(err.Error(), `"brummer-no-such-command"`) {
			t.Fatalf("err = %v, want ErrNotFound naming the command", err)
		}
		if s.Status != Failed || s.ID == "" {
			t.Fatalf("snapshot %+v, want failed", s)
		}
		waitDone(t, m, s.ID, time.Second)
		// Not executable: a clear error too.
		_, err = m.Start(ctx, Spec{Script: "y", Dir: testdir(t), Argv: []string{"./nothing-here"}})
		if err == nil || !strings.Contains(err.Error(), "nothing-here") {
			t.Fatalf("err = %v, want one naming ./nothing-here", err)
		}
		if _, err := m.Start(ctx, Spec{Script: "z"}); err == nil {
			t.Fatal("empty argv started")
		}
	})
}

func TestDirAndEnv(t *testing.T) {
	modes(t, func(t *testing.T, sup bool) {
		sink := newRecSink()
		m := newManager(t, Config{}, sup, nil, sink)
		dir := testdir(t)
		spec := sh(`pwd; echo "$PROCMGR_X"; echo "${BRUMMER_PROCMGR_SUPERVISE:-unset}"`)
		spec.Dir, spec.Env = dir, []string{"PROCMGR_X=hello"}
		s, err := m.Start(ctx, spec)
		if err != nil {
			t.Fatal(err)
		}
		waitDone(t, m, s.ID, 10*time.Second)
		if got, want := sink.texts(s.ID, Stdout), []string{dir, "hello", "unset"}; !slices.Equal(got, want) {
			t.Errorf("output %q, want %q", got, want)
		}
	})
}

func TestIDsNeverReused(t *testing.T) {
	m := newManager(t, Config{MaxEnded: 2}, false, nil, nil)
	seen := map[string]bool{}
	for i := 1; i <= 6; i++ {
		s, err := m.Start(ctx, sh("exit 0"))
		if err != nil {
			t.Fatal(err)
		}
		if want := fmt.Sprintf("p%d", i); s.ID != want || seen[s.ID] {
			t.Fatalf("id %q, want %q", s.ID, want)
		}
		seen[s.ID] = true
		waitDone(t, m, s.ID, 10*time.Second)
	}
	s, err := m.Start(ctx, sh("sleep 1000"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := m.Restart(ctx, s.ID)
	if err != nil || r.ID != "p8" || r.Status != Running {
		t.Fatalf("restart: %+v, %v; want p8 running", r, err)
	}
	if old, _ := m.Get(s.ID); old.Status != Stopped {
		t.Errorf("restarted process is %v, want stopped", old.Status)
	}
	// Ended processes beyond MaxEnded are forgotten, oldest first; List is
	// newest first.
	var ids []string
	for _, s := range m.List() {
		ids = append(ids, s.ID)
	}
	if want := []string{"p8", "p7", "p6"}; !slices.Equal(ids, want) {
		t.Errorf("List ids %v, want %v", ids, want)
	}
	if _, err := m.Stop(ctx, "p1"); !errors.Is(err, ErrUnknownProcess) {
		t.Errorf("stop of a forgotten id: %v, want ErrUnknownProcess", err)
	}
}

func TestStopTree(t *testing.T) {
	modes(t, func(t *testing.T, sup bool) {
		pub := &recPub{}
		sink := newRecSink()
		m := newManager(t, Config{StopGrace: 5 * time.Second}, sup, pub, sink)
		pub.m = m
		s, err := m.Start(ctx, sh(`sleep 1000 & echo $!; sh -c 'sleep 1000 & echo $!; wait' & echo $!; echo ready; wait`))
		if err != nil {
			t.Fatal(err)
		}
		waitFor(t, 10*time.Second, "four pids", func() bool { return len(sink.get(s.ID, Stdout)) == 4 })
		pids := []int{s.PID}
		for _, l := range sink.texts(s.ID, Stdout) {
			var p int
			if _, err := fmt.Sscan(l, &p); err == nil {
				pids = append(pids, p)
			}
		}
		if len(groupMembers(s.PID)) < 4 {
			t.Fatalf("group %d has %v, want the script and its three children", s.PID, groupMembers(s.PID))
		}
		st, err := m.Stop(ctx, s.ID)
		if err != nil || st.Status != Stopped {
			t.Fatalf("stop: %+v, %v", st, err)
		}
		for _, p := range pids {
			if alive(p) {
				t.Errorf("pid %d still alive after Stop", p)
			}
		}
		if g := groupMembers(s.PID); len(g) > 0 {
			t.Errorf("group %d still has %v", s.PID, g)
		}
		if got, want := pub.statuses(s.ID), []Status{Starting, Running, Stopping, Stopped}; !slices.Equal(got, want) {
			t.Errorf("events %v, want %v", got, want)
		}
		// Stopping again is harmless.
		if st, err := m.Stop(ctx, s.ID); err != nil || st.Status != Stopped {
			t.Errorf("second stop: %+v, %v", st, err)
		}
	})
}

func TestStopKillsAfterGrace(t *testing.T) {
	modes(t, func(t *testing.T, sup bool) {
		sink := newRecSink()
		grace := 300 * time.Millisecond
		m := newManager(t, Config{StopGrace: grace}, sup, nil, sink)
		s, err := m.Start(ctx, sh(`trap '' TERM; sleep 1000 & echo ready; wait`))
		if err != nil {
			t.Fatal(err)
		}
		waitFor(t, 10*time.Second, "ready", func() bool { return len(sink.get(s.ID, Stdout)) == 1 })
		start := time.Now()
		st, err := m.Stop(ctx, s.ID)
		if err != nil || st.Status != Stopped {
			t.Fatalf("stop: %+v, %v", st, err)
		}
		if el := time.Since(start); el < grace {
			t.Errorf("stopped after %v: SIGTERM cannot have done it (grace %v)", el, grace)
		}
		if st.ExitCode == nil || *st.ExitCode != 128+9 {
			t.Errorf("exit code %v, want 137 (SIGKILL)", st.ExitCode)
		}
		if g := groupMembers(s.PID); len(g) > 0 {
			t.Errorf("group %d still has %v", s.PID, g)
		}
	})
}

func TestEscapeesKilled(t *testing.T) {
	// esc1 leaves the group but keeps its parent; esc2 is orphaned at once
	// (a daemon's double fork). Only a supervisor, their subreaper, reaches
	// esc2; without one, esc1 is found through its parent.
	modes(t, func(t *testing.T, sup bool) {
		grace := 5 * time.Second
		m := newManager(t, Config{StopGrace: grace}, sup, nil, nil)
		dir := testdir(t)
		script := `setsid sh -c 'echo $$ > esc1.tmp; mv esc1.tmp esc1; exec sleep 1000' &
`
		files := []string{"esc1"}
		if sup {
			script += `(setsid sh -c 'echo $$ > esc2.tmp; mv esc2.tmp esc2; exec sleep 1000' &)
`
			files = append(files, "esc2")
		}
		spec := sh(script + "exec sleep 1000")
		spec.Dir = dir
		s, err := m.Start(ctx, spec)
		if err != nil {
			t.Fatal(err)
		}
		var esc []int
		for _, f := range files {
			p := readPID(t, dir+"/"+f)
			if st, _ := readStat(p, make([]byte, 512)); st.pgid == s.PID {
				t.Fatalf("escapee %d is still in the group %d", p, s.PID)
			}
			esc = append(esc, p)
		}
		start := time.Now()
		if _, err := m.Stop(ctx, s.ID); err != nil {
			t.Fatal(err)
		}
		// Everything here dies of SIGTERM: a stop that took the grace
		// period needed the last-resort SIGKILL to find the escapees.
		if el := time.Since(start); el >= grace {
			t.Errorf("stop took %v, the whole grace period", el)
		}
		for _, p := range esc {
			if alive(p) {
				t.Errorf("escapee %d alive after Stop", p)
			}
		}
	})
}

func TestLeftoversKilledAtExit(t *testing.T) {
	// A script that exits leaving a background child: the child goes too,
	// and the output ends (no one holds the pipe open).
	modes(t, func(t *testing.T, sup bool) {
		sink := newRecSink()
		m := newManager(t, Config{StopGrace: 2 * time.Second}, sup, nil, sink)
		s, err := m.Start(ctx, sh(`sleep 1000 & echo $!; exit 0`))
		if err != nil {
			t.Fatal(err)
		}
		st := waitDone(t, m, s.ID, 20*time.Second)
		if st.Status != Success {
			t.Errorf("status %v, want success", st.Status)
		}
		var p int
		if l := sink.texts(s.ID, Stdout); len(l) != 1 {
			t.Fatalf("output %q", l)
		} else {
			fmt.Sscan(l[0], &p)
		}
		if p == 0 || alive(p) {
			t.Errorf("background child %d alive after the script ended", p)
		}
	})
}

func TestPortFreeAfterStop(t *testing.T) {
	modes(t, func(t *testing.T, sup bool) {
		sink := newRecSink()
		m := newManager(t, Config{}, sup, nil, sink)
		exe := testExe(t)
		spec := sh(`"$0" & wait`)
		spec.Argv = append(spec.Argv, exe)
		spec.Env = []string{helperEnv + "=listen"}
		s, err := m.Start(ctx, spec)
		if err != nil {
			t.Fatal(err)
		}
		var port int
		waitFor(t, 10*time.Second, "port", func() bool {
			l := sink.texts(s.ID, Stdout)
			return len(l) == 1 && func() bool { _, err := fmt.Sscanf(l[0], "port %d", &port); return err == nil }()
		})
		if l, err := listen(port); err == nil {
			l.Close()
			t.Fatalf("port %d free while the script runs", port)
		}
		if _, err := m.Stop(ctx, s.ID); err != nil {
			t.Fatal(err)
		}
		l, err := listen(port)
		if err != nil {
			t.Fatalf("port %d still taken after Stop: %v", port, err)
		}
		l.Close()
	})
}

func TestConcurrentStartsBounded(t *testing.T) {
	m := newManager(t, Config{MaxConcurrentStarts: 2}, false, nil, nil)
	var inflight, most atomic.Int32
	release := make(chan struct{})
	m.launchHook = func() {
		n := inflight.Add(1)
		for {
			old := most.Load()
			if n <= old || most.CompareAndSwap(old, n) {
				break
			}
		}
		<-release
		inflight.Add(-1)
	}
	const n = 6
	errs := make(chan error, n)
	for range n {
		go func() {
			_, err := m.Start(ctx, sh("exit 0"))
			errs <- err
		}()
	}
	waitFor(t, 10*time.Second, "two starts in flight and all registered", func() bool {
		return inflight.Load() == 2 && len(m.List()) == n
	})
	close(release)
	for range n {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if got := most.Load(); got != 2 {
		t.Errorf("%d starts ran at once, want at most 2", got)
	}
}

func TestStopAllRestartAll(t *testing.T) {
	m := newManager(t, Config{MaxConcurrentStarts: 2}, true, nil, nil)
	var ids []string
	for range 3 {
		s, err := m.Start(ctx, sh("exec sleep 1000"))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, s.ID)
	}
	done, err := m.Start(ctx, sh("exit 0"))
	if err != nil {
		t.Fatal(err)
	}
	waitDone(t, m, done.ID, 10*time.Second)
	news, err := m.RestartAll(ctx)
	if err != nil || len(news) != 3 {
		t.Fatalf("restart all: %d, %v; want 3 new processes", len(news), err)
	}
	for _, s := range news {
		if s.Status != Running || slices.Contains(ids, s.ID) || s.ID == done.ID {
			t.Errorf("restarted %+v", s)
		}
	}
	for _, id := range ids {
		if s, _ := m.Get(id); s.Status != Stopped {
			t.Errorf("%s is %v after RestartAll, want stopped", id, s.Status)
		}
	}
	if err := m.StopAll(ctx); err != nil {
		t.Fatal(err)
	}
	for _, s := range m.List() {
		if s.Status.Active() {
			t.Errorf("%s still %v after StopAll", s.ID, s.Status)
		}
	}
}

func TestClose(t *testing.T) {
	m := New(Config{}, nil, nil, nil)
	s, err := m.Start(ctx, sh("exec sleep 1000"))
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := m.Close(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if got, _ := m.Get(s.ID); got.Status != Stopped || alive(s.PID) {
		t.Errorf("after Close: %v, alive %v", got.Status, alive(s.PID))
	}
	if _, err := m.Start(ctx, sh("exit 0")); !errors.Is(err, ErrClosed) {
		t.Errorf("start after close: %v, want ErrClosed", err)
	}
}

func TestEventsOutsideLocks(t *testing.T) {
	// recPub calls List from Publish: a publish under the map lock would
	// deadlock here.
	pub := &recPub{}
	m := newManager(t, Config{}, false, pub, nil)
	pub.m = m
	s, err := m.Start(ctx, sh("exit 0"))
	if err != nil {
		t.Fatal(err)
	}
	waitDone(t, m, s.ID, 10*time.Second)
	pub.mu.Lock()
	defer pub.mu.Unlock()
	for _, e := range pub.events {
		if e.Topic != TopicProcessChanged || e.Priority != eventbus.High || e.Key != s.ID {
			t.Errorf("event %+v", e)
		}
	}
}

func TestStopAndCancelWhileWaitingForSlot(t *testing.T) {
	m := newManager(t, Config{MaxConcurrentStarts: 1}, false, nil, nil)
	entered := make(chan struct{}, 1)
	release := make(chan struct{})
	m.launchHook = func() {
		entered <- struct{}{}
		<-release
	}
	first := make(chan error, 1)
	go func() {
		_, err := m.Start(ctx, sh("exec sleep 1000"))
		first <- err
	}()
	<-entered // p1 holds the only slot

	type result struct {
		s   Snapshot
		err error
	}
	second := make(chan result, 1)
	go func() {
		s, err := m.Start(ctx, sh("exit 0"))
		second <- result{s, err}
	}()
	waitFor(t, 10*time.Second, "p2 registered", func() bool { _, ok := m.Get("p2"); return ok })
	if s, err := m.Stop(ctx, "p2"); err != nil || s.Status != Stopped {
		t.Fatalf("stop while waiting for a slot: %+v, %v", s, err)
	}
	if r := <-second; r.err != nil || r.s.Status != Stopped {
		t.Fatalf("start of a process stopped before it ran: %+v, %v", r.s, r.err)
	}

	cctx, cancel := context.WithCancel(ctx)
	third := make(chan result, 1)
	go func() {
		s, err := m.Start(cctx, sh("exit 0"))
		third <- result{s, err}
	}()
	waitFor(t, 10*time.Second, "p3 registered", func() bool { _, ok := m.Get("p3"); return ok })
	cancel()
	if r := <-third; !errors.Is(r.err, context.Canceled) || r.s.Status != Failed {
		t.Fatalf("cancelled start: %+v, %v", r.s, r.err)
	}

	close(release)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	// A stop whose context ends early says so; the stop itself goes on.
	sctx, scancel := context.WithCancel(ctx)
	scancel()
	if _, err := m.Stop(sctx, "p1"); !errors.Is(err, context.Canceled) {
		t.Fatalf("stop with a cancelled context: %v", err)
	}
	if s := waitDone(t, m, "p1", 10*time.Second); s.Status != Stopped {
		t.Fatalf("p1 %v after the stop went on", s.Status)
	}
}
