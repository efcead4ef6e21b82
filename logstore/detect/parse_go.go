package detect

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
)

// Go: compiler and vet errors (gobuild), go test failures (gotest),
// panics with their goroutine traces (gopanic) and the race detector's
// reports (gorace). Source "go" for all.

func init() {
	register(500, func() Parser { return &gopanicParser{} })
	register(505, func() Parser { return &goraceParser{} })
	register(510, func() Parser { return &gobuildParser{} })
	register(520, func() Parser { return &gotestParser{} })
}

const gobuildSource = "go"

// gobuildParser takes `path.go:line[:col]: msg` at the start of a line, as
// go build, go vet and go test's build step print them relative to the
// directory go ran in. Tab-indented lines right after one ("have (int)",
// "want (string)") continue its message.
type gobuildParser struct {
	pending *Problem
	// pkg is the import path of the last "# pkg" header: when a script
	// ran go in another directory (`cd api && go vet ./...`), the paths
	// are relative to that directory, found through the package's module.
	pkg     string
	modules map[string]string // module path -> dir, under the process dir; nil until needed
}

func (*gobuildParser) Name() string { return "gobuild" }

func (g *gobuildParser) Flush(env *Env, out *Output) {
	g.Pending(env, out)
	g.pending = nil
}

// Pending shows the error whose line was read; its continuation lines
// amend it.
func (g *gobuildParser) Pending(_ *Env, out *Output) {
	if g.pending != nil {
		out.Problems = append(out.Problems, *g.pending)
	}
}

func (g *gobuildParser) Feed(line string, claimed bool, env *Env, out *Output) bool {
	if g.pending != nil {
		if !claimed && len(line) > 1 && line[0] == '\t' {
			g.pending.Message = natAppend(g.pending.Message, strings.TrimSpace(line))
			return true
		}
		g.Flush(env, out)
	}
	if claimed || len(line) < 8 || line[0] == ' ' || line[0] == '\t' {
		return false
	}
	if rest, ok := strings.CutPrefix(line, "# "); ok {
		// "# example.com/m/pkg", or "# [example.com/m/pkg]" from go vet.
		if pkg := strings.Trim(strings.TrimSpace(rest), "[]"); pkg != "" && !strings.ContainsAny(pkg, " \t") {
			g.pkg = pkg
		}
		return false
	}
	i := strings.Index(line, ".go:")
	if i < 0 || i+4 >= len(line) || line[i+4] < '0' || line[i+4] > '9' {
		return false
	}
	// go vet of old versions prefixed its findings with "vet: ".
	text := strings.TrimPrefix(line, "vet: ")
	loc, ok := natSplitLoc(text, natLocStrict)
	if !ok || !strings.HasSuffix(loc.path, ".go") {
		return false
	}
	msg := strings.TrimSpace(loc.rest)
	abs, ok := env.ResolveExisting(loc.path)
	if !ok {
		abs, ok = g.resolveInModule(loc.path, env)
	}
	if !ok {
		abs, ok = env.Resolve(loc.path)
	}
	if !ok || msg == "" {
		return false
	}
	if msg == "too many errors" {
		// The compiler's notice that it stopped, at the last error shown.
		return true
	}
	g.pending = &Problem{
		Location: Location{File: abs, Line: loc.line, Column: loc.col},
		Severity: Error, Message: msg, Source: gobuildSource,
	}
	return true
}

// resolveInModule finds a relative path printed by go run from the root of
// the module that holds the last header's package (or in the package's own
// directory), for modules below the process's directory.
func (g *gobuildParser) resolveInModule(p string, env *Env) (string, bool) {
	if g.pkg == "" || filepath.IsAbs(p) {
		return "", false
	}
	if g.modules == nil {
		g.modules = gobuildFindModules(env.Dir)
	}
	for modPath, dir := range g.modules {
		if g.pkg != modPath && !strings.HasPrefix(g.pkg, modPath+"/") {
			continue
		}
		if abs, ok := env.ResolveExisting(filepath.Join(dir, p)); ok {
			return abs, true
		}
		pkgDir := filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(strings.TrimPrefix(g.pkg, modPath), "/")))
		if abs, ok := env.ResolveExisting(filepath.Join(pkgDir, filepath.Base(p))); ok {
			return abs, true
		}
	}
	return "", false
}

// gobuildFindModules maps the modules in dir and a few levels below it to
// their dirs.
func gobuildFindModules(dir string) map[string]string {
	mods := map[string]string{}
	for _, d := range natFindManifestDirs(dir, "go.mod") {
		if m := gotestFindModule(d); m.path != "" {
			mods[m.path] = m.dir
		}
	}
	return mods
}

// gopanicParser takes a Go panic or fatal runtime error and its goroutine
// traces. The problem sits at the first frame inside the workspace (the
// innermost call); later workspace frames of the same goroutine are Related.
type gopanicParser struct {
	state  gopanicState
	msg    string
	frames []Related // frames of the first goroutine, innermost first
	// framesGo is the goroutine (by its place in the dump) frames come
	// from: the first that has a frame in the workspace. That is the
	// panicking one, except when the runtime dumps every goroutine of a
	// test that timed out: its alarm goroutine comes first.
	framesGo int
	fn       string // function line waiting for its file line
	goCount  int    // goroutine headers seen, or message lines before them
	blank    bool   // the blank line before the first goroutine was seen
}

type gopanicState uint8

const (
	gopanicIdle     gopanicState = iota
	gopanicMessage               // after "panic: ", until the first goroutine header
	gopanicTrace                 // in goroutine traces
	gopanicMaxLines = 32         // message lines kept
)

func (*gopanicParser) Name() string { return "gopanic" }

func (g *gopanicParser) Feed(line string, claimed bool, env *Env, out *Output) bool {
	switch g.state {
	case gopanicIdle:
		if claimed || len(line) < 7 || (line[0] != 'p' && line[0] != 'f') {
			return false
		}
		if strings.HasPrefix(line, "panic: ") || strings.HasPrefix(line, "fatal error: ") {
			g.start(line)
			return true
		}
		return false
	case gopanicMessage:
		if strings.HasPrefix(line, "goroutine ") && strings.HasSuffix(line, ":") {
			g.state, g.goCount, g.fn = gopanicTrace, 1, ""
			return true
		}
		if strings.HasPrefix(line, "panic: ") || strings.HasPrefix(line, "fatal error: ") {
			// A panic while panicking: go prints both, the last is the
			// one the goroutine died of; keep the first, it names the cause.
			return true
		}
		if g.goCount++; claimed || g.goCount > gopanicMaxLines || g.blank && !strings.HasPrefix(line, "[signal ") && line != "" {
			// No trace followed: it was not a Go panic after all.
			g.state = gopanicIdle
			return false
		}
		if line == "" {
			// The trace follows the blank line; anything else means this
			// was not a Go panic after all.
			g.blank = true
		} else if !strings.HasPrefix(line, "[signal ") && !strings.HasPrefix(line, "\t") {
			g.msg = natAppend(g.msg, line)
		}
		return true
	}
	// gopanicTrace
	switch {
	case strings.HasPrefix(line, "\t") && g.fn != "":
		if (g.framesGo == 0 || g.framesGo == g.goCount) && g.addFrame(line[1:], env) {
			g.framesGo = g.goCount
		}
		g.fn = ""
		return true
	case strings.HasPrefix(line, "goroutine ") && strings.HasSuffix(line, ":"):
		g.goCount++
		g.fn = ""
		return true
	case line == "":
		return true
	case !claimed && gopanicFuncLine(line):
		g.fn = line
		return true
	case strings.HasPrefix(line, "...") || strings.HasPrefix(line, "exit status "):
		return true
	}
	g.Flush(env, out)
	return g.Feed(line, claimed, env, out)
}

func (g *gopanicParser) start(line string) {
	g.state, g.msg, g.frames, g.fn, g.goCount, g.blank, g.framesGo = gopanicMessage, line, g.frames[:0], "", 0, false, 0
	// Tests re-panic with a note that says nothing about the cause.
	for _, suffix := range [...]string{" [recovered, repanicked]", " [recovered]"} {
		g.msg = strings.TrimSuffix(g.msg, suffix)
	}
}

// gopanicFuncLine recognizes "pkg.Func(args)" and "created by pkg.F in
// goroutine 1" lines of a trace.
func gopanicFuncLine(line string) bool {
	if line[0] == ' ' || line[0] == '\t' {
		return false
	}
	if strings.HasPrefix(line, "created by ") {
		return true
	}
	return strings.HasSuffix(line, ")") && strings.IndexByte(line, '(') > 0 && !strings.Contains(line, ": ")
}

// addFrame records "/abs/file.go:12 +0x1d" when the file is in the workspace.
func (g *gopanicParser) addFrame(s string, env *Env) bool {
	loc, ok := goFrameLoc(s, env)
	if !ok || len(g.frames) >= 16 {
		return false
	}
	fn := g.fn
	if k := strings.LastIndexByte(fn, '('); k > 0 && !strings.HasPrefix(fn, "created by ") {
		fn = fn[:k]
	}
	g.frames = append(g.frames, Related{Location: loc, Message: fn})
	return true
}

// goFrameLoc reads the file line of a stack frame, "/abs/file.go:12 +0x1d",
// when the file is in the workspace and not in the module cache (a module
// cache or a toolchain's GOROOT under it may lie inside a workspace root).
func goFrameLoc(s string, env *Env) (Location, bool) {
	if k := strings.LastIndex(s, " +0x"); k >= 0 {
		s = s[:k]
	}
	i := strings.LastIndexByte(s, ':')
	if i <= 0 {
		return Location{}, false
	}
	n, used := natAtoi(s[i+1:])
	if n <= 0 || used != len(s)-i-1 {
		return Location{}, false
	}
	if m := strings.Index(s[:i], "/pkg/mod/"); m >= 0 && strings.IndexByte(s[m:i], '@') >= 0 {
		return Location{}, false
	}
	abs, ok := env.ResolveExisting(s[:i])
	if !ok {
		return Location{}, false
	}
	return Location{File: abs, Line: n}, true
}

func (g *gopanicParser) Flush(env *Env, out *Output) {
	g.Pending(env, out)
	g.state = gopanicIdle
}

// Pending shows the panic at its first workspace frame once one was read;
// the frames after it amend it.
func (g *gopanicParser) Pending(_ *Env, out *Output) {
	if g.state == gopanicIdle || len(g.frames) == 0 {
		return
	}
	p := Problem{Location: g.frames[0].Location, Severity: Error, Message: g.msg, Source: gobuildSource}
	if len(g.frames) > 1 {
		p.Related = append([]Related(nil), g.frames[1:]...)
	}
	out.Problems = append(out.Problems, p)
}

// goraceParser takes the race detector's reports (go test -race, go run
// -race): "WARNING: DATA RACE" between two rules of '=', then the stacks of
// the racing access, of the previous one, and of the goroutines' creation,
// each after a header line:
//
//	Read at 0x00c00009e188 by goroutine 9:
//	  example.com/m/pkg.(*T).Inc()
//	      /abs/pkg/t.go:8 +0x7e
//
// The problem sits at the first workspace frame of the racing access (of
// the previous access or a creation site when it has none); the first
// workspace frames of the other stacks are Related.
type goraceParser struct {
	state   goraceState
	section goraceSection
	found   bool // the current section's workspace frame was seen
	lines   int  // lines of the report so far
	// The accesses: kind "read", "previous write"; who "goroutine 9",
	// "main goroutine".
	access, accessWho string
	prev, prevWho     string
	sectMsg           string // the Related message of the current section
	at                Location
	related           []Related
}

type goraceState uint8

const (
	goraceIdle   goraceState = iota
	goraceOpened             // after a rule, "WARNING: DATA RACE" may follow
	goraceReport             // in a report, until the closing rule
)

type goraceSection uint8

const (
	goraceNone    goraceSection = iota
	goraceAccess                // "Read at 0x... by goroutine 9:"
	goraceRelated               // the previous access, a goroutine's creation
	goraceOther                 // a heap block's allocation and the like
)

const (
	goraceRule       = "=================="
	goraceMaxLines   = 1000 // lines of one report: an unclosed one ends there
	goraceMaxRelated = 16
)

func (*goraceParser) Name() string { return "gorace" }

func (g *goraceParser) Feed(line string, claimed bool, env *Env, out *Output) bool {
	switch g.state {
	case goraceIdle:
		// Not taken: the rule is a report's only if the warning follows.
		if line == goraceRule {
			g.state = goraceOpened
		}
		return false
	case goraceOpened:
		if line != "WARNING: DATA RACE" {
			g.state = goraceIdle
			return g.Feed(line, claimed, env, out)
		}
		g.state, g.section, g.found, g.lines = goraceReport, goraceNone, false, 0
		g.access, g.accessWho, g.prev, g.prevWho = "", "", "", ""
		g.sectMsg, g.at, g.related = "", Location{}, g.related[:0]
		return true
	}
	// goraceReport
	if line == goraceRule {
		g.Flush(env, out)
		return true
	}
	if g.lines++; g.lines > goraceMaxLines {
		g.Flush(env, out)
		return g.Feed(line, claimed, env, out)
	}
	switch {
	case line == "":
	case strings.HasPrefix(line, "      "):
		if !claimed && !g.found && g.section != goraceNone && g.section != goraceOther {
			g.frame(strings.TrimLeft(line, " "), env)
		}
	case strings.HasPrefix(line, "  "):
		// The function of the frame, or "[failed to restore the stack]".
	case strings.HasSuffix(line, ":") && line[0] != ' ' && line[0] != '\t':
		g.header(line)
	default:
		// Another stream's output between the report's lines.
		return false
	}
	return true
}

// header starts a section: "Read at 0x... by goroutine 9:", "Previous
// write at 0x... by main goroutine:", "Goroutine 9 (running) created at:".
func (g *goraceParser) header(line string) {
	g.section, g.found, g.sectMsg = goraceOther, false, ""
	if id, ok := strings.CutPrefix(line, "Goroutine "); ok && strings.HasSuffix(line, " created at:") {
		if i := strings.IndexByte(id, ' '); i > 0 {
			who := "goroutine " + id[:i]
			g.section, g.sectMsg = goraceRelated, who+" created here"
			// Say which access it made: the numbers change from run to
			// run, so the problem's message leaves them out.
			switch who {
			case g.accessWho:
				g.sectMsg += " (" + g.access + ")"
			case g.prevWho:
				g.sectMsg += " (" + g.prev + ")"
			}
		}
		return
	}
	at := strings.Index(line, " at 0x")
	by := strings.LastIndex(line, " by ")
	if at <= 0 || by < at {
		return
	}
	kind, who := strings.ToLower(line[:at]), strings.TrimSuffix(line[by+4:], ":")
	if !strings.HasSuffix(kind, "read") && !strings.HasSuffix(kind, "write") {
		// "Heap block of size 8 at 0x... allocated by goroutine 7:".
		return
	}
	switch {
	case strings.HasPrefix(kind, "previous "):
		if g.prev == "" {
			g.prev, g.prevWho = kind, who
		}
		g.section, g.sectMsg = goraceRelated, kind+" by "+who
	case g.access == "":
		g.access, g.accessWho, g.section = kind, who, goraceAccess
	}
}

// frame records the file line of a frame of the current section when it is
// the first one in the workspace.
func (g *goraceParser) frame(s string, env *Env) {
	loc, ok := goFrameLoc(s, env)
	if !ok {
		return
	}
	g.found = true
	if g.section == goraceAccess {
		g.at = loc
	} else if len(g.related) < goraceMaxRelated {
		g.related = append(g.related, Related{Location: loc, Message: g.sectMsg})
	}
}

// Flush reports the report in progress (when the output ended inside it).
func (g *goraceParser) Flush(_ *Env, out *Output) {
	if g.state != goraceReport {
		g.state = goraceIdle
		return
	}
	g.state = goraceIdle
	at, related := g.at, g.related
	if at.File == "" {
		// No workspace frame in the racing access: the previous access
		// or the goroutine's creation is the nearest to the cause.
		if len(related) == 0 {
			return
		}
		at, related = related[0].Location, related[1:]
	}
	// "DATA RACE: read, previous write": without the goroutines'
	// numbers, so that the same race reported by two runs is one problem.
	msg := "DATA RACE"
	if g.access != "" {
		msg += ": " + g.access
		if g.prev != "" {
			msg += ", " + g.prev
		}
	}
	p := Problem{Location: at, Severity: Error, Message: msg, Source: gobuildSource}
	if len(related) > 0 {
		p.Related = append([]Related(nil), related...)
	}
	out.Problems = append(out.Problems, p)
}

// gotestParser takes the `file_test.go:12: msg` lines that go test prints,
// indented, for failed tests. The file is named relative to its package's
// directory, which only the `FAIL\tpkg/path\t0.01s` line at the end of the
// package tells, so lines are held until then. With -v, log lines come
// before the test's `--- FAIL`/`--- PASS` verdict and are kept only if it
// failed.
type gotestParser struct {
	entries []gotestEntry
	below   map[string]string // modules under the process dir (go.work); nil until needed
	last    *gotestEntry      // the entry whose continuation lines may follow
	running string            // test named by the last === RUN/CONT line
	failing string            // test named by the last --- FAIL line ("" outside one)
	modules map[string]gotestModule
}

type gotestEntry struct {
	file   string
	line   int
	msg    string
	indent int
	test   string
	failed bool
}

type gotestModule struct{ path, dir string }

const gotestMaxEntries = 256

func (*gotestParser) Name() string { return "gotest" }

func (g *gotestParser) Feed(line string, claimed bool, env *Env, out *Output) bool {
	if line == "" {
		return false
	}
	switch line[0] {
	case ' ':
		if claimed {
			return false
		}
		return g.feedIndented(line)
	case '=':
		if name, ok := gotestVerdict(line, "=== RUN ", "=== CONT ", "=== NAME "); ok {
			g.running, g.failing, g.last = name, "", nil
			return true
		}
	case '-':
		if name, ok := gotestVerdict(line, "--- FAIL: "); ok {
			g.verdict(name, true)
			g.failing = name
			return true
		}
		if name, ok := gotestVerdict(line, "--- PASS: ", "--- SKIP: "); ok {
			g.verdict(name, false)
			g.failing = ""
			return true
		}
	case 'F', 'o':
		if pkg, ok := gotestPackageLine(line); ok {
			g.emit(pkg, line[0] == 'F', env, out)
			return true
		}
	}
	g.last = nil
	return false
}

func (g *gotestParser) feedIndented(line string) bool {
	trimmed := strings.TrimLeft(line, " ")
	indent := len(line) - len(trimmed)
	if name, ok := gotestVerdict(trimmed, "--- FAIL: "); ok {
		g.verdict(name, true)
		g.failing = name
		return true
	}
	if name, ok := gotestVerdict(trimmed, "--- PASS: ", "--- SKIP: "); ok {
		g.verdict(name, false)
		return true
	}
	if g.last != nil && indent > g.last.indent {
		g.last.msg = natAppend(g.last.msg, trimmed)
		return true
	}
	g.last = nil
	if !natHasLoc(trimmed) {
		return false
	}
	loc, ok := natSplitLoc(trimmed, natLocStrict)
	if !ok || loc.col != 0 || !strings.HasSuffix(loc.path, ".go") || len(g.entries) >= gotestMaxEntries {
		return false
	}
	if loc.path == "testing.go" && strings.HasPrefix(strings.TrimSpace(loc.rest), "race detected ") {
		// The testing package's own line after a race report (which is
		// the problem): its file is no file of the package, even when
		// the package has a testing.go.
		return true
	}
	test, failed := g.running, false
	if g.failing != "" {
		test, failed = g.failing, true
	}
	g.entries = append(g.entries, gotestEntry{file: loc.path, line: loc.line,
		msg: strings.TrimSpace(loc.rest), indent: indent, test: test, failed: failed})
	g.last = &g.entries[len(g.entries)-1]
	return true
}

// gotestVerdict returns the test name of a "--- FAIL: TestX (0.00s)" or
// "=== RUN   TestX" line.
func gotestVerdict(line string, prefixes ...string) (string, bool) {
	for _, p := range prefixes {
		if strings.HasPrefix(line, p) {
			name := strings.TrimSpace(line[len(p):])
			if i := strings.IndexByte(name, ' '); i > 0 {
				name = name[:i]
			}
			return name, name != ""
		}
	}
	return "", false
}

// verdict marks the held entries of test name (and its subtests): failed
// ones are kept, passed ones dropped.
func (g *gotestParser) verdict(name string, failed bool) {
	kept := g.entries[:0]
	for _, e := range g.entries {
		if e.test == name || strings.HasPrefix(e.test, name+"/") {
			if !failed {
				continue
			}
			e.failed = true
		}
		kept = append(kept, e)
	}
	g.entries = kept
	g.last = nil
}

// gotestPackageLine recognizes "FAIL\tpkg\t0.01s", "FAIL\tpkg [build failed]"
// and "ok  \tpkg\t0.01s".
func gotestPackageLine(line string) (string, bool) {
	var rest string
	switch {
	case strings.HasPrefix(line, "FAIL\t"):
		rest = line[5:]
	case strings.HasPrefix(line, "ok  \t"):
		rest = line[5:]
	default:
		return "", false
	}
	if i := strings.IndexAny(rest, "\t "); i >= 0 {
		rest = rest[:i]
	}
	return rest, rest != ""
}

// emit reports the held entries of package pkg ("" when unknown) that
// belong to failed tests, or to no known test when the package failed, and
// forgets the rest.
func (g *gotestParser) emit(pkg string, pkgFailed bool, env *Env, out *Output) {
	dir := ""
	if pkg != "" {
		dir = g.packageDir(pkg, env)
	}
	for _, e := range g.entries {
		if !e.failed && !(pkgFailed && pkg != "") {
			continue
		}
		abs, ok := gotestResolve(e.file, dir, pkg, env)
		if !ok {
			continue
		}
		msg := e.msg
		if m, ok := testifyMessage(msg); ok {
			msg = m
		}
		out.Problems = append(out.Problems, Problem{
			Location: Location{File: abs, Line: e.line},
			Severity: Error, Message: msg, Source: gobuildSource,
		})
	}
	g.entries, g.last, g.running, g.failing = g.entries[:0], nil, "", ""
}

// gotestResolve finds a file named relative to its package directory: dir
// when go.mod told it, else the process's directory joined with ever longer
// tails of the import path (example.com/m/pkg: ., pkg, m/pkg).
func gotestResolve(file, dir, pkg string, env *Env) (string, bool) {
	if filepath.IsAbs(file) || strings.HasPrefix(file, "file://") {
		return env.ResolveExisting(file)
	}
	if dir != "" {
		if abs, ok := env.ResolveExisting(filepath.Join(dir, file)); ok {
			return abs, true
		}
	}
	if abs, ok := env.ResolveExisting(file); ok {
		return abs, true
	}
	for i := len(pkg) - 1; i >= 0; i-- {
		if i > 0 && pkg[i-1] != '/' {
			continue
		}
		if abs, ok := env.ResolveExisting(filepath.Join(filepath.FromSlash(pkg[i:]), file)); ok {
			return abs, true
		}
	}
	return "", false
}

// packageDir maps an import path to its directory through the go.mod found
// upward from the process's directory.
func (g *gotestParser) packageDir(pkg string, env *Env) string {
	mod, ok := g.modules[env.Dir]
	if !ok {
		mod = gotestFindModule(env.Dir)
		if g.modules == nil {
			g.modules = map[string]gotestModule{}
		}
		g.modules[env.Dir] = mod
	}
	if dir, ok := gotestInModule(pkg, mod.path, mod.dir); ok {
		return dir
	}
	// A workspace of modules (go.work) tested from its root: the module
	// under the process dir whose path is the longest prefix of pkg.
	if g.below == nil {
		g.below = gobuildFindModules(env.Dir)
	}
	best, bestDir := "", ""
	for path, dir := range g.below {
		if d, ok := gotestInModule(pkg, path, dir); ok && len(path) > len(best) {
			best, bestDir = path, d
		}
	}
	return bestDir
}

// gotestInModule maps pkg to its directory when it belongs to the module
// with that path and root dir.
func gotestInModule(pkg, path, dir string) (string, bool) {
	if path == "" {
		return "", false
	}
	if pkg == path {
		return dir, true
	}
	if rest, ok := strings.CutPrefix(pkg, path+"/"); ok {
		return filepath.Join(dir, filepath.FromSlash(rest)), true
	}
	return "", false
}

func gotestFindModule(dir string) gotestModule {
	for d := dir; d != "" && d != "."; d = filepath.Dir(d) {
		if f, err := os.Open(filepath.Join(d, "go.mod")); err == nil {
			sc := bufio.NewScanner(f)
			for sc.Scan() {
				if rest, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "module"); ok {
					f.Close()
					return gotestModule{path: strings.Trim(strings.TrimSpace(rest), `"`), dir: d}
				}
			}
			f.Close()
			return gotestModule{}
		}
		if d == filepath.Dir(d) {
			break
		}
	}
	return gotestModule{}
}

func (g *gotestParser) Flush(env *Env, out *Output) {
	if len(g.entries) > 0 {
		g.emit("", false, env, out)
	}
}

// testifyMessage rewrites the message of a testify assertion, which the
// test's log line leaves empty and follows with tab-aligned fields:
//
//	Error Trace:	/abs/x_test.go:12
//	Error:      	Not equal:
//	            	expected: 2
//	            	actual  : 3
//	Test:       	TestX
//	Messages:   	value of b
//
// into the Error field with its continuation lines, then the Messages
// field: "Not equal:\nexpected: 2\nactual  : 3\nvalue of b".
func testifyMessage(msg string) (string, bool) {
	first, rest, _ := strings.Cut(msg, "\n")
	if strings.TrimSpace(first) != "" || !strings.Contains(rest, "Error Trace:") {
		return "", false
	}
	var errLines []string
	var messages string
	field := ""
	for _, l := range strings.Split(rest, "\n") {
		t := strings.TrimLeft(l, " \t")
		// A field is "Name:", padding, a tab, its value; a continuation
		// line is padding, a tab and more of the last field's value.
		if name, value, ok := strings.Cut(t, ":"); ok && name != "" && !strings.ContainsAny(name, "\t") && strings.HasPrefix(strings.TrimLeft(value, " "), "\t") {
			field = name
			t = strings.TrimSpace(value)
		} else {
			t = strings.TrimSpace(t)
		}
		switch field {
		case "Error":
			if t != "" && len(errLines) < jsMaxMessageLines {
				errLines = append(errLines, t)
			}
		case "Messages":
			if t != "" {
				messages = natAppend(messages, t)
				messages = strings.TrimPrefix(messages, "\n")
			}
		}
	}
	if len(errLines) == 0 {
		return "", false
	}
	out := strings.Join(errLines, "\n")
	if messages != "" {
		out += "\n" + messages
	}
	return natClip(out), true
}
