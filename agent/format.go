package agent

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Caps that keep an answer within a model's context; each answer says what
// it left out and how to get it.
const (
	maxListed       = 100 // scripts, processes, URLs
	defaultLogLines = 100
	maxLogLines     = 500
	maxLineChars    = 400    // one log line or message, cut with a marker
	maxAnswerChars  = 24_000 // one answer
	maxProblems     = 50
	defaultRequests = 50
	maxRequests     = 200
)

// rel shows path relative to the workspace root when it is inside it.
func (s *Server) rel(path string) string {
	r, err := filepath.Rel(s.opts.Root, path)
	if err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		return path
	}
	return r
}

func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && (s[i]&0xC0) == 0x80 { // not inside a UTF-8 sequence
		i--
	}
	return s[:i] + fmt.Sprintf("… (%d more bytes)", len(s)-i)
}

func clock(rfc string) string {
	t, err := time.Parse(time.RFC3339Nano, rfc)
	if err != nil {
		return rfc
	}
	return t.Local().Format("15:04:05")
}

// processLine is one process in a line: "p1 build [.] failed (exit 2) · 2
// errors · http://…".
func (s *Server) processLine(p wireProcess) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s [%s] %s", p.ID, p.Script, s.rel(p.Dir), p.Status)
	if p.ExitCode != nil {
		fmt.Fprintf(&b, " (exit %d)", *p.ExitCode)
	}
	if !p.ended() && p.PID > 0 {
		fmt.Fprintf(&b, " pid %d", p.PID)
	}
	if p.StartedAt != "" {
		fmt.Fprintf(&b, " since %s", clock(p.StartedAt))
	}
	if p.Errors > 0 || p.Warnings > 0 {
		fmt.Fprintf(&b, " · %d errors, %d warnings", p.Errors, p.Warnings)
	}
	for _, u := range p.URLs {
		b.WriteString(" · " + u.URL)
	}
	return b.String()
}

func (s *Server) scriptsText(ctx context.Context) (string, error) {
	var scripts []wireScript
	if err := s.call(ctx, "brummer/scripts", map[string]any{}, &scripts); err != nil {
		return "", err
	}
	ps, err := s.processes(ctx)
	if err != nil {
		return "", err
	}
	running := map[[2]string]string{}
	for _, p := range ps {
		if !p.ended() {
			running[[2]string{p.Script, p.Dir}] = p.ID
		}
	}
	if len(scripts) == 0 {
		return "no scripts: the workspace " + s.opts.Root + " has no package.json with \"scripts\"", nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d scripts (name [dir] (package manager): command):\n", len(scripts))
	for i, sc := range scripts {
		if i == maxListed {
			fmt.Fprintf(&b, "… %d more not shown: run_script takes any of them by name and dir\n", len(scripts)-i)
			break
		}
		fmt.Fprintf(&b, "- %s [%s] (%s): %s", sc.Name, s.rel(sc.Dir), sc.PackageManager, cut(sc.Command, 200))
		if id, ok := running[[2]string{sc.Name, sc.Dir}]; ok {
			fmt.Fprintf(&b, "  ← running as %s", id)
		}
		b.WriteByte('\n')
	}
	return b.String(), nil
}

func (s *Server) processesText(ctx context.Context) (string, error) {
	ps, err := s.processes(ctx)
	if err != nil {
		return "", err
	}
	if len(ps) == 0 {
		return "no processes: start a script with run_script (list_scripts shows them)", nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d processes, newest first:\n", len(ps))
	for i, p := range ps {
		if i == maxListed {
			fmt.Fprintf(&b, "… %d older processes not shown\n", len(ps)-i)
			break
		}
		b.WriteString(s.processLine(p) + "\n")
	}
	return b.String(), nil
}

func (s *Server) logsText(ctx context.Context, a logsArgs) (string, error) {
	switch a.Level {
	case "", "info", "warn", "error":
	default:
		return "", fmt.Errorf("level must be info, warn or error, not %q", a.Level)
	}
	if a.Limit < 0 {
		return "", fmt.Errorf("limit must be positive, not %d", a.Limit)
	}
	limit := a.Limit
	if limit == 0 {
		limit = defaultLogLines
	}
	limit = min(limit, maxLogLines)
	tail := a.AfterSeq == 0
	if a.Tail != nil {
		tail = *a.Tail
	}
	params := map[string]any{"limit": limit, "tail": tail}
	for k, v := range map[string]string{"processId": a.ProcessID, "level": a.Level, "query": a.Query} {
		if v != "" {
			params[k] = v
		}
	}
	if a.AfterSeq > 0 {
		params["afterSeq"] = a.AfterSeq
	}
	var res wireLogs
	if err := s.call(ctx, "brummer/logs", params, &res); err != nil {
		return "", err
	}
	if len(res.Entries) == 0 {
		return fmt.Sprintf("no matching log lines (last seq %d)", res.LastSeq), nil
	}
	lines := make([]string, len(res.Entries))
	for i, e := range res.Entries {
		lvl := ""
		if e.Level != "info" && e.Level != "" {
			lvl = " " + e.Level
		}
		lines[i] = fmt.Sprintf("[%d %s %s %s%s] %s", e.Seq, clock(e.Time), e.ProcessID, e.Stream, lvl, cut(e.Text, maxLineChars))
	}
	// Over the answer's size, the lines farthest from what was asked go:
	// the oldest of a tail, the newest of a page forward.
	size, shown := 0, 0
	for i := range lines {
		j := i
		if tail {
			j = len(lines) - 1 - i
		}
		if size+len(lines[j])+1 > maxAnswerChars {
			break
		}
		size += len(lines[j]) + 1
		shown++
	}
	var b strings.Builder
	first, last := res.Entries[0].Seq, res.Entries[len(res.Entries)-1].Seq
	if tail {
		left := len(lines) - shown
		lines = lines[left:]
		if left > 0 {
			fmt.Fprintf(&b, "(%d older lines of this page left out to fit; ask with a smaller limit or afterSeq=%d to read them)\n", left, first-1)
		} else if len(res.Entries) == limit {
			if oldest, ok := s.oldestSeq(ctx, params); ok && oldest < first {
				fmt.Fprintf(&b, "(the newest %d lines; earlier ones exist from seq %d: call get_logs with tail: false to read from the oldest, then afterSeq to page on)\n", limit, oldest)
			}
		}
		b.WriteString(strings.Join(lines, "\n"))
		b.WriteByte('\n')
	} else {
		left := len(lines) - shown
		lines = lines[:shown]
		b.WriteString(strings.Join(lines, "\n"))
		b.WriteByte('\n')
		switch {
		case left > 0:
			fmt.Fprintf(&b, "(%d more lines left out to fit: call get_logs with afterSeq=%d)\n", left, res.Entries[shown-1].Seq)
		case len(res.Entries) == limit:
			fmt.Fprintf(&b, "(more may follow: call get_logs with afterSeq=%d)\n", last)
		}
	}
	if res.Dropped > 0 {
		fmt.Fprintf(&b, "(%d lines were dropped from the bounded log store before they could be read)\n", res.Dropped)
	}
	return b.String(), nil
}

// oldestSeq is the sequence number of the oldest line that the query of a
// tail matches.
func (s *Server) oldestSeq(ctx context.Context, params map[string]any) (uint64, bool) {
	q := map[string]any{}
	for k, v := range params {
		q[k] = v
	}
	q["tail"], q["limit"] = false, 1
	delete(q, "afterSeq")
	var res wireLogs
	if err := s.call(ctx, "brummer/logs", q, &res); err != nil || len(res.Entries) == 0 {
		return 0, false
	}
	return res.Entries[0].Seq, true
}

// problem is what get_problems answers per problem: the object `brummer
// run --problems` writes (1-based lines, columns in characters), with the
// process and related locations.
type problem struct {
	File      string    `json:"file"`
	Line      int       `json:"line"`
	Column    int       `json:"column"`
	EndLine   int       `json:"endLine"`
	EndColumn int       `json:"endColumn"`
	Severity  string    `json:"severity"`
	Message   string    `json:"message"`
	Source    string    `json:"source,omitempty"`
	Code      string    `json:"code,omitempty"`
	ProcessID string    `json:"processId"`
	Related   []related `json:"related,omitempty"`
}

type related struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

func severity(n int) string {
	switch n {
	case 1:
		return "error"
	case 2:
		return "warning"
	case 3:
		return "info"
	}
	return "hint"
}

func uriPath(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.Scheme != "file" {
		return u
	}
	return filepath.FromSlash(p.Path)
}

func (s *Server) problemsText(ctx context.Context, a problemsArgs) (string, error) {
	params := map[string]any{}
	if a.ProcessID != "" {
		if _, err := s.process(ctx, a.ProcessID); err != nil {
			return "", err
		}
		params["processId"] = a.ProcessID
	}
	var items []wireProblem
	if err := s.call(ctx, "brummer/problems", params, &items); err != nil {
		return "", err
	}
	want := ""
	if a.File != "" {
		want = filepath.Clean(a.File)
		if !filepath.IsAbs(want) {
			if abs := filepath.Join(s.opts.Root, want); fileExists(abs) {
				want = abs
			}
		}
	}
	out := []problem{}
	total := 0
	cols := columns{}
	for _, it := range items {
		path := uriPath(it.URI)
		if want != "" && path != want && !strings.HasSuffix(path, string(filepath.Separator)+want) {
			continue
		}
		total++
		if len(out) == maxProblems {
			continue
		}
		d := it.Diagnostic
		p := problem{
			File: s.rel(path), Line: d.Range.Start.Line + 1, Column: cols.of(path, d.Range.Start),
			EndLine: d.Range.End.Line + 1, EndColumn: cols.of(path, d.Range.End),
			Severity: severity(d.Severity), Message: cut(d.Message, 2*maxLineChars),
			Source: d.Source, Code: d.Code, ProcessID: it.ProcessID,
		}
		for i, r := range d.RelatedInformation {
			if i == 5 {
				break
			}
			p.Related = append(p.Related, related{
				File: s.rel(uriPath(r.Location.URI)), Line: r.Location.Range.Start.Line + 1,
				Column: cols.of(uriPath(r.Location.URI), r.Location.Range.Start), Message: cut(r.Message, maxLineChars),
			})
		}
		out = append(out, p)
	}
	answer := map[string]any{"problems": out, "total": total}
	if total > len(out) {
		answer["note"] = fmt.Sprintf("%d of %d problems shown: narrow with processId or file", len(out), total)
	}
	raw, err := json.Marshal(answer)
	return string(raw), err
}

func (s *Server) urlsText(ctx context.Context) (string, error) {
	var urls []wireURL
	if err := s.call(ctx, "brummer/urls", map[string]any{}, &urls); err != nil {
		return "", err
	}
	if len(urls) == 0 {
		return "no URLs: no running process has printed one (start a dev server with run_script, then wait until url)", nil
	}
	var b strings.Builder
	for i, u := range urls {
		if i == maxListed {
			fmt.Fprintf(&b, "… %d more not shown\n", len(urls)-i)
			break
		}
		fmt.Fprintf(&b, "%s", u.URL)
		if u.ProxyURL != "" {
			fmt.Fprintf(&b, " (proxy %s)", u.ProxyURL)
		}
		fmt.Fprintf(&b, " ← %s %s\n", u.ProcessID, u.Script)
	}
	return b.String(), nil
}

func (s *Server) requestsText(ctx context.Context, a requestsArgs) (string, error) {
	if a.Limit < 0 {
		return "", fmt.Errorf("limit must be positive, not %d", a.Limit)
	}
	limit := a.Limit
	if limit == 0 {
		limit = defaultRequests
	}
	limit = min(limit, maxRequests)
	var reqs []wireRequest
	if err := s.call(ctx, "brummer/requests", map[string]any{"limit": limit}, &reqs); err != nil {
		return "", err
	}
	if len(reqs) == 0 {
		return "no requests through the proxies yet (list_urls shows the proxy URLs)", nil
	}
	var b strings.Builder
	for _, r := range reqs {
		fmt.Fprintf(&b, "%s %s %s %d %.0fms %dB %s\n", clock(r.Time), r.Method, cut(r.URL, 200), r.Status, r.DurationMS, r.Bytes, r.ProcessID)
	}
	return b.String(), nil
}

// maxColumnFile bounds the files read to convert columns.
const maxColumnFile = 8 << 20

// columns converts LSP positions (UTF-16 units) to 1-based columns in
// characters (code points), as `brummer run --problems` counts them, with
// each file read once per answer. A file it cannot read keeps the UTF-16
// count (the same for ASCII lines).
type columns map[string][]string

func (c columns) of(path string, pos wirePosition) int {
	lines, ok := c[path]
	if !ok {
		if fi, err := os.Stat(path); err == nil && fi.Size() <= maxColumnFile {
			if data, err := os.ReadFile(path); err == nil {
				lines = strings.Split(string(data), "\n")
			}
		}
		c[path] = lines
	}
	if pos.Line >= len(lines) {
		return pos.Character + 1
	}
	units, chars := 0, 0
	for _, r := range lines[pos.Line] {
		if units >= pos.Character {
			break
		}
		units++
		if r >= 0x10000 {
			units++
		}
		chars++
	}
	if units < pos.Character { // past the end of the line
		chars += pos.Character - units
	}
	return chars + 1
}
