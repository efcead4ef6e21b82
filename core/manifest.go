package core

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"unicode/utf16"
	"unicode/utf8"
)

// manifestFields are the parts of package.json that Brummer reads besides
// the scripts, whose order and key ranges need the token scan.
type manifestFields struct {
	Name           string          `json:"name"`
	PackageManager string          `json:"packageManager"`
	Workspaces     json.RawMessage `json:"workspaces"`
}

// parsedManifest is a manifest plus what workspace discovery needs from it.
type parsedManifest struct {
	Manifest
	// pmField is the manager named by the packageManager field ("" if none).
	pmField    string
	workspaces []string
}

// parseManifest reads package.json text. Scripts get their package manager
// later, from detectManager; here only the text is looked at.
func parseManifest(path string, text []byte) parsedManifest {
	path = filepath.Clean(path)
	pm := parsedManifest{Manifest: Manifest{Path: path, Dir: filepath.Dir(path)}}
	fail := func(err error) parsedManifest {
		pm.Err = err
		pm.Scripts = nil
		return pm
	}
	var f manifestFields
	if err := json.Unmarshal(text, &f); err != nil {
		return fail(jsonError(path, text, err))
	}
	pm.Name = f.Name
	if f.PackageManager != "" {
		name, err := managerFromField(f.PackageManager)
		if err != nil {
			return fail(fmt.Errorf("%s: %w", path, err))
		}
		pm.pmField = name
	}
	if len(f.Workspaces) > 0 {
		ws, err := workspacesField(f.Workspaces)
		if err != nil {
			return fail(fmt.Errorf("%s: %w", path, err))
		}
		pm.workspaces = ws
	}
	scripts, err := scanScripts(path, text)
	if err != nil {
		return fail(err)
	}
	pm.Scripts = scripts
	return pm
}

// workspacesField accepts the npm/yarn array form and the yarn
// {"packages": [...]} form.
func workspacesField(raw json.RawMessage) ([]string, error) {
	var list []string
	if err := json.Unmarshal(raw, &list); err == nil {
		return list, nil
	}
	var obj struct {
		Packages []string `json:"packages"`
	}
	if err := json.Unmarshal(raw, &obj); err != nil {
		return nil, fmt.Errorf(`"workspaces" must be an array of globs or {"packages": [globs]}: %w`, err)
	}
	return obj.Packages, nil
}

// scanScripts walks the top-level object with a tokenizer to keep the
// scripts in file order and to know where each key is written.
func scanScripts(path string, text []byte) ([]Script, error) {
	dec := json.NewDecoder(bytes.NewReader(text))
	dec.UseNumber()
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		if err == nil {
			err = errors.New("the top level is not a JSON object")
		}
		return nil, jsonError(path, text, err)
	}
	lines := newLineIndex(text)
	var scripts []Script
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return nil, jsonError(path, text, err)
		}
		if key != "scripts" {
			if err := skipValue(dec); err != nil {
				return nil, jsonError(path, text, err)
			}
			continue
		}
		tok, err := dec.Token()
		if err != nil {
			return nil, jsonError(path, text, err)
		}
		if tok != json.Delim('{') {
			return nil, fmt.Errorf("%s: %s: \"scripts\" must be an object of name -> command", path, lines.human(int(dec.InputOffset())))
		}
		// Duplicate keys: the last one wins, as in every JSON reader.
		scripts = scripts[:0]
		for dec.More() {
			before := int(dec.InputOffset())
			nameTok, err := dec.Token()
			if err != nil {
				return nil, jsonError(path, text, err)
			}
			end := int(dec.InputOffset())
			start := keyStart(text, before)
			valTok, err := dec.Token()
			if err != nil {
				return nil, jsonError(path, text, err)
			}
			name := nameTok.(string)
			cmd, ok := valTok.(string)
			if !ok {
				return nil, fmt.Errorf("%s: %s: script %q: the command must be a string", path, lines.human(start), name)
			}
			s := Script{
				Name:     name,
				Command:  cmd,
				Dir:      filepath.Dir(path),
				Manifest: path,
				Range:    Range{Start: lines.position(start), End: lines.position(end)},
			}
			replaced := false
			for i := range scripts {
				if scripts[i].Name == name {
					scripts[i] = s
					replaced = true
				}
			}
			if !replaced {
				scripts = append(scripts, s)
			}
		}
		if _, err := dec.Token(); err != nil { // closing '}'
			return nil, jsonError(path, text, err)
		}
	}
	return scripts, nil
}

// keyStart finds the opening quote of the key that follows offset: the
// decoder reports the end of the previous token, and the separators between
// are not tokens.
func keyStart(text []byte, offset int) int {
	for i := offset; i < len(text); i++ {
		if text[i] == '"' {
			return i
		}
	}
	return offset
}

func skipValue(dec *json.Decoder) error {
	var v json.RawMessage
	return dec.Decode(&v)
}

// jsonError turns a decoding error into one naming the file, line and
// column, so a person can jump to it.
func jsonError(path string, text []byte, err error) error {
	lines := newLineIndex(text)
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		// Offset is "after reading Offset bytes": the culprit is the last byte read.
		off := int(syn.Offset) - 1
		if off < 0 {
			off = 0
		}
		return fmt.Errorf("%s:%s: %w (fix the JSON syntax)", path, lines.human(off), err)
	case errors.As(err, &typ):
		return fmt.Errorf("%s:%s: %w", path, lines.human(int(typ.Offset)), err)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("%s:%s: unexpected end of JSON (fix the JSON syntax)", path, lines.human(len(text)))
	}
	return fmt.Errorf("%s: %w", path, err)
}

// lineIndex converts byte offsets of a text to positions.
type lineIndex struct {
	text   []byte
	starts []int // byte offset of each line's start
}

func newLineIndex(text []byte) lineIndex {
	starts := []int{0}
	for i, b := range text {
		if b == '\n' {
			starts = append(starts, i+1)
		}
	}
	return lineIndex{text: text, starts: starts}
}

func (l lineIndex) line(off int) int {
	lo, hi := 0, len(l.starts)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if l.starts[mid] <= off {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}

// position is the LSP position of a byte offset: UTF-16 units from the
// line's start, as editors count them.
func (l lineIndex) position(off int) Position {
	off = min(max(off, 0), len(l.text))
	ln := l.line(off)
	units := 0
	for s := l.text[l.starts[ln]:off]; len(s) > 0; {
		r, size := utf8.DecodeRune(s)
		n := utf16.RuneLen(r)
		if n < 0 { // an invalid byte shows as one replacement character
			n = 1
		}
		units += n
		s = s[size:]
	}
	return Position{Line: ln, Character: units}
}

// human is "line:col", both 1-based, columns in characters, as compilers
// print them.
func (l lineIndex) human(off int) string {
	off = min(max(off, 0), len(l.text))
	ln := l.line(off)
	col := utf8.RuneCount(l.text[l.starts[ln]:off]) + 1
	return fmt.Sprintf("%d:%d", ln+1, col)
}
