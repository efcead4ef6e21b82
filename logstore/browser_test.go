package logstore

import (
	"testing"

	"github.com/brummer-dev/brummer/logstore/detect"
)

func TestBrowserProblemsCycle(t *testing.T) {
	s := New(Config{}, nil, nil)
	defer s.Close()
	s.Register(Process{ID: "p1", Dir: "/w", Roots: []string{"/w"}})
	at := func(line int, related ...detect.Related) detect.Problem {
		return detect.Problem{Location: detect.Location{File: "/w/src/App.tsx", Line: line, Column: 3},
			Message: "boom", Source: "browser", Code: "TypeError", Related: related}
	}
	lines := func() []int {
		var out []int
		for _, p := range s.Problems("p1") {
			out = append(out, p.Line)
		}
		return out
	}
	s.AddBrowser("p1", false, []detect.Problem{at(1)})
	s.AddBrowser("p1", false, []detect.Problem{at(1), at(2, detect.Related{Message: "at f"})})
	if got := lines(); len(got) != 2 || got[0] != 1 || got[1] != 2 {
		t.Fatalf("after two reports (one repeated): %v", got)
	}
	s.AddBrowser("p1", true, []detect.Problem{at(7)})
	if got := lines(); len(got) != 1 || got[0] != 7 {
		t.Fatalf("a new page cycle keeps only its own report: %v", got)
	}
	s.ClearProblems("p1")
	if got := lines(); len(got) != 0 {
		t.Fatalf("after the script restarts: %v", got)
	}
}
