package detect

import (
	"encoding/json"
	"math/bits"
	"strings"
)

// Detector runs the parsers over one process's lines, in order. It
// de-duplicates problems within a cycle and reports the level of each line.
// It is not safe for concurrent use: its owner serializes calls.
type Detector struct {
	env     Env
	parsers []Parser
	seen    map[string]struct{}
	out     Output
	pend    Output // Pending's result, reused
	cache   map[string]bool

	gate gateTable
	wrap wrappers
}

// NewDetector builds a detector for env with the given parsers (usually
// BuiltinParsers() plus user matchers, which should come first).
func NewDetector(env Env, parsers []Parser) *Detector {
	d := &Detector{env: env, parsers: parsers, seen: map[string]struct{}{}}
	d.gate.init(parsers)
	if d.env.Exists == nil {
		// Stat each path once per detector: output repeats the same files.
		// What Resolve found is remembered as long: it may have statted.
		d.cache = map[string]bool{}
		d.env.resolved = map[string]resolvedPath{}
		d.env.Exists = func(abs string) bool {
			if ok, hit := d.cache[abs]; hit {
				return ok
			}
			if len(d.cache) >= resolvedMax {
				clear(d.cache)
				clear(d.env.resolved)
			}
			ok := (&Env{}).exists(abs)
			d.cache[abs] = ok
			return ok
		}
	}
	return d
}

// Env returns the detector's environment.
func (d *Detector) Env() *Env { return &d.env }

// Feed runs every parser on line. The returned Output is valid until the
// next call. When CycleStart is set, Problems holds the last problems of the
// cycle that just ended (flushed); the new cycle starts after this line.
func (d *Detector) Feed(line string) *Output {
	d.reset()
	if len(line) < 20 || line[0] != '{' {
		d.feed(line)
	} else if text, ok := goTestJSONOutput(line); ok {
		// go test -json: each event carries a line (rarely several, or
		// part of one) of what go test prints; the parsers read that.
		for text != "" {
			var l string
			l, text, _ = strings.Cut(text, "\n")
			d.feed(l)
		}
		d.gate.scheme = schemeUnknown // of the event's text, not of line
	} else {
		d.feed(line)
	}
	switch d.gate.scheme {
	case schemeYes:
		d.out.Scheme = true
	case schemeUnknown:
		d.out.Scheme = hasScheme(line)
	}
	if d.out.CycleStart || d.out.CycleEnd {
		d.flushAll()
	}
	if len(d.out.Problems) > 0 {
		d.dedup()
	}
	if d.out.CycleStart && len(d.seen) > 0 {
		// Clearing walks the whole table, however few it holds.
		clear(d.seen)
	}
	return &d.out
}

// feed runs the parsers over one line, without the prefix a monorepo
// runner put before it (wrappers.go).
func (d *Detector) feed(line string) {
	dir, n := d.wrap.sticky, len(line)
	if len(line) > 0 {
		// Only these lines may carry or announce a runner's prefix.
		if unwrapFirst[line[0]] || d.wrap.pnpm || d.wrap.turbo {
			line, dir = d.unwrap(line)
		}
	}
	var saved []string
	if dir != "" {
		// The package's directory comes first for this line's paths.
		saved = d.env.AltDirs
		d.wrap.dirs = append(append(d.wrap.dirs[:0], dir), saved...)
		d.env.AltDirs, d.env.lineDirs = d.wrap.dirs, true
	}
	claimed := false
	m := d.gate.want(line)
	if len(line) != n {
		// The gate saw the line without its runner's prefix.
		d.gate.scheme = schemeUnknown
	}
	for ; m != 0; m &= m - 1 {
		i := bits.TrailingZeros64(m)
		p := d.parsers[i]
		if p.Feed(line, claimed, &d.env, &d.out) {
			claimed = true
		}
		d.gate.update(i)
	}
	if len(d.gate.rest) > 0 {
		d.feedRest(line, claimed)
	}
	if dir != "" {
		// Only then: a pointer store on every line costs its write
		// barrier check.
		d.env.AltDirs, d.env.lineDirs = saved, false
	}
}

// unwrapFirst are the first bytes of the lines unwrap reads without a
// runner known: "[0] ", "> pkg@1.0.0 script", "Scope: ", turbo's "• ..."
// (0xe2, maybe indented).
var unwrapFirst = [256]bool{'[': true, '>': true, 'S': true, ' ': true, 0xe2: true}

// feedRest feeds the parsers past gateMaxParsers, which see every line.
func (d *Detector) feedRest(line string, claimed bool) {
	for _, p := range d.gate.rest {
		if p.Feed(line, claimed, &d.env, &d.out) {
			claimed = true
		}
	}
}

// goTestJSONOutput returns the text of a go test -json (test2json) event
// that carries output: {"Action":"output",...,"Output":"..."} and, for
// build errors, {"Action":"build-output",...}. The text loses its final
// newline.
func goTestJSONOutput(line string) (string, bool) {
	if len(line) < 20 || line[0] != '{' || line[1] != '"' || line[len(line)-1] != '}' ||
		!strings.Contains(line, `"Action":"output"`) && !strings.Contains(line, `"Action":"build-output"`) {
		return "", false
	}
	var ev struct{ Output string }
	if json.Unmarshal([]byte(line), &ev) != nil || ev.Output == "" {
		return "", false
	}
	return strings.TrimSuffix(ev.Output, "\n"), true
}

// Flush ends every block in progress (quiet time, process exit).
func (d *Detector) Flush() *Output {
	d.reset()
	d.flushAll()
	d.dedup()
	return &d.out
}

// Pending returns the problems of the blocks in progress, as they stand
// (see Pender): not yet part of the cycle, replaced by the next call, and
// turned into problems of Feed or Flush once their blocks end. Problems
// already given in this cycle are left out. The result is valid until the
// next call.
func (d *Detector) Pending() []Problem {
	d.pend.Problems = d.pend.Problems[:0]
	// Only a busy gated parser (or an ungated one) holds a block.
	for m := d.gate.always | d.gate.busy; m != 0; m &= m - 1 {
		if pp, ok := d.parsers[bits.TrailingZeros64(m)].(Pender); ok {
			pp.Pending(&d.env, &d.pend)
		}
	}
	for _, p := range d.gate.rest {
		if pp, ok := p.(Pender); ok {
			pp.Pending(&d.env, &d.pend)
		}
	}
	if len(d.pend.Problems) == 0 {
		return nil
	}
	kept := d.pend.Problems[:0]
	for _, p := range d.pend.Problems {
		// Detached first: the parser keeps amending its Related, which
		// toChars would otherwise convert in place, twice.
		p = detached(p)
		d.toChars(&p)
		if _, dup := d.seen[p.Key()]; !dup {
			kept = append(kept, p)
		}
	}
	clear(d.pend.Problems[len(kept):])
	d.pend.Problems = kept
	return kept
}

func (d *Detector) flushAll() {
	// An idle gated parser holds nothing to flush.
	for m := d.gate.always | d.gate.busy; m != 0; m &= m - 1 {
		i := bits.TrailingZeros64(m)
		d.parsers[i].Flush(&d.env, &d.out)
		d.gate.update(i)
	}
	for _, p := range d.gate.rest {
		p.Flush(&d.env, &d.out)
	}
}

func (d *Detector) reset() {
	d.out.Problems = d.out.Problems[:0]
	d.out.Level = LevelInfo
	d.out.CycleStart = false
	d.out.CycleEnd = false
	d.out.Scheme = false
}

// hasScheme reports whether s has a "://": a vectorized search for each
// ':' (a search for the three bytes costs more on the short lines of a
// log).
func hasScheme(s string) bool {
	for i := 0; ; i++ {
		j := strings.IndexByte(s[i:], ':')
		if j < 0 {
			return false
		}
		i += j
		if i+2 < len(s) && s[i+1] == '/' && s[i+2] == '/' {
			return true
		}
	}
}

func (d *Detector) dedup() {
	if len(d.out.Problems) == 0 {
		return
	}
	kept := d.out.Problems[:0]
	for _, p := range d.out.Problems {
		d.toChars(&p)
		k := p.Key()
		if _, dup := d.seen[k]; dup {
			continue
		}
		d.seen[k] = struct{}{}
		kept = append(kept, detached(p))
		if lv := severityLevel(p.Severity); lv > d.out.Level {
			d.out.Level = lv
		}
	}
	// The backing array is reused: clear what was dropped so no stale
	// pointers stay reachable.
	clear(d.out.Problems[len(kept):])
	d.out.Problems = kept
}

// toChars converts a problem's columns to characters: the same problem may
// come from tools that count differently, and keys compare them.
func (d *Detector) toChars(p *Problem) {
	if u := unitOf(p.Source); u != unitChars {
		d.env.toChars(&p.Location, u)
		for i := range p.Related {
			d.env.toChars(&p.Related[i].Location, u)
		}
	}
}

// detached copies the strings of a problem that parsers may have cut out of
// output lines: a line's text can share its memory with the whole read
// batch it came in (procmgr), and a problem outlives its line.
func detached(p Problem) Problem {
	p.File = strings.Clone(p.File)
	p.Message = strings.Clone(p.Message)
	p.Code = strings.Clone(p.Code)
	if len(p.Related) > 0 {
		rel := make([]Related, len(p.Related))
		for i, r := range p.Related {
			r.File = strings.Clone(r.File)
			r.Message = strings.Clone(r.Message)
			rel[i] = r
		}
		p.Related = rel
	}
	return p
}

func severityLevel(s Severity) Level {
	switch s {
	case Error:
		return LevelError
	case Warning:
		return LevelWarn
	}
	return LevelInfo
}
