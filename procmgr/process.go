package procmgr

import (
	"sync"
	"sync/atomic"
	"time"
)

// proc is one started (or failed) process. Its state is atomics so that
// Get and List never wait on a process that is starting or stopping.
type proc struct {
	id   string
	spec Spec

	status   atomic.Int32
	pid      atomic.Int64
	exitCode atomic.Int64
	hasExit  atomic.Bool
	started  atomic.Int64 // unix nanoseconds
	ended    atomic.Int64 // unix nanoseconds; 0 while active

	stopOnce sync.Once
	stopReq  chan struct{} // closed by the first Stop
	done     chan struct{} // closed when ended and the output is delivered
}

func newProc(id string, spec Spec) *proc {
	spec.Argv = append([]string(nil), spec.Argv...)
	spec.Env = append([]string(nil), spec.Env...)
	p := &proc{id: id, spec: spec, stopReq: make(chan struct{}), done: make(chan struct{})}
	p.started.Store(time.Now().UnixNano())
	return p
}

func (p *proc) requestStop() { p.stopOnce.Do(func() { close(p.stopReq) }) }

func (p *proc) stopRequested() bool {
	select {
	case <-p.stopReq:
		return true
	default:
		return false
	}
}

// finish records the end. The exit code and end time are stored before the
// status, so whoever loads a final status also sees them.
func (p *proc) finish(st Status, code int, hasCode bool) {
	if hasCode {
		p.exitCode.Store(int64(code))
		p.hasExit.Store(true)
	}
	p.ended.Store(time.Now().UnixNano())
	p.status.Store(int32(st))
}

func (p *proc) snapshot() Snapshot {
	st := Status(p.status.Load())
	s := Snapshot{
		ID:        p.id,
		Script:    p.spec.Script,
		Dir:       p.spec.Dir,
		Command:   p.spec.Command,
		Status:    st,
		PID:       int(p.pid.Load()),
		StartedAt: time.Unix(0, p.started.Load()),
	}
	if st.Active() {
		return s
	}
	if p.hasExit.Load() {
		c := int(p.exitCode.Load())
		s.ExitCode = &c
	}
	if e := p.ended.Load(); e != 0 {
		t := time.Unix(0, e)
		s.EndedAt = &t
	}
	return s
}
