package detect

// Severity of a problem, named as in the --problems JSON.
type Severity uint8

const (
	Error Severity = iota
	Warning
	Info
	Hint
)

func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	case Info:
		return "info"
	case Hint:
		return "hint"
	}
	return "error"
}

// Location is a place in a file. Line and Column are 1-based as tools print
// them; 0 means unknown. EndLine/EndColumn are inclusive-exclusive like LSP
// ranges once converted: EndColumn is the column just after the last
// character, 0 when unknown.
type Location struct {
	File      string `json:"file"` // absolute, cleaned path
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	EndLine   int    `json:"endLine"`
	EndColumn int    `json:"endColumn"`
}

// Related is a secondary location of a problem (tsc "declared here", further
// stack frames, gcc notes).
type Related struct {
	Location
	Message string `json:"message"`
}

// Problem is one diagnostic found in output.
type Problem struct {
	Location
	Severity Severity  `json:"-"`
	Message  string    `json:"message"`
	Source   string    `json:"source"` // the tool: tsc, eslint, go, rustc, gcc, python, node, vitest, jest, vite, esbuild, ...
	Code     string    `json:"code"`   // TS2322, no-undef, E0308; "" when none
	Related  []Related `json:"related,omitempty"`
}

// Key identifies a problem for de-duplication within one cycle.
func (p *Problem) Key() string {
	return p.File + "\x00" + itoa(p.Line) + "\x00" + itoa(p.Column) + "\x00" + p.Source + "\x00" + p.Code + "\x00" + p.Message
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

// Level is what detection says of one line.
type Level uint8

const (
	LevelInfo Level = iota
	LevelWarn
	LevelError
)

func (l Level) String() string {
	switch l {
	case LevelWarn:
		return "warn"
	case LevelError:
		return "error"
	}
	return "info"
}

// Env tells parsers where paths may resolve. Built once per process.
type Env struct {
	Dir   string   // the process's working directory (absolute)
	Roots []string // workspace roots (absolute); problems must lie under one
	// AltDirs are the directories the script changes to (`cd api && go
	// vet ./...`): a relative path that exists under one of them (tried in
	// order) resolves there, else under Dir.
	AltDirs []string
	// Exists reports whether an absolute path is an existing regular file.
	// Tests may replace it; nil means os.Stat (cached by the Detector).
	Exists func(abs string) bool
	// ReadFile reads a source file (to convert columns, find an import);
	// nil means the file system, files over 8 MiB skipped.
	ReadFile func(abs string) ([]byte, error)

	srcCache map[string]sourceFile // source files read lately (columns.go)
	// resolved remembers Resolve's results, for a Detector that stats each
	// file once (Exists nil); lineDirs is set while a line's own package
	// directory comes first in AltDirs (wrappers.go), when it is not used.
	resolved map[string]resolvedPath
	lineDirs bool
}

// Output collects what parsers find for one line (or one flush).
type Output struct {
	Problems   []Problem
	Level      Level // highest level seen for the current line
	CycleStart bool  // a watch tool began a new cycle: replace the process's problems
	CycleEnd   bool  // a watch tool finished a cycle: flush pending blocks now
	// Scheme is whether the line has "://" (a URL's): the gate looks at
	// every ':' of most lines anyway (Feed only).
	Scheme bool
}

// Parser recognises one tool's output. Parsers are stateful (multi-line
// blocks) and owned by one Detector, so they need no locking.
//
// Feed is called for every line in order. claimed is true when an earlier
// parser already took the line; a parser must then not emit for it (but may
// use it to end a block). Feed returns true when it took the line.
// Flush ends any block in progress: at a cycle end, after a quiet time, and
// when the process exits. Feed must reject unrelated lines in a few
// nanoseconds (byte checks before any regexp): it runs on every line.
type Parser interface {
	Name() string
	Feed(line string, claimed bool, env *Env, out *Output) bool
	Flush(env *Env, out *Output)
}

// Pender is a Parser whose blocks can be shown before they end. Once a
// block's location line was read, Pending appends the problem the block
// would give if it ended now (what Flush would emit), without ending it:
// the editor shows a lone error line at once, and the lines that follow
// (code frames, carets, stack frames, related locations) amend it.
// Pending must not change the parser's state.
type Pender interface {
	Pending(env *Env, out *Output)
}
