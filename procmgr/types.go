package procmgr

import (
	"errors"
	"time"

	"github.com/brummer-dev/brummer/eventbus"
)

// TopicProcessChanged carries a ProcessChanged on every status change.
const TopicProcessChanged eventbus.Topic = "process.changed"

// Sentinel errors.
var (
	ErrUnknownProcess = errors.New("procmgr: unknown process")
	ErrClosed         = errors.New("procmgr: manager closed")
)

// Status of a process. Stored as an atomic int32.
type Status int32

const (
	Starting Status = iota
	Running
	Stopping
	Stopped // stopped on request
	Success // exited 0 on its own
	Failed  // exited non-zero, or could not start
)

func (s Status) String() string {
	switch s {
	case Starting:
		return "starting"
	case Running:
		return "running"
	case Stopping:
		return "stopping"
	case Stopped:
		return "stopped"
	case Success:
		return "success"
	case Failed:
		return "failed"
	}
	return "unknown"
}

// Active reports whether the process has not ended yet.
func (s Status) Active() bool { return s == Starting || s == Running || s == Stopping }

// Stream says where a line came from.
type Stream uint8

const (
	Stdout Stream = iota
	Stderr
)

func (s Stream) String() string {
	if s == Stderr {
		return "stderr"
	}
	return "stdout"
}

// Line is one line of output, already cleaned: ANSI escapes removed, invalid
// UTF-8 replaced, CR progress rewrites folded, cut at max_line_bytes.
type Line struct {
	Text      string
	Time      time.Time
	Color     bool // the raw line carried ANSI escapes
	Truncated bool // the line was cut; Text ends with TruncationMarker
}

// Sink receives batches of lines. It is called from the stream's reader
// goroutine and must not block for long (it must never wait on a client).
// The two streams of a process, and different processes, call it
// concurrently.
// Lines of one stream arrive in order. The slice is reused once Append
// returns: a sink copies the lines it keeps (the strings stay valid).
type Sink interface {
	Append(processID string, stream Stream, lines []Line)
}

// Spec says what to start.
type Spec struct {
	Script  string   // script name, for display and events
	Dir     string   // absolute working directory
	Command string   // the script's command line as written in the manifest (display only)
	Argv    []string // what to execute, e.g. ["npm", "run", "dev"]
	Env     []string // added to the inherited environment
}

// Snapshot is a consistent copy of a process's state.
type Snapshot struct {
	ID        string
	Script    string
	Dir       string
	Command   string
	Status    Status
	PID       int
	ExitCode  *int
	StartedAt time.Time
	EndedAt   *time.Time
}

// ProcessChanged is the payload of TopicProcessChanged.
type ProcessChanged struct {
	Process Snapshot
}

// Config of the manager. Zero values take the defaults.
type Config struct {
	MaxConcurrentStarts int           // default 10
	StopGrace           time.Duration // default 5s
	MaxLineBytes        int           // default 65536
	// MaxEnded bounds the ended processes kept for Get and List (oldest
	// forgotten first). Default 500.
	MaxEnded int
}
