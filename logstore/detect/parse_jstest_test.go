package detect

import "testing"

func TestVitestRootAndRerun(t *testing.T) {
	// Paths are relative to the root printed by RUN, not to the process dir.
	got := jsDetect(t, "/ws/pkg/sub",
		" RUN  v2.1.0 /ws/pkg",
		" FAIL  test/a.test.ts > adds",
		"AssertionError: expected 1 to be 2",
		" ❯ test/a.test.ts:3:7",
		"⎯⎯⎯⎯[1/1]⎯",
		" RERUN  test/a.test.ts x2",
		" FAIL  test/a.test.ts > adds",
		"Error: still wrong",
		" ❯ helper /ws/pkg/lib/h.ts:9:1",
		" ❯ test/a.test.ts:3:7",
		"",
		" Test Files  1 failed (1)")
	if len(got) != 2 {
		t.Fatalf("got %+v", got)
	}
	jsWant(t, got[0].Problem, "/ws/pkg/test/a.test.ts", 3, 7, "vitest", "adds: AssertionError: expected 1 to be 2")
	jsWant(t, got[1].Problem, "/ws/pkg/lib/h.ts", 9, 1, "vitest", "adds: Error: still wrong")
	if got[0].Cycle != 0 || got[1].Cycle != 1 || len(got[1].Related) != 1 || got[1].Related[0].File != "/ws/pkg/test/a.test.ts" {
		t.Errorf("got %+v", got)
	}
}

func TestVitestSummaryFailIsNoBlock(t *testing.T) {
	if got := jsDetect(t, "/ws", " FAIL  Tests failed. Watching for file changes...", "src/a.ts(1,1)"); len(got) != 0 {
		t.Fatalf("got %+v", got)
	}
}

func TestJestProjectsBadgeAndWatchCycle(t *testing.T) {
	got := jsDetect(t, "/ws",
		" FAIL  web  src/a.test.js",
		"  ● sums",
		"",
		"    TypeError: x is not a function",
		"",
		"      at Object.<anonymous> (src/a.test.js:4:5)",
		"",
		"Ran all test suites.",
		" PASS  web  src/a.test.js",
		"Ran all test suites.")
	p := jsOne(t, got)
	jsWant(t, p, "/ws/src/a.test.js", 4, 5, "jest", "sums: TypeError: x is not a function")
}

func TestJestRerunStartsCycle(t *testing.T) {
	got := jsDetect(t, "/ws",
		" FAIL  src/a.test.js",
		"  ● one",
		"    Error: e1",
		"      at src/a.test.js:1:1",
		"Ran all test suites.",
		" FAIL  src/a.test.js",
		"  ● one",
		"    Error: e2",
		"      at src/a.test.js:2:1")
	if len(got) != 2 || got[0].Cycle != 0 || got[1].Cycle != 1 {
		t.Fatalf("got %+v", got)
	}
}

func TestJestTestTitledConsole(t *testing.T) {
	// "● Console" opens the logs' section only when "console.x" follows.
	p := jsOne(t, jsDetect(t, "/ws",
		"FAIL src/a.test.js",
		"  ● Console",
		"",
		"    expected 1",
		"",
		"      at Object.toBe (src/a.test.js:3:9)",
		""))
	jsWant(t, p, "/ws/src/a.test.js", 3, 9, "jest", "Console: expected 1")
}
