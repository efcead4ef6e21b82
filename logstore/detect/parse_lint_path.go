package detect

import "strings"

// lintPathFirst reads the shapes that start with the path: rubocop,
// yamllint, shellcheck (gcc format), puppet-lint, brakeman's tabs and the
// column-less "path:line message" of haml-lint, slim-lint, dotenv-linter
// and fasterer.
func lintPathFirst(line string, env *Env, p *Problem) bool {
	if line[0] == ' ' || line[0] == '\t' {
		return false
	}
	// Every shape starts with a path: its first token has a '.' or '/'.
	tok := line
	if i := strings.IndexAny(line, " \t"); i >= 0 {
		tok = line[:i]
	}
	if !strings.ContainsAny(tok, "./") {
		return false
	}
	if i := strings.IndexByte(line, '\t'); i > 0 {
		return lintBrakeman(line, env, p)
	}
	if i := strings.Index(line, "]: "); i > 0 && line[i-1] >= '0' && line[i-1] <= '9' {
		// tslint's verbose row without its severity: "src/a.ts[3, 9]: msg".
		return lintTslint("ERROR: "+line, env, p)
	}
	if i := strings.Index(line, " - "); i > 0 && !strings.ContainsAny(line[:i], " :") {
		return lintPuppet(line[:i], line[i+3:], env, p)
	}
	loc, ok := natSplitLoc(line, natLocStrict)
	if ok {
		if loc.col == 0 {
			return false // mypy and the generic fallback read "path:line: msg"
		}
		return lintStrict(loc, env, p)
	}
	// "path:12 msg": the first token ends in ":digits". A line that ends
	// with ':' announces more (pydocstyle's place, read in groups).
	sp := len(tok)
	if sp < 3 || sp == len(line) || line[sp] != ' ' || line[len(line)-1] == ':' {
		return false
	}
	c := strings.IndexByte(tok, ':')
	if c < 1 || c == len(tok)-1 || !allDigits(tok[c+1:]) || !strings.ContainsAny(tok[:c], "./") {
		return false
	}
	if !lintLooksLikeFile(tok[:c]) {
		return false
	}
	ln, _ := natAtoi(tok[c+1:])
	abs, ok := env.ResolveExisting(tok[:c])
	if !ok {
		return false
	}
	msg := strings.TrimSpace(line[sp+1:])
	sev, code, source := Warning, "", lintSourceOf(abs)
	// haml-lint and slim-lint: "[W] RuleName: msg"
	if len(msg) > 4 && msg[0] == '[' && msg[2] == ']' && msg[3] == ' ' {
		sev, _ = lintSevWord(msg[1:2])
		msg = msg[4:]
	}
	// "RuleName: msg" (dotenv-linter, the two above).
	if name, m, ok := strings.Cut(msg, ": "); ok && lintIsRuleName(name) {
		code, msg = name, m
	}
	// Without a rule, only fasterer's verdicts: a log line such as
	// "app.py:42 started" (a logger's file:line) is no problem.
	if code == "" && (source != "fasterer" || !strings.Contains(msg, " slower ") && !strings.Contains(msg, " faster ")) {
		return false
	}
	return lintProblem(p, abs, ln, 0, sev, msg, source, code)
}

// lintLooksLikeFile reports whether p names a file rather than a version
// ("v1.2"): it has a directory, is a dotfile, or has an extension that
// starts with a letter.
func lintLooksLikeFile(p string) bool {
	if strings.IndexByte(p, '/') >= 0 || strings.HasPrefix(p, ".") {
		return true
	}
	i := strings.LastIndexByte(p, '.')
	return i >= 0 && i+1 < len(p) && (p[i+1]|0x20 >= 'a' && p[i+1]|0x20 <= 'z')
}

// lintIsRuleName reports whether s is a CamelCase (or dotted/slashed)
// rule name.
func lintIsRuleName(s string) bool {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '/' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// lintSourceOf names the linter of a column-less "path:line msg" row by
// the file it is about.
func lintSourceOf(abs string) string {
	base := abs[strings.LastIndexByte(abs, '/')+1:]
	switch {
	case strings.HasSuffix(base, ".haml"):
		return "haml-lint"
	case strings.HasSuffix(base, ".slim"):
		return "slim-lint"
	case strings.HasPrefix(base, ".env") || strings.HasSuffix(base, ".env"):
		return "dotenv-linter"
	case strings.HasSuffix(base, ".rb"):
		return "fasterer"
	}
	return "lint"
}

// lintStrict reads the "path:line:col: ..." rows of rubocop, yamllint and
// shellcheck, which the generic fallback would take without their
// severity and code.
func lintStrict(loc natLoc, env *Env, p *Problem) bool {
	rest := strings.TrimPrefix(loc.rest, " ")
	switch {
	case len(rest) > 3 && rest[1] == ':' && rest[2] == ' ' && strings.IndexByte("CWEFRI", rest[0]) >= 0:
		// rubocop: "C: [Correctable] Style/Cop: msg"
		sev := Info
		switch rest[0] {
		case 'W':
			sev = Warning
		case 'E', 'F':
			sev = Error
		}
		msg := strings.TrimPrefix(rest[3:], "[Correctable] ")
		msg = strings.TrimPrefix(msg, "[Corrected] ")
		cop, m, ok := strings.Cut(msg, ": ")
		if !ok || !strings.Contains(cop, "/") || !lintIsRuleName(cop) {
			return false
		}
		abs, ok := env.ResolveExisting(loc.path)
		return ok && lintProblem(p, abs, loc.line, loc.col, sev, m, "rubocop", cop)
	case strings.HasPrefix(rest, "[") && (strings.HasSuffix(loc.path, ".yaml") || strings.HasSuffix(loc.path, ".yml")):
		// yamllint: "[warning] msg (rule)"
		end := strings.IndexByte(rest, ']')
		if end < 0 {
			return false
		}
		sev, ok := lintSevWord(rest[1:end])
		if !ok {
			return false
		}
		abs, ok := env.ResolveExisting(loc.path)
		msg, code := lintTrailingCode(strings.TrimSpace(rest[end+1:]), '(', ')')
		return ok && lintProblem(p, abs, loc.line, loc.col, sev, msg, "yamllint", code)
	case strings.HasSuffix(rest, "]") && strings.Contains(rest, " [SC"):
		// shellcheck: "warning: msg [SC2164]"; its note is info or style.
		kind, msg, ok := strings.Cut(rest, ": ")
		if !ok {
			return false
		}
		sev, ok := lintSevWord(kind)
		if !ok {
			return false
		}
		abs, ok := env.ResolveExisting(loc.path)
		msg, code := lintTrailingCode(msg, '[', ']')
		return ok && lintProblem(p, abs, loc.line, loc.col, sev, msg, "shellcheck", code)
	}
	return false
}

// lintPuppet reads puppet-lint's "path - WARNING: msg on line 4 (check: x)"
// (the check in parentheses when its log format asks for it).
func lintPuppet(path, rest string, env *Env, p *Problem) bool {
	kind, msg, ok := strings.Cut(rest, ": ")
	if !ok || kind != "ERROR" && kind != "WARNING" {
		return false
	}
	sev, _ := lintSevWord(kind)
	code := ""
	if strings.HasSuffix(msg, ")") {
		if i := strings.LastIndex(msg, " (check: "); i > 0 {
			msg, code = msg[:i], msg[i+len(" (check: "):len(msg)-1]
		}
	}
	i := strings.LastIndex(msg, " on line ")
	if i < 0 {
		return false
	}
	ln, n := natAtoi(msg[i+len(" on line "):])
	if n == 0 {
		return false
	}
	abs, ok := env.ResolveExisting(path)
	return ok && lintProblem(p, abs, ln, 0, sev, msg[:i], "puppet-lint", code)
}

// lintBrakeman reads brakeman's tabs report: PATH, LINE, check,
// confidence, message.
func lintBrakeman(line string, env *Env, p *Problem) bool {
	f := strings.SplitN(line, "\t", 5)
	if len(f) != 5 || !allDigits(f[1]) || f[1] == "" {
		return false
	}
	sev, ok := lintSevWord(f[3])
	if !ok {
		return false
	}
	ln, _ := natAtoi(f[1])
	abs, ok := env.ResolveExisting(f[0])
	return ok && lintProblem(p, abs, ln, 0, sev, f[4], "brakeman", f[2])
}
