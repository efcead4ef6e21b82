package detect

import "testing"

func TestTscVariants(t *testing.T) {
	// A warning, a path with a space, a 24-hour watch timestamp, one error.
	got := jsDetect(t, "/ws",
		"12:01:02 - Starting compilation in watch mode...",
		"",
		"my app/x.ts(3,5): warning TS6133: 'a' is declared but its value is never read.",
		"",
		"12:01:04 - Found 1 error. Watching for file changes.",
		"12:01:09 - File change detected. Starting incremental compilation...",
		"src/y.tsx:1:1 - error TS1005: ';' expected.",
		"",
		"1 let x = 1 2",
		"             ",
		"",
		"[12:01:10] Found 1 error. Watching for file changes.")
	if len(got) != 2 {
		t.Fatalf("got %+v", got)
	}
	jsWant(t, got[0].Problem, "/ws/my app/x.ts", 3, 5, "tsc", "'a' is declared but its value is never read.")
	if got[0].Severity != Warning || got[0].Code != "TS6133" || got[0].Cycle != 1 {
		t.Errorf("got %+v", got[0])
	}
	// An underline without '~' (a zero-width span) leaves the end unknown.
	jsWant(t, got[1].Problem, "/ws/src/y.tsx", 1, 1, "tsc", "';' expected.")
	if got[1].EndColumn != 0 || got[1].Cycle != 2 {
		t.Errorf("got %+v", got[1])
	}
}

func TestTscMultiLineSpan(t *testing.T) {
	p := jsOne(t, jsDetect(t, "/ws",
		"a.ts:2:9 - error TS2345: Argument of type '{ a: number; }' is not assignable.",
		"",
		"2 call({",
		"          ~",
		"3   a: 1,",
		"  ~~~~~~~",
		"4 });",
		"  ~",
		"",
		"Found 1 error in a.ts:2"))
	if p.Line != 2 || p.Column != 9 || p.EndLine != 4 || p.EndColumn != 2 {
		t.Errorf("range %d:%d-%d:%d, want 2:9-4:2", p.Line, p.Column, p.EndLine, p.EndColumn)
	}
}

func TestTscSummaryTableIsNotAProblem(t *testing.T) {
	got := jsDetect(t, "/ws",
		"Found 6 errors in 2 files.",
		"",
		"Errors  Files",
		"     3  src/a.ts:10",
		"     3  src/b.ts:4")
	if len(got) != 0 {
		t.Fatalf("got %+v", got)
	}
}
