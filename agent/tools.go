package agent

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

type scriptArgs struct {
	Script string `json:"script" jsonschema:"name of a script declared in a package.json of the workspace (list_scripts shows them)"`
	Dir    string `json:"dir,omitempty" jsonschema:"directory of the package.json that declares it, absolute or relative to the workspace root; default: the workspace root"`
}

type targetArgs struct {
	ID     string `json:"id,omitempty" jsonschema:"process id (p1, p2... from list_processes)"`
	Script string `json:"script,omitempty" jsonschema:"or the script's name: its newest process"`
	Dir    string `json:"dir,omitempty" jsonschema:"with script: the directory of its package.json, when the name is in several"`
}

type logsArgs struct {
	ProcessID string `json:"processId,omitempty" jsonschema:"only this process's lines (default: every process)"`
	Level     string `json:"level,omitempty" jsonschema:"only lines of this level: info, warn or error"`
	Query     string `json:"query,omitempty" jsonschema:"only lines containing this text (case-insensitive)"`
	Tail      *bool  `json:"tail,omitempty" jsonschema:"the newest lines (default, unless afterSeq is given)"`
	AfterSeq  uint64 `json:"afterSeq,omitempty" jsonschema:"page forward: lines after this sequence number, oldest first"`
	Limit     int    `json:"limit,omitempty" jsonschema:"at most this many lines (default 100, at most 500)"`
}

type problemsArgs struct {
	ProcessID string `json:"processId,omitempty" jsonschema:"only this process's problems"`
	File      string `json:"file,omitempty" jsonschema:"only problems in this file: absolute, relative to the workspace root, or a path suffix like src/a.ts"`
}

type requestsArgs struct {
	Limit int `json:"limit,omitempty" jsonschema:"at most this many requests, newest (default 50, at most 200)"`
}

type waitArgs struct {
	ProcessID string `json:"processId" jsonschema:"process id (from run_script or list_processes)"`
	Until     string `json:"until" jsonschema:"running: it started; exited: it ended (its outcome, problems and last lines); problems: it reported a problem (or ended); url: it serves a URL (or ended)"`
	TimeoutMS int    `json:"timeoutMs,omitempty" jsonschema:"give up after this many milliseconds (default 60000, at most 600000); a timeout is not an error: the answer says the status"`
}

type noArgs struct{}

// Hints for the agent's client: reading never changes anything (clients may
// allow it without asking); starting adds a process; stopping ends one the
// user may be using.
var (
	no, yes  = false, true
	readOnly = &mcp.ToolAnnotations{ReadOnlyHint: true, OpenWorldHint: &no}
	starts   = &mcp.ToolAnnotations{DestructiveHint: &no, OpenWorldHint: &no}
	ends     = &mcp.ToolAnnotations{DestructiveHint: &yes, OpenWorldHint: &no}
)

func (s *Server) addTools() {
	text := func(f func(context.Context) (string, error)) mcp.ToolHandlerFor[noArgs, any] {
		return func(ctx context.Context, _ *mcp.CallToolRequest, _ noArgs) (*mcp.CallToolResult, any, error) {
			return s.result(f(ctx))
		}
	}
	mcp.AddTool(s.mcp, &mcp.Tool{Name: "list_scripts", Annotations: readOnly, Description: "List the scripts declared in the workspace's package.json files (name, directory, command, package manager) and which are running. These are the only things run_script can run."},
		text(s.scriptsText))
	mcp.AddTool(s.mcp, &mcp.Tool{Name: "run_script", Annotations: starts, Description: "Start a script of the workspace (as `npm run SCRIPT` would, with the package's manager). Answers its process at once; then use wait for its outcome, get_logs and get_problems for its output. Fails if that script is already running: use restart."},
		func(ctx context.Context, _ *mcp.CallToolRequest, a scriptArgs) (*mcp.CallToolResult, any, error) {
			return s.result(s.runScript(ctx, a))
		})
	mcp.AddTool(s.mcp, &mcp.Tool{Name: "stop", Annotations: ends, Description: "Stop a process and its whole process tree (TERM, then KILL after the grace period); answers once it is gone. Name it by id, or by script."},
		func(ctx context.Context, _ *mcp.CallToolRequest, a targetArgs) (*mcp.CallToolResult, any, error) {
			return s.result(s.stopOrRestart(ctx, "brummer.stop", a))
		})
	mcp.AddTool(s.mcp, &mcp.Tool{Name: "restart", Annotations: ends, Description: "Stop a process (if it runs) and start its script again; answers the new process. Name it by id, or by script."},
		func(ctx context.Context, _ *mcp.CallToolRequest, a targetArgs) (*mcp.CallToolResult, any, error) {
			return s.result(s.stopOrRestart(ctx, "brummer.restart", a))
		})
	mcp.AddTool(s.mcp, &mcp.Tool{Name: "list_processes", Annotations: readOnly, Description: "List the processes, newest first: id, script, directory, status (starting, running, stopping, stopped, success, failed), exit code, error and warning counts, URLs."},
		text(s.processesText))
	mcp.AddTool(s.mcp, &mcp.Tool{Name: "get_logs", Annotations: readOnly, Description: "Read the output of the processes (ANSI removed), oldest first. By default the newest lines; page forward with afterSeq. Filter by process, level or text."},
		func(ctx context.Context, _ *mcp.CallToolRequest, a logsArgs) (*mcp.CallToolResult, any, error) {
			return s.result(s.logsText(ctx, a))
		})
	mcp.AddTool(s.mcp, &mcp.Tool{Name: "get_problems", Annotations: readOnly, Description: "The problems found in the processes' output: compiler, type checker, linter, test and runtime errors, as JSON with file (relative to the workspace), 1-based line and column (in characters), end (exclusive), severity, message, source (tsc, eslint, vitest...), code (TS2322...), related locations. The same problems the editor shows."},
		func(ctx context.Context, _ *mcp.CallToolRequest, a problemsArgs) (*mcp.CallToolResult, any, error) {
			return s.result(s.problemsText(ctx, a))
		})
	mcp.AddTool(s.mcp, &mcp.Tool{Name: "list_urls", Annotations: readOnly, Description: "The URLs the processes serve (dev servers), each with the loopback proxy brummer put in front of it (the proxy records requests and browser errors)."},
		text(s.urlsText))
	mcp.AddTool(s.mcp, &mcp.Tool{Name: "get_requests", Annotations: readOnly, Description: "The newest requests through the proxies: time, method, URL, status, duration, bytes, process."},
		func(ctx context.Context, _ *mcp.CallToolRequest, a requestsArgs) (*mcp.CallToolResult, any, error) {
			return s.result(s.requestsText(ctx, a))
		})
	mcp.AddTool(s.mcp, &mcp.Tool{Name: "wait", Annotations: readOnly, Description: "Wait until a process reaches a state, then answer it: run a build or a test with run_script, then wait until exited for its outcome (status, exit code, problems, last lines) in one call, instead of polling."},
		func(ctx context.Context, _ *mcp.CallToolRequest, a waitArgs) (*mcp.CallToolResult, any, error) {
			return s.result(s.wait(ctx, a))
		})
}

// result turns a handler's text or error into a tool result; an error is a
// tool error (the model reads it and can act on it), not a protocol error.
// The first answer after the editor's brummer restarted says so.
func (s *Server) result(text string, err error) (*mcp.CallToolResult, any, error) {
	if s.restartNoted() {
		const note = "(the editor's brummer restarted since the last answer: the processes and ids from before are gone)\n"
		if err != nil {
			err = errors.New(note + err.Error())
		} else {
			text = note + text
		}
	}
	if err != nil {
		var re *rpcError
		if errors.As(err, &re) {
			err = errors.New(re.Message)
		}
		return nil, nil, err
	}
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: text}}}, nil, nil
}

// resolveDir turns a dir argument into an absolute directory inside the
// workspace ("" stays "": the root).
func (s *Server) resolveDir(dir string) (string, error) {
	if dir == "" {
		return "", nil
	}
	abs := dir
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(s.opts.Root, dir)
	}
	abs = filepath.Clean(abs)
	rel, err := filepath.Rel(s.opts.Root, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("dir %q is outside the workspace %s: name a package directory inside it (list_scripts shows them)", dir, s.opts.Root)
	}
	return abs, nil
}

func (s *Server) runScript(ctx context.Context, a scriptArgs) (string, error) {
	if strings.TrimSpace(a.Script) == "" {
		return "", errors.New(`run_script needs "script": the name of a script (list_scripts shows them)`)
	}
	dir, err := s.resolveDir(a.Dir)
	if err != nil {
		return "", err
	}
	arg := map[string]any{"script": a.Script}
	if dir != "" {
		arg["dir"] = dir
	}
	var p wireProcess
	if err := s.command(ctx, "brummer.run", arg, &p); err != nil {
		return "", err
	}
	return "started " + s.processLine(p) + "\n" +
		fmt.Sprintf("next: wait {processId: %q, until: \"exited\"} for a build or test's outcome (or \"url\" for a dev server); get_logs {processId: %q} for its output", p.ID, p.ID), nil
}

func (s *Server) processes(ctx context.Context) ([]wireProcess, error) {
	var ps []wireProcess
	err := s.call(ctx, "brummer/processes", map[string]any{}, &ps)
	return ps, err
}

// process finds one process by id, or says which ids exist.
func (s *Server) process(ctx context.Context, id string) (wireProcess, error) {
	ps, err := s.processes(ctx)
	if err != nil {
		return wireProcess{}, err
	}
	for _, p := range ps {
		if p.ID == id {
			return p, nil
		}
	}
	return wireProcess{}, unknownProcess(id, ps)
}

func unknownProcess(id string, ps []wireProcess) error {
	if len(ps) == 0 {
		return fmt.Errorf("unknown process %q: there are no processes; start one with run_script", id)
	}
	ids := make([]string, 0, len(ps))
	for _, p := range ps {
		ids = append(ids, p.ID+" ("+p.Script+")")
	}
	if len(ids) > 20 {
		ids = append(ids[:20], "...")
	}
	return fmt.Errorf("unknown process %q: the processes are %s (list_processes shows them)", id, strings.Join(ids, ", "))
}

// target resolves stop's and restart's {id | script, dir}.
func (s *Server) target(ctx context.Context, tool string, a targetArgs) (string, error) {
	switch {
	case a.ID != "" && a.Script != "":
		return "", fmt.Errorf("%s takes \"id\" or \"script\", not both", tool)
	case a.ID != "":
		return a.ID, nil
	case a.Script == "":
		return "", fmt.Errorf("%s needs \"id\" (from list_processes) or \"script\"", tool)
	}
	dir, err := s.resolveDir(a.Dir)
	if err != nil {
		return "", err
	}
	ps, err := s.processes(ctx)
	if err != nil {
		return "", err
	}
	var match []wireProcess
	dirs := map[string]bool{}
	for _, p := range ps { // newest first
		if p.Script == a.Script && (dir == "" || p.Dir == dir) {
			match = append(match, p)
			dirs[p.Dir] = true
		}
	}
	if len(match) == 0 {
		return "", fmt.Errorf("script %q has no process: start it with run_script (list_processes shows what runs)", a.Script)
	}
	if len(dirs) > 1 {
		var ds []string
		for d := range dirs {
			ds = append(ds, s.rel(d))
		}
		return "", fmt.Errorf("script %q has processes in several directories (%s): pass \"dir\" or \"id\"", a.Script, strings.Join(ds, ", "))
	}
	if tool == "stop" {
		for _, p := range match {
			if !p.ended() {
				return p.ID, nil
			}
		}
		return "", fmt.Errorf("script %q is not running (its newest process %s is %s)", a.Script, match[0].ID, match[0].Status)
	}
	return match[0].ID, nil
}

func (s *Server) stopOrRestart(ctx context.Context, command string, a targetArgs) (string, error) {
	tool := strings.TrimPrefix(command, "brummer.")
	id, err := s.target(ctx, tool, a)
	if err != nil {
		return "", err
	}
	var p wireProcess
	if err := s.command(ctx, command, map[string]any{"id": id}, &p); err != nil {
		return "", err
	}
	verb := "stopped"
	if tool == "restart" {
		verb = "restarted as"
	}
	return verb + " " + s.processLine(p), nil
}
