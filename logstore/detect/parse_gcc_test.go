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
