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
// load) comes as "# " comments after "TAP version 13"; they are read as
// node's own output, and the file's "not ok" with its exitCode adds
// nothing then.

func init() { register(120, func() Parser { return &tapParser{inner: nodeParser{nested: true}} }) }

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
		p.endInner(env, out)
		p.finish(env, out)
		return false
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
		n := len(out.Problems)
		took := p.inner.Feed(strings.TrimPrefix(t[1:], " "), false, env, out)
		if len(out.Problems) > n {
			p.diag = true
		}
		return took
	}
	p.endInner(env, out)
	if t == "" {
		return false
	}
	switch t[0] {
	case 'n', 'o':
		rest, notOK := strings.CutPrefix(t, "not ok")
		if !notOK {
			if rest, ok := strings.CutPrefix(t, "ok"); ok && tapPoint(rest) {
				p.diag = false // a test point ends what the comments said
				return true
			}
			return false
		}
		if !tapPoint(rest) {
			return false
		}
		if tapDirective(rest) {
			p.diag = false
			return true
		}
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

// endInner ends what the comments were saying.
func (p *tapParser) endInner(env *Env, out *Output) {
	if !p.inner.inError && p.inner.hdrState == 0 {
		return
	}
	n := len(out.Problems)
	p.inner.Flush(env, out)
	if len(out.Problems) > n {
		p.diag = true
	}
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
	*p = tapParser{
		seenTAP: p.seenTAP, inner: p.inner, diagBefore: p.diag,
		state: tapHead, indent: indent,
		more: p.more[:0], frames: p.frames[:0],
	}
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
	p.endInner(env, out)
	p.finish(env, out)
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
