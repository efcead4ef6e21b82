package detect

import (
	"strings"
	"testing"
)

const natRoot = "/ws"

// natFeed runs lines through a Detector with every built-in parser, in a
// workspace /ws where exactly files (relative to /ws) exist, from dir.
func natFeed(dir string, files []string, lines ...string) []Problem {
	exist := map[string]bool{}
	for _, f := range files {
		exist[natRoot+"/"+f] = true
	}
	env := Env{Dir: natRoot + "/" + dir, Roots: []string{natRoot}, Exists: func(abs string) bool { return exist[abs] }}
	if dir == "" {
		env.Dir = natRoot
	}
	d := NewDetector(env, BuiltinParsers())
	var got []Problem
	for _, l := range lines {
		got = append(got, d.Feed(l).Problems...)
	}
	return append(got, d.Flush().Problems...)
}

// natBrief is a problem in one line, for comparisons.
func natBrief(ps []Problem) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(strings.TrimPrefix(p.File, natRoot+"/") + ":" + itoa(p.Line) + ":" + itoa(p.Column))
		if p.EndColumn > 0 {
			b.WriteString("-" + itoa(p.EndColumn))
		}
		b.WriteString(" " + p.Severity.String() + " " + p.Source)
		if p.Code != "" {
			b.WriteString(" [" + p.Code + "]")
		}
		b.WriteString(" " + strings.ReplaceAll(p.Message, "\n", "|"))
		for _, r := range p.Related {
			b.WriteString(" & " + strings.TrimPrefix(r.File, natRoot+"/") + ":" + itoa(r.Line))
		}
		b.WriteString("\n")
	}
	return b.String()
}

type natCase struct {
	name  string
	dir   string
	files []string
	lines []string
	want  string
}

func natRun(t *testing.T, cases []natCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := natBrief(natFeed(tc.dir, tc.files, tc.lines...))
			want := strings.TrimLeft(tc.want, "\n")
			if got != want {
				t.Errorf("got:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

func TestGenericFallback(t *testing.T) {
	natRun(t, []natCase{
		{name: "path line col", files: []string{"a/b.txt"},
			lines: []string{"a/b.txt:3:4: something is off"},
			want:  "a/b.txt:3:4 error output something is off\n"},
		{name: "warning word", files: []string{"x.cfg"},
			lines: []string{"x.cfg:7: warning: deprecated key"},
			want:  "x.cfg:7:0 warning output deprecated key\n"},
		{name: "gcc format of another tool", files: []string{"boot.asm"},
			lines: []string{"boot.asm:12: error: parser: instruction expected"},
			want:  "boot.asm:12:0 error output parser: instruction expected\n"},
		{name: "bracketed severity", files: []string{"c.yaml"},
			lines: []string{"c.yaml:1:1: [warning] missing document start"},
			want:  "c.yaml:1:1 warning yamllint missing document start\n"},
		{name: "file must exist", files: nil,
			lines: []string{"a/b.txt:3:4: something is off"}},
		{name: "outside the workspace", files: nil,
			lines: []string{"/etc/passwd:1:1: no"}},
		{name: "not locations", files: []string{"localhost"},
			lines: []string{
				"Server listening on http://localhost:3000",
				"  ➜  Local:   http://localhost:5173/",
				"12:30:01 compiled in 3ms",
				"localhost:3000 ready",
				"time: 12:00:00: ok",
				"\t/ws/x.go:12 +0x1d",
				"no colon at all",
				"a:b:c",
				":12: empty path",
				"x.txt:0: line zero",
			}},
		{name: "needs a message", files: []string{"a.txt"},
			lines: []string{"a.txt:3:", "a.txt:3:4:   "}},
	})
}

func TestNatSplitLocNeverPanics(t *testing.T) {
	for _, s := range []string{"", ":", ":1", "a:1", "a:1:", "a:1:2", "a:1:2:", " :1:", "a:99999999999999999999:1: x", "file://x:1:2: y"} {
		for _, mode := range []natLocMode{natLocStrict, natLocAny} {
			loc, ok := natSplitLoc(s, mode)
			if ok && (loc.line <= 0 || loc.path == "") {
				t.Errorf("natSplitLoc(%q) = %+v", s, loc)
			}
		}
	}
}
