//go:build unix

package main

import (
	"io"
	"os"
	"syscall"
)

// interruptible makes blocking standard streams pollable, so that closing
// them ends a pending read or write: the server closes its streams when it
// exits on a signal or on the editor's death, and must neither wait for a
// byte that never comes nor for a client that stopped reading. Only pipes
// and sockets (what editors use) are changed: O_NONBLOCK on a terminal
// would be left behind for the shell.
func interruptible(stdin io.Reader, stdout io.Writer) (io.Reader, io.Writer) {
	if stdin == io.Reader(os.Stdin) && pipeOrSocket(0) {
		// Not os.Stdin.Fd(): it would put the descriptor back in blocking mode.
		if err := syscall.SetNonblock(0, true); err == nil {
			stdin = os.NewFile(0, "/dev/stdin")
		}
	}
	if stdout == io.Writer(os.Stdout) && pipeOrSocket(1) {
		if err := syscall.SetNonblock(1, true); err == nil {
			stdout = os.NewFile(1, "/dev/stdout")
		}
	}
	return stdin, stdout
}

func pipeOrSocket(fd int) bool {
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		return false
	}
	mode := st.Mode & syscall.S_IFMT
	return mode == syscall.S_IFIFO || mode == syscall.S_IFSOCK
}
