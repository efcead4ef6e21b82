package detect

import (
	"path/filepath"
	"slices"
	"strings"
)

// Rust: rustc diagnostics as cargo and rustc print them (human format) and
// panics. Compile problems have source "rustc" and the error code
// (E0308) or the lint name (unused_mut) as code; panics have source
// "rust", like the runtime that prints them.

func init() { register(600, func() Parser { return &rustParser{} }) }

const (
	rustSource      = "rustc"
	rustPanicSource = "rust"
	rustMaxLines    = 200 // lines of one block before it is cut
	rustMaxRelated  = 16
	rustMaxPackages = 8
)

type rustState uint8

const (
	rustIdle rustState = iota
	rustDiag
	rustPanic
)

type rustParser struct {
	state rustState
	lines int
	// Package directories from cargo's "Compiling app v0.1.0 (/abs/app)":
	// paths are relative to them (or their workspace root) when cargo runs
	// from elsewhere, as with --manifest-path.
	pkgDirs []string
	// crateDirs are the dirs with a Cargo.toml under the process's
	// directory, for `cd crate && cargo build -q` (no Compiling lines);
	// nil until a path resolves no other way.
	crateDirs []string
	d         rustDiagnostic
	p         rustPanicBlock
	// rustc names a lint ("= note: `#[warn(unused_variables)]` on by
	// default") under its first warning only: the lints seen, by the
	// shape of their message ("unused variable: ``"), name the later ones.
	lints map[string]string
}

const rustMaxLints = 64

// lintCode gives p the lint name of an earlier warning of the same shape
// when rustc printed none for it, and learns the name when it did.
func (r *rustParser) lintCode(p *Problem) {
	first, _, _ := strings.Cut(p.Message, "\n")
	if p.Code != "" && !rustIsErrorCode(p.Code) {
		if r.lints == nil {
			r.lints = make(map[string]string)
		}
		if len(r.lints) < rustMaxLints {
			r.lints[rustMessageShape(first)] = p.Code
		}
		return
	}
	if p.Code == "" && r.lints != nil {
		p.Code = r.lints[rustMessageShape(first)]
	}
}

// rustMessageShape is msg without what its backquotes hold.
func rustMessageShape(msg string) string {
	if strings.IndexByte(msg, '`') < 0 {
		return msg
	}
	var b strings.Builder
	in := false
	for i := 0; i < len(msg); i++ {
		c := msg[i]
		if c == '`' {
			in = !in
		}
		if !in || c == '`' {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// rustIsErrorCode reports whether code is rustc's "E0308" form.
func rustIsErrorCode(code string) bool {
	if len(code) != 5 || code[0] != 'E' {
		return false
	}
	for i := 1; i < 5; i++ {
		if code[i] < '0' || code[i] > '9' {
			return false
		}
	}
	return true
}

// rustDiagnostic is one `error[E0308]: msg` block being read.
type rustDiagnostic struct {
	sev      Severity
	code     string
	msg      string
	have     bool // primary location known
	loc      Location
	notes    []string
	related  []Related
	sub      string // a note:/help: sub-diagnostic waiting for its --> line
	noteOpen bool   // the last line was a "= note:" that may continue

	// The snippet of the current --> section.
	primarySection bool
	file           string // resolved file of the section ("" outside the workspace)
	codeLine       int    // line number of the last code line
	codeText       string
	afterCode      bool // the previous line was a code line
	runs           []rustRun

	// A primary span over several lines: drawn from a " ____^" line under
	// its first code line (the code is then shifted by a two-column
	// gutter) to a "|____^ label" line under its last.
	multiMain          bool // the main run starts a multi-line span
	endLine, endColumn int  // its end (exclusive), once drawn
	endLabel           string

	// "error: linking with `cc` failed" has no location of its own; its
	// notes hold the linker's ("rust-lld: error: undefined symbol: f",
	// ">>> referenced by main.rs:5 (src/main.rs:5)").
	link     lldError
	linkRefs []Location
}

// rustRun is one underline (^^^ or ---) under a code line.
type rustRun struct {
	start, end int // byte offsets in the code text
	primary    bool
	line       int
	file       string
	label      string
	mainSpan   bool // the primary run of the primary section
	mainFrom   int  // where the primary span starts in the drawing
}

func (*rustParser) Name() string { return "rust" }

func (r *rustParser) Feed(line string, claimed bool, env *Env, out *Output) bool {
	switch r.state {
	case rustDiag:
		if claimed {
			r.Flush(env, out)
			return false
		}
		if r.lines++; r.lines > rustMaxLines {
			r.Flush(env, out)
		} else if r.diagLine(line, env) {
			return true
		} else {
			r.Flush(env, out)
		}
	case rustPanic:
		if !claimed && r.panicLine(line, env) {
			return true
		}
		r.Flush(env, out)
	}
	if claimed || len(line) < 6 {
		return false
	}
	switch line[0] {
	case ' ':
		// A build script's panic comes indented under cargo's
		// "--- stderr".
		if t := strings.TrimLeft(line, " "); strings.HasPrefix(t, "thread '") {
			return r.startPanic(t, env, len(line)-len(t))
		}
		r.packageLine(line)
		return false
	case 'e', 'w':
		if dir, ok := strings.CutPrefix(line, "error: failed to run custom build command for `"); ok {
			// "... for `app v0.1.0 (/abs/app)`": the build script's
			// package, where its paths are relative to.
			r.packageLine("   Compiling " + strings.TrimSuffix(dir, "`"))
		}
		return r.startDiag(line)
	case 't':
		return r.startPanic(line, env, 0)
	case 'n':
		// cargo test: a #[should_panic] test that returned normally.
		if at, ok := strings.CutPrefix(line, "note: test did not panic as expected at "); ok {
			if loc, ok := natSplitLoc(at, natLocAny); ok {
				if abs, ok := r.resolve(env, loc.path); ok {
					out.Problems = append(out.Problems, Problem{Location: Location{File: abs, Line: loc.line, Column: loc.col},
						Severity: Error, Message: "test did not panic as expected", Source: rustPanicSource})
					return true
				}
			}
		}
		return false
	}
	return r.shortDiag(line, env, out)
}

// shortDiag reads the short message format (cargo --message-format=short,
// rustc --error-format=short): "src/main.rs:8:12: error[E0308]: msg".
func (r *rustParser) shortDiag(line string, env *Env, out *Output) bool {
	i := strings.Index(line, ".rs:")
	if i < 0 || i+4 >= len(line) || line[i+4] < '0' || line[i+4] > '9' {
		return false
	}
	loc, ok := natSplitLoc(line, natLocStrict)
	if !ok || !strings.HasSuffix(loc.path, ".rs") {
		return false
	}
	sev, code, msg, ok := rustHeader(strings.TrimPrefix(loc.rest, " "))
	if !ok {
		return false
	}
	abs, ok := r.resolve(env, loc.path)
	if !ok {
		return false
	}
	out.Problems = append(out.Problems, Problem{Location: Location{File: abs, Line: loc.line, Column: loc.col},
		Severity: sev, Message: strings.TrimSpace(msg), Source: rustSource, Code: code})
	return true
}

// packageLine records the directory of "   Compiling app v0.1.0 (/abs/app)".
func (r *rustParser) packageLine(line string) {
	t := strings.TrimLeft(line, " ")
	if !strings.HasPrefix(t, "Compiling ") && !strings.HasPrefix(t, "Checking ") || !strings.HasSuffix(t, ")") {
		return
	}
	i := strings.LastIndex(t, " (/")
	if i < 0 {
		return
	}
	dir := t[i+2 : len(t)-1]
	if slices.Contains(r.pkgDirs, dir) {
		return
	}
	if len(r.pkgDirs) >= rustMaxPackages {
		r.pkgDirs = r.pkgDirs[1:]
	}
	r.pkgDirs = append(r.pkgDirs, dir)
}

// resolve finds a path cargo printed: from the process's directory up,
// then from the packages it compiled up.
func (r *rustParser) resolve(env *Env, p string) (string, bool) {
	if abs, ok := natResolveUp(env, p); ok || filepath.IsAbs(p) {
		return abs, ok
	}
	for i := len(r.pkgDirs) - 1; i >= 0; i-- {
		if abs, ok := natResolveFrom(env, r.pkgDirs[i], p); ok {
			return abs, true
		}
	}
	if r.crateDirs == nil {
		r.crateDirs = append(natFindManifestDirs(env.Dir, "Cargo.toml"), "")
	}
	for _, d := range r.crateDirs {
		if d == "" {
			continue
		}
		if abs, ok := natResolveFrom(env, d, p); ok {
			return abs, true
		}
	}
	return "", false
}

// startDiag takes `error[E0308]: msg`, `error: msg` and `warning: msg`.
func (r *rustParser) startDiag(line string) bool {
	sev, code, msg, ok := rustHeader(line)
	if !ok {
		return false
	}
	r.state, r.lines = rustDiag, 0
	r.d = rustDiagnostic{sev: sev, code: code, msg: strings.TrimSpace(msg),
		notes: r.d.notes[:0], related: r.d.related[:0], runs: r.d.runs[:0], linkRefs: r.d.linkRefs[:0]}
	return true
}

// rustHeader reads "error[E0308]: msg" or "warning: msg".
func rustHeader(s string) (sev Severity, code, msg string, ok bool) {
	switch {
	case strings.HasPrefix(s, "error"):
		sev, s = Error, s[len("error"):]
	case strings.HasPrefix(s, "warning"):
		sev, s = Warning, s[len("warning"):]
	default:
		return 0, "", "", false
	}
	if strings.HasPrefix(s, "[") {
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return 0, "", "", false
		}
		code, s = s[1:end], s[end+1:]
	}
	msg, ok = strings.CutPrefix(s, ": ")
	return sev, code, msg, ok
}

// diagLine reads one line inside a diagnostic; false ends the block.
func (r *rustParser) diagLine(line string, env *Env) bool {
	d := &r.d
	if line == "" {
		return false
	}
	trimmed := strings.TrimLeft(line, " ")
	if trimmed == "..." {
		return true
	}
	if strings.HasPrefix(trimmed, "--> ") || strings.HasPrefix(trimmed, "::: ") {
		d.noteOpen, d.afterCode = false, false
		d.section(trimmed[4:], env, r.resolve)
		return true
	}
	if pipe := rustGutter(line); pipe >= 0 {
		d.noteOpen = false
		d.gutterLine(line, pipe)
		return true
	}
	if strings.HasPrefix(trimmed, "= ") && trimmed != line {
		note := strings.TrimSpace(trimmed[2:])
		d.notes = append(d.notes, note)
		d.noteOpen, d.afterCode = true, false
		r.linkerLine(strings.TrimPrefix(note, "note: "), env)
		return true
	}
	if d.noteOpen && trimmed != line {
		t := strings.TrimSpace(trimmed)
		if !r.linkerLine(t, env) {
			d.notes[len(d.notes)-1] = natAppend(d.notes[len(d.notes)-1], t)
		}
		return true
	}
	if strings.HasPrefix(line, "note: ") || strings.HasPrefix(line, "help: ") {
		d.endSub()
		d.sub = strings.TrimSuffix(line, ":")
		// Its snippet (a suggestion) is not about the primary span.
		d.noteOpen, d.afterCode, d.primarySection, d.file, d.codeLine = false, false, false, "", 0
		return true
	}
	return false
}

// linkerLine reads a line of the linker's output in a note; true when it
// was one of lld's lines, which the problems at its references carry
// instead of the note.
func (r *rustParser) linkerLine(t string, env *Env) bool {
	d := &r.d
	if e, ok := lldErrorLine(t); ok {
		d.link = e
		return true
	}
	if d.link.msg == "" {
		return false
	}
	ref, ok := lldReference(t)
	if !ok {
		return false
	}
	if ref.path != "" && len(d.linkRefs) < rustMaxRelated {
		if abs, ok := r.resolve(env, ref.path); ok {
			d.linkRefs = append(d.linkRefs, Location{File: abs, Line: ref.line, Column: 1})
		}
	}
	return true
}

// rustGutter returns the index of the '|' of a snippet line (`12 |  code`,
// `   |   ^^^`), or -1.
func rustGutter(line string) int {
	i := 0
	for i < len(line) && line[i] == ' ' {
		i++
	}
	for i < len(line) && line[i] >= '0' && line[i] <= '9' {
		i++
	}
	for i < len(line) && line[i] == ' ' {
		i++
	}
	if i == 0 || i >= len(line) {
		return -1
	}
	// Suggestions shown as a diff use +, - and ~ in the gutter.
	if line[i] == '|' || (line[i] == '+' || line[i] == '-' || line[i] == '~') && i > 0 && line[i-1] == ' ' && strings.TrimSpace(line[:i]) != "" {
		return i
	}
	return -1
}

// section starts the snippet of a `--> file:line:col` line: the primary
// location, a sub-diagnostic's location (Related) or another file's spans.
func (d *rustDiagnostic) section(at string, env *Env, resolve func(*Env, string) (string, bool)) {
	d.primarySection = false
	d.file, d.codeLine = "", 0
	loc, ok := natSplitLoc(at, natLocAny)
	if !ok {
		return
	}
	abs, inWS := resolve(env, loc.path)
	if inWS {
		d.file = abs
	}
	switch {
	case !d.have && d.sub == "":
		// The primary span is printed even when it lies outside the
		// workspace (a macro in a dependency): then there is no problem.
		d.have, d.primarySection = true, true
		d.loc = Location{File: abs, Line: loc.line, Column: loc.col}
	case d.sub != "":
		if inWS && len(d.related) < rustMaxRelated {
			msg := strings.TrimPrefix(strings.TrimPrefix(d.sub, "note: "), "help: ")
			d.related = append(d.related, Related{Location: Location{File: abs, Line: loc.line, Column: loc.col}, Message: msg})
		}
		d.sub = ""
	}
}

func (d *rustDiagnostic) endSub() {
	if d.sub != "" {
		d.notes = append(d.notes, d.sub)
		d.sub = ""
	}
}

// gutterLine reads a code line, an underline line or a label line.
func (d *rustDiagnostic) gutterLine(line string, pipe int) {
	num, _ := natAtoi(strings.TrimLeft(line[:pipe], " "))
	content := ""
	if pipe+2 <= len(line) {
		content = line[pipe+2:]
	}
	if num > 0 {
		d.codeLine, d.codeText, d.afterCode = num, content, true
		return
	}
	if d.afterCode && strings.ContainsAny(content, "^-") && d.underline(content) {
		d.afterCode = false
		return
	}
	d.afterCode = false
	// A label under a connector: its text starts where its run starts.
	text := strings.TrimLeft(content, " |")
	if text == "" || d.codeLine == 0 {
		return
	}
	at := len(content) - len(text)
	for i := len(d.runs) - 1; i >= 0 && d.runs[i].line == d.codeLine; i-- {
		if d.runs[i].start == at && d.runs[i].label == "" {
			d.runs[i].label = strings.TrimSpace(text)
			return
		}
	}
}

// underline reads `   ---   ^^^^ label` under the last code line.
func (d *rustDiagnostic) underline(content string) bool {
	if strings.HasPrefix(content, "|_") {
		// The end of a multi-line span: "|_____^ label", the '^' under
		// the span's last character, two gutter columns in.
		j := strings.IndexByte(content, '^')
		if j < 0 || strings.Trim(content[1:j], "_") != "" {
			return false
		}
		if d.primarySection && d.multiMain && d.endLine == 0 {
			d.endLine, d.endColumn = d.codeLine, j
			d.endLabel = strings.TrimSpace(strings.TrimLeft(content[j:], "^"))
		}
		return true
	}
	// The start of a multi-line span (" ____^") shifts this line's
	// drawing by the two gutter columns.
	shift := 0
	if strings.HasPrefix(content, " _") {
		shift = 2
	}
	first := len(d.runs)
	i := 0
	for i < len(content) {
		c := content[i]
		switch c {
		case ' ', '|', '_':
			i++
			continue
		case '^', '-':
			j := i
			for j < len(content) && content[j] == c {
				j++
			}
			d.runs = append(d.runs, rustRun{start: i - shift, end: j - shift, primary: c == '^', line: d.codeLine, file: d.file})
			i = j
			continue
		}
		break
	}
	if len(d.runs) == first {
		return false
	}
	if i < len(content) {
		d.runs[len(d.runs)-1].label = strings.TrimSpace(content[i:])
	}
	if d.primarySection && d.codeLine == d.loc.Line {
		d.markMain(content[shift:], first)
		if shift > 0 {
			for k := first; k < len(d.runs); k++ {
				d.multiMain = d.multiMain || d.runs[k].mainSpan
			}
		}
	}
	return true
}

// markMain picks the run of the primary span: the ^ run at the printed
// column, else the first ^ run after it when only other underlines lie in
// between (a secondary span drawn over the start of the primary one).
func (d *rustDiagnostic) markMain(content string, first int) {
	at := d.loc.Column - 1
	fallback := -1
	for k := first; k < len(d.runs); k++ {
		run := &d.runs[k]
		if !run.primary {
			continue
		}
		if fallback < 0 {
			fallback = k
		}
		if run.start == at || run.start > at && at >= 0 && natOnly(content[at:run.start], "-^") {
			run.mainSpan, run.mainFrom = true, at
			return
		}
	}
	// Tabs or wide characters shift the drawing: trust the run's length.
	if fallback >= 0 {
		d.runs[fallback].mainSpan, d.runs[fallback].mainFrom = true, d.runs[fallback].start
	}
}

func (r *rustParser) Flush(env *Env, out *Output) {
	switch r.state {
	case rustDiag:
		r.state = rustIdle
		n := len(out.Problems)
		r.d.emit(out)
		if len(out.Problems) > n {
			r.lintCode(&out.Problems[n])
		}
	case rustPanic:
		r.state = rustIdle
		r.p.emit(out)
	}
}

// Pending shows the diagnostic once its --> line named the location (and a
// panic once its location was read); the code frame, labels and notes
// amend it.
func (r *rustParser) Pending(_ *Env, out *Output) {
	switch r.state {
	case rustDiag:
		// emit ends the pending sub-diagnostic and adds labels to related:
		// it runs on a copy.
		d := r.d
		d.notes, d.related = slices.Clone(d.notes), slices.Clone(d.related)
		n := len(out.Problems)
		d.emit(out)
		for i := n; i < len(out.Problems); i++ {
			if p := &out.Problems[i]; p.Code == "" && r.lints != nil {
				first, _, _ := strings.Cut(p.Message, "\n")
				p.Code = r.lints[rustMessageShape(first)]
			}
		}
	case rustPanic:
		r.p.emit(out)
	}
}

func (d *rustDiagnostic) emit(out *Output) {
	d.endSub()
	if !d.have && d.link.msg != "" {
		// The linker's error, at each place that refers to the symbol.
		for _, at := range d.linkRefs {
			out.Problems = append(out.Problems, Problem{Location: at, Severity: Error, Message: d.link.msg, Source: d.link.tool})
		}
		return
	}
	if !d.have || d.loc.File == "" {
		return
	}
	p := Problem{Location: d.loc, Severity: d.sev, Message: d.msg, Source: rustSource, Code: d.code}
	var b strings.Builder
	b.WriteString(d.msg)
	for _, run := range d.runs {
		switch {
		case run.mainSpan && d.endLine > 0:
			p.EndLine, p.EndColumn = d.endLine, d.endColumn
			if d.endLabel != "" {
				b.WriteString("\n" + d.endLabel)
			}
		case run.mainSpan:
			// The span starts at the printed column even when its first
			// characters are drawn as another span's underline.
			p.EndLine, p.EndColumn = p.Line, p.Column+run.end-run.mainFrom
			if run.label != "" {
				b.WriteString("\n" + run.label)
			}
		case run.label != "" && run.file != "" && len(d.related) < rustMaxRelated:
			d.related = append(d.related, Related{Location: Location{File: run.file, Line: run.line,
				Column: run.start + 1, EndLine: run.line, EndColumn: run.end + 1}, Message: run.label})
		}
	}
	for _, n := range d.notes {
		b.WriteString("\n" + n)
		if p.Code == "" {
			p.Code = rustLintName(n)
		}
	}
	p.Message = b.String()
	if len(d.related) > 0 {
		p.Related = append([]Related(nil), d.related...)
	}
	out.Problems = append(out.Problems, p)
}

// rustLintName finds "unused_mut" in "`#[warn(unused_mut)]` on by default".
func rustLintName(note string) string {
	for _, attr := range [...]string{"#[warn(", "#[deny(", "#[forbid("} {
		if i := strings.Index(note, attr); i >= 0 {
			rest := note[i+len(attr):]
			if j := strings.IndexByte(rest, ')'); j > 0 {
				return rest[:j]
			}
		}
	}
	// Clippy names the lint once per run in that note; every warning
	// links its page: ".../rust-clippy/<version>/index.html#needless_return".
	if i := strings.Index(note, "/rust-clippy/"); i >= 0 {
		if _, lint, ok := strings.Cut(note[i:], "index.html#"); ok && lint != "" && !strings.ContainsAny(lint, " /") {
			return "clippy::" + lint
		}
	}
	return ""
}
