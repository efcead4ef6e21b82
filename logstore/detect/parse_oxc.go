package detect

import "strings"

// rolldown and oxc (the bundler and transformer of vite 8, and of vitest 4
// through it) print a diagnostic as a "[CODE] message" line and a box whose
// top names the place, with a 1-based line and column (verified on rolldown
// 1.2 / vite 8.3 / vitest 4.1: the column is the first character of the
// labelled span):
//
//	[UNRESOLVED_IMPORT] Could not resolve './missing-mod' in src/main.ts
//	   ╭─[ src/main.ts:1:19 ]
//	   │
//	 1 │ import { x } from "./missing-mod";
//	   │                   ───────┬───────
//	   │                          ╰───────── Module not found.
//	───╯
//
// The path is relative to the process directory. The bracket holds an error
// kind (PARSE_ERROR, UNRESOLVED_IMPORT, EVAL) or, for errors of a vite
// build, the plugin (builtin:vite-transform); it becomes the problem's Code.
// oxc's own tools draw the box as miette does: "╭─[src/a.ts:1:20]" and
// "╰────" at the bottom.
//
// Errors follow "Build failed with 2 errors:" (rolldown's error, printed
// after vite build's "error during build:", vite's dependency scan and the
// rolldown CLI's " ERROR ") or "Transform failed with 1 error:" (vite's oxc
// plugin). A box anywhere else is a warning: rolldown's logs, as vite build
// prints them ("[EVAL] ...") and as the rolldown CLI does, with the place
// first ("src/main.ts (3:0) [EVAL] ...", a 0-based column).
//
// vite's and vitest's parsers read the boxes inside their own error blocks
// (they claim those lines); the others are reported as "rolldown".

// oxcMaxBox bounds the lines of one box.
const oxcMaxBox = 200

// oxcHeader splits a diagnostic's first line, "[CODE] message", maybe
// after rolldown's log prefix "(name plugin) path (line:col) " or vite's
// "[plugin name] ".
func oxcHeader(t string) (code, msg string, ok bool) {
	if t == "" {
		return "", "", false
	}
	if rest, ok := strings.CutPrefix(t, "[plugin "); ok {
		if i := strings.Index(rest, "] ["); i >= 0 {
			t = rest[i+2:]
		}
	}
	if t[0] != '[' {
		i := strings.Index(t, ") [")
		if i < 0 {
			return "", "", false
		}
		k := strings.LastIndexByte(t[:i], '(')
		if k < 1 || t[k-1] != ' ' || !oxcLineCol(t[k+1:i]) {
			return "", "", false
		}
		t = t[i+2:]
	}
	j := strings.Index(t, "] ")
	if j < 2 || j > 80 {
		return "", "", false
	}
	for i := 1; i < j; i++ {
		if c := t[i]; c == ' ' || c == '[' || c == ']' {
			return "", "", false
		}
	}
	msg = strings.TrimSpace(t[j+2:])
	if msg == "" {
		return "", "", false
	}
	return t[1:j], msg, true
}

// oxcIsCode reports whether s is an error kind or log code as rolldown
// names them: PARSE_ERROR, EVAL, UNRESOLVED_IMPORT.
func oxcIsCode(s string) bool {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; (c < 'A' || c > 'Z') && (c < '0' || c > '9') && c != '_' {
			return false
		}
	}
	return true
}

// oxcLineCol reports whether s is "digits:digits".
func oxcLineCol(s string) bool {
	i := strings.IndexByte(s, ':')
	if i < 0 {
		return false
	}
	_, ok1 := jsAtoi(s[:i])
	_, ok2 := jsAtoi(s[i+1:])
	return ok1 && ok2
}

// oxcBoxTop reads a box's top, "╭─[ path:line:col ]" (t is left-trimmed).
func oxcBoxTop(t string) (path string, line, col int, ok bool) {
	rest, found := strings.CutPrefix(t, "╭─")
	if !found {
		return "", 0, 0, false
	}
	for strings.HasPrefix(rest, "─") {
		rest = rest[len("─"):]
	}
	if len(rest) < 2 || rest[0] != '[' {
		return "", 0, 0, false
	}
	end := strings.LastIndexByte(rest, ']')
	if end < 0 {
		return "", 0, 0, false
	}
	s := strings.TrimSpace(rest[1:end])
	i := strings.LastIndexByte(s, ':')
	if i <= 0 {
		return "", 0, 0, false
	}
	j := strings.LastIndexByte(s[:i], ':')
	if j <= 0 {
		return "", 0, 0, false
	}
	l, ok1 := jsAtoi(s[j+1 : i])
	c, ok2 := jsAtoi(s[i+1:])
	if !ok1 || !ok2 || l == 0 {
		return "", 0, 0, false
	}
	return s[:j], l, c, true
}

// oxcBoxEnd reports whether t (left-trimmed) is a box's bottom: "───╯"
// (rolldown) or "╰────" (miette).
func oxcBoxEnd(t string) bool {
	t = strings.TrimRight(t, " ")
	switch {
	case strings.HasSuffix(t, "╯"):
		t = t[:len(t)-len("╯")]
	case strings.HasPrefix(t, "╰"):
		t = t[len("╰"):]
	default:
		return false
	}
	return strings.Trim(t, "─") == ""
}

// oxcBoxLine reports whether t (left-trimmed) can be a line inside a box:
// " 5 │ code", "│ ╰── label", "· ───" (miette), "⋮".
func oxcBoxLine(t string) bool {
	i := 0
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	if i > 0 {
		t = strings.TrimLeft(t[i:], " ")
	}
	// The box drawing characters, "⋮" and "·".
	return t != "" && t[0] == 0xe2 || strings.HasPrefix(t, "·")
}

// oxcFailedWith returns N of "... failed with N error(s):", else 0.
func oxcFailedWith(t string) int {
	i := strings.Index(t, "failed with ")
	if i < 0 {
		return 0
	}
	s := t[i+len("failed with "):]
	j := strings.IndexByte(s, ' ')
	if j < 0 || !strings.HasPrefix(s[j:], " error") {
		return 0
	}
	n, _ := jsAtoi(s[:j])
	return n
}

// oxcLoc resolves a box's place (1-based already).
func oxcLoc(env *Env, path string, line, col int) (Location, bool) {
	abs, ok := env.ResolveExisting(path)
	if !ok {
		return Location{}, false
	}
	return Location{File: abs, Line: line, Column: col}, true
}

// rolldownBoxes reads the boxes no block of vite or vitest took, for the
// vite parser, which sees the lines it needs anyway ('[' anywhere): a
// parser of its own would cost every "[1] GET /" line one more Feed.
type rolldownBoxes struct {
	errs  int // errors announced ("failed with 2 errors:") and not yet seen
	since int // lines since the announcement
	head  bool
	code  string // of the header just seen
	msg   string
	box   int // lines into a box whose bottom has not come yet; 0 outside
}

// rolldownMayStart is a quick look for what feed takes from an idle state:
// an announcement ("Build failed with", maybe indented), a header at the
// start of the line ("[CODE] msg", "src/a.ts (3:0) [CODE] msg").
func rolldownMayStart(line string) bool {
	i := 0
	for i < len(line) && line[i] == ' ' {
		i++
	}
	if i == len(line) {
		return false
	}
	switch c := line[i]; {
	case c == 'B' || c == 'T' || c == 'E':
		return true
	case c == '[':
		return i+1 < len(line) && line[i+1] >= 'A' && line[i+1] <= 'Z' || strings.HasPrefix(line[i:], "[plugin ")
	case i > 0 || c >= '0' && c <= '9':
		// The log prefix starts the line, with a path (not a time).
		return false
	}
	j := strings.IndexByte(line, '[')
	return j >= 2 && line[j-2] == ')' && line[j-1] == ' ' && j+1 < len(line) && line[j+1] >= 'A' && line[j+1] <= 'Z'
}

func (r *rolldownBoxes) busy() bool { return r.head || r.box > 0 || r.errs > 0 }

func (r *rolldownBoxes) reset() { *r = rolldownBoxes{} }

// feed reads a line no block took; true when it belongs to a box.
func (r *rolldownBoxes) feed(line string, env *Env, out *Output) bool {
	if !r.busy() && !rolldownMayStart(line) {
		return false
	}
	t := strings.TrimLeft(line, " ")
	if r.box > 0 {
		// The box's lines, to its bottom (or, cut short, to the first line
		// that cannot be in it).
		if r.box++; r.box <= oxcMaxBox && oxcBoxLine(t) {
			if oxcBoxEnd(t) {
				r.box = 0
			}
			return true
		}
		r.box = 0
	}
	if r.head {
		r.head = false
		if path, l, c, ok := oxcBoxTop(t); ok {
			sev := Warning
			if r.errs > 0 {
				sev = Error
				if r.errs--; r.errs == 0 {
					r.since = 0
				}
			}
			if loc, ok := oxcLoc(env, path, l, c); ok {
				out.Problems = append(out.Problems, Problem{Location: loc, Severity: sev, Message: r.msg, Source: "rolldown", Code: r.code})
				jsRaise(out, severityLevel(sev))
			}
			r.code, r.msg, r.box = "", "", 1
			return true
		}
		r.code, r.msg = "", ""
	}
	if r.errs > 0 {
		r.since++
		if r.since > 400 || strings.HasPrefix(t, "at ") {
			r.errs, r.since = 0, 0
		}
	}
	if t == "" {
		return false
	}
	switch t[0] {
	case 'B', 'T', 'E':
		// "Build failed with 2 errors:", " ERROR  Build failed with ...",
		// "Error: Transform failed with 1 error:".
		if n := oxcFailedWith(t); n > 0 {
			r.errs, r.since = n, 0
			return false
		}
	}
	// Announced errors may be a plugin's ("[builtin:vite-transform]" in
	// vite build --watch); otherwise only rolldown's own codes head a box
	// ("[1] GET /" and the like are no header).
	if code, msg, ok := oxcHeader(t); ok && (r.errs > 0 || oxcIsCode(code)) {
		r.head, r.code, r.msg = true, code, msg
	}
	return false
}
