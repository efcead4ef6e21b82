package agent_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

type problemsAnswer struct {
	Problems []struct {
		File      string `json:"file"`
		Line      int    `json:"line"`
		Column    int    `json:"column"`
		EndLine   int    `json:"endLine"`
		EndColumn int    `json:"endColumn"`
		Severity  string `json:"severity"`
		Message   string `json:"message"`
		Source    string `json:"source"`
		Code      string `json:"code"`
		ProcessID string `json:"processId"`
		Related   []struct {
			File    string `json:"file"`
			Line    int    `json:"line"`
			Column  int    `json:"column"`
			Message string `json:"message"`
		} `json:"related"`
	} `json:"problems"`
	Total int `json:"total"`
}

// With no editor running, brummer mcp runs its own core: a script printing
// tsc's real output ends failed, and get_problems has tsc's exact places.
func TestStandaloneTypecheck(t *testing.T) {
	root := fixture(t)
	a := startAgent(t, root+"/src")

	init := a.cs.InitializeResult()
	if !strings.Contains(init.Instructions, "started its own") || !strings.Contains(init.Instructions, root) {
		t.Fatalf("instructions do not say the server is standalone in %s:\n%s", root, init.Instructions)
	}
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	defer cancel()
	tools, err := a.cs.ListTools(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tool := range tools.Tools {
		names = append(names, tool.Name)
		if tool.Description == "" {
			t.Errorf("tool %s has no description", tool.Name)
		}
	}
	slices.Sort(names)
	want := []string{"get_logs", "get_problems", "get_requests", "list_processes", "list_scripts", "list_urls", "restart", "run_script", "stop", "wait"}
	if !slices.Equal(names, want) {
		t.Fatalf("tools %v, want %v", names, want)
	}

	if scripts := a.mustCall("list_scripts", nil); !strings.Contains(scripts, "typecheck [.] (npm): cat tsc-output.txt && exit 2") {
		t.Fatalf("list_scripts:\n%s", scripts)
	}
	id := processID(t, a.mustCall("run_script", map[string]any{"script": "typecheck"}))
	outcome := a.mustCall("wait", map[string]any{"processId": id, "until": "exited", "timeoutMs": 20000})
	if !strings.Contains(outcome, id+" typecheck [.] failed (exit 2)") || !strings.Contains(outcome, "2 errors") ||
		!strings.Contains(outcome, "Found 2 errors in the same file") {
		t.Fatalf("wait exited:\n%s", outcome)
	}
	if text := a.mustCall("wait", map[string]any{"processId": id, "until": "problems"}); !strings.Contains(text, "TS2322") {
		t.Fatalf("wait problems:\n%s", text)
	}

	var got problemsAnswer
	if err := json.Unmarshal([]byte(a.mustCall("get_problems", nil)), &got); err != nil {
		t.Fatal(err)
	}
	if got.Total != 2 || len(got.Problems) != 2 {
		t.Fatalf("get_problems: %+v", got)
	}
	p0, p1 := got.Problems[0], got.Problems[1]
	if p1.Line < p0.Line {
		p0, p1 = p1, p0
	}
	// tsc printed src/main.ts:3:7 and src/main.ts:4:19 (squiggles of 5 and
	// 19 characters) and the declaration at src/greet.ts:3:3.
	if p0.File != "src/main.ts" || p0.Line != 3 || p0.Column != 7 || p0.EndColumn != 12 || p0.Code != "TS2322" ||
		p0.Severity != "error" || p0.Source != "tsc" || p0.ProcessID != id ||
		p0.Message != "Type 'string' is not assignable to type 'number'." {
		t.Errorf("first problem: %+v", p0)
	}
	if p1.File != "src/main.ts" || p1.Line != 4 || p1.Column != 19 || p1.EndColumn != 38 || p1.Code != "TS2345" ||
		!strings.Contains(p1.Message, "Property 'times' is missing") {
		t.Errorf("second problem: %+v", p1)
	}
	if len(p1.Related) != 1 || p1.Related[0].File != "src/greet.ts" || p1.Related[0].Line != 3 || p1.Related[0].Column != 3 ||
		p1.Related[0].Message != "'times' is declared here." {
		t.Errorf("related locations of the second problem: %+v", p1.Related)
	}
	var none problemsAnswer
	if err := json.Unmarshal([]byte(a.mustCall("get_problems", map[string]any{"file": "src/greet.ts"})), &none); err != nil || none.Total != 0 {
		t.Errorf("problems in src/greet.ts: %+v (%v)", none, err)
	}
	var one problemsAnswer
	if err := json.Unmarshal([]byte(a.mustCall("get_problems", map[string]any{"file": root + "/src/main.ts", "processId": id})), &one); err != nil || one.Total != 2 {
		t.Errorf("problems in src/main.ts: %+v (%v)", one, err)
	}

	logs := a.mustCall("get_logs", map[string]any{"processId": id, "level": "error"})
	if !strings.Contains(logs, "src/main.ts:3:7 - error TS2322") || strings.Contains(logs, "\x1b[") {
		t.Errorf("error lines of the log:\n%s", logs)
	}
	if procs := a.mustCall("list_processes", nil); !strings.Contains(procs, id+" typecheck [.] failed (exit 2)") {
		t.Errorf("list_processes:\n%s", procs)
	}
}

// Bad arguments are tool errors that say what to do, never crashes: the
// server answers the next call as before.
func TestBadToolArguments(t *testing.T) {
	root := fixture(t)
	a := startAgent(t, root)
	cases := []struct {
		tool string
		args map[string]any
		want string
	}{
		{"run_script", map[string]any{}, "script"},
		{"run_script", map[string]any{"script": "nosuch"}, "nosuch"},
		{"run_script", map[string]any{"script": "hello", "dir": "../.."}, "outside the workspace"},
		{"run_script", map[string]any{"script": "hello", "dir": "/etc"}, "outside the workspace"},
		{"run_script", map[string]any{"script": "hello", "command": "rm -rf /"}, "command"},
		{"run_script", map[string]any{"script": 42}, "script"},
		{"stop", map[string]any{}, `"id" (from list_processes) or "script"`},
		{"stop", map[string]any{"id": "p99"}, "p99"},
		{"restart", map[string]any{"script": "serve"}, "has no process"},
		{"wait", map[string]any{"processId": "p1", "until": "soon"}, "running, exited, problems or url"},
		{"wait", map[string]any{"processId": "p1", "until": "exited", "timeoutMs": 100000000}, "at most 600000"},
		{"wait", map[string]any{"until": "exited"}, "processId"},
		{"get_logs", map[string]any{"level": "loud"}, "info, warn or error"},
		{"get_logs", map[string]any{"processId": "p42"}, "p42"},
		{"get_problems", map[string]any{"processId": "p7"}, "p7"},
		{"get_requests", map[string]any{"limit": -1}, "limit"},
	}
	for _, c := range cases {
		text, isErr := a.call(c.tool, c.args)
		if !isErr || !strings.Contains(text, c.want) {
			t.Errorf("%s %v: error %v %q, want a tool error mentioning %q", c.tool, c.args, isErr, text, c.want)
		}
	}
	id := processID(t, a.mustCall("run_script", map[string]any{"script": "hello"}))
	if out := a.mustCall("wait", map[string]any{"processId": id, "until": "exited"}); !strings.Contains(out, "success (exit 0)") {
		t.Fatalf("after the bad calls, hello:\n%s", out)
	}
	if logs := a.mustCall("get_logs", map[string]any{"processId": id}); !strings.Contains(logs, "hello from a script") {
		t.Fatalf("logs of hello:\n%s", logs)
	}
}

// Subscribed resources are updated as processes change and print, and read
// back what the tools answer.
func TestResourceSubscriptions(t *testing.T) {
	root := fixture(t)
	a := startAgent(t, root)
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	defer cancel()
	if err := a.cs.Subscribe(ctx, &mcp.SubscribeParams{URI: "brummer://processes"}); err != nil {
		t.Fatal(err)
	}
	if err := a.cs.Subscribe(ctx, &mcp.SubscribeParams{URI: "brummer://problems"}); err != nil {
		t.Fatal(err)
	}
	id := processID(t, a.mustCall("run_script", map[string]any{"script": "serve"}))
	if err := a.cs.Subscribe(ctx, &mcp.SubscribeParams{URI: "brummer://logs/" + id}); err != nil {
		t.Fatal(err)
	}
	a.mustCall("wait", map[string]any{"processId": id, "until": "url"})
	a.mustCall("stop", map[string]any{"script": "serve"})
	seen := map[string]bool{}
	timeout := time.After(deadline)
	for !seen["brummer://processes"] {
		select {
		case uri := <-a.updates:
			seen[uri] = true
		case <-timeout:
			t.Fatalf("no update of brummer://processes; saw %v", seen)
		}
	}
	res, err := a.cs.ReadResource(ctx, &mcp.ReadResourceParams{URI: "brummer://processes"})
	if err != nil || len(res.Contents) != 1 || !strings.Contains(res.Contents[0].Text, id+" serve [.] stopped") {
		t.Fatalf("brummer://processes: %+v %v", res, err)
	}
	logs, err := a.cs.ReadResource(ctx, &mcp.ReadResourceParams{URI: "brummer://logs/" + id})
	if err != nil || !strings.Contains(logs.Contents[0].Text, "Local: http://localhost:5173/") {
		t.Fatalf("brummer://logs/%s: %+v %v", id, logs, err)
	}
	if _, err := a.cs.ReadResource(ctx, &mcp.ReadResourceParams{URI: "brummer://logs/p404"}); err == nil {
		t.Fatal("the logs of an unknown process were read")
	}
	if urls := a.mustCall("list_urls", nil); !strings.Contains(urls, "no URLs") {
		t.Errorf("list_urls after the stop:\n%s", urls)
	}
}
