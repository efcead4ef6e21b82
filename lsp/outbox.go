package lsp

import (
	"context"
	"encoding/json"
	"sync"
	"time"
	"unsafe"

	"github.com/brummer-dev/brummer/logstore"

	"go.lsp.dev/jsonrpc2"
	"go.uber.org/zap"
)

// peer is what the outbox needs of the connection.
type peer interface {
	Notify(ctx context.Context, method string, params any) error
	Call(ctx context.Context, method string, params, result any) (jsonrpc2.ID, error)
}

// Bounds of the outbox, from config [notifications].
type outboxLimits struct {
	// LogBatches bounds queued brummer/logAppended batches (oldest dropped).
	LogBatches int
	// Misc bounds queued window/logMessage and window/showMessage
	// notifications (oldest dropped).
	Misc int
}

// maxBatchEntries bounds one queued log batch, so the log queue holds at
// most LogBatches*maxBatchEntries lines (the newest of a bigger batch are
// kept; the rest count as dropped).
const maxBatchEntries = 256

// lensRefreshTimeout bounds how long a workspace/codeLens/refresh may wait
// for the client's answer before another may be sent.
const lensRefreshTimeout = 30 * time.Second

// logBatch holds copies of the store's entries (their strings are shared
// with the store); they are converted only when written, so batches that
// are dropped cost nothing more.
type logBatch struct {
	processID string
	entries   []logstore.Entry
}

type outMsg struct {
	method string
	params any
}

// OutboxStats are the outbox counters of brummer/stats.
type OutboxStats struct {
	Queued       int    `json:"queued"`       // messages waiting now
	Coalesced    uint64 `json:"coalesced"`    // updates merged into a queued one
	Dropped      uint64 `json:"dropped"`      // messages dropped (log batches, misc)
	DroppedLines uint64 `json:"droppedLines"` // log lines in dropped batches
	Sent         uint64 `json:"sent"`
}

// outbox is the one queue of server-to-client traffic, drained by one
// writer goroutine. Memory is bounded per kind: the process and URL
// snapshots are a flag each (the snapshot is taken when written, so the
// last one written shows the final state); diagnostics keep the latest set
// per uri (bounded by files times max_diagnostics_per_uri, never dropped);
// log batches and messages are bounded rings that drop the oldest and count
// it. Producers never wait.
type outbox struct {
	conn     peer
	log      *zap.Logger
	snapshot func(method string) any // builds the params of a snapshot notification
	wake     chan struct{}           // capacity 1: "not empty"
	done     chan struct{}
	ctx      context.Context
	cancel   context.CancelFunc
	wg       sync.WaitGroup
	stopOnce sync.Once

	mu            sync.Mutex
	limits        outboxLimits
	procsDirty    bool
	urlsDirty     bool
	lensDirty     bool
	lensSupported bool
	lensInFlight  bool
	diags         map[string][]wireDiagnostic
	diagOrder     []string
	logs          []logBatch
	logDropped    map[string]int
	logsOff       bool // shed under memory pressure
	misc          []outMsg
	turn          int // the kind of message served next (round-robin)
	coalesced     uint64
	dropped       uint64
	droppedLines  uint64
	sent          uint64
}

func newOutbox(conn peer, log *zap.Logger, limits outboxLimits, snapshot func(string) any) *outbox {
	ctx, cancel := context.WithCancel(context.Background())
	o := &outbox{
		conn: conn, log: log, snapshot: snapshot,
		wake: make(chan struct{}, 1), done: make(chan struct{}),
		ctx: ctx, cancel: cancel,
		limits:     limits.withDefaults(),
		diags:      map[string][]wireDiagnostic{},
		logDropped: map[string]int{},
	}
	o.wg.Add(1)
	go o.run()
	return o
}

func (l outboxLimits) withDefaults() outboxLimits {
	if l.LogBatches <= 0 {
		l.LogBatches = 256
	}
	if l.Misc <= 0 {
		l.Misc = 1024
	}
	return l
}

func (o *outbox) setLimits(l outboxLimits) {
	o.mu.Lock()
	o.limits = l.withDefaults()
	o.mu.Unlock()
}

func (o *outbox) signal() {
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

func (o *outbox) processesChanged() { o.flag(&o.procsDirty) }
func (o *outbox) urlsChanged()      { o.flag(&o.urlsDirty) }

func (o *outbox) lensChanged() {
	o.mu.Lock()
	supported := o.lensSupported
	o.mu.Unlock()
	if supported {
		o.flag(&o.lensDirty)
	}
}

func (o *outbox) setLensRefresh(supported bool) {
	o.mu.Lock()
	o.lensSupported = supported
	o.mu.Unlock()
}

func (o *outbox) flag(f *bool) {
	o.mu.Lock()
	if *f {
		o.coalesced++
	}
	*f = true
	o.mu.Unlock()
	o.signal()
}

// diagnostics queues the full set of a uri; a queued set is replaced.
func (o *outbox) diagnostics(uri string, list []wireDiagnostic) {
	if list == nil {
		list = []wireDiagnostic{}
	}
	o.mu.Lock()
	if _, queued := o.diags[uri]; queued {
		o.coalesced++
	} else {
		o.diagOrder = append(o.diagOrder, uri)
	}
	o.diags[uri] = list
	o.mu.Unlock()
	o.signal()
}

// logBatch queues lines for brummer/logAppended (missing: lines of the
// batch that are not among them, counted as dropped); at the bound the
// oldest batch goes and its lines are counted in the next batch's
// "dropped".
func (o *outbox) logBatch(processID string, entries []logstore.Entry, missing int) {
	o.mu.Lock()
	if missing > 0 {
		o.logDropped[processID] += missing
		o.droppedLines += uint64(missing)
	}
	if o.logsOff {
		o.logDropped[processID] += len(entries)
		o.droppedLines += uint64(len(entries))
		o.dropped++
		o.mu.Unlock()
		return
	}
	if len(entries) == 0 {
		o.mu.Unlock()
		return
	}
	if over := len(entries) - maxBatchEntries; over > 0 {
		o.logDropped[processID] += over
		o.droppedLines += uint64(over)
		entries = detach(entries[over:])
	}
	for len(o.logs) >= o.limits.LogBatches {
		old := o.logs[0]
		o.logs[0] = logBatch{}
		o.logs = o.logs[1:]
		o.logDropped[old.processID] += len(old.entries)
		o.droppedLines += uint64(len(old.entries))
		o.dropped++
	}
	o.logs = append(o.logs, logBatch{processID: processID, entries: entries})
	o.mu.Unlock()
	o.signal()
}

// shedLogs turns log notifications off (memory pressure) or back on; the
// queued ones go at once. Clients refill with brummer/logs.
func (o *outbox) shedLogs(off bool) {
	o.mu.Lock()
	o.logsOff = off
	if off {
		for _, b := range o.logs {
			o.logDropped[b.processID] += len(b.entries)
			o.droppedLines += uint64(len(b.entries))
			o.dropped++
		}
		o.logs = nil
	}
	o.mu.Unlock()
}

// message queues a window/* notification.
func (o *outbox) message(method string, params any) {
	o.mu.Lock()
	for len(o.misc) >= o.limits.Misc {
		o.misc[0] = outMsg{}
		o.misc = o.misc[1:]
		o.dropped++
	}
	o.misc = append(o.misc, outMsg{method, params})
	o.mu.Unlock()
	o.signal()
}

func (o *outbox) stats() OutboxStats {
	o.mu.Lock()
	defer o.mu.Unlock()
	q := len(o.diags) + len(o.logs) + len(o.misc)
	for _, f := range []bool{o.procsDirty, o.urlsDirty, o.lensDirty} {
		if f {
			q++
		}
	}
	return OutboxStats{Queued: q, Coalesced: o.coalesced, Dropped: o.dropped, DroppedLines: o.droppedLines, Sent: o.sent}
}

func (o *outbox) run() {
	defer o.wg.Done()
	for {
		select {
		case <-o.done:
			return
		default:
		}
		if o.sendOne() {
			continue
		}
		select {
		case <-o.wake:
		case <-o.done:
			return
		}
	}
}

// The kinds of queued messages, served round-robin so that a kind that is
// always pending (snapshots during a burst of events) cannot starve the
// others; within one turn the order is the order below.
const (
	kindProcesses = iota
	kindURLs
	kindDiagnostics
	kindMessages
	kindLens
	kindLogs
	numKinds
)

// pendingLocked reports whether kind k has something to write.
func (o *outbox) pendingLocked(k int) bool {
	switch k {
	case kindProcesses:
		return o.procsDirty
	case kindURLs:
		return o.urlsDirty
	case kindDiagnostics:
		return len(o.diagOrder) > 0
	case kindMessages:
		return len(o.misc) > 0
	case kindLens:
		return o.lensDirty && !o.lensInFlight
	case kindLogs:
		return len(o.logs) > 0
	}
	return false
}

// sendOne writes one queued message, the next kind's turn; false when
// nothing is queued.
func (o *outbox) sendOne() bool {
	o.mu.Lock()
	kind := -1
	for i := 0; i < numKinds; i++ {
		if k := (o.turn + i) % numKinds; o.pendingLocked(k) {
			kind = k
			break
		}
	}
	if kind < 0 {
		if cap(o.diagOrder) > 1024 {
			o.diagOrder = nil // let a burst's backing array go
		}
		o.mu.Unlock()
		return false
	}
	o.turn = kind + 1
	o.sent++
	var (
		method string
		params any
	)
	switch kind {
	case kindProcesses:
		o.procsDirty = false
		method = methodProcessesChanged
	case kindURLs:
		o.urlsDirty = false
		method = methodURLsChanged
	case kindDiagnostics:
		uri := o.diagOrder[0]
		o.diagOrder[0] = ""
		o.diagOrder = o.diagOrder[1:]
		list := o.diags[uri]
		delete(o.diags, uri)
		method = "textDocument/publishDiagnostics"
		params = publishDiagnosticsParams{URI: uri, Diagnostics: list}
	case kindMessages:
		m := o.misc[0]
		o.misc[0] = outMsg{}
		o.misc = o.misc[1:]
		method, params = m.method, m.params
	case kindLens:
		o.lensDirty = false
		o.lensInFlight = true
		o.mu.Unlock()
		o.refreshLenses()
		return true
	case kindLogs:
		b := o.logs[0]
		o.logs[0] = logBatch{}
		o.logs = o.logs[1:]
		dropped := o.logDropped[b.processID]
		delete(o.logDropped, b.processID)
		o.mu.Unlock()
		// Converted here, on the writer, so dropped batches cost nothing.
		o.write(methodLogAppended, logAppendedParams{ProcessID: b.processID, Entries: toWireEntries(b.entries), Dropped: dropped})
		return true
	}
	o.mu.Unlock()
	if params == nil {
		params = o.snapshot(method)
	}
	o.write(method, params)
	return true
}

func (o *outbox) write(method string, params any) {
	raw, err := json.Marshal(params)
	if err != nil {
		o.log.Error("encoding a notification", zap.String("method", method), zap.Error(err))
		return
	}
	if err := o.conn.Notify(o.ctx, method, jsonrpc2.RawMessage(raw)); err != nil {
		o.log.Debug("notification not written", zap.String("method", method), zap.Error(err))
	}
}

// refreshLenses asks the client to re-request lenses. It is a request, so it
// runs on its own goroutine: the writer must not wait for the client's
// answer, and at most one is in flight (later changes coalesce behind it).
func (o *outbox) refreshLenses() {
	o.wg.Add(1)
	go func() {
		defer o.wg.Done()
		ctx, cancel := context.WithTimeout(o.ctx, lensRefreshTimeout)
		_, err := o.conn.Call(ctx, "workspace/codeLens/refresh", nil, nil)
		cancel()
		if err != nil {
			o.log.Debug("workspace/codeLens/refresh", zap.Error(err))
		}
		o.mu.Lock()
		o.lensInFlight = false
		again := o.lensDirty
		o.mu.Unlock()
		if again {
			o.signal()
		}
	}()
}

// close stops the writer. A write blocked on a stalled client is released by
// closing the stream first (Server.Serve does).
func (o *outbox) close() {
	o.stopOnce.Do(func() {
		close(o.done)
		o.cancel()
	})
	o.wg.Wait()
}

const (
	methodProcessesChanged = "brummer/processesChanged"
	methodURLsChanged      = "brummer/urlsChanged"
	methodLogAppended      = "brummer/logAppended"
)

type publishDiagnosticsParams struct {
	URI         string           `json:"uri"`
	Diagnostics []wireDiagnostic `json:"diagnostics"`
}

type logAppendedParams struct {
	ProcessID string         `json:"processId"`
	Entries   []wireLogEntry `json:"entries"`
	Dropped   int            `json:"dropped"`
}

// detach copies the tail of a big batch that is kept: entries and text,
// the text into one buffer. A queued batch then holds what it shows, not
// the store's whole batch array and the read buffers its lines were cut
// from (a stalled client's full queue would hold hundreds of those).
func detach(entries []logstore.Entry) []logstore.Entry {
	n := 0
	for i := range entries {
		n += len(entries[i].Text)
	}
	buf := make([]byte, 0, n)
	for i := range entries {
		buf = append(buf, entries[i].Text...)
	}
	text := unsafe.String(unsafe.SliceData(buf), len(buf))
	out := make([]logstore.Entry, len(entries))
	off := 0
	for i, e := range entries {
		e.Text = text[off : off+len(e.Text)]
		off += len(e.Text)
		out[i] = e
	}
	return out
}
