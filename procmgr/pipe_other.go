//go:build !linux

package procmgr

import "os"

// outputPipe makes the pipe a child writes its output into: the write end
// for the child, and the read end for a lineReader.
func outputPipe() (outputReader, *os.File, error) {
	return os.Pipe()
}
