package lsp

import "go.uber.org/zap"

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
	for i := len(p.ContentChanges) - 1; i >= 0; i-- {
		c := p.ContentChanges[i]
		if c.Range == nil {
			s.setDoc(path, []byte(c.Text))
			return nil
		}
	}
	if len(p.ContentChanges) > 0 {
		// The server announced full sync; a ranged change means the client
		// ignored it. Keep the last full text rather than guess.
		s.log.Warn("ignoring incremental text changes: the server asked for full document sync", zap.String("uri", p.TextDocument.URI))
	}
	return nil
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
