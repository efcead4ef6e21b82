package logstore

import (
	"encoding/binary"
	"strings"
	"unsafe"

	"github.com/brummer-dev/brummer/logstore/detect"
)

// wordLevel gives a line the level its plain words claim when no parser
// recognised it: "error", "Error", "ERROR", "ERR!" are errors; "warning",
// "Warning", "WARNING", "warn", "WARN" are warnings. A word only counts
// between boundaries (start, space, brackets, parentheses before; end, space,
// ':', '!', brackets, parentheses, ',' after), so "errors", "error.ts",
// "no-warning-comments" or "ERR_MODULE" do not count: "Found 0 errors" must
// stay info. An error class such as "TypeError:" counts too. Every word
// contains "rr" or "arn" in some case: a SWAR scan for those lets most
// lines out after one pass, and only the rest get the exact search.
func wordLevel(s string) detect.Level {
	if !mayHaveLevelWord(s) {
		return detect.LevelInfo
	}
	return wordLevelExact(s)
}

// settleLevels gives entries the level of their words where detection
// gave them a lower one. The ring keeps detection's level only: words are
// read when a line is (a page, a batch the editor follows, a query),
// outside the store's lock, not for every line of a flood.
func settleLevels(entries []Entry) {
	for i := range entries {
		if e := &entries[i]; e.Level != detect.LevelError {
			e.Level = max(e.Level, wordLevel(e.Text))
		}
	}
}

// wordLevelExact is wordLevel without the prefilter.
func wordLevelExact(s string) detect.Level {
	if hasWordAt(s, "rr", 1, "error", "Error") || hasWordAt(s, "RR", 1, "ERROR", "ERR!") {
		return detect.LevelError
	}
	if hasWordAt(s, "arn", 1, "warning", "Warning", "warn", "Warn") || hasWordAt(s, "ARN", 1, "WARNING", "WARN") {
		return detect.LevelWarn
	}
	return detect.LevelInfo
}

// mayHaveLevelWord reports whether s may contain a level word, that is
// "rr" or "arn" in any ASCII case (every level word contains one of them,
// and most lines neither): one pass, eight bytes per step (SWAR). The
// answer may be a false positive (the exact search follows), never a false
// negative.
func mayHaveLevelWord(s string) bool {
	const (
		ones  = 0x0101010101010101
		highs = 0x8080808080808080
		lower = 0x2020202020202020
		rs    = 'r' * ones
		as    = 'a' * ones
		ns    = 'n' * ones
	)
	// Loads without bounds checks: the loop's condition keeps them in s.
	p := unsafe.Pointer(unsafe.StringData(s))
	load := func(i int) uint64 { return binary.LittleEndian.Uint64((*[8]byte)(unsafe.Add(p, i))[:]) }
	i := 0
	// The zero-byte test of each step is accumulated, without a branch.
	var lv uint64
	for ; i+10 <= len(s); i += 8 {
		w0 := load(i) | lower
		w1 := load(i+1) | lower
		w2 := load(i+2) | lower
		r1 := w1 ^ rs
		rr := (w0 ^ rs) | r1
		arn := (w0 ^ as) | r1 | (w2 ^ ns)
		lv |= (rr-ones)&^rr | (arn-ones)&^arn
	}
	if n := len(s); i+1 < n && n >= 9 {
		// The last step ends at the line's end, over bytes seen already
		// (the answer may only turn true): no loop of single bytes.
		j := n - 9
		w0 := load(j) | lower
		w1 := load(j+1) | lower
		w2 := w1 >> 8 // its top byte, past the end, is 0: no match
		r1 := w1 ^ rs
		rr := (w0 ^ rs) | r1
		arn := (w0 ^ as) | r1 | (w2 ^ ns)
		lv |= (rr-ones)&^rr | (arn-ones)&^arn
		i = n
	}
	level := lv&highs != 0
	for ; i+1 < len(s); i++ {
		a, c := s[i]|0x20, s[i+1]|0x20
		if c == 'r' && (a == 'r' || a == 'a' && i+2 < len(s) && s[i+2]|0x20 == 'n') {
			level = true
		}
	}
	return level
}

// hasWordAt finds every occurrence of probe (which sits back bytes into the
// words) and checks whether one of words starts there as a whole word.
func hasWordAt(s, probe string, back int, words ...string) bool {
	off := 0
	for {
		i := strings.Index(s[off:], probe)
		if i < 0 {
			return false
		}
		i += off
		off = i + 1
		start := i - back
		if start < 0 {
			continue
		}
		rest := s[start:]
		if start > 0 && !wordBoundaryBefore(s[start-1]) {
			if strings.HasPrefix(rest, "Error:") && isErrorClass(s, start) {
				return true
			}
			continue
		}
		for _, w := range words {
			if !strings.HasPrefix(rest, w) {
				continue
			}
			// "ERR!" carries its own boundary.
			if w[len(w)-1] == '!' || len(rest) == len(w) || wordBoundaryAfter(rest[len(w)]) {
				return true
			}
		}
	}
}

// isErrorClass reports whether the "Error:" at i ends a JavaScript or
// Python error class that opens a message, as in "TypeError: ..." or
// "Uncaught ReferenceError: ...": a capitalised word ending in "Error".
func isErrorClass(s string, i int) bool {
	j := i
	for j > 0 && isIdentByte(s[j-1]) {
		j--
	}
	return j < i && 'A' <= s[j] && s[j] <= 'Z' && (j == 0 || wordBoundaryBefore(s[j-1]))
}

func isIdentByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '$'
}

func wordBoundaryBefore(c byte) bool {
	switch c {
	case ' ', '\t', '[', '(', '<', '>', ':', '|', '*', '!':
		return true
	}
	return false
}

func wordBoundaryAfter(c byte) bool {
	switch c {
	case ' ', '\t', ':', '!', ']', ')', '>', ',', '|':
		return true
	}
	return false
}
