package detect

import "strings"

// The JVM compilers print a problem as a location line, more lines of
// message, the source line and a caret under the column (verified on
// javac 17 and scalac 2.11, testdata/javac, testdata/scalac):
//
//	scala/Main.scala:3: error: type mismatch;
//	 found   : String("three")
//	 required: Int
//	    val n: Int = "three"
//	                 ^
//	App.java:6: error: cannot find symbol
//	        System.out.println(missing);
//	                           ^
//	  symbol:   variable missing
//
// sbt prints scalac's blocks with a column and each line behind its level,
// "[error] /abs/Main.scala:3:18: type mismatch;" ... "[error]     ^", and
// ends with "[error] (Compile / compileIncremental) Compilation failed"
// (testdata/sbt, from sbt's documented output: sbt does not install here).
// The problem is shown from the location line on (Pending) and amended by
// the lines after it: the message grows, the caret sets the column.

func init() { register(580, func() Parser { return &jvmParser{} }) }

const jvmMaxLines = 24 // lines a block may hold before its caret

type jvmParser struct {
	open   bool
	prefix string // sbt's "[error] " or "[warn] " on every line of the block
	prob   Problem
	lines  []string // the lines after the location line, before the caret
	caret  bool
	after  []string // javac's "symbol:" and "location:" lines after the caret
}

func (*jvmParser) Name() string { return "jvm" }

func (*jvmParser) gateInterest() gateInterest { return gateJvm }
func (p *jvmParser) gateBusy() bool           { return p.open }

func (p *jvmParser) Flush(_ *Env, out *Output) { p.end(out) }

func (p *jvmParser) Pending(_ *Env, out *Output) {
	if p.open {
		out.Problems = append(out.Problems, p.problem())
	}
}

// problem is the block's problem as read so far.
func (p *jvmParser) problem() Problem {
	pr := p.prob
	msg := pr.Message
	n := len(p.lines)
	if p.caret && n > 0 {
		n-- // the source line
	}
	for _, l := range p.lines[:n] {
		msg = natAppend(msg, strings.TrimRight(l, " "))
	}
	for _, l := range p.after {
		msg = natAppend(msg, strings.TrimSpace(l))
	}
	pr.Message = msg
	return pr
}

func (p *jvmParser) end(out *Output) {
	if !p.open {
		return
	}
	out.Problems = append(out.Problems, p.problem())
	p.open, p.prefix, p.caret = false, "", false
	p.lines, p.after = p.lines[:0], p.after[:0]
}

// jvmSource names the compiler of a source file; "" for other files.
func jvmSource(path string) string {
	switch {
	case strings.HasSuffix(path, ".java"):
		return "javac"
	case strings.HasSuffix(path, ".scala") || strings.HasSuffix(path, ".sc"):
		return "scalac"
	case strings.HasSuffix(path, ".kt") || strings.HasSuffix(path, ".kts"):
		return "kotlinc"
	case strings.HasSuffix(path, ".groovy"):
		return "groovyc"
	}
	return ""
}

// jvmPrefix splits sbt's level off a line.
func jvmPrefix(line string) (prefix, rest string) {
	if len(line) > 6 && line[0] == '[' {
		for _, pre := range [...]string{"[error] ", "[warn] ", "[error]", "[warn]"} {
			if strings.HasPrefix(line, pre) {
				return pre, line[len(pre):]
			}
		}
	}
	return "", line
}

func (p *jvmParser) Feed(line string, claimed bool, env *Env, out *Output) bool {
	if claimed {
		p.end(out)
		return false
	}
	prefix, text := jvmPrefix(line)
	if p.open {
		if p.continues(prefix, text) {
			return true
		}
		p.end(out)
	}
	return p.start(prefix, text, env)
}

// continues takes a line of the open block.
func (p *jvmParser) continues(prefix, text string) bool {
	if strings.TrimRight(prefix, " ") != strings.TrimRight(p.prefix, " ") || strings.TrimSpace(text) == "" {
		return false
	}
	if p.caret {
		// javac's "  symbol:   variable missing", "  location: class App".
		if strings.HasPrefix(text, "  ") && len(p.after) < 8 {
			if w, _, ok := strings.Cut(strings.TrimSpace(text), ":"); ok && !strings.Contains(w, " ") {
				p.after = append(p.after, text)
				return true
			}
		}
		return false
	}
	if t := strings.TrimLeft(text, " \t"); natOnly(t, "^") && len(p.lines) > 0 {
		p.caret = true
		if p.prob.Column == 0 {
			p.prob.Column = len(text) - len(t) + 1
		}
		return true
	}
	if len(p.lines) >= jvmMaxLines || p.looksLikeStart(text) {
		return false
	}
	p.lines = append(p.lines, text)
	return true
}

// looksLikeStart is a cheap check for the lines that end a block without
// a caret: a next location line or the compiler's count.
func (p *jvmParser) looksLikeStart(text string) bool {
	if strings.HasSuffix(text, " errors found") || strings.HasSuffix(text, " error found") ||
		strings.HasSuffix(text, " errors") || strings.HasSuffix(text, " error") ||
		strings.HasSuffix(text, " warnings") || strings.HasSuffix(text, " warning") {
		return true
	}
	loc, ok := natSplitLoc(text, natLocStrict)
	return ok && jvmSource(loc.path) != ""
}

// start reads a location line.
func (p *jvmParser) start(prefix, text string, env *Env) bool {
	if text == "" || text[0] == ' ' || text[0] == '\t' {
		return false
	}
	loc, ok := natSplitLoc(text, natLocStrict)
	if !ok {
		return false
	}
	source := jvmSource(loc.path)
	if source == "" {
		return false
	}
	msg := strings.TrimPrefix(loc.rest, " ")
	sev := Error
	switch {
	case strings.HasPrefix(msg, "error: "):
		msg = msg[len("error: "):]
	case strings.HasPrefix(msg, "warning: "):
		sev, msg = Warning, msg[len("warning: "):]
	case prefix != "":
		// sbt puts the level in front.
		if strings.HasPrefix(prefix, "[warn]") {
			sev = Warning
		}
	default:
		return false
	}
	if strings.TrimSpace(msg) == "" {
		return false
	}
	abs, ok := env.ResolveExisting(loc.path)
	if !ok {
		return false
	}
	p.open, p.prefix, p.caret = true, prefix, false
	p.lines, p.after = p.lines[:0], p.after[:0]
	p.prob = Problem{Location: Location{File: abs, Line: loc.line, Column: loc.col}, Severity: sev,
		Message: strings.TrimSpace(msg), Source: source}
	return true
}
