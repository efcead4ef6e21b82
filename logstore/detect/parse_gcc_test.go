package detect

import "testing"

func TestGccVariants(t *testing.T) {
	natRun(t, []natCase{
		{name: "old gcc without gutter", files: []string{"a.c"},
			lines: []string{"a.c: In function 'main':", "a.c:3:9: warning: unused variable 'x' [-Wunused-variable]", "     int x;", "         ^"},
			// Drawn without the gutter, it reads like clang.
			want: "a.c:3:9-10 warning clang [-Wunused-variable] unused variable 'x'\n"},
		{name: "no column", files: []string{"a.c"},
			lines: []string{"a.c:3: error: expected ';'"},
			want:  "a.c:3:0 error gcc expected ';'\n"},
		{name: "note without a diagnostic is dropped", files: []string{"a.c"},
			lines: []string{"a.c:3:1: note: something"}},
		{name: "note outside the workspace is no related", files: []string{"a.c"},
			lines: []string{"a.c:3:1: error: bad", "/usr/include/stdio.h:10:1: note: declared here", "a.c:4:1: note: here too"},
			want:  "a.c:3:1 error gcc bad & a.c:4\n"},
		{name: "werror code", files: []string{"a.c"},
			lines: []string{"a.c:2:5: error: unused variable 'y' [-Werror=unused-variable]", "cc1: all warnings being treated as errors"},
			want:  "a.c:2:5 error gcc [-Werror=unused-variable] unused variable 'y'\n"},
		{name: "make directories", dir: "", files: []string{"lib/x.c"},
			lines: []string{"make[1]: Entering directory '/ws/lib'", "x.c:1:1: error: oops", "make[1]: Leaving directory '/ws/lib'", "x.c:2:1: error: not in lib any more"},
			want:  "lib/x.c:1:1 error gcc oops\n"},
		{name: "linker without line", files: []string{"a.c"},
			lines: []string{"/usr/bin/ld: /tmp/cc.o: in function `main':", "a.c:(.text+0x5): undefined reference to `f'", "collect2: error: ld returned 1 exit status"}},
	})
}

func TestLldLines(t *testing.T) {
	for _, c := range []struct {
		line string
		want lldError
		ok   bool
	}{
		{"rust-lld: error: undefined symbol: missing_symbol", lldError{"rust-lld", "undefined symbol: missing_symbol"}, true},
		{"/usr/bin/ld.lld: error: duplicate symbol: foo", lldError{"ld.lld", "duplicate symbol: foo"}, true},
		{"wasm-ld: error: undefined symbol: f", lldError{"wasm-ld", "undefined symbol: f"}, true},
		{"collect2: error: ld returned 1 exit status", lldError{}, false},
		{"rust-lld: error: unable to find library -lfoo", lldError{}, false},
		{"my lld: error: undefined symbol: f", lldError{}, false},
	} {
		if got, ok := lldErrorLine(c.line); ok != c.ok || got != c.want {
			t.Errorf("lldErrorLine(%q) = %+v, %v; want %+v, %v", c.line, got, ok, c.want, c.ok)
		}
	}
	for _, c := range []struct {
		line string
		want lldRef
		ok   bool
	}{
		{">>> referenced by main.rs:5 (src/main.rs:5)", lldRef{"src/main.rs", 5}, true},
		{">>> defined at a.c:3 (/w/a c.c:3)", lldRef{"/w/a c.c", 3}, true},
		{">>> referenced by a.c:7", lldRef{"a.c", 7}, true},
		{">>>               /w/target/debug/deps/app.o:(app::main::h39bf)", lldRef{}, true},
		{">>> referenced by a.o:(main)", lldRef{}, true},
		{"referenced by a.c:7", lldRef{}, false},
	} {
		if got, ok := lldReference(c.line); ok != c.ok || got != c.want {
			t.Errorf("lldReference(%q) = %+v, %v; want %+v, %v", c.line, got, ok, c.want, c.ok)
		}
	}
}
