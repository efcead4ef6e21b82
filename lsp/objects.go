package lsp

import (
	"time"

	"github.com/brummer-dev/brummer/core"
	"github.com/brummer-dev/brummer/logstore"
	"go.lsp.dev/uri"
)

// The JSON shapes of PROTOCOL.md ("Objects"). They are written with
// encoding/json from these structs so the field names are exactly the
// protocol's.

type wirePosition struct {
	Line      int `json:"line"`
	Character int `json:"character"`
}

type wireRange struct {
	Start wirePosition `json:"start"`
	End   wirePosition `json:"end"`
}

type wireLocation struct {
	URI   string    `json:"uri"`
	Range wireRange `json:"range"`
}

type wireScript struct {
	Name           string    `json:"name"`
	Command        string    `json:"command"`
	Dir            string    `json:"dir"`
	PackageManager string    `json:"packageManager"`
	URI            string    `json:"uri"`
	Range          wireRange `json:"range"`
}

type wireProcess struct {
	ID        string     `json:"id"`
	Script    string     `json:"script"`
	Dir       string     `json:"dir"`
	Command   string     `json:"command"`
	Status    string     `json:"status"`
	PID       int        `json:"pid"`
	ExitCode  *int       `json:"exitCode"`
	StartedAt string     `json:"startedAt"`
	EndedAt   *string    `json:"endedAt"`
	Errors    int        `json:"errors"`
	Warnings  int        `json:"warnings"`
	URLs      []core.URL `json:"urls"`
}

type wireLogEntry struct {
	Seq       uint64 `json:"seq"`
	ProcessID string `json:"processId"`
	Time      string `json:"time"`
	Stream    string `json:"stream"`
	Text      string `json:"text"`
	Level     string `json:"level"`
}

func fileURI(path string) string { return string(uri.File(path)) }

// uriPath turns a file:// URI into a path; "" when it is not a file URI.
func uriPath(s string) string {
	u, err := uri.Parse(s)
	if err != nil || !u.IsFile() {
		return ""
	}
	return u.FsPath()
}

func toWireRange(r core.Range) wireRange {
	return wireRange{
		Start: wirePosition{r.Start.Line, r.Start.Character},
		End:   wirePosition{r.End.Line, r.End.Character},
	}
}

func toWireScript(s core.Script) wireScript {
	return wireScript{
		Name: s.Name, Command: s.Command, Dir: s.Dir, PackageManager: s.PackageManager,
		URI: fileURI(s.Manifest), Range: toWireRange(s.Range),
	}
}

func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func toWireProcess(p core.Process) wireProcess {
	w := wireProcess{
		ID: p.ID, Script: p.Script, Dir: p.Dir, Command: p.Command,
		Status: p.Status.String(), PID: p.PID, ExitCode: p.ExitCode,
		Errors: p.Errors, Warnings: p.Warnings, URLs: p.URLs,
	}
	if !p.StartedAt.IsZero() {
		w.StartedAt = rfc3339(p.StartedAt)
	}
	if p.EndedAt != nil {
		s := rfc3339(*p.EndedAt)
		w.EndedAt = &s
	}
	if w.URLs == nil {
		w.URLs = []core.URL{}
	}
	return w
}

func toWireProcesses(ps []core.Process) []wireProcess {
	out := make([]wireProcess, len(ps))
	for i, p := range ps {
		out[i] = toWireProcess(p)
	}
	return out
}

func toWireEntry(e logstore.Entry) wireLogEntry {
	return wireLogEntry{
		Seq: e.Seq, ProcessID: e.ProcessID, Time: rfc3339(e.At()),
		Stream: e.Stream.String(), Text: e.Text, Level: e.Level.String(),
	}
}

func toWireEntries(es []logstore.Entry) []wireLogEntry {
	out := make([]wireLogEntry, len(es))
	for i, e := range es {
		out[i] = toWireEntry(e)
	}
	return out
}
