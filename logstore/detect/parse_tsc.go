package detect

import (
	"regexp"
	"strings"
)

// TypeScript's tsc prints errors in two styles:
//
//	src/a.ts(10,7): error TS2322: Type 'string' is not assignable ...   (--pretty false)
//	  continuation lines of the message chain, indented
//
//	src/a.ts:10:7 - error TS2322: Type 'string' is not assignable ...   (pretty)
//	  continuation lines
//	<blank>
//	10 const count: number = "three";
//	         ~~~~~
//	<blank>
//	  src/a.ts:3:3                          related information
//	    3   age: number;
//	          ~~~
//	    'age' is declared here.
//
// The snippet's "~" underline gives the range. In pretty mode tsc replaces
// tabs with single spaces and pads gutters with spaces, so offsets on the
// underline line are offsets into the source line. Watch mode lines
// ("Starting compilation in watch mode...", "File change detected. Starting
// incremental compilation...", "Found 2 errors. Watching for file changes.")
// delimit cycles.

func init() { register(100, func() Parser { return &tscParser{} }) }

var (
	// "  src/a.ts:3:3" opening a related location in pretty mode.
	tscRelatedRe = regexp.MustCompile(`^\s+(\S.*?):(\d+):(\d+)$`)
)

const (
	tscIdle = iota
	tscPlainMsg
	tscPrettyMsg
	tscPrettyBody
	tscTable // "Errors  Files" summary of pretty mode
)

type tscParser struct {
	state int
	cur   Problem
	// the snippet being read: the location it belongs to and its lines
	target      *Location
	gutterLine  int // line number of the last source line seen, 0 none
	gutterWidth int // bytes before the source text on that line
	wantLine    int // line number the next gutter line must have (0: any after gutterLine)
	relOpen     bool
}

func (p *tscParser) Name() string { return "tsc" }

func (p *tscParser) Feed(line string, claimed bool, env *Env, out *Output) bool {
	if claimed {
		p.end(out)
		return false
	}
	switch p.state {
	case tscPlainMsg, tscPrettyMsg:
		if line != "" && (line[0] == ' ' || line[0] == '\t') {
			if len(p.cur.Message) < 4096 { // keep long chains linear
				p.cur.Message += "\n" + strings.TrimRight(line, " \t")
			}
			return true
		}
		if p.state == tscPlainMsg {
			p.end(out)
			break
		}
		if line == "" {
			p.state = tscPrettyBody
			return true
		}
		p.end(out)
	case tscPrettyBody:
		if p.body(line, env) {
			return true
		}
		p.end(out)
	case tscTable:
		if t := strings.TrimSpace(line); t == "" || t[0] >= '0' && t[0] <= '9' {
			return true
		}
		p.state = tscIdle
	}
	return p.start(line, env, out)
}

// start recognises the lines that open a block or delimit a cycle.
func (p *tscParser) start(line string, env *Env, out *Output) bool {
	if i := strings.Index(line, " TS"); i > 0 && p.header(line, i, env, out) {
		return true
	}
	return p.watchLine(line, out)
}

func (p *tscParser) header(line string, i int, env *Env, out *Output) bool {
	if !strings.Contains(line[i:], ": ") || !strings.Contains(line[:i], "error") && !strings.Contains(line[:i], "warning") && !strings.Contains(line[:i], "message") {
		return false
	}
	state := tscPlainMsg
	m, ok := tscSplitHeader(line, false)
	if !ok {
		state = tscPrettyMsg
		if m, ok = tscSplitHeader(line, true); !ok {
			return false
		}
	}
	abs, ok := env.ResolveExisting(m[1])
	if !ok {
		return false
	}
	ln, _ := jsAtoi(m[2])
	col, _ := jsAtoi(m[3])
	sev := Error
	switch m[4] {
	case "warning":
		sev = Warning
	case "message":
		sev = Info
	}
	p.cur = Problem{Location: Location{File: abs, Line: ln, Column: col}, Severity: sev,
		Message: m[6], Source: "tsc", Code: "TS" + m[5]}
	p.state = state
	p.target, p.gutterLine, p.wantLine, p.relOpen = &p.cur.Location, 0, ln, false
	jsRaise(out, severityLevel(sev))
	return true
}

// watchLine handles the watch-mode and summary lines (timestamps vary by
// locale, so only their ends are matched).
func (p *tscParser) watchLine(line string, out *Output) bool {
	switch {
	case strings.HasSuffix(line, "Starting compilation in watch mode..."),
		strings.HasSuffix(line, "Starting incremental compilation..."):
		p.end(out)
		out.CycleStart = true
		return true
	case strings.HasSuffix(line, ". Watching for file changes.") && strings.Contains(line, "Found "):
		p.end(out)
		out.CycleEnd = true
		return true
	case strings.HasPrefix(line, "Found ") && (strings.Contains(line, " error") || strings.Contains(line, " warning")):
		p.end(out)
		return true
	case strings.HasPrefix(line, "Errors  Files"):
		p.state = tscTable
		return true
	}
	return false
}

// body reads the pretty snippet and related locations; false ends the block.
func (p *tscParser) body(line string, env *Env) bool {
	if strings.TrimSpace(line) == "" {
		return true
	}
	if p.gutterLine > 0 {
		// The line after a source line is its underline: the gutter's
		// spaces, then spaces and '~'.
		g := p.gutterLine
		p.gutterLine = 0
		if len(line) >= p.gutterWidth && strings.TrimLeft(line[:p.gutterWidth], " ") == "" {
			if col, n, ok := jsCaret(line[p.gutterWidth:], '~'); ok {
				p.underline(g, col, n)
			}
			return true
		}
	}
	if n, width, ok := tscGutter(line); ok {
		if n == p.wantLine || p.wantLine == 0 && p.target != nil {
			p.gutterLine, p.gutterWidth, p.wantLine = n, width, 0
			return true
		}
		return false
	}
	if t := strings.TrimSpace(line); t == "..." {
		return true
	}
	if line[0] != ' ' {
		return false
	}
	if m := tscRelatedRe.FindStringSubmatch(line); m != nil && len(p.cur.Related) < 32 {
		if abs, ok := env.ResolveExisting(m[1]); ok {
			ln, _ := jsAtoi(m[2])
			col, _ := jsAtoi(m[3])
			p.cur.Related = append(p.cur.Related, Related{Location: Location{File: abs, Line: ln, Column: col}})
			p.target = &p.cur.Related[len(p.cur.Related)-1].Location
			p.wantLine, p.relOpen = ln, true
			return true
		}
	}
	if p.relOpen {
		r := &p.cur.Related[len(p.cur.Related)-1]
		if len(r.Message) > 4096 {
			return true
		}
		if r.Message != "" {
			r.Message += "\n"
		}
		r.Message += strings.TrimSpace(line)
		p.target = nil
		return true
	}
	return false
}

// underline applies a "~" run found under source line n of the snippet.
func (p *tscParser) underline(n, col, width int) {
	loc := p.target
	if loc == nil {
		return
	}
	if n == loc.Line {
		if col+1 != loc.Column {
			// Not the span of this location (should not happen): keep the
			// printed column and skip the range.
			return
		}
	}
	loc.EndLine, loc.EndColumn = n, col+width+1
}

// tscGutter parses a snippet source line "12 text" or "   3 text" (maybe
// indented for related snippets) into its line number and the width of the
// gutter including the separating space.
func tscGutter(line string) (n, width int, ok bool) {
	i := 0
	for i < len(line) && line[i] == ' ' {
		i++
	}
	j := i
	for j < len(line) && line[j] >= '0' && line[j] <= '9' {
		j++
	}
	if j == i || j-i > 9 || (j < len(line) && line[j] != ' ') {
		return 0, 0, false
	}
	n, _ = jsAtoi(line[i:j])
	return n, j + 1, n > 0
}

func (p *tscParser) end(out *Output) {
	p.Pending(nil, out)
	p.state, p.target, p.cur = tscIdle, nil, Problem{}
}

func (p *tscParser) Flush(env *Env, out *Output) { p.end(out) }

// Pending shows the error whose header was read; the message chain, the
// underline and the related locations after it amend it.
func (p *tscParser) Pending(_ *Env, out *Output) {
	if p.state == tscPlainMsg || p.state == tscPrettyMsg || p.state == tscPrettyBody {
		out.Problems = append(out.Problems, p.cur)
	}
}

// tscSplitHeader matches a header line, plain or pretty, and returns the
// submatches of what would be these regexps (a test holds it to them; by
// hand it costs a tenth):
//
//	^\s*(\S.*?)\((\d+),(\d+)\): (error|warning|message) TS(\d+): (.*)$
//	^\s*(\S.*?):(\d+):(\d+) - (error|warning|message) TS(\d+): (.*)$
func tscSplitHeader(line string, pretty bool) ([7]string, bool) {
	var m [7]string
	start := 0
	for start < len(line) && isRegexpSpace(line[start]) {
		start++
	}
	open := byte('(')
	if pretty {
		open = ':'
	}
	// The file is the shortest prefix (one byte at least) after which the
	// rest matches, as the lazy group does.
	for i := start + 1; i < len(line); i++ {
		if line[i] != open {
			continue
		}
		rest := line[i+1:]
		ln, rest, ok1 := tscDigits(rest)
		if !ok1 {
			continue
		}
		sep1, sep2 := ",", "): "
		if pretty {
			sep1, sep2 = ":", " - "
		}
		if !strings.HasPrefix(rest, sep1) {
			continue
		}
		col, rest, ok2 := tscDigits(rest[len(sep1):])
		if !ok2 || !strings.HasPrefix(rest, sep2) {
			continue
		}
		rest = rest[len(sep2):]
		var sev string
		for _, w := range [...]string{"error", "warning", "message"} {
			if strings.HasPrefix(rest, w+" TS") {
				sev = w
				break
			}
		}
		if sev == "" {
			continue
		}
		code, msg, ok3 := tscDigits(rest[len(sev)+3:])
		if !ok3 || !strings.HasPrefix(msg, ": ") {
			continue
		}
		m = [7]string{line, line[start:i], ln, col, sev, code, msg[2:]}
		return m, true
	}
	return m, false
}

// tscDigits splits off a leading run of ASCII digits (at least one).
func tscDigits(s string) (digits, rest string, ok bool) {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return s[:n], s[n:], n > 0
}

// isRegexpSpace is RE2's \s: space, \t, \n, \f, \r.
func isRegexpSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}
