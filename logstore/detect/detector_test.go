package detect

import (
	"strings"
	"testing"
)

// hasScheme finds "://" wherever strings.Contains does, after other
// colons and at the line's end.
func TestHasScheme(t *testing.T) {
	for _, probe := range []string{"://", ":/", "::", ":", "x://", ":://"} {
		for n := 0; n < 12; n++ {
			for at := 0; at+len(probe) <= n; at++ {
				for _, fill := range []string{"x", ":", "/"} {
					line := []byte(strings.Repeat(fill, n))
					copy(line[at:], probe)
					s := string(line)
					if got, want := hasScheme(s), strings.Contains(s, "://"); got != want {
						t.Errorf("hasScheme(%q) = %v, want %v", s, got, want)
					}
				}
			}
		}
	}
}

// Output.Scheme says whether the line fed has "://", whether the gate
// looked at its ':'s or not: on every golden line, after a runner's
// prefix, in go test -json events, with all parsers busy or none there.
func TestOutputScheme(t *testing.T) {
	extra := []string{
		"  ➜  Local:   http://localhost:5173/",
		"[0]   ➜  Local:   http://localhost:5173/",
		"packages/web dev: ready on http://127.0.0.1:3000",
		"web:dev: http://localhost:3000",
		`{"Time":"2024-01-01T00:00:00Z","Action":"output","Package":"x","Output":"listening on http://localhost:8080\n"}`,
		"12:01:33 PM [vite] page reload src/main.tsx",
		"a:b:c://", "://", ":/", "x: //y",
	}
	check := func(name string, d *Detector, lines []string) {
		for _, l := range lines {
			if got, want := d.Feed(l).Scheme, strings.Contains(l, "://"); got != want {
				t.Errorf("%s: %q: Scheme %v, want %v", name, l, got, want)
			}
		}
	}
	for name, in := range gateInputs(t) {
		check(name, NewDetector(in.env, BuiltinParsers()), append(in.lines, extra...))
	}
	env := Env{Dir: goldenRoot, Roots: []string{goldenRoot}, Exists: func(string) bool { return true }}
	check("no parsers", NewDetector(env, nil), extra)
	check("ungated", NewDetector(env, []Parser{detectorUngated{&tscParser{}}}), extra)
}
