package detect

import (
	"regexp"
	"strings"
)

// Bundlers. Every column they print is 0-based (verified on esbuild 0.28,
// vite 7.3, rollup 4.68, webpack 5.112: the code frames' carets sit one
// character to the right of the printed column), so 1 is added.
//
// esbuild CLI:
//
//	✘ [ERROR] Could not resolve "./nope"          (▲ [WARNING] msg [rule-id])
//	<blank>
//	    src/main.js:2:20:
//	      2 │ import missing from "./nope";
//	        ╵                     ~~~~~~~~
//	<blank>
//	  A note.                                      (notes, maybe with a location)
//
// and "[watch] build started" / "[watch] build finished" around rebuilds.
// esbuild's API errors, as thrown inside other tools, print
// "/abs/x.ts:3:12: ERROR: Unexpected ";"".
//
// vite dev server:  [vite] Internal server error: msg
//
//	Plugin: vite:esbuild
//	File: /abs/src/x.ts:2:12
//
// vite build:       error during build: / [plugin] msg / file: /abs/x.ts:2:12
//
// vite 8 (rolldown, oxc) prints boxed diagnostics inside both (see
// parse_oxc.go): "error during build:" / "Build failed with 2 errors:" and a
// "[CODE] msg" line and box per error, each a problem of its own. Boxes
// outside them (warnings, build --watch, the dependency scan, the rolldown
// CLI) are read here too, as rolldown's.
//
// rollup and webpack are in parse_bundler_rollup.go.

func init() {
	register(300, func() Parser { return &viteParser{} })
	register(310, func() Parser { return &esbuildParser{} })
}

var (
	esbuildHeadRe = regexp.MustCompile(`^(\s*)(?:✘|▲|X|>) \[(ERROR|WARNING)\] (.*?)(?: \[([a-z0-9-]+)\])?$`)
	esbuildLocRe  = regexp.MustCompile(`^\s+(\S.*?):(\d+):(\d+):$`)
	esbuildOldRe  = regexp.MustCompile(`^> (\S.*?):(\d+):(\d+): (error|warning): (.*)$`)
	esbuildAPIRe  = regexp.MustCompile(`^\s*(\S.*?):(\d+):(\d+): (ERROR|WARNING): (.*)$`)
	viteFileRe    = regexp.MustCompile(`^\s*[Ff]ile: (\S.*?)(?::(\d+):(\d+))?\s*$`)
	// vite 8: "[plugin vite:css] /abs/src/a.css:4:1" names the plugin and
	// the place of the error line after it.
	vitePluginLocRe = regexp.MustCompile(`^\[plugin ([^\s\]]+)\] (\S.*?)(?::(\d+):(\d+))?\s*$`)
	// The place a message repeats: "/abs/src/a.css:4:2: Unexpected }".
	viteMsgLocRe = regexp.MustCompile(`^(?:[A-Za-z]:)?[^\s:]+:\d+:\d+: `)
)

// bundlerLoc resolves a printed path and 0-based column.
func bundlerLoc(env *Env, path, line, col string) (Location, bool) {
	abs, ok := env.ResolveExisting(path)
	if !ok {
		return Location{}, false
	}
	l, _ := jsAtoi(line)
	c, okc := jsAtoi(col)
	if l == 0 {
		l = 1 // a file-level error: the tools print no line
	}
	if okc {
		c++
	}
	return Location{File: abs, Line: l, Column: c}, true
}

type esbuildParser struct {
	open     bool
	indent   int
	cur      Problem
	note     string // the note text waiting for its location
	inFrame  bool   // after a location line: its snippet follows
	haveMain bool
}

func (p *esbuildParser) Name() string { return "esbuild" }

func (p *esbuildParser) Feed(line string, claimed bool, env *Env, out *Output) bool {
	if claimed {
		p.end(out)
		return false
	}
	t := strings.TrimLeft(line, " ")
	if p.open {
		if t == "" {
			p.inFrame = false
			return true
		}
		indent := len(line) - len(t)
		if indent > p.indent && !strings.HasPrefix(t, "at ") {
			p.body(line, t, env)
			return true
		}
		p.end(out)
	}
	if t == "" {
		return false
	}
	switch t[0] {
	case '[':
		if strings.HasPrefix(t, "[watch] build started") {
			out.CycleStart = true
			return true
		}
		if strings.HasPrefix(t, "[watch] build finished") {
			out.CycleEnd = true
			return true
		}
		return false
	case 0xe2, 'X', '>': // ✘ ▲ (and the ASCII forms of old Windows consoles)
		if strings.HasPrefix(t, "> ") && !strings.HasPrefix(t, "> [") {
			return p.old(t, env, out)
		}
		if !strings.HasPrefix(t, "✘ [") && !strings.HasPrefix(t, "▲ [") && !strings.HasPrefix(t, "X [") && !strings.HasPrefix(t, "> [") {
			return false
		}
		m := esbuildHeadRe.FindStringSubmatch(line)
		if m == nil {
			return false
		}
		sev := Error
		if m[2] == "WARNING" {
			sev = Warning
		}
		p.open, p.indent, p.haveMain, p.note, p.inFrame = true, len(m[1]), false, "", false
		p.cur = Problem{Severity: sev, Message: m[3], Source: "esbuild", Code: m[4]}
		jsRaise(out, severityLevel(sev))
		return true
	}
	if strings.Contains(t, ": ERROR: ") || strings.Contains(t, ": WARNING: ") {
		if m := esbuildAPIRe.FindStringSubmatch(line); m != nil {
			if loc, ok := bundlerLoc(env, m[1], m[2], m[3]); ok {
				sev := Error
				if m[4] == "WARNING" {
					sev = Warning
				}
				out.Problems = append(out.Problems, Problem{Location: loc, Severity: sev, Message: m[5], Source: "esbuild"})
				jsRaise(out, severityLevel(sev))
				return true
			}
		}
	}
	// "1 warning and 2 errors"
	if (strings.HasSuffix(t, " errors") || strings.HasSuffix(t, " error") || strings.HasSuffix(t, " warning") || strings.HasSuffix(t, " warnings")) && t[0] >= '1' && t[0] <= '9' && strings.Count(t, " ") <= 4 {
		return true
	}
	return false
}

// old reads esbuild < 0.14's one-line form " > src/a.js:2:12: error: msg".
func (p *esbuildParser) old(t string, env *Env, out *Output) bool {
	m := esbuildOldRe.FindStringSubmatch(t)
	if m == nil {
		return false
	}
	loc, ok := bundlerLoc(env, m[1], m[2], m[3])
	if !ok {
		return false
	}
	sev := Error
	if m[4] == "warning" {
		sev = Warning
	}
	out.Problems = append(out.Problems, Problem{Location: loc, Severity: sev, Message: m[5], Source: "esbuild"})
	jsRaise(out, severityLevel(sev))
	return true
}

// body reads the location, snippet and notes of a message.
func (p *esbuildParser) body(line, t string, env *Env) {
	if strings.HasSuffix(t, ":") {
		if m := esbuildLocRe.FindStringSubmatch(line); m != nil {
			loc, ok := bundlerLoc(env, m[1], m[2], m[3])
			p.inFrame = true
			if !ok {
				return
			}
			if !p.haveMain {
				p.cur.Location, p.haveMain = loc, true
			} else if len(p.cur.Related) < 16 {
				p.cur.Related = append(p.cur.Related, Related{Location: loc, Message: p.note})
			}
			p.note = ""
			return
		}
	}
	if p.inFrame {
		// "  2 │ code" then "    ╵   ~~~~" (or "    │   ~~~~" when a
		// suggestion follows: "    ╵   ;"); the underline's run gives the end.
		_, under, ok := strings.Cut(line, "╵")
		if !ok {
			var lead string
			// Not the code line: "  2 │ code".
			if lead, under, ok = strings.Cut(line, "│"); ok && strings.TrimLeft(lead, " ") != "" {
				ok = false
			}
		}
		if ok {
			if col, n, ok := jsCaret(strings.TrimPrefix(under, " "), '~'); ok {
				target := &p.cur.Location
				if len(p.cur.Related) > 0 {
					target = &p.cur.Related[len(p.cur.Related)-1].Location
				}
				if target.File != "" && col+1 == target.Column {
					target.EndLine, target.EndColumn = target.Line, target.Column+n
				}
			}
		}
		return
	}
	// A note: its text, maybe followed by its own location.
	if p.note != "" {
		p.note += " "
	}
	if len(p.note) < 1000 {
		p.note += strings.TrimSpace(t)
	}
}

func (p *esbuildParser) end(out *Output) {
	if !p.open {
		return
	}
	p.open = false
	if p.haveMain {
		out.Problems = append(out.Problems, p.cur)
	}
	p.cur = Problem{}
}

func (p *esbuildParser) Flush(env *Env, out *Output) { p.end(out) }

// Pending shows the message once its location line was read; the code
// frame and notes amend it.
func (p *esbuildParser) Pending(_ *Env, out *Output) {
	if p.open && p.haveMain {
		out.Problems = append(out.Problems, p.cur)
	}
}

// viteParser reads vite's dev server errors and "error during build:".
type viteParser struct {
	open     bool
	build    bool // "error during build:" block
	pre      bool // "Pre-transform error:" block (one line in vite 5)
	indented bool // an indented line was seen: the next unindented one ends it
	lines    int
	cur      Problem
	haveLoc  bool
	// vite 8's boxes: the "[CODE] msg" line just read, the lines into a
	// box whose bottom has not come yet, how many boxes were reported.
	head     bool
	headCode string
	headMsg  string
	box      int
	boxes    int
	// esbuild's "/abs/a.tsx:4:16: ERROR: msg" lines after "Transform
	// failed with 3 errors:", a problem each; apiMsg is the first message.
	api    []Problem
	apiMsg string
	rd     rolldownBoxes // the boxes outside vite's blocks (parse_oxc.go)
}

func (p *viteParser) Name() string { return "vite" }

func (p *viteParser) Feed(line string, claimed bool, env *Env, out *Output) bool {
	if claimed {
		p.end(env, out)
		if p.rd.busy() {
			p.rd.reset()
		}
		return false
	}
	if p.open {
		if p.body(line, env, out) {
			return true
		}
		p.end(env, out)
	}
	if p.rd.feed(line, env, out) {
		return true
	}
	i := viteTag(line)
	if i < 0 {
		if line == "build started..." {
			// `vite build --watch` rebuilding: a new cycle.
			p.rd.reset()
			out.CycleStart = true
			return true
		}
		if strings.HasPrefix(line, "error during build:") {
			p.rd.reset()
			p.begin(true, strings.TrimSpace(line[len("error during build:"):]))
			jsRaise(out, LevelError)
			return true
		}
		return false
	}
	rest := line[i+len("[vite] "):]
	rest = strings.TrimPrefix(rest, "(client) ") // vite 6+: the environment
	rest = strings.TrimPrefix(rest, "(ssr) ")
	for _, prefix := range []string{"Internal server error: ", "Pre-transform error: "} {
		if msg, ok := strings.CutPrefix(rest, prefix); ok {
			p.rd.reset()
			p.begin(false, msg)
			p.pre = prefix == "Pre-transform error: "
			jsRaise(out, LevelError)
			return true
		}
	}
	// "[vite] (client) hmr update /src/a.ts", "[vite] page reload src/a.ts":
	// the changed modules are transformed again and re-report their errors.
	if strings.Contains(rest, "hmr update ") || strings.Contains(rest, "page reload ") {
		out.CycleStart = true
		return true
	}
	return false
}

func (p *viteParser) begin(build bool, msg string) {
	p.open, p.build, p.pre, p.indented, p.lines, p.haveLoc = true, build, false, false, 0, false
	p.head, p.headCode, p.headMsg, p.box, p.boxes = false, "", "", 0, 0
	p.api, p.apiMsg = p.api[:0], ""
	p.cur = Problem{Severity: Error, Message: msg, Source: "vite"}
	p.plugin(msg)
}

// plugin moves a "[vite:esbuild] " prefix of the message into Code (unless
// one is known), drops a second tag ("[vite:css] [postcss] ") and vite's
// own "[vite]: ", and what repeats the location: "RollupError: ",
// "src/a.js (2:12): ", "/abs/a.css:4:2: ".
func (p *viteParser) plugin(msg string) {
	for k := 0; k < 2 && strings.HasPrefix(msg, "["); k++ {
		if r, ok := strings.CutPrefix(msg, "[vite]: "); ok {
			msg = r
			continue
		}
		j := strings.Index(msg, "] ")
		if j <= 1 || strings.ContainsAny(msg[1:j], " ") {
			break
		}
		if p.cur.Code == "" {
			p.cur.Code = msg[1:j]
		}
		msg = msg[j+2:]
	}
	msg = strings.TrimPrefix(msg, "RollupError: ")
	if strings.Contains(msg, "): ") {
		if m := rollupLocRe.FindStringSubmatch(msg); m != nil && m[4] != "" {
			msg = m[4]
		}
	}
	if loc := viteMsgLocRe.FindString(msg); loc != "" && len(loc) < len(msg) {
		msg = msg[len(loc):]
	}
	p.cur.Message = msg
}

// errorName cuts a JS error's name off a line: "CssSyntaxError: x".
func errorName(t string) (string, bool) {
	i := strings.Index(t, ": ")
	if i < len("Error") || i > 40 || !strings.HasSuffix(t[:i], "Error") {
		return "", false
	}
	for j := 0; j < i; j++ {
		if c := t[j] | 0x20; c < 'a' || c > 'z' {
			return "", false
		}
	}
	return t[i+2:], true
}

// viteFilePlace resolves a printed "path:line:col" of vite, 0-based; a
// postcss error without a place prints "path:undefined:NaN".
func viteFilePlace(env *Env, path, line, col string) (Location, bool) {
	path = strings.TrimSuffix(path, ":undefined:NaN")
	return bundlerLoc(env, path, line, col)
}

// body reads one line of an open block; false ends the block.
func (p *viteParser) body(line string, env *Env, out *Output) bool {
	p.lines++
	t := strings.TrimLeft(line, " ")
	indent := len(line) - len(t)
	if p.lines > 200 || strings.HasPrefix(t, "at ") {
		return false
	}
	if p.box > 0 {
		if p.box++; p.box <= oxcMaxBox && oxcBoxLine(t) {
			if oxcBoxEnd(t) {
				p.box = 0
			}
			return true
		}
		p.box = 0
	}
	head := p.head
	p.head = false
	if path, l, c, ok := oxcBoxTop(t); ok {
		p.boxed(head, path, l, c, env, out)
		return true
	}
	if indent == 0 && p.indented && t != "" {
		return false
	}
	if indent == 0 && t != "" {
		// The dev server's next message; vite 5 prints a pre-transform
		// error on one line (its message may go on: esbuild's lines).
		if viteTag(line) >= 0 || p.pre && p.lines == 1 && !strings.Contains(t, ": ERROR: ") && !strings.Contains(t, ": WARNING: ") {
			return false
		}
	}
	if indent > 0 {
		p.indented = true
	}
	if p.cur.Message == "" && t != "" {
		p.cur.Message = strings.TrimSpace(line)
		p.plugin(p.cur.Message)
		return true
	}
	if !p.indented {
		// vite 8: a box may follow ("Build failed with 2 errors:" comes
		// first in a build, "Transform failed with 1 error:" in the dev
		// server).
		if code, msg, ok := oxcHeader(t); ok {
			p.head, p.headCode, p.headMsg = true, code, msg
			return true
		}
		// vite 8: "Build failed with 1 error:", then "[plugin vite:css]
		// /abs/a.css:4:1" and "CssSyntaxError: [postcss] ..." (or only
		// "Error: [vite]: Rolldown failed to resolve import ...").
		if strings.HasPrefix(t, "[plugin ") && !p.haveLoc {
			if m := vitePluginLocRe.FindStringSubmatch(t); m != nil {
				if loc, ok := viteFilePlace(env, m[2], m[3], m[4]); ok {
					if p.cur.Code == "" || oxcFailedWith(p.cur.Message) > 0 {
						p.cur.Code = m[1]
					}
					p.cur.Location, p.haveLoc = loc, true
					return true
				}
			}
		}
		if msg, ok := errorName(t); ok && oxcFailedWith(p.cur.Message) > 0 {
			p.plugin(msg)
			return true
		}
	}
	switch {
	case strings.HasPrefix(t, "Plugin: "):
		p.cur.Code = strings.TrimSpace(t[len("Plugin: "):])
	case !p.haveLoc && (strings.HasPrefix(t, "File: ") || strings.HasPrefix(t, "file: ")):
		if m := viteFileRe.FindStringSubmatch(line); m != nil {
			if loc, ok := viteFilePlace(env, m[1], m[2], m[3]); ok {
				p.cur.Location, p.haveLoc = loc, true
			}
		}
	case strings.Contains(t, ": ERROR: ") || strings.Contains(t, ": WARNING: "):
		// esbuild's own lines say it best, one per error: `Unexpected ";"`.
		if m := esbuildAPIRe.FindStringSubmatch(line); m != nil && strings.HasPrefix(p.cur.Message, "Transform failed") && len(p.api) < 100 {
			if p.apiMsg == "" {
				p.apiMsg = m[5]
			}
			if loc, ok := bundlerLoc(env, m[1], m[2], m[3]); ok {
				sev := Error
				if m[4] == "WARNING" {
					sev = Warning
				}
				p.api = append(p.api, Problem{Location: loc, Severity: sev, Message: m[5], Source: "vite"})
			}
		}
	}
	return true
}

// boxed reports a box of vite 8 at once: a build prints one per error. Its
// message and code are those of the "[CODE] msg" line before it (or of the
// block's first line when that was it).
func (p *viteParser) boxed(head bool, path string, line, col int, env *Env, out *Output) {
	prob := Problem{Severity: Error, Message: p.cur.Message, Source: "vite", Code: p.cur.Code}
	if head {
		prob.Message, prob.Code = p.headMsg, p.headCode
	}
	p.box, p.headCode, p.headMsg = 1, "", ""
	loc, ok := oxcLoc(env, path, line, col)
	if !ok {
		return
	}
	prob.Location = loc
	out.Problems = append(out.Problems, prob)
	p.boxes++
}

func (p *viteParser) end(env *Env, out *Output) {
	if !p.open {
		return
	}
	p.open = false
	switch {
	case p.boxes > 0:
		// With boxes the "File: /abs/x.ts" line after them names no place.
	case len(p.api) > 0:
		// esbuild's lines, each at its place ("File:" repeats the first).
		for _, a := range p.api {
			a.Code = p.cur.Code
			out.Problems = append(out.Problems, a)
		}
	default:
		if p.apiMsg != "" {
			p.cur.Message = p.apiMsg
		}
		if p.haveLoc {
			// Rollup's "Could not resolve X from Y" names only the file.
			env.placeUnresolved(&p.cur.Location, p.cur.Message)
		} else if loc, ok := env.unresolvedLoc(p.cur.Message); ok {
			// vite's "failed to resolve import X from Y." names no place.
			p.cur.Location, p.haveLoc = loc, true
		}
		if p.haveLoc {
			out.Problems = append(out.Problems, p.cur)
		}
	}
	p.head, p.headCode, p.headMsg, p.box = false, "", "", 0
	p.api, p.apiMsg = p.api[:0], ""
}

func (p *viteParser) Flush(env *Env, out *Output) {
	p.end(env, out)
	if p.rd.busy() {
		p.rd.reset()
	}
}

// viteTag is strings.Index(line, "[vite] "), by its '[' (lines reach the
// vite parser for having one).
func viteTag(line string) int {
	if strings.HasPrefix(line, "[vite] ") {
		return 0
	}
	off := 0
	for {
		j := strings.IndexByte(line[off:], '[')
		if j < 0 {
			return -1
		}
		off += j
		if strings.HasPrefix(line[off+1:], "vite] ") {
			return off
		}
		off++
	}
}
