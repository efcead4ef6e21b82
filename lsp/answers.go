package lsp

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"
	"sync"
	"sync/atomic"

	"go.lsp.dev/jsonrpc2"
)

// answers tracks the calls whose answer is not yet on the wire. jsonrpc2
// writes a call's answer after its handler returns, so counting handlers is
// not enough for shutdown to answer after every call sent before it: the
// stream marks a call answered once the frame carrying its response is
// written.
type answers struct {
	n       atomic.Int64 // len(pending), read without the lock on every write
	mu      sync.Mutex
	pending map[jsonrpc2.ID]struct{}
	empty   chan struct{} // closed and replaced when pending becomes empty
}

func newAnswers() *answers {
	return &answers{pending: map[jsonrpc2.ID]struct{}{}, empty: make(chan struct{})}
}

// expect registers a call whose answer is to come.
func (a *answers) expect(id jsonrpc2.ID) {
	a.mu.Lock()
	if _, dup := a.pending[id]; !dup {
		a.pending[id] = struct{}{}
		a.n.Add(1)
	}
	a.mu.Unlock()
}

// answered marks id's answer written.
func (a *answers) answered(id jsonrpc2.ID) {
	a.mu.Lock()
	if _, ok := a.pending[id]; ok {
		delete(a.pending, id)
		if a.n.Add(-1) == 0 {
			close(a.empty)
			a.empty = make(chan struct{})
		}
	}
	a.mu.Unlock()
}

// waitWritten returns when every registered answer is written, or ctx ends.
func (a *answers) waitWritten(ctx context.Context) bool {
	for {
		a.mu.Lock()
		if len(a.pending) == 0 {
			a.mu.Unlock()
			return true
		}
		ch := a.empty
		a.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return false
		}
	}
}

// responsePrefix starts every response jsonrpc2 encodes; calls and
// notifications have "method" where a response has "id".
var responsePrefix = []byte(`{"jsonrpc":"2.0","id":`)

// sawFrame marks the answers carried by one written frame: a response, or
// a batch of them.
func (a *answers) sawFrame(body []byte) {
	if a.n.Load() == 0 {
		return
	}
	if len(body) > 0 && body[0] == '[' {
		var batch []struct {
			ID json.RawMessage `json:"id"`
		}
		if json.Unmarshal(body, &batch) == nil {
			for _, m := range batch {
				if id, ok := parseID(m.ID); ok {
					a.answered(id)
				}
			}
		}
		return
	}
	if !bytes.HasPrefix(body, responsePrefix) {
		return
	}
	rest := body[len(responsePrefix):]
	end := idEnd(rest)
	if id, ok := parseID(rest[:end]); ok {
		a.answered(id)
	}
}

// idEnd finds the end of the JSON number or string at the start of b.
func idEnd(b []byte) int {
	if len(b) == 0 || b[0] != '"' {
		i := 0
		for i < len(b) && (b[i] == '-' || (b[i] >= '0' && b[i] <= '9')) {
			i++
		}
		return i
	}
	for i := 1; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(b)
}

func parseID(raw []byte) (jsonrpc2.ID, bool) {
	if len(raw) == 0 {
		return jsonrpc2.ID{}, false
	}
	if raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return jsonrpc2.ID{}, false
		}
		return jsonrpc2.NewStringID(s), true
	}
	n, err := strconv.ParseInt(string(raw), 10, 64)
	if err != nil {
		return jsonrpc2.ID{}, false
	}
	return jsonrpc2.NewNumberID(n), true
}
