package logstore

import (
	"fmt"
	"strings"
	"testing"

	"github.com/brummer-dev/brummer/eventbus"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func numbered(prefix string, from, to int) []Line {
	ls := make([]Line, 0, to-from)
	for i := from; i < to; i++ {
		ls = append(ls, Line{Text: fmt.Sprintf("%s%06d", prefix, i)})
	}
	return ls
}

func seqs(es []Entry) []uint64 {
	out := make([]uint64, len(es))
	for i, e := range es {
		out[i] = e.Seq
	}
	return out
}

func seqRange(from, to uint64) []uint64 {
	var out []uint64
	for s := from; s <= to; s++ {
		out = append(out, s)
	}
	return out
}

func TestRingBoundedByCount(t *testing.T) {
	s := newTestStore(t, Config{MaxEntries: 100}, nil)
	// Batches of several sizes cross the ring's growth steps (64, 100).
	for i, n := 0, 0; n < 250; i++ {
		size := min(1+i*7, 250-n)
		s.Append("p1", Stdout, numbered("line ", n, n+size))
		n += size
	}
	st := s.Stats()
	assert.Equal(t, 100, st.Entries)
	assert.Equal(t, uint64(150), st.Dropped)
	assert.Equal(t, uint64(250), st.LastSeq)
	assert.Equal(t, int64(100*(11+entryOverhead)), st.Bytes)

	res, err := s.Query(Query{Limit: 1000})
	require.NoError(t, err)
	assert.Equal(t, seqRange(151, 250), seqs(res.Entries), "limit is capped at max entries; the oldest were overwritten")
	assert.Equal(t, "line 000150", res.Entries[0].Text)
	assert.Equal(t, uint64(150), res.Dropped)
	assert.Equal(t, uint64(250), res.LastSeq)
}

func TestRingBoundedByBytes(t *testing.T) {
	const lineLen = 11 // "line 000000"
	maxBytes := int64(10 * (lineLen + entryOverhead))
	s := newTestStore(t, Config{MaxBytes: maxBytes}, nil)
	s.Append("p1", Stdout, numbered("line ", 0, 25))
	st := s.Stats()
	assert.Equal(t, 10, st.Entries)
	assert.Equal(t, uint64(15), st.Dropped)
	assert.LessOrEqual(t, st.Bytes, maxBytes)

	// One line larger than the whole budget stays alone rather than
	// leaving the store empty.
	big := strings.Repeat("x", int(maxBytes))
	s.Append("p1", Stderr, lines(big))
	st = s.Stats()
	assert.Equal(t, 1, st.Entries)
	assert.Equal(t, uint64(25), st.Dropped)
	res, err := s.Query(Query{})
	require.NoError(t, err)
	require.Len(t, res.Entries, 1)
	assert.Equal(t, big, res.Entries[0].Text)
	assert.Equal(t, Stderr, res.Entries[0].Stream)
}

func TestSetLimits(t *testing.T) {
	s := newTestStore(t, Config{MaxEntries: 1000}, nil)
	s.Append("p1", Stdout, numbered("a", 0, 100))
	s.SetLimits(10, 0)
	st := s.Stats()
	assert.Equal(t, 10, st.Entries)
	assert.Equal(t, uint64(90), st.Dropped)
	s.Append("p1", Stdout, numbered("b", 0, 5))
	res, err := s.Query(Query{ProcessID: "p1"})
	require.NoError(t, err)
	assert.Equal(t, seqRange(96, 105), seqs(res.Entries))

	s.SetLimits(50, 0)
	s.Append("p1", Stdout, numbered("c", 0, 100))
	st = s.Stats()
	assert.Equal(t, 50, st.Entries)
	assert.Equal(t, uint64(155), st.Dropped)

	s.SetLimits(0, 2*(entryOverhead+7)) // 0: default count; bytes shrink
	st = s.Stats()
	assert.Equal(t, 2, st.Entries)
	assert.Equal(t, uint64(203), st.Dropped)
}

func TestClear(t *testing.T) {
	bus, rec := newBus(t)
	s := newTestStore(t, Config{MaxEntries: 20}, bus)
	s.Append("a", Stdout, numbered("a", 0, 10))
	s.Append("b", Stdout, numbered("b", 0, 10))
	s.Clear("a")
	rec.waitFor(t, "an empty problem set for a", func(evs []eventbus.Event) bool {
		pc, ok := lastProblems(evs, "a")
		return ok && len(pc.Problems) == 0
	})

	res, err := s.Query(Query{})
	require.NoError(t, err)
	for _, e := range res.Entries {
		assert.Equal(t, "b", e.ProcessID)
	}
	assert.Len(t, res.Entries, 10)
	res, err = s.Query(Query{ProcessID: "a"})
	require.NoError(t, err)
	assert.Empty(t, res.Entries)
	st := s.Stats()
	assert.Equal(t, 10, st.Entries)
	assert.Equal(t, int64(10*(7+entryOverhead)), st.Bytes)

	// Overwriting cleared slots is not a loss.
	s.Append("b", Stdout, numbered("b", 10, 20))
	st = s.Stats()
	assert.Equal(t, 20, st.Entries)
	assert.Equal(t, uint64(0), st.Dropped)
	s.Append("b", Stdout, numbered("b", 20, 21))
	assert.Equal(t, uint64(1), s.Stats().Dropped)

	s.Clear("")
	st = s.Stats()
	assert.Equal(t, 0, st.Entries)
	assert.Equal(t, int64(0), st.Bytes)
	assert.Equal(t, uint64(31), st.LastSeq, "sequence numbers are never reused")
	s.Append("a", Stdout, lines("after"))
	res, err = s.Query(Query{})
	require.NoError(t, err)
	require.Len(t, res.Entries, 1)
	assert.Equal(t, uint64(32), res.Entries[0].Seq)
}

// Processes come and go (each restart is a new id): a process whose
// entries were all overwritten gives its slot in the ring's process table
// back, and every entry keeps naming its own process.
func TestRingReusesProcessSlots(t *testing.T) {
	s := newTestStore(t, Config{MaxEntries: 50}, nil)
	for i := range 200 {
		id := fmt.Sprintf("web#%d", i)
		s.Append(id, Stdout, numbered(id+" ", 0, 20))
		if i%3 == 0 {
			s.Clear(fmt.Sprintf("web#%d", i))
		}
		s.mu.Lock()
		procs := len(s.ring.procs)
		s.mu.Unlock()
		assert.LessOrEqual(t, procs, 5, "at most 3 processes fit in 50 entries, plus the one being stored")

		res, err := s.Query(Query{Limit: 50})
		require.NoError(t, err)
		for _, e := range res.Entries {
			require.True(t, strings.HasPrefix(e.Text, e.ProcessID+" "), "entry %d %q names process %q", e.Seq, e.Text, e.ProcessID)
		}
		for j := max(0, i-3); j <= i; j++ {
			pid := fmt.Sprintf("web#%d", j)
			for _, e := range s.Range(pid, 1, s.Stats().LastSeq, 0) {
				require.Equal(t, pid, e.ProcessID)
			}
		}
	}
}
