package detect

import "strings"

// Python's test runner and linters.
//
// pytest prints each failure as a block under a "____ test_name ____"
// header: the frames' source, "E   " lines with the assertion or exception,
// and a "path:line: ExcType" (long style) or "path:line: in func" (short
// style) line per frame, innermost last. The problem goes at the innermost
// frame in the workspace with the E lines as message; the outer frames are
// Related. (--tb=line prints "path:line: message" alone, which the generic
// parser reads.)
//
// mypy prints "path:line[:col]: error|warning|note: message  [code]";
// flake8 and ruff "path:line:col: F401 message"; pylint
// "path:line:col: C0114: message (symbol)", its column 0-based.

func init() {
	register(690, func() Parser { return &pytestParser{} })
	register(695, func() Parser { return &pylintParser{} })
}

const pytestMaxLines = 20 // E lines kept per failure

type pytestParser struct {
	open bool
	test string
	locs []Related // the block's frames in the workspace, outermost first
	exc  string    // the exception type of the innermost long-style frame
	emsg []string
}

func (*pytestParser) Name() string { return "pytest" }

func (*pytestParser) gateInterest() gateInterest { return gateFirst("_", false) }
func (p *pytestParser) gateBusy() bool           { return p.open }

// pytestHeader returns the test of a "_____ test_name _____" line.
func pytestHeader(line string) (string, bool) {
	if !strings.HasPrefix(line, "___") || !strings.HasSuffix(line, "___") {
		return "", false
	}
	name := strings.TrimSpace(strings.Trim(line, "_"))
	if name == "" || strings.Count(line, "_ _") > 2 {
		return "", false
	}
	return name, true
}

func (p *pytestParser) Feed(line string, claimed bool, env *Env, out *Output) bool {
	if claimed {
		p.end(out)
		return false
	}
	if name, ok := pytestHeader(line); ok {
		p.end(out)
		p.open, p.test = true, name
		return true
	}
	if !p.open {
		return false
	}
	switch {
	case strings.HasPrefix(line, "===="):
		// The summary (or another section) ends the failures.
		p.end(out)
		return false
	case line == "E" || strings.HasPrefix(line, "E "):
		if len(p.emsg) < pytestMaxLines {
			p.emsg = append(p.emsg, strings.TrimSpace(line[1:]))
		}
		return true
	case strings.HasPrefix(line, "_ _ _"):
		return true
	case line == "" || line[0] == ' ' || line[0] == '>' || line[0] == '\t':
		return false
	}
	loc, ok := natSplitLoc(line, natLocStrict)
	if !ok || loc.col != 0 || !strings.HasSuffix(loc.path, ".py") {
		return false
	}
	rest := strings.TrimSpace(loc.rest)
	if abs, ok := env.ResolveExisting(loc.path); ok && len(p.locs) < 64 {
		p.locs = append(p.locs, Related{Location: Location{File: abs, Line: loc.line}, Message: rest})
		p.exc = ""
		if !strings.HasPrefix(rest, "in ") && pythonIsName(rest) {
			p.exc = rest
		}
	}
	return true
}

// pythonIsName reports whether s is a (dotted) identifier: an exception
// type.
func pythonIsName(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.') {
			return false
		}
	}
	return s != ""
}

func (p *pytestParser) end(out *Output) {
	if !p.open {
		return
	}
	p.open = false
	defer func() {
		p.locs, p.emsg, p.exc = p.locs[:0], p.emsg[:0], ""
	}()
	if len(p.locs) == 0 {
		return
	}
	at := p.locs[len(p.locs)-1]
	msg := strings.TrimSpace(strings.Join(p.emsg, "\n"))
	if msg == "" {
		msg = at.Message
		if msg == "" || strings.HasPrefix(msg, "in ") {
			msg = p.test + " failed"
		}
	}
	prob := Problem{Location: at.Location, Severity: Error, Message: natClip(msg), Source: "pytest", Code: p.exc}
	for i := len(p.locs) - 2; i >= 0; i-- {
		prob.Related = append(prob.Related, p.locs[i])
	}
	out.Problems = append(out.Problems, prob)
}

func (p *pytestParser) Flush(_ *Env, out *Output) { p.end(out) }

// pylintParser reads mypy, flake8/ruff and pylint lines; a mypy note is
// Related to the error before it.
type pylintParser struct {
	pending *Problem
}

func (*pylintParser) Name() string { return "pylint" }

func (*pylintParser) gateInterest() gateInterest { return gateInterest{any: gateStrictLoc} }
func (p *pylintParser) gateBusy() bool           { return p.pending != nil }

func (p *pylintParser) Feed(line string, claimed bool, env *Env, out *Output) bool {
	if claimed || line == "" || line[0] == ' ' || line[0] == '\t' {
		p.Flush(env, out)
		return false
	}
	loc, ok := natSplitLoc(line, natLocStrict)
	if !ok || !strings.HasSuffix(loc.path, ".py") && !strings.HasSuffix(loc.path, ".pyi") {
		p.Flush(env, out)
		return false
	}
	rest := strings.TrimPrefix(loc.rest, " ")
	var sev Severity
	var msg, code, source string
	switch {
	case strings.HasPrefix(rest, "error: "), strings.HasPrefix(rest, "warning: "), strings.HasPrefix(rest, "note: "):
		kind, m, _ := strings.Cut(rest, ": ")
		msg, source = m, "mypy"
		if i := strings.LastIndex(msg, "  ["); i > 0 && strings.HasSuffix(msg, "]") {
			msg, code = msg[:i], msg[i+3:len(msg)-1]
		}
		sev = Error
		switch kind {
		case "warning":
			sev = Warning
		case "note":
			abs, ok := env.ResolveExisting(loc.path)
			if ok && p.pending != nil && len(p.pending.Related) < 16 {
				p.pending.Related = append(p.pending.Related, Related{Location: Location{File: abs, Line: loc.line, Column: loc.col}, Message: strings.TrimSpace(msg)})
			}
			return ok
		}
	default:
		// "F401 msg" (flake8, ruff) or "C0114: msg (symbol)" (pylint).
		c, m, ok := strings.Cut(rest, " ")
		c = strings.TrimSuffix(c, ":")
		if !ok || !pylintCode(c) {
			p.Flush(env, out)
			return false
		}
		msg, code, source = strings.TrimPrefix(m, "[*] "), c, "flake8"
		if strings.HasSuffix(rest[:len(c)+1], ":") {
			source = "pylint"
		}
		// As the editors' flake8 and pylint extensions show them.
		switch c[0] {
		case 'E', 'F':
			sev = Error
		case 'W':
			sev = Warning
		case 'R':
			sev = Hint
			if source == "flake8" {
				sev = Info
			}
		default:
			sev = Info
		}
	}
	p.Flush(env, out)
	abs, ok := env.ResolveExisting(loc.path)
	if !ok || strings.TrimSpace(msg) == "" {
		return false
	}
	col := loc.col
	if source == "pylint" {
		col++ // pylint counts columns from 0
	}
	p.pending = &Problem{Location: Location{File: abs, Line: loc.line, Column: col}, Severity: sev,
		Message: strings.TrimSpace(msg), Source: source, Code: code}
	return true
}

// pylintCode recognizes "F401", "E501", "C0114", "PLR0913", "UP006".
func pylintCode(c string) bool {
	i := 0
	for i < len(c) && c[i] >= 'A' && c[i] <= 'Z' {
		i++
	}
	d := len(c) - i
	if i == 0 || i > 3 || d < 2 || d > 4 {
		return false
	}
	return allDigits(c[i:])
}

func (p *pylintParser) Flush(_ *Env, out *Output) {
	if p.pending != nil {
		out.Problems = append(out.Problems, *p.pending)
		p.pending = nil
	}
}
