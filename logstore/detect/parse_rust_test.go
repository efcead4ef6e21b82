package detect

import "testing"

func TestRustVariants(t *testing.T) {
	natRun(t, []natCase{
		{name: "old panic format", dir: "app", files: []string{"app/src/main.rs"},
			lines: []string{"thread 'main' panicked at 'explicit panic', src/main.rs:2:5", "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace"},
			want:  "app/src/main.rs:2:5 error rust panic: explicit panic\n"},
		{name: "assertion message over lines", dir: "app", files: []string{"app/src/lib.rs"},
			lines: []string{"thread 'tests::eq' panicked at src/lib.rs:9:9:", "assertion `left == right` failed", "  left: 1", " right: 2",
				"note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace", "", "failures:"},
			want: "app/src/lib.rs:9:9 error rust panic: assertion `left == right` failed|  left: 1| right: 2\n"},
		{name: "panic in a dependency placed at the first workspace frame", dir: "app", files: []string{"app/src/main.rs"},
			lines: []string{"thread 'main' panicked at /root/.cargo/registry/src/x/lib.rs:3:1:", "boom", "stack backtrace:",
				"   0: x::f", "             at /root/.cargo/registry/src/x/lib.rs:3:1", "   1: app::main", "             at ./src/main.rs:4:5",
				"note: Some details are omitted, run with `RUST_BACKTRACE=full` for a verbose backtrace."},
			want: "app/src/main.rs:4:5 error rust panic: boom\n"},
		{name: "summary lines are no problems", dir: "app",
			lines: []string{"error: could not compile `app` (bin \"app\") due to 3 previous errors", "warning: `app` (bin \"app\") generated 1 warning",
				"error: aborting due to 2 previous errors", "error: linking with `cc` failed: exit status: 1", "  |", "  = note: LC_ALL=\"C\" \"cc\""}},
		{name: "diff style suggestion and other file", dir: "app", files: []string{"app/src/main.rs", "app/src/m.rs"},
			lines: []string{
				"error[E0061]: this function takes 1 argument but 0 arguments were supplied",
				" --> src/main.rs:3:5",
				"  |",
				"3 |     f();",
				"  |     ^-- argument #1 of type `i32` is missing",
				"  |",
				"note: function defined here",
				" --> src/m.rs:1:8",
				"  |",
				"1 | pub fn f(x: i32) {}",
				"  |        ^ ------",
				"help: provide the argument",
				"  |",
				"3 -     f();",
				"3 +     f(/* i32 */);",
				"  |",
				"",
			},
			want: "app/src/main.rs:3:5-6 error rustc [E0061] this function takes 1 argument but 0 arguments were supplied|help: provide the argument & app/src/m.rs:1 & app/src/main.rs:3\n"},
		{name: "primary span outside the workspace",
			lines: []string{"error[E0599]: no method", "  --> /root/.cargo/registry/src/x/lib.rs:1:1", "   |", "1 | x", "  | ^", ""}},
	})
}
