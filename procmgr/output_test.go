//go:build linux

package procmgr

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"
)

func TestOutputFromProcess(t *testing.T) {
	sink := newRecSink()
	m := newManager(t, Config{}, true, nil, sink)
	s, err := m.Start(ctx, sh(`printf '\033[1;31merror\033[0m TS2322\r\n'
printf 'build 10%%\rbuild 60%%\rbuild 100%%\n'
printf 'bad \377 byte\n'
printf 'to stderr\n' >&2
printf 'no newline at the end'`))
	if err != nil {
		t.Fatal(err)
	}
	waitDone(t, m, s.ID, 10*time.Second)
	out := sink.get(s.ID, Stdout)
	if got, want := texts(out), []string{"error TS2322", "build 100%", "bad \uFFFD byte", "no newline at the end"}; !slices.Equal(got, want) {
		t.Fatalf("stdout %q, want %q", got, want)
	}
	if !out[0].Color || out[1].Color {
		t.Errorf("color flags %v %v, want true false", out[0].Color, out[1].Color)
	}
	if got := sink.texts(s.ID, Stderr); !slices.Equal(got, []string{"to stderr"}) {
		t.Errorf("stderr %q", got)
	}
}

func TestOutputOrderAndCount(t *testing.T) {
	// Many lines on both streams: none lost, none reordered within a stream.
	sink := newRecSink()
	m := newManager(t, Config{}, false, nil, sink)
	s, err := m.Start(ctx, sh(`seq 1 200000; seq 1 50000 >&2`))
	if err != nil {
		t.Fatal(err)
	}
	waitDone(t, m, s.ID, 30*time.Second)
	for st, n := range map[Stream]int{Stdout: 200000, Stderr: 50000} {
		got := sink.texts(s.ID, st)
		if len(got) != n {
			t.Fatalf("%v: %d lines, want %d", st, len(got), n)
		}
		for i, l := range got {
			if l != fmt.Sprint(i+1) {
				t.Fatalf("%v line %d = %q", st, i, l)
			}
		}
	}
}

func TestOutputHugeLine(t *testing.T) {
	// 100 MB without a newline: cut at the limit, the rest dropped in
	// bounded memory, and the writer never stalls.
	sink := newRecSink()
	m := newManager(t, Config{MaxLineBytes: 1024}, false, nil, sink)
	s, err := m.Start(ctx, sh(`head -c 100000000 /dev/zero | tr '\0' x; echo; echo after`))
	if err != nil {
		t.Fatal(err)
	}
	st := waitDone(t, m, s.ID, 60*time.Second)
	if st.Status != Success {
		t.Fatalf("status %v", st.Status)
	}
	out := sink.get(s.ID, Stdout)
	if len(out) != 2 {
		t.Fatalf("%d lines, want 2", len(out))
	}
	if want := strings.Repeat("x", 1024) + TruncationMarker; out[0].Text != want || !out[0].Truncated {
		t.Errorf("first line: %d bytes, truncated %v", len(out[0].Text), out[0].Truncated)
	}
	if out[1].Text != "after" {
		t.Errorf("second line %q", out[1].Text)
	}
}

func TestOutputBinary(t *testing.T) {
	sink := newRecSink()
	m := newManager(t, Config{MaxLineBytes: 4096}, false, nil, sink)
	s, err := m.Start(ctx, sh(`head -c 1000000 /dev/urandom`))
	if err != nil {
		t.Fatal(err)
	}
	if st := waitDone(t, m, s.ID, 30*time.Second); st.Status != Success {
		t.Fatalf("status %v", st.Status)
	}
	out := sink.get(s.ID, Stdout)
	if len(out) < 1000 { // about one '\n' in 256 bytes
		t.Fatalf("%d lines from 1 MB of random bytes", len(out))
	}
	for _, l := range out {
		if !utf8.ValidString(l.Text) || strings.ContainsFunc(l.Text, func(r rune) bool {
			return r < 0x20 && r != '\t' || r == 0x7f || r >= 0x80 && r < 0xa0
		}) {
			t.Fatalf("unclean line %q", l.Text)
		}
	}
}

func TestBrummerKilled(t *testing.T) {
	// A helper program plays Brummer: it starts a script (with a child, and
	// an escapee in its own session, all ignoring SIGTERM) and is then
	// killed with SIGKILL. The supervisor must take the whole tree down.
	dir := testdir(t)
	cmd := exec.Command(testExe(t))
	cmd.Env = append(os.Environ(), helperEnv+"=brummer", "PROCMGR_TEST_DIR="+dir)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	reaped := false
	t.Cleanup(func() {
		if !reaped {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	pid := readPID(t, filepath.Join(dir, "pid"))
	esc := readPID(t, filepath.Join(dir, "esc"))
	if len(groupMembers(pid)) < 2 || !alive(esc) {
		t.Fatalf("script group %v, escapee alive %v: want a running tree", groupMembers(pid), alive(esc))
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	reaped = true
	waitFor(t, 20*time.Second, "the script's group and escapee to die", func() bool {
		return len(groupMembers(pid)) == 0 && !alive(esc)
	})
}

func TestOutputLineByLineIsReadInBatches(t *testing.T) {
	// A program writing one line per write, fast, is read many lines at a
	// time (read coalescing), and nothing is lost or reordered.
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node is not installed")
	}
	const n = 20000
	sink := newRecSink()
	m := newManager(t, Config{}, false, nil, sink)
	s, err := m.Start(ctx, Spec{Script: "print", Dir: t.TempDir(), Argv: []string{"node", "-e",
		fmt.Sprintf(`const fs = require("fs"); for (let i = 1; i <= %d; i++) fs.writeSync(1, i + "\n");`, n)}})
	if err != nil {
		t.Fatal(err)
	}
	waitDone(t, m, s.ID, 60*time.Second)
	got := sink.texts(s.ID, Stdout)
	if len(got) != n {
		t.Fatalf("%d lines, want %d", len(got), n)
	}
	for i, l := range got {
		if l != fmt.Sprint(i+1) {
			t.Fatalf("line %d = %q", i, l)
		}
	}
	sink.mu.Lock()
	batches := sink.batches
	sink.mu.Unlock()
	if batches > n/3 {
		t.Fatalf("%d lines came in %d batches: reads are not coalesced", n, batches)
	}
	t.Logf("%d lines in %d batches", n, batches)
}
