//go:build linux

package procmgr

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/brummer-dev/brummer/eventbus"
	"go.uber.org/goleak"
)

// helperEnv makes the test binary play a helper program instead of running
// the tests: see helper.
const helperEnv = "PROCMGR_TEST_HELPER"

func TestMain(m *testing.M) {
	MaybeSupervise()
	if mode := os.Getenv(helperEnv); mode != "" {
		os.Exit(helper(mode))
	}
	goleak.VerifyTestMain(m)
}

// helper programs, run as the test binary with helperEnv set.
func helper(mode string) int {
	switch mode {
	case "listen": // hold a loopback port and say which
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		fmt.Printf("port %d\n", l.Addr().(*net.TCPAddr).Port)
		for {
			c, err := l.Accept()
			if err != nil {
				return 1
			}
			c.Close()
		}
	case "brummer": // a Brummer that starts one script and waits to be killed
		dir := os.Getenv("PROCMGR_TEST_DIR")
		m := New(Config{StopGrace: 300 * time.Millisecond}, nil, nil, nil)
		// TERM is ignored by all of them: only the supervisor's SIGKILL
		// after the grace period ends them.
		script := `trap '' TERM
setsid sh -c 'echo $$ > esc.tmp; mv esc.tmp esc; exec sleep 1000' &
sleep 1000 &
echo $$ > pid.tmp; mv pid.tmp pid
wait`
		if _, err := m.Start(context.Background(), Spec{Script: "dev", Dir: dir, Argv: []string{"sh", "-c", script}}); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		fmt.Println("started")
		c := make(chan os.Signal, 1)
		signal.Notify(c, syscall.SIGTERM)
		<-c // only SIGKILL is expected; TERM is there for a clean exit by hand
		_ = m.Close(context.Background())
		return 0
	}
	fmt.Fprintf(os.Stderr, "unknown helper %q\n", mode)
	return 2
}

// recSink records every batch.
type recSink struct {
	mu      sync.Mutex
	lines   map[string]map[Stream][]Line
	batches int
}

func newRecSink() *recSink { return &recSink{lines: map[string]map[Stream][]Line{}} }

func (s *recSink) Append(id string, st Stream, ls []Line) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.lines[id] == nil {
		s.lines[id] = map[Stream][]Line{}
	}
	s.lines[id][st] = append(s.lines[id][st], ls...)
	s.batches++
}

func (s *recSink) get(id string, st Stream) []Line {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Line(nil), s.lines[id][st]...)
}

func (s *recSink) texts(id string, st Stream) []string {
	var out []string
	for _, l := range s.get(id, st) {
		out = append(out, l.Text)
	}
	return out
}

// recPub records published events; it also reads the manager while
// publishing, which deadlocks if the manager publishes under its lock.
type recPub struct {
	mu     sync.Mutex
	events []eventbus.Event
	m      *Manager
}

func (p *recPub) Publish(e eventbus.Event) error {
	if p.m != nil {
		p.m.List()
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.events = append(p.events, e)
	return nil
}

func (p *recPub) statuses(id string) []Status {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []Status
	for _, e := range p.events {
		if e.Key == id {
			out = append(out, e.Payload.(ProcessChanged).Process.Status)
		}
	}
	return out
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t testing.TB, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(5 * time.Millisecond) // polling interval, not synchronization
	}
}

// waitDone waits for the process's Done channel.
func waitDone(t testing.TB, m *Manager, id string, d time.Duration) Snapshot {
	t.Helper()
	ch, ok := m.Done(id)
	if !ok {
		t.Fatalf("Done(%q): unknown", id)
	}
	select {
	case <-ch:
	case <-time.After(d):
		t.Fatalf("%s not done after %v", id, d)
	}
	s, _ := m.Get(id)
	return s
}

// alive reports whether pid exists and is not a zombie.
func alive(pid int) bool {
	s, ok := readStat(pid, make([]byte, 512))
	return ok && !s.zombie
}

// groupMembers lists the live processes of a process group.
func groupMembers(pgid int) []int {
	var out []int
	for _, p := range procs() {
		if p.pgid == pgid && !p.zombie {
			out = append(out, p.pid)
		}
	}
	return out
}

// readPID waits for a file holding a pid and returns it.
func readPID(t testing.TB, path string) int {
	t.Helper()
	var pid int
	waitFor(t, 10*time.Second, path, func() bool {
		b, err := os.ReadFile(path)
		if err != nil {
			return false
		}
		_, err = fmt.Sscan(strings.TrimSpace(string(b)), &pid)
		return err == nil && pid > 0
	})
	return pid
}

// newManager returns a manager closed at the end of the test; supervised
// says whether scripts run under a supervisor (the default of a program
// that calls MaybeSupervise) or as direct children.
func newManager(t *testing.T, cfg Config, supervised bool, pub eventbus.Publisher, sink Sink) *Manager {
	t.Helper()
	m := New(cfg, pub, sink, nil)
	m.supervised = supervised
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := m.Close(ctx); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return m
}

// modes runs f with and without supervisor.
func modes(t *testing.T, f func(t *testing.T, supervised bool)) {
	for _, sup := range []bool{true, false} {
		name := "direct"
		if sup {
			name = "supervised"
		}
		t.Run(name, func(t *testing.T) { f(t, sup) })
	}
}

func sh(script string) Spec {
	return Spec{Script: "test", Command: script, Argv: []string{"sh", "-c", script}}
}

func testdir(t *testing.T) string {
	d, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func testExe(t testing.TB) string {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return exe
}

func listen(port int) (net.Listener, error) {
	return net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
}
