//go:build unix && !linux

package lsp

import "net"

// peerUID is unknown here (-1): the socket's directory (0700) and mode
// (0600) keep other users out.
func peerUID(*net.UnixConn) (int, error) { return -1, nil }
