package detect

import (
	"math/bits"
	"strings"
)

// gateMaxParsers is how many parsers the gate tracks; later ones are fed
// every line (user matchers come first, so the built-ins get there only
// with more than this many matchers).
const gateMaxParsers = 64

// Most lines of a dev server are no tool's output, yet every parser would
// look at each of them. The Detector classifies a line once (its first
// non-blank byte, its last byte, and on demand a few substrings) and skips
// the parsers that are idle and have said they cannot want such a line.
// A skipped Feed (or Flush of an idle parser) must be a no-op: same result,
// same state, nothing emitted (TestGateSkipsOnlyNoOps checks it on every
// golden and fuzz input).

// gateFeature is a property of a line beyond its first byte.
type gateFeature uint32

const (
	gateEndDot     gateFeature = 1 << iota // last byte '.'
	gateEndClose                           // last byte ')' or ']'
	gateTscCode                            // " TS" and a digit (tsc's codes)
	gateViteTag                            // "[vite] ", or ") [" and a capital (rolldown's codes after a log prefix)
	gateCommaCol                           // ": line " anywhere (eslint's compact rows: "a.js: line 3, col 9, Error - x")
	gateEndColon                           // last byte ':' or ','
	gateStrictLoc                          // "path:line[:col]:" as the first token (natSplitLoc strict)
	gateErrWord                            // an error's name: "Error" or "Exception" before ": ", " [" or the end
	gateDiag                               // ": error: " and the like, or "ld: " (gcc's format, the linker)
	gateDiagCaps                           // ": ERROR: " or ": WARNING: " (esbuild's API format)
	gateCount                              // a count (a digit 1-9) first and " error(s)" or " warning(s)" last
	gateParenLoc                           // "(line:col): " (rollup's "src/a.js (4:10): msg")
	gateLooseLoc                           // the first token (maybe after '[') is "path:line..." with a '.' or '/' in the path
	gateTabField                           // a tab after a first token with a path (brakeman's tabs report)
	gateDashCaps                           // " - ERROR: " or " - WARNING: " (puppet-lint)
	gateEndHeavy                           // last byte 0x81, of "━" (biome's header rule)
	gatePHP                                // php's "Warning: ", "Fatal error: ", ... first
	gateOneToken                           // one token (indented by 2 at most) with a '.' or '/' (a file named alone)
	gateTscWatch                           // tsc's watch lines: "Starting incremental compilation...", "... Watching for file changes."
	gateRollupWait                         // last "waiting for changes..." (rollup --watch)

	gateCheap = gateEndDot | gateEndClose | gateEndColon | gateCount | gateEndHeavy | gateTscWatch | gateRollupWait
)

// gateInterest is what lines a parser may take (or change its state on)
// while idle: a set of first non-blank bytes (after spaces and tabs), and
// features of which any one suffices.
type gateInterest struct {
	first [4]uint64
	// bracket is a set of bytes after a leading '[': dev servers and
	// process runners tag their lines ("[vite]", "[0]", "[api]"), and a
	// parser that wants "[nodemon]" or "[!]" need not see all of those.
	bracket [4]uint64
	// pairs narrow a first byte to the bytes that may follow it ("PASS"
	// and "POST" both start with 'P').
	pairs []gatePair
	any   gateFeature
}

// gatePair is an interest in lines whose first non-blank byte is first and
// whose next byte is one of next.
type gatePair struct {
	first byte
	next  [4]uint64
}

// then narrows the interest in lines starting with c (after blanks) to
// those where one of next follows it.
func (g gateInterest) then(c byte, next string) gateInterest {
	g.first[c>>6] &^= 1 << (c & 63)
	p := gatePair{first: c}
	for i := 0; i < len(next); i++ {
		n := next[i]
		p.next[n>>6] |= 1 << (n & 63)
	}
	g.pairs = append(g.pairs[:len(g.pairs):len(g.pairs)], p)
	return g
}

// gateFirst builds an interest in lines whose first non-blank byte is one
// of chars (ASCII letters match both cases when fold is set).
func gateFirst(chars string, fold bool) gateInterest {
	var g gateInterest
	for i := 0; i < len(chars); i++ {
		c := chars[i]
		g.first[c>>6] |= 1 << (c & 63)
		if fold && c|0x20 >= 'a' && c|0x20 <= 'z' {
			c ^= 0x20
			g.first[c>>6] |= 1 << (c & 63)
		}
	}
	return g
}

// afterBracket adds lines starting with '[' (after blanks) and then one
// of chars.
func (g gateInterest) afterBracket(chars string) gateInterest {
	for i := 0; i < len(chars); i++ {
		c := chars[i]
		g.bracket[c>>6] |= 1 << (c & 63)
	}
	return g
}

// gateNonASCII marks every byte >= 0x80 (✘ ▲ ✖ ● ⎯ ... start with one).
func (g gateInterest) nonASCII() gateInterest {
	g.first[2], g.first[3] = ^uint64(0), ^uint64(0)
	return g
}

func (g gateInterest) with(f gateFeature) gateInterest {
	g.any |= f
	return g
}

// gatedParser is implemented by built-in parsers that can be skipped.
type gatedParser interface {
	// gateInterest is constant for a parser.
	gateInterest() gateInterest
	// gateBusy is true while a block or any state is pending that makes
	// lines outside the interest matter, or that Flush would emit or reset.
	gateBusy() bool
}

// gateEnd gives the features of a line's last byte, whose gateEndFeat is
// f (first is the line's first non-blank byte).
func gateEnd(line string, first byte, f gateFeature) gateFeature {
	switch f {
	case gateEndDot:
		return f | gateDotEnd(line)
	case gateCount:
		if first >= '1' && first <= '9' && gateCountEnd(line) {
			return f
		}
		return 0
	default:
		return f
	}
}

// gateEndFeat is the feature of a line's last byte: '.' (tsc's and
// rollup's watch lines told apart by gateDotEnd), ')' or ']', ':' or
// ',', 0x81 (of "━", biome's rule), and the 's', 'r' and 'g' of a count's
// " errors" or " warning" when the line starts with a digit.
var gateEndFeat = [256]gateFeature{
	'.': gateEndDot, ')': gateEndClose, ']': gateEndClose, ':': gateEndColon, ',': gateEndColon,
	0x81: gateEndHeavy, 's': gateCount, 'r': gateCount, 'g': gateCount,
}

// gateDotEnd tells apart the watch lines of tsc and rollup among the
// lines ending with '.' ("[nodemon] restarting due to changes..." is
// neither's).
func gateDotEnd(line string) gateFeature {
	if strings.HasSuffix(line, "...") {
		switch {
		case strings.HasSuffix(line, "Starting compilation in watch mode..."),
			strings.HasSuffix(line, "Starting incremental compilation..."):
			return gateTscWatch
		case strings.HasSuffix(line, "waiting for changes..."):
			return gateRollupWait
		}
		return 0
	}
	if strings.HasSuffix(line, ". Watching for file changes.") {
		return gateTscWatch
	}
	return 0
}

func gateCountEnd(line string) bool {
	return strings.HasSuffix(line, " errors") || strings.HasSuffix(line, " error") ||
		strings.HasSuffix(line, " warnings") || strings.HasSuffix(line, " warning")
}

// gateScan finds those of the costly features in need that s has: the
// vectorized byte search finds its ':'s (gateColon reads those followed
// by a space) and its '['s, and the first token is read once.
//
// scheme is whether s has "://" (a URL's, for the store's URL search),
// from the look at every ':'; schemeUnknown when they were not all looked
// at.
func gateScan(s string, indent int, need gateFeature) (gateFeature, uint8) {
	var f gateFeature
	scheme := schemeUnknown
	if want := need & (gateColonSpace | gateErrWord); want != 0 {
		sch := false
		for i := 0; i < len(s); i++ {
			j := strings.IndexByte(s[i:], ':')
			if j < 0 {
				break
			}
			if i += j; i+1 == len(s) {
				break
			}
			switch s[i+1] {
			case ' ':
				f |= gateColon(s, i, want)
			case '/':
				sch = sch || i+2 < len(s) && s[i+2] == '/'
			}
			if sch && want&^f == 0 {
				break
			}
		}
		scheme = schemeNo
		if sch {
			scheme = schemeYes
		}
	}
	// At a '[': vite's own "[vite] " tag (after a time, often) and
	// rolldown's "[CODE]" after a log prefix that ends in ") "
	// (gateViteTag), and node's error name before its code ("Error
	// [ERR_X]: y": gateErrWord).
	if want := need & (gateViteTag | gateErrWord) &^ f; want != 0 {
		for i := 0; i < len(s); i++ {
			j := strings.IndexByte(s[i:], '[')
			if j < 0 {
				break
			}
			if i += j; i+1 == len(s) {
				break
			}
			if want&gateViteTag != 0 && (strings.HasPrefix(s[i+1:], "vite] ") || i >= 2 && s[i-2] == ')' && s[i-1] == ' ' && s[i+1] >= 'A' && s[i+1] <= 'Z') {
				f |= gateViteTag
			}
			if want&gateErrWord != 0 && i >= 1 && s[i-1] == ' ' && (strings.HasSuffix(s[:i-1], "Error") || strings.HasSuffix(s[:i-1], "Exception")) {
				f |= gateErrWord
			}
			if want&^f == 0 {
				break
			}
		}
	}
	if need&gateErrWord != 0 && f&gateErrWord == 0 && gateErrorEnd(s) {
		f |= gateErrWord
	}
	if need&(gateOneToken|gateLooseLoc|gateTabField|gateStrictLoc) != 0 {
		f |= firstToken(s, indent, need)
	}
	return f & need, scheme
}

// What gateScan knows of a line's "://".
const (
	schemeUnknown uint8 = iota
	schemeNo
	schemeYes
)

// gateColonSpace are the features found at a ':' followed by a space.
const gateColonSpace = gateDiag | gateDiagCaps | gateCommaCol | gateTscCode | gateParenLoc | gateDashCaps | gatePHP

// gateColon reads the ':' at s[i], followed by a space, for all its
// questions: is it followed by a compiler's severity, or the end of "ld"
// (gcc's format, the linker's lines: gateDiag), by esbuild's "ERROR: " or
// "WARNING: " (gateDiagCaps), by "line " (eslint's compact rows:
// gateCommaCol), is it preceded by " TS" and digits (tsc's code, in both
// its formats: "a.ts(1,2): error TS2322: x", "a.ts:1:2 - error TS2322: x"),
// by "(line:col)" (rollup's "src/a.js (4:10): msg": gateParenLoc), by
// " - ERROR" or " - WARNING" (puppet-lint: gateDashCaps), by an error's
// name (node's "TypeError: x": gateErrWord), or is it php's level
// (gatePHP).
func gateColon(s string, i int, want gateFeature) gateFeature {
	var f gateFeature
	before, rest := s[:i], s[i+2:]
	if want&gateTscCode != 0 && i > 0 && s[i-1] >= '0' && s[i-1] <= '9' && gateAfterTSCode(before) {
		f |= gateTscCode
	}
	if want&gateErrWord != 0 && (strings.HasSuffix(before, "Error") || strings.HasSuffix(before, "Exception")) {
		f |= gateErrWord
	}
	if want&gateParenLoc != 0 && i > 0 && s[i-1] == ')' && gateAfterParenLoc(s[:i-1]) {
		f |= gateParenLoc
	}
	if want&gateDiag != 0 && (gccSeverityWord(rest) || i >= 2 && s[i-2] == 'l' && s[i-1] == 'd') {
		f |= gateDiag
	}
	if want&gateDashCaps != 0 && (strings.HasSuffix(before, " - ERROR") || strings.HasSuffix(before, " - WARNING")) {
		f |= gateDashCaps
	}
	if want&gatePHP != 0 && i <= 32 {
		if _, _, ok := phpKind(strings.TrimPrefix(s, "PHP ")); ok {
			f |= gatePHP
		}
	}
	switch {
	case strings.HasPrefix(rest, "ERROR: ") || strings.HasPrefix(rest, "WARNING: "):
		f |= gateDiagCaps
	case strings.HasPrefix(rest, "line "):
		f |= gateCommaCol
	}
	return f & want
}

// gateErrorEnd reports whether s ends with an error's name, maybe with a
// ':' ("Error", "TypeError:"), as node prints a thrown error without a
// message.
func gateErrorEnd(s string) bool {
	n := len(s)
	if n > 0 && s[n-1] == ':' {
		n--
	}
	switch {
	case n >= 5 && s[n-1] == 'r':
		return s[n-5:n] == "Error"
	case n >= 9 && s[n-1] == 'n':
		return s[n-9:n] == "Exception"
	}
	return false
}

// firstToken looks at the line's first token (after the blanks, indent
// bytes) for what
// the linters want of it: gateOneToken, the token alone (indented by two
// spaces at most) with a '.' or '/', a file named before its problems;
// gateLooseLoc, the token (maybe after a '[') is "path:digit..." or
// "path[digit" with a '.' or '/' in the path (a file, not a time), or
// unindented and with a path, the line has a digit and "]: " (tslint's
// "my app/a.ts[3, 9]: x"), or svelte-check's "<ms> ERROR \"path\"...";
// gateTabField, an unindented
// token with a path and a tab after it or after its blank (brakeman);
// gateStrictLoc, the token is "path:line[:col]:".
func firstToken(s string, indent int, need gateFeature) gateFeature {
	// One pass over the token: most lines' first word is short and has
	// no '.' or '/' ("GET", "[api]", "12:01:33", "info").
	i := indent
	if i < len(s) && s[i] == '[' {
		i++
	}
	start := i
	// Each feature wants a '.' or a '/' in the token but svelte-check's
	// time, all digits: a first pass finds whether it has either, with
	// one branch a byte.
	var seen uint8
	tb := &tokenBits
	for _, c := range []byte(s[i:]) {
		k := tb[c]
		if k == tokenSpaceBit {
			break
		}
		seen |= k
	}
	var f gateFeature
	// gateStrictLoc: natSplitLoc's strict path is the first token, so a
	// token without a ':' has none.
	if need&gateStrictLoc != 0 && seen&tokenColonBit != 0 {
		if _, ok := natSplitLoc(s, natLocStrict); ok {
			f |= gateStrictLoc
		}
	}
	if seen&tokenPathBit == 0 && (seen != 0 || need&gateLooseLoc == 0) {
		return f
	}
	path, loc, tab, digits := false, false, false, true
	for ; i < len(s); i++ {
		// Most bytes of a token are letters, of no class: one look-up.
		k := tokenClass[s[i]]
		if k == tokenDigit {
			continue
		}
		if k == tokenSpace {
			break
		}
		digits = false
		switch k {
		case tokenPath:
			path = true
		case tokenLoc:
			// "path:12", tslint's "path[3, 9]".
			if path && i > start && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9' {
				loc = true
			}
		case tokenTab:
			// brakeman's tabs: a path, then its line.
			if path && indent == 0 {
				tab = true
			}
		}
	}
	if path && indent == 0 && !loc && need&gateLooseLoc != 0 {
		// tslint's verbose row without its severity, whose path may have
		// a space ("my app/a.ts[3, 9]: msg"): lintPathFirst takes the
		// first "]: " after a digit.
		if k := strings.Index(s, "]: "); k > 0 && s[k-1] >= '0' && s[k-1] <= '9' {
			loc = true
		}
	}
	if loc {
		f |= gateLooseLoc
	}
	if tab || path && indent == 0 && i < len(s) && need&gateTabField != 0 && strings.IndexByte(s[i:], '\t') >= 0 {
		// lintPathFirst takes the first tab anywhere after such a token
		// for brakeman's (its path may end in a space: "0. \t1\t...").
		f |= gateTabField
	}
	switch {
	case i == len(s):
		if indent <= 2 && i > indent && path && strings.IndexByte(s[indent:], '\t') < 0 {
			f |= gateOneToken
		}
	case digits && i-start >= 10 && start == indent:
		// svelte-check's machine output: a time in ms, the level.
		if r := s[i:]; strings.HasPrefix(r, " ERROR \"") || strings.HasPrefix(r, " WARNING \"") {
			f |= gateLooseLoc
		}
	}
	return f & need
}

// The classes of bytes firstToken tells apart.
const (
	tokenOther uint8 = iota
	tokenDigit
	tokenSpace
	tokenPath
	tokenLoc
	tokenTab
)

var tokenClass = [256]uint8{
	'0': tokenDigit, '1': tokenDigit, '2': tokenDigit, '3': tokenDigit, '4': tokenDigit,
	'5': tokenDigit, '6': tokenDigit, '7': tokenDigit, '8': tokenDigit, '9': tokenDigit,
	' ': tokenSpace, '.': tokenPath, '/': tokenPath, ':': tokenLoc, '[': tokenLoc, '\t': tokenTab,
}

// tokenBits sorts bytes for firstToken's first pass: a '.' or '/', a
// ':', a space, or not a digit.
var tokenBits = func() (t [256]uint8) {
	for c := range t {
		switch {
		case c == ' ':
			t[c] = tokenSpaceBit
		case c == '.' || c == '/':
			t[c] = tokenPathBit | tokenNonDigitBit
		case c == ':':
			t[c] = tokenColonBit | tokenNonDigitBit
		case c < '0' || c > '9':
			t[c] = tokenNonDigitBit
		}
	}
	return t
}()

const (
	tokenNonDigitBit uint8 = 1 << iota
	tokenPathBit
	tokenSpaceBit
	tokenColonBit
)

// gateAfterParenLoc reports whether s ends with "(" digits ":" digits.
func gateAfterParenLoc(s string) bool {
	i := len(s)
	for i > 0 && s[i-1] >= '0' && s[i-1] <= '9' {
		i--
	}
	if i == len(s) || i == 0 || s[i-1] != ':' {
		return false
	}
	j := i - 1
	for j > 0 && s[j-1] >= '0' && s[j-1] <= '9' {
		j--
	}
	return j < i-1 && j > 0 && s[j-1] == '('
}

// gateAfterTSCode reports whether s ends with " TS" and digits.
func gateAfterTSCode(s string) bool {
	i := len(s)
	for i > 0 && s[i-1] >= '0' && s[i-1] <= '9' {
		i--
	}
	return i < len(s) && i >= 3 && s[i-3] == ' ' && s[i-2] == 'T' && s[i-1] == 'S'
}

// gateTable is a Detector's inverted view of its parsers' interests: for
// a line, the parsers (as bits of their index) that must see it.
type gateTable struct {
	gated   []gatedParser // nil for an ungated parser
	byFirst [256]uint64   // parsers interested in a first non-blank byte
	byBrack [256]uint64   // parsers interested in a byte after a leading '['
	// byNext[c][n] are the parsers interested in lines starting with c
	// only when n follows (nil for most c).
	byNext [256]*[256]uint64
	byFeat [32]uint64 // parsers interested in a feature bit
	always uint64     // ungated parsers
	busy   uint64     // gated parsers busy after what they last saw
	costly uint64     // parsers with interests in costly features
	// needOf[k][b] is the union of the costly interests of the parsers
	// k*8+j for the bits j of b: what the unchosen parsers want looked
	// for, in a lookup per 8 parsers.
	needOf [gateMaxParsers / 8][256]gateFeature
	// need is the union of needOf for the parsers needFor (the last ones
	// left unchosen); needAll for all of them (costly).
	needFor uint64
	need    gateFeature
	needAll gateFeature
	// scheme is what the last want found of its line's "://".
	scheme uint8
	rest   []Parser // parsers past gateMaxParsers, fed every line
}

func (t *gateTable) init(parsers []Parser) {
	n := min(len(parsers), gateMaxParsers)
	t.rest = parsers[n:]
	t.gated = make([]gatedParser, n)
	for i, p := range parsers[:n] {
		bit := uint64(1) << i
		g, ok := p.(gatedParser)
		if !ok {
			t.always |= bit
			continue
		}
		t.gated[i] = g
		in := g.gateInterest()
		for c := 0; c < 256; c++ {
			if in.first[c>>6]&(1<<(c&63)) != 0 {
				t.byFirst[c] |= bit
			}
			if in.bracket[c>>6]&(1<<(c&63)) != 0 {
				t.byBrack[c] |= bit
			}
		}
		for _, pr := range in.pairs {
			if t.byNext[pr.first] == nil {
				t.byNext[pr.first] = new([256]uint64)
			}
			for c := 0; c < 256; c++ {
				if pr.next[c>>6]&(1<<(c&63)) != 0 {
					t.byNext[pr.first][c] |= bit
				}
			}
		}
		for f := 0; f < 32; f++ {
			if in.any&(1<<f) != 0 {
				t.byFeat[f] |= bit
			}
		}
		if costly := in.any &^ gateCheap; costly != 0 {
			t.costly |= bit
			t.needAll |= costly
			for b := 0; b < 256; b++ {
				if b&(1<<(i%8)) != 0 {
					t.needOf[i/8][b] |= costly
				}
			}
		}
		t.update(i)
	}
}

// update records whether parser i is busy after a Feed or Flush.
func (t *gateTable) update(i int) {
	if i >= len(t.gated) || t.gated[i] == nil {
		return
	}
	if t.gated[i].gateBusy() {
		t.busy |= 1 << i
	} else {
		t.busy &^= 1 << i
	}
}

// want returns the parsers that must see line, in index bits: those
// interested in its first non-blank byte (and the next), in the features
// of its last byte, and, for the parsers still left out that have costly
// interests, in what gateScan finds. It runs on every line: one pass over
// the leading blanks, the rest by table.
func (t *gateTable) want(line string) uint64 {
	m := t.always | t.busy
	t.scheme = schemeUnknown
	i := 0
	for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
		i++
	}
	if i == len(line) {
		// Blank: no parser has an interest in it (nor a feature in it).
		return m
	}
	first := line[i]
	m |= t.byFirst[first]
	if i+1 < len(line) {
		next := line[i+1]
		if first == '[' {
			m |= t.byBrack[next]
		}
		if nx := t.byNext[first]; nx != nil {
			m |= nx[next]
		}
	}
	// Most lines end in a byte without a feature, or in an 's' without
	// a count first: a look-up.
	if f := gateEndFeat[line[len(line)-1]]; f != 0 && (f != gateCount || first >= '1' && first <= '9') {
		if f = gateEnd(line, first, f); f != 0 {
			m |= t.feat(f)
		}
	}
	if c := t.costly &^ m; c != 0 && len(line) > 1 {
		// Look only for what the parsers not yet chosen could want. The
		// same parsers are left out line after line: the union is kept.
		need := t.needAll
		if c != t.costly {
			if c != t.needFor {
				t.needFor, t.need = c, 0
				for k := 0; c != 0; k, c = k+1, c>>8 {
					t.need |= t.needOf[k][c&0xff]
				}
			}
			need = t.need
		}
		f, scheme := gateScan(line, i, need)
		t.scheme = scheme
		if f != 0 {
			m |= t.feat(f)
		}
	}
	return m
}

func (t *gateTable) feat(f gateFeature) uint64 {
	var m uint64
	for ; f != 0; f &= f - 1 {
		m |= t.byFeat[bits.TrailingZeros32(uint32(f))]
	}
	return m
}
