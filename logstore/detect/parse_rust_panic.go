package detect

import "strings"

// Rust panics: `thread 'main' panicked at src/main.rs:2:22:` and the message
// after it, or the older `thread 'main' panicked at 'msg', src/main.rs:2:22`;
// with RUST_BACKTRACE, the workspace frames of the backtrace are Related.
// A panic inside a dependency is placed at the first workspace frame.

type rustPanicBlock struct {
	msg     string
	loc     Location
	haveLoc bool
	frames  []Related
	inMsg   bool
	frameFn string
	indent  int // of the panic's lines (a build script's, under cargo's "--- stderr")
}

// startPanic takes `thread 'main' panicked at src/main.rs:2:22:` (message on
// the next lines) and the older `thread 'main' panicked at 'msg', src/main.rs:2:22`.
func (r *rustParser) startPanic(line string, env *Env, indent int) bool {
	if !strings.HasPrefix(line, "thread '") {
		return false
	}
	i := strings.Index(line, " panicked at ")
	if i < 0 {
		return false
	}
	rest := line[i+len(" panicked at "):]
	r.p = rustPanicBlock{frames: r.p.frames[:0], indent: indent}
	at := strings.TrimSuffix(rest, ":")
	if strings.HasPrefix(rest, "'") {
		k := strings.LastIndex(rest, "', ")
		if k < 0 {
			return false
		}
		r.p.msg, at = rest[1:k], rest[k+3:]
	} else {
		r.p.inMsg = true
	}
	if loc, ok := natSplitLoc(at, natLocAny); ok {
		if abs, ok := r.resolve(env, loc.path); ok {
			r.p.loc, r.p.haveLoc = Location{File: abs, Line: loc.line, Column: loc.col}, true
		}
	}
	r.state, r.lines = rustPanic, 0
	return true
}

// panicLine reads the message and backtrace of a panic; false ends it.
func (r *rustParser) panicLine(line string, env *Env) bool {
	p := &r.p
	if r.lines++; r.lines > rustMaxLines {
		return false
	}
	for i := 0; i < p.indent && strings.HasPrefix(line, " "); i++ {
		line = line[1:]
	}
	switch {
	case strings.HasPrefix(line, "note: run with `RUST_BACKTRACE"), strings.HasPrefix(line, "note: Some details are omitted"):
		p.inMsg = false
		r.lines = rustMaxLines // the last line of a panic: the next one ends it
		return true
	case line == "stack backtrace:":
		p.inMsg = false
		return true
	case p.inMsg:
		if line == "" || strings.HasPrefix(line, "thread '") {
			return false
		}
		if p.msg == "" {
			p.msg = natClip(line)
		} else {
			p.msg = natAppend(p.msg, line)
		}
		return true
	}
	trimmed := strings.TrimLeft(line, " ")
	if at, ok := strings.CutPrefix(trimmed, "at "); ok && trimmed != line {
		if loc, ok := natSplitLoc(at, natLocAny); ok {
			if abs, ok := r.resolve(env, loc.path); ok && len(p.frames) < rustMaxRelated {
				p.frames = append(p.frames, Related{Location: Location{File: abs, Line: loc.line, Column: loc.col}, Message: p.frameFn})
			}
		}
		return true
	}
	if _, used := natAtoi(trimmed); used > 0 && trimmed != line && strings.HasPrefix(trimmed[used:], ": ") {
		p.frameFn = trimmed[used+2:]
		return true
	}
	return false
}

func (p *rustPanicBlock) emit(out *Output) {
	frames := p.frames
	loc := p.loc
	if !p.haveLoc {
		if len(frames) == 0 {
			return
		}
		loc, frames = frames[0].Location, frames[1:]
	}
	pr := Problem{Location: loc, Severity: Error, Message: "panic: " + p.msg, Source: rustPanicSource}
	for _, f := range frames {
		if f.File == loc.File && f.Line == loc.Line {
			continue
		}
		pr.Related = append(pr.Related, f)
	}
	out.Problems = append(out.Problems, pr)
}
