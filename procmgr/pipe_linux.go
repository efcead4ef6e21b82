//go:build linux

package procmgr

import (
	"io"
	"os"
	"sync"

	"golang.org/x/sys/unix"
)

// outputPipe makes the pipe a child writes its output into: the write end
// for the child, and the read end for a lineReader.
//
// The read end is not Go's pollable *os.File: an fd registered with the
// runtime's netpoller stays in its epoll set, so every write of the child
// wakes the runtime's idle thread even while the reader sleeps to let
// output gather (lineReader.run). For a program printing line by line that
// is a wakeup per line, which the program pays inside write(2) (measured:
// node's console.log loop ran 1.5x its /dev/null time read that way, 1.0x
// read here). Here the reader waits in poll(2) only while it has nothing
// to read, so the child's writes wake no one in between. The price: a
// reader waiting in poll holds an OS thread, two per running process.
func outputPipe() (outputReader, *os.File, error) {
	var p [2]int
	if err := unix.Pipe2(p[:], unix.O_CLOEXEC); err != nil {
		return nil, nil, os.NewSyscallError("pipe2", err)
	}
	// Only the read end (its own open file description) is non-blocking:
	// the child's end stays as programs expect stdout to be.
	if err := unix.SetNonblock(p[0], true); err != nil {
		unix.Close(p[0])
		unix.Close(p[1])
		return nil, nil, os.NewSyscallError("fcntl", err)
	}
	efd, err := unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK)
	if err != nil {
		unix.Close(p[0])
		unix.Close(p[1])
		return nil, nil, os.NewSyscallError("eventfd", err)
	}
	return &pollPipe{fd: p[0], cancel: efd}, os.NewFile(uintptr(p[1]), "|1"), nil
}

// pollPipe is the read end of an output pipe. One goroutine reads; Close
// may come from another at any time, also during a Read, which it ends.
type pollPipe struct {
	fd     int
	cancel int // eventfd: readable once Close was called

	mu      sync.Mutex
	reading bool
	closed  bool
}

// Read reads what the pipe holds, waiting for it when it is empty. It
// returns io.EOF when every writer is gone and os.ErrClosed after Close.
func (p *pollPipe) Read(b []byte) (int, error) {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return 0, os.ErrClosed
	}
	p.reading = true
	p.mu.Unlock()
	n, err := p.read(b)
	p.mu.Lock()
	p.reading = false
	if p.closed {
		p.release()
	}
	p.mu.Unlock()
	return n, err
}

func (p *pollPipe) read(b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	fds := []unix.PollFd{{Fd: int32(p.fd), Events: unix.POLLIN}, {Fd: int32(p.cancel), Events: unix.POLLIN}}
	for {
		n, err := unix.Read(p.fd, b)
		switch {
		case err == nil && n > 0:
			return n, nil
		case err == nil:
			return 0, io.EOF
		case err == unix.EINTR:
			continue
		case err != unix.EAGAIN:
			return 0, os.NewSyscallError("read", err)
		}
		// Empty: wait for data, the end of the writers, or Close.
		for {
			_, err := unix.Poll(fds, -1)
			if err == nil {
				break
			}
			if err != unix.EINTR {
				return 0, os.NewSyscallError("poll", err)
			}
		}
		if fds[1].Revents != 0 {
			return 0, os.ErrClosed
		}
	}
}

// Close ends a Read in progress and releases the pipe (after that Read
// returns). It may be called more than once.
func (p *pollPipe) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return nil
	}
	p.closed = true
	if p.reading {
		var one [8]byte
		one[0] = 1 // eventfd counts in native byte order: little endian here, and 1 is non-zero either way
		unix.Write(p.cancel, one[:])
		return nil
	}
	p.release()
	return nil
}

// release closes the descriptors; p.mu is held and no Read is running.
func (p *pollPipe) release() {
	if p.fd >= 0 {
		unix.Close(p.fd)
		unix.Close(p.cancel)
		p.fd, p.cancel = -1, -1
	}
}
