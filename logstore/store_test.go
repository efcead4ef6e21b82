package logstore

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/brummer-dev/brummer/eventbus"
	"github.com/brummer-dev/brummer/logstore/detect"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func feedInBatches(s *Store, id string, ls []string, size int) {
	for i := 0; i < len(ls); i += size {
		s.Append(id, Stdout, lines(ls[i:min(i+size, len(ls))]...))
	}
}

// A real `tsc --watch --pretty false` session (two cycles: two errors, then
// one after an edit) appended in batches of various sizes: the problem set
// follows the cycles and the events arrive in order.
func TestProblemsFollowWatchCycles(t *testing.T) {
	for _, size := range []int{1, 3, 100} {
		t.Run(fmt.Sprint("batch", size), func(t *testing.T) {
			root := t.TempDir()
			bus, rec := newBus(t)
			s := newTestStore(t, Config{QuietFlush: time.Hour}, bus, newTSCParser)
			s.Register(Process{ID: "tsc", Dir: root, Roots: []string{root}})
			feedInBatches(s, "tsc", readSample(t, "tsc-watch.log", root), size)

			final := s.Problems("tsc")
			require.Len(t, final, 1)
			assert.Equal(t, detect.Location{File: filepath.Join(root, "src/a.ts"), Line: 2, Column: 29}, final[0].Location)
			assert.Equal(t, "TS2322", final[0].Code)
			assert.Equal(t, "Type 'string' is not assignable to type 'number'.", final[0].Message)

			// A batch's lines are announced after its other events, and one
			// key's events keep their order: once every line was
			// announced, everything arrived.
			evs := rec.waitFor(t, "every line", func(evs []eventbus.Event) bool {
				return linesCount(evs, "tsc") == 11
			})
			pc, _ := lastProblems(evs, "tsc")
			assert.Equal(t, final, pc.Problems)

			// The first cycle's two errors were published before the
			// second cycle started, and each cycle start empties the set
			// before its new problems arrive.
			var sizes []int
			for _, e := range evs {
				switch p := e.Payload.(type) {
				case CycleStarted:
					sizes = append(sizes, -1)
				case ProblemsChanged:
					if n := len(sizes); n > 0 && sizes[n-1] == len(p.Problems) {
						continue // growing in several batches shows each step; compare distinct steps
					}
					sizes = append(sizes, len(p.Problems))
				}
			}
			assert.Contains(t, [][]int{
				{-1, 0, 1, 2, -1, 0, 1}, // batches small enough to see every step
				{-1, 0, 2, -1, 0, 1},
				{-1, 1}, // one batch: coalesced
			}, sizes)

			for _, e := range evs {
				assert.Equal(t, "tsc", e.Key)
				want := eventbus.Medium
				if e.Topic == TopicLinesAppended {
					want = eventbus.Low
				}
				assert.Equal(t, want, e.Priority, e.Topic)
			}
		})
	}
}

// The last block of output (a stack trace) has no line after it: the quiet
// timer flushes it without further output.
func TestQuietFlushPublishesLastBlock(t *testing.T) {
	root := t.TempDir()
	bus, rec := newBus(t)
	s := newTestStore(t, Config{QuietFlush: 20 * time.Millisecond}, bus, newStackParser)
	s.Register(Process{ID: "api", Dir: root, Roots: []string{root}})
	sample := readSample(t, "node-crash.log", root)
	require.Equal(t, "Node.js v20.20.2", sample[len(sample)-1])
	// Everything up to the last frame, as a crashed watcher leaves it.
	feedInBatches(s, "api", sample[:len(sample)-2], 4)

	evs := rec.waitFor(t, "the flushed stack trace", func(evs []eventbus.Event) bool {
		pc, ok := lastProblems(evs, "api")
		return ok && len(pc.Problems) == 1
	})
	pc, _ := lastProblems(evs, "api")
	assert.Equal(t, detect.Location{File: filepath.Join(root, "src/server.js"), Line: 2, Column: 19}, pc.Problems[0].Location)
	assert.Equal(t, "TypeError: Cannot read properties of undefined (reading 'name')", pc.Problems[0].Message)
	assert.Equal(t, pc.Problems, s.Problems("api"))

	// The entry that opened the block is an error by its words.
	res, err := s.Query(Query{ProcessID: "api", HasLevel: true, Level: detect.LevelError})
	require.NoError(t, err)
	require.NotEmpty(t, res.Entries)
	assert.Equal(t, pc.Problems[0].Message, res.Entries[0].Text)
}

func TestEndFlushesAtOnce(t *testing.T) {
	root := t.TempDir()
	bus, rec := newBus(t)
	s := newTestStore(t, Config{QuietFlush: time.Hour}, bus, newStackParser)
	s.Register(Process{ID: "api", Dir: root, Roots: []string{root}})
	sample := readSample(t, "node-crash.log", root)
	s.Append("api", Stderr, lines(sample[:len(sample)-2]...))
	assert.Empty(t, s.Problems("api"), "the block is still open")
	s.End("api")
	require.Len(t, s.Problems("api"), 1)
	rec.waitFor(t, "the problem flushed by End", func(evs []eventbus.Event) bool {
		pc, ok := lastProblems(evs, "api")
		return ok && len(pc.Problems) == 1
	})
	s.End("api") // nothing pending: no new event, no panic
	s.End("unknown")
}

func TestClearProblemsKeepsLines(t *testing.T) {
	root := t.TempDir()
	bus, rec := newBus(t)
	s := newTestStore(t, Config{}, bus, newTSCParser)
	s.Register(Process{ID: "p", Dir: root, Roots: []string{root}})
	s.Append("p", Stdout, lines("src/x.ts(1,2): error TS1005: ';' expected.", "", "http://localhost:4000/"))
	require.Len(t, s.Problems("p"), 1)

	s.ClearProblems("p")
	assert.Empty(t, s.Problems("p"))
	rec.waitFor(t, "the emptied set", func(evs []eventbus.Event) bool {
		pc, ok := lastProblems(evs, "p")
		return ok && len(pc.Problems) == 0
	})
	res, err := s.Query(Query{ProcessID: "p"})
	require.NoError(t, err)
	assert.Len(t, res.Entries, 3)

	// The detector starts afresh: the same error printed again (the script
	// restarted) is a problem again, and the URL was not forgotten.
	s.Append("p", Stdout, lines("src/x.ts(1,2): error TS1005: ';' expected.", "", "http://localhost:4000/"))
	assert.Len(t, s.Problems("p"), 1)
	evs := rec.waitFor(t, "the second lines batch", func(evs []eventbus.Event) bool {
		return linesCount(evs, "p") == 6
	})
	assert.Len(t, ofTopic(evs, TopicURLDetected), 1)

	// Clear forgets problems, lines and URLs.
	s.Clear("p")
	assert.Empty(t, s.Problems("p"))
	s.Append("p", Stdout, lines("http://localhost:4000/"))
	rec.waitFor(t, "the URL announced again", func(evs []eventbus.Event) bool {
		return len(ofTopic(evs, TopicURLDetected)) == 2
	})
}

func TestProblemsBounded(t *testing.T) {
	root := t.TempDir()
	s := newTestStore(t, Config{MaxProblems: 5}, nil, newTSCParser)
	s.Register(Process{ID: "p", Dir: root, Roots: []string{root}})
	var ls []string
	for i := range 20 {
		ls = append(ls, fmt.Sprintf("src/x.ts(%d,1): error TS1: x", 10+i))
	}
	s.Append("p", Stdout, lines(ls...))
	s.End("p")
	ps := s.Problems("p")
	require.Len(t, ps, 5)
	assert.Equal(t, 10, ps[0].Line, "the first problems are kept")
	assert.Equal(t, 14, ps[4].Line)
}

// A process nobody registered still has its lines stored; without a
// directory and roots none of its paths can be a problem.
func TestUnregisteredProcess(t *testing.T) {
	s := newTestStore(t, Config{}, nil, newTSCParser)
	s.Append("ghost", Stdout, lines("src/x.ts(1,2): error TS1005: ';' expected.", "done"))
	assert.Empty(t, s.Problems("ghost"))
	res, err := s.Query(Query{ProcessID: "ghost"})
	require.NoError(t, err)
	require.Len(t, res.Entries, 2)
	assert.Equal(t, detect.LevelError, res.Entries[0].Level, "the word still says error")
	assert.NotZero(t, res.Entries[0].Time)
	assert.Nil(t, s.Problems("never-seen"))
}

func TestLineTimesAreKept(t *testing.T) {
	s := newTestStore(t, Config{}, nil)
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	s.Append("p", Browser, []Line{{Text: "x", Time: at}})
	res, err := s.Query(Query{})
	require.NoError(t, err)
	require.Len(t, res.Entries, 1)
	assert.True(t, at.Equal(res.Entries[0].At()), "time %v, want %v", res.Entries[0].At(), at)
	assert.Equal(t, Browser, res.Entries[0].Stream)
}

func TestCloseStopsTimersAndIsIdempotent(t *testing.T) {
	root := t.TempDir()
	bus, rec := newBus(t)
	s := newTestStore(t, Config{QuietFlush: time.Millisecond}, bus, newStackParser)
	s.Register(Process{ID: "api", Dir: root, Roots: []string{root}})
	sample := readSample(t, "node-crash.log", root)
	s.Close()
	s.Close()
	s.Append("api", Stderr, lines(sample[:len(sample)-2]...))
	rec.waitFor(t, "the lines", func(evs []eventbus.Event) bool { return len(ofTopic(evs, TopicLinesAppended)) == 1 })
	// No timer runs after Close; End still flushes.
	assert.Empty(t, s.Problems("api"))
	s.End("api")
	assert.Len(t, s.Problems("api"), 1)
}

// A bus that refuses events (closed) is counted, not fatal.
func TestPublishErrorsCounted(t *testing.T) {
	bus := eventbus.New(eventbus.Config{}, nil)
	require.NoError(t, bus.Close(t.Context()))
	s := newTestStore(t, Config{}, bus)
	s.Append("p", Stdout, lines("a"))
	assert.Equal(t, uint64(1), s.Stats().PublishErrors)
	assert.Equal(t, 1, s.Stats().Entries)
}

// A subscriber that stops consuming must not hold Append up: the bus drops
// by policy and the store keeps going.
func TestAppendNeverWaitsOnSubscribers(t *testing.T) {
	bus := eventbus.New(eventbus.Config{Workers: 1, QueueSizes: [3]int{4, 4, 4}, TopicPolicies: Policies()}, nil)
	release := make(chan struct{})
	unsub := bus.Subscribe(TopicLinesAppended, func(eventbus.Event) { <-release })
	t.Cleanup(func() {
		unsub()
		require.NoError(t, bus.Close(context.Background()))
	})
	defer close(release)
	s := newTestStore(t, Config{}, bus, newTSCParser)

	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 1000 {
			s.Append("p", Stdout, numbered("line ", i*10, i*10+10))
		}
	}()
	select {
	case <-done:
	case <-time.After(waitTimeout):
		t.Fatal("Append blocked behind a stuck subscriber")
	}
	assert.Equal(t, uint64(10000), s.Stats().LastSeq)
}

// A cycle-start line that flushes the previous cycle's last problem is a
// status line, not an error.
func TestCycleStartLineKeepsItsOwnLevel(t *testing.T) {
	root := t.TempDir()
	s := newTestStore(t, Config{}, nil, newTSCParser)
	s.Register(Process{ID: "p", Dir: root, Roots: []string{root}})
	s.Append("p", Stdout, lines("src/x.ts(1,2): error TS1005: ';' expected.", "File change detected. Starting incremental compilation..."))
	res, err := s.Query(Query{ProcessID: "p"})
	require.NoError(t, err)
	require.Len(t, res.Entries, 2)
	assert.Equal(t, detect.LevelError, res.Entries[0].Level)
	assert.Equal(t, detect.LevelInfo, res.Entries[1].Level)
	assert.Empty(t, s.Problems("p"), "the new cycle starts empty")
}

// LinesAppended names the batch's sequence numbers; Range reads them back,
// the newest first when bounded, and misses what was overwritten.
func TestLinesAppendedRange(t *testing.T) {
	bus, rec := newBus(t)
	s := newTestStore(t, Config{MaxEntries: 5}, bus)
	s.Append("a", Stdout, lines("a1", "a2", "a3"))
	s.Append("b", Stderr, lines("b1"))
	evs := rec.waitFor(t, "two batches", func(evs []eventbus.Event) bool { return len(ofTopic(evs, TopicLinesAppended)) == 2 })
	var first LinesAppended
	for _, e := range ofTopic(evs, TopicLinesAppended) {
		if la := e.Payload.(LinesAppended); la.ProcessID == "a" {
			first = la
		}
	}
	if first.ProcessID != "a" || first.From != 1 || first.To != 3 {
		t.Fatalf("a's batch %+v, want seqs 1 to 3", first)
	}
	texts := func(es []Entry) []string {
		var out []string
		for _, e := range es {
			out = append(out, e.Text)
		}
		return out
	}
	assert.Equal(t, []string{"a1", "a2", "a3"}, texts(s.Range("a", first.From, first.To, 0)))
	assert.Equal(t, []string{"a2", "a3"}, texts(s.Range("a", first.From, first.To, 2)))
	assert.Empty(t, s.Range("b", first.From, first.To, 0), "another process's range")
	// Three more lines push a1 and a2 out of the five-entry ring.
	s.Append("b", Stdout, lines("b2", "b3", "b4"))
	assert.Equal(t, []string{"a3"}, texts(s.Range("a", first.From, first.To, 0)))
	assert.Nil(t, s.Range("a", 5, 4, 0))
}

// Lines that come in fast are announced together, none twice or never:
// the ranges of a process's LinesAppended follow each other and cover
// every line, the last one without waiting for more output.
func TestLinesAppendedCoalesceFastBatches(t *testing.T) {
	bus, rec := newBus(t)
	s := newTestStore(t, Config{MaxEntries: 10000}, bus)
	for i := range 2000 {
		s.Append("p", Stdout, lines(fmt.Sprint("line ", i)))
		if i%10 == 0 {
			s.Append("q", Stderr, lines("other"))
		}
	}
	evs := rec.waitFor(t, "every line of p", func(evs []eventbus.Event) bool { return linesCount(evs, "p") == 2000 })
	var next uint64
	n := 0
	for _, e := range ofTopic(evs, TopicLinesAppended) {
		la := e.Payload.(LinesAppended)
		if la.ProcessID != "p" {
			continue
		}
		n++
		require.Greater(t, la.From, next, "ranges overlap")
		require.GreaterOrEqual(t, la.To, la.From)
		got := s.Range("p", la.From, la.To, 0)
		require.Len(t, got, la.Count, "Count is the process's lines in the range %d-%d", la.From, la.To)
		next = la.To
	}
	assert.Equal(t, s.Stats().LastSeq, next, "the last line of p is the last stored")
	assert.Less(t, n, 1000, "2000 batches in a burst came with %d announcements", n)

	// After a pause, a line is announced on its own.
	s.Append("p", Stdout, lines("after the pause"))
	evs = rec.waitFor(t, "the line after the pause", func(evs []eventbus.Event) bool { return linesCount(evs, "p") == 2001 })
	la := ofTopic(evs, TopicLinesAppended)[len(ofTopic(evs, TopicLinesAppended))-1].Payload.(LinesAppended)
	assert.Equal(t, LinesAppended{ProcessID: "p", From: next + 1, To: next + 1, Count: 1}, la)
}

// The ring keeps detection's level; the words' level comes with the line
// however it is read: a page, a tail, a filter, a batch the editor follows.
func TestReadLinesCarryTheirWordsLevel(t *testing.T) {
	s := newTestStore(t, Config{}, nil, newTSCParser)
	s.Append("p", Stdout, lines("WARN deprecated option", "npm ERR! code ELIFECYCLE", "listening", "Found 0 errors"))
	want := []detect.Level{detect.LevelWarn, detect.LevelError, detect.LevelInfo, detect.LevelInfo}
	levels := func(es []Entry) []detect.Level {
		var out []detect.Level
		for _, e := range es {
			out = append(out, e.Level)
		}
		return out
	}
	assert.Equal(t, want, levels(s.Range("p", 1, 4, 0)))
	res, err := s.Query(Query{ProcessID: "p"})
	require.NoError(t, err)
	assert.Equal(t, want, levels(res.Entries))
	res, err = s.Query(Query{ProcessID: "p", Tail: true, Limit: 3})
	require.NoError(t, err)
	assert.Equal(t, want[1:], levels(res.Entries))
	res, err = s.Query(Query{ProcessID: "p", HasLevel: true, Level: detect.LevelWarn})
	require.NoError(t, err)
	assert.Equal(t, want[:2], levels(res.Entries))
}
