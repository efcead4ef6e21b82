package lsp

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"

	"github.com/brummer-dev/brummer/core"
	"github.com/brummer-dev/brummer/logstore"
	"go.lsp.dev/jsonrpc2"
	"go.uber.org/zap"
)

// gatedPeer blocks every write until opened, like a client that stopped
// reading, and records what was written.
type gatedPeer struct {
	open chan struct{}
	mu   sync.Mutex
	got  []outMsg
	seen chan struct{} // signalled after each write
}

func newGatedPeer() *gatedPeer {
	return &gatedPeer{open: make(chan struct{}), seen: make(chan struct{}, 1)}
}

func (p *gatedPeer) Notify(ctx context.Context, method string, params any) error {
	select {
	case <-p.open:
	case <-ctx.Done():
		return ctx.Err()
	}
	raw := params.(jsonrpc2.RawMessage)
	p.mu.Lock()
	p.got = append(p.got, outMsg{method, json.RawMessage(append([]byte(nil), raw...))})
	p.mu.Unlock()
	select {
	case p.seen <- struct{}{}:
	default:
	}
	return nil
}

func (p *gatedPeer) Call(ctx context.Context, method string, params, result any) (jsonrpc2.ID, error) {
	return jsonrpc2.ID{}, p.Notify(ctx, method, jsonrpc2.RawMessage("null"))
}

func (p *gatedPeer) messages() []outMsg {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]outMsg(nil), p.got...)
}

// waitFor waits until pred holds over what the peer received.
func (p *gatedPeer) waitFor(t *testing.T, what string, pred func([]outMsg) bool) {
	t.Helper()
	deadline := time.After(wait)
	for !pred(p.messages()) {
		select {
		case <-p.seen:
		case <-deadline:
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

func TestOutboxBoundsAndCoalescesWhileTheClientStalls(t *testing.T) {
	peer := newGatedPeer()
	var state atomic.Int64
	o := newOutbox(peer, zap.NewNop(), outboxLimits{LogBatches: 8, Misc: 4}, func(method string) any {
		return map[string]int64{"state": state.Load()}
	})
	defer o.close()

	// The writer takes one message and blocks on the client with it.
	o.processesChanged()
	for i := 0; i < 10000; i++ {
		state.Store(int64(i))
		o.processesChanged()
		o.urlsChanged()
		o.logBatch("p1", []logstore.Entry{{Seq: uint64(i), Text: "x"}}, 0)
		o.diagnostics("file:///same.ts", []wireDiagnostic{{Message: fmt.Sprint(i)}})
		o.message("window/logMessage", messageParams{4, fmt.Sprint(i)})
	}
	for i := 0; i < 50; i++ {
		o.diagnostics(fmt.Sprintf("file:///f%d.ts", i), nil)
	}
	st := o.stats()
	// Bounded: two flags, 51 uris, 8 log batches, 4 messages (plus the one
	// the writer holds).
	if st.Queued > 2+51+8+4 {
		t.Fatalf("queued %d while stalled: not bounded", st.Queued)
	}
	if st.Dropped == 0 || st.Coalesced < 3*9000 {
		t.Fatalf("stats %+v: want drops and coalescing", st)
	}

	close(peer.open)
	// Queued drops when the writer takes a message, before the peer has
	// it: wait until the peer holds every message taken.
	peer.waitFor(t, "every queued message", func(ms []outMsg) bool {
		st := o.stats()
		return st.Queued == 0 && len(ms) > 0 && uint64(len(ms)) == st.Sent
	})
	ms := peer.messages()
	var lastProcs, sameTS string
	uris := map[string]bool{}
	logs := 0
	for _, m := range ms {
		raw := string(m.params.(json.RawMessage))
		switch m.method {
		case methodProcessesChanged:
			lastProcs = raw
		case "textDocument/publishDiagnostics":
			var p publishDiagnosticsParams
			_ = json.Unmarshal([]byte(raw), &p)
			uris[p.URI] = true
			if p.Diagnostics == nil {
				t.Fatalf("null diagnostics: %s", raw)
			}
			if p.URI == "file:///same.ts" {
				sameTS = raw
			}
		case methodLogAppended:
			var p logAppendedParams
			_ = json.Unmarshal([]byte(raw), &p)
			if logs == 0 && p.Dropped == 0 {
				t.Errorf("first log batch after the stall says dropped 0: %s", raw)
			}
			logs++
		}
	}
	if lastProcs != `{"state":9999}` {
		t.Errorf("last processesChanged %s, want the final state", lastProcs)
	}
	if len(uris) != 51 {
		t.Errorf("diagnostics for %d uris, want 51 (never lost)", len(uris))
	}
	if sameTS == "" || !json.Valid([]byte(sameTS)) || !contains(sameTS, `"message":"9999"`) {
		t.Errorf("same.ts got %s, want the latest set", sameTS)
	}
	if logs > 9 {
		t.Errorf("%d log batches written, want at most 8 queued + 1 held", logs)
	}
	if len(ms) > 2+2+51+9+5+2 {
		t.Errorf("%d messages written after the stall: coalescing failed", len(ms))
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// A client that stops reading costs the outbox's bound and nothing else:
// the script runs to the end, its output is stored, and once the client
// reads again it gets the final state and a count of the dropped lines.
func TestStalledClientDoesNotStallScripts(t *testing.T) {
	root := workspace(t, map[string]string{"package.json": `{"scripts":{"flood":"node -e \"for (let i = 0; i < 30000; i++) console.log('line ' + i)\""}}`})
	e := newEditor(t, root, editorOpts{initOpts: map[string]any{"notifications": map[string]any{"log_queue_size": 4}}})
	e.mustCall("brummer/subscribeLogs", map[string]any{"processId": nil, "enabled": true}, nil)
	e.mu.Lock()
	e.paused = make(chan struct{})
	e.mu.Unlock()
	// The reader stops after its current message; push one through so it
	// is parked before the flood.
	e.send("brummer/processes", map[string]any{})
	e.send("workspace/executeCommand", map[string]any{"command": "brummer.run", "arguments": []any{map[string]string{"script": "flood"}}})

	app := e.app.(*core.App)
	var id string
	deadline := time.Now().Add(wait)
	for id == "" {
		if ps := app.Processes(); len(ps) > 0 {
			id = ps[0].ID
		} else if time.Now().After(deadline) {
			t.Fatal("the flood never started")
		} else {
			time.Sleep(10 * time.Millisecond) // polling the app: no event reaches the test while stalled
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	p, err := app.Wait(ctx, id)
	if err != nil || p.Status.String() != "success" {
		t.Fatalf("the script did not finish while the client stalled: %+v %v", p, err)
	}
	res, err := app.Logs(logstoreTail(id))
	if err != nil || len(res.Entries) == 0 || res.Entries[len(res.Entries)-1].Text == "" {
		t.Fatalf("output not stored: %v", err)
	}
	e.resume()
	e.awaitProcess("the final state", func(w wireProcess) bool { return w.ID == id && w.Status == "success" })
	e.await("a log batch counting dropped lines", func(m msg) bool {
		var p logAppendedParams
		return m.Method == methodLogAppended && json.Unmarshal(m.Params, &p) == nil && p.Dropped > 0
	})
}

func logstoreTail(id string) logstore.Query {
	return logstore.Query{ProcessID: id, Limit: 1, Tail: true}
}

// A kind that is always pending (snapshots during a burst) does not starve
// the others.
func TestOutboxServesKindsRoundRobin(t *testing.T) {
	peer := newGatedPeer()
	close(peer.open)
	o := newOutbox(peer, zap.NewNop(), outboxLimits{}, func(string) any { return map[string]int{} })
	defer o.close()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
				o.processesChanged()
			}
		}
	}()
	o.logBatch("p1", []logstore.Entry{{Text: "x"}}, 0)
	o.message("window/logMessage", messageParams{4, "hello"})
	peer.waitFor(t, "the log batch and the message during the burst", func(ms []outMsg) bool {
		var logs, msgs bool
		for _, m := range ms {
			logs = logs || m.method == methodLogAppended
			msgs = msgs || m.method == "window/logMessage"
		}
		return logs && msgs
	})
	close(stop)
	wg.Wait()
}

func TestDetachKeepsOnlyWhatIsShown(t *testing.T) {
	// A big batch's kept tail must not share the store's batch array or
	// its lines' read buffer: a stalled client's queue would hold them all.
	arena := strings.Repeat("x", 64<<10)
	batch := make([]logstore.Entry, 1000)
	for i := range batch {
		batch[i] = logstore.Entry{Seq: uint64(i + 1), ProcessID: "p1", Text: arena[i*10 : i*10+5+i%3]}
	}
	kept := detach(batch[1000-maxBatchEntries:])
	if len(kept) != maxBatchEntries {
		t.Fatalf("%d kept", len(kept))
	}
	if &kept[0] == &batch[1000-maxBatchEntries] {
		t.Fatal("kept entries share the batch's array")
	}
	lo, hi := uintptr(unsafe.Pointer(unsafe.StringData(arena))), uintptr(unsafe.Pointer(unsafe.StringData(arena)))+uintptr(len(arena))
	for i, e := range kept {
		src := batch[1000-maxBatchEntries+i]
		if e.Text != src.Text || e.Seq != src.Seq || e.ProcessID != src.ProcessID {
			t.Fatalf("entry %d = %+v, want %+v", i, e, src)
		}
		if p := uintptr(unsafe.Pointer(unsafe.StringData(e.Text))); p >= lo && p < hi {
			t.Fatalf("entry %d's text still points into the read buffer", i)
		}
	}
}
