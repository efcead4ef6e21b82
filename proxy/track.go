package proxy

import (
	"io"
	"net"
	"sync"
)

// cutLongLived closes hijacked connections and event streams, the
// exchanges that never finish on their own; later ones are cut at once.
func (l *listener) cutLongLived() {
	l.mu.Lock()
	l.closed = true
	conns := make([]*trackedConn, 0, len(l.hijack))
	for c := range l.hijack {
		conns = append(conns, c)
	}
	streams := make([]*stream, 0, len(l.streams))
	for s := range l.streams {
		streams = append(streams, s)
	}
	l.mu.Unlock()
	for _, c := range conns {
		_ = c.Close()
	}
	for _, s := range streams {
		_ = s.Close()
	}
}

// track registers a hijacked connection; after close it is closed at once.
func (l *listener) track(c net.Conn) net.Conn {
	tc := &trackedConn{Conn: c, l: l}
	l.mu.Lock()
	closed := l.closed
	if !closed {
		l.hijack[tc] = struct{}{}
	}
	l.mu.Unlock()
	if closed {
		_ = c.Close()
	}
	return tc
}

type trackedConn struct {
	net.Conn
	l    *listener
	once sync.Once
	err  error
}

func (c *trackedConn) Close() error {
	c.once.Do(func() {
		c.l.mu.Lock()
		delete(c.l.hijack, c)
		c.l.mu.Unlock()
		c.err = c.Conn.Close()
	})
	return c.err
}

// stream is the upstream body of an event stream: closing it ends the
// proxied response, which never ends on its own. Tracking it only once
// the response turns out to be a stream keeps ordinary requests free of
// any per-request registration.
type stream struct {
	io.ReadCloser
	l    *listener
	once sync.Once
	err  error
}

func (s *stream) Close() error {
	s.once.Do(func() {
		s.l.mu.Lock()
		delete(s.l.streams, s)
		s.l.mu.Unlock()
		s.err = s.ReadCloser.Close()
	})
	return s.err
}

// trackStream registers an event stream's body; after close it is closed
// at once.
func (l *listener) trackStream(body io.ReadCloser) io.ReadCloser {
	st := &stream{ReadCloser: body, l: l}
	l.mu.Lock()
	closed := l.closed
	if !closed {
		l.streams[st] = struct{}{}
	}
	l.mu.Unlock()
	if closed {
		_ = st.Close()
	}
	return st
}
