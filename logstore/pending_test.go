package logstore

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/brummer-dev/brummer/eventbus"
	"github.com/brummer-dev/brummer/logstore/detect"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pendingStore is a store with the built-in parsers whose quiet flush
// never comes during a test: whatever is published before End was
// published by the line that named its location.
func pendingStore(t *testing.T, files map[string]string) (*Store, *recorder, string) {
	t.Helper()
	root := t.TempDir()
	for name, text := range files {
		require.NoError(t, os.MkdirAll(filepath.Join(root, filepath.Dir(name)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(root, name), []byte(text), 0o644))
	}
	bus, rec := newBus(t)
	s := New(Config{QuietFlush: time.Hour}, bus, nil)
	t.Cleanup(s.Close)
	s.Register(Process{ID: "p", Dir: root, Roots: []string{root}})
	return s, rec, root
}

func waitProblems(t *testing.T, rec *recorder, what string, cond func([]detect.Problem) bool) []detect.Problem {
	t.Helper()
	evs := rec.waitFor(t, what, func(evs []eventbus.Event) bool {
		pc, ok := lastProblems(evs, "p")
		return ok && cond(pc.Problems)
	})
	pc, _ := lastProblems(evs, "p")
	return pc.Problems
}

// A lone tsc error line, with nothing after it (a watcher waiting for the
// next change), is a problem at once.
func TestLoneLocationLineIsPublishedAtOnce(t *testing.T) {
	s, rec, root := pendingStore(t, map[string]string{"src/app.ts": "a\nb\nc\nd\nconst x: number = 'five';\n"})
	s.Append("p", Stdout, lines("src/app.ts(5,7): error TS2322: Type 'string' is not assignable to type 'number'."))
	ps := waitProblems(t, rec, "the lone line's problem", func(ps []detect.Problem) bool { return len(ps) == 1 })
	assert.Equal(t, detect.Location{File: filepath.Join(root, "src/app.ts"), Line: 5, Column: 7}, ps[0].Location)
	assert.Equal(t, "TS2322", ps[0].Code)
	assert.Equal(t, ps, s.Problems("p"), "Problems includes the block in progress")

	// Its continuation amends it in place: still one problem.
	s.Append("p", Stdout, lines("  Type 'string' is not assignable to type 'number'."))
	ps = waitProblems(t, rec, "the amended message", func(ps []detect.Problem) bool {
		return len(ps) == 1 && ps[0].Message != "Type 'string' is not assignable to type 'number'."
	})
	assert.Equal(t, 5, ps[0].Line)

	// The block ends: the final problem replaces the pending one.
	s.Append("p", Stdout, lines("Found 1 error."))
	s.End("p")
	require.Len(t, s.Problems("p"), 1)
	assert.Equal(t, ps[0].Message, s.Problems("p")[0].Message)
}

// Real pretty tsc output fed one line at a time: each error appears when
// its header is read, the underline then sets its range and the related
// location joins it; the summary leaves exactly the final set.
func TestPrettyTscAmendsThePendingProblem(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "tsc-pretty.ts"))
	require.NoError(t, err)
	s, rec, root := pendingStore(t, map[string]string{"src/a.ts": string(src)})
	file := filepath.Join(root, "src/a.ts")
	sample := readSample(t, "tsc-pretty.log", root)
	require.Equal(t, "src/a.ts:4:19 - error TS2322: Type 'string' is not assignable to type 'number'.", sample[0])

	s.Append("p", Stdout, lines(sample[0]))
	ps := waitProblems(t, rec, "the first header", func(ps []detect.Problem) bool { return len(ps) == 1 })
	assert.Equal(t, detect.Location{File: file, Line: 4, Column: 19}, ps[0].Location, "no range before the underline")

	// Source line and underline: the range of '~~~'.
	for _, l := range sample[1:4] {
		s.Append("p", Stdout, lines(l))
	}
	ps = waitProblems(t, rec, "the underline's range", func(ps []detect.Problem) bool { return len(ps) == 1 && ps[0].EndColumn > 0 })
	assert.Equal(t, detect.Location{File: file, Line: 4, Column: 19, EndLine: 4, EndColumn: 22}, ps[0].Location)

	// The related location ("declared here").
	for _, l := range sample[4:10] {
		s.Append("p", Stdout, lines(l))
	}
	ps = waitProblems(t, rec, "the related location and its message", func(ps []detect.Problem) bool {
		return len(ps) == 1 && len(ps[0].Related) == 1 && ps[0].Related[0].Message != ""
	})
	assert.Equal(t, 2, ps[0].Related[0].Line)
	assert.Contains(t, ps[0].Related[0].Message, "declared here")

	// The second header ends the first block and opens the next.
	s.Append("p", Stdout, lines(sample[10]))
	ps = waitProblems(t, rec, "the second header", func(ps []detect.Problem) bool { return len(ps) == 2 })
	assert.Equal(t, 4, ps[0].Line)
	assert.Equal(t, 5, ps[1].Line)
	assert.Len(t, ps[0].Related, 1, "the ended block keeps what amended it")

	for _, l := range sample[11:] {
		s.Append("p", Stdout, lines(l))
	}
	ps = waitProblems(t, rec, "the final set", func(ps []detect.Problem) bool { return len(ps) == 2 && ps[1].EndColumn > 0 })
	assert.Equal(t, detect.Location{File: file, Line: 5, Column: 7, EndLine: 5, EndColumn: 12}, ps[1].Location)
	s.End("p")
	assert.Equal(t, ps, s.Problems("p"), "ending the process changes nothing")
}

// A node crash is shown at its first workspace frame as soon as that frame
// was read; the next frame joins as related information.
func TestNodeStackPendingAtFirstFrame(t *testing.T) {
	s, rec, root := pendingStore(t, map[string]string{"src/server.js": "x\n"})
	sample := readSample(t, "node-crash.log", root)
	// Up to the first frame: "listening", the header, source, caret, the
	// blank line, the message and one frame.
	require.Contains(t, sample[6], "at handler (")
	s.Append("p", Stderr, lines(sample[:7]...))
	ps := waitProblems(t, rec, "the crash at its first frame", func(ps []detect.Problem) bool { return len(ps) == 1 })
	assert.Equal(t, detect.Location{File: filepath.Join(root, "src/server.js"), Line: 2, Column: 19}, ps[0].Location)
	assert.Empty(t, ps[0].Related)

	s.Append("p", Stderr, lines(sample[7]))
	ps = waitProblems(t, rec, "the second frame", func(ps []detect.Problem) bool { return len(ps) == 1 && len(ps[0].Related) == 1 })
	assert.Equal(t, 5, ps[0].Related[0].Line)
}

// A watch cycle's start drops the problems of the block in progress too.
func TestCycleStartDropsPendingProblems(t *testing.T) {
	s, rec, _ := pendingStore(t, map[string]string{"src/a.ts": "a\nb\n"})
	s.Append("p", Stdout, lines("src/a.ts(2,1): error TS1005: ';' expected."))
	waitProblems(t, rec, "the pending problem", func(ps []detect.Problem) bool { return len(ps) == 1 })
	s.Append("p", Stdout, lines("8:38:21 PM - File change detected. Starting incremental compilation..."))
	waitProblems(t, rec, "the empty set of the new cycle", func(ps []detect.Problem) bool { return len(ps) == 0 })
	assert.Empty(t, s.Problems("p"))
}
