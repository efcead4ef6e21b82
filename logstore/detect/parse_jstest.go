package detect

import (
	"regexp"
	"strings"
)

// Test runners. Both print a block per failure; the problem is the
// innermost stack frame inside the workspace (the assertion in the test, or
// the throwing line in the code under test), other workspace frames become
// Related. The message is "<test title>: <first line of the error>".
//
// vitest:
//
//	 FAIL  src/math.test.ts > math > adds
//	AssertionError: expected -1 to be 3 // Object.is equality
//	 ... diff ...
//	 ❯ src/math.test.ts:6:23           (or " ❯ fn src/math.ts:5:9")
//	 FAIL  src/broken.test.ts [ src/broken.test.ts ]     (a file that fails to load)
//	⎯⎯⎯⎯⎯⎯⎯[1/3]⎯
//
// Paths are relative to the vitest root printed by " RUN  v3.2.7 /root".
// Watch reruns start with " RERUN  src/math.ts x1". Transform errors carry
// vite's "File: /abs:line:col" with a 0-based column (vite 7, verified);
// with vite 8 they are oxc's boxed diagnostics (parse_oxc.go):
//
//	Error: Transform failed with 1 error:
//	[PARSE_ERROR] Expected `,` or `)` but found `;`
//	   ╭─[ test/syntax.test.ts:5:21 ]
//	...
//	  File: /abs/test/syntax.test.ts            (no place: the box has it)
//
// Errors outside any test come after a banner of their type, as failures
// do: "⎯⎯⎯ Unhandled Rejection ⎯⎯⎯", "⎯⎯⎯ Uncaught Exception ⎯⎯⎯" (vitest
// 4), "Unhandled Error", "Teardown Error", ...; "Unhandled Errors" above
// them all only counts them.
//
// jest:
//
//	 FAIL  src/math.test.js
//	  ● math › adds
//	    expect(received).toBe(expected) // Object.is equality
//	    Expected: 3
//	    Received: -1
//	    > 5 |     expect(add(1, 2)).toBe(3);
//	      at Object.toBe (src/math.test.js:5:23)
//
// Babel syntax errors in a suite ("SyntaxError: /abs/x.js: Unexpected token
// (2:12)") carry a 0-based column. A run ends with "Ran all test suites";
// in watch mode without a TTY nothing else marks a rerun, so the first
// result line after that starts the next cycle.

func init() {
	register(200, func() Parser { return &vitestParser{} })
	register(210, func() Parser { return &jestParser{} })
}

var (
	jestBabelRe   = regexp.MustCompile(`^\s*SyntaxError: (\S.*?): (.*) \((\d+):(\d+)\)$`)
	vitestFileRe  = regexp.MustCompile(`^\s*File: (\S.*?):(\d+):(\d+)\s*$`)
	vitestEsbuild = regexp.MustCompile(`^\s*(\S.*?):(\d+):(\d+): (?:ERROR|WARNING): (.*)$`)
)

// jsTestBlock is one failure being read.
type jsTestBlock struct {
	open    bool
	title   string
	message string
	extra   string // jest "Expected: 3, Received: -1"
	lines   int
	frames  []Related
	loc     Location // fallback location when no frame is in the workspace
	code    string
	// file is the test file of the block's header (vitest's " FAIL  file >
	// test"), existing: the place, at its line 1, of a failure that shows
	// none in the workspace (a timeout, an assertion count, a load error).
	file string
	// jest: a thrown string's quote goes on over these lines
	// (`thrown: "Exceeded timeout of 100 ms for a test.` and the advice).
	quote     []string
	quoteOpen bool
	// vitest: the "[CODE] msg" line just read (a box may follow).
	head     bool
	headCode string
	headMsg  string
}

func (b *jsTestBlock) reset(title string) {
	clear(b.quote) // they hold the lines' memory
	*b = jsTestBlock{open: true, title: title, frames: b.frames[:0], quote: b.quote[:0]}
}

func (b *jsTestBlock) problem(source string, out *Output) {
	if !b.open {
		return
	}
	b.open, b.quoteOpen = false, false
	p := Problem{Severity: Error, Source: source, Code: b.code}
	b.headCode, b.headMsg = "", ""
	switch {
	case b.loc.File != "":
		p.Location = b.loc
		p.Related = append([]Related(nil), b.frames...)
	case len(b.frames) > 0:
		p.Location = b.frames[0].Location
		p.Related = append([]Related(nil), b.frames[1:]...)
	case b.file != "" && b.message != "":
		p.Location = Location{File: b.file, Line: 1, Column: 1}
	default:
		return
	}
	if len(p.Related) == 0 {
		p.Related = nil
	}
	msg := b.message
	if len(b.quote) > 0 {
		msg = jsJoinMessage(msg, b.quote, 0)
	}
	if b.extra != "" {
		msg += " (" + b.extra + ")"
	}
	if b.title != "" {
		msg = b.title + ": " + msg
	}
	p.Message = msg
	out.Problems = append(out.Problems, p)
}

// pending shows the failure being read as it stands (problem ends the
// block, so it runs on a copy).
func (b *jsTestBlock) pending(source string, out *Output) {
	if b.open {
		c := *b
		c.problem(source, out)
	}
}

type vitestParser struct {
	root  string
	block jsTestBlock
	// fileLoc is the place a "File:" line gave the open block, and
	// frameLine the number of the code frame's row read last under it:
	// the frame's caret gives the column (vite 5, under vitest 2, prints
	// File's column 1-based; vite 7 0-based).
	fileLoc   Location
	frameLine int
}

func (p *vitestParser) Name() string { return "vitest" }

func (p *vitestParser) Feed(line string, claimed bool, env *Env, out *Output) bool {
	if claimed {
		return false
	}
	t := strings.TrimLeft(line, " ")
	if t == "" {
		return p.block.open
	}
	switch t[0] {
	case 'R':
		if rest, ok := strings.CutPrefix(t, "RUN "); ok {
			p.setRoot(rest)
			return true
		}
		if strings.HasPrefix(t, "RERUN ") {
			p.block.problem("vitest", out)
			out.CycleStart = true
			return true
		}
	case 'D':
		if rest, ok := strings.CutPrefix(t, "DEV "); ok {
			p.setRoot(rest)
			return true
		}
	case 'F':
		if rest, ok := strings.CutPrefix(t, "FAIL "); ok {
			return p.fail(strings.TrimSpace(rest), env, out)
		}
	case 'P':
		if strings.HasPrefix(t, "PASS ") && strings.HasSuffix(t, "for file changes...") {
			p.block.problem("vitest", out)
			out.CycleEnd = true
			return true
		}
	case 'T':
		if strings.HasPrefix(t, "Test Files ") {
			p.block.problem("vitest", out)
			return true
		}
	}
	if title, ok := vitestErrorBanner(t); ok {
		// "⎯⎯⎯⎯ Unhandled Rejection ⎯⎯⎯⎯": errors outside any test.
		p.block.problem("vitest", out)
		p.block.reset(title)
		jsRaise(out, LevelError)
		return true
	}
	if !p.block.open {
		return false
	}
	if strings.HasPrefix(t, "⎯") {
		p.block.problem("vitest", out)
		return true
	}
	if strings.HasPrefix(t, "Vitest caught ") || strings.HasPrefix(t, "This error originated in ") || strings.HasPrefix(t, "The latest test that might've caused") {
		return true
	}
	p.block.lines++
	if p.block.lines > 400 {
		// A separator never came (output cut off): stop taking lines.
		p.block.problem("vitest", out)
		return false
	}
	if p.block.message == "" {
		p.block.message = strings.TrimSpace(line)
		return true
	}
	if b := &p.block; b.loc.File == "" && len(b.frames) == 0 {
		// vite 8's oxc: "[PARSE_ERROR] msg" and a box at the place.
		head := b.head
		b.head = false
		if path, l, c, ok := oxcBoxTop(t); ok {
			if abs, ok := env.ResolveExisting(p.rooted(path)); ok {
				b.loc = Location{File: abs, Line: l, Column: c}
				if head {
					b.message, b.code = b.headMsg, b.headCode
				}
			}
			return true
		}
		if code, msg, ok := oxcHeader(t); ok {
			b.head, b.headCode, b.headMsg = true, code, msg
			return true
		}
	}
	if rest, ok := strings.CutPrefix(t, "❯ "); ok {
		loc := rest
		fn := ""
		if i := strings.LastIndexByte(rest, ' '); i >= 0 {
			fn, loc = rest[:i], rest[i+1:]
		}
		if f, ok := jsFrameAt(fn, p.rooted(loc), env); ok && len(p.block.frames) < 64 {
			p.block.frames = append(p.block.frames, f)
		}
		return true
	}
	if b := &p.block; b.loc.File != "" && b.loc == p.fileLoc && len(b.frames) == 0 {
		p.frameCaret(line, t)
	}
	if p.block.loc.File == "" && len(p.block.frames) == 0 && (strings.HasPrefix(t, "File: ") || strings.Contains(t, ": ERROR: ")) {
		// vite and esbuild print 0-based columns here.
		m := vitestFileRe.FindStringSubmatch(line)
		if m == nil {
			if m = vitestEsbuild.FindStringSubmatch(line); m != nil {
				p.block.message = m[4] // "Transform failed with 1 error:" says less
			}
		}
		if m != nil {
			if abs, ok := env.ResolveExisting(p.rooted(m[1])); ok {
				ln, _ := jsAtoi(m[2])
				col, _ := jsAtoi(m[3])
				p.block.loc = Location{File: abs, Line: ln, Column: col + 1}
				p.fileLoc, p.frameLine = p.block.loc, 0
			}
		}
	}
	return true
}

// frameCaret reads vite's code frame under "File:": "  5  |  code" rows
// and the "     |  ^" caret under the place's row, which sets the column.
func (p *vitestParser) frameCaret(line, t string) {
	bar := strings.IndexByte(line, '|')
	if bar < 0 || !strings.HasPrefix(line[bar:], "|  ") {
		return
	}
	if n, k := natAtoi(t); k > 0 {
		p.frameLine = n
		return
	}
	if t[0] != '|' || p.frameLine != p.block.loc.Line {
		return
	}
	if caret := strings.IndexByte(line[bar:], '^'); caret >= 3 && strings.TrimSpace(line[bar+1:bar+caret]) == "" {
		p.block.loc.Column = caret - 2
		p.fileLoc = p.block.loc
	}
}

// vitestErrorBanner reads the banner of one error outside the tests,
// "⎯⎯⎯ Uncaught Exception ⎯⎯⎯", and returns its type.
func vitestErrorBanner(t string) (string, bool) {
	if !strings.HasPrefix(t, "⎯") {
		return "", false
	}
	title := strings.Trim(t, "⎯ ")
	if strings.HasSuffix(title, "Error") || strings.HasSuffix(title, "Exception") || strings.HasSuffix(title, "Rejection") {
		return title, true
	}
	return "", false
}

func (p *vitestParser) setRoot(rest string) {
	// "v3.2.7 /abs/root"
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		p.root = strings.TrimSpace(rest[i:])
	}
}

// rooted makes a path relative to the vitest root absolute.
func (p *vitestParser) rooted(path string) string {
	if p.root == "" || path == "" || path[0] == '/' || strings.HasPrefix(path, "file:") || strings.HasPrefix(path, "node:") {
		return path
	}
	return p.root + "/" + path
}

// fail opens a block for " FAIL  file > suite > test" or
// " FAIL  file [ file ]"; the summary " FAIL  Tests failed. Watching for
// file changes..." ends a watch cycle.
func (p *vitestParser) fail(rest string, env *Env, out *Output) bool {
	p.block.problem("vitest", out)
	if strings.HasSuffix(rest, "for file changes...") {
		out.CycleEnd = true
		return true
	}
	file, title := rest, ""
	if i := strings.Index(rest, " > "); i >= 0 {
		file, title = rest[:i], strings.ReplaceAll(rest[i+3:], " > ", " › ")
	} else if i := strings.Index(rest, " [ "); i >= 0 {
		file = rest[:i]
	} else {
		return false // jest prints the file alone
	}
	if _, ok := env.Resolve(p.rooted(file)); !ok {
		return false
	}
	p.block.reset(title)
	if abs, ok := env.ResolveExisting(p.rooted(file)); ok {
		p.block.file = abs
	}
	jsRaise(out, LevelError)
	return true
}

func (p *vitestParser) Flush(env *Env, out *Output) { p.block.problem("vitest", out) }

// Pending shows the failure being read.
func (p *vitestParser) Pending(_ *Env, out *Output) { p.block.pending("vitest", out) }

type jestParser struct {
	file   string // test file of the current " FAIL " section
	ranAll bool   // a run finished: the next result line starts a cycle
	block  jsTestBlock
	// console: in a "● Console" section (what the tests logged, no
	// failure), until the next header or an unindented line.
	console jestConsole
}

type jestConsole uint8

const (
	jestNoConsole   jestConsole = iota
	jestConsoleHead             // "● Console" read: a "console.log" line must follow
	jestConsoleIn
)

func (p *jestParser) Name() string { return "jest" }

func (p *jestParser) Feed(line string, claimed bool, env *Env, out *Output) bool {
	if claimed {
		return false
	}
	t := strings.TrimLeft(line, " ")
	indent := len(line) - len(t)
	if t == "" {
		if p.block.open {
			p.block.quoteOpen = false
		}
		return p.block.open
	}
	if indent < 2 || strings.HasPrefix(t, "● ") {
		p.console = jestNoConsole
	}
	switch {
	case indent <= 1 && (strings.HasPrefix(t, "FAIL ") || strings.HasPrefix(t, "PASS ")):
		p.block.problem("jest", out)
		rest := strings.TrimSpace(t[5:])
		// With projects a display-name badge comes first: "FAIL  web  src/x.test.js".
		if i := strings.LastIndex(rest, "  "); i >= 0 {
			rest = strings.TrimSpace(rest[i:])
		}
		if _, ok := env.Resolve(rest); !ok {
			return false
		}
		p.file = rest
		if p.ranAll {
			p.ranAll = false
			out.CycleStart = true
		}
		return true
	case strings.HasPrefix(t, "● "):
		p.block.problem("jest", out)
		title := strings.TrimSpace(t[len("● "):])
		if title == "Console" {
			// With several test files, what each logged comes in a
			// section of this title: "    console.error" blocks.
			p.console = jestConsoleHead
			return true
		}
		if title == "Test suite failed to run" {
			title = ""
		}
		p.block.reset(title)
		jsRaise(out, LevelError)
		return true
	case indent == 0 && (strings.HasPrefix(t, "Test Suites:") || strings.HasPrefix(t, "Summary of all failing tests")):
		p.block.problem("jest", out)
		return true
	case indent == 0 && strings.HasPrefix(t, "Ran all test suites"):
		p.block.problem("jest", out)
		p.ranAll = true
		out.CycleEnd = true
		return true
	case indent == 0 && strings.HasPrefix(t, "Determining test suites to run"):
		p.block.problem("jest", out)
		p.ranAll = false
		out.CycleStart = true
		return true
	}
	switch p.console {
	case jestConsoleIn:
		return true
	case jestConsoleHead:
		if jestConsoleBlock(t) {
			p.console = jestConsoleIn
			return true
		}
		// A test titled "Console" failed.
		p.console = jestNoConsole
		p.block.reset("Console")
		jsRaise(out, LevelError)
	}
	if !p.block.open {
		return false
	}
	if indent < 2 || p.block.lines > 400 {
		p.block.problem("jest", out)
		return false
	}
	b := &p.block
	b.lines++
	switch {
	case strings.HasPrefix(t, "at "):
		if f, ok := jsParseAtFrame(t, env); ok && len(b.frames) < 64 {
			b.frames = append(b.frames, f)
		}
	case b.message == "":
		b.message = strings.TrimSpace(t)
		b.quoteOpen = jestOpenQuote(b.message)
	case b.quoteOpen:
		// `thrown: "Exceeded timeout of 100 ms for a test.` goes on
		// until its closing quote or a blank line (bounded as other
		// messages).
		v := strings.TrimSpace(t)
		b.quote = append(b.quote, v)
		b.quoteOpen = !strings.HasSuffix(v, `"`) && len(b.quote) <= jsMaxMessageLines
	case strings.HasPrefix(t, "Expected: ") || strings.HasPrefix(t, "Received: "):
		if len(b.extra) < 200 {
			if b.extra != "" {
				b.extra += ", "
			}
			b.extra += strings.TrimSpace(t)
		}
	case strings.HasPrefix(t, "SyntaxError: ") && b.loc.File == "":
		if m := jestBabelRe.FindStringSubmatch(line); m != nil {
			if abs, ok := env.ResolveExisting(m[1]); ok {
				ln, _ := jsAtoi(m[3])
				col, _ := jsAtoi(m[4])
				b.loc = Location{File: abs, Line: ln, Column: col + 1}
				b.message = "SyntaxError: " + m[2]
			}
		}
	}
	return true
}

// Pending shows the failure being read.
func (p *jestParser) Pending(_ *Env, out *Output) { p.block.pending("jest", out) }

func (p *jestParser) Flush(env *Env, out *Output) {
	p.block.problem("jest", out)
	p.console = jestNoConsole
}

// jestConsoleBlock recognises the header of what a test logged:
// "console.log", "console.error", ...
func jestConsoleBlock(t string) bool {
	rest, ok := strings.CutPrefix(t, "console.")
	if !ok || rest == "" {
		return false
	}
	for i := 0; i < len(rest); i++ {
		if c := rest[i]; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// jestOpenQuote reports a thrown string whose quote the line does not
// close: `thrown: "Exceeded timeout of 100 ms for a test.`.
func jestOpenQuote(msg string) bool {
	rest, ok := strings.CutPrefix(msg, `thrown: "`)
	return ok && !strings.HasSuffix(rest, `"`)
}
