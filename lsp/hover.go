package lsp

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/brummer-dev/brummer/core"
	"github.com/brummer-dev/brummer/logstore"
)

type positionParams struct {
	TextDocument struct {
		URI string `json:"uri"`
	} `json:"textDocument"`
	Position wirePosition `json:"position"`
}

type hoverResult struct {
	Contents markupContent `json:"contents"`
	Range    wireRange     `json:"range"`
}

type markupContent struct {
	Kind  string `json:"kind"`
	Value string `json:"value"`
}

// hoverLines is how many of the last output lines a hover shows.
const hoverLines = 10

// hover over a script key: command, status, URLs and proxies, problems and
// the last lines of output.
func (s *Server) hover(_ context.Context, p *positionParams) (*hoverResult, error) {
	path := uriPath(p.TextDocument.URI)
	if path == "" {
		return nil, invalidParams("textDocument/hover: textDocument.uri %q is not a file:// URI", p.TextDocument.URI)
	}
	app := s.application()
	m, ok := s.manifestAt(app, path)
	if !ok || m.Err != nil {
		return nil, nil
	}
	for _, sc := range m.Scripts {
		if !inRange(sc.Range, p.Position) {
			continue
		}
		var b strings.Builder
		fmt.Fprintf(&b, "**%s** · `%s` (%s)\n\n", sc.Name, sc.Command, sc.PackageManager)
		proc, ok := latestByScript(app.Processes())[scriptKey(sc.Dir, sc.Name)]
		if !ok {
			b.WriteString("Not run yet.\n")
		} else {
			describeProcess(&b, app, proc)
		}
		return &hoverResult{Contents: markupContent{"markdown", b.String()}, Range: toWireRange(sc.Range)}, nil
	}
	return nil, nil
}

func describeProcess(b *strings.Builder, app App, p core.Process) {
	fmt.Fprintf(b, "Status: **%s** (%s", p.Status, p.ID)
	if p.PID > 0 {
		fmt.Fprintf(b, ", pid %d", p.PID)
	}
	if p.ExitCode != nil {
		fmt.Fprintf(b, ", exit %d", *p.ExitCode)
	}
	if !p.StartedAt.IsZero() {
		fmt.Fprintf(b, ", started %s ago", shortDuration(time.Since(p.StartedAt)))
	}
	b.WriteString(")\n\n")
	for _, u := range p.URLs {
		if u.ProxyURL != "" {
			fmt.Fprintf(b, "- %s → proxy %s\n", u.URL, u.ProxyURL)
		} else {
			fmt.Fprintf(b, "- %s\n", u.URL)
		}
	}
	if len(p.URLs) > 0 {
		b.WriteString("\n")
	}
	fmt.Fprintf(b, "Problems: %s, %s\n", plural(p.Errors, "error"), plural(p.Warnings, "warning"))
	res, err := app.Logs(logstore.Query{ProcessID: p.ID, Limit: hoverLines, Tail: true})
	if err != nil || len(res.Entries) == 0 {
		return
	}
	b.WriteString("\n```text\n")
	for _, e := range res.Entries {
		// A fence inside the output would end the block early.
		b.WriteString(strings.ReplaceAll(truncate(e.Text, 200), "```", "'''"))
		b.WriteString("\n")
	}
	b.WriteString("```\n")
}

func inRange(r core.Range, p wirePosition) bool {
	after := p.Line > r.Start.Line || (p.Line == r.Start.Line && p.Character >= r.Start.Character)
	before := p.Line < r.End.Line || (p.Line == r.End.Line && p.Character <= r.End.Character)
	return after && before
}
