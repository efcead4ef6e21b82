package detect

import (
	"bytes"
	"os"
	"strings"
	"time"
	"unicode/utf8"
)

// Tools count columns in different units; Brummer's columns count
// characters (Unicode code points), which lsp turns into UTF-16 with the
// file's text. The Detector converts each problem once, by its source,
// reading the file's line only when it holds a tab or a non-ASCII byte
// (everywhere else the units agree).
type columnUnit uint8

const (
	unitChars   columnUnit = iota // rustc, python, generic, user matchers
	unitBytes                     // go, clang, esbuild
	unitUTF16                     // tsc, eslint, V8 stack traces, JS bundlers
	unitDisplay                   // gcc: tab stops every 8 columns
)

// gccTabStop is gcc's -ftabstop default.
const gccTabStop = 8

func unitOf(source string) columnUnit {
	switch source {
	case "go", "clang", "esbuild":
		return unitBytes
	case "tsc", "eslint", "node", "vitest", "jest", "vite", "rollup", "webpack", "node:test", "mocha":
		return unitUTF16
	case "gcc":
		return unitDisplay
	}
	return unitChars
}

// maxSourceBytes bounds the files read to convert columns or find imports.
const maxSourceBytes = 8 << 20

// sourceLine returns line n (1-based) of the file abs, without its end of
// line; the last file read is kept, since problems come in runs per file.
func (e *Env) sourceLine(abs string, n int) ([]byte, bool) {
	data, ok := e.source(abs)
	if !ok || n < 1 {
		return nil, false
	}
	for i := 1; i < n; i++ {
		j := bytes.IndexByte(data, '\n')
		if j < 0 {
			return nil, false
		}
		data = data[j+1:]
	}
	if j := bytes.IndexByte(data, '\n'); j >= 0 {
		data = data[:j]
	}
	return bytes.TrimSuffix(data, []byte{'\r'}), true
}

func (e *Env) source(abs string) ([]byte, bool) {
	now := time.Now()
	if f, ok := e.srcCache[abs]; ok && now.Sub(f.at) < sourceFresh {
		return f.data, f.data != nil
	}
	read := e.ReadFile
	if read == nil {
		read = readSmallFile
	}
	data, err := read(abs)
	if err != nil {
		data = nil
	}
	if e.srcCache == nil || len(e.srcCache) >= 16 {
		e.srcCache = map[string]sourceFile{}
	}
	e.srcCache[abs] = sourceFile{data, now}
	return data, data != nil
}

// sourceFresh is how long a source file read for one problem serves the
// next ones: a tool prints a cycle's problems in a burst, and files change
// between cycles.
const sourceFresh = 200 * time.Millisecond

type sourceFile struct {
	data []byte // nil: unreadable
	at   time.Time
}

func readSmallFile(abs string) ([]byte, error) {
	f, err := os.Open(abs)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() || st.Size() > maxSourceBytes {
		return nil, os.ErrInvalid
	}
	var b bytes.Buffer
	if _, err := b.ReadFrom(f); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// charColumn converts a 1-based column in unit on line into characters.
// Columns past the end of the line keep their distance from it.
func charColumn(line []byte, col int, unit columnUnit) int {
	if col <= 1 || unit == unitChars {
		return col
	}
	want := col - 1 // units before the position
	units, chars := 0, 0
	for i := 0; i < len(line) && units < want; {
		r, size := rune(line[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRune(line[i:])
		}
		next := units + 1
		switch {
		case unit == unitBytes:
			next = units + size
		case unit == unitUTF16 && r >= 0x10000:
			next = units + 2
		case unit == unitDisplay && r == '\t':
			next = units + gccTabStop - units%gccTabStop
		}
		if next > want {
			// The position is inside this character (a tab's width, a
			// surrogate pair, a multi-byte sequence): it is the character.
			return chars + 1
		}
		units = next
		i += size
		chars++
	}
	if units < want {
		chars += want - units
	}
	return chars + 1
}

// plainASCII reports whether line needs no conversion in any unit.
func plainASCII(line []byte) bool {
	for _, c := range line {
		if c >= utf8.RuneSelf || c == '\t' {
			return false
		}
	}
	return true
}

// toChars converts loc's columns from unit to characters.
func (e *Env) toChars(loc *Location, unit columnUnit) {
	if unit == unitChars || loc.File == "" || loc.Line < 1 || loc.Column <= 1 && loc.EndColumn <= 1 {
		return
	}
	line, ok := e.sourceLine(loc.File, loc.Line)
	if !ok {
		return
	}
	if !plainASCII(line) {
		loc.Column = charColumn(line, loc.Column, unit)
	}
	if loc.EndColumn > 1 {
		if loc.EndLine > 0 && loc.EndLine != loc.Line {
			if line, ok = e.sourceLine(loc.File, loc.EndLine); !ok {
				return
			}
		}
		if !plainASCII(line) {
			loc.EndColumn = charColumn(line, loc.EndColumn, unit)
		}
	}
}

// findImport locates the quoted module specifier spec in the file abs (the
// import a bundler could not resolve): the 1-based line and character
// column of its opening quote.
func (e *Env) findImport(abs, spec string) (line, col int, ok bool) {
	data, ok := e.source(abs)
	if !ok || spec == "" {
		return 0, 0, false
	}
	for _, q := range []string{`"`, `'`, "`"} {
		needle := []byte(q + spec + q)
		i := bytes.Index(data, needle)
		if i < 0 {
			continue
		}
		start := bytes.LastIndexByte(data[:i], '\n') + 1
		return bytes.Count(data[:i], []byte{'\n'}) + 1, utf8.RuneCount(data[start:i]) + 1, true
	}
	return 0, 0, false
}

// placeUnresolved puts a problem that names only a file, about an import
// that could not be resolved (unresolvedImport's phrasings), at the import
// in that file.
func (e *Env) placeUnresolved(loc *Location, message string) {
	if loc.Line > 1 || loc.Column > 0 || loc.File == "" {
		return
	}
	spec, _, ok := unresolvedImport(message)
	if !ok {
		return
	}
	if line, col, ok := e.findImport(loc.File, spec); ok {
		loc.Line, loc.Column = line, col
	}
}

// unresolvedLoc places a problem whose message alone names the importer
// (vite build: `[vite]: Rollup failed to resolve import "x" from
// "/abs/src/a.ts".`, the vite 5 dev server's one-line `Pre-transform
// error: Failed to resolve import "./x" from "src/a.ts".`): at the import,
// else at the importer's first line.
func (e *Env) unresolvedLoc(message string) (Location, bool) {
	spec, from, ok := unresolvedImport(message)
	if !ok || from == "" {
		return Location{}, false
	}
	abs, ok := e.ResolveExisting(from)
	if !ok {
		return Location{}, false
	}
	loc := Location{File: abs, Line: 1}
	if line, col, ok := e.findImport(abs, spec); ok {
		loc.Line, loc.Column = line, col
	}
	return loc, true
}

// unresolvedImport reads the specifier of an import that could not be
// resolved, and its importer when the message names it:
//
//	Could not resolve "./x" from "src/main.js"                  (rollup, vite)
//	[vite]: Rollup failed to resolve import "x" from "/abs/a.ts".  (vite build; "Rolldown" in vite 8)
//	Failed to resolve import "./x" from "src/a.ts". Does the file exist?  (vite dev)
//	ENOENT: no such file or directory, open './x.css'          (postcss's @import, no importer)
func unresolvedImport(message string) (spec, from string, ok bool) {
	var rest string
	for _, phrase := range []string{"Could not resolve ", "ailed to resolve import ", "ENOENT: no such file or directory, open "} {
		if _, r, found := strings.Cut(message, phrase); found {
			rest, ok = r, true
			break
		}
	}
	if !ok {
		return "", "", false
	}
	spec, rest, ok = cutQuoted(rest)
	if !ok || spec == "" {
		return "", "", false
	}
	if r, found := strings.CutPrefix(rest, " from "); found {
		from, _, _ = cutQuoted(r)
	}
	return spec, from, true
}

// cutQuoted cuts a string in double or single quotes off the front of s.
func cutQuoted(s string) (quoted, rest string, ok bool) {
	if s == "" || s[0] != '"' && s[0] != '\'' {
		return "", s, false
	}
	quoted, rest, ok = strings.Cut(s[1:], s[:1])
	return quoted, rest, ok
}
