package proxy

import (
	"context"
	"net"
	"sync"
)

// cutLongLived closes hijacked connections and cancels event streams, the
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
		s.cancel()
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

type streamKey struct{}

// stream is one in-flight request, registered once its response turns out
// to be an event stream.
type stream struct{ cancel context.CancelFunc }

// markStream registers the request of ctx as a stream.
func (l *listener) markStream(ctx context.Context) {
	st, ok := ctx.Value(streamKey{}).(*stream)
	if !ok {
		return
	}
	l.mu.Lock()
	closed := l.closed
	if !closed {
		l.streams[st] = struct{}{}
	}
	l.mu.Unlock()
	if closed {
		st.cancel()
	}
}

func (l *listener) endStream(st *stream) {
	l.mu.Lock()
	delete(l.streams, st)
	l.mu.Unlock()
}
