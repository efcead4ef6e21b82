package detect

import (
	"encoding/json"
	"strings"
)

// Linters that print one problem per line, in shapes of their own (each
// verified on the tool's real output where it installs, testdata/<tool>):
//
//	ERROR: src/a.ts:1:5 - msg                     tslint prose
//	ERROR: (rule) /abs/a.ts[1, 5]: msg            tslint verbose (also without "ERROR: (rule) ")
//	[src/a.proto:3:1] msg                         protolint
//	[warn] src/a.js                               prettier --check (a warning on the file)
//	[error] src/a.js: SyntaxError: msg (3:5)      prettier
//	[ERROR] /abs/App.java:[5,17] msg              maven (javac through the compiler plugin)
//	[ERROR] /abs/App.java:5:17: msg [Rule]        checkstyle plain ([WARN] too)
//	error: cannot format PATH: Cannot parse: 1:6: text     black
//	would reformat PATH                           black --check
//	error file=PATH message=msg line=5 column=3   scalastyle, checkstyle's key=value
//	e: file:///abs/App.kt:12:5 msg                kotlinc through gradle (w: warnings)
//	PHP Parse error:  msg in PATH on line 3       php (also "Parse error: ...", "Warning: ...")
//	1796588209795 ERROR "src/A.svelte" 2:7 "msg"  svelte-check --output machine
//	path:1:1: C: [Correctable] Cop/Name: msg      rubocop (its code frame lines follow)
//	path:1:1: [warning] msg (rule)                yamllint -f parsable
//	path:3:1: warning: msg [SC2164]               shellcheck -f gcc
//	path - WARNING: msg on line 4 (check: x)      puppet-lint (the path only with several files)
//	PATH\t12\tSQL Injection\tHigh\tmsg            brakeman -f tabs
//	path:2 [W] Rule: msg                          haml-lint, slim-lint, dotenv-linter, fasterer
//
// Every path must be a file of the workspace (Env.ResolveExisting), so that
// times, ports and versions never match.

func init() { register(590, func() Parser { return &lintLineParser{} }) }

// lintLineParser reads the one-line shapes. A maven row is held (shown by
// Pending) while the lines javac prints under it ("  symbol:   variable
// x", "  location: class App", maybe after maven's "[ERROR] ") are added
// to its message, as the javac parser adds them to javac's own.
type lintLineParser struct {
	held  Problem
	holds bool
	more  int // lines added to held
}

func (*lintLineParser) Name() string { return "lint" }

func (p *lintLineParser) Flush(_ *Env, out *Output) { p.release(out) }

func (p *lintLineParser) Pending(_ *Env, out *Output) {
	if p.holds {
		out.Problems = append(out.Problems, p.held)
	}
}

func (p *lintLineParser) release(out *Output) {
	if p.holds {
		out.Problems = append(out.Problems, p.held)
		p.held, p.holds, p.more = Problem{}, false, 0
	}
}

func (*lintLineParser) gateInterest() gateInterest { return gateLintLine }
func (p *lintLineParser) gateBusy() bool           { return p.holds }

func (p *lintLineParser) Feed(line string, claimed bool, env *Env, out *Output) bool {
	if p.holds {
		if d, ok := javacDetail(line); ok && !claimed && p.more < jvmMaxLines {
			p.held.Message = natAppend(p.held.Message, d)
			p.more++
			return true
		}
		p.release(out)
	}
	if claimed || len(line) < 4 {
		return false
	}
	var prob Problem
	ok := false
	switch c := line[0]; {
	case c == 'E' || c == 'W':
		ok = lintTslint(line, env, &prob)
	case c == '[':
		ok = lintBracket(line, env, &prob)
	case c == 'e' || c == 'w':
		ok = lintLower(line, env, &prob)
	case c >= '0' && c <= '9' && lintSvelteMachine(line, env, &prob):
		ok = true
	}
	if !ok && strings.IndexByte("PFWNDRCS", line[0]) >= 0 {
		ok = lintPHP(line, env, &prob)
	}
	if !ok {
		ok = lintPathFirst(line, env, &prob)
	}
	if !ok {
		return false
	}
	jsRaise(out, severityLevel(prob.Severity))
	if prob.Source == "maven" {
		p.held, p.holds = prob, true
		return true
	}
	out.Problems = append(out.Problems, prob)
	return true
}

// javacDetail reads a line javac prints under a problem, "  symbol:   x"
// or "  required: int" (a word and a ':', indented), maybe after maven's
// "[ERROR] " or "[WARNING] ", and returns it trimmed.
func javacDetail(line string) (string, bool) {
	t := line
	if r, ok := strings.CutPrefix(t, "[ERROR] "); ok {
		t = r
	} else if r, ok := strings.CutPrefix(t, "[WARNING] "); ok {
		t = r
	}
	if !strings.HasPrefix(t, "  ") {
		return "", false
	}
	t = strings.TrimSpace(t)
	w, _, ok := strings.Cut(t, ":")
	if !ok || w == "" || strings.ContainsAny(w, " \t") {
		return "", false
	}
	return t, true
}

// lintProblem fills p at abs.
func lintProblem(p *Problem, abs string, ln, col int, sev Severity, msg, source, code string) bool {
	msg = strings.TrimSpace(msg)
	if msg == "" || ln <= 0 {
		return false
	}
	*p = Problem{Location: Location{File: abs, Line: ln, Column: col}, Severity: sev,
		Message: natClip(msg), Source: source, Code: code}
	return true
}

// lintSevWord reads a severity word, any case.
func lintSevWord(w string) (Severity, bool) {
	switch strings.ToLower(w) {
	case "error", "err", "e", "fatal", "f", "high":
		return Error, true
	case "warning", "warn", "w", "medium":
		return Warning, true
	case "info", "information", "i", "note", "notice", "weak", "low", "deprecated":
		return Info, true
	case "hint", "style":
		return Hint, true
	}
	return Error, false
}

// lintTslint reads tslint's prose and verbose rows.
func lintTslint(line string, env *Env, p *Problem) bool {
	sevw, rest, ok := strings.Cut(line, ": ")
	if !ok || sevw != "ERROR" && sevw != "WARNING" {
		return false
	}
	sev, _ := lintSevWord(sevw)
	code := ""
	if strings.HasPrefix(rest, "(") {
		i := strings.Index(rest, ") ")
		if i < 0 {
			return false
		}
		code, rest = rest[1:i], rest[i+2:]
	}
	// verbose: path[1, 5]: msg
	if i := strings.Index(rest, "]: "); i > 0 {
		if j := strings.LastIndexByte(rest[:i], '['); j > 0 {
			if ln, col, ok := lintPair(rest[j+1:i], ", "); ok {
				if abs, ok := env.ResolveExisting(rest[:j]); ok {
					return lintProblem(p, abs, ln, col, sev, rest[i+3:], "tslint", code)
				}
			}
		}
	}
	// prose: path:1:5 - msg
	if i := strings.Index(rest, " - "); i > 0 {
		if loc, ok := lintWholeLoc(rest[:i]); ok {
			if abs, ok := env.ResolveExisting(loc.path); ok {
				return lintProblem(p, abs, loc.line, loc.col, sev, rest[i+3:], "tslint", code)
			}
		}
	}
	return false
}

// lintWholeLoc reads s as one "path:line[:col]" and nothing else; the
// path has a '.' or a '/' (a file, not a time).
func lintWholeLoc(s string) (natLoc, bool) {
	if strings.ContainsAny(s, " \t") {
		return natLoc{}, false
	}
	loc, ok := natSplitLoc(s, natLocAny)
	if !ok || loc.rest != "" || !strings.HasPrefix(s, loc.path) || !strings.ContainsAny(loc.path, "./") {
		return natLoc{}, false
	}
	return loc, true
}

// lintPair reads "12<sep>5".
func lintPair(s, sep string) (int, int, bool) {
	a, b, ok := strings.Cut(s, sep)
	if !ok || !allDigits(a) || !allDigits(b) || a == "" || b == "" {
		return 0, 0, false
	}
	ln, _ := natAtoi(a)
	col, _ := natAtoi(b)
	return ln, col, true
}

// lintBracket reads the lines that start with '[': protolint, prettier,
// maven and checkstyle.
func lintBracket(line string, env *Env, p *Problem) bool {
	end := strings.IndexByte(line, ']')
	if end < 2 || end+2 > len(line) || line[end+1] != ' ' {
		return false
	}
	tag, rest := line[1:end], line[end+2:]
	switch tag {
	case "warn", "error":
		// prettier: "[warn] src/a.js" is a file --check would change;
		// "[error] src/a.js: SyntaxError: msg (3:5)".
		if tag == "warn" && !strings.ContainsAny(rest, " :") {
			abs, ok := env.ResolveExisting(rest)
			return ok && lintProblem(p, abs, 1, 0, Warning, "Code style issues: the file is not formatted (prettier --check)", "prettier", "")
		}
		path, msg, ok := strings.Cut(rest, ": ")
		if !ok || !strings.HasSuffix(msg, ")") {
			return false
		}
		i := strings.LastIndex(msg, " (")
		if i < 0 {
			return false
		}
		ln, col, ok := lintPair(msg[i+2:len(msg)-1], ":")
		if !ok {
			return false
		}
		abs, ok := env.ResolveExisting(path)
		return ok && lintProblem(p, abs, ln, col, Error, msg[:i], "prettier", "")
	case "ERROR", "WARNING", "WARN", "INFO":
		sev, _ := lintSevWord(tag)
		if tag == "INFO" {
			return false
		}
		// maven: "/abs/App.java:[5,17] msg"
		if i := strings.Index(rest, ":["); i > 0 {
			j := strings.Index(rest[i:], "] ")
			if j < 0 {
				return false
			}
			ln, col, ok := lintPair(rest[i+2:i+j], ",")
			if !ok {
				return false
			}
			abs, ok := env.ResolveExisting(rest[:i])
			return ok && lintProblem(p, abs, ln, col, sev, rest[i+j+2:], "maven", "")
		}
		// checkstyle: "/abs/App.java:5:17: msg [Rule]"
		loc, ok := natSplitLoc(rest, natLocStrict)
		if !ok {
			return false
		}
		abs, ok := env.ResolveExisting(loc.path)
		if !ok {
			return false
		}
		msg, code := lintTrailingCode(strings.TrimSpace(loc.rest), '[', ']')
		return lintProblem(p, abs, loc.line, loc.col, sev, msg, "checkstyle", code)
	}
	// protolint: "[path:3:1] msg"
	if loc, ok := lintWholeLoc(tag); ok {
		abs, ok := env.ResolveExisting(loc.path)
		return ok && lintProblem(p, abs, loc.line, loc.col, Error, rest, "protolint", "")
	}
	return false
}

// lintTrailingCode splits "msg [Rule]" (or "msg (rule)") at its last
// bracket.
func lintTrailingCode(msg string, open, close byte) (string, string) {
	if len(msg) < 3 || msg[len(msg)-1] != close {
		return msg, ""
	}
	i := strings.LastIndexByte(msg, open)
	if i < 1 || msg[i-1] != ' ' || strings.ContainsAny(msg[i+1:len(msg)-1], " ") || i+1 == len(msg)-1 {
		return msg, ""
	}
	return strings.TrimSpace(msg[:i]), msg[i+1 : len(msg)-1]
}

// lintLower reads black's, scalastyle's and kotlinc's lines.
func lintLower(line string, env *Env, p *Problem) bool {
	switch {
	case strings.HasPrefix(line, "error: cannot format "):
		// black: "error: cannot format PATH: Cannot parse: 1:6: text"
		rest := line[len("error: cannot format "):]
		path, msg, ok := strings.Cut(rest, ": ")
		if !ok {
			return false
		}
		abs, ok := env.ResolveExisting(path)
		if !ok {
			return false
		}
		ln, col := 1, 0
		if what, pos, ok := strings.Cut(msg, ": "); ok {
			if l, c, tail, ok := lintLineColPrefix(pos); ok {
				ln, col, msg = l, c, what+": "+tail
			}
		}
		return lintProblem(p, abs, ln, col, Error, msg, "black", "")
	case strings.HasPrefix(line, "would reformat "):
		abs, ok := env.ResolveExisting(line[len("would reformat "):])
		return ok && lintProblem(p, abs, 1, 0, Warning, "Code style issues: the file would be reformatted (black --check)", "black", "")
	case strings.HasPrefix(line, "error file=") || strings.HasPrefix(line, "warning file="):
		return lintKeyValue(line, env, p)
	case len(line) > 3 && (line[0] == 'e' || line[0] == 'w') && line[1] == ':' && line[2] == ' ':
		return lintKotlin(line, env, p)
	}
	return false
}

// lintLineColPrefix reads "1:6: rest".
func lintLineColPrefix(s string) (int, int, string, bool) {
	a, rest, ok := strings.Cut(s, ": ")
	if !ok {
		return 0, 0, "", false
	}
	ln, col, ok := lintPair(a, ":")
	return ln, col, rest, ok
}

// lintKeyValue reads scalastyle's "error file=PATH message=msg line=5
// column=3" (message may hold spaces; the keys after it end it).
func lintKeyValue(line string, env *Env, p *Problem) bool {
	sevw, rest, _ := strings.Cut(line, " ")
	sev, _ := lintSevWord(sevw)
	var path, msg, code string
	ln, col := 0, 0
	for rest != "" {
		key, val, ok := strings.Cut(rest, "=")
		if !ok || strings.Contains(key, " ") {
			return false
		}
		// The value runs to the next " key=".
		end := len(val)
		for _, k := range [...]string{" file=", " message=", " line=", " column=", " source=", " severity="} {
			if i := strings.Index(val, k); i >= 0 && i < end {
				end = i
			}
		}
		v := val[:end]
		rest = strings.TrimPrefix(val[end:], " ")
		switch key {
		case "file":
			path = v
		case "message":
			msg = v
		case "line":
			ln, _ = natAtoi(v)
		case "column":
			col, _ = natAtoi(v)
		case "source":
			code = v
		}
	}
	abs, ok := env.ResolveExisting(path)
	if !ok {
		return false
	}
	if ln == 0 {
		ln = 1 // a problem of the whole file
	}
	return lintProblem(p, abs, ln, col, sev, msg, "scalastyle", code)
}

// lintKotlin reads "e: file:///abs/App.kt:12:5 msg" and the older
// "e: /abs/App.kt: (12, 5): msg".
func lintKotlin(line string, env *Env, p *Problem) bool {
	sev := Error
	if line[0] == 'w' {
		sev = Warning
	}
	rest := line[3:]
	if i := strings.Index(rest, ": ("); i > 0 {
		j := strings.Index(rest[i:], "): ")
		if j > 0 {
			if ln, col, ok := lintPair(rest[i+3:i+j], ", "); ok {
				abs, ok := env.ResolveExisting(rest[:i])
				return ok && lintProblem(p, abs, ln, col, sev, rest[i+j+3:], "kotlinc", "")
			}
		}
	}
	loc, ok := natSplitLoc(rest, natLocAny)
	if !ok || !strings.HasPrefix(loc.rest, " ") || !strings.HasPrefix(rest, loc.path) {
		return false
	}
	abs, ok := env.ResolveExisting(loc.path)
	return ok && lintProblem(p, abs, loc.line, loc.col, sev, loc.rest, "kotlinc", "")
}

// lintPHP reads php's errors: "PHP Parse error:  msg in PATH on line 3"
// (the CLI's log on stderr) and "Parse error: msg in PATH on line 3" (its
// display), and "... in PATH:12" of an uncaught exception.
func lintPHP(line string, env *Env, p *Problem) bool {
	rest := strings.TrimPrefix(line, "PHP ")
	kind, msg, ok := phpKind(rest)
	if !ok {
		return false
	}
	sev := Error
	switch kind {
	case "Warning":
		sev = Warning
	case "Notice", "Deprecated", "Strict Standards":
		sev = Info
	}
	msg = strings.TrimSpace(msg)
	if i := strings.LastIndex(msg, " on line "); i > 0 {
		ln, n := natAtoi(msg[i+len(" on line "):])
		j := strings.LastIndex(msg[:i], " in ")
		if n == 0 || j < 0 {
			return false
		}
		abs, ok := env.ResolveExisting(msg[j+4 : i])
		return ok && lintProblem(p, abs, ln, 0, sev, msg[:j], "php", "")
	}
	// Uncaught exceptions: "... in /abs/a.php:12" (a stack trace follows).
	j := strings.LastIndex(msg, " in ")
	if j < 0 {
		return false
	}
	loc, ok := natSplitLoc(msg[j+4:], natLocAny)
	if !ok || loc.rest != "" || loc.col != 0 {
		return false
	}
	abs, ok := env.ResolveExisting(loc.path)
	return ok && lintProblem(p, abs, loc.line, 0, sev, msg[:j], "php", "")
}

// phpKinds are the levels php prints before an error's message.
var phpKinds = [...]string{"Parse error", "Fatal error", "Warning", "Notice", "Deprecated",
	"Recoverable fatal error", "Catchable fatal error", "Strict Standards"}

// phpKind splits "Parse error:  msg" into the level and the message.
func phpKind(s string) (kind, msg string, ok bool) {
	for _, k := range phpKinds {
		if len(s) > len(k)+2 && s[len(k)] == ':' && s[len(k)+1] == ' ' && strings.HasPrefix(s, k) {
			return k, s[len(k)+2:], true
		}
	}
	return "", "", false
}

// lintSvelteMachine reads svelte-check's machine output:
// `1796588209795 ERROR "src/App.svelte" 2:7 "msg"`.
func lintSvelteMachine(line string, env *Env, p *Problem) bool {
	ts, rest, ok := strings.Cut(line, " ")
	if !ok || !allDigits(ts) {
		return false
	}
	kind, rest, ok := strings.Cut(rest, " ")
	if !ok || kind != "ERROR" && kind != "WARNING" || !strings.HasPrefix(rest, `"`) {
		return false
	}
	i := strings.Index(rest, `" `)
	if i < 1 {
		return false
	}
	path := rest[1:i]
	pos, msg, ok := strings.Cut(rest[i+2:], " ")
	if !ok {
		return false
	}
	ln, col, ok := lintPair(pos, ":")
	if !ok {
		return false
	}
	var s string
	if json.Unmarshal([]byte(msg), &s) != nil {
		s = strings.Trim(msg, `"`)
	}
	abs, ok := env.ResolveExisting(path)
	sev, _ := lintSevWord(kind)
	return ok && lintProblem(p, abs, ln, col, sev, s, "svelte-check", "")
}
