package procmgr

import (
	"bytes"
	"io"
	"sync"
	"time"
	"unsafe"
)

// TruncationMarker ends the text of a line cut at Config.MaxLineBytes.
const TruncationMarker = " …[line truncated]"

// readBufSize matches the default pipe capacity on Linux, so one read
// usually takes everything the child wrote since the previous one.
const readBufSize = 64 << 10

// Read coalescing (see run): a read under smallRead bytes within
// trickleGap of the previous one waits gatherTime before the next read.
// gatherTime is far below what a person notices and below the problem
// latency budget; the pipe holds 64 KiB meanwhile.
const (
	smallRead  = 4 << 10
	trickleGap = time.Millisecond
	gatherTime = 250 * time.Microsecond
)

var readBufs = sync.Pool{New: func() any { b := make([]byte, readBufSize); return &b }}

// scratchBufs hold partial lines and cleaned text; they grow to at most
// MaxLineBytes (plus escapes' worth of UTF-8 growth) and are reused.
var scratchBufs = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

// lineReader turns one stream's bytes into cleaned lines. It is used by a
// single goroutine; nothing in it is shared.
type lineReader struct {
	id     string
	stream Stream
	sink   Sink
	max    int

	pend    *[]byte // raw bytes of the unterminated line, CR-folded, len <= max
	scratch *[]byte // cleaned text before it becomes a string
	// discarding is set once a line was cut: the rest of it, up to the next
	// newline, is dropped.
	discarding bool
	// pendColor remembers escapes seen in parts of the pending line that
	// CR folding already dropped.
	pendColor bool
	// arena holds the text of the plain lines of one read: one allocation
	// and one copy per batch instead of one per line. It is sized up front
	// and never grows, so the strings made from it stay valid and
	// immutable; a line kept alone keeps at most one read's worth (64 KiB
	// plus a partial line) alive.
	arena []byte
	// batch is the slice handed to the sink, reused for every read: the
	// sink copies what it keeps (Sink's contract).
	batch []Line
}

func newLineReader(id string, stream Stream, sink Sink, maxLine int) *lineReader {
	return &lineReader{
		id: id, stream: stream, sink: sink, max: maxLine,
		pend:    scratchBufs.Get().(*[]byte),
		scratch: scratchBufs.Get().(*[]byte),
	}
}

// release returns the pooled buffers; the reader is unusable afterwards.
func (r *lineReader) release() {
	for _, p := range []**[]byte{&r.pend, &r.scratch} {
		if *p != nil {
			// A buffer grown for one huge line is not kept for everyone.
			if cap(**p) <= 1<<20 {
				**p = (**p)[:0]
				scratchBufs.Put(*p)
			}
			*p = nil
		}
	}
}

// outputReader is the read end of a child's output pipe. Close ends a
// Read in progress (the manager's way out when a descendant it cannot
// reach holds the pipe open) and may be called more than once.
type outputReader interface {
	io.ReadCloser
}

// run reads f until EOF (or until f is closed) and hands every batch to the
// sink. It never waits on anything but the read.
func (r *lineReader) run(f io.Reader) {
	bufp := readBufs.Get().(*[]byte)
	defer readBufs.Put(bufp)
	defer r.release()
	buf := *bufp
	var last time.Time
	for {
		n, err := f.Read(buf)
		now := time.Now()
		if n > 0 {
			if lines := r.feed(buf[:n], now); len(lines) > 0 {
				r.sink.Append(r.id, r.stream, lines)
				// Drop the strings so a read's arena can go once the
				// sink's own copies are gone.
				clear(lines)
				r.batch = lines[:0]
			}
		}
		if err != nil {
			// EOF, the manager closing a pipe an escaped grandchild kept
			// open, or EIO: the stream is over either way.
			break
		}
		// A program printing line by line at a high rate (one write per
		// line) would cost a wakeup, a read and a batch per line, which
		// is more than the program spends writing it: when a small read
		// follows the previous one closely, let the pipe gather a little
		// more first. A line printed alone is read at once.
		if n < smallRead && now.Sub(last) < trickleGap {
			time.Sleep(gatherTime)
		}
		last = now
	}
	if l, ok := r.flush(time.Now()); ok {
		r.sink.Append(r.id, r.stream, []Line{l})
	}
}

// feed splits chunk into lines, in the reader's reused batch (valid until
// the next call); nil when no line ended.
func (r *lineReader) feed(chunk []byte, now time.Time) []Line {
	var out []Line
	n := bytes.Count(chunk, []byte{'\n'})
	if n == 0 && len(*r.pend)+len(chunk) <= r.max {
		r.appendPartial(chunk, now, &out)
		return out
	}
	if cap(r.batch) < n+1 {
		r.batch = make([]Line, 0, n+1)
	}
	out = r.batch[:0]
	// The arena starts as a copy of the whole read (one copy, not one per
	// line): a plain line's text is a view of it. The room after it takes
	// lines joined with a partial one from the previous read.
	r.arena = make([]byte, len(chunk), len(chunk)+len(*r.pend))
	copy(r.arena, chunk)
	defer func() { r.arena = nil }()
	pos := 0 // offset of chunk in the read
	for len(chunk) > 0 {
		i := bytes.IndexByte(chunk, '\n')
		if i < 0 {
			r.appendPartial(chunk, now, &out)
			break
		}
		seg, off := chunk[:i], pos
		chunk = chunk[i+1:]
		pos += i + 1
		if r.discarding {
			r.discarding = false
			*r.pend = (*r.pend)[:0]
			r.pendColor = false
			continue
		}
		if len(*r.pend) == 0 && !r.pendColor {
			if len(seg) <= r.max {
				if len(seg) > 0 && plain(seg) { // no '\r', no escapes
					out = append(out, Line{Text: unsafe.String(&r.arena[off], len(seg)), Time: now})
				} else {
					out = append(out, r.line(seg, now, false))
				}
				continue
			}
		}
		r.appendPartial(seg, now, &out)
		if r.discarding {
			r.discarding = false
			*r.pend = (*r.pend)[:0]
			r.pendColor = false
			continue
		}
		out = append(out, r.line(*r.pend, now, false))
		*r.pend = (*r.pend)[:0]
		r.pendColor = false
	}
	return out
}

// appendPartial adds bytes of a line whose end has not been seen, in
// order, as a terminal would show them: a '\r' followed by anything but
// '\r' starts the line over, so a progress bar that never prints a newline
// stays small. Once the line passes max it is cut, delivered, and the rest
// of it discarded.
func (r *lineReader) appendPartial(b []byte, now time.Time, out *[]Line) {
	p := *r.pend
	for len(b) > 0 && !r.discarding {
		if n := len(p); n > 0 && p[n-1] == '\r' {
			if b[0] == '\r' {
				b = b[1:] // "\r\r" starts over just like "\r"
				continue
			}
			r.pendColor = r.pendColor || bytes.IndexByte(p, 0x1b) >= 0
			p = p[:0]
		}
		piece := b
		if k := bytes.IndexByte(b, '\r'); k >= 0 {
			piece = b[:k+1] // the '\r' stays: it may be half of a CRLF
		}
		b = b[len(piece):]
		text := len(piece)
		if piece[text-1] == '\r' {
			text--
		}
		if room := r.max - len(p); text > room {
			p = append(p, piece[:room]...)
			*out = append(*out, r.line(p[:runeStart(p, len(p))], now, true))
			p = p[:0]
			r.pendColor = false
			r.discarding = true
			break
		}
		p = append(p, piece...)
	}
	*r.pend = p
}

// flush returns the last, unterminated line at EOF, unless nothing is
// left of it (a stray '\r', say).
func (r *lineReader) flush(now time.Time) (Line, bool) {
	if r.discarding || len(foldCR(*r.pend)) == 0 {
		return Line{}, false
	}
	l := r.line(*r.pend, now, false)
	*r.pend = (*r.pend)[:0]
	return l, true
}

// line builds a Line from raw bytes: CR-folded, cleaned, marked if cut.
// The common case (printable ASCII or valid UTF-8 without controls) costs
// exactly the string allocation.
func (r *lineReader) line(raw []byte, now time.Time, truncated bool) Line {
	folded := foldCR(raw)
	if !truncated && !r.pendColor && plain(folded) &&
		(len(folded) == len(raw) || bytes.IndexByte(raw, 0x1b) < 0) {
		return Line{Text: r.text(folded), Time: now}
	}
	// Escapes in states the line was folded past still made it colored.
	color := r.pendColor || (len(folded) < len(raw) && bytes.IndexByte(raw, 0x1b) >= 0)
	s, c := appendClean((*r.scratch)[:0], folded)
	if truncated {
		s = append(s, TruncationMarker...)
	}
	*r.scratch = s
	return Line{Text: string(s), Time: now, Color: color || c, Truncated: truncated}
}

// text returns b as a string, carved from the batch arena when it has room.
func (r *lineReader) text(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	start := len(r.arena)
	if cap(r.arena)-start < len(b) {
		return string(b)
	}
	r.arena = append(r.arena, b...)
	return unsafe.String(&r.arena[start], len(b))
}
