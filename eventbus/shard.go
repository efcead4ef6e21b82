package eventbus

import "sync"

// item is one queued event with the policy its topic had when it was
// published, so that DropOldest can tell which queued events it may evict.
type item struct {
	ev     Event
	policy Policy
}

// ring is a fixed-capacity FIFO; it never grows, so a full queue costs
// the memory it was configured with and nothing more.
type ring struct {
	buf  []item
	head int // index of the oldest item
	n    int
}

func (r *ring) full() bool { return r.n == len(r.buf) }

func (r *ring) push(it item) {
	i := r.head + r.n
	if i >= len(r.buf) {
		i -= len(r.buf)
	}
	r.buf[i] = it
	r.n++
}

// popInto moves up to len(dst) of the oldest items into dst and returns how
// many it moved. Popped slots are zeroed so the ring holds no payload the
// handlers are done with.
func (r *ring) popInto(dst []item) int {
	k := min(len(dst), r.n)
	for j := range k {
		dst[j] = r.buf[r.head]
		r.buf[r.head] = item{}
		r.head++
		if r.head == len(r.buf) {
			r.head = 0
		}
	}
	r.n -= k
	return k
}

// evictDroppable removes the oldest item whose topic does not use Block and
// reports whether it found one. A Block topic was promised that its events
// are never dropped, so a DropOldest neighbour must not evict them.
func (r *ring) evictDroppable() bool {
	for j := range r.n {
		i := (r.head + j) % len(r.buf)
		if r.buf[i].policy == Block {
			continue
		}
		// Close the gap by moving the j older items one slot forward:
		// the queue keeps its order.
		for ; j > 0; j-- {
			prev := (r.head + j - 1) % len(r.buf)
			r.buf[i] = r.buf[prev]
			i = prev
		}
		r.buf[r.head] = item{}
		r.head++
		if r.head == len(r.buf) {
			r.head = 0
		}
		r.n--
		return true
	}
	return false
}

// clear drops every item and returns how many there were.
func (r *ring) clear() int {
	n := r.n
	clear(r.buf)
	r.head, r.n = 0, 0
	return n
}

// shard holds the three priority queues of one worker. Every key hashes to
// one shard, and one worker drains it, which is what keeps a key's events in
// order.
type shard struct {
	// signal has capacity 1: a publisher puts a token when it queues into
	// a shard whose worker said it was going to sleep.
	signal chan struct{}

	mu    sync.Mutex
	rings [numPriorities]ring
	// idle is set by the worker when it found every ring empty and is
	// about to wait on signal.
	idle bool
	// room, when not nil, is closed by the worker the next time it takes
	// events out: Block publishers wait on it. It is made only when a
	// publisher has to wait, so the hot path allocates nothing.
	room chan struct{}
	// closed is set by the worker when it exits; pushes fail from then on,
	// so no event can be queued where nobody will take it.
	closed    bool
	published uint64
	dropped   [numPolicies]uint64 // indexed by the publishing topic's policy
	discarded uint64              // queued events thrown away by Close
}

func newShard(sizes [numPriorities]int) *shard {
	s := &shard{signal: make(chan struct{}, 1)}
	for p, n := range sizes {
		s.rings[p].buf = make([]item, n)
	}
	return s
}

// wakeLocked tells a sleeping worker there is work, and reports whether the
// caller must send the token after unlocking.
func (s *shard) wakeLocked() bool {
	if !s.idle {
		return false
	}
	s.idle = false
	return true
}

func (s *shard) sendSignal() {
	select {
	case s.signal <- struct{}{}:
	default:
	}
}

// push queues e according to policy. It returns nil when e was queued or
// dropped by policy, and ErrClosed when the bus closed before e got in.
func (s *shard) push(e Event, policy Policy, closing <-chan struct{}) error {
	s.mu.Lock()
	for {
		if s.closed {
			s.mu.Unlock()
			return ErrClosed
		}
		r := &s.rings[e.Priority]
		if !r.full() {
			r.push(item{ev: e, policy: policy})
			s.published++
			wake := s.wakeLocked()
			s.mu.Unlock()
			if wake {
				s.sendSignal()
			}
			return nil
		}
		switch policy {
		case DropNewest:
			s.published++
			s.dropped[DropNewest]++
			s.mu.Unlock()
			return nil
		case DropOldest:
			s.published++
			s.dropped[DropOldest]++
			// If only Block events are queued, the new event is the
			// oldest droppable one.
			if r.evictDroppable() {
				r.push(item{ev: e, policy: policy})
			}
			s.mu.Unlock()
			return nil
		}
		if s.room == nil {
			s.room = make(chan struct{})
		}
		room := s.room
		s.mu.Unlock()
		select {
		case <-room:
		case <-closing:
			return ErrClosed
		}
		// Close may have begun while room appeared; the rule is that a
		// waiting publisher gets ErrClosed, whichever it saw first.
		select {
		case <-closing:
			return ErrClosed
		default:
		}
		s.mu.Lock()
	}
}

// takeLocked moves up to len(dst) events of the highest non-empty priority
// into dst and wakes waiting Block publishers.
func (s *shard) takeLocked(dst []item) int {
	for p := range s.rings {
		if s.rings[p].n == 0 {
			continue
		}
		k := s.rings[p].popInto(dst)
		if s.room != nil {
			close(s.room)
			s.room = nil
		}
		return k
	}
	return 0
}

// closeLocked marks the shard closed and discards what is still queued.
func (s *shard) closeLocked() {
	s.closed = true
	for p := range s.rings {
		s.discarded += uint64(s.rings[p].clear())
	}
	if s.room != nil {
		close(s.room)
		s.room = nil
	}
}

func (s *shard) depthsLocked() (d [numPriorities]int) {
	for p := range s.rings {
		d[p] = s.rings[p].n
	}
	return d
}
