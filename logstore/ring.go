package logstore

import (
	"sort"

	"github.com/brummer-dev/brummer/logstore/detect"
)

// entryOverhead approximates what one stored entry costs besides its text:
// the Entry, its slot in the ring and its sequence number in the
// per-process index.
// MaxBytes bounds the sum of len(Text)+entryOverhead over live entries.
const entryOverhead = 96

// slot is one place in the ring, holding its entry: storing a batch copies
// it in and allocates nothing (an array per batch, with its pointers, was
// the largest cost of storing a line, in allocation and in GC). The slot is
// the entry without what the ring knows already (its Seq from its place,
// its process as an index into ring.procs), 32 bytes with one pointer:
// storing a line touches half a cache line and the collector scans one
// word per line. A cleared entry leaves its slot empty (dead) until the
// ring overwrites it: removing from the middle of a ring would cost a copy
// of everything after it.
type slot struct {
	text   string
	time   int64
	proc   uint32 // index in ring.procs (meaningless when dead)
	stream Stream
	level  detect.Level
	dead   bool
}

func (s *slot) size() int64 { return int64(len(s.text)) + entryOverhead }

// ringProc is one process with live entries: its id, shared by all of
// them, and their sequence numbers in order.
type ringProc struct {
	id  string
	idx uint32
	in  bool // holds idx in ring.procs and its place in byProc
	q   seqQueue
}

// ring holds entries with consecutive sequence numbers: the oldest slot has
// seq first, the newest first+n-1, so a sequence number maps to its slot in
// O(1). The buffer grows by doubling up to max, so a store that sees little
// output never allocates max slots. Guarded by Store.mu.
type ring struct {
	buf   []slot
	start int    // index of the oldest slot
	n     int    // slots in use (live and dead)
	first uint64 // seq of the oldest slot; next seq when empty

	max      int
	maxBytes int64

	live    int   // entries not cleared
	bytes   int64 // size of live entries
	dropped uint64
	lastSeq uint64

	// byProc holds each process with live entries. Entries leave its queue
	// from the front (overwritten) or all at once (cleared); an emptied
	// process leaves byProc and gives its index in procs back to free.
	byProc map[string]*ringProc
	procs  []*ringProc
	free   []uint32
}

func newRing(maxEntries int, maxBytes int64) *ring {
	return &ring{max: maxEntries, maxBytes: maxBytes, first: 1, byProc: map[string]*ringProc{}}
}

func (r *ring) at(seq uint64) *slot {
	i := r.start + int(seq-r.first)
	if i >= len(r.buf) {
		i -= len(r.buf)
	}
	return &r.buf[i]
}

// entry rebuilds the Entry of the live slot s at seq, with detection's
// level (settleLevels adds its words').
func (r *ring) entry(seq uint64, s *slot) Entry {
	return Entry{Seq: seq, Time: s.time, ProcessID: r.procs[s.proc].id, Text: s.text, Stream: s.stream, Level: s.level}
}

// attach gives p an index and its place in byProc.
func (r *ring) attach(p *ringProc) {
	if p.in {
		return
	}
	if k := len(r.free); k > 0 {
		p.idx = r.free[k-1]
		r.free = r.free[:k-1]
		r.procs[p.idx] = p
	} else {
		p.idx = uint32(len(r.procs))
		r.procs = append(r.procs, p)
	}
	p.in = true
	r.byProc[p.id] = p
}

// detach removes p, which has no live entries left.
func (r *ring) detach(p *ringProc) {
	if !p.in {
		return
	}
	p.in = false
	delete(r.byProc, p.id)
	r.procs[p.idx] = nil
	r.free = append(r.free, p.idx)
}

// pushBatch copies a batch of one process's lines of one stream into the
// ring, with their levels (levels[i] of lines[i]) and their times (now for a
// line without one), evicts the oldest entries that no longer fit, and
// returns the Seq of the first and the last line (lines is not empty).
func (r *ring) pushBatch(id string, stream Stream, lines []Line, levels []detect.Level, now int64) (first, last uint64) {
	p := r.byProc[id]
	if p == nil {
		p = &ringProc{id: id}
	}
	first = r.first + uint64(r.n)
	for i := range lines {
		if r.n == r.max {
			// The slot freed is the one written next: its text need not
			// be cleared first (a pointer store, with a write barrier
			// while the collector marks).
			r.evict(false)
		}
		if r.n == len(r.buf) {
			r.grow()
		}
		if !p.in {
			// New, or emptied (and detached) by the evictions above.
			r.attach(p)
		}
		r.lastSeq = r.first + uint64(r.n)
		j := r.start + r.n
		if j >= len(r.buf) {
			j -= len(r.buf)
		}
		t := now
		if tm := &lines[i].Time; !tm.IsZero() {
			t = tm.UnixNano()
		}
		// Field by field: a slot written whole goes through the bulk
		// write barrier while the collector runs, several times the cost
		// of the one pointer's.
		s := &r.buf[j]
		s.text = lines[i].Text
		s.time, s.proc, s.stream, s.level, s.dead = t, p.idx, stream, levels[i], false
		r.n++
		r.live++
		r.bytes += s.size()
		p.q.push(r.lastSeq)
		// Keep at least the newest entry even when it alone exceeds maxBytes.
		for r.bytes > r.maxBytes && r.n > 1 {
			r.evictOldest()
		}
	}
	return first, r.lastSeq
}

func (r *ring) grow() {
	size := max(64, 2*len(r.buf))
	size = min(size, r.max)
	r.resize(size)
}

// resize moves the slots in use to a new buffer of size slots (>= n).
func (r *ring) resize(size int) {
	buf := make([]slot, size)
	k := copy(buf, r.buf[r.start:min(len(r.buf), r.start+r.n)])
	if k < r.n {
		copy(buf[k:], r.buf[:r.n-k])
	}
	r.buf = buf
	r.start = 0
}

func (r *ring) evictOldest() { r.evict(true) }

// evict drops the oldest slot; clearText releases its text (unless the
// slot is about to be overwritten).
func (r *ring) evict(clearText bool) {
	s := &r.buf[r.start]
	if !s.dead {
		r.dropped++
		r.live--
		r.bytes -= s.size()
		p := r.procs[s.proc]
		p.q.popFront()
		if p.q.len() == 0 {
			r.detach(p)
		}
	}
	if clearText {
		s.text = ""
	}
	s.dead = false
	r.start++
	if r.start == len(r.buf) {
		r.start = 0
	}
	r.n--
	r.first++
}

// setLimits applies new bounds; shrinking drops the oldest entries (counted)
// and releases the slots beyond the new maximum.
func (r *ring) setLimits(maxEntries int, maxBytes int64) {
	r.max, r.maxBytes = maxEntries, maxBytes
	for r.n > 0 && (r.n > r.max || r.bytes > r.maxBytes && r.n > 1) {
		r.evictOldest()
	}
	if len(r.buf) > r.max {
		r.resize(r.max)
	}
}

// clearProc drops the live entries of one process. Their slots stay (dead)
// until overwritten, so sequence numbers keep mapping to slots.
func (r *ring) clearProc(id string) {
	p := r.byProc[id]
	if p == nil {
		return
	}
	for _, seq := range p.q.seqs[p.q.head:] {
		s := r.at(seq)
		r.live--
		r.bytes -= s.size()
		*s = slot{dead: true}
	}
	p.q = seqQueue{}
	r.detach(p)
}

// clearAll drops every entry; sequence numbers continue where they were.
func (r *ring) clearAll() {
	clear(r.buf)
	r.start, r.n, r.live, r.bytes = 0, 0, 0, 0
	r.first = r.lastSeq + 1
	r.byProc = map[string]*ringProc{}
	r.procs, r.free = nil, nil
}

// copyAfter appends to dst the live entries with seq > after, oldest
// first, visiting at most budget slots (so a reader holds the lock for a
// bounded time). It returns the cursor to continue from and whether more
// entries may follow.
func (r *ring) copyAfter(dst []Entry, proc string, after uint64, budget int) ([]Entry, uint64, bool) {
	if proc != "" {
		p := r.byProc[proc]
		if p == nil {
			return dst, after, false
		}
		seqs := p.q.seqs[p.q.head:]
		i := sort.Search(len(seqs), func(i int) bool { return seqs[i] > after })
		end := min(len(seqs), i+budget)
		for _, seq := range seqs[i:end] {
			dst = append(dst, r.entry(seq, r.at(seq)))
		}
		if end > i {
			after = seqs[end-1]
		}
		return dst, after, end < len(seqs)
	}
	seq := max(after+1, r.first)
	last := r.first + uint64(r.n) // exclusive
	for ; seq < last && budget > 0; seq++ {
		budget--
		if s := r.at(seq); !s.dead {
			dst = append(dst, r.entry(seq, s))
		}
	}
	return dst, seq - 1, seq < last
}

// copyBefore is copyAfter backwards: live entries with after < seq < before,
// the newest ones, appended in ascending order. It returns the cursor
// (the smallest seq visited) and whether older entries may follow.
func (r *ring) copyBefore(dst []Entry, proc string, after, before uint64, budget int) ([]Entry, uint64, bool) {
	if proc != "" {
		p := r.byProc[proc]
		if p == nil {
			return dst, before, false
		}
		seqs := p.q.seqs[p.q.head:]
		lo := sort.Search(len(seqs), func(i int) bool { return seqs[i] > after })
		hi := sort.Search(len(seqs), func(i int) bool { return seqs[i] >= before })
		from := max(lo, hi-budget)
		for _, seq := range seqs[from:hi] {
			dst = append(dst, r.entry(seq, r.at(seq)))
		}
		if hi > from {
			before = seqs[from]
		}
		return dst, before, from > lo
	}
	last := r.first + uint64(r.n) // exclusive
	hi := min(before, last)
	lo := max(after+1, r.first)
	if hi <= lo {
		return dst, before, false
	}
	from := lo
	if hi-lo > uint64(budget) {
		from = hi - uint64(budget)
	}
	for seq := from; seq < hi; seq++ {
		if s := r.at(seq); !s.dead {
			dst = append(dst, r.entry(seq, s))
		}
	}
	return dst, from, from > lo
}

// seqQueue is a FIFO of sequence numbers that pops from the front without
// moving the rest every time.
type seqQueue struct {
	seqs []uint64
	head int
}

func (q *seqQueue) len() int        { return len(q.seqs) - q.head }
func (q *seqQueue) push(seq uint64) { q.seqs = append(q.seqs, seq) }

func (q *seqQueue) popFront() {
	q.head++
	// Compact once the popped prefix dominates, so memory follows the
	// live length and each element moves O(1) times on average.
	if q.head >= 64 && q.head*2 >= len(q.seqs) {
		n := copy(q.seqs, q.seqs[q.head:])
		q.seqs = q.seqs[:n]
		q.head = 0
	}
}

// copyRange appends to dst the live entries of process proc with
// from <= seq <= to, at most max of them (the newest).
func (r *ring) copyRange(dst []Entry, proc string, from, to uint64, max int) []Entry {
	last := r.first + uint64(r.n) // exclusive
	to = min(to, last-1)
	from = maxSeq(from, r.first)
	if max > 0 && to >= from && to-from+1 > uint64(max) {
		from = to - uint64(max) + 1
	}
	p := r.byProc[proc]
	if p == nil {
		return dst
	}
	for seq := from; seq <= to && seq < last; seq++ {
		if s := r.at(seq); !s.dead && s.proc == p.idx {
			dst = append(dst, r.entry(seq, s))
		}
	}
	return dst
}

func maxSeq(a, b uint64) uint64 {
	if a > b {
		return a
	}
	return b
}
