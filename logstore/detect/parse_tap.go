package detect

import "strings"

// TAP, as `node --test` prints it when its output is no terminal (its
// default reporter then, or --test-reporter=tap). A failing test point
// carries a YAML block; subtests are indented by 4 spaces per level:
//
//	not ok 1 - sum adds
//	  ---
//	  duration_ms: 1.2
//	  location: '/abs/test/sum.test.js:5:1'
//	  failureType: 'testCodeFailure'
//	  error: |-
//	    Expected values to be strictly equal:
//
//	    4 !== 3
//	  code: 'ERR_ASSERTION'
//	  name: 'AssertionError'
//	  stack: |-
//	    TestContext.<anonymous> (/abs/test/sum.test.js:6:10)
//	    Test.runInAsyncScope (node:async_hooks:206:9)
//	  ...
//
// The problem is the innermost stack frame inside the workspace (as for
// node's own stack traces), else the test's location; the message is
// "name: error" (node leaves out the name "Error"), over a few lines as
// node prints it elsewhere (jsJoinMessage); the source is "node:test"
// ("tap" for blocks without node's keys). Failures that only say their
// subtests failed, or that the parent cancelled them, are left out: the
// subtests carry the problems; so are "# TODO" and "# SKIP" test points.
// The parser runs before eslint and the generic fallback so that the
// block's lines (bare "/abs/x.js:1:2" frames) are its own.
//
// What a test file writes that is no TAP (its crash when it fails to
// load, what its tests log) comes as "# " comments after "TAP version 13";
// they are read as node's own output, held until the next test point: an
// "ok" drops them (a passing test that logs an Error with its stack has no
// problem), a "not ok" keeps them, and the file's "not ok" with its
// exitCode adds nothing then.
//
// node --test's spec reporter (its default on a terminal) is read here
// too, for the same source "node:test":
//
//	▶ math
//	  ✖ adds (2.1ms)
//	    AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:
//	    ...
//	        at TestContext.<anonymous> (/abs/test/sum.test.js:6:10)
//	  ✔ passes (0.1ms)
//	✖ failing tests:
//	<blank>
//	test at test/basic.test.js:22:3
//	✖ times out (101.6ms)
//	  'test timed out after 100ms'
//
// A "✖" entry's indented lines are its error, read as node's; an error
// without a frame in the workspace (a timeout: a quoted string) is placed
// at the "test at" location the summary prints before it. What comes
// between the entries is the test files' own output, held as TAP comments
// are until the next "✔" (dropped) or "✖" (kept). Node's wrappers
// ("N subtests failed", "test did not finish before its parent and was
// cancelled") and "# TODO"/"# SKIP" entries are left out, as is a file's
// "'test failed'" when its crash was read.

func init() {
	register(120, func() Parser {
		return &tapParser{inner: nodeParser{nested: true}, entryErr: nodeParser{nested: true}}
	})
}

type tapState uint8

const (
	tapIdle tapState = iota
	tapHead          // after "not ok", before "---"
	tapYAML          // in the YAML block
)

// tapKey is the key whose indented value lines follow.
type tapKey uint8

const (
	tapKeyOther tapKey = iota
	tapKeyError
	tapKeyStack
)

type tapParser struct {
	seenTAP bool // "TAP version" seen: comments are the tests' output
	inner   nodeParser
	// diag: the comments since the last test point gave a problem;
	// diagBefore is that flag at the "not ok" being read.
	diag, diagBefore bool

	state  tapState
	indent int // of "not ok", then of the YAML keys
	key    tapKey

	// pending: problems of the comments (or spec's output between
	// entries) not yet confirmed by a failing test point; scratch collects
	// what inner and entry emit.
	pending []Problem
	scratch Output

	// The spec reporter.
	spec    bool // between its entries: the test files' output
	specSum bool // in its "✖ failing tests:" summary
	entry   bool // reading a "✖" entry's block
	// entryInd is the entry's indentation; entryName its test's name,
	// entryOpen while that goes on over lines (a name with a newline);
	// entrySkip for "# TODO" and "# SKIP"; entryMsg a quoted message.
	entryInd             int
	entryName, entryMsg  string
	entryOpen, entrySkip bool
	entryAt              Location // from "test at path:line:col"
	testAt               Location // "test at" just read
	entryErr             nodeParser
	nodeTrailer          bool                // "Node.js v20.1.0" just read: a process crashed
	crashed              map[string]struct{} // files whose crash was read

	loc         Location
	hasError    bool     // "error:" seen
	message     string   // the error's first line
	more        []string // its further lines
	name, code  string
	failureType string
	node        bool // node:test's keys seen
	exited      bool // "exitCode:": a test file's process failed
	frames      []Related
}

func (p *tapParser) Name() string { return "tap" }

func (p *tapParser) Feed(line string, claimed bool, env *Env, out *Output) bool {
	if claimed {
		p.endInner(env)
		p.finish(env, out)
		p.endEntry(env, out)
		p.nodeTrailer = false
		return false
	}
	if p.entry && p.entryLine(line, env, out) {
		return true
	}
	if p.state == tapYAML && p.yaml(line, env, out) {
		return true
	}
	if p.state == tapHead {
		p.state = tapIdle
		if n := tapIndent(line); n == p.indent+2 && strings.TrimRight(line[n:], " ") == "---" {
			p.state, p.indent, p.key = tapYAML, n, tapKeyOther
			return true
		}
	}
	t := strings.TrimLeft(line, " ")
	if t != "" && t[0] == '#' && p.seenTAP {
		// A test file's own output: read it as node's.
		return p.feedInner(strings.TrimPrefix(t[1:], " "), env, out)
	}
	if t != "" && t[0] >= 0x80 {
		if took, ok := p.specEntry(line, t, env, out); ok {
			return took
		}
	}
	if p.spec || p.specSum {
		if rest, ok := strings.CutPrefix(line, "test at "); ok {
			p.endInner(env)
			p.testAt = Location{}
			if path, ln, col, ok := jsSplitLoc(rest); ok {
				if abs, ok := env.ResolveExisting(path); ok {
					p.testAt = Location{File: abs, Line: ln, Column: col}
				}
			}
			return true
		}
		if p.specSum && t != "" {
			p.specSum = false // the summary is over
		}
		if p.spec {
			trailer := strings.HasPrefix(line, "Node.js v")
			took := p.feedInner(line, env, out)
			if t != "" {
				p.nodeTrailer = trailer
			}
			return took
		}
	}
	p.endInner(env)
	if t == "" {
		return false
	}
	if p.nodeTrailer || t[0] == 'N' {
		p.nodeTrailer = strings.HasPrefix(line, "Node.js v")
	}
	switch t[0] {
	case 'n', 'o':
		rest, notOK := strings.CutPrefix(t, "not ok")
		if !notOK {
			if rest, ok := strings.CutPrefix(t, "ok"); ok && tapPoint(rest) {
				p.resolve(false, out) // a passing test logged it
				return true
			}
			return false
		}
		if !tapPoint(rest) {
			return false
		}
		if tapDirective(rest) {
			p.resolve(false, out)
			return true
		}
		p.resolve(true, out)
		p.start(len(line) - len(t))
		return true
	case 'T':
		if strings.HasPrefix(t, "TAP version ") {
			p.seenTAP = true
			return true
		}
	}
	return false
}

// tapPoint reports whether what follows "ok" or "not ok" makes a test
// point: nothing, or a number or description after a space.
func tapPoint(rest string) bool {
	if rest == "" {
		return true
	}
	if rest[0] != ' ' || len(rest) < 2 {
		return false
	}
	c := rest[1]
	return c >= '0' && c <= '9' || c == '-'
}

// feedInner reads a line of a test file's own output as node's; what it
// finds waits in pending.
func (p *tapParser) feedInner(line string, env *Env, out *Output) bool {
	took := p.inner.Feed(line, false, env, &p.scratch)
	p.hold(out)
	return took
}

// endInner ends what the comments were saying.
func (p *tapParser) endInner(env *Env) {
	if !p.inner.inError && p.inner.hdrState == 0 {
		return
	}
	p.inner.Flush(env, &p.scratch)
	p.hold(nil)
}

// hold moves what inner found to pending (and the level it gave the line
// to out).
func (p *tapParser) hold(out *Output) {
	if out != nil {
		jsRaise(out, p.scratch.Level)
	}
	p.scratch.Level = LevelInfo
	for _, pr := range p.scratch.Problems {
		if len(p.pending) < 64 {
			p.pending = append(p.pending, detached(pr))
		}
	}
	clear(p.scratch.Problems)
	p.scratch.Problems = p.scratch.Problems[:0]
}

// resolve ends, at a test point, what the output since the last one said:
// kept as problems when the test failed, else dropped. It sets diag.
func (p *tapParser) resolve(keep bool, out *Output) {
	p.diag = keep && len(p.pending) > 0
	if !keep {
		clear(p.pending)
		p.pending = p.pending[:0]
	}
	p.emitPending(out)
}

// emitPending keeps what the output said as problems.
func (p *tapParser) emitPending(out *Output) {
	if len(p.pending) == 0 {
		return
	}
	out.Problems = append(out.Problems, p.pending...)
	clear(p.pending)
	p.pending = p.pending[:0]
}

// tapDirective reports a "# TODO" or "# SKIP" test point: no failure.
func tapDirective(desc string) bool {
	i := strings.LastIndex(desc, " # ")
	if i < 0 {
		return false
	}
	d := strings.TrimLeft(desc[i+3:], " ")
	return len(d) >= 4 && (strings.EqualFold(d[:4], "TODO") || strings.EqualFold(d[:4], "SKIP"))
}

func (p *tapParser) start(indent int) {
	clear(p.more)
	p.diagBefore = p.diag
	p.state, p.indent, p.key = tapHead, indent, tapKeyOther
	p.loc, p.hasError, p.message, p.more = Location{}, false, "", p.more[:0]
	p.name, p.code, p.failureType = "", "", ""
	p.node, p.exited, p.frames = false, false, p.frames[:0]
}

// yaml reads a line of the YAML block; false when the block ended before
// it (the line is then read as any other).
func (p *tapParser) yaml(line string, env *Env, out *Output) bool {
	n := tapIndent(line)
	if n == len(line) || n > p.indent {
		// A value's line (block scalars keep their blank lines).
		v := line[min(n, p.indent+2):]
		switch p.key {
		case tapKeyError:
			if p.message == "" {
				p.message = strings.TrimSpace(v)
			} else if len(p.more) <= jsMaxMessageLines && strings.TrimSpace(v) != "" {
				p.more = append(p.more, v)
			}
		case tapKeyStack:
			p.frame(strings.TrimSpace(v), env)
		}
		return true
	}
	if n < p.indent {
		p.finish(env, out)
		return false
	}
	t := line[n:]
	if strings.TrimRight(t, " ") == "..." {
		p.finish(env, out)
		return true
	}
	key, v, ok := strings.Cut(t, ":")
	if !ok {
		p.key = tapKeyOther
		return true
	}
	v = strings.TrimSpace(v)
	block := v != "" && (v[0] == '|' || v[0] == '>')
	p.key = tapKeyOther
	switch key {
	case "error":
		p.key, p.hasError = tapKeyError, true
		if !block {
			p.message = tapUnquote(v)
		}
	case "stack":
		p.key = tapKeyStack
		if !block {
			p.frame(tapUnquote(v), env)
		}
	case "name":
		p.name = tapUnquote(v)
	case "code":
		p.code = tapUnquote(v)
	case "location":
		p.node = true
		if path, ln, col, ok := jsSplitLoc(tapUnquote(v)); ok {
			if abs, ok := env.ResolveExisting(path); ok {
				p.loc = Location{File: abs, Line: ln, Column: col}
			}
		}
	case "failureType":
		p.node = true
		p.failureType = tapUnquote(v)
	case "exitCode":
		p.exited = true
	}
	return true
}

// frame reads a line of a stack: V8's frame, without "at " from node.
func (p *tapParser) frame(t string, env *Env) {
	if t == "" || len(p.frames) >= 64 {
		return
	}
	t = strings.TrimPrefix(t, "at ")
	fn, loc := "", t
	if strings.HasSuffix(t, ")") {
		if i := strings.LastIndex(t, " ("); i >= 0 {
			fn, loc = t[:i], t[i+2:len(t)-1]
		}
	}
	if f, ok := jsFrameAt(fn, loc, env); ok {
		p.frames = append(p.frames, f)
	}
}

// finish ends the test point being read, with its problem.
func (p *tapParser) finish(env *Env, out *Output) {
	if p.state == tapIdle {
		return
	}
	yaml := p.state == tapYAML
	p.state = tapIdle
	more := p.more
	defer func() {
		clear(more) // they hold the lines' memory
		p.more = more[:0]
	}()
	switch {
	case !yaml, !p.hasError,
		p.failureType == "subtestsFailed", p.failureType == "cancelledByParent",
		p.exited && p.diagBefore:
		return
	}
	source := "tap"
	if p.node {
		source = "node:test"
	}
	prob := Problem{Severity: Error, Source: source}
	switch {
	case len(p.frames) > 0:
		prob.Location = p.frames[0].Location
		if len(p.frames) > 1 {
			prob.Related = append([]Related(nil), p.frames[1:]...)
		}
	case p.loc.File != "":
		prob.Location = p.loc
	default:
		return
	}
	name := p.name
	if name == "" && p.node && len(p.frames) > 0 {
		name = "Error" // node leaves out this name only
	}
	prob.Message = tapClip(p.message)
	switch {
	case name != "" && prob.Message != "":
		prob.Message = name + ": " + prob.Message
	case name != "":
		prob.Message = name
	case prob.Message == "":
		prob.Message = "test failed"
	}
	if len(more) > 0 {
		prob.Message = jsJoinMessage(prob.Message, more, 0)
	}
	if p.code != "ERR_TEST_FAILURE" { // node:test's wrapper, not the error's
		prob.Code = p.code
	}
	out.Problems = append(out.Problems, prob)
}

func (p *tapParser) Flush(env *Env, out *Output) {
	p.endInner(env)
	p.endEntry(env, out)
	// No test point came after the output (the run was cut short): keep
	// what it said.
	p.emitPending(out)
	p.finish(env, out)
	p.nodeTrailer = false
	p.testAt = Location{}
}

// specEntry reads a line of the spec reporter that starts with a mark:
// ok is false when it is none of its lines.
func (p *tapParser) specEntry(line, t string, env *Env, out *Output) (took, ok bool) {
	mark, name, found := strings.Cut(t, " ")
	if !found {
		return false, false
	}
	switch mark {
	case "ℹ": // the counts: the listing is over
		if !p.spec {
			return false, false
		}
		p.endInner(env)
		p.emitPending(out)
		p.spec = false
		return false, true
	case "▶", "﹣":
		if !p.spec {
			if mark != "▶" {
				return false, false
			}
			p.spec = true
		}
		p.endInner(env)
		return true, true
	case "✔", "✖":
	default:
		return false, false
	}
	timed := specDuration(name) >= 0
	if !p.spec && !p.specSum && !timed {
		return false, false
	}
	if mark == "✖" && name == "failing tests:" {
		p.endInner(env)
		p.emitPending(out)
		p.spec, p.specSum = false, true
		return true, true
	}
	if !p.specSum {
		p.spec = true
	}
	p.endInner(env)
	if mark == "✔" {
		p.resolve(false, out) // a passing test logged it
		p.nodeTrailer = false
		return true, true
	}
	crashed := len(p.pending) > 0 || p.nodeTrailer
	p.resolve(true, out)
	p.nodeTrailer = false
	p.entry, p.entryInd, p.entryMsg = true, len(line)-len(t), ""
	p.entryAt, p.testAt = p.testAt, Location{}
	p.entryOpen = !timed
	p.entrySkip = tapDirective(name)
	if i := specDuration(name); i >= 0 {
		name = name[:i]
	}
	p.entryName = name
	if crashed && name != "" {
		if p.crashed == nil || len(p.crashed) >= 64 {
			p.crashed = map[string]struct{}{}
		}
		p.crashed[name] = struct{}{}
	}
	return true, true
}

// specDuration finds " (1.23ms)" in a spec entry's name, at its end or
// before " # TODO": its offset, or -1.
func specDuration(name string) int {
	end := len(name)
	if i := strings.LastIndex(name, " # "); i >= 0 {
		end = i
	}
	s := name[:end]
	if !strings.HasSuffix(s, "ms)") {
		return -1
	}
	i := strings.LastIndex(s, " (")
	if i < 0 {
		return -1
	}
	for _, c := range s[i+2 : len(s)-3] {
		if (c < '0' || c > '9') && c != '.' {
			return -1
		}
	}
	return i
}

// entryLine reads a line of a "✖" entry: false when the entry ended
// before it.
func (p *tapParser) entryLine(line string, env *Env, out *Output) bool {
	t := strings.TrimLeft(line, " ")
	indent := len(line) - len(t)
	open := p.entryOpen
	p.entryOpen = false
	if t != "" && indent <= p.entryInd {
		if open && t[0] < 0x80 && specDuration(t) >= 0 {
			// The rest of a name with a newline: "line message (0.8ms)".
			return true
		}
		p.endEntry(env, out)
		return false
	}
	if p.entryMsg == "" && len(t) >= 2 && (t[0] == '\'' || t[0] == '"') && t[len(t)-1] == t[0] && p.entryErr.message == "" && !p.entryErr.inError {
		p.entryMsg = tapUnquote(t)
	}
	p.entryErr.Feed(line, false, env, &p.scratch)
	p.entryEmit(out)
	return true
}

// entryEmit passes on what the entry's error gave, as node:test's.
func (p *tapParser) entryEmit(out *Output) {
	for _, pr := range p.scratch.Problems {
		if !p.entrySkip {
			pr.Source = "node:test"
			out.Problems = append(out.Problems, pr)
		}
	}
	clear(p.scratch.Problems)
	p.scratch.Problems = p.scratch.Problems[:0]
	p.scratch.Level = LevelInfo
}

// endEntry ends the "✖" entry being read, with its problem.
func (p *tapParser) endEntry(env *Env, out *Output) {
	if !p.entry {
		return
	}
	p.entry, p.entryOpen = false, false
	errMsg := ""
	if p.entryErr.inError {
		errMsg = p.entryErr.message
	}
	n := len(out.Problems)
	p.entryErr.Flush(env, &p.scratch)
	p.entryEmit(out)
	p.entryErr.message = ""
	msg := p.entryMsg
	if msg == "" {
		msg = errMsg
	}
	_, crashed := p.crashed[p.entryName]
	switch {
	case len(out.Problems) > n, p.entrySkip, p.entryAt.File == "", msg == "",
		msg == "test did not finish before its parent and was cancelled",
		strings.HasSuffix(msg, " failed") && (strings.HasSuffix(msg, " subtest failed") || strings.HasSuffix(msg, " subtests failed")),
		msg == "test failed" && crashed:
		return
	}
	out.Problems = append(out.Problems, Problem{Location: p.entryAt, Severity: Error, Message: tapClip(msg), Source: "node:test"})
}

// tapClip bounds a one-line message (a value can be any size).
func tapClip(s string) string {
	if len(s) <= jsMaxMessage {
		return s
	}
	i := jsMaxMessage
	for i > 0 && s[i]&0xC0 == 0x80 {
		i--
	}
	return s[:i] + "…"
}

func tapIndent(line string) int {
	n := 0
	for n < len(line) && line[n] == ' ' {
		n++
	}
	return n
}

// tapUnquote reads a scalar: node writes strings as JavaScript literals
// ('x', "it's", `both'"`), other producers YAML ('it”s').
func tapUnquote(v string) string {
	if len(v) < 2 {
		return v
	}
	q := v[0]
	if q != '\'' && q != '"' && q != '`' || v[len(v)-1] != q {
		return v
	}
	s := v[1 : len(v)-1]
	if strings.IndexByte(s, '\\') < 0 {
		if q == '\'' {
			return strings.ReplaceAll(s, "''", "'")
		}
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 == len(s) {
			b.WriteByte(c)
			continue
		}
		i++
		switch s[i] {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case '\\', '\'', '"', '`':
			b.WriteByte(s[i])
		default:
			b.WriteByte('\\')
			b.WriteByte(s[i])
		}
	}
	return b.String()
}
