package detect

import "strings"

// Biome and oxlint draw their diagnostics (verified on biome 2.6 and
// oxlint 1.9, testdata/biome, testdata/oxlint):
//
//	src/App.svelte:2:7 lint/correctness/noUnusedVariables  FIXABLE  ━━━━━━━
//	<blank>
//	  ! This variable count is unused.      (× error, ! warning, i info)
//
//	src/util.js format ━━━━━━━━━━━━━━━━━━   (no place: the whole file)
//	  × Formatter would have printed the following content:
//
// biome puts the place first and the message two lines below; oxlint puts
// the message first and the place in the frame's top:
//
//	  ! eslint(no-debugger): `debugger` statement is not allowed
//	   ,-[src/util.js:3:20]                 (╭─[ ... ] on a terminal)

func init() { register(170, func() Parser { return &biomeParser{} }) }

type biomeParser struct {
	// biome: the header read, waiting for its message line.
	open  bool
	prob  Problem
	quiet int
	// oxlint: the message line read, waiting for the frame's top.
	oxMsg  string
	oxCode string
	oxSev  Severity
}

func (*biomeParser) Name() string { return "biome" }

func (*biomeParser) gateInterest() gateInterest { return gateBiome }
func (p *biomeParser) gateBusy() bool           { return p.open || p.oxMsg != "" }

func (p *biomeParser) Flush(*Env, *Output) { p.open, p.oxMsg = false, "" }

// biomeRule is the heavy rule biome draws after the header.
const biomeRule = "━━━"

func (p *biomeParser) Feed(line string, claimed bool, env *Env, out *Output) bool {
	if claimed {
		p.open, p.oxMsg = false, ""
		return false
	}
	if p.open {
		t := strings.TrimLeft(line, " ")
		if sev, msg, ok := biomeMarker(t); ok && len(line)-len(t) == 2 {
			p.open = false
			p.prob.Severity, p.prob.Message = sev, msg
			out.Problems = append(out.Problems, p.prob)
			jsRaise(out, severityLevel(sev))
			return true
		}
		if p.quiet++; t != "" || p.quiet > 2 {
			p.open = false
		}
		return t == ""
	}
	if p.oxMsg != "" {
		msg := p.oxMsg
		p.oxMsg = ""
		t := strings.TrimLeft(line, " ")
		for _, top := range [...]string{",-[", "╭─["} {
			if inner, ok := strings.CutPrefix(t, top); ok && strings.HasSuffix(inner, "]") {
				loc, ok := natSplitLoc(strings.TrimSpace(inner[:len(inner)-1]), natLocAny)
				if !ok || loc.rest != "" {
					return false
				}
				abs, ok := env.ResolveExisting(loc.path)
				if !ok {
					return false
				}
				out.Problems = append(out.Problems, Problem{Location: Location{File: abs, Line: loc.line, Column: loc.col},
					Severity: p.oxSev, Message: msg, Source: "oxlint", Code: p.oxCode})
				jsRaise(out, severityLevel(p.oxSev))
				return true
			}
		}
	}
	if strings.HasSuffix(line, biomeRule) {
		return p.header(line, env)
	}
	if strings.HasPrefix(line, "  ") {
		p.oxlintHeader(line[2:])
	}
	return false
}

// header reads "path:2:7 category  FIXABLE  ━━━" or "path format ━━━".
func (p *biomeParser) header(line string, env *Env) bool {
	tok, rest, ok := strings.Cut(line, " ")
	if !ok {
		return false
	}
	cat, _, _ := strings.Cut(strings.TrimLeft(rest, " "), " ")
	if cat == "" || strings.HasPrefix(cat, "━") {
		return false
	}
	path, ln, col := tok, 1, 0
	if loc, ok := natSplitLoc(tok, natLocAny); ok && loc.rest == "" && strings.HasPrefix(tok, loc.path) {
		path, ln, col = loc.path, loc.line, loc.col
	}
	abs, ok := env.ResolveExisting(path)
	if !ok {
		return false
	}
	p.open, p.quiet = true, 0
	p.prob = Problem{Location: Location{File: abs, Line: ln, Column: col}, Source: "biome", Code: cat}
	return true
}

// biomeMarker reads "× msg", "! msg", "i msg" (and "⚠ msg").
func biomeMarker(t string) (Severity, string, bool) {
	for _, m := range [...]struct {
		sym string
		sev Severity
	}{{"× ", Error}, {"✖ ", Error}, {"! ", Warning}, {"⚠ ", Warning}, {"i ", Info}, {"ℹ ", Info}} {
		if msg, ok := strings.CutPrefix(t, m.sym); ok && strings.TrimSpace(msg) != "" {
			return m.sev, strings.TrimSpace(msg), true
		}
	}
	return Error, "", false
}

// oxlintHeader reads "! eslint(no-debugger): msg" (x, ×, ⚠ too): the
// message of the frame that follows.
func (p *biomeParser) oxlintHeader(t string) {
	var sev Severity
	switch {
	case strings.HasPrefix(t, "x "), strings.HasPrefix(t, "× "):
		sev = Error
	case strings.HasPrefix(t, "! "), strings.HasPrefix(t, "⚠ "):
		sev = Warning
	default:
		return
	}
	_, t, _ = strings.Cut(t, " ")
	code, msg, ok := strings.Cut(t, ": ")
	if !ok || !strings.HasSuffix(code, ")") || strings.Contains(code, " ") || strings.TrimSpace(msg) == "" {
		return
	}
	p.oxMsg, p.oxCode, p.oxSev = strings.TrimSpace(msg), code, sev
}
