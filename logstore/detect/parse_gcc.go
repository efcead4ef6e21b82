package detect

import (
	"path/filepath"
	"strconv"
	"strings"
)

// C and C++ compilers: `file:line:col: error|warning|fatal error: msg [-Wflag]`
// with the source snippet and its ^~~~ range, and `note:` lines that belong
// to the diagnostic before them (Related). Source "gcc", or "clang" when
// the snippet is drawn without gcc's `  12 |` gutter (gcc before 9 drew it
// that way too, and is then named clang: the output does not tell them
// apart). The warning flag is the code. Linker errors are reported (source
// "ld") only when ld names a source line; directories that make enters are
// followed, since make -C runs the compiler there.

func init() { register(800, func() Parser { return &gccParser{} }) }

const (
	gccMaxDirs     = 32
	gccMaxRelated  = 16
	gccSnippetSpan = 12 // lines after a diagnostic that may still be its snippet
)

type gccParser struct {
	dirs    []string  // directories make entered, innermost last
	context []Related // "required from" lines waiting for their diagnostic

	have    bool
	cur     Problem
	target  int  // whose markers may follow: -1 the diagnostic, i its note cur.Related[i], -2 none
	marked  bool // target got its range
	since   int  // lines since the last line of the block
	gutter  bool // a gcc-style `  12 |` snippet was seen
	bareSrc bool // a clang-style snippet (no gutter) was seen
}

func (*gccParser) Name() string { return "gcc" }

func (g *gccParser) Feed(line string, claimed bool, env *Env, out *Output) bool {
	if len(line) > 20 && (line[0] == 'm' || line[0] == 'g') && strings.Contains(line, "make") {
		g.makeDir(line)
	}
	if claimed {
		g.tick(env, out)
		return false
	}
	if natHasLoc(line) {
		if ok, handled := g.diagnostic(line, env, out); handled {
			return ok
		}
	}
	if !g.have {
		return gccContextLine(line)
	}
	if pipe := rustGutter(line); pipe >= 0 {
		g.gutter = true
		g.since = 0
		if pipe+2 <= len(line) {
			g.mark(line[pipe+2:])
		}
		return true
	}
	if strings.IndexByte(line, '^') >= 0 && natOnly(line, "^~ ") {
		g.bareSrc = true
		g.since = 0
		g.mark(line)
		return true
	}
	if gccSummary(line) {
		if strings.HasSuffix(line, " generated.") {
			g.bareSrc = true
		}
		g.Flush(env, out)
		return true
	}
	if gccContextLine(line) {
		return true
	}
	g.tick(env, out)
	return false
}

// tick ends the block when nothing of it came for a while.
func (g *gccParser) tick(env *Env, out *Output) {
	if g.have {
		if g.since++; g.since > gccSnippetSpan {
			g.Flush(env, out)
		}
	}
}

// diagnostic reads `file:line[:col]: severity: msg`. handled is false when
// the line is not a diagnostic at all.
func (g *gccParser) diagnostic(line string, env *Env, out *Output) (claimed, handled bool) {
	// GNU ld names itself first: "/usr/bin/ld: /abs/a.c:6: undefined
	// reference to `foo'".
	if i := strings.Index(line, "ld: "); i >= 0 && i < 64 && (i == 0 || line[i-1] == '/') && !strings.ContainsAny(line[:i], " \t") {
		line = line[i+len("ld: "):]
	}
	loc, ok := natSplitLoc(line, natLocStrict)
	if !ok {
		if loc, ok = gccSpacedLoc(line); !ok {
			return false, false
		}
	}
	rest := strings.TrimPrefix(loc.rest, " ")
	var sev Severity
	note, source := false, ""
	switch {
	case strings.HasPrefix(rest, "error: "):
		sev, rest = Error, rest[len("error: "):]
	case strings.HasPrefix(rest, "fatal error: "):
		sev, rest = Error, rest[len("fatal error: "):]
	case strings.HasPrefix(rest, "warning: "):
		sev, rest = Warning, rest[len("warning: "):]
	case strings.HasPrefix(rest, "note: "):
		note, rest = true, rest[len("note: "):]
	case strings.HasPrefix(rest, "remark: "):
		sev, rest = Info, rest[len("remark: "):]
	case strings.Contains(rest, "undefined reference to "), strings.Contains(rest, "multiple definition of "):
		sev, source = Error, "ld"
		if i := strings.Index(rest, "): "); strings.HasPrefix(rest, "(") && i > 0 {
			rest = rest[i+3:]
		}
	case strings.HasPrefix(loc.rest, "   "):
		// The instantiation chain ("a.cpp:12:7:   required from here") is
		// printed before the error it explains.
		if abs, ok := g.resolve(loc.path, env); ok && len(g.context) < gccMaxRelated {
			g.context = append(g.context, Related{Location: Location{File: abs, Line: loc.line, Column: loc.col}, Message: strings.TrimSpace(rest)})
		}
		return true, true
	default:
		return false, false
	}
	abs, ok := g.resolve(loc.path, env)
	if code, msg, other := gccForeignCode(rest); other {
		// Linters that print in gcc's format (shellcheck -f gcc) end with
		// their own code; their notes stand alone.
		g.Flush(env, out)
		if ok {
			if note {
				sev = Info
			}
			out.Problems = append(out.Problems, Problem{Location: Location{File: abs, Line: loc.line, Column: loc.col},
				Severity: sev, Message: msg, Source: genericSource, Code: code})
		}
		return true, true
	}
	if note {
		if !g.have {
			return true, true
		}
		g.since, g.marked = 0, false
		if ok && len(g.cur.Related) < gccMaxRelated {
			g.cur.Related = append(g.cur.Related, Related{Location: Location{File: abs, Line: loc.line, Column: loc.col}, Message: rest})
			g.target = len(g.cur.Related) - 1
		} else {
			g.target = -2
		}
		return true, true
	}
	g.Flush(env, out)
	if !ok {
		g.context = g.context[:0]
		return true, true
	}
	code := ""
	if i := strings.LastIndex(rest, " [-"); i >= 0 && strings.HasSuffix(rest, "]") {
		code, rest = rest[i+2:len(rest)-1], rest[:i]
	}
	g.have, g.since, g.marked = true, 0, false
	g.cur = Problem{Location: Location{File: abs, Line: loc.line, Column: loc.col},
		Severity: sev, Message: rest, Source: source, Code: code, Related: g.cur.Related[:0]}
	g.cur.Related = append(g.cur.Related, g.context...)
	g.context = g.context[:0]
	g.target = -1
	return true, true
}

// gccSpacedLoc reads the location of a diagnostic whose path has spaces
// ("my proj/a.c:1:25: error: ..."), which natSplitLoc's strict mode, made
// for the first token of a line, refuses: the path is everything before
// the first ":line[:col]: " that a severity follows. The caller checks
// that the file exists.
func gccSpacedLoc(line string) (natLoc, bool) {
	for i := 0; ; {
		j := strings.IndexByte(line[i:], ':')
		if j < 0 {
			return natLoc{}, false
		}
		i += j
		if i+1 < len(line) && line[i+1] >= '0' && line[i+1] <= '9' {
			ln, col, k := natLineCol(line, i)
			if k < len(line) && line[k] == ':' && ln > 0 {
				rest := line[k+1:]
				// As gcc prints it (and the gate looks for it): ": error: ".
				if strings.HasPrefix(rest, " ") && gccSeverityWord(rest[1:]) {
					path := strings.TrimSpace(line[:i])
					if path == "" {
						return natLoc{}, false
					}
					return natLoc{path: path, line: ln, col: col, rest: rest}, true
				}
			}
			return natLoc{}, false
		}
		i++
	}
}

// gccSeverityWord reports whether s starts with a compiler's severity.
func gccSeverityWord(s string) bool {
	for _, w := range [...]string{"error: ", "fatal error: ", "warning: ", "note: "} {
		if strings.HasPrefix(s, w) {
			return true
		}
	}
	return false
}

// gccForeignCode splits a trailing " [CODE]" that is not a compiler flag.
func gccForeignCode(msg string) (code, rest string, ok bool) {
	if !strings.HasSuffix(msg, "]") {
		return "", msg, false
	}
	i := strings.LastIndex(msg, " [")
	if i < 0 || strings.HasPrefix(msg[i+2:], "-") || strings.ContainsAny(msg[i+2:len(msg)-1], " [") {
		return "", msg, false
	}
	return msg[i+2 : len(msg)-1], msg[:i], i+3 < len(msg)
}

// mark takes the range from a marker line: the run of ^ and ~ that holds
// the caret, measured from the caret (which is at the printed column).
func (g *gccParser) mark(s string) {
	var target *Location
	switch {
	case g.marked || g.target < -1:
		return
	case g.target == -1:
		target = &g.cur.Location
	default:
		target = &g.cur.Related[g.target].Location
	}
	if target.Column == 0 {
		return
	}
	caret := strings.IndexByte(s, '^')
	if caret < 0 {
		return
	}
	g.marked = true
	_, end := natMarkerRun(s, caret, "^~")
	target.EndLine, target.EndColumn = target.Line, target.Column+end-caret
}

func (g *gccParser) resolve(p string, env *Env) (string, bool) {
	if len(g.dirs) > 0 && !strings.HasPrefix(p, "/") {
		sub := Env{Dir: g.dirs[len(g.dirs)-1], Roots: env.Roots, Exists: env.Exists}
		if abs, ok := sub.ResolveExisting(p); ok {
			return abs, true
		}
	}
	return env.ResolveExisting(p)
}

// makeDir follows "make[1]: Entering directory '/x'" and "Leaving".
func (g *gccParser) makeDir(line string) {
	i := strings.Index(line, ": Entering directory ")
	leaving := false
	if i < 0 {
		if i = strings.Index(line, ": Leaving directory "); i < 0 {
			return
		}
		leaving = true
	}
	if leaving {
		if len(g.dirs) > 0 {
			g.dirs = g.dirs[:len(g.dirs)-1]
		}
		return
	}
	dir := line[i+len(": Entering directory "):]
	dir = strings.Trim(dir, "'`\"‘’")
	if strings.HasPrefix(dir, "/") && len(g.dirs) < gccMaxDirs {
		g.dirs = append(g.dirs, dir)
	}
}

// gccContextLine recognizes the lines that frame diagnostics without being
// ones: "In file included from a.c:2:", "a.c: In function 'main':".
func gccContextLine(line string) bool {
	if n := len(line); n < 6 || line[n-1] != ':' && line[n-1] != ',' {
		return false
	}
	t := strings.TrimLeft(line, " ")
	switch {
	case strings.HasPrefix(t, "In file included from "):
		return true
	case t != line && strings.HasPrefix(t, "from ") && (strings.HasSuffix(t, ":") || strings.HasSuffix(t, ",")):
		return true
	case !strings.HasSuffix(t, ":"):
		return false
	}
	for _, ctx := range [...]string{": In function ", ": In member function ", ": In constructor ",
		": In destructor ", ": In instantiation of ", ": In lambda function", ": At top level:", ": At global scope:"} {
		if strings.Contains(t, ctx) {
			return true
		}
	}
	return false
}

// gccSourceFile reports whether a file is one a C-family compiler reads.
func gccSourceFile(p string) bool {
	i := strings.LastIndexByte(p, '.')
	if i < 0 {
		return false
	}
	switch p[i+1:] {
	case "c", "h", "cc", "cpp", "cxx", "c++", "hpp", "hh", "hxx", "h++", "ipp", "tpp", "inl",
		"C", "H", "m", "mm", "cu", "cuh", "s", "S", "i", "ii", "ino", "def", "inc":
		return true
	}
	return false
}

// gccSummary recognizes the compiler's closing lines.
func gccSummary(line string) bool {
	return strings.HasSuffix(line, " generated.") && (strings.Contains(line, " warning") || strings.Contains(line, " error")) ||
		line == "compilation terminated." ||
		strings.HasPrefix(line, "cc1: ") || strings.HasPrefix(line, "cc1plus: ")
}

func (g *gccParser) Flush(env *Env, out *Output) {
	if !g.have {
		return
	}
	g.Pending(env, out)
	g.have, g.target = false, -2
	g.gutter, g.bareSrc = false, false
}

// Pending shows the diagnostic whose location line was read; its notes,
// source line and caret amend it.
func (g *gccParser) Pending(_ *Env, out *Output) {
	if !g.have {
		return
	}
	p := g.cur
	if p.Source == "" {
		switch {
		case g.bareSrc && !g.gutter:
			p.Source = "clang"
		case g.gutter || gccSourceFile(p.File):
			p.Source = "gcc"
		default:
			// Other tools print gcc's format too (nasm, bison, linters).
			p.Source = genericSource
		}
	}
	if len(p.Related) > 0 {
		p.Related = append([]Related(nil), p.Related...)
	}
	out.Problems = append(out.Problems, p)
}

// lld (ld.lld, rust-lld, wasm-ld) reports a symbol error on one line and
// where it is referenced or defined on the ">>> " lines under it:
//
//	rust-lld: error: undefined symbol: missing_symbol
//	>>> referenced by main.rs:5 (src/main.rs:5)
//	>>>               /abs/target/debug/deps/app.o:(app::main)
//
// The path in parentheses is the one the compiler was given; objects
// without debug information give none ("referenced by a.o:(main)").
type lldError struct {
	tool string // "rust-lld"
	msg  string // "undefined symbol: missing_symbol"
}

// lldErrorLine reads "<tool>: error: undefined symbol: x" (or "duplicate
// symbol: x") of a linker of the lld family.
func lldErrorLine(t string) (lldError, bool) {
	tool, msg, ok := strings.Cut(t, ": error: ")
	if !ok || !strings.HasSuffix(tool, "lld") && !strings.HasSuffix(tool, "wasm-ld") || strings.ContainsAny(tool, " \t") {
		return lldError{}, false
	}
	if !strings.HasPrefix(msg, "undefined symbol: ") && !strings.HasPrefix(msg, "duplicate symbol: ") {
		return lldError{}, false
	}
	return lldError{tool: filepath.Base(tool), msg: msg}, true
}

type lldRef struct {
	path string // "" when the object had no line information
	line int
}

// lldReference reads ">>> referenced by main.rs:5 (src/main.rs:5)",
// ">>> defined at a.c:3 (/abs/a.c:3)" and their continuation lines.
func lldReference(t string) (lldRef, bool) {
	rest, ok := strings.CutPrefix(t, ">>> ")
	if !ok {
		return lldRef{}, false
	}
	for _, p := range [...]string{"referenced by ", "defined at "} {
		if r, ok := strings.CutPrefix(rest, p); ok {
			rest = r
			break
		}
	}
	rest = strings.TrimSpace(rest)
	// Prefer the path in parentheses: the basename comes first.
	if i := strings.LastIndex(rest, " ("); i >= 0 && strings.HasSuffix(rest, ")") {
		rest = rest[i+2 : len(rest)-1]
	}
	i := strings.LastIndexByte(rest, ':')
	if i <= 0 {
		return lldRef{}, true
	}
	n, err := strconv.Atoi(rest[i+1:])
	if err != nil || n <= 0 {
		return lldRef{}, true
	}
	return lldRef{path: rest[:i], line: n}, true
}
