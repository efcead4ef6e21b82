package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/brummer-dev/brummer/core"
	"github.com/brummer-dev/brummer/logstore"
	"github.com/brummer-dev/brummer/procmgr"
	"golang.org/x/term"
)

const runUsage = `Usage: brummer run [--dir DIR] [--problems FILE] SCRIPT...

Runs scripts of the package.json in DIR (default ".") together, each line of
output prefixed with the script's name. PKGDIR:SCRIPT names a script of the
workspace package in DIR/PKGDIR (when the root has no script of that name). Exits with the exit code of the
first script that fails (in the order they end), else 0. Ctrl-C (SIGINT) or
SIGTERM stops every script's whole process tree; the exit code is then 130
or 143, unless a script had already failed.

Problems found in the output (compiler errors, stack traces...) are listed
on stderr at the end as path:line:col: severity: message [source], or with
--problems written to FILE as a JSON array.

Flags:
`

// stopTimeout bounds how long stopping the scripts may take after a signal;
// procmgr's grace period (stop_grace_ms) is well below it.
const stopTimeout = time.Minute

// runCmd implements `brummer run`.
func runCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	dir := fs.String("dir", ".", "run the scripts of the package.json in `DIR`")
	problemsFile := fs.String("problems", "", "write the problems found as a JSON array to `FILE`")
	names, code, ok := parseInterspersed(fs, args, stdout, stderr)
	if !ok {
		return code
	}
	if len(names) == 0 {
		fmt.Fprintf(stderr, "brummer run: name at least one script\n\n%s", runUsage)
		return 2
	}
	root, cfg, ok := loadWorkspaceConfig("run", *dir, stderr)
	if !ok {
		return 1
	}

	// Signals are caught before anything starts, so that none can kill
	// brummer while a script is half started.
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sigs)
	// A closed stdout (`brummer run dev | head`) must not kill brummer
	// before it stopped the scripts: with SIGPIPE notified, writes fail with
	// EPIPE instead and the writer reports it. Notify rather than Ignore:
	// an ignored signal would stay ignored in the scripts.
	pipes := make(chan os.Signal, 1)
	signal.Notify(pipes, syscall.SIGPIPE)
	defer signal.Stop(pipes)

	out := newPrefixWriter(stdout, names, colorable(stdout))
	defer out.close() // idempotent; runs after app.Close, when no line can come
	app, err := core.New(core.Options{Roots: []string{root}, Config: cfg, Output: out.lines})
	if err != nil {
		fmt.Fprintf(stderr, "brummer run: %v\n", err)
		return 1
	}
	ctx := context.Background()
	defer func() {
		cctx, cancel := context.WithTimeout(ctx, stopTimeout)
		defer cancel()
		_ = app.Close(cctx)
	}()
	targets, code, ok := resolveTargets(app, root, names, stderr)
	if !ok {
		return code
	}
	out.setTargets(targets)

	r := &runner{app: app, ended: make(chan core.Process, len(targets))}
	startFailed := r.start(ctx, targets, stderr)
	exit := r.wait(ctx, sigs, out.broken, startFailed, stderr)
	out.close()

	problems := r.problems()
	if *problemsFile != "" {
		if err := writeProblems(*problemsFile, problems); err != nil {
			fmt.Fprintf(stderr, "brummer run: %v\n", err)
			if exit == 0 {
				exit = 1
			}
		}
	} else {
		printProblems(stderr, root, problems)
	}
	return exit
}

// parseInterspersed allows flags after script names (`run build --dir x`).
func parseInterspersed(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) ([]string, int, bool) {
	var names []string
	for {
		if code, ok := parseFlags(fs, args, runUsage, stdout, stderr); !ok {
			return nil, code, false
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return names, 0, true
		}
		if len(rest) < len(args) && args[len(args)-len(rest)-1] == "--" {
			return append(names, rest...), 0, true
		}
		names = append(names, rest[0])
		args = rest[1:]
	}
}

// target is a script to run: a name of the root manifest, or PKGDIR:SCRIPT
// for a workspace package (when no root script has that exact name).
type target struct {
	label, script, dir string
}

// resolveTargets makes sure every name is a script before anything starts.
func resolveTargets(app *core.App, root string, names []string, stderr io.Writer) ([]target, int, bool) {
	byDir := map[string]core.Manifest{}
	for _, m := range app.Manifests() {
		byDir[m.Dir] = m
	}
	rootMan, ok := byDir[root]
	if !ok {
		fmt.Fprintf(stderr, "brummer run: no package.json in %s\n", root)
		return nil, 1, false
	}
	if rootMan.Err != nil {
		fmt.Fprintf(stderr, "brummer run: %v\n", rootMan.Err)
		return nil, 1, false
	}
	var targets []target
	bad := false
	for _, n := range names {
		if hasScript(rootMan, n) {
			targets = append(targets, target{n, n, root})
			continue
		}
		bad = true
		if pkg, script, found := strings.Cut(n, ":"); found && pkg != "" {
			m, ok := byDir[filepath.Join(root, pkg)]
			switch {
			case ok && m.Err != nil:
				fmt.Fprintf(stderr, "brummer run: %v\n", m.Err)
				return nil, 1, false
			case ok && hasScript(m, script):
				targets = append(targets, target{n, script, m.Dir})
				bad = false
			case ok:
				fmt.Fprintf(stderr, "brummer run: unknown script %q in %s\n", script, m.Path)
				listScripts(stderr, m)
			default:
				fmt.Fprintf(stderr, "brummer run: no workspace package in %s (for %q)\n", filepath.Join(root, pkg), n)
				var pkgs []string
				for dir := range byDir {
					if rel, err := filepath.Rel(root, dir); err == nil && dir != root {
						pkgs = append(pkgs, rel)
					}
				}
				sort.Strings(pkgs)
				if len(pkgs) > 0 {
					fmt.Fprintf(stderr, "workspace packages: %s\n", strings.Join(pkgs, ", "))
				}
			}
			continue
		}
		fmt.Fprintf(stderr, "brummer run: unknown script %q in %s\n", n, rootMan.Path)
		listScripts(stderr, rootMan)
		if len(byDir) > 1 {
			fmt.Fprintln(stderr, "a workspace package's script is named PKGDIR:SCRIPT (see brummer scripts)")
		}
	}
	if bad {
		return nil, 2, false
	}
	for _, w := range app.Warnings() {
		fmt.Fprintf(stderr, "brummer run: warning: %s\n", w)
	}
	return targets, 0, true
}

// listScripts tells what a manifest declares, after an unknown name.
func listScripts(w io.Writer, m core.Manifest) {
	var available []string
	for _, s := range m.Scripts {
		available = append(available, s.Name)
	}
	if len(available) == 0 {
		fmt.Fprintln(w, "it declares no scripts")
	} else {
		fmt.Fprintf(w, "available scripts: %s\n", strings.Join(available, ", "))
	}
}

func hasScript(m core.Manifest, name string) bool {
	for _, s := range m.Scripts {
		if s.Name == name {
			return true
		}
	}
	return false
}

// runner follows the scripts of one `brummer run`.
type runner struct {
	app   *core.App
	ids   []string          // in start order
	ended chan core.Process // one per started process, in the order they end
}

// start starts every script; it reports whether one could not start.
func (r *runner) start(ctx context.Context, targets []target, stderr io.Writer) bool {
	failed := false
	for _, t := range targets {
		p, err := r.app.Run(ctx, t.script, t.dir)
		if p.ID != "" {
			r.ids = append(r.ids, p.ID)
			go func(id string) {
				// Ends when the process ended, at the latest when Close
				// stops it.
				done, err := r.app.Wait(context.Background(), id)
				if err != nil {
					done.ID = id
				}
				r.ended <- done
			}(p.ID)
		}
		if err != nil {
			fmt.Fprintf(stderr, "brummer run: %v\n", err)
			failed = true
			break
		}
	}
	return failed
}

// wait waits for every process to end and returns the exit code: the first
// failure's code, else the signal's, else 0.
func (r *runner) wait(ctx context.Context, sigs <-chan os.Signal, broken <-chan struct{}, startFailed bool, stderr io.Writer) int {
	exit := 0
	if startFailed {
		exit = 1
	}
	stopping := false
	stopped := make(chan struct{})
	stop := func() {
		if stopping {
			return
		}
		stopping = true
		go func() {
			defer close(stopped)
			sctx, cancel := context.WithTimeout(ctx, stopTimeout)
			defer cancel()
			if err := r.app.StopAll(sctx); err != nil {
				fmt.Fprintf(stderr, "brummer run: %v\n", err)
			}
		}()
	}
	if startFailed {
		stop()
	}
	signalled := 0
	for remaining := len(r.ids); remaining > 0; {
		select {
		case p := <-r.ended:
			remaining--
			if exit == 0 {
				exit = failureCode(p)
			}
		case <-broken:
			// Nobody reads the output any more: end as a pipeline would.
			broken = nil
			if signalled == 0 {
				signalled = 128 + int(syscall.SIGPIPE)
			}
			stop()
		case s := <-sigs:
			if signalled == 0 {
				signalled = 128 + int(s.(syscall.Signal))
			}
			stop()
		}
	}
	if stopping {
		<-stopped
	}
	if exit == 0 {
		exit = signalled
	}
	return exit
}

// failureCode is the exit code a process contributes: 0 unless it failed.
func failureCode(p core.Process) int {
	if p.Status != procmgr.Failed {
		return 0
	}
	if p.ExitCode != nil && *p.ExitCode > 0 {
		return *p.ExitCode
	}
	return 1
}

func (r *runner) problems() []core.ProcessProblem {
	var out []core.ProcessProblem
	for _, id := range r.ids {
		out = append(out, r.app.Problems(id)...)
	}
	return out
}

// problemJSON is the --problems format; every key is always present.
type problemJSON struct {
	File      string `json:"file"`
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	EndLine   int    `json:"endLine"`
	EndColumn int    `json:"endColumn"`
	Severity  string `json:"severity"`
	Message   string `json:"message"`
	Source    string `json:"source"`
	Code      string `json:"code"`
	Script    string `json:"script"`
}

func writeProblems(path string, problems []core.ProcessProblem) error {
	list := make([]problemJSON, 0, len(problems))
	for _, p := range problems {
		j := problemJSON{
			File: p.File, Line: p.Line, Column: p.Column, EndLine: p.EndLine, EndColumn: p.EndColumn,
			Severity: p.Severity.String(), Message: p.Message, Source: p.Source, Code: p.Code, Script: p.Script,
		}
		// Positions are 1-based: a tool that printed no column (go test,
		// panics) or no line points at the start of the line or file.
		j.Line, j.Column = max(j.Line, 1), max(j.Column, 1)
		if j.EndLine < j.Line {
			j.EndLine = j.Line
		}
		if j.EndLine == j.Line && j.EndColumn < j.Column {
			j.EndColumn = j.Column
		}
		list = append(list, j)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // messages hold <, > and & as the tools wrote them
	if err := enc.Encode(list); err != nil {
		return fmt.Errorf("encoding the problems: %w", err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("writing the problems: %w", err)
	}
	return nil
}

func printProblems(w io.Writer, root string, problems []core.ProcessProblem) {
	for _, p := range problems {
		fmt.Fprintf(w, "%s:%d:%d: %s: %s [%s]\n", relDir(root, p.File), max(p.Line, 1), max(p.Column, 1), p.Severity, p.Message, p.Source)
	}
}

// colorable reports whether w is a terminal that wants colours.
func colorable(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok || os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	return term.IsTerminal(int(f.Fd()))
}

var prefixColors = []string{"36", "33", "32", "35", "34", "31", "96", "93", "92", "95"}

// prefixWriter prints every line as "name | text". Formatting happens on
// the caller's goroutine; one writer goroutine owns the terminal, so lines
// of different scripts never interleave mid-line. The queue is bounded: a
// terminal that cannot keep up slows the scripts down, as a terminal
// does, rather than making brummer buffer without bound.
type prefixWriter struct {
	w      io.Writer
	width  int
	color  bool
	colors map[string]string // label -> SGR colour
	// labels by dir+"\x00"+script; set before the first process starts.
	labels map[string]string

	// mu makes close wait for senders; a late line is dropped, not a panic.
	mu     sync.RWMutex
	closed bool
	queue  chan []byte
	done   chan struct{}
	// broken is closed when a write fails (stdout closed); later lines are
	// discarded so that the scripts never wait on a dead reader.
	broken chan struct{}
}

func newPrefixWriter(w io.Writer, names []string, color bool) *prefixWriter {
	p := &prefixWriter{w: w, color: color, colors: map[string]string{}, queue: make(chan []byte, 64), done: make(chan struct{}), broken: make(chan struct{})}
	for i, n := range names {
		p.width = max(p.width, len(n))
		if _, ok := p.colors[n]; !ok {
			p.colors[n] = prefixColors[i%len(prefixColors)]
		}
	}
	go func() {
		defer close(p.done)
		failed := false
		for b := range p.queue {
			if failed {
				continue
			}
			if _, err := p.w.Write(b); err != nil {
				failed = true
				close(p.broken)
			}
		}
	}()
	return p
}

// setTargets names the processes of the targets by their labels. Called
// before the first Run, which orders it before every call of lines.
func (p *prefixWriter) setTargets(ts []target) {
	p.labels = map[string]string{}
	for _, t := range ts {
		p.labels[t.dir+"\x00"+t.script] = t.label
	}
}

// lines is the core.OutputFunc.
func (p *prefixWriter) lines(proc core.ProcessRef, stream logstore.Stream, lines []logstore.Line) {
	var b bytes.Buffer
	label := p.labels[proc.Dir+"\x00"+proc.Script]
	if label == "" {
		label = proc.Script
	}
	prefix := fmt.Sprintf("%-*s |", p.width, label)
	if p.color {
		prefix = "\x1b[" + p.colors[label] + "m" + prefix + "\x1b[0m"
	}
	for _, l := range lines {
		b.WriteString(prefix)
		b.WriteByte(' ')
		if stream == logstore.System && p.color {
			b.WriteString("\x1b[2m" + l.Text + "\x1b[0m")
		} else {
			b.WriteString(l.Text)
		}
		b.WriteByte('\n')
	}
	p.mu.RLock()
	defer p.mu.RUnlock()
	if !p.closed {
		p.queue <- b.Bytes()
	}
}

// close flushes what is queued. Called once every process has ended, so
// no more lines come.
func (p *prefixWriter) close() {
	p.mu.Lock()
	if !p.closed {
		p.closed = true
		close(p.queue)
	}
	p.mu.Unlock()
	<-p.done
}
