package detect

import (
	"slices"
	"strings"
)

// Python: tracebacks and the SyntaxError/IndentationError report. The
// problem is at the innermost frame inside the workspace (printed last),
// with the exception line as message and the exception type as code; outer
// workspace frames and the exceptions of a chain ("During handling of the
// above exception...") are Related. Source "python".

func init() { register(700, func() Parser { return &pythonParser{} }) }

const (
	pythonSource    = "python"
	pythonMaxFrames = 200 // frames kept per traceback (recursion prints ~1000)
	pythonMaxChain  = 8
	pythonMaxCached = 256 // source lines kept for columns
)

type pythonState uint8

const (
	pythonIdle     pythonState = iota
	pythonTrace                // reading frames
	pythonAfterExc             // the exception line was read; a chain may follow
	pythonChained              // a chain sentence was read; its Traceback follows
)

type pythonParser struct {
	state   pythonState
	frames  []pythonFrame
	pending *Problem  // the exception just read, held in case a chain follows
	causes  []Related // earlier exceptions of the chain
	lines   map[string]string
}

type pythonFrame struct {
	path   string
	line   int
	fn     string
	code   string // the source line as printed (stripped by Python)
	marker string // the ^~~ line under it, without the indentation prefix
	syntax bool   // a `File "x", line N` without "in fn": where a SyntaxError is
}

func (*pythonParser) Name() string { return "python" }

func (p *pythonParser) Feed(line string, claimed bool, env *Env, out *Output) bool {
	switch p.state {
	case pythonTrace:
		if !claimed && p.traceLine(line, env) {
			return true
		}
		if claimed && len(p.frames) > 0 {
			// "ValueError: msg" looks like a JavaScript error to the node
			// parser, which runs first; after our frames it ends our block.
			if typ, ok := pythonExceptionLine(line); ok {
				p.exception(line, typ, env)
				return false
			}
		}
		p.reset()
	case pythonAfterExc:
		if line == "" {
			return false
		}
		if !claimed && (strings.HasPrefix(line, "During handling of the above exception") ||
			strings.HasPrefix(line, "The above exception was the direct cause")) {
			p.state = pythonChained
			if len(p.causes) < pythonMaxChain && p.pending != nil {
				p.causes = append(p.causes, Related{Location: p.pending.Location, Message: p.pending.Message})
			}
			p.pending = nil
			return true
		}
		p.Flush(env, out)
	case pythonChained:
		if line == "" {
			return false
		}
		if claimed || !pythonStart(line) {
			p.Flush(env, out)
		}
	}
	if claimed || len(line) < 8 || (line[0] != 'T' && line[0] != ' ') || !pythonStart(line) {
		return false
	}
	p.frames = p.frames[:0]
	p.state = pythonTrace
	if line[0] == ' ' {
		return p.traceLine(line, env)
	}
	return true
}

func pythonStart(line string) bool {
	return strings.HasPrefix(line, "Traceback (most recent call last):") || pythonFrameLine(line)
}

func pythonFrameLine(line string) bool {
	return strings.HasPrefix(line, `  File "`) && strings.Contains(line, `", line `)
}

// traceLine reads one line of a traceback; false ends it.
func (p *pythonParser) traceLine(line string, env *Env) bool {
	switch {
	case pythonFrameLine(line):
		rest := line[len(`  File "`):]
		q := strings.Index(rest, `", line `)
		if q < 0 {
			return false
		}
		path := rest[:q]
		rest = rest[q+len(`", line `):]
		n, used := natAtoi(rest)
		if used == 0 {
			return false
		}
		f := pythonFrame{path: path, line: n, syntax: true}
		if fn, ok := strings.CutPrefix(rest[used:], ", in "); ok {
			f.fn, f.syntax = fn, false
		}
		if len(p.frames) >= pythonMaxFrames {
			// Keep the innermost frames: they are the ones that matter.
			copy(p.frames, p.frames[1:])
			p.frames = p.frames[:len(p.frames)-1]
		}
		p.frames = append(p.frames, f)
		return true
	case strings.HasPrefix(line, "    "):
		if len(p.frames) == 0 {
			return false
		}
		f := &p.frames[len(p.frames)-1]
		text := line[4:]
		switch {
		case f.code == "":
			f.code = text
		case f.marker == "" && natOnly(strings.TrimLeft(text, " "), "^~"):
			f.marker = text
		}
		return true
	case strings.HasPrefix(line, "  [Previous line repeated"), line == "Traceback (most recent call last):":
		return true
	}
	if typ, ok := pythonExceptionLine(line); ok {
		p.exception(line, typ, env)
		return true
	}
	return false
}

// pythonExceptionLine recognizes `ValueError: msg`, `KeyboardInterrupt` and
// `json.decoder.JSONDecodeError: msg`, returning the type.
func pythonExceptionLine(line string) (string, bool) {
	end := len(line)
	if i := strings.IndexByte(line, ':'); i >= 0 {
		end = i
	}
	typ := line[:end]
	if typ == "" || typ[0] == '.' || typ[0] >= '0' && typ[0] <= '9' {
		return "", false
	}
	for i := 0; i < len(typ); i++ {
		c := typ[i]
		if !(c == '_' || c == '.' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return "", false
		}
	}
	return typ, true
}

// exception builds the problem of the traceback just read and holds it
// until we know whether a chained exception follows.
func (p *pythonParser) exception(line, typ string, env *Env) {
	p.state = pythonAfterExc
	var at *Problem
	var related []Related
	for i := len(p.frames) - 1; i >= 0; i-- {
		f := &p.frames[i]
		abs, ok := pythonResolve(env, f.path)
		if !ok {
			continue
		}
		loc := f.location(abs, p.sourceLine)
		if at == nil {
			at = &Problem{Location: loc, Severity: Error, Message: line, Source: pythonSource, Code: typ}
			continue
		}
		if len(related) < rustMaxRelated {
			related = append(related, Related{Location: loc, Message: "in " + f.fn})
		}
	}
	p.pending = at
	if at != nil {
		at.Related = related
	}
}

// pythonResolve accepts an existing file in the workspace that is not an
// installed package (a virtualenv inside the project is still not ours).
func pythonResolve(env *Env, path string) (string, bool) {
	if path == "" || path[0] == '<' {
		return "", false
	}
	abs, ok := env.ResolveExisting(path)
	if !ok || strings.Contains(abs, "/site-packages/") || strings.Contains(abs, "/dist-packages/") {
		return "", false
	}
	return abs, true
}

// location turns a frame into a range. Python prints the source line
// without its indentation, so the columns need the line from the file.
func (f *pythonFrame) location(abs string, read func(abs string, n int, shown string) (string, bool)) Location {
	loc := Location{File: abs, Line: f.line}
	code := strings.TrimSpace(f.code)
	if code == "" {
		return loc
	}
	src, ok := read(abs, f.line, code)
	if !ok {
		return loc
	}
	shown := strings.TrimRight(f.code, " \t\f\r")
	lead := len(shown) - len(strings.TrimLeft(shown, " \t\f"))
	base := strings.Index(src, strings.TrimLeft(shown, " \t\f"))
	if base < 0 {
		return loc
	}
	base -= lead // where the printed text starts in the file's line
	if f.marker == "" {
		if f.syntax {
			return loc
		}
		loc.Column, loc.EndLine, loc.EndColumn = base+lead+1, f.line, base+len(shown)+1
		return loc
	}
	start, end := natMarkerRun(f.marker, len(f.marker)-len(strings.TrimLeft(f.marker, " ")), "^~")
	if start < 0 || base+start < 0 {
		return loc
	}
	loc.Column, loc.EndLine, loc.EndColumn = base+start+1, f.line, base+end+1
	return loc
}

// sourceLine reads line n of abs through a small cache: a server that logs
// the same traceback on every request should not read the file each time.
// A cached line that no longer holds the code Python showed is stale (the
// file was edited) and read again.
func (p *pythonParser) sourceLine(abs string, n int, shown string) (string, bool) {
	key := abs + "\x00" + itoa(n)
	if src, ok := p.lines[key]; ok && strings.Contains(src, shown) {
		return src, true
	}
	src, ok := natReadLine(abs, n)
	if !ok {
		return "", false
	}
	if p.lines == nil || len(p.lines) >= pythonMaxCached {
		p.lines = map[string]string{}
	}
	p.lines[key] = src
	return src, true
}

func (p *pythonParser) reset() {
	p.state = pythonIdle
	p.frames = p.frames[:0]
	p.pending = nil
	p.causes = p.causes[:0]
}

func (p *pythonParser) Flush(env *Env, out *Output) {
	p.Pending(env, out)
	p.reset()
}

// Pending shows the exception once its line was read; the chained
// exceptions after it amend it.
func (p *pythonParser) Pending(_ *Env, out *Output) {
	if p.pending != nil {
		pr := *p.pending
		pr.Related = slices.Clip(pr.Related)
		// The causes come first in the output; list the nearest first.
		for i := len(p.causes) - 1; i >= 0; i-- {
			if p.causes[i].File != "" {
				pr.Related = append(pr.Related, p.causes[i])
			}
		}
		out.Problems = append(out.Problems, pr)
	}
}
