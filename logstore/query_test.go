package logstore

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/brummer-dev/brummer/logstore/detect"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func texts(es []Entry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Text
	}
	return out
}

func TestQueryFilters(t *testing.T) {
	s := newTestStore(t, Config{}, nil)
	s.Append("web", Stdout, lines(
		"VITE v5.4.0 ready in 312 ms",
		"[vite] hmr update /src/App.tsx",
		"WARN deprecated option 'foo'",
		"Error: Cannot find module './missing'",
		"GET /api/users 200 12ms",
		"Größe überschritten",
	))
	s.Append("api", Stderr, lines(
		"npm ERR! code ELIFECYCLE",
		"listening on port 3000",
		"warning: unused variable",
	))

	cases := []struct {
		name string
		q    Query
		want []string
	}{
		{"process", Query{ProcessID: "api"}, []string{"npm ERR! code ELIFECYCLE", "listening on port 3000", "warning: unused variable"}},
		{"unknown process", Query{ProcessID: "nope"}, []string{}},
		{"errors", Query{HasLevel: true, Level: detect.LevelError}, []string{"Error: Cannot find module './missing'", "npm ERR! code ELIFECYCLE"}},
		{"warnings and above", Query{HasLevel: true, Level: detect.LevelWarn}, []string{"WARN deprecated option 'foo'", "Error: Cannot find module './missing'", "npm ERR! code ELIFECYCLE", "warning: unused variable"}},
		{"level info is everything", Query{HasLevel: true, Level: detect.LevelInfo, ProcessID: "api"}, []string{"npm ERR! code ELIFECYCLE", "listening on port 3000", "warning: unused variable"}},
		{"text ignores case", Query{Text: "HMR UPDATE"}, []string{"[vite] hmr update /src/App.tsx"}},
		{"non-ASCII text ignores case", Query{Text: "ÜBERSCHRITTEN"}, []string{"Größe überschritten"}},
		{"regexp", Query{Regexp: `\b\d{3}\b \d+ms$`}, []string{"GET /api/users 200 12ms"}},
		{"all filters", Query{ProcessID: "web", HasLevel: true, Level: detect.LevelWarn, Text: "error", Regexp: "module"}, []string{"Error: Cannot find module './missing'"}},
		{"after seq", Query{AfterSeq: 7}, []string{"listening on port 3000", "warning: unused variable"}},
		{"limit", Query{Limit: 2}, []string{"VITE v5.4.0 ready in 312 ms", "[vite] hmr update /src/App.tsx"}},
		{"tail", Query{Limit: 2, Tail: true}, []string{"listening on port 3000", "warning: unused variable"}},
		{"tail filtered", Query{Limit: 2, Tail: true, ProcessID: "web", HasLevel: true, Level: detect.LevelWarn}, []string{"WARN deprecated option 'foo'", "Error: Cannot find module './missing'"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := s.Query(c.q)
			require.NoError(t, err)
			assert.Equal(t, c.want, append([]string{}, texts(res.Entries)...))
			assert.Equal(t, uint64(9), res.LastSeq)
		})
	}
}

func TestQueryRejectsBadInput(t *testing.T) {
	s := newTestStore(t, Config{}, nil)
	_, err := s.Query(Query{Regexp: "foo(["})
	require.Error(t, err)
	assert.True(t, errors.Is(err, ErrInvalidQuery))
	assert.Contains(t, err.Error(), `"foo(["`, "the error names the regexp")

	_, err = s.Query(Query{Limit: -1})
	require.ErrorIs(t, err, ErrInvalidQuery)
	assert.Contains(t, err.Error(), "limit -1")
}

func TestQueryPaging(t *testing.T) {
	s := newTestStore(t, Config{MaxEntries: 5000}, nil)
	for i := 0; i < 3000; i += 100 {
		s.Append("p1", Stdout, numbered("row ", i, i+50))
		s.Append("p2", Stderr, numbered("other ", i, i+50))
	}

	res, err := s.Query(Query{})
	require.NoError(t, err)
	assert.Len(t, res.Entries, DefaultLimit)

	// Unfiltered, filtered (the matches are spread over several chunks)
	// and per-process paging each visit every match exactly once, in order.
	for _, q := range []Query{
		{Limit: 170},
		{Limit: 33, Text: "W 0"},
		{Limit: 41, Regexp: `[05]$`, ProcessID: "p1"},
		{Limit: 1000, ProcessID: "p2"},
	} {
		t.Run(fmt.Sprintf("%+v", q), func(t *testing.T) {
			var want []string
			all, err := s.Query(Query{Limit: 5000, ProcessID: q.ProcessID, Text: q.Text, Regexp: q.Regexp})
			require.NoError(t, err)
			want = texts(all.Entries)
			require.NotEmpty(t, want)

			var got []string
			pages := 0
			for {
				res, err := s.Query(q)
				require.NoError(t, err)
				got = append(got, texts(res.Entries)...)
				pages++
				if len(res.Entries) < q.Limit {
					break
				}
				q.AfterSeq = res.Entries[len(res.Entries)-1].Seq
			}
			assert.Equal(t, want, got)
			assert.Equal(t, len(want)/q.Limit+1, pages)
		})
	}
}

func TestQueryTailPagesBackward(t *testing.T) {
	s := newTestStore(t, Config{}, nil)
	s.Append("p1", Stdout, numbered("n", 0, 2000))
	res, err := s.Query(Query{Tail: true, Limit: 3})
	require.NoError(t, err)
	assert.Equal(t, []string{"n001997", "n001998", "n001999"}, texts(res.Entries))

	// Tail with AfterSeq never returns entries at or before it.
	res, err = s.Query(Query{Tail: true, Limit: 700, AfterSeq: 1990, ProcessID: "p1"})
	require.NoError(t, err)
	assert.Equal(t, seqRange(1991, 2000), seqs(res.Entries))

	// A filter whose matches sit far back crosses many chunks.
	res, err = s.Query(Query{Tail: true, Limit: 2, Text: "n00000"})
	require.NoError(t, err)
	assert.Equal(t, []string{"n000008", "n000009"}, texts(res.Entries))
}

// Writers of two processes on two streams each, and readers with filters,
// all at once: every query sees entries in sequence order that match its
// filter, and each stream's lines keep their order.
func TestConcurrentAppendAndQuery(t *testing.T) {
	bus, _ := newBus(t)
	s := newTestStore(t, Config{MaxEntries: 3000}, bus, newTSCParser, newStackParser)
	const batches, perBatch = 200, 10
	var writers, readers sync.WaitGroup
	stop := make(chan struct{})
	for _, id := range []string{"a", "b"} {
		s.Register(Process{ID: id, Dir: t.TempDir(), Roots: []string{"/"}})
		for _, st := range []Stream{Stdout, Stderr} {
			writers.Add(1)
			go func() {
				defer writers.Done()
				for i := range batches {
					batch := numbered(fmt.Sprintf("%s %s error ", id, st), i*perBatch, (i+1)*perBatch)
					s.Append(id, st, batch)
				}
			}()
		}
	}
	errs := make(chan error, 4)
	for r := range 4 {
		readers.Add(1)
		go func() {
			defer readers.Done()
			q := []Query{{Text: "STDERR"}, {ProcessID: "a"}, {HasLevel: true, Level: detect.LevelError, Tail: true}, {Regexp: "b stdout"}}[r]
			for {
				select {
				case <-stop:
					return
				default:
				}
				res, err := s.Query(q)
				if err != nil {
					errs <- err
					return
				}
				for i, e := range res.Entries {
					if i > 0 && e.Seq <= res.Entries[i-1].Seq || q.ProcessID != "" && e.ProcessID != q.ProcessID ||
						q.Text != "" && !strings.Contains(e.Text, "stderr") || e.Level != detect.LevelError {
						errs <- fmt.Errorf("query %+v returned %+v at %d", q, e, i)
						return
					}
				}
				s.Stats()
				s.Problems("a")
			}
		}()
	}
	writers.Wait()
	close(stop)
	readers.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	st := s.Stats()
	assert.Equal(t, 3000, st.Entries)
	assert.Equal(t, uint64(4*batches*perBatch), st.LastSeq)
	assert.Equal(t, uint64(4*batches*perBatch-3000), st.Dropped)
	last := map[string]string{}
	res, err := s.Query(Query{Limit: 3000})
	require.NoError(t, err)
	require.Len(t, res.Entries, 3000)
	for _, e := range res.Entries {
		key := e.ProcessID + e.Stream.String()
		assert.Less(t, last[key], e.Text, "lines of one stream keep their order")
		last[key] = e.Text
	}
}
