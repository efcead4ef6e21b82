package detect

import (
	"path/filepath"
	"strings"
)

// Node.js crashes: an uncaught exception or unhandled rejection prints
//
//	/abs/file.js:2            (or file:///abs/file.mjs:2)
//	  return user.profile.name;
//	                      ^
//	<blank>
//	TypeError: Cannot read properties of undefined (reading 'name')
//	    at getName (/abs/file.js:2:23)
//	    at file:///abs/other.mjs:7:1
//
// The problem is the innermost stack frame inside the workspace; the header
// location is used when no frame is (syntax errors have only node:internal
// frames). The same "Error: msg" + "    at" block printed by console.error
// (or by test runners: mocha, node --test's spec reporter) is reported too.
// A message may go on over lines before the first frame (assertion diffs,
// "Require stack:"); they are kept, bounded (jsJoinMessage). nodemon and
// node --watch restarts start a cycle.

func init() { register(400, func() Parser { return &nodeParser{} }) }

// Bounds of a message joined from several lines.
const (
	jsMaxMessageLines = 10  // lines after the first
	jsMaxMessage      = 500 // bytes
)

type nodeParser struct {
	// header location and caret, before the error line
	hdrState int // 0 none, 1 got "file:line", 2 got the source line, 3 got the caret
	hdrFile  string
	hdrLine  int
	caretCol int // 0-based, -1 unknown
	caretLen int

	// thrown is the value a `throw` of no Error printed under the caret
	// ("oops", "{ a: 1 }"): hdrState 4 waits for node's "(Use `node
	// --trace-uncaught ...`" (or 5: the blank line, then "Node.js v20").
	thrown string

	inError bool
	// tentative: the error line had a prefix ("fatal: Error: x", as
	// console.error('fatal:', err) prints it); it is one only when a
	// stack frame follows at once.
	tentative bool
	// props counts the lines of the error's own properties, printed
	// after its frames ("    at x (a.js:1:2) {", "  code: 'E_X'", "}").
	props     int
	message   string
	code      string
	indent    int      // the error line's indentation
	more      []string // lines of the message after the first (bounded)
	preFrames int      // lines between the error line and the first frame
	frames    []Related

	// nested is set when the parser reads lines embedded in another
	// tool's output (node --test's TAP comments): no cycles there.
	nested bool

	nodemonStarted    bool
	nodemonRestarting bool

	// console is set inside a test runner's console section (jest's
	// "  console.error" block, vitest's "stderr | file > test"): what a
	// test logs, caught errors with their stacks included, is no problem.
	// 'j': jest's, until an unindented line; 'v': vitest's, until a blank
	// line.
	console byte
}

// nodeConsoleHeader recognises the line that opens a test runner's console
// section: jest's "  console.log" (indented by 4 under "  ● Console" when
// it runs several test files), vitest's "stderr | file > test".
func nodeConsoleHeader(line string) byte {
	if len(line) < 9 || line[0] != ' ' && line[0] != 's' {
		return 0
	}
	rest, ok := strings.CutPrefix(line, "  console.")
	if !ok {
		rest, ok = strings.CutPrefix(line, "    console.")
	}
	if ok && rest != "" {
		for i := 0; i < len(rest); i++ {
			if c := rest[i]; c < 'a' || c > 'z' {
				return 0
			}
		}
		return 'j'
	}
	if strings.HasPrefix(line, "stderr | ") || strings.HasPrefix(line, "stdout | ") {
		return 'v'
	}
	return 0
}

func (p *nodeParser) Name() string { return "node" }

func (p *nodeParser) Feed(line string, claimed bool, env *Env, out *Output) bool {
	if claimed {
		p.end(env, out)
		p.hdrState = 0
		p.console = 0
		return false
	}
	if k := nodeConsoleHeader(line); k != 0 {
		p.end(env, out)
		p.hdrState = 0
		p.console = k
		return false
	}
	if p.console != 0 {
		if p.console == 'j' && (line == "" || line[0] == ' ') || p.console == 'v' && strings.TrimSpace(line) != "" {
			return false
		}
		p.console = 0
	}
	if c := firstNonBlank(line); (c == 'c' || c == 's') && !p.inError && p.hdrState == 0 {
		// Taken for the console headers only (gateNode); idle, such a
		// line is nothing else to this parser.
		return false
	}
	if len(line) > 0 && (line[0] == '[' || line[0] == 'R') && !p.nested && p.cycle(line, env, out) {
		return true
	}
	if p.inError && p.tentative {
		p.tentative = false
		if !nodeIsFrame(line) {
			p.inError = false
		}
	}
	if p.inError && p.props > 0 {
		t := strings.TrimSpace(line)
		if t == "}" {
			p.end(env, out)
			return true
		}
		if p.props++; p.props <= 64 && t != "" && line[0] == ' ' {
			// An error's cause and its frames are printed in here too.
			if c, ok := strings.CutPrefix(t, "code: '"); ok && p.code == "" {
				if c, ok = strings.CutSuffix(strings.TrimSuffix(c, ","), "'"); ok && jsIsCode(c) && !strings.ContainsAny(c, " '") {
					p.code = c
				}
			}
			return true
		}
		p.end(env, out)
	}
	if p.inError {
		if nodeIsFrame(line) {
			if f, ok := jsParseAtFrame(line, env); ok && len(p.frames) < 64 {
				p.frames = append(p.frames, f)
			}
			p.preFrames = -1
			if strings.HasSuffix(line, " {") {
				p.props = 1
			}
			return true
		}
		// Multi-line messages ("Require stack:", assertion diffs) come
		// before the first frame; they are kept but left to other parsers
		// too, since an "XError: msg" line alone may be another tool's
		// (Python's). Anything else after frames ends the block.
		if p.preFrames >= 0 && p.preFrames < 40 && !nodeMaybeError(line) {
			if strings.TrimSpace(line) != "" {
				p.preFrames++
				if len(p.more) <= jsMaxMessageLines {
					p.more = append(p.more, line)
				}
			}
			return false
		}
		p.end(env, out)
	}
	switch p.hdrState {
	case 1:
		// The source line: not claimed, it may be anything.
		p.hdrState = 2
		return false
	case 2:
		if col, n, ok := jsCaret(line, '^'); ok {
			p.caretCol, p.caretLen = col, n
			p.hdrState = 3
			return true
		}
		p.hdrState = 0
	case 3:
		if line == "" {
			return false
		}
		if nodeMaybeError(line) && p.start(line, out) {
			return true
		}
		// A thrown value that is no Error prints itself.
		p.hdrState, p.thrown = 4, line
		if len(p.thrown) > jsMaxMessage {
			p.thrown = p.thrown[:jsMaxMessage] + "…"
		}
		return false
	case 4, 5:
		switch {
		case p.hdrState == 4 && strings.HasPrefix(line, "(Use `node --trace-uncaught"),
			p.hdrState == 5 && strings.HasPrefix(line, "Node.js v"):
			p.throwEnd(env, out)
			return true
		case p.hdrState == 4 && line == "":
			p.hdrState = 5
			return false
		}
		p.hdrState = 0
	}
	if nodeMaybeError(line) {
		p.start(line, out)
		return false
	}
	if i := nodePrefixedError(line); i > 0 && p.start(line[i:], out) {
		p.tentative = true
		return false
	}
	if n := len(line); n > 2 && line[n-1] >= '0' && line[n-1] <= '9' && (line[0] == '/' || strings.HasPrefix(line, "file://")) {
		if path, ln, col, ok := jsSplitLoc(line); ok && col == 0 {
			if abs, ok := env.Resolve(path); ok {
				p.hdrState, p.hdrFile, p.hdrLine, p.caretCol, p.caretLen = 1, abs, ln, -1, 0
				return true
			}
		}
	}
	return false
}

func nodeIsFrame(line string) bool {
	t := strings.TrimLeft(line, " \t")
	return len(t) < len(line) && strings.HasPrefix(t, "at ")
}

// nodeMaybeError is the cheap test before nodeErrorRe: an error name starts
// the (trimmed) line with a capital letter.
func nodeMaybeError(line string) bool {
	i := 0
	for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
		i++
	}
	if i == len(line) || line[i] < 'A' || line[i] > 'Z' || len(line) > 4096 {
		return false
	}
	return hasErrorWord(line[i:])
}

// hasErrorWord reports whether "Error" or "Exception" occurs in s: one
// search for their 'E'.
func hasErrorWord(s string) bool {
	for rest := s; ; {
		j := strings.IndexByte(rest, 'E')
		if j < 0 {
			return false
		}
		rest = rest[j:]
		if strings.HasPrefix(rest, "Error") || strings.HasPrefix(rest, "Exception") {
			return true
		}
		rest = rest[1:]
	}
}

// firstNonBlank is the first byte of line that is not a space or a tab, 0
// for a blank line.
func firstNonBlank(line string) byte {
	for i := 0; i < len(line); i++ {
		if c := line[i]; c != ' ' && c != '\t' {
			return c
		}
	}
	return 0
}

func (p *nodeParser) start(line string, out *Output) bool {
	m, ok := nodeSplitError(line)
	if !ok {
		return false
	}
	p.inError, p.tentative, p.preFrames, p.frames = true, false, 0, p.frames[:0]
	clear(p.more)
	p.more = p.more[:0]
	p.indent = len(line) - len(strings.TrimLeft(line, " \t"))
	p.code = ""
	if jsIsCode(m[2]) {
		p.code = m[2]
	}
	p.message = m[1]
	if m[3] != "" {
		p.message += ": " + strings.TrimSpace(m[3])
	}
	if p.hdrState == 3 {
		jsRaise(out, LevelError)
	}
	return true
}

// nodeSplitError reads a thrown value's first line: "TypeError: msg",
// "Error [ERR_X]: msg", "Uncaught SyntaxError: msg", "AbortError",
// "MyAppException: msg", "TypeError [Error]: msg" (node --test's spec
// reporter). It returns the submatches (name, code, message) of what
// would be this regexp (a test holds it to it; by hand it costs a tenth):
//
//	^\s*(?:Uncaught )?((?:[A-Z][A-Za-z0-9_$]*)?(?:Error|Exception))(?: \[([A-Za-z0-9_]+)\])?(?::(?: (.*))?)?$
func nodeSplitError(line string) ([4]string, bool) {
	var m [4]string
	i := 0
	for i < len(line) && isRegexpSpace(line[i]) {
		i++
	}
	if strings.HasPrefix(line[i:], "Uncaught ") {
		i += len("Uncaught ")
	}
	// The name is a whole identifier: what may follow it is none.
	start := i
	for i < len(line) && nodeIdentByte(line[i]) {
		i++
	}
	name := line[start:i]
	if name == "" || name[0] < 'A' || name[0] > 'Z' || !strings.HasSuffix(name, "Error") && !strings.HasSuffix(name, "Exception") {
		return m, false
	}
	m[1] = name
	rest := line[i:]
	if strings.HasPrefix(rest, " [") {
		j := 2
		for j < len(rest) && nodeIdentByte(rest[j]) && rest[j] != '$' {
			j++
		}
		if j == 2 || j == len(rest) || rest[j] != ']' {
			return m, false
		}
		m[2], rest = rest[2:j], rest[j+1:]
	}
	switch {
	case rest == "" || rest == ":":
	case strings.HasPrefix(rest, ": ") && strings.IndexByte(rest, '\n') < 0:
		m[3] = rest[2:]
	default:
		return m, false
	}
	m[0] = line
	return m, true
}

func nodeIdentByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '$'
}

func (p *nodeParser) cycle(line string, env *Env, out *Output) bool {
	switch {
	case strings.HasPrefix(line, "[nodemon] restarting"):
		p.nodemonRestarting = true
	case strings.HasPrefix(line, "[nodemon] starting `"):
		// The first start is no new cycle, nor the start that follows
		// "restarting" (that one began the cycle already).
		first, restarting := !p.nodemonStarted, p.nodemonRestarting
		p.nodemonStarted, p.nodemonRestarting = true, false
		if first || restarting {
			return true
		}
	case strings.HasPrefix(line, "Restarting '") && strings.HasSuffix(line, "'"): // node --watch
	default:
		return false
	}
	p.end(env, out)
	p.hdrState = 0
	out.CycleStart = true
	return true
}

func (p *nodeParser) end(env *Env, out *Output) {
	if !p.inError {
		return
	}
	p.Pending(env, out)
	p.inError, p.props = false, 0
	p.hdrState = 0
	clear(p.more) // they hold the lines' memory
	p.more = p.more[:0]
}

// Pending shows the error being read: at its first workspace frame once
// one was read (else where its header or message points); further frames
// and message lines amend it.
func (p *nodeParser) Pending(env *Env, out *Output) {
	if !p.inError {
		return
	}
	hdr := p.hdrState == 3
	more := p.more
	prob := Problem{Severity: Error, Message: p.message, Source: "node", Code: p.code}
	switch {
	case hdr && strings.HasPrefix(p.message, "SyntaxError") && env.exists(p.hdrFile):
		// Where the code does not parse; the frames are the loader's and
		// the require() that loaded it.
		prob.File, prob.Line = p.hdrFile, p.hdrLine
		if p.caretCol >= 0 {
			prob.Column = p.caretCol + 1
			if p.caretLen > 1 {
				prob.EndLine, prob.EndColumn = prob.Line, prob.Column+p.caretLen
			}
		}
		prob.Related = append([]Related(nil), p.frames...)
	case len(p.frames) > 0:
		prob.Location = p.frames[0].Location
		prob.Related = append([]Related(nil), p.frames[1:]...)
		if hdr && p.hdrFile == prob.File && p.hdrLine == prob.Line && p.caretLen > 1 && p.caretCol+1 == prob.Column {
			prob.EndLine, prob.EndColumn = prob.Line, prob.Column+p.caretLen
		}
	case hdr && env.exists(p.hdrFile):
		prob.File, prob.Line = p.hdrFile, p.hdrLine
		if p.caretCol >= 0 {
			prob.Column = p.caretCol + 1
			if p.caretLen > 1 {
				prob.EndLine, prob.EndColumn = prob.Line, prob.Column+p.caretLen
			}
		}
	default:
		loc, ok := nodeImporter(p.message, env)
		if !ok {
			return
		}
		prob.Location = loc
	}
	if len(more) > 0 {
		prob.Message = jsJoinMessage(p.message, more, p.indent)
	}
	out.Problems = append(out.Problems, prob)
}

// throwEnd reports a thrown value that is no Error at the header's place.
func (p *nodeParser) throwEnd(env *Env, out *Output) {
	p.hdrState = 0
	if !env.exists(p.hdrFile) {
		return
	}
	prob := Problem{Location: Location{File: p.hdrFile, Line: p.hdrLine}, Severity: Error,
		Message: "Uncaught " + p.thrown, Source: "node"}
	if p.caretCol >= 0 {
		prob.Column = p.caretCol + 1
	}
	out.Problems = append(out.Problems, prob)
	jsRaise(out, LevelError)
}

// nodeImporter places ESM's "Cannot find module '/abs/b.mjs' imported
// from /abs/a.mjs" (or "Cannot find package 'x' imported from ...") at the
// import in the importing file: node's frames are all its own.
func nodeImporter(msg string, env *Env) (Location, bool) {
	head, from, ok := strings.Cut(msg, " imported from ")
	if !ok {
		return Location{}, false
	}
	from, _, _ = strings.Cut(from, "\n")
	abs, ok := env.ResolveExisting(strings.TrimSpace(from))
	if !ok {
		return Location{}, false
	}
	loc := Location{File: abs, Line: 1, Column: 1}
	i := strings.IndexByte(head, '\'')
	j := strings.LastIndexByte(head, '\'')
	if i < 0 || j <= i {
		return loc, true
	}
	spec := head[i+1 : j]
	specs := []string{spec}
	if filepath.IsAbs(spec) {
		// node names the module by the path it resolved to.
		if rel, err := filepath.Rel(filepath.Dir(abs), spec); err == nil {
			if !strings.HasPrefix(rel, "../") {
				rel = "./" + rel
			}
			specs = []string{rel, strings.TrimSuffix(rel, filepath.Ext(rel))}
		}
	}
	for _, s := range specs {
		if l, c, ok := env.findImport(abs, s); ok {
			loc.Line, loc.Column = l, c
			break
		}
	}
	return loc, true
}

// nodePrefixedError finds an error line printed after a prefix
// ("fatal: Error: x", "[db] TypeError: y"): the index of the error's name,
// 0 when there is none.
func nodePrefixedError(line string) int {
	for off := 0; off < len(line); {
		j := strings.IndexByte(line[off:], 'E')
		if j < 0 {
			return 0
		}
		at := off + j
		off = at + 1
		var end int
		switch {
		case strings.HasPrefix(line[at:], "Error"):
			end = at + len("Error")
		case strings.HasPrefix(line[at:], "Exception"):
			end = at + len("Exception")
		default:
			continue
		}
		if end < len(line) && line[end] != ':' && line[end] != ' ' {
			continue
		}
		start := at
		for start > 0 && nodeIdentByte(line[start-1]) {
			start--
		}
		// An error's cause is printed inside it ("  [cause]: Error: x").
		if start > 1 && line[start-1] == ' ' && line[start] >= 'A' && line[start] <= 'Z' && !strings.HasSuffix(line[:start], "[cause]: ") {
			return start
		}
	}
	return 0
}

func (p *nodeParser) Flush(env *Env, out *Output) {
	p.end(env, out)
	p.hdrState = 0
}

// jsIsCode reports whether s looks like an error code (ERR_ASSERTION,
// ENOENT), not a name ("[Error]").
func jsIsCode(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'a' && c <= 'z' {
			return false
		}
	}
	return s != ""
}

// jsJoinMessage appends the further lines of a message to its first line,
// one per line: blank lines dropped, the indentation the whole block was
// printed with (up to indent spaces) removed, at most jsMaxMessageLines
// lines and about jsMaxMessage bytes ("…" marks a cut).
func jsJoinMessage(first string, more []string, indent int) string {
	var b strings.Builder
	b.WriteString(first)
	n := 0
	for _, l := range more {
		l = strings.TrimRight(l, " \t\r")
		i := 0
		for i < indent && i < len(l) && l[i] == ' ' {
			i++
		}
		if l = l[i:]; l == "" {
			continue
		}
		if n == jsMaxMessageLines || b.Len()+1+len(l) > jsMaxMessage {
			b.WriteString("\n…")
			break
		}
		b.WriteByte('\n')
		b.WriteString(l)
		n++
	}
	return b.String()
}

// jsParseAtFrame reads a V8 stack frame "    at fn (loc)" or "    at loc"
// and returns it when loc is an existing file in the workspace.
func jsParseAtFrame(line string, env *Env) (Related, bool) {
	t := strings.TrimSpace(line)
	t = strings.TrimPrefix(t, "at ")
	t = strings.TrimSuffix(t, " {") // the error's own properties follow
	fn := ""
	loc := t
	if strings.HasSuffix(t, ")") {
		if i := strings.LastIndex(t, " ("); i >= 0 {
			fn, loc = t[:i], t[i+2:len(t)-1]
		}
	}
	return jsFrameAt(fn, loc, env)
}

// jsFrameAt resolves "path:line:col" of a stack frame of function fn.
func jsFrameAt(fn, loc string, env *Env) (Related, bool) {
	path, ln, col, ok := jsSplitLoc(loc)
	if !ok || path == "" || path[0] == '<' || path[0] == '[' {
		return Related{}, false
	}
	abs, ok := env.ResolveExisting(path)
	if !ok {
		return Related{}, false
	}
	msg := "called from here"
	if fn != "" {
		msg = "at " + strings.TrimPrefix(fn, "async ")
	}
	return Related{Location: Location{File: abs, Line: ln, Column: col}, Message: msg}, true
}

// jsSplitLoc splits "path:line:col" or "path:line" (col is then 0).
func jsSplitLoc(s string) (path string, line, col int, ok bool) {
	i := strings.LastIndexByte(s, ':')
	if i <= 0 {
		return "", 0, 0, false
	}
	last, ok := jsAtoi(s[i+1:])
	if !ok {
		return "", 0, 0, false
	}
	j := strings.LastIndexByte(s[:i], ':')
	if j > 0 {
		if l, ok := jsAtoi(s[j+1 : i]); ok {
			return s[:j], l, last, l > 0
		}
	}
	return s[:i], last, 0, last > 0
}

// jsAtoi parses a small non-negative decimal number.
func jsAtoi(s string) (int, bool) {
	if s == "" || len(s) > 9 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// jsCaret reports the 0-based offset and length of a run of mark characters
// on a line made only of spaces and that mark ("      ^", "  ~~~~").
func jsCaret(line string, mark byte) (col, n int, ok bool) {
	col = -1
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case ' ', '\t':
			if col >= 0 && n > 0 && i > col+n-1 {
				// trailing spaces after the run are fine
				continue
			}
		case mark:
			if col < 0 {
				col = i
			} else if i != col+n {
				return 0, 0, false
			}
			n++
		default:
			return 0, 0, false
		}
	}
	return col, n, col >= 0
}

// jsRaise raises the level of the current line.
func jsRaise(out *Output, lv Level) {
	if lv > out.Level {
		out.Level = lv
	}
}
