package procmgr

import (
	"sync"
	"time"

	"go.uber.org/zap"
)

// drainTimeout bounds the wait for EOF once the process tree is gone: a
// descendant out of reach (it left the tree and the platform cannot find it)
// may hold the pipes open forever.
const drainTimeout = 2 * time.Second

// watch owns a running process until its end: it serves the stop request,
// makes sure the whole tree is gone, waits for the output, and records the
// final status. Only then is done closed.
func (m *Manager) watch(p *proc, c *child, readers *sync.WaitGroup, outR, errR outputReader) {
	defer m.wg.Done()
	exited := make(chan int, 1)
	go func() { exited <- c.wait() }()

	var code int
	stopped := false
	select {
	case code = <-exited:
	case <-p.stopReq:
		stopped = true
		p.status.Store(int32(Stopping))
		m.publish(p)
		c.terminate()
		t := time.NewTimer(m.cfg.StopGrace + c.killMargin())
		select {
		case code = <-exited:
		case <-t.C:
			c.kill()
			code = <-exited
		}
		t.Stop()
	}
	c.cleanup(m.cfg.StopGrace, stopped)

	drained := make(chan struct{})
	go func() { readers.Wait(); close(drained) }()
	t := time.NewTimer(drainTimeout)
	select {
	case <-drained:
	case <-t.C:
		m.log.Warn("output still open after the process tree ended; closing it", zap.String("id", p.id))
		outR.Close() // unblocks the readers' Read
		errR.Close()
		<-drained
	}
	t.Stop()
	outR.Close()
	errR.Close()

	st := Failed
	switch {
	case stopped:
		st = Stopped
	case code == 0:
		st = Success
	}
	p.finish(st, code, code >= 0)
	m.log.Debug("process ended", zap.String("id", p.id), zap.Stringer("status", st), zap.Int("exit", code))
	m.publish(p)
	close(p.done)
}
