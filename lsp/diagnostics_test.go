package lsp

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/brummer-dev/brummer/logstore/detect"
)

func publishFor(uri string) func(msg) bool {
	return func(m msg) bool {
		return m.Method == "textDocument/publishDiagnostics" && strings.Contains(string(m.Params), `"uri":"`+uri+`"`)
	}
}

func decodePublish(t *testing.T, m msg) publishDiagnosticsParams {
	t.Helper()
	var p publishDiagnosticsParams
	if err := json.Unmarshal(m.Params, &p); err != nil {
		t.Fatal(err)
	}
	if p.Diagnostics == nil {
		t.Fatalf("diagnostics null, want an array: %s", m.Params)
	}
	return p
}

func TestDiagnosticsFromOutput(t *testing.T) {
	root := fixture(t)
	e := newEditor(t, root, editorOpts{})
	uri := fileURI(filepath.Join(root, "src/a.ts"))
	p := e.run("fail", root)
	m := e.awaitLast("diagnostics of a.ts", "textDocument/publishDiagnostics", func(m msg) bool {
		return publishFor(uri)(m) && strings.Contains(string(m.Params), "TS2322")
	})
	pub := decodePublish(t, m)
	if len(pub.Diagnostics) != 1 {
		t.Fatalf("diagnostics %s", m.Params)
	}
	d := pub.Diagnostics[0]
	// tsc prints UTF-16 column 11 for "s", after a two-unit emoji: character
	// 10 in Brummer's problems, UTF-16 character 10 (0-based) on the wire.
	want := wireRange{wirePosition{0, 10}, wirePosition{0, 11}}
	if d.Range != want || d.Severity != 1 || d.Source != "tsc" || d.Code != "TS2322" || d.Data.ProcessID != p.ID ||
		!strings.Contains(d.Message, "not assignable") {
		t.Fatalf("diagnostic %+v, want range %+v from tsc TS2322 of %s", d, want, p.ID)
	}
	// They stay after the process ended, and brummer/problems has them.
	e.awaitProcess("fail to end", func(w wireProcess) bool { return w.ID == p.ID && w.Status == "failed" && w.Errors == 1 })
	var probs []problemItem
	e.mustCall("brummer/problems", map[string]any{"processId": p.ID}, &probs)
	if len(probs) != 1 || probs[0].URI != uri || probs[0].Diagnostic.Range != want {
		t.Fatalf("brummer/problems %+v", probs)
	}
	// clearLogs drops them: the file gets an empty set.
	mark := e.mark()
	e.mustCall("workspace/executeCommand", map[string]any{"command": "brummer.clearLogs", "arguments": []any{map[string]string{"id": p.ID}}}, nil)
	cleared, ok := e.awaitFrom(mark, "empty diagnostics", func(m msg) bool {
		return publishFor(uri)(m) && strings.Contains(string(m.Params), `"diagnostics":[]`)
	})
	if !ok {
		t.Fatalf("no empty publish after clearLogs:\n%s", e.tail(5))
	}
	decodePublish(t, cleared)
	e.mustCall("brummer/problems", map[string]any{}, &probs)
	if len(probs) != 0 {
		t.Fatalf("problems after clearLogs: %+v", probs)
	}
}

// Unit checks of the position mapping on text the server holds.
func TestRangeMapping(t *testing.T) {
	root := workspace(t, map[string]string{"package.json": `{"scripts":{}}`, "a.go": "package a\n\tvar héllo = wörld()\n"})
	s := &Server{docs: map[string][]byte{}}
	d := newDiagnostics(s)
	file := filepath.Join(root, "a.go")
	cases := []struct {
		loc  detect.Location
		want wireRange
	}{
		{detect.Location{File: file, Line: 2, Column: 6}, wireRange{wirePosition{1, 5}, wirePosition{1, 10}}},                            // the word héllo
		{detect.Location{File: file, Line: 2, Column: 14}, wireRange{wirePosition{1, 13}, wirePosition{1, 18}}},                          // wörld
		{detect.Location{File: file, Line: 2, Column: 6, EndLine: 2, EndColumn: 11}, wireRange{wirePosition{1, 5}, wirePosition{1, 10}}}, // exact
		{detect.Location{File: file, Line: 2}, wireRange{wirePosition{1, 0}, wirePosition{1, 20}}},                                       // whole line
		{detect.Location{File: filepath.Join(root, "missing.go"), Line: 3, Column: 4}, wireRange{wirePosition{2, 3}, wirePosition{2, 4}}},
	}
	for _, c := range cases {
		if got := d.rangeOf(c.loc); got != c.want {
			t.Errorf("rangeOf(%+v) = %+v, want %+v", c.loc, got, c.want)
		}
	}
	// The open document wins over the disk.
	s.docs[file] = []byte("x\n😀😀 héllo\n")
	if got := d.rangeOf(detect.Location{File: file, Line: 2, Column: 4}); got != (wireRange{wirePosition{1, 5}, wirePosition{1, 10}}) {
		t.Errorf("on the open text: %+v", got)
	}
}

func TestConvertKeepsRelatedCodeSourceAndProcess(t *testing.T) {
	root := workspace(t, map[string]string{"a.ts": "let x = 1;\n", "b.ts": "export let y: string;\n"})
	d := newDiagnostics(&Server{docs: map[string][]byte{}})
	p := detect.Problem{
		Location: detect.Location{File: filepath.Join(root, "a.ts"), Line: 1, Column: 5},
		Severity: detect.Warning, Message: "m", Source: "tsc", Code: "TS6133",
		Related: []detect.Related{{Location: detect.Location{File: filepath.Join(root, "b.ts"), Line: 1, Column: 12}, Message: "declared here"}},
	}
	w := d.convert("p7", p)
	raw, _ := json.Marshal(w)
	want := `{"range":{"start":{"line":0,"character":4},"end":{"line":0,"character":5}},"severity":2,"code":"TS6133","source":"tsc","message":"m",` +
		`"relatedInformation":[{"location":{"uri":"` + fileURI(filepath.Join(root, "b.ts")) + `","range":{"start":{"line":0,"character":11},"end":{"line":0,"character":12}}},"message":"declared here"}],"data":{"processId":"p7"}}`
	if string(raw) != want {
		t.Fatalf("got  %s\nwant %s", raw, want)
	}
}
