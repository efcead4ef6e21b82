package lsp

import (
	"bytes"
	"fmt"
	"unicode/utf16"
	"unicode/utf8"
)

type textDocumentParams struct {
	TextDocument struct {
		URI string `json:"uri"`
	} `json:"textDocument"`
}

type didOpenParams struct {
	TextDocument struct {
		URI     string `json:"uri"`
		Version int    `json:"version"`
		Text    string `json:"text"`
	} `json:"textDocument"`
}

type didChangeParams struct {
	TextDocument struct {
		URI     string `json:"uri"`
		Version int    `json:"version"`
	} `json:"textDocument"`
	ContentChanges []struct {
		Range *wireRange `json:"range"`
		Text  string     `json:"text"`
	} `json:"contentChanges"`
}

// Open documents are kept so lenses follow unsaved edits of manifests and
// diagnostics map columns on the text the editor shows.

func (s *Server) didOpen(p *didOpenParams) error {
	path := uriPath(p.TextDocument.URI)
	if path == "" {
		return invalidParams("textDocument/didOpen: textDocument.uri %q is not a file:// URI", p.TextDocument.URI)
	}
	s.setDoc(path, []byte(p.TextDocument.Text))
	return nil
}

func (s *Server) didChange(p *didChangeParams) error {
	path := uriPath(p.TextDocument.URI)
	if path == "" {
		return invalidParams("textDocument/didChange: textDocument.uri %q is not a file:// URI", p.TextDocument.URI)
	}
	if len(p.ContentChanges) == 0 {
		return nil
	}
	// Changes apply in order, each to the text the previous one left, and the
	// whole batch applies under one lock so a lens request never sees half of it.
	s.mu.Lock()
	text, open := s.docs[path]
	for i, c := range p.ContentChanges {
		if c.Range == nil {
			text, open = []byte(c.Text), true
			continue
		}
		if !open {
			s.mu.Unlock()
			return invalidParams("textDocument/didChange: %s is not open: send textDocument/didOpen with its full text before ranged changes", p.TextDocument.URI)
		}
		next, err := applyEdit(text, *c.Range, c.Text)
		if err != nil {
			s.mu.Unlock()
			return invalidParams("textDocument/didChange: %s, change %d: %v", p.TextDocument.URI, i, err)
		}
		text = next
	}
	s.docs[path] = text
	s.mu.Unlock()
	s.diag.forget(path)
	return nil
}

// applyEdit replaces the range r (LSP positions: 0-based lines, UTF-16
// columns) of text with repl. Positions past a line's end or past the
// document's end mean the end, as LSP defines; a range that ends before it
// starts is an error.
func applyEdit(text []byte, r wireRange, repl string) ([]byte, error) {
	start, end := byteOffset(text, r.Start), byteOffset(text, r.End)
	if start < 0 || end < 0 {
		return nil, fmt.Errorf("range %d:%d-%d:%d has a negative position", r.Start.Line, r.Start.Character, r.End.Line, r.End.Character)
	}
	if end < start {
		return nil, fmt.Errorf("range %d:%d-%d:%d ends before it starts", r.Start.Line, r.Start.Character, r.End.Line, r.End.Character)
	}
	out := make([]byte, 0, len(text)-(end-start)+len(repl))
	out = append(out, text[:start]...)
	out = append(out, repl...)
	return append(out, text[end:]...), nil
}

// byteOffset is the byte offset of an LSP position in text (-1 when the
// position is negative). Lines end at \n, \r\n or \r; a column inside a
// surrogate pair rounds down to the start of its character.
func byteOffset(text []byte, pos wirePosition) int {
	if pos.Line < 0 || pos.Character < 0 {
		return -1
	}
	i := 0
	for line := 0; line < pos.Line; line++ {
		j := bytes.IndexAny(text[i:], "\r\n")
		if j < 0 {
			return len(text)
		}
		i += j + 1
		if text[i-1] == '\r' && i < len(text) && text[i] == '\n' {
			i++
		}
	}
	for units := 0; i < len(text); {
		r, size := utf8.DecodeRune(text[i:])
		if r == '\n' || r == '\r' {
			break
		}
		n := utf16.RuneLen(r)
		if n < 0 { // invalid UTF-8 counts as U+FFFD: one unit
			n = 1
		}
		if units+n > pos.Character {
			break
		}
		units += n
		i += size
	}
	return i
}

func (s *Server) didClose(p *textDocumentParams) error {
	path := uriPath(p.TextDocument.URI)
	s.mu.Lock()
	delete(s.docs, path)
	s.mu.Unlock()
	s.diag.forget(path)
	return nil
}

func (s *Server) setDoc(path string, text []byte) {
	s.mu.Lock()
	s.docs[path] = text
	s.mu.Unlock()
	s.diag.forget(path)
}

// doc returns the editor's text of an open document.
func (s *Server) doc(path string) ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.docs[path]
	return t, ok
}
