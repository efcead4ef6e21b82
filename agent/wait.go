package agent

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"
)

const (
	defaultWait = 60 * time.Second
	maxWait     = 10 * time.Minute
	// outcomeLines is how many last lines wait shows with an outcome.
	outcomeLines = 20
)

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// wait answers once the process reaches the state asked for, or ended
// (nothing more can come), or the time is up. It re-reads the process at
// each processesChanged: snapshots coalesce, so the state read is the
// latest, never a stale one.
func (s *Server) wait(ctx context.Context, a waitArgs) (string, error) {
	switch a.Until {
	case "running", "exited", "problems", "url":
	case "":
		return "", errors.New(`wait needs "until": running, exited, problems or url`)
	default:
		return "", fmt.Errorf("until must be running, exited, problems or url, not %q", a.Until)
	}
	if a.ProcessID == "" {
		return "", errors.New(`wait needs "processId" (from run_script or list_processes)`)
	}
	timeout := defaultWait
	switch {
	case a.TimeoutMS < 0:
		return "", fmt.Errorf("timeoutMs must be positive, not %d", a.TimeoutMS)
	case time.Duration(a.TimeoutMS)*time.Millisecond > maxWait:
		return "", fmt.Errorf("timeoutMs must be at most %d (10 minutes): call wait again to wait longer", maxWait.Milliseconds())
	case a.TimeoutMS > 0:
		timeout = time.Duration(a.TimeoutMS) * time.Millisecond
	}
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	_, gen := s.conn()
	for {
		next := s.changes() // taken before the read, so no change is missed
		p, err := s.process(ctx, a.ProcessID)
		if err != nil {
			return "", err
		}
		if _, now := s.conn(); now != gen {
			// The same id may name another process of the new core.
			return "", fmt.Errorf("the editor's brummer restarted while waiting: process %s is gone with it (list_processes shows the current ones)", a.ProcessID)
		}
		reached := false
		switch a.Until {
		case "running":
			reached = p.Status == "running"
		case "exited":
			reached = p.ended()
		case "problems":
			reached = p.Errors+p.Warnings > 0
		case "url":
			reached = len(p.URLs) > 0
		}
		if reached || p.ended() {
			return s.outcome(ctx, p, a.Until, reached)
		}
		select {
		case <-next:
		case <-timer.C:
			return fmt.Sprintf("timed out after %d ms: %s\ncall wait again to keep waiting, or get_logs {processId: %q} to see what it is doing",
				timeout.Milliseconds(), s.processLine(p), p.ID), nil
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
}

// outcome is what wait answers: the process, and what the agent would ask
// next (its problems, its last lines, its URLs).
func (s *Server) outcome(ctx context.Context, p wireProcess, until string, reached bool) (string, error) {
	var b strings.Builder
	if !reached {
		fmt.Fprintf(&b, "ended before %s: ", map[string]string{"running": "running", "problems": "reporting a problem", "url": "serving a URL"}[until])
	}
	b.WriteString(s.processLine(p) + "\n")
	if p.Errors+p.Warnings > 0 {
		probs, err := s.problemsText(ctx, problemsArgs{ProcessID: p.ID})
		if err != nil {
			return "", err
		}
		b.WriteString("problems: " + probs + "\n")
	}
	if p.ended() && (p.Status == "failed" || p.Errors > 0 || !reached) {
		tail := true
		logs, err := s.logsText(ctx, logsArgs{ProcessID: p.ID, Tail: &tail, Limit: outcomeLines})
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "last lines:\n%s", logs)
	}
	return b.String(), nil
}
