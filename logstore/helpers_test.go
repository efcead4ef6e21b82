package logstore

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/brummer-dev/brummer/eventbus"
	"github.com/brummer-dev/brummer/logstore/detect"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const waitTimeout = 10 * time.Second

// recorder subscribes to every store topic of a real bus and lets tests
// wait for a condition on what arrived.
type recorder struct {
	mu     sync.Mutex
	events []eventbus.Event
	signal chan struct{} // capacity 1: "something arrived"
}

func newBus(t testing.TB) (*eventbus.Bus, *recorder) {
	t.Helper()
	bus := eventbus.New(eventbus.Config{TopicPolicies: Policies()}, nil)
	rec := &recorder{signal: make(chan struct{}, 1)}
	for _, topic := range []eventbus.Topic{TopicProblemsChanged, TopicURLDetected, TopicCycleStarted, TopicLinesAppended} {
		unsub := bus.Subscribe(topic, rec.handle)
		t.Cleanup(unsub)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = bus.Close(ctx)
	})
	return bus, rec
}

func (r *recorder) handle(e eventbus.Event) {
	r.mu.Lock()
	r.events = append(r.events, e)
	r.mu.Unlock()
	select {
	case r.signal <- struct{}{}:
	default:
	}
}

func (r *recorder) snapshot() []eventbus.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]eventbus.Event(nil), r.events...)
}

// waitFor waits until cond holds over the events received so far.
func (r *recorder) waitFor(t testing.TB, what string, cond func([]eventbus.Event) bool) []eventbus.Event {
	t.Helper()
	deadline := time.NewTimer(waitTimeout)
	defer deadline.Stop()
	for {
		evs := r.snapshot()
		if cond(evs) {
			return evs
		}
		select {
		case <-r.signal:
		case <-deadline.C:
			t.Fatalf("timed out waiting for %s; got %d events: %s", what, len(evs), describe(evs))
		}
	}
}

func describe(evs []eventbus.Event) string {
	var b strings.Builder
	for _, e := range evs {
		b.WriteString(string(e.Topic))
		switch p := e.Payload.(type) {
		case ProblemsChanged:
			b.WriteString("(" + strconv.Itoa(len(p.Problems)) + ")")
		case URLDetected:
			b.WriteString("(" + p.URL + ")")
		case LinesAppended:
			b.WriteString("(" + strconv.Itoa(p.Count) + ")")
		}
		b.WriteString(" ")
	}
	return b.String()
}

func ofTopic(evs []eventbus.Event, topic eventbus.Topic) []eventbus.Event {
	var out []eventbus.Event
	for _, e := range evs {
		if e.Topic == topic {
			out = append(out, e)
		}
	}
	return out
}

// linesCount sums the lines announced by LinesAppended events (of one
// process, or of all for "").
func linesCount(evs []eventbus.Event, id string) int {
	n := 0
	for _, e := range ofTopic(evs, TopicLinesAppended) {
		if la := e.Payload.(LinesAppended); id == "" || la.ProcessID == id {
			n += la.Count
		}
	}
	return n
}

// lastProblems returns the payload of the last ProblemsChanged of a process.
func lastProblems(evs []eventbus.Event, id string) (ProblemsChanged, bool) {
	for i := len(evs) - 1; i >= 0; i-- {
		if pc, ok := evs[i].Payload.(ProblemsChanged); ok && pc.ProcessID == id {
			return pc, true
		}
	}
	return ProblemsChanged{}, false
}

// newTestStore builds a store whose detectors run the given parsers only,
// so the expectations do not depend on which built-in parsers exist yet.
func newTestStore(t testing.TB, cfg Config, pub eventbus.Publisher, parsers ...func() detect.Parser) *Store {
	t.Helper()
	s := New(cfg, pub, nil)
	s.newParsers = func() []detect.Parser {
		ps := make([]detect.Parser, len(parsers))
		for i, f := range parsers {
			ps[i] = f()
		}
		return ps
	}
	t.Cleanup(s.Close)
	return s
}

func lines(texts ...string) []Line {
	ls := make([]Line, len(texts))
	for i, t := range texts {
		ls[i] = Line{Text: t}
	}
	return ls
}

// readSample loads a captured output, strips ANSI like procmgr does and
// puts root where the capture had $ROOT.
func readSample(t testing.TB, name, root string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.ReplaceAll(string(b), "$ROOT", root)
	out := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	for i := range out {
		out[i] = detect.StripANSI(out[i])
	}
	return out
}

// tscParser is a tiny stand-in for the tsc parser of package detect:
// "file(line,col): error TSnnnn: message" with indented continuation lines,
// and the watch-mode cycle lines.
type tscParser struct{ pending *detect.Problem }

var tscLine = regexp.MustCompile(`^(.+?)\((\d+),(\d+)\): (error|warning) (TS\d+): (.*)$`)

func newTSCParser() detect.Parser { return &tscParser{} }

func (*tscParser) Name() string { return "tsc-test" }

func (p *tscParser) Feed(line string, claimed bool, env *detect.Env, out *detect.Output) bool {
	switch {
	case strings.Contains(line, "Starting compilation") || strings.Contains(line, "Starting incremental compilation"):
		p.Flush(env, out)
		out.CycleStart = true
		return true
	case strings.Contains(line, "Watching for file changes"):
		out.CycleEnd = true
		return true
	case p.pending != nil && strings.HasPrefix(line, "  "):
		p.pending.Message += "\n" + strings.TrimSpace(line)
		out.Level = max(out.Level, detect.LevelError)
		return true
	}
	p.Flush(env, out)
	if claimed || strings.IndexByte(line, '(') < 0 {
		return false
	}
	m := tscLine.FindStringSubmatch(line)
	if m == nil {
		return false
	}
	file, ok := env.Resolve(m[1])
	if !ok {
		return false
	}
	l, _ := strconv.Atoi(m[2])
	c, _ := strconv.Atoi(m[3])
	sev := detect.Error
	if m[4] == "warning" {
		sev = detect.Warning
	}
	p.pending = &detect.Problem{Location: detect.Location{File: file, Line: l, Column: c}, Severity: sev, Message: m[6], Source: "tsc", Code: m[5]}
	return true
}

func (p *tscParser) Flush(_ *detect.Env, out *detect.Output) {
	if p.pending != nil {
		out.Problems = append(out.Problems, *p.pending)
		p.pending = nil
	}
}

// stackParser is a tiny stand-in for the node parser: "SomeError: message"
// followed by "    at fn (file:line:col)" frames; the innermost frame in the
// workspace is the location, and the block only ends with an unrelated
// line, a flush or the end.
type stackParser struct {
	msg     string
	open    bool
	problem *detect.Problem
}

var frameLine = regexp.MustCompile(`^\s+at (?:.*\()?(.+?):(\d+):(\d+)\)?$`)

func newStackParser() detect.Parser { return &stackParser{} }

func (*stackParser) Name() string { return "stack-test" }

func (p *stackParser) Feed(line string, claimed bool, env *detect.Env, out *detect.Output) bool {
	if p.open && strings.HasPrefix(line, "    at ") {
		if m := frameLine.FindStringSubmatch(line); m != nil && p.problem == nil {
			if file, ok := env.Resolve(m[1]); ok {
				l, _ := strconv.Atoi(m[2])
				c, _ := strconv.Atoi(m[3])
				p.problem = &detect.Problem{Location: detect.Location{File: file, Line: l, Column: c}, Message: p.msg, Source: "node"}
			}
		}
		return true
	}
	p.Flush(env, out)
	if claimed {
		return false
	}
	if i := strings.Index(line, "Error: "); i > 0 && !strings.Contains(line[:i], " ") {
		p.open, p.msg = true, line
		return true
	}
	return false
}

func (p *stackParser) Flush(_ *detect.Env, out *detect.Output) {
	if p.problem != nil {
		out.Problems = append(out.Problems, *p.problem)
	}
	p.open, p.problem, p.msg = false, nil, ""
}
