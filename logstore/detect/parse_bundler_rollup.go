package detect

import (
	"regexp"
	"strings"
)

// Bundlers, continued (columns are 0-based here too: see parse_bundler.go).
//
// rollup CLI:       [!] RollupError: src/x.js (2:12): msg / src/x.js (2:12)
//
// and its warnings, a title and per file a code frame whose caret gives
// the column ("(!) Unresolved dependencies" lists the imports instead:
// `left-pad (imported by "src/a.js")`):
//
//	(!) Use of eval is strongly discouraged
//	https://rollupjs.org/troubleshooting/#avoiding-eval
//	src/warn.js                  (or "src/a.js (4:10)", "src/a.ts: (4:10)")
//	3: }
//	4: const u = eval("1");
//	             ^
//
// vite build:       src/warn.js (4:10): Use of eval in "src/warn.js" is ...
// webpack:          ERROR in ./src/x.js 2:12 (or 2:0-29, 1:0-3:4) / message

func init() {
	register(320, func() Parser { return &rollupParser{} })
	register(330, func() Parser { return &webpackParser{} })
}

var (
	rollupLocRe   = regexp.MustCompile(`^\s*(\S.*?) \((\d+):(\d+)\)(?:: (.*))?$`)
	webpackHeadRe = regexp.MustCompile(`^\s*(ERROR|WARNING) in (\S+)(?: \([^)]*\))?(?: (\d+):(\d+)(?:-(?:(\d+):)?(\d+))?)?\s*$`)
)

// rollupParser reads the rollup CLI's "[!] ..." errors, "(!) ..."
// warnings and watch cycles, and rollup's warnings as vite build prints them.
type rollupParser struct {
	open    bool
	lines   int
	cur     Problem
	waiting bool // "waiting for changes..." seen: the next "bundles" starts a cycle

	warn       bool   // in a "(!) title" block
	warnLines  int    // its lines so far
	warnMsg    string // its title
	unresolved bool   // "(!) Unresolved dependencies"
	entry      string // the file (absolute) whose frame comes, "" when none
	detail     string // a line between the file and its frame
	frameLine  int    // the number of the frame's last line, 0 before one
	framePre   int    // the width of its "NN: " prefix
}

func (p *rollupParser) Name() string { return "rollup" }

func (p *rollupParser) Feed(line string, claimed bool, env *Env, out *Output) bool {
	if claimed {
		p.open = false
		p.warnEnd()
		return false
	}
	if p.warn {
		if p.warnBody(line, env, out) {
			return true
		}
		p.warnEnd()
	}
	if p.open {
		p.lines++
		if p.lines > 3 || strings.TrimSpace(line) == "" {
			p.open = false
		} else if p.location(line, env, out) {
			return true
		}
	}
	if rest, ok := strings.CutPrefix(line, "[!] "); ok {
		p.open, p.lines = true, 0
		p.cur = Problem{Severity: Error, Source: "rollup"}
		if r, ok := strings.CutPrefix(rest, "(plugin "); ok {
			if j := strings.Index(r, ") "); j > 0 {
				p.cur.Code, rest = r[:j], r[j+2:]
			}
		}
		// "RollupError: src/x.js (2:12): Expression expected"
		for _, prefix := range []string{"RollupError: ", "Error: ", "SyntaxError: "} {
			if r, ok := strings.CutPrefix(rest, prefix); ok {
				rest = r
				break
			}
		}
		if m := rollupLocRe.FindStringSubmatch(rest); m != nil && m[4] != "" {
			rest = m[4]
		}
		p.cur.Message = rest
		jsRaise(out, LevelError)
		return true
	}
	if rest, ok := strings.CutPrefix(line, "(!) "); ok {
		p.warn, p.warnLines, p.warnMsg = true, 0, strings.TrimSpace(rest)
		p.unresolved = p.warnMsg == "Unresolved dependencies"
		jsRaise(out, LevelWarn)
		return true
	}
	if line != "" && line[0] != ' ' && hasParenLoc(line) && p.viteWarning(line, env, out) {
		return true
	}
	if strings.HasSuffix(line, "waiting for changes...") {
		p.waiting = true
		out.CycleEnd = true
		return true
	}
	if p.waiting && strings.HasPrefix(line, "bundles ") {
		p.waiting = false
		out.CycleStart = true
		return true
	}
	return false
}

// location reads the line after "[!]": "src/x.js (2:12)" or "src/x.js".
func (p *rollupParser) location(line string, env *Env, out *Output) bool {
	var loc Location
	var ok bool
	if m := rollupLocRe.FindStringSubmatch(line); m != nil && m[4] == "" {
		loc, ok = bundlerLoc(env, m[1], m[2], m[3])
	} else if !strings.ContainsAny(line, " :") {
		loc, ok = bundlerLoc(env, line, "", "")
	}
	if !ok {
		return false
	}
	env.placeUnresolved(&loc, p.cur.Message)
	p.cur.Location = loc
	out.Problems = append(out.Problems, p.cur)
	p.open = false
	return true
}

// viteWarning reads a warning of rollup as vite build prints it:
// `src/warn.js (4:10): Use of eval in "src/warn.js" is strongly discouraged`.
// hasParenLoc finds "(line:col): " (what the gate's gateParenLoc is), the
// cheap test before rollupLocRe.
func hasParenLoc(line string) bool {
	for off := 0; ; {
		i := strings.Index(line[off:], "): ")
		if i < 0 {
			return false
		}
		if gateAfterParenLoc(line[:off+i]) {
			return true
		}
		off += i + 1
	}
}

func (p *rollupParser) viteWarning(line string, env *Env, out *Output) bool {
	m := rollupLocRe.FindStringSubmatch(line)
	if m == nil || m[4] == "" || strings.ContainsAny(m[1], " \t") {
		return false
	}
	loc, ok := bundlerLoc(env, m[1], m[2], m[3])
	if !ok {
		return false
	}
	out.Problems = append(out.Problems, Problem{Location: loc, Severity: Warning, Message: m[4], Source: "rollup"})
	jsRaise(out, LevelWarn)
	return true
}

// warnBody reads a line of a "(!)" block; false ends the block.
func (p *rollupParser) warnBody(line string, env *Env, out *Output) bool {
	p.warnLines++
	t := strings.TrimSpace(line)
	if t == "" || p.warnLines > 400 || strings.HasPrefix(line, "(!) ") || strings.HasPrefix(line, "[!] ") {
		return false
	}
	if strings.HasPrefix(t, "https://") || strings.HasPrefix(t, "http://") || strings.HasPrefix(t, "...and ") {
		return true
	}
	if p.unresolved {
		return p.unresolvedDep(line, env, out)
	}
	// The frame: "4: const u = eval(\"1\");", then the caret.
	if n, w, ok := rollupFrameLine(line); ok {
		p.frameLine, p.framePre = n, w
		return true
	}
	if c := strings.IndexByte(line, '^'); c >= 0 && t == "^" {
		if p.entry != "" && p.frameLine > 0 && c >= p.framePre {
			msg := p.warnMsg
			if p.detail != "" {
				msg += ": " + p.detail
			}
			out.Problems = append(out.Problems, Problem{Location: Location{File: p.entry, Line: p.frameLine, Column: rollupFrameColumn(env, p.entry, p.frameLine, c-p.framePre) + 1},
				Severity: Warning, Message: msg, Source: "rollup"})
			p.entry = ""
		}
		return true
	}
	// The file: "src/warn.js", "src/a.js (4:10)", "src/a.ts: (4:10)".
	if loc, ok := p.warnFile(line, env); ok {
		p.entry, p.detail, p.frameLine = "", "", 0
		if loc.Column > 0 {
			out.Problems = append(out.Problems, Problem{Location: loc, Severity: Warning, Message: p.warnMsg, Source: "rollup"})
		} else {
			p.entry = loc.File
		}
		return true
	}
	// "foo is not exported by src/lib.js" between the file and its frame.
	if p.entry != "" && p.frameLine == 0 && p.detail == "" {
		p.detail = t
		return true
	}
	return false
}

// warnFile reads the file line of a warning.
func (p *rollupParser) warnFile(line string, env *Env) (Location, bool) {
	if line[0] == ' ' || line[0] == '\t' {
		return Location{}, false
	}
	if m := rollupLocRe.FindStringSubmatch(line); m != nil {
		if m[4] != "" {
			return Location{}, false
		}
		path := strings.TrimSuffix(m[1], ":")
		if strings.ContainsAny(path, " \t") {
			return Location{}, false
		}
		return bundlerLoc(env, path, m[2], m[3])
	}
	if strings.ContainsAny(line, " \t") {
		return Location{}, false
	}
	loc, ok := bundlerLoc(env, line, "", "")
	loc.Line = 0
	return loc, ok
}

// unresolvedDep reads `left-pad (imported by "src/a.js" and "src/b.js")`:
// a warning at each import that can be found.
func (p *rollupParser) unresolvedDep(line string, env *Env, out *Output) bool {
	spec, rest, ok := strings.Cut(line, " (imported by ")
	if !ok || spec == "" || strings.ContainsAny(spec, " \t") || !strings.HasSuffix(rest, ")") {
		return false
	}
	for n := 0; n < 100; n++ {
		i := strings.IndexByte(rest, '"')
		if i < 0 {
			break
		}
		importer, r, ok := cutQuoted(rest[i:])
		if !ok {
			break
		}
		rest = r
		abs, ok := env.ResolveExisting(importer)
		if !ok {
			continue
		}
		if l, c, ok := env.findImport(abs, spec); ok {
			out.Problems = append(out.Problems, Problem{Location: Location{File: abs, Line: l, Column: c}, Severity: Warning,
				Message: `"` + spec + `" is imported by "` + importer + `", but could not be resolved – treating it as an external dependency`, Source: "rollup"})
		}
	}
	return true
}

// rollupFrameLine reads a code frame's line, "NN: code" (the number padded
// to the frame's widest): its number and the width of "NN: ".
func rollupFrameLine(line string) (n, width int, ok bool) {
	// A process runner may indent the frame with a tab.
	i := 0
	for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
		i++
	}
	j := i
	for j < len(line) && line[j] >= '0' && line[j] <= '9' {
		j++
	}
	if j == i || j+1 >= len(line) || line[j] != ':' || line[j+1] != ' ' {
		if j > i && j+1 == len(line) && line[j] == ':' {
			// An empty line of code: "3:" (trailing space trimmed).
			n, _ = jsAtoi(line[i:j])
			return n, j + 2, n > 0
		}
		return 0, 0, false
	}
	n, _ = jsAtoi(line[i:j])
	return n, j + 2, n > 0
}

// rollupFrameColumn turns the caret's offset in a frame's code into the
// 0-based column of the source line: rollup shows each leading tab as two
// spaces.
func rollupFrameColumn(env *Env, abs string, line, off int) int {
	src, ok := env.sourceLine(abs, line)
	if !ok {
		return off
	}
	tabs := 0
	for tabs < len(src) && src[tabs] == '\t' {
		tabs++
	}
	if off >= 2*tabs {
		return off - tabs
	}
	return off / 2
}

func (p *rollupParser) warnEnd() {
	p.warn, p.unresolved, p.entry, p.detail, p.frameLine, p.framePre, p.warnMsg = false, false, "", "", 0, 0, ""
}

func (p *rollupParser) Flush(env *Env, out *Output) {
	p.open = false
	p.warnEnd()
}

// webpackParser reads "ERROR in" / "WARNING in" blocks and compile cycles.
type webpackParser struct {
	open     bool
	cur      Problem
	compiled bool // a "compiled" line was seen: the next output starts a cycle
}

func (p *webpackParser) Name() string { return "webpack" }

func (p *webpackParser) Feed(line string, claimed bool, env *Env, out *Output) bool {
	if claimed {
		p.end(out)
		return false
	}
	if p.open {
		if strings.TrimSpace(line) == "" {
			p.end(out)
			return true
		}
		if p.cur.Message == "" {
			p.cur.Message = strings.TrimSpace(line)
			// "TS2322: Type ..." from fork-ts-checker-webpack-plugin
			if code, msg, ok := strings.Cut(p.cur.Message, ": "); ok && len(code) > 2 && code[:2] == "TS" {
				if _, num := jsAtoi(code[2:]); num {
					p.cur.Code, p.cur.Message = code, msg
				}
			}
		} else if strings.Contains(line, "SyntaxError: ") && strings.HasSuffix(line, ")") {
			// babel-loader: "SyntaxError: /abs/a.js: Unexpected token (2:12)",
			// more precise than the module-level header.
			if m := jestBabelRe.FindStringSubmatch(line); m != nil {
				if loc, ok := bundlerLoc(env, m[1], m[3], m[4]); ok {
					p.cur.Location, p.cur.Message = loc, "SyntaxError: "+m[2]
				}
			}
		} else if r, ok := strings.CutPrefix(line, " @ "); ok && len(p.cur.Related) == 0 {
			// " @ ./src/index.js 1:0-34 3:12-18": the first import of the module.
			if f := strings.Fields(r); len(f) >= 2 {
				ln, col, _ := strings.Cut(f[1], ":")
				col, _, _ = strings.Cut(col, "-")
				if loc, ok := bundlerLoc(env, f[0], ln, col); ok {
					p.cur.Related = []Related{{Location: loc, Message: "imported here"}}
				}
			}
		}
		return true
	}
	t := strings.TrimLeft(line, " ")
	if t == "" {
		return false
	}
	switch t[0] {
	case 'E', 'W':
		if !strings.HasPrefix(t, "ERROR in ") && !strings.HasPrefix(t, "WARNING in ") {
			return false
		}
		m := webpackHeadRe.FindStringSubmatch(line)
		if m == nil {
			return false
		}
		p.startCycle(out)
		var loc Location
		ok := false
		if path, ln, col, isLoc := jsSplitLoc(m[2]); isLoc && m[3] == "" {
			// fork-ts-checker-webpack-plugin: "ERROR in /abs/a.ts:3:7",
			// TypeScript's 1-based column.
			if abs, found := env.ResolveExisting(path); found {
				loc, ok = Location{File: abs, Line: ln, Column: col}, true
			}
		} else {
			loc, ok = bundlerLoc(env, m[2], m[3], m[4])
		}
		if !ok {
			return false
		}
		if m[6] != "" && m[3] != "" {
			// "2:0-29" or "1:0-3:4": 0-based end column, exclusive.
			endLine := loc.Line
			if m[5] != "" {
				endLine, _ = jsAtoi(m[5])
			}
			end, _ := jsAtoi(m[6])
			loc.EndLine, loc.EndColumn = endLine, end+1
		}
		sev := Error
		if m[1] == "WARNING" {
			sev = Warning
		}
		p.open = true
		p.cur = Problem{Location: loc, Severity: sev, Source: "webpack"}
		jsRaise(out, severityLevel(sev))
		return true
	case 'w':
		// "webpack 5.112.2 compiled with 1 error in 96 ms",
		// "webpack compiled successfully"
		if strings.HasPrefix(t, "webpack ") && strings.Contains(t, " compiled") {
			p.compiled = true
			out.CycleEnd = true
			return true
		}
	case 'a', 'c', '<':
		if strings.HasPrefix(t, "asset ") {
			p.startCycle(out)
			return false
		}
		// "<i> [webpack-dev-middleware] ... compiling..." ends the line.
		if strings.HasSuffix(t, "ompiling...") {
			p.compiled = true
			p.startCycle(out)
			return true
		}
	}
	return false
}

func (p *webpackParser) startCycle(out *Output) {
	if p.compiled {
		p.compiled = false
		out.CycleStart = true
	}
}

func (p *webpackParser) end(out *Output) {
	if p.open {
		p.open = false
		out.Problems = append(out.Problems, p.cur)
	}
}

func (p *webpackParser) Flush(env *Env, out *Output) { p.end(out) }

// Pending shows the block its "ERROR in" line opened; the message lines
// after it amend it.
func (p *webpackParser) Pending(_ *Env, out *Output) {
	if p.open {
		out.Problems = append(out.Problems, p.cur)
	}
}
