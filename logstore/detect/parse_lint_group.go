package detect

import "strings"

// Linters that name a file once and then list its problems, each row
// with the line and column (verified on the real tools, testdata/<tool>):
//
//	styles/app.css                      stylelint (string formatter)
//	  3:3   ✖  Unknown property "colr"  property-no-unknown
//	  4:12  ⚠  Disallowed unit          length-zero-no-unit
//
//	docs/guide.md                       remark (unified-engine), rows not indented
//	7:1-7:33  warning  msg  no-unused-definitions  remark-lint
//	  [cause]:                           a related place of the row before
//	    6:1-6:27 info    Identifier already defined here  rule  remark-lint
//
//	  src/util.js:1:7                    xo (and standard's stylish output)
//	  ✖  3:9   Expected === and instead saw ==.  eqeqeq
//
//	conf/app.yaml                        yamllint (standard format)
//	  4:6       error    too many spaces after hyphen  (hyphens)
//
//	/abs/src/lib.ts:1:1                  tslint (stylish)
//	ERROR: 3:9  triple-equals   == should be ===
//
//	/abs/src/App.svelte:2:7              svelte-check (human): the place, then
//	Error: Type 'string' is not assignable (ts)    one message line
//
//	app/style.py:2 in public method `run`:          pydocstyle: the place,
//	        D102: Missing docstring in public method  then the indented code
//
//	In scripts/run.sh line 3:            shellcheck (tty): the line, its
//	cd $dir                              source, and a caret row per
//	^-----^ SC2164 (warning): msg        problem that gives the columns
//
// The file must be one of the workspace; a row ends nothing but a line
// that is no row ends the group.

func init() { register(160, func() Parser { return &lintGroupParser{} }) }

type lintGroupKind uint8

const (
	lintGroupNone  lintGroupKind = iota
	lintGroupRows                // rows with their own line:col
	lintGroupPlace               // svelte-check, pydocstyle: the header has the place
	lintGroupShell               // shellcheck: caret rows on the header's line
)

// lintGroupMaxLines bounds the lines a group may span without a row.
const lintGroupMaxLines = 64

type lintGroupParser struct {
	kind lintGroupKind
	file string
	line int // the header's line (place groups, shellcheck)
	col  int
	// quiet counts the lines since the last row (bounded by
	// lintGroupMaxLines for the groups whose rows are far apart).
	quiet int
	// pending is the row before, held for the related places that
	// remark lists under it ("[cause]:", then cause is true).
	pending *Problem
	cause   bool
}

func (*lintGroupParser) Name() string { return "lint-group" }

func (*lintGroupParser) gateInterest() gateInterest { return gateLintGroup }
func (p *lintGroupParser) gateBusy() bool           { return p.kind != lintGroupNone }

func (p *lintGroupParser) Flush(_ *Env, out *Output) { p.end(out) }

// Pending shows the row held for its related places.
func (p *lintGroupParser) Pending(_ *Env, out *Output) {
	if p.pending != nil {
		out.Problems = append(out.Problems, *p.pending)
	}
}

// end emits the row held and ends the group.
func (p *lintGroupParser) end(out *Output) {
	p.release(out)
	p.kind, p.file, p.line, p.col, p.quiet, p.cause = lintGroupNone, "", 0, 0, 0, false
}

func (p *lintGroupParser) release(out *Output) {
	if p.pending != nil {
		out.Problems = append(out.Problems, *p.pending)
		jsRaise(out, severityLevel(p.pending.Severity))
		p.pending = nil
	}
}

func (p *lintGroupParser) Feed(line string, claimed bool, env *Env, out *Output) bool {
	if p.kind != lintGroupNone && !claimed {
		if p.row(line, env, out) {
			return true
		}
	}
	if p.kind == lintGroupShell || p.kind == lintGroupPlace {
		if p.quiet++; p.quiet < lintGroupMaxLines && !claimed && line != "" && !p.isHeader(line) {
			return false
		}
	}
	p.end(out)
	// A header is read even when an earlier parser took the line (node
	// takes "/abs/a.js:1:7" for a crash's header), and never taken: the
	// rows say whether it was one.
	p.header(line, env)
	return false
}

// isHeader is a cheap check of the lines that start a new group.
func (p *lintGroupParser) isHeader(line string) bool {
	return strings.HasPrefix(line, "In ") && strings.HasSuffix(line, ":")
}

// header starts a group at line if it names a file.
func (p *lintGroupParser) header(line string, env *Env) bool {
	if line == "" {
		return false
	}
	if strings.HasSuffix(line, ":") {
		return p.placeHeader(line, env)
	}
	t := strings.TrimLeft(line, " ")
	if len(line)-len(t) > 2 || t == "" || strings.ContainsAny(t, " \t") || !strings.ContainsAny(t, "./") {
		return false
	}
	path, ln, col := t, 0, 0
	if loc, ok := natSplitLoc(t, natLocAny); ok && loc.rest == "" && strings.HasPrefix(t, loc.path) {
		path, ln, col = loc.path, loc.line, loc.col
	} else if strings.ContainsAny(t, ":()[]{}<>=,;'\"") {
		return false
	}
	abs, ok := env.ResolveExisting(path)
	if !ok {
		return false
	}
	p.kind, p.file, p.line, p.col = lintGroupRows, abs, ln, col
	return true
}

// placeHeader reads pydocstyle's "path:2 in public method `run`:" and
// shellcheck's "In path line 3:".
func (p *lintGroupParser) placeHeader(line string, env *Env) bool {
	if rest, ok := strings.CutPrefix(line, "In "); ok {
		i := strings.LastIndex(rest, " line ")
		if i < 1 {
			return false
		}
		ln, n := natAtoi(rest[i+len(" line "):])
		if n == 0 || i+len(" line ")+n != len(rest)-1 {
			return false
		}
		abs, ok := env.ResolveExisting(rest[:i])
		if !ok {
			return false
		}
		p.kind, p.file, p.line, p.col = lintGroupShell, abs, ln, 0
		return true
	}
	sp := strings.IndexByte(line, ' ')
	if sp < 3 {
		return false
	}
	if w := line[sp:]; !strings.HasPrefix(w, " at module level:") && !strings.HasPrefix(w, " in public ") &&
		!strings.HasPrefix(w, " in private ") {
		return false
	}
	c := strings.LastIndexByte(line[:sp], ':')
	if c < 1 || !allDigits(line[c+1:sp]) || c+1 == sp {
		return false
	}
	abs, ok := env.ResolveExisting(line[:c])
	if !ok {
		return false
	}
	ln, _ := natAtoi(line[c+1 : sp])
	p.kind, p.file, p.line, p.col = lintGroupPlace, abs, ln, 0
	return true
}

// row reads a row of the group; false ends it.
func (p *lintGroupParser) row(line string, env *Env, out *Output) bool {
	switch p.kind {
	case lintGroupShell:
		return p.shellRow(line, out)
	case lintGroupPlace:
		return p.placeRow(line, out)
	}
	t := strings.TrimLeft(line, " ")
	if t == "" {
		return false
	}
	if t == "[cause]:" && p.pending != nil {
		p.cause = true
		return true
	}
	indent := len(line) - len(t)
	if p.line > 0 {
		// svelte-check: "Error: msg (ts)" under "path:line:col".
		if kind, msg, ok := strings.Cut(t, ": "); ok && indent == 0 && (kind == "Error" || kind == "Warn" || kind == "Warning" || kind == "Hint") {
			sev, _ := lintSevWord(kind)
			msg, code := lintTrailingCode(msg, '(', ')')
			p.emit(out, Problem{Location: Location{File: p.file, Line: p.line, Column: p.col}, Severity: sev,
				Message: msg, Source: "svelte-check", Code: code})
			p.line = 0 // one message per place
			return true
		}
	}
	var prob Problem
	if !lintRow(t, &prob) {
		return false
	}
	prob.File = p.file
	if p.cause && indent >= 4 && p.pending != nil {
		if len(p.pending.Related) < 16 {
			prob.Location.File = p.file
			p.pending.Related = append(p.pending.Related, Related{Location: prob.Location, Message: prob.Message})
		}
		return true
	}
	p.cause = false
	p.release(out)
	p.pending = &prob
	return true
}

func (p *lintGroupParser) emit(out *Output, prob Problem) {
	out.Problems = append(out.Problems, prob)
	jsRaise(out, severityLevel(prob.Severity))
}

// lintRow reads one row (without its indentation) into prob: its place,
// severity, message, rule and the tool.
func lintRow(t string, prob *Problem) bool {
	var sev Severity
	source := ""
	sevFirst := false
	// xo: "✖  3:9  msg  rule"; tslint: "ERROR: 3:9  rule  msg".
	if s, rest, ok := lintRowSymbol(t); ok {
		sev, t, sevFirst, source = s, rest, true, "xo"
	} else if w, rest, ok := strings.Cut(t, ": "); ok && (w == "ERROR" || w == "WARNING") {
		sev, _ = lintSevWord(w)
		t, sevFirst, source = strings.TrimLeft(rest, " "), true, "tslint"
	}
	pos, rest, ok := strings.Cut(t, " ")
	if !ok {
		return false
	}
	loc, ok := lintRange(pos)
	if !ok {
		return false
	}
	rest = strings.TrimLeft(rest, " ")
	if !sevFirst {
		if s, r, ok := lintRowSymbol(rest); ok {
			sev, rest, source = s, r, "stylelint"
		} else {
			w, r, ok := strings.Cut(rest, " ")
			if !ok {
				return false
			}
			if sev, ok = lintSevWord(w); !ok || len(w) < 4 {
				return false
			}
			rest = strings.TrimLeft(r, " ")
		}
	}
	msg, code := rest, ""
	if source == "tslint" {
		// The rule comes first.
		i := strings.Index(rest, "  ")
		if i < 0 {
			return false
		}
		code, msg = rest[:i], strings.TrimLeft(rest[i:], " ")
	} else if loc.EndLine > 0 && source == "" {
		// remark: "msg  rule source", the last two words.
		f := strings.Fields(rest)
		if len(f) < 3 {
			return false
		}
		code, source = f[len(f)-2], f[len(f)-1]
		i := strings.LastIndex(rest, " "+code+" ")
		if i < 0 {
			return false
		}
		msg = strings.TrimSpace(rest[:i])
	} else if i := strings.LastIndex(rest, "  "); i > 0 {
		msg, code = strings.TrimSpace(rest[:i]), strings.TrimSpace(rest[i:])
		// remark: "rule source"; yamllint: "(rule)".
		if r, s, ok := strings.Cut(code, " "); ok && source == "" {
			code, source = r, strings.TrimSpace(s)
		}
		if len(code) > 2 && code[0] == '(' && code[len(code)-1] == ')' {
			code = code[1 : len(code)-1]
			if source == "" {
				source = "yamllint"
			}
		}
	}
	if source == "" {
		source = "lint"
	}
	if strings.TrimSpace(msg) == "" || strings.ContainsAny(code, " ") {
		return false
	}
	*prob = Problem{Location: loc, Severity: sev, Message: strings.TrimSpace(msg), Source: source, Code: code}
	return true
}

// lintRowSymbol reads the severity symbol that starts a row: ✖ × (error),
// ⚠ (warning), ℹ (info), and what follows it.
func lintRowSymbol(t string) (Severity, string, bool) {
	for _, s := range [...]struct {
		sym string
		sev Severity
	}{{"✖", Error}, {"×", Error}, {"⚠", Warning}, {"ℹ", Info}} {
		if rest, ok := strings.CutPrefix(t, s.sym); ok && strings.HasPrefix(rest, " ") {
			return s.sev, strings.TrimLeft(rest, " "), true
		}
	}
	return Error, "", false
}

// lintRange reads "3:9" or remark's "7:1-7:33".
func lintRange(s string) (Location, bool) {
	a, b, _ := strings.Cut(s, "-")
	ln, col, ok := lintPair(a, ":")
	if !ok || ln <= 0 {
		return Location{}, false
	}
	loc := Location{Line: ln, Column: col}
	if b != "" {
		el, ec, ok := lintPair(b, ":")
		if !ok {
			return Location{}, false
		}
		loc.EndLine, loc.EndColumn = el, ec
	}
	return loc, true
}

// placeRow reads pydocstyle's "        D102: Missing docstring".
func (p *lintGroupParser) placeRow(line string, out *Output) bool {
	t := strings.TrimLeft(line, " \t")
	if len(t) == len(line) {
		return false
	}
	code, msg, ok := strings.Cut(t, ": ")
	if !ok || len(code) < 2 || code[0] != 'D' || !allDigits(code[1:]) {
		return false
	}
	p.emit(out, Problem{Location: Location{File: p.file, Line: p.line}, Severity: Warning,
		Message: strings.TrimSpace(msg), Source: "pydocstyle", Code: code})
	p.end(out)
	return true
}

// shellRow reads shellcheck's "   ^--^ SC2086 (info): msg": the carets
// give the columns on the header's line.
func (p *lintGroupParser) shellRow(line string, out *Output) bool {
	t := strings.TrimLeft(line, " ")
	if !strings.HasPrefix(t, "^") {
		return false
	}
	marks, rest, ok := strings.Cut(t, " ")
	if !ok || !natOnly(marks, "^-") || !strings.HasPrefix(rest, "SC") {
		return false
	}
	code, rest, ok := strings.Cut(rest, " (")
	if !ok {
		return false
	}
	kind, msg, ok := strings.Cut(rest, "): ")
	if !ok {
		return false
	}
	sev, ok := lintSevWord(kind)
	if !ok {
		return false
	}
	col := len(line) - len(t) + 1
	end := 0
	if len(marks) > 1 && marks[len(marks)-1] == '^' {
		end = col + len(marks)
	}
	p.emit(out, Problem{Location: Location{File: p.file, Line: p.line, Column: col, EndColumn: end}, Severity: sev,
		Message: strings.TrimSpace(msg), Source: "shellcheck", Code: code})
	p.quiet = 0
	return true
}
