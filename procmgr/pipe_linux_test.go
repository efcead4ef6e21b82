//go:build linux

package procmgr

import (
	"errors"
	"io"
	"os"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

func inode(t *testing.T, fd int) (uint64, bool) {
	t.Helper()
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return 0, false
	}
	return st.Ino, true
}

// A read end whose writer never closes (a descendant out of reach holds
// it) must not keep its reader forever: Close ends the Read in progress,
// and the descriptors go once it has returned.
func TestOutputPipeCloseEndsAPendingRead(t *testing.T) {
	r, w, err := outputPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	p := r.(*pollPipe)
	ino, _ := inode(t, p.fd)
	fd := p.fd

	if _, err := w.WriteString("first\n"); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64)
	if n, err := r.Read(buf); err != nil || string(buf[:n]) != "first\n" {
		t.Fatalf("Read = %q, %v", buf[:n], err)
	}
	got := make(chan error, 1)
	go func() { _, err := r.Read(buf); got <- err }()
	// Wait until the Read waits on the empty pipe.
	deadline := time.Now().Add(5 * time.Second)
	for {
		p.mu.Lock()
		reading := p.reading
		p.mu.Unlock()
		if reading {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the Read never started")
		}
		time.Sleep(time.Millisecond)
	}
	select {
	case err := <-got:
		t.Fatalf("Read returned %v on an empty pipe", err)
	case <-time.After(50 * time.Millisecond):
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-got:
		if !errors.Is(err, os.ErrClosed) {
			t.Fatalf("Read after Close: %v, want os.ErrClosed", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not end the pending Read")
	}
	if now, ok := inode(t, fd); ok && now == ino {
		t.Errorf("fd %d is still the pipe after Close and the Read's return", fd)
	}
	if _, err := r.Read(buf); !errors.Is(err, os.ErrClosed) {
		t.Errorf("Read after Close: %v", err)
	}
	if err := r.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestOutputPipeReadsToEOF(t *testing.T) {
	r, w, err := outputPipe()
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		for range 1000 {
			w.WriteString("0123456789abcdef\n")
		}
		w.Close()
	}()
	data, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) != 17000 {
		t.Errorf("read %d bytes, want 17000", len(data))
	}
	p := r.(*pollPipe)
	fd := p.fd
	ino, _ := inode(t, fd)
	r.Close() // no Read in progress: released at once
	if now, ok := inode(t, fd); ok && now == ino {
		t.Errorf("fd %d is still the pipe after Close", fd)
	}
}

// Programs expect a blocking stdout (some fail on EAGAIN): only brummer's
// end of the pipe is non-blocking.
func TestChildOutputIsBlocking(t *testing.T) {
	sink := newRecSink()
	m := newManager(t, Config{}, false, nil, sink)
	s, err := m.Start(ctx, Spec{Argv: []string{"python3", "-c", "import fcntl, os, sys; print(fcntl.fcntl(1, fcntl.F_GETFL) & os.O_NONBLOCK, fcntl.fcntl(2, fcntl.F_GETFL) & os.O_NONBLOCK)"}})
	if err != nil {
		t.Fatal(err)
	}
	if st := waitDone(t, m, s.ID, 20*time.Second); st.Status != Success {
		t.Fatalf("status %v", st.Status)
	}
	if got := sink.texts(s.ID, Stdout); len(got) != 1 || got[0] != "0 0" {
		t.Errorf("O_NONBLOCK of the child's stdout and stderr: %q, want [\"0 0\"]", got)
	}
}
