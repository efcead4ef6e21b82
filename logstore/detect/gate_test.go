package detect

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// gateInputs returns every golden input and fuzz corpus entry as lines,
// with the Env its golden case runs in.
func gateInputs(t *testing.T) map[string]struct {
	env   Env
	lines []string
} {
	t.Helper()
	all := map[string]struct {
		env   Env
		lines []string
	}{}
	split := func(raw []byte) []string {
		var lines []string
		sc := bufio.NewScanner(bytes.NewReader(bytes.ReplaceAll(raw, []byte("$ROOT"), []byte(goldenRoot))))
		sc.Buffer(make([]byte, 1<<20), 1<<24)
		for sc.Scan() {
			lines = append(lines, StripANSI(strings.TrimSuffix(sc.Text(), "\r")))
		}
		return lines
	}
	everything := func(abs string) bool { return strings.HasPrefix(abs, goldenRoot+"/") }
	ins, _ := filepath.Glob("testdata/*/*.in")
	for _, in := range ins {
		raw, err := os.ReadFile(in)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(in, ".in")
		env := Env{Dir: goldenRoot, Roots: []string{goldenRoot}, Exists: everything}
		if b, err := os.ReadFile(name + ".dir"); err == nil {
			env.Dir = filepath.Join(goldenRoot, strings.TrimSpace(string(b)))
		}
		if b, err := os.ReadFile(name + ".files"); err == nil {
			files := map[string]bool{}
			for _, f := range goldenFileList(b) {
				files[filepath.Join(goldenRoot, f)] = true
			}
			env.Exists = func(abs string) bool { return files[abs] }
		}
		all[in] = struct {
			env   Env
			lines []string
		}{env, split(raw)}
	}
	corpus, _ := filepath.Glob("testdata/fuzz/*/*")
	for _, c := range corpus {
		raw, err := os.ReadFile(c)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range strings.Split(string(raw), "\n") {
			arg, ok := strings.CutPrefix(l, "string(")
			if !ok {
				continue
			}
			s, err := strconv.Unquote(strings.TrimSuffix(arg, ")"))
			if err != nil {
				t.Fatalf("%s: %v", c, err)
			}
			all[c] = struct {
				env   Env
				lines []string
			}{Env{Dir: goldenRoot, Roots: []string{goldenRoot}, Exists: everything}, strings.Split(s, "\n")}
		}
	}
	if len(all) < 50 {
		t.Fatalf("only %d inputs found: testdata missing?", len(all))
	}
	return all
}

// gateTrace feeds lines through fresh built-in parsers as the Detector
// does, but feeds the parsers it would skip as well and checks that this
// was a no-op. It returns how many Feeds the Detector would skip.
func gateTrace(t testing.TB, name string, env Env, lines []string) int {
	t.Helper()
	skips := 0
	ps := BuiltinParsers()
	var gt gateTable // the Detector's decision, on the real states
	gt.init(ps)
	var out Output
	for n, line := range lines {
		where := name + ":" + strconv.Itoa(n+1)
		for i := range ps {
			gt.update(i)
		}
		want := gt.want(line)
		out = Output{}
		claimed := false
		for i, p := range ps {
			if _, ok := p.(gatedParser); ok && want&(1<<i) == 0 {
				skips++
				gateCheckNoOp(t, where, p, line, claimed, &env, &out)
				f := BuiltinParsers()[i]
				gateCheckNoOp(t, where+" (fresh)", f, line, false, &env, &Output{})
				gateCheckNoOp(t, where+" (fresh)", f, line, true, &env, &Output{})
				continue
			}
			if p.Feed(line, claimed, &env, &out) {
				claimed = true
			}
		}
		if out.CycleStart || out.CycleEnd {
			gateFlushAll(t, where, ps, &env, &out)
		}
	}
	gateFlushAll(t, name+" (end)", ps, &env, &Output{})
	return skips
}

// FuzzGate runs the no-op check of TestGateSkipsOnlyNoOps on arbitrary
// text (go test -fuzz FuzzGate).
func FuzzGate(f *testing.F) {
	ins, _ := filepath.Glob("testdata/*/*.in")
	for _, in := range ins {
		if b, err := os.ReadFile(in); err == nil {
			f.Add(strings.ReplaceAll(string(b), "$ROOT", goldenRoot))
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		env := Env{Dir: goldenRoot, Roots: []string{goldenRoot}, Exists: func(abs string) bool { return strings.HasPrefix(abs, goldenRoot+"/") }}
		var lines []string
		for _, l := range strings.Split(s, "\n") {
			lines = append(lines, StripANSI(l))
		}
		gateTrace(t, "fuzz", env, lines)
	})
}

// gateSnapshot copies a parser's struct (shallowly: enough to see a change
// of state, since a skipped Feed may not touch anything).
func gateSnapshot(p Parser) reflect.Value {
	v := reflect.ValueOf(p).Elem()
	c := reflect.New(v.Type()).Elem()
	c.Set(v)
	return c
}

// gateCheckNoOp feeds line to p and fails unless that did nothing.
func gateCheckNoOp(t testing.TB, where string, p Parser, line string, claimed bool, env *Env, out *Output) {
	t.Helper()
	before := gateSnapshot(p)
	n, lv, cs, ce := len(out.Problems), out.Level, out.CycleStart, out.CycleEnd
	took := p.Feed(line, claimed, env, out)
	if took || len(out.Problems) != n || out.Level != lv || out.CycleStart != cs || out.CycleEnd != ce {
		t.Fatalf("%s: %s is idle and not interested in %q (claimed %v) but took=%v problems %d->%d level %v->%v cycle %v/%v->%v/%v",
			where, p.Name(), line, claimed, took, n, len(out.Problems), lv, out.Level, cs, ce, out.CycleStart, out.CycleEnd)
	}
	if after := reflect.ValueOf(p).Elem(); !reflect.DeepEqual(before.Interface(), after.Interface()) {
		t.Fatalf("%s: %s is idle and not interested in %q (claimed %v) but its state changed:\n%+v\n->\n%+v",
			where, p.Name(), line, claimed, before.Interface(), after.Interface())
	}
}

// TestGateSkipsOnlyNoOps replays every golden and fuzz input through all
// built-in parsers without skipping, and wherever the Detector would skip
// a parser (idle, not interested) checks that feeding it is a no-op, in
// the state it really has at that line and on a fresh parser, claimed or
// not. This is what makes skipping invisible.
func TestGateSkipsOnlyNoOps(t *testing.T) {
	fresh := BuiltinParsers()
	gated := 0
	for _, p := range fresh {
		if _, ok := p.(gatedParser); ok {
			gated++
		}
	}
	if gated < len(fresh) {
		t.Fatalf("only %d of %d built-in parsers are gated", gated, len(fresh))
	}
	skips := 0 // Feeds skipped
	for name, in := range gateInputs(t) {
		skips += gateTrace(t, name, in.env, in.lines)
	}
	if skips == 0 {
		t.Fatal("no line was ever skipped")
	}
}

// gateLine is a line with its classification, for wants.
type gateLine struct {
	line        string
	indent      int
	first, next int // -1 for none
	feat        gateFeature
	computed    bool // feat has the costly features too
}

func newGateLine(line string) gateLine {
	l := gateLine{line: line, first: -1, next: -1}
	for l.indent < len(line) && (line[l.indent] == ' ' || line[l.indent] == '\t') {
		l.indent++
	}
	if i := l.indent; i < len(line) {
		l.first, l.feat = int(line[i]), gateEnd(line, line[i], gateEndFeat[line[len(line)-1]])
		if i+1 < len(line) {
			l.next = int(line[i+1])
		}
	}
	return l
}

// wants reports (as gateTable.want does for many parsers) whether a parser with interest g must see the line.
func (l *gateLine) wants(g *gateInterest) bool {
	if l.first >= 0 && g.first[l.first>>6]&(1<<(l.first&63)) != 0 || g.any&l.feat != 0 {
		return true
	}
	if l.first == '[' && l.next >= 0 && g.bracket[l.next>>6]&(1<<(l.next&63)) != 0 {
		return true
	}
	for _, p := range g.pairs {
		if l.first == int(p.first) && l.next >= 0 && p.next[l.next>>6]&(1<<(l.next&63)) != 0 {
			return true
		}
	}
	if g.any&^gateCheap == 0 {
		return false
	}
	if !l.computed {
		l.computed = true
		f, _ := gateScan(l.line, l.indent, ^gateCheap)
		l.feat |= f
	}
	return g.any&l.feat != 0
}

// TestGateLine checks the line classification the skipping relies on.
func TestGateLine(t *testing.T) {
	for _, c := range []struct {
		line string
		in   gateInterest
		want bool
	}{
		{"", gateFirst("abc", false).with(gateStrictLoc | gateEndDot), false},
		{"[nodemon] restarting due to changes...", gateFirst("R", false).afterBracket("n"), true},
		{"  [nodemon] restarting due to changes...", gateFirst("R", false).afterBracket("n"), true},
		{"[vite] hmr update /src/App.tsx", gateFirst("R", false).afterBracket("n!"), false},
		{"[", gateFirst("R", false).afterBracket("n!"), false},
		{"[!] Error: Could not resolve", gateFirst("[", false), true},
		{"my proj/a.c:1:25: error: 'nope' undeclared", gateInterest{any: gateDiag}, true},
		{"/usr/bin/ld: /w/a.c:6: undefined reference to `foo'", gateInterest{any: gateDiag}, true},
		{"build: error: x (a superset: the parser decides)", gateInterest{any: gateDiag}, true},
		{"note: none here", gateInterest{any: gateDiag}, false},
		{"    TypeError: x is not a function", gateFirst("R", false).with(gateErrWord), true},
		{"Unhandled Exception in worker", gateFirst("R", false).with(gateErrWord), false},
		{"Error [ERR_X]: x", gateFirst("R", false).with(gateErrWord), true},
		{"[db] Error", gateFirst("R", false).with(gateErrWord), true},
		{"AbortError:", gateFirst("R", false).with(gateErrWord), true},
		{"Errored: x", gateFirst("R", false).with(gateErrWord), false},
		{"TypeError:x", gateFirst("R", false).with(gateErrWord), false},
		{"fatal: Error: x", gateFirst("R", false).with(gateErrWord), true},
		{"GET /api/Errands 200 EXCEPTIONAL", gateFirst("R", false).with(gateErrWord), false},
		{"  \tpanic: x", gateFirst("p", false), true},
		{"Panic: x", gateFirst("p", false), false},
		{"Panic: x", gateFirst("p", true), true},
		{"a.go:12: x", gateInterest{any: gateStrictLoc}, true},
		{"  Makefile:3:1: x", gateInterest{any: gateStrictLoc}, true},
		{"a.go: 12", gateInterest{any: gateStrictLoc}, false},
		{"x:", gateInterest{any: gateStrictLoc}, false},
		{"12:01:33 PM x", gateInterest{any: gateStrictLoc}, false},
		{"vet: a.go:12:3: x", gateInterest{any: gateStrictLoc}, false},
		{"a.ts(3,4): error TS2322: x", gateInterest{any: gateTscCode}, true},
		{"src/TSX/a.ts (TS)", gateInterest{any: gateTscCode}, false},
		{"src/a.ts:3:5 - error TS2322: x", gateInterest{any: gateTscCode}, true},
		{"error TS5083: Cannot read file", gateInterest{any: gateTscCode}, true},
		{"a TS: 1", gateInterest{any: gateTscCode}, false},
		{"a XTS1: 1", gateInterest{any: gateTscCode}, false},
		{"waiting...", gateInterest{any: gateEndDot}, true},
		{"12:01:33 PM [vite] page reload src/a.ts", gateInterest{any: gateViteTag}, true},
		{"2024-05-01 (build) [PARSE_ERROR] x", gateInterest{any: gateViteTag}, true},
		{"12:03:44 [INFO] compiled", gateInterest{any: gateViteTag}, false},
		{"[vite]", gateInterest{any: gateViteTag}, false},
		{"src/a.js:1:2: ERROR: x", gateInterest{any: gateDiagCaps}, true},
		{"src/a.js:1:2: error: x", gateInterest{any: gateDiagCaps}, false},
		{"1 warning and 2 errors", gateInterest{any: gateCount}, true},
		{"src/warn.js (4:10): Use of eval", gateInterest{any: gateParenLoc}, true},
		{"src/warn.js (4): x", gateInterest{any: gateParenLoc}, false},
		{"(:10): x", gateInterest{any: gateParenLoc}, false},
		{"12:01:33 PM (x): y", gateInterest{any: gateParenLoc}, false},
		{"12:01:33 PM compiled", gateInterest{any: gateCount}, false},
		{"12:01:33 PM compiled in 3ms", gateInterest{any: gateCount}, false},
		{"  3 errors", gateInterest{any: gateCount}, true},
		{"src/a.js: line 3, col 9, Error - x (eqeqeq)", gateInterest{any: gateCommaCol}, true},
		{"x, y, z", gateInterest{any: gateCommaCol}, false},
		{"x, col 3", gateInterest{any: gateCommaCol}, false},
		{"at x: line 3 of the file", gateInterest{any: gateCommaCol}, true},
		{"done [rule]", gateInterest{any: gateEndClose}, true},
		{"✘ [ERROR]", gateInterest{}.nonASCII(), true},
		{"ERROR", gateInterest{}.nonASCII(), false},
		{"styles/app.css", gateInterest{any: gateOneToken}, true},
		{"  src/util.js:1:7", gateInterest{any: gateOneToken}, true},
		{"      deep/indent.js", gateInterest{any: gateOneToken}, false},
		{"waiting", gateInterest{any: gateOneToken}, false},
		{"GET /x 200", gateInterest{any: gateOneToken}, false},
		{".env:2 DuplicatedKey: x", gateInterest{any: gateLooseLoc}, true},
		{"[proto/a.proto:3:1] x", gateInterest{any: gateLooseLoc}, true},
		{"src/a.ts[3, 9]: x", gateInterest{any: gateLooseLoc}, true},
		{`1796588209795 ERROR "src/A.svelte" 2:7 "x"`, gateInterest{any: gateLooseLoc}, true},
		{"12:30:45 server started", gateInterest{any: gateLooseLoc}, false},
		{"localhost:5173 ready", gateInterest{any: gateLooseLoc}, false},
		{"app/a.rb\t12\tSQL Injection\tHigh\tx", gateInterest{any: gateTabField}, true},
		{"x\ty", gateInterest{any: gateTabField}, false},
		{"0. \t1\t\tHigh\t0", gateInterest{any: gateTabField}, true},
		{"a.rb x\ty", gateInterest{any: gateTabField}, true},
		{"  a.rb\ty", gateInterest{any: gateTabField}, false},
		{"a.pp - ERROR: x on line 3", gateInterest{any: gateDashCaps}, true},
		{"a - error: x", gateInterest{any: gateDashCaps}, false},
		{"Fatal error: Uncaught x in /a.php:3", gateInterest{any: gatePHP}, true},
		{"PHP Warning:  x in /a.php on line 3", gateInterest{any: gatePHP}, true},
		{"Warnings: none", gateInterest{any: gatePHP}, false},
		{"src/a.js format ━━━", gateInterest{any: gateEndHeavy}, true},
	} {
		l := newGateLine(c.line)
		if got := l.wants(&c.in); got != c.want {
			t.Errorf("%q: wants = %v, want %v", c.line, got, c.want)
		}
	}
}

// gateFlushAll flushes ps, checking that the Flush of every idle gated
// parser (which the Detector skips) is a no-op.
func gateFlushAll(t testing.TB, where string, ps []Parser, env *Env, out *Output) {
	t.Helper()
	for _, p := range ps {
		if g, ok := p.(gatedParser); ok && !g.gateBusy() {
			before := gateSnapshot(p)
			n := len(out.Problems)
			p.Flush(env, out)
			if len(out.Problems) != n || !reflect.DeepEqual(before.Interface(), reflect.ValueOf(p).Elem().Interface()) {
				t.Fatalf("%s: Flush of idle %s was not a no-op", where, p.Name())
			}
			continue
		}
		p.Flush(env, out)
	}
}

// TestGateFlushReachesHeldEntries: go test's entries wait for their
// package line with no block open; the final Flush must still emit them.
func TestGateFlushReachesHeldEntries(t *testing.T) {
	env := Env{Dir: "/ws", Roots: []string{"/ws"}, Exists: func(abs string) bool { return abs == "/ws/x_test.go" }}
	d := NewDetector(env, BuiltinParsers())
	for _, l := range []string{"--- FAIL: TestX (0.00s)", "    x_test.go:12: boom", "", "GET / 200"} {
		if ps := d.Feed(l).Problems; len(ps) != 0 {
			t.Fatalf("%q: unexpected %+v", l, ps)
		}
	}
	ps := d.Flush().Problems
	if len(ps) != 1 || ps[0].File != "/ws/x_test.go" || ps[0].Line != 12 || ps[0].Message != "boom" {
		t.Fatalf("flush: got %+v, want the held x_test.go:12 entry", ps)
	}
}

// gateNopParser is an ungated parser that takes nothing, like a user
// matcher that does not match.
type gateNopParser struct{ fed int }

func (*gateNopParser) Name() string                            { return "nop" }
func (p *gateNopParser) Feed(string, bool, *Env, *Output) bool { p.fed++; return false }
func (*gateNopParser) Flush(*Env, *Output)                     {}

// TestGateManyParsers: ungated parsers see every line, and parsers past
// the gate's 64 are fed every line, so detection still works.
func TestGateManyParsers(t *testing.T) {
	env := Env{Dir: "/ws", Roots: []string{"/ws"}, Exists: func(abs string) bool { return abs == "/ws/a.ts" }}
	var ps []Parser
	nop := &gateNopParser{}
	ps = append(ps, nop)
	for range gateMaxParsers - 3 {
		ps = append(ps, &gateNopParser{})
	}
	ps = append(ps, BuiltinParsers()...) // tsc lands inside the gate, the rest past it
	d := NewDetector(env, ps)
	lines := []string{"", "GET / 200", "a.ts(2,3): error TS2322: nope", "x"}
	var got []Problem
	for _, l := range lines {
		got = append(got, d.Feed(l).Problems...)
	}
	got = append(got, d.Flush().Problems...)
	if len(got) != 1 || got[0].File != "/ws/a.ts" || got[0].Line != 2 || got[0].Code != "TS2322" {
		t.Fatalf("got %+v, want the TS2322 at a.ts:2", got)
	}
	if nop.fed != len(lines) {
		t.Fatalf("ungated parser fed %d lines, want %d", nop.fed, len(lines))
	}
}
