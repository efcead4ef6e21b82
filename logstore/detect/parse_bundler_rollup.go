package detect

import (
	"regexp"
	"strings"
)

// Bundlers, continued (columns are 0-based here too: see parse_bundler.go).
//
// rollup CLI:       [!] RollupError: src/x.js (2:12): msg / src/x.js (2:12)
// webpack:          ERROR in ./src/x.js 2:12 (or 2:0-29, 1:0-3:4) / message

func init() {
	register(320, func() Parser { return &rollupParser{} })
	register(330, func() Parser { return &webpackParser{} })
}

var (
	rollupLocRe   = regexp.MustCompile(`^\s*(\S.*?) \((\d+):(\d+)\)(?:: (.*))?$`)
	webpackHeadRe = regexp.MustCompile(`^\s*(ERROR|WARNING) in (\S+)(?: \([^)]*\))?(?: (\d+):(\d+)(?:-(?:(\d+):)?(\d+))?)?\s*$`)
)

// rollupParser reads the rollup CLI's "[!] ..." errors and watch cycles.
type rollupParser struct {
	open    bool
	lines   int
	cur     Problem
	waiting bool // "waiting for changes..." seen: the next "bundles" starts a cycle
}

func (p *rollupParser) Name() string { return "rollup" }

func (p *rollupParser) Feed(line string, claimed bool, env *Env, out *Output) bool {
	if claimed {
		p.open = false
		return false
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

func (p *rollupParser) Flush(env *Env, out *Output) { p.open = false }

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
