package proxy

import "sync"

// ring is the bounded request log: the oldest entry is overwritten.
type ring struct {
	mu   sync.Mutex
	buf  []Request
	next int // index the next entry goes to
	full bool
}

func newRing(n int) ring { return ring{buf: make([]Request, n)} }

func (r *ring) add(q Request) {
	r.mu.Lock()
	r.buf[r.next] = q
	r.next++
	if r.next == len(r.buf) {
		r.next, r.full = 0, true
	}
	r.mu.Unlock()
}

// newest returns up to limit entries, newest first; limit <= 0 means all.
func (r *ring) newest(limit int) []Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := r.next
	if r.full {
		n = len(r.buf)
	}
	if limit <= 0 || limit > n {
		limit = n
	}
	out := make([]Request, 0, limit)
	for i, j := 0, r.next-1; i < limit; i, j = i+1, j-1 {
		if j < 0 {
			j = len(r.buf) - 1
		}
		out = append(out, r.buf[j])
	}
	return out
}
