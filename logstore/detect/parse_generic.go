package detect

import (
	"bufio"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// The generic fallback: `path:line:col: msg` and `path:line: msg` printed by
// any tool we have no parser for. It runs last, only sees lines nobody
// claimed, and only reports paths that exist in the workspace, so that
// "listening on localhost:3000: ok" and the like never become problems.

func init() { register(900, func() Parser { return &genericParser{} }) }

// genericSource is the Source of problems found by the fallback: the tool is
// unknown, the text is the process's output.
const genericSource = "output"

type genericParser struct{}

func (*genericParser) Name() string { return "generic" }

func (*genericParser) Flush(*Env, *Output) {}

func (*genericParser) Feed(line string, claimed bool, env *Env, out *Output) bool {
	if claimed || !natHasLoc(line) {
		return false
	}
	loc, ok := natSplitLoc(line, natLocStrict)
	if !ok {
		return false
	}
	msg := strings.TrimSpace(loc.rest)
	if msg == "" {
		return false
	}
	abs, ok := env.ResolveExisting(loc.path)
	if !ok {
		return false
	}
	sev, msg := genericSeverity(msg)
	if msg == "" {
		return false
	}
	out.Problems = append(out.Problems, Problem{
		Location: Location{File: abs, Line: loc.line, Column: loc.col},
		Severity: sev, Message: msg, Source: genericSource,
	})
	return true
}

// genericSeverity takes a leading "error:"/"warning:" word off the message
// and names the severity; otherwise any mention of "warning" makes it a
// warning and the rest are errors.
func genericSeverity(msg string) (Severity, string) {
	// yamllint and others put it in brackets: "[warning] msg".
	if strings.HasPrefix(msg, "[") {
		if end := strings.IndexByte(msg, ']'); end > 0 {
			if sev, ok := matcherSeverity(msg[1:end]); ok {
				return sev, strings.TrimSpace(msg[end+1:])
			}
		}
	}
	low := strings.ToLower(msg)
	for _, w := range [...]struct {
		word string
		sev  Severity
	}{{"error", Error}, {"fatal error", Error}, {"warning", Warning}, {"warn", Warning}, {"note", Info}, {"info", Info}, {"hint", Hint}} {
		if strings.HasPrefix(low, w.word) && len(low) > len(w.word) && low[len(w.word)] == ':' {
			return w.sev, strings.TrimSpace(msg[len(w.word)+1:])
		}
	}
	if strings.Contains(low, "warning") {
		return Warning, msg
	}
	return Error, msg
}

// natHasLoc is the cheap pre-check shared by the native parsers: a ':'
// directly followed by a digit somewhere in the line.
func natHasLoc(line string) bool {
	for i := 0; ; {
		j := strings.IndexByte(line[i:], ':')
		if j < 0 {
			return false
		}
		i += j + 1
		if i < len(line) && line[i] >= '0' && line[i] <= '9' {
			return true
		}
	}
}

// natLoc is a location split off the front of a line.
type natLoc struct {
	path      string
	line, col int
	rest      string // what follows "line[:col]:" (or "line[:col]" at the end)
}

type natLocMode uint8

const (
	// natLocStrict wants the path to be the line's first token (after
	// indentation) and a ':' after the numbers.
	natLocStrict natLocMode = iota
	// natLocAny also accepts a path after a prefix ending in a space, a '('
	// or a quote, and numbers followed by a space or the end of the line.
	natLocAny
)

// natSplitLoc finds the first "path:line[:col]" in line. Paths may contain
// ':' only as a Windows drive letter or in a file:// scheme.
func natSplitLoc(line string, mode natLocMode) (natLoc, bool) {
	start := 0
	for start < len(line) && (line[start] == ' ' || line[start] == '\t') {
		start++
	}
	pstart := start
	for i := start; i < len(line); i++ {
		// Most bytes are neither: one look-up.
		k := natLocBytes[line[i]]
		if k == 0 {
			continue
		}
		if k != natColon {
			// The path is the first token in strict mode; otherwise it
			// starts after the last separator before the numbers.
			if mode == natLocStrict && k == natBlank {
				return natLoc{}, false
			}
			pstart = i + 1
			continue
		}
		if i+1 >= len(line) || line[i+1] < '0' || line[i+1] > '9' {
			continue
		}
		if mode == natLocStrict {
			pstart = start
		}
		path := line[pstart:i]
		if path == "" {
			return natLoc{}, false
		}
		ln, col, j := natLineCol(line, i)
		switch {
		case j < len(line) && line[j] == ':':
			j++
		case mode == natLocAny && (j == len(line) || line[j] == ' ' || line[j] == ')' || line[j] == '\'' || line[j] == '"'):
		default:
			return natLoc{}, false
		}
		if ln <= 0 {
			return natLoc{}, false
		}
		return natLoc{path: path, line: ln, col: col, rest: line[j:]}, true
	}
	return natLoc{}, false
}

// natLocBytes sorts the bytes natSplitLoc stops at: a blank, another
// separator before a path ('(', '[', quotes, '<'), a ':'.
var natLocBytes = [256]uint8{' ': natBlank, '\t': natBlank, '(': natSep, '[': natSep, '\'': natSep, '"': natSep, '<': natSep, ':': natColon}

const (
	natBlank uint8 = 1 + iota
	natSep
	natColon
)

// natLineCol reads ":line[:col]" at line[i] (a ':' followed by a digit)
// and returns the index after it.
func natLineCol(line string, i int) (ln, col, j int) {
	ln, n := natAtoi(line[i+1:])
	j = i + 1 + n
	if j+1 < len(line) && line[j] == ':' && line[j+1] >= '0' && line[j+1] <= '9' {
		c, m := natAtoi(line[j+1:])
		col, j = c, j+1+m
	}
	return ln, col, j
}

// natMaxMessage bounds a message that grows line by line, so that a flood
// of continuation lines costs linear time and bounded memory.
const natMaxMessage = 8 << 10

// natAppend adds a line to a multi-line message, up to natMaxMessage.
func natAppend(msg, line string) string {
	if len(msg) >= natMaxMessage {
		return msg
	}
	return natClip(msg + "\n" + line)
}

// natClip cuts s to natMaxMessage bytes, at a UTF-8 boundary.
func natClip(s string) string {
	if len(s) <= natMaxMessage {
		return s
	}
	i := natMaxMessage
	for i > 0 && s[i]&0xC0 == 0x80 {
		i--
	}
	return s[:i]
}

// natAtoi parses the leading decimal digits of s (capped, so that absurd
// numbers cannot overflow) and says how many bytes it used.
func natAtoi(s string) (int, int) {
	n, i := 0, 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		if n < 1e9 {
			n = n*10 + int(s[i]-'0')
		}
		i++
	}
	return n, i
}

// natMarkerRun finds the run of marker bytes (any of set) around index at in
// s, or the first run when at is out of range or not on a marker. It returns
// the run's start and end (exclusive); start < 0 when there is none.
func natMarkerRun(s string, at int, set string) (int, int) {
	if at < 0 || at >= len(s) || strings.IndexByte(set, s[at]) < 0 {
		at = strings.IndexAny(s, set)
		if at < 0 {
			return -1, -1
		}
	}
	i, j := at, at
	for i > 0 && strings.IndexByte(set, s[i-1]) >= 0 {
		i--
	}
	for j < len(s) && strings.IndexByte(set, s[j]) >= 0 {
		j++
	}
	return i, j
}

// natOnly reports whether s is non-empty and made only of bytes in set.
func natOnly(s, set string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(set, s[i]) < 0 {
			return false
		}
	}
	return true
}

// natReadLine returns line n (1-based) of the file abs. Python prints source
// lines without their indentation, so the columns of its markers need the
// original line. It is a variable so that golden tests can serve the
// fixture sources from testdata.
var natReadLine = func(abs string, n int) (string, bool) {
	f, err := os.Open(abs)
	if err != nil {
		return "", false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for i := 1; sc.Scan(); i++ {
		if i == n {
			return sc.Text(), true
		}
	}
	return "", false
}

// natResolveUp resolves p against env.Dir and then against each parent of
// env.Dir inside the workspace: cargo prints paths relative to the package
// or workspace root, wherever it was started.
func natResolveUp(env *Env, p string) (string, bool) {
	if abs, ok := env.ResolveExisting(p); ok || filepath.IsAbs(p) {
		return abs, ok
	}
	return natResolveFrom(env, filepath.Dir(env.Dir), p)
}

// natResolveFrom tries p relative to dir and each of its parents inside
// the workspace.
func natResolveFrom(env *Env, dir, p string) (string, bool) {
	for ; env.InWorkspace(dir); dir = filepath.Dir(dir) {
		if abs := filepath.Join(dir, p); env.InWorkspace(abs) && env.exists(abs) {
			return abs, true
		}
		if dir == filepath.Dir(dir) {
			break
		}
	}
	return "", false
}

// natFindManifestDirs lists the directories at dir and a few levels below
// it (outside node_modules, vendor, target and hidden directories) that hold
// a file named name: where a script that changed directory (`cd api && go
// vet`, `cd crate && cargo build`) ran its tool, whose paths are relative
// to it.
func natFindManifestDirs(dir, name string) []string {
	const maxDepth, maxDirs = 4, 64
	var out []string
	if dir == "" {
		return out
	}
	base := strings.Count(dir, string(filepath.Separator))
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || len(out) >= maxDirs {
			return filepath.SkipDir
		}
		if d.IsDir() {
			n := d.Name()
			if path != dir && (n == "node_modules" || n == "vendor" || n == "target" || strings.HasPrefix(n, ".")) ||
				strings.Count(path, string(filepath.Separator))-base > maxDepth {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Name() == name {
			out = append(out, filepath.Dir(path))
		}
		return nil
	})
	return out
}
