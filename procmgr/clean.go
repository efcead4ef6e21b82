package procmgr

import (
	"bytes"
	"encoding/binary"
	"unicode/utf8"
)

// special marks the bytes that force the slow cleaning path: C0 controls
// other than tab, DEL, and every non-ASCII byte (UTF-8 must be validated).
// A table lookup keeps the common all-ASCII line to one load per byte.
var special = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = (c < 0x20 && c != '\t') || c >= 0x7f
	}
	return t
}()

// plain reports whether b can become a line's text as it is. It checks
// eight bytes at a time; only words holding a suspect byte (a control, DEL,
// non-ASCII) are looked at byte by byte.
func plain(b []byte) bool {
	const (
		lo7  = 0x7f7f7f7f7f7f7f7f
		hi   = 0x8080808080808080
		to20 = 0x6060606060606060 // low 7 bits + 0x60 reach 0x80 from 0x20 up
		to7f = 0x0101010101010101 // low 7 bits + 1 reach 0x80 only from 0x7f
	)
	for len(b) >= 8 {
		x := binary.LittleEndian.Uint64(b)
		low := x & lo7
		if (^(low+to20)|(low+to7f)|x)&hi != 0 {
			for _, c := range b[:8] {
				if special[c] {
					return false
				}
			}
		}
		b = b[8:]
	}
	for _, c := range b {
		if special[c] {
			return false
		}
	}
	return true
}

// foldCR keeps the last state of a line that a tool rewrote with lone
// carriage returns (progress bars): the text after the last '\r' that is
// followed by something. Trailing '\r's (a CRLF, a bar that ends with '\r')
// are dropped first.
func foldCR(b []byte) []byte {
	if bytes.IndexByte(b, '\r') < 0 {
		return b // the common case, found with one vectorized scan
	}
	for len(b) > 0 && b[len(b)-1] == '\r' {
		b = b[:len(b)-1]
	}
	if i := bytes.LastIndexByte(b, '\r'); i >= 0 {
		return b[i+1:]
	}
	return b
}

// appendClean appends b to dst without terminal escape sequences and
// control characters, with invalid UTF-8 replaced by U+FFFD. It reports
// whether b carried escape sequences. b holds no '\n' and no '\r' (the line
// splitter and foldCR removed them).
func appendClean(dst, b []byte) ([]byte, bool) {
	color := false
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c == 0x1b:
			color = true
			i = skipEscape(b, i+1)
		case c < 0x20 && c != '\t', c == 0x7f:
			i++ // BEL, backspace, NUL...: meaningless in a log view
		case c < utf8.RuneSelf:
			dst = append(dst, c)
			i++
		default:
			r, n := utf8.DecodeRune(b[i:])
			if r == utf8.RuneError && n <= 1 {
				dst = append(dst, "\uFFFD"...)
				i++
				continue
			}
			if r == 0x9b || (r >= 0x80 && r < 0xa0) {
				// C1 controls encoded as UTF-8: as meaningless as C0 ones.
				i += n
				continue
			}
			dst = append(dst, b[i:i+n]...)
			i += n
		}
	}
	return dst, color
}

// skipEscape returns the index just past the escape sequence whose ESC was
// at i-1. An unfinished sequence swallows the rest of the line, as a
// terminal would.
func skipEscape(b []byte, i int) int {
	if i >= len(b) {
		return i
	}
	switch c := b[i]; {
	case c == '[': // CSI: parameter and intermediate bytes, then a final byte
		for i++; i < len(b); i++ {
			if b[i] >= 0x40 && b[i] <= 0x7e {
				return i + 1
			}
		}
		return i
	case c == ']' || c == 'P' || c == '_' || c == '^' || c == 'X':
		// OSC, DCS, APC, PM, SOS: a string ended by BEL or ESC \.
		for i++; i < len(b); i++ {
			if b[i] == 0x07 {
				return i + 1
			}
			if b[i] == 0x1b && i+1 < len(b) && b[i+1] == '\\' {
				return i + 2
			}
		}
		return i
	case c >= 0x20 && c <= 0x2f:
		// nF escapes such as ESC ( B: intermediates, then a final byte.
		for i++; i < len(b); i++ {
			if b[i] >= 0x30 && b[i] <= 0x7e {
				return i + 1
			}
		}
		return i
	default: // two-byte escapes: ESC 7, ESC M, ESC =...
		return i + 1
	}
}

// runeStart returns the largest n <= len(b) that does not split a UTF-8
// sequence, so that a cut line does not end in a replacement character.
func runeStart(b []byte, n int) int {
	if n >= len(b) {
		return len(b)
	}
	for k := n; k > 0 && k > n-utf8.UTFMax; k-- {
		if utf8.RuneStart(b[k]) {
			return k
		}
	}
	return n
}
