package agent

import (
	"context"
	"fmt"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

const (
	uriProcesses  = "brummer://processes"
	uriProblems   = "brummer://problems"
	logsURIPrefix = "brummer://logs/"
)

func logsURI(processID string) string { return logsURIPrefix + processID }

// resourceLogLines is how many of a process's newest lines its log
// resource shows.
const resourceLogLines = 200

func (s *Server) addResources() {
	s.mcp.AddResource(&mcp.Resource{
		URI: uriProcesses, Name: "processes", MIMEType: "text/plain",
		Description: "The workspace's processes, newest first: id, script, directory, status, exit code, problem counts, URLs. Subscribe for updates.",
	}, s.readResource)
	s.mcp.AddResource(&mcp.Resource{
		URI: uriProblems, Name: "problems", MIMEType: "application/json",
		Description: "Every problem found in the processes' output (file, 1-based line and column, severity, message, source, code, related locations). Subscribe for updates.",
	}, s.readResource)
	s.mcp.AddResourceTemplate(&mcp.ResourceTemplate{
		URITemplate: logsURIPrefix + "{processId}", Name: "logs", MIMEType: "text/plain",
		Description: fmt.Sprintf("The newest %d log lines of a process (ids from brummer://processes or list_processes). Subscribe for updates as it prints.", resourceLogLines),
	}, s.readResource)
}

func (s *Server) readResource(ctx context.Context, req *mcp.ReadResourceRequest) (*mcp.ReadResourceResult, error) {
	uri := req.Params.URI
	var (
		text string
		mime = "text/plain"
		err  error
	)
	switch {
	case uri == uriProcesses:
		text, err = s.processesText(ctx)
	case uri == uriProblems:
		mime = "application/json"
		text, err = s.problemsText(ctx, problemsArgs{})
	case strings.HasPrefix(uri, logsURIPrefix):
		id := strings.TrimPrefix(uri, logsURIPrefix)
		tail := true
		text, err = s.logsText(ctx, logsArgs{ProcessID: id, Tail: &tail, Limit: resourceLogLines})
		if err != nil {
			return nil, mcp.ResourceNotFoundError(uri)
		}
	default:
		return nil, mcp.ResourceNotFoundError(uri)
	}
	if err != nil {
		return nil, err
	}
	return &mcp.ReadResourceResult{Contents: []*mcp.ResourceContents{{URI: uri, MIMEType: mime, Text: text}}}, nil
}

func (s *Server) subscribe(ctx context.Context, req *mcp.SubscribeRequest) error {
	uri := req.Params.URI
	switch {
	case uri == uriProcesses, uri == uriProblems:
	case strings.HasPrefix(uri, logsURIPrefix):
		id := strings.TrimPrefix(uri, logsURIPrefix)
		if _, err := s.process(ctx, id); err != nil {
			return err
		}
		if err := s.call(ctx, "brummer/subscribeLogs", map[string]any{"processId": id, "enabled": true}, nil); err != nil {
			return err
		}
	default:
		return fmt.Errorf("unknown resource %q: the resources are %s, %s and %s{processId}", uri, uriProcesses, uriProblems, logsURIPrefix)
	}
	s.mu.Lock()
	s.subs[uri] = true
	s.mu.Unlock()
	return nil
}

func (s *Server) unsubscribe(ctx context.Context, req *mcp.UnsubscribeRequest) error {
	uri := req.Params.URI
	s.mu.Lock()
	delete(s.subs, uri)
	s.mu.Unlock()
	if id, ok := strings.CutPrefix(uri, logsURIPrefix); ok {
		return s.call(ctx, "brummer/subscribeLogs", map[string]any{"processId": id, "enabled": false}, nil)
	}
	return nil
}
