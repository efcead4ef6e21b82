package logstore

import (
	"time"

	"github.com/brummer-dev/brummer/eventbus"
	"github.com/brummer-dev/brummer/logstore/detect"
)

// Topics published by the store.
const (
	TopicProblemsChanged eventbus.Topic = "problems.changed" // ProblemsChanged
	TopicURLDetected     eventbus.Topic = "url.detected"     // URLDetected
	TopicCycleStarted    eventbus.Topic = "cycle.started"    // CycleStarted
	TopicLinesAppended   eventbus.Topic = "lines.appended"   // LinesAppended (low priority, drop oldest)
)

// Stream of an entry.
type Stream uint8

const (
	Stdout Stream = iota
	Stderr
	Browser
	System
)

func (s Stream) String() string {
	switch s {
	case Stderr:
		return "stderr"
	case Browser:
		return "browser"
	case System:
		return "system"
	}
	return "stdout"
}

// Entry is one stored line. It is kept small and with few pointers (the
// store writes one per line of output): the time is in Unix nanoseconds.
type Entry struct {
	Seq       uint64
	Time      int64 // when the line was read, Unix nanoseconds (see At)
	ProcessID string
	Text      string
	Stream    Stream
	Level     detect.Level
}

// At is the entry's time.
func (e *Entry) At() time.Time { return time.Unix(0, e.Time) }

// Line is what producers append.
type Line struct {
	Text string
	Time time.Time
}

// Query selects entries. Zero values mean "any".
//
// The result holds the entries with Seq > AfterSeq that match every filter,
// in ascending sequence order, at most Limit of them, the oldest first: a
// client pages forward by passing the Seq of the last entry it got as the
// next AfterSeq; a page shorter than Limit means it reached the newest
// entry. Tail asks for the newest matches instead (a "last lines" view).
type Query struct {
	ProcessID string
	AfterSeq  uint64
	Limit     int // default 200; at most max_entries
	Level     detect.Level
	HasLevel  bool   // filter on Level (entries at that level or above)
	Text      string // substring, case-insensitive
	Regexp    string // Go regexp; an invalid one is an error
	// Tail asks for the newest Limit matching entries (still returned
	// oldest first) instead of the oldest ones after AfterSeq.
	Tail bool
}

// Result of a query: entries in sequence order, the newest sequence number
// stored, and how many entries the ring has overwritten in total.
type Result struct {
	Entries []Entry
	LastSeq uint64
	Dropped uint64
}

// Process tells the store about a process before its first line.
type Process struct {
	ID     string
	Script string
	Dir    string // absolute working directory
	// Command is the script's command line as written in the manifest:
	// the directories it cd's into are where its tools' relative paths
	// start.
	Command string
	Roots   []string // workspace roots
}

// ProblemsChanged is the full current set of a process's problems.
type ProblemsChanged struct {
	ProcessID string
	Problems  []detect.Problem
}

// URLDetected is a dev-server URL seen in a process's output, once per
// process and URL. URL is normalized: 0.0.0.0 and [::] shown as localhost.
type URLDetected struct {
	ProcessID string
	URL       string
}

// CycleStarted says a watch tool began a new cycle.
type CycleStarted struct {
	ProcessID string
}

// LinesAppended says Count lines of a process were stored, with sequence
// numbers from From to To (inclusive; lines of other processes may lie
// between them); live log views read them with Store.Range (the oldest may
// already be overwritten). Lines that come in fast are announced together,
// at most every couple of milliseconds per process.
type LinesAppended struct {
	ProcessID string
	From, To  uint64
	Count     int
}

// Config of the store. Zero values take the defaults.
type Config struct {
	MaxEntries int   // default 10000
	MaxBytes   int64 // default 64 MiB
	// QuietFlush is how long a process's output must be quiet before pending
	// multi-line problems are flushed. Default 50ms.
	QuietFlush time.Duration
	// Matchers are extra parsers from user configuration.
	Matchers []func() detect.Parser
	// MaxProblems bounds a process's problem set (the first ones are kept:
	// later errors are often consequences). Default 1000.
	MaxProblems int
}

// Stats of the store (brummer/stats shows them as JSON).
type Stats struct {
	Entries int    `json:"entries"`
	Bytes   int64  `json:"bytes"`
	Dropped uint64 `json:"dropped"`
	LastSeq uint64 `json:"lastSeq"`
	// PublishErrors counts events the bus refused (closed).
	PublishErrors uint64 `json:"publishErrors"`
}
