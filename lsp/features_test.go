package lsp

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestScriptsRequest(t *testing.T) {
	root := fixture(t)
	e := newEditor(t, root, editorOpts{})
	var scripts []wireScript
	e.mustCall("brummer/scripts", map[string]any{}, &scripts)
	var names []string
	for _, s := range scripts {
		names = append(names, s.Name)
		if s.Dir != root || s.URI != fileURI(filepath.Join(root, "package.json")) || s.PackageManager != "npm" {
			t.Errorf("script %+v", s)
		}
	}
	slices.Sort(names)
	if !slices.Equal(names, []string{"fail", "ok", "serve"}) {
		t.Fatalf("scripts = %v", names)
	}
	// "serve" is on line 4 of the manifest.
	for _, s := range scripts {
		if s.Name == "serve" && (s.Range.Start.Line != 4 || s.Range.Start.Character != 4) {
			t.Errorf("serve range = %+v, want the key at 4:4", s.Range)
		}
	}
}

// The state lens of a running process says since when it runs (a clock
// time stays true while the editor keeps the lens), and opens its URL.
var runningLens = regexp.MustCompile(`^● running since \d\d:\d\d · http://localhost:5173/$`)

func TestClockTime(t *testing.T) {
	now := time.Date(2026, 12, 6, 23, 50, 0, 0, time.Local)
	for at, want := range map[time.Time]string{
		time.Date(2026, 12, 6, 9, 5, 0, 0, time.Local):   "09:05",
		time.Date(2026, 12, 5, 23, 59, 0, 0, time.Local): "Dec 5 23:59",
		time.Date(2025, 12, 6, 9, 5, 0, 0, time.Local):   "Dec 6 09:05",
	} {
		if got := clockTime(at, now); got != want {
			t.Errorf("clockTime(%v) = %q, want %q", at, got, want)
		}
	}
}

func TestLensesThroughRunStopFail(t *testing.T) {
	root := fixture(t)
	e := newEditor(t, root, editorOpts{})
	uri := fileURI(filepath.Join(root, "package.json"))
	titles := e.lensTitles(uri)
	if !slices.Equal(titles, []string{"▶ Run", "▶ Run", "▶ Run"}) {
		t.Fatalf("idle lenses = %q", titles)
	}
	p := e.run("serve", root)
	if p.Status != "running" && p.Status != "starting" {
		t.Fatalf("run answered status %q", p.Status)
	}
	e.awaitLenses(uri, "while serve runs", func(ts []string) bool {
		return slices.Contains(ts, "■ Stop") && slices.Contains(ts, "↻ Restart") &&
			slices.ContainsFunc(ts, runningLens.MatchString)
	})
	// A lens refresh was asked for (the editor announced refreshSupport).
	e.await("codeLens refresh", method("workspace/codeLens/refresh"))

	var stopped wireProcess
	e.mustCall("workspace/executeCommand", map[string]any{"command": "brummer.stop", "arguments": []any{map[string]string{"id": p.ID}}}, &stopped)
	if stopped.Status != "stopped" || stopped.EndedAt == nil {
		t.Fatalf("stop answered %+v, want status stopped once gone", stopped)
	}
	if alive(p.PID) {
		t.Fatalf("pid %d alive after stop answered", p.PID)
	}
	if ts := e.lensTitles(uri); !slices.Equal(ts, []string{"▶ Run", "▶ Run", "▶ Run"}) {
		t.Fatalf("lenses after stop = %q", ts)
	}

	e.run("fail", root)
	e.awaitLenses(uri, "after fail", func(ts []string) bool {
		return slices.Contains(ts, "✗ failed (exit 1) · 1 error")
	})
	ts := e.lensTitles(uri)
	if len(ts) != 4 {
		t.Fatalf("lenses after fail = %q, want the failure lens plus ▶ Run on each script", ts)
	}
}

func TestLensesFollowUnsavedEdits(t *testing.T) {
	root := fixture(t)
	e := newEditor(t, root, editorOpts{})
	uri := fileURI(filepath.Join(root, "package.json"))
	edited := strings.Replace(fixtureManifest, `"scripts": {`, `"scripts": {
    "lint": "echo lint",`, 1)
	e.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": uri, "languageId": "json", "version": 1, "text": edited}})
	var lenses []codeLens
	e.mustCall("textDocument/codeLens", map[string]any{"textDocument": map[string]string{"uri": uri}}, &lenses)
	if len(lenses) != 4 || lenses[0].Range.Start.Line != 4 || lenses[1].Range.Start.Line != 5 {
		t.Fatalf("lenses over the unsaved text: %+v", lenses)
	}
	arg, _ := json.Marshal(lenses[0].Command.Arguments[0])
	if lenses[0].Command.Command != "brummer.run" || !strings.Contains(string(arg), `"script":"lint"`) {
		t.Fatalf("first lens %+v %s", lenses[0].Command, arg)
	}
	e.notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": uri, "version": 2},
		"contentChanges": []any{map[string]any{"text": fixtureManifest}},
	})
	e.mustCall("textDocument/codeLens", map[string]any{"textDocument": map[string]string{"uri": uri}}, &lenses)
	if len(lenses) != 3 {
		t.Fatalf("after didChange: %d lenses", len(lenses))
	}
	// Incremental: two ranged edits in one batch, the second on the text the
	// first left, with columns in UTF-16 units across an emoji.
	rng := func(l1, c1, l2, c2 int) map[string]any {
		return map[string]any{"start": map[string]int{"line": l1, "character": c1}, "end": map[string]int{"line": l2, "character": c2}}
	}
	e.notify("textDocument/didChange", map[string]any{
		"textDocument": map[string]any{"uri": uri, "version": 3},
		"contentChanges": []any{
			map[string]any{"range": rng(5, 4, 5, 4), "text": "\"😀ok\": \"echo 😀\",\n    "},
			map[string]any{"range": rng(5, 7, 5, 9), "text": "ünï"},
		},
	})
	e.mustCall("textDocument/codeLens", map[string]any{"textDocument": map[string]string{"uri": uri}}, &lenses)
	if len(lenses) != 4 || lenses[1].Range.Start.Line != 5 {
		t.Fatalf("after ranged edits: %+v", lenses)
	}
	arg, _ = json.Marshal(lenses[1].Command.Arguments[0])
	if !strings.Contains(string(arg), `"script":"😀ünï"`) {
		t.Fatalf("ranged edits gave the lens %s, want script 😀ünï", arg)
	}
	if _, err := e.call("textDocument/codeLens", map[string]any{"textDocument": map[string]string{"uri": uri}}); err != nil {
		t.Fatal(err)
	}
	e.notify("textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": uri}})
	// Not a manifest: no lenses.
	e.mustCall("textDocument/codeLens", map[string]any{"textDocument": map[string]string{"uri": fileURI(filepath.Join(root, "src/a.ts"))}}, &lenses)
	if len(lenses) != 0 {
		t.Fatalf("lenses on a.ts: %+v", lenses)
	}
}

func TestHoverOverScript(t *testing.T) {
	root := fixture(t)
	e := newEditor(t, root, editorOpts{})
	uri := fileURI(filepath.Join(root, "package.json"))
	hover := func() string {
		res, err := e.call("textDocument/hover", map[string]any{"textDocument": map[string]string{"uri": uri}, "position": map[string]int{"line": 5, "character": 6}})
		if err != nil {
			t.Fatal(err)
		}
		var h *hoverResult
		_ = json.Unmarshal(res, &h)
		if h == nil {
			return ""
		}
		if h.Contents.Kind != "markdown" {
			t.Fatalf("hover kind %q", h.Contents.Kind)
		}
		return h.Contents.Value
	}
	if h := hover(); !strings.Contains(h, "**ok**") || !strings.Contains(h, "echo hello && echo world") || !strings.Contains(h, "Not run yet") {
		t.Fatalf("hover before a run:\n%s", h)
	}
	p := e.run("ok", root)
	e.awaitProcess("ok to succeed", func(w wireProcess) bool { return w.ID == p.ID && w.Status == "success" })
	h := hover()
	for _, want := range []string{"Status: **success**", p.ID, "exit 0", "hello", "world", "0 errors"} {
		if !strings.Contains(h, want) {
			t.Errorf("hover lacks %q:\n%s", want, h)
		}
	}
	// Off any script: no hover.
	res, err := e.call("textDocument/hover", map[string]any{"textDocument": map[string]string{"uri": uri}, "position": map[string]int{"line": 0, "character": 0}})
	if err != nil || string(res) != "null" {
		t.Fatalf("hover off a script: %s %v", res, err)
	}
}

func TestCommandErrorsSayWhatExists(t *testing.T) {
	root := fixture(t)
	e := newEditor(t, root, editorOpts{})
	exec := func(cmd string, arg any) *rpcError {
		args := []any{}
		if arg != nil {
			args = append(args, arg)
		}
		_, err := e.call("workspace/executeCommand", map[string]any{"command": cmd, "arguments": args})
		return err
	}
	cases := []struct {
		name, cmd string
		arg       any
		code      int
		want      []string
	}{
		{"unknown script", "brummer.run", map[string]string{"script": "nope"}, -32602, []string{"nope", "available: ", "serve", "ok", "fail"}},
		{"dir outside", "brummer.run", map[string]string{"script": "ok", "dir": "/"}, -32602, []string{"outside the workspace", root}},
		{"no script", "brummer.run", map[string]string{}, -32602, []string{`"script"`}},
		{"unknown id", "brummer.stop", map[string]string{"id": "p999"}, -32602, []string{"p999", "there are none"}},
		{"wrong type", "brummer.run", map[string]any{"script": 5}, -32602, []string{`"script"`, "string"}},
		{"typo", "brummer.run", map[string]any{"scirpt": "ok"}, -32602, []string{`"scirpt"`}},
		{"not an object", "brummer.stop", "p1", -32602, []string{"object"}},
		{"unknown command", "brummer.fly", nil, -32602, []string{"brummer.fly", "brummer.run"}},
		{"bad url", "brummer.openUrl", map[string]string{"url": "file:///etc/passwd"}, -32602, []string{"http"}},
	}
	for _, c := range cases {
		err := exec(c.cmd, c.arg)
		if err == nil || err.Code != c.code {
			t.Errorf("%s: got %v, want code %d", c.name, err, c.code)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Message, w) {
				t.Errorf("%s: message %q lacks %q", c.name, err.Message, w)
			}
		}
	}
	p := e.run("serve", root)
	err := exec("brummer.run", map[string]string{"script": "serve", "dir": root})
	if err == nil || !strings.Contains(err.Message, "already running") || !strings.Contains(err.Message, p.ID) {
		t.Fatalf("second run: %v", err)
	}
	err = exec("brummer.stop", map[string]string{"id": "p999"})
	if err == nil || !strings.Contains(err.Message, "known: "+p.ID) {
		t.Fatalf("unknown id with a process: %v", err)
	}
	var restarted wireProcess
	e.mustCall("workspace/executeCommand", map[string]any{"command": "brummer.restart", "arguments": []any{map[string]string{"id": p.ID}}}, &restarted)
	if restarted.ID == p.ID || restarted.Script != "serve" || alive(p.PID) {
		t.Fatalf("restart answered %+v (old pid %d alive: %v)", restarted, p.PID, alive(p.PID))
	}
	e.mustCall("workspace/executeCommand", map[string]any{"command": "brummer.restartAll", "arguments": []any{map[string]any{}}}, nil)
	e.mustCall("workspace/executeCommand", map[string]any{"command": "brummer.stopAll", "arguments": []any{map[string]any{}}}, nil)
	var procs []wireProcess
	e.mustCall("brummer/processes", map[string]any{}, &procs)
	for _, pr := range procs {
		if pr.Status == "running" || pr.Status == "starting" || pr.Status == "stopping" {
			t.Errorf("after stopAll: %+v", pr)
		}
	}
	// openUrl asks the client, from a goroutine, to open the page.
	e.mustCall("workspace/executeCommand", map[string]any{"command": "brummer.openUrl", "arguments": []any{map[string]string{"url": "http://localhost:5173/"}}}, nil)
	m := e.await("showDocument", method("window/showDocument"))
	var sd struct {
		URI      string `json:"uri"`
		External bool   `json:"external"`
	}
	_ = json.Unmarshal(m.Params, &sd)
	if sd.URI != "http://localhost:5173/" || !sd.External {
		t.Fatalf("showDocument %s", m.Params)
	}
}

func TestRequests(t *testing.T) {
	root := fixture(t)
	e := newEditor(t, root, editorOpts{})
	e.mustCall("brummer/subscribeLogs", map[string]any{"processId": nil, "enabled": true}, nil)
	p := e.run("ok", root)
	e.awaitProcess("ok to end", func(w wireProcess) bool { return w.ID == p.ID && w.Status == "success" && *w.ExitCode == 0 })
	e.await("logAppended with world", func(m msg) bool {
		return m.Method == methodLogAppended && strings.Contains(string(m.Params), `"text":"world"`) && strings.Contains(string(m.Params), `"processId":"`+p.ID+`"`)
	})

	var logs logsResult
	e.mustCall("brummer/logs", map[string]any{"processId": p.ID}, &logs)
	var texts []string
	for _, en := range logs.Entries {
		texts = append(texts, en.Text)
		if en.ProcessID != p.ID || en.Time == "" || en.Stream == "" || en.Level == "" {
			t.Errorf("entry %+v", en)
		}
	}
	if !slices.Contains(texts, "hello") || !slices.Contains(texts, "world") || logs.LastSeq == 0 {
		t.Fatalf("logs = %+v", logs)
	}
	e.mustCall("brummer/logs", map[string]any{"processId": p.ID, "query": "WORLD", "limit": 5}, &logs)
	texts = nil
	for _, en := range logs.Entries {
		if !strings.Contains(en.Text, "world") {
			t.Errorf("query WORLD matched %q", en.Text)
		}
		texts = append(texts, en.Text)
	}
	if !slices.Contains(texts, "world") || slices.Contains(texts, "hello") {
		t.Fatalf("query WORLD: %q", texts)
	}
	// tail: the newest match only, where the default page starts at the oldest.
	e.mustCall("brummer/logs", map[string]any{"processId": p.ID, "query": "l", "limit": 1, "tail": true}, &logs)
	if len(logs.Entries) != 1 || logs.Entries[0].Text != "world" {
		t.Fatalf("tail limit 1 over hello, world: %+v", logs.Entries)
	}
	e.mustCall("brummer/logs", map[string]any{"processId": p.ID, "query": "l", "limit": 1}, &logs)
	if len(logs.Entries) != 1 || logs.Entries[0].Text == "world" {
		t.Fatalf("head limit 1 over hello, world: %+v", logs.Entries)
	}
	if _, err := e.call("brummer/logs", map[string]any{"level": "loud"}); err == nil || err.Code != -32602 || !strings.Contains(err.Message, `"level"`) {
		t.Fatalf("bad level: %v", err)
	}
	if _, err := e.call("brummer/logs", map[string]any{"limit": "ten"}); err == nil || err.Code != -32602 || !strings.Contains(err.Message, `"limit"`) {
		t.Fatalf("bad limit: %v", err)
	}
	if _, err := e.call("brummer/logs", map[string]any{"processId": "p77"}); err == nil || !strings.Contains(err.Message, p.ID) {
		t.Fatalf("unknown process: %v", err)
	}
	var urls []map[string]any
	e.mustCall("brummer/urls", map[string]any{}, &urls)
	if urls == nil {
		t.Fatal("brummer/urls answered null, want []")
	}
	var reqs []any
	e.mustCall("brummer/requests", map[string]any{"limit": 10}, &reqs)
	var stats map[string]any
	e.mustCall("brummer/stats", map[string]any{}, &stats)
	for _, k := range []string{"eventBus", "logStore", "outbox", "goroutines", "heapBytes"} {
		if _, ok := stats[k]; !ok {
			t.Errorf("stats lacks %q: %v", k, stats)
		}
	}
	ob, _ := stats["outbox"].(map[string]any)
	for _, k := range []string{"queued", "coalesced", "dropped"} {
		if _, ok := ob[k]; !ok {
			t.Errorf("stats.outbox lacks %q: %v", k, ob)
		}
	}
	if _, err := e.call("brummer/nope", map[string]any{}); err == nil || err.Code != -32601 || !strings.Contains(err.Message, "brummer/scripts") {
		t.Fatalf("unknown brummer method: %v", err)
	}
	if _, err := e.call("brummer/subscribeLogs", map[string]any{"processId": "p1"}); err == nil || !strings.Contains(err.Message, `"enabled"`) {
		t.Fatalf("subscribeLogs without enabled: %v", err)
	}
}

func TestConfigurationChangesApplyLive(t *testing.T) {
	root := fixture(t)
	e := newEditor(t, root, editorOpts{initOpts: map[string]any{"log_store": map[string]any{"max_entries": 500}, "bogus": 1}})
	e.await("a warning about the unknown key", func(m msg) bool {
		return m.Method == "window/logMessage" && strings.Contains(string(m.Params), "bogus")
	})
	if got := e.app.Config().LogStore.MaxEntries; got != 500 {
		t.Fatalf("initializationOptions not applied: max_entries %d", got)
	}
	e.notify("workspace/didChangeConfiguration", map[string]any{"settings": map[string]any{"brummer": map[string]any{"log_store": map[string]any{"max_entries": 700}}}})
	e.mustCall("brummer/scripts", map[string]any{}, nil) // the notification was handled before this call
	if got := e.app.Config().LogStore.MaxEntries; got != 700 {
		t.Fatalf("didChangeConfiguration not applied: max_entries %d", got)
	}
	e.notify("workspace/didChangeConfiguration", map[string]any{"settings": map[string]any{"log_store": map[string]any{"max_entries": "many"}}})
	e.await("an error about the bad setting", func(m msg) bool {
		return m.Method == "window/showMessage" && strings.Contains(string(m.Params), "settings not applied")
	})
}

func TestSeveralWorkspaceFolders(t *testing.T) {
	one := fixture(t)
	two := workspace(t, map[string]string{"package.json": `{"name":"two","scripts":{"build":"echo built"}}`})
	e := newEditor(t, one, editorOpts{folders: []string{one, two}})
	var scripts []wireScript
	e.mustCall("brummer/scripts", map[string]any{}, &scripts)
	dirs := map[string]bool{}
	for _, s := range scripts {
		dirs[s.Dir] = true
	}
	if !dirs[one] || !dirs[two] {
		t.Fatalf("scripts of both folders expected: %+v", scripts)
	}
	p := e.run("build", two)
	if p.Dir != two {
		t.Fatalf("run in the second folder: %+v", p)
	}
	e.awaitProcess("build to succeed", func(w wireProcess) bool { return w.ID == p.ID && w.Status == "success" })
}

// core's watcher sees the manifest change on disk: lenses are refreshed and
// the new script can run.
func TestManifestChangeOnDiskRefreshesLenses(t *testing.T) {
	root := fixture(t)
	e := newEditor(t, root, editorOpts{})
	mark := e.mark()
	edited := strings.Replace(fixtureManifest, `"scripts": {`, `"scripts": {
    "added": "echo added",`, 1)
	if err := os.WriteFile(filepath.Join(root, "package.json"), []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, ok := e.awaitFrom(mark, "a lens refresh", method("workspace/codeLens/refresh")); !ok {
		t.Fatalf("no workspace/codeLens/refresh after the manifest changed:\n%s", e.tail(5))
	}
	uri := fileURI(filepath.Join(root, "package.json"))
	e.awaitLenses(uri, "with the added script", func(ts []string) bool { return len(ts) == 4 })
	p := e.run("added", root)
	e.awaitProcess("added to succeed", func(w wireProcess) bool { return w.ID == p.ID && w.Status == "success" })
}
