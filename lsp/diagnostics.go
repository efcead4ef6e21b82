package lsp

import (
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/brummer-dev/brummer/logstore"
	"github.com/brummer-dev/brummer/logstore/detect"
)

type wireDiagnostic struct {
	Range              wireRange     `json:"range"`
	Severity           int           `json:"severity"`
	Code               string        `json:"code,omitempty"`
	Source             string        `json:"source,omitempty"`
	Message            string        `json:"message"`
	RelatedInformation []wireRelated `json:"relatedInformation,omitempty"`
	Data               diagData      `json:"data"`
}

type wireRelated struct {
	Location wireLocation `json:"location"`
	Message  string       `json:"message"`
}

type diagData struct {
	ProcessID string `json:"processId"`
}

// Bounds of the text cache used to map columns of files that are not open.
const (
	maxCachedFiles = 512
	maxMappedFile  = 8 << 20
)

// diagnostics turns each process's problems into publishDiagnostics: per
// file, the union over processes. A process's set is replaced whole by each
// ProblemsChanged (restart, new watch cycle) and kept after it exits.
type diagnostics struct {
	s         *Server
	maxPerURI atomic.Int64

	// mu guards byProc; the outbox is fed under it so that two processes
	// updating one file cannot publish in the wrong order.
	mu     sync.Mutex
	byProc map[string]map[string][]wireDiagnostic // process id -> uri -> set

	textMu sync.Mutex
	texts  map[string]cachedText // by path, files read from disk
}

type cachedText struct {
	lines []string
	mod   time.Time
	size  int64
}

func newDiagnostics(s *Server) *diagnostics {
	d := &diagnostics{s: s, byProc: map[string]map[string][]wireDiagnostic{}, texts: map[string]cachedText{}}
	d.maxPerURI.Store(1000)
	return d
}

func (d *diagnostics) setMaxPerURI(n int) {
	if n > 0 {
		d.maxPerURI.Store(int64(n))
	}
}

func (d *diagnostics) onProblems(pc logstore.ProblemsChanged) {
	sets := map[string][]wireDiagnostic{}
	for _, p := range pc.Problems {
		if p.File == "" {
			continue
		}
		uri := fileURI(p.File)
		sets[uri] = append(sets[uri], d.convert(pc.ProcessID, p))
	}
	d.replace(pc.ProcessID, sets)
}

// clear drops the diagnostics of process id, or of all when id is "".
func (d *diagnostics) clear(id string) {
	if id != "" {
		d.replace(id, nil)
		return
	}
	d.mu.Lock()
	ids := make([]string, 0, len(d.byProc))
	for pid := range d.byProc {
		ids = append(ids, pid)
	}
	d.mu.Unlock()
	for _, pid := range ids {
		d.replace(pid, nil)
	}
}

func (d *diagnostics) replace(pid string, sets map[string][]wireDiagnostic) {
	max := int(d.maxPerURI.Load())
	d.mu.Lock()
	defer d.mu.Unlock()
	affected := map[string]bool{}
	for uri := range d.byProc[pid] {
		affected[uri] = true
	}
	for uri := range sets {
		affected[uri] = true
	}
	if len(sets) == 0 {
		delete(d.byProc, pid)
	} else {
		d.byProc[pid] = sets
	}
	pids := make([]string, 0, len(d.byProc))
	for p := range d.byProc {
		pids = append(pids, p)
	}
	sort.Strings(pids)
	for uri := range affected {
		list := []wireDiagnostic{}
		for _, p := range pids {
			list = append(list, d.byProc[p][uri]...)
		}
		if len(list) > max {
			list = list[:max]
		}
		d.s.out.diagnostics(uri, list)
	}
}

func severity(s detect.Severity) int {
	switch s {
	case detect.Warning:
		return 2
	case detect.Info:
		return 3
	case detect.Hint:
		return 4
	}
	return 1
}

func (d *diagnostics) convert(pid string, p detect.Problem) wireDiagnostic {
	w := wireDiagnostic{
		Range:    d.rangeOf(p.Location),
		Severity: severity(p.Severity),
		Code:     p.Code,
		Source:   p.Source,
		Message:  p.Message,
		Data:     diagData{ProcessID: pid},
	}
	if w.Message == "" {
		w.Message = p.Source + " error"
	}
	for _, r := range p.Related {
		if r.File == "" {
			continue
		}
		w.RelatedInformation = append(w.RelatedInformation, wireRelated{
			Location: wireLocation{URI: fileURI(r.File), Range: d.rangeOf(r.Location)},
			Message:  r.Message,
		})
	}
	return w
}

// rangeOf maps a tool's 1-based line and column (counted in characters) to
// an LSP range in UTF-16 units on the file's text: exact when the tool gave
// an end, else the word at the column, else the whole line.
func (d *diagnostics) rangeOf(l detect.Location) wireRange {
	lines := d.lines(l.File)
	line := max(l.Line-1, 0)
	text, known := lineAt(lines, line)
	if l.Column <= 0 {
		return wireRange{wirePosition{line, 0}, wirePosition{line, utf16Len(text)}}
	}
	startRune := l.Column - 1
	start := wirePosition{line, utf16Col(text, startRune)}
	if l.EndLine > 0 && l.EndColumn > 0 {
		endText, _ := lineAt(lines, l.EndLine-1)
		return wireRange{start, wirePosition{l.EndLine - 1, utf16Col(endText, l.EndColumn-1)}}
	}
	if !known {
		return wireRange{start, wirePosition{line, start.Character + 1}}
	}
	runes := []rune(text)
	end := startRune
	for end < len(runes) && isWordRune(runes[end]) {
		end++
	}
	if end == startRune && end < len(runes) {
		end++ // not on a word: the one character
	}
	return wireRange{start, wirePosition{line, utf16Col(text, end)}}
}

func isWordRune(r rune) bool {
	return r == '_' || r == '$' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > utf8.RuneSelf
}

func lineAt(lines []string, i int) (string, bool) {
	if i < 0 || i >= len(lines) {
		return "", false
	}
	return lines[i], true
}

// utf16Col is the UTF-16 offset of rune index n of s (past the end, one
// unit per missing character, so a column beyond the text stays distinct).
func utf16Col(s string, n int) int {
	u, i := 0, 0
	for _, r := range s {
		if i == n {
			return u
		}
		u += utf16.RuneLen(r)
		i++
	}
	return u + (n - i)
}

func utf16Len(s string) int { return utf16Col(s, utf8.RuneCountInString(s)) }

// lines returns the text of path as the editor shows it: the open
// document, else the file on disk (cached while unchanged).
func (d *diagnostics) lines(path string) []string {
	if text, ok := d.s.doc(path); ok {
		return splitLines(string(text))
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Size() > maxMappedFile {
		return nil
	}
	d.textMu.Lock()
	c, ok := d.texts[path]
	d.textMu.Unlock()
	if ok && c.mod.Equal(fi.ModTime()) && c.size == fi.Size() {
		return c.lines
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	lines := splitLines(string(data))
	d.textMu.Lock()
	if len(d.texts) >= maxCachedFiles {
		clear(d.texts)
	}
	d.texts[path] = cachedText{lines: lines, mod: fi.ModTime(), size: fi.Size()}
	d.textMu.Unlock()
	return lines
}

// forget drops the cached disk text of path (it is open now, or closed and
// maybe changed).
func (d *diagnostics) forget(path string) {
	d.textMu.Lock()
	delete(d.texts, path)
	d.textMu.Unlock()
}

func splitLines(s string) []string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return lines
}
