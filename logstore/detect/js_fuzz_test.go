package detect

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzFeedJS feeds arbitrary text, split into lines, through a Detector with
// every built-in parser: no panic, and every problem lies in the workspace.
func FuzzFeedJS(f *testing.F) {
	ins, _ := filepath.Glob("testdata/*/*.in")
	for _, in := range ins {
		switch filepath.Base(filepath.Dir(in)) {
		case "tsc", "eslint", "vitest", "jest", "node", "vite", "esbuild", "rollup", "webpack":
			b, err := os.ReadFile(in)
			if err == nil {
				f.Add(strings.ReplaceAll(string(b), "$ROOT", "/ws"))
			}
		}
	}
	f.Add(strings.Repeat("~", 1<<20))
	f.Add("a.ts:1:1 - error TS1: x\n\n1 " + strings.Repeat("x", 1<<20) + "\n  " + strings.Repeat("~", 1<<20))
	f.Add("TypeError: x\n" + strings.Repeat("    at (/ws/a.js:1:1)\n", 1000))
	f.Add("\x00\xff\xfe ✘ [ERROR] \x1b[31m\n    :1:1:\n ❯ :0:0\n FAIL  > \n  ● \n[!] \nERROR in  1:0-\n")
	f.Fuzz(func(t *testing.T, s string) {
		env := Env{Dir: "/ws", Roots: []string{"/ws"}, Exists: func(abs string) bool { return strings.HasPrefix(abs, "/ws/") }}
		d := NewDetector(env, BuiltinParsers())
		check := func(o *Output) {
			for _, p := range o.Problems {
				if !strings.HasPrefix(p.File, "/ws/") || p.Line < 0 || p.Column < 0 {
					t.Fatalf("bad problem %+v", p)
				}
			}
		}
		for _, l := range strings.Split(s, "\n") {
			check(d.Feed(l))
		}
		check(d.Flush())
	})
}
