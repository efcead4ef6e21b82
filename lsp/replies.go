package lsp

import (
	"sync"
	"time"

	"go.lsp.dev/jsonrpc2"
)

// replies counts calls released from the read loop until their answer is
// written: shutdown waits for them, so a client that pipelines a request,
// shutdown and exit gets every answer before the connection closes.
// (jsonrpc2 writes an answer after the handler returns, so counting the
// handlers alone leaves a window.)
type replies struct {
	mu      sync.Mutex
	pending map[jsonrpc2.ID]struct{}
	empty   chan struct{} // closed when pending becomes empty; nil while it is
}

func (r *replies) add(id jsonrpc2.ID) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.pending == nil {
		r.pending = map[jsonrpc2.ID]struct{}{}
	}
	r.pending[id] = struct{}{}
}

// written is called by the stream for every message it writes.
func (r *replies) written(msg jsonrpc2.Message) {
	resp, ok := msg.(*jsonrpc2.Response)
	if !ok {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.pending[resp.ID()]; !ok {
		return
	}
	delete(r.pending, resp.ID())
	if len(r.pending) == 0 && r.empty != nil {
		close(r.empty)
		r.empty = nil
	}
}

// wait returns when every counted call is answered, or after limit (a
// client that stopped reading cannot hold shutdown forever).
func (r *replies) wait(limit time.Duration) {
	r.mu.Lock()
	if len(r.pending) == 0 {
		r.mu.Unlock()
		return
	}
	if r.empty == nil {
		r.empty = make(chan struct{})
	}
	ch := r.empty
	r.mu.Unlock()
	t := time.NewTimer(limit)
	defer t.Stop()
	select {
	case <-ch:
	case <-t.C:
	}
}
