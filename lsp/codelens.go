package lsp

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/brummer-dev/brummer/core"
	"github.com/brummer-dev/brummer/procmgr"
)

type codeLens struct {
	Range   wireRange   `json:"range"`
	Command lensCommand `json:"command"`
}

type lensCommand struct {
	Title     string `json:"title"`
	Command   string `json:"command"`
	Arguments []any  `json:"arguments,omitempty"`
}

type scriptArg struct {
	Script string `json:"script"`
	Dir    string `json:"dir"`
}

type idArg struct {
	ID string `json:"id"`
}

type urlArg struct {
	URL string `json:"url"`
}

// manifestAt returns the manifest at path as the editor shows it: the open
// document's text (unsaved edits move the lenses) or else the file.
func (s *Server) manifestAt(app App, path string) (core.Manifest, bool) {
	if filepath.Base(path) != "package.json" {
		return core.Manifest{}, false
	}
	if text, ok := s.doc(path); ok {
		return app.ParseManifest(path, text), true
	}
	for _, m := range app.Manifests() {
		if m.Path == path {
			return m, true
		}
	}
	// A manifest the discovery skipped (node_modules, outside the roots)
	// gets no lenses: its scripts cannot be run.
	return core.Manifest{}, false
}

func (s *Server) codeLens(_ context.Context, p *textDocumentParams) ([]codeLens, error) {
	path := uriPath(p.TextDocument.URI)
	if path == "" {
		return nil, invalidParams("textDocument/codeLens: textDocument.uri %q is not a file:// URI", p.TextDocument.URI)
	}
	app := s.application()
	m, ok := s.manifestAt(app, path)
	lenses := []codeLens{}
	if !ok || m.Err != nil {
		return lenses, nil
	}
	latest := latestByScript(app.Processes())
	now := time.Now()
	for _, sc := range m.Scripts {
		r := toWireRange(sc.Range)
		run := codeLens{r, lensCommand{Title: "▶ Run", Command: "brummer.run", Arguments: []any{scriptArg{sc.Name, sc.Dir}}}}
		proc, ok := latest[scriptKey(sc.Dir, sc.Name)]
		switch {
		case !ok:
			lenses = append(lenses, run)
		case proc.Status.Active():
			id := []any{idArg{proc.ID}}
			lenses = append(lenses,
				codeLens{r, lensCommand{Title: "■ Stop", Command: "brummer.stop", Arguments: id}},
				codeLens{r, lensCommand{Title: "↻ Restart", Command: "brummer.restart", Arguments: id}},
				stateLens(r, proc, now))
		case proc.Status == procmgr.Failed:
			lenses = append(lenses, stateLens(r, proc, now), run)
		default:
			lenses = append(lenses, run)
		}
	}
	return lenses, nil
}

func scriptKey(dir, name string) string { return dir + "\x00" + name }

// latestByScript picks the newest process of each script (the list is
// newest first).
func latestByScript(ps []core.Process) map[string]core.Process {
	out := make(map[string]core.Process, len(ps))
	for _, p := range ps {
		k := scriptKey(p.Dir, p.Script)
		if _, seen := out[k]; !seen {
			out[k] = p
		}
	}
	return out
}

// stateLens is the lens that says what the process is doing; it opens the
// process's URL when it has one.
func stateLens(r wireRange, p core.Process, now time.Time) codeLens {
	if p.Status == procmgr.Failed {
		title := "✗ failed"
		if p.ExitCode != nil {
			title += fmt.Sprintf(" (exit %d)", *p.ExitCode)
		} else {
			title += " to start"
		}
		if p.Errors > 0 {
			title += " · " + plural(p.Errors, "error")
		}
		return codeLens{r, lensCommand{Title: title, Command: ""}}
	}
	title := "● " + p.Status.String()
	if !p.StartedAt.IsZero() && p.Status.Active() {
		// An editor draws a lens once and keeps it until the next refresh:
		// the time a process started stays true, a running time would
		// freeze ("running 0s" for an hour).
		title += " since " + clockTime(p.StartedAt.Local(), now.Local())
	}
	cmd := lensCommand{Command: ""}
	if len(p.URLs) > 0 {
		title += " · " + p.URLs[0].URL
		cmd.Command = "brummer.openUrl"
		cmd.Arguments = []any{urlArg{p.URLs[0].URL}}
	}
	if p.Errors > 0 {
		title += " · " + plural(p.Errors, "error")
	}
	cmd.Title = title
	return codeLens{r, cmd}
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// clockTime is t as a clock shows it: "15:04" on the day of now, else
// with its date ("Jan 2 15:04").
func clockTime(t, now time.Time) string {
	if y, m, d := t.Date(); y == now.Year() && m == now.Month() && d == now.Day() {
		return t.Format("15:04")
	}
	return t.Format("Jan 2 15:04")
}

// shortDuration: "12s", "2m", "1h3m".
func shortDuration(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	}
	return fmt.Sprintf("%dh%dm", int(d.Hours()), int(d.Minutes())%60)
}
