package detect

import (
	"errors"
	"fmt"
	"io"
	"iter"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"

	"github.com/reviewdog/errorformat"
	"github.com/reviewdog/errorformat/fmts"
)

// User matchers, from [[problem_matchers]] in the configuration: a VS Code
// style regular expression with group numbers, or a Vim errorformat (the
// reviewdog/errorformat implementation, including multi-line %E/%C/%Z
// formats and its named formats). They should run before the built-in
// parsers: a user pattern is more specific than ours.

// RegexpSpec is a VS Code problem-matcher style pattern. Group numbers are
// 1-based submatch indexes; 0 means the pattern has no such group.
type RegexpSpec struct {
	Name            string // for messages and Parser.Name; "" means "regexp"
	Regexp          string
	File            int
	Line            int
	Column          int
	EndLine         int
	EndColumn       int
	Severity        int // group holding error/warning/info/hint (any case)
	Code            int
	Message         int
	Source          string // Problem.Source; "" means the matcher's name
	DefaultSeverity string // error, warning, info or hint; "" means error
}

// Errors of matcher definitions.
var (
	ErrMatcherPattern = errors.New("detect: bad problem matcher pattern")
	ErrMatcherUnknown = errors.New("detect: unknown errorformat name")
)

// matcherMaxLine bounds the line length user patterns see: the errorformat
// scanner stops for good on a line longer than 64 KiB.
const matcherMaxLine = 16 << 10

// NewRegexpMatcher checks m and returns a factory of parsers for it.
func NewRegexpMatcher(m RegexpSpec) (func() Parser, error) {
	name := m.Name
	if name == "" {
		name = "regexp"
	}
	re, err := regexp.Compile(m.Regexp)
	if err != nil {
		return nil, fmt.Errorf("%w: matcher %q: regexp %q does not compile (Go RE2 syntax): %w", ErrMatcherPattern, name, m.Regexp, err)
	}
	groups := map[string]int{"file": m.File, "line": m.Line, "column": m.Column, "endLine": m.EndLine,
		"endColumn": m.EndColumn, "severity": m.Severity, "code": m.Code, "message": m.Message}
	for g, n := range groups {
		if n < 0 || n > re.NumSubexp() {
			return nil, fmt.Errorf("%w: matcher %q: group %s = %d, but regexp %q has %d groups: use 1..%d or 0 for none",
				ErrMatcherPattern, name, g, n, m.Regexp, re.NumSubexp(), re.NumSubexp())
		}
	}
	if m.File == 0 || m.Message == 0 {
		return nil, fmt.Errorf("%w: matcher %q: the file and message groups are required (regexp %q)", ErrMatcherPattern, name, m.Regexp)
	}
	def, ok := matcherSeverity(m.DefaultSeverity)
	if !ok && m.DefaultSeverity != "" {
		return nil, fmt.Errorf("%w: matcher %q: default severity %q: use error, warning, info or hint", ErrMatcherPattern, name, m.DefaultSeverity)
	}
	source := m.Source
	if source == "" {
		source = name
	}
	// A literal the pattern requires lets lines without it be skipped
	// before the regexp runs.
	prefix, _ := re.LiteralPrefix()
	anchored := false
	if rest, ok := strings.CutPrefix(m.Regexp, "^"); ok && prefix == "" && !strings.Contains(rest, "|") {
		// Go reports no literal prefix for an anchored pattern: take the
		// one after the anchor, which then starts every matching line.
		if r, err := regexp.Compile(rest); err == nil {
			prefix, _ = r.LiteralPrefix()
			anchored = true
		}
	}
	spec := m
	return func() Parser {
		return &matcherRegexp{name: name, re: re, spec: spec, def: def, source: source, prefix: prefix, anchored: anchored}
	}, nil
}

func matcherSeverity(s string) (Severity, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "error", "err", "e", "fatal", "fatal error", "failure":
		return Error, true
	case "warning", "warn", "w":
		return Warning, true
	case "info", "information", "i", "note", "n":
		return Info, true
	case "hint", "h":
		return Hint, true
	}
	return Error, false
}

type matcherRegexp struct {
	name     string
	re       *regexp.Regexp
	spec     RegexpSpec
	def      Severity
	source   string
	prefix   string
	anchored bool
}

func (m *matcherRegexp) Name() string { return m.name }

func (m *matcherRegexp) Flush(*Env, *Output) {}

func (m *matcherRegexp) Feed(line string, claimed bool, env *Env, out *Output) bool {
	if claimed {
		return false
	}
	switch {
	case m.prefix == "":
	case m.anchored && !strings.HasPrefix(line, m.prefix):
		return false
	case !m.anchored && !strings.Contains(line, m.prefix):
		return false
	}
	if len(line) > matcherMaxLine {
		line = line[:matcherMaxLine]
	}
	sub := m.re.FindStringSubmatch(line)
	if sub == nil {
		return false
	}
	group := func(n int) string {
		if n <= 0 || n >= len(sub) {
			return ""
		}
		return sub[n]
	}
	num := func(n int) int {
		v, err := strconv.Atoi(strings.TrimSpace(group(n)))
		if err != nil || v < 0 {
			return 0
		}
		return v
	}
	abs, ok := env.Resolve(group(m.spec.File))
	msg := strings.TrimSpace(group(m.spec.Message))
	if !ok || msg == "" {
		// The line is the user's even when its file lies outside the
		// workspace: no other parser should report it either.
		return true
	}
	sev := m.def
	if s, ok := matcherSeverity(group(m.spec.Severity)); ok {
		sev = s
	}
	p := Problem{
		Location: Location{File: abs, Line: num(m.spec.Line), Column: num(m.spec.Column),
			EndLine: num(m.spec.EndLine), EndColumn: num(m.spec.EndColumn)},
		Severity: sev, Message: msg, Source: m.source, Code: group(m.spec.Code),
	}
	if p.EndColumn > 0 && p.EndLine == 0 {
		p.EndLine = p.Line
	}
	out.Problems = append(out.Problems, p)
	return true
}

// NewErrorformatMatcher compiles a Vim errorformat (one pattern per element)
// and returns a factory of parsers for it. source is Problem.Source.
func NewErrorformatMatcher(source string, efm []string) (func() Parser, error) {
	if len(efm) == 0 {
		return nil, fmt.Errorf("%w: errorformat matcher %q has no pattern: give at least one, like %q", ErrMatcherPattern, source, "%f:%l:%c: %m")
	}
	starts := make([]*errorformat.Efm, 0, len(efm))
	for _, f := range efm {
		e, err := errorformat.NewEfm(f)
		if err != nil {
			return nil, fmt.Errorf("%w: errorformat matcher %q: pattern %q: %w", ErrMatcherPattern, source, f, err)
		}
		// Lines matching a pattern that begins an entry are the user's;
		// ignored (%-) and continuation (%C, %Z) ones are judged in context.
		if matcherEfmStarts(f) {
			starts = append(starts, e)
		}
	}
	ef, err := errorformat.NewErrorformat(efm)
	if err != nil {
		return nil, fmt.Errorf("%w: errorformat matcher %q: %w", ErrMatcherPattern, source, err)
	}
	if source == "" {
		source = "errorformat"
	}
	return func() Parser { return &matcherEfm{source: source, ef: ef, starts: starts} }, nil
}

func matcherEfmStarts(f string) bool {
	if strings.HasPrefix(f, "%-") {
		return false
	}
	f = strings.TrimPrefix(f, "%+")
	return !strings.HasPrefix(f, "%C") && !strings.HasPrefix(f, "%Z") && !strings.HasPrefix(f, "%G") &&
		!strings.HasPrefix(f, "%D") && !strings.HasPrefix(f, "%X") && !strings.HasPrefix(f, "%O")
}

// NamedMatcher returns the errorformat defined under name by
// reviewdog/errorformat/fmts (golint, pylint, shellcheck, ...).
func NamedMatcher(name string) (func() Parser, error) {
	defined := fmts.DefinedFmts()
	f, ok := defined[name]
	if !ok {
		names := make([]string, 0, len(defined))
		for n := range defined {
			names = append(names, n)
		}
		slices.Sort(names)
		return nil, fmt.Errorf("%w %q: use one of %s, or give the errorformat patterns", ErrMatcherUnknown, name, strings.Join(names, ", "))
	}
	return NewErrorformatMatcher(f.Name, f.Errorformat)
}

// matcherEfm runs the errorformat scanner, which pulls lines from a reader,
// as a coroutine that we push lines into: the reader hands over the line
// fed, then yields to Feed until the next one. Flush gives the scanner its
// end of input so it hands out a multi-line entry still open; the next Feed
// starts a new scanner. Until Flush, a suspended coroutine is held; one
// left behind by a parser that is dropped unflushed ends when the parser is
// collected.
type matcherEfm struct {
	source string
	ef     *errorformat.Errorformat
	starts []*errorformat.Efm

	in      *matcherInput
	next    func() (*errorformat.Entry, bool)
	stop    func()
	cleanup runtime.Cleanup
	cont    bool // the previous line began or continued an entry
}

// matcherInput is the scanner's reader. A nil entry from the coroutine
// means "feed me".
type matcherInput struct {
	line  string
	off   int
	eof   bool
	yield func(*errorformat.Entry) bool
}

func (r *matcherInput) Read(p []byte) (int, error) {
	for r.off >= len(r.line) {
		if r.eof || !r.yield(nil) {
			return 0, io.EOF
		}
	}
	n := copy(p, r.line[r.off:])
	r.off += n
	return n, nil
}

func (m *matcherEfm) Name() string { return m.source }

func (m *matcherEfm) Feed(line string, claimed bool, env *Env, out *Output) bool {
	if claimed {
		m.cont = false
		return false
	}
	if len(line) > matcherMaxLine {
		line = line[:matcherMaxLine]
	}
	if m.next == nil {
		m.start()
	}
	m.in.line, m.in.off = line+"\n", 0
	m.drain(env, out)
	mine := false
	for _, e := range m.starts {
		if e.Match(line) != nil {
			mine = true
			break
		}
	}
	if !mine && m.cont && line != "" && (line[0] == ' ' || line[0] == '\t') {
		mine = true
	}
	m.cont = mine
	return mine
}

// start begins a scanner coroutine. The coroutine must not reach m: a
// parser dropped without Flush then becomes garbage, and its cleanup ends
// the coroutine instead of leaving it suspended forever.
func (m *matcherEfm) start() {
	in, ef := &matcherInput{}, m.ef
	m.in = in
	m.next, m.stop = iter.Pull(func(yield func(*errorformat.Entry) bool) {
		in.yield = yield
		s := ef.NewScanner(in)
		for s.Scan() {
			if !yield(s.Entry()) {
				return
			}
		}
	})
	m.cleanup = runtime.AddCleanup(m, func(stop func()) { stop() }, m.stop)
}

// end stops the coroutine (a no-op when it already returned).
func (m *matcherEfm) end() {
	if m.stop != nil {
		m.cleanup.Stop()
		m.stop()
	}
	m.next, m.stop, m.in = nil, nil, nil
}

// drain runs the scanner until it wants the next line or ends.
func (m *matcherEfm) drain(env *Env, out *Output) {
	for {
		e, ok := m.next()
		if !ok {
			m.end()
			return
		}
		if e == nil {
			return
		}
		m.emit(e, env, out)
	}
}

func (m *matcherEfm) emit(e *errorformat.Entry, env *Env, out *Output) {
	if !e.Valid || e.Filename == "" {
		return
	}
	abs, ok := env.Resolve(e.Filename)
	if !ok {
		return
	}
	sev := Error
	switch e.Type {
	case 'w', 'W':
		sev = Warning
	case 'i', 'I', 'n', 'N':
		sev = Info
	}
	p := Problem{
		Location: Location{File: abs, Line: e.Lnum, Column: e.Col, EndLine: e.EndLnum, EndColumn: e.EndCol},
		Severity: sev, Message: strings.TrimSpace(e.Text), Source: m.source,
	}
	if e.Nr > 0 {
		p.Code = strconv.Itoa(e.Nr)
	}
	if p.EndColumn > 0 && p.EndLine == 0 {
		p.EndLine = p.Line
	}
	out.Problems = append(out.Problems, p)
}

func (m *matcherEfm) Flush(env *Env, out *Output) {
	m.cont = false
	if m.next == nil {
		return
	}
	m.in.eof = true
	m.drain(env, out)
	m.end()
}
