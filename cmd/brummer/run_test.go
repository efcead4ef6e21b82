package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/brummer-dev/brummer/core"
	"github.com/brummer-dev/brummer/logstore"
	"github.com/brummer-dev/brummer/logstore/detect"
	"github.com/brummer-dev/brummer/procmgr"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// brummerBin is the binary under test, built once.
var brummerBin string

const waitLimit = 60 * time.Second

func TestMain(m *testing.M) {
	// In-process tests start scripts too: their supervisor is this test
	// binary started again.
	procmgr.MaybeSupervise()
	dir, err := os.MkdirTemp("", "brummer-cmd-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	brummerBin = filepath.Join(dir, "brummer")
	build := exec.Command("go", "build", "-o", brummerBin, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building brummer:", err)
		os.Exit(1)
	}
	// goleak.VerifyTestMain exits itself; clean the binary up first.
	code := m.Run()
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintln(os.Stderr, "goleak:", err)
			code = 1
		}
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

func writeFiles(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for p, content := range files {
		full := filepath.Join(root, filepath.FromSlash(p))
		require.NoError(t, os.MkdirAll(filepath.Dir(full), 0o755))
		require.NoError(t, os.WriteFile(full, []byte(content), 0o644))
	}
}

type result struct {
	code           int
	stdout, stderr string
}

func brummer(t *testing.T, args ...string) result {
	t.Helper()
	cmd := exec.Command(brummerBin, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else {
		require.NoError(t, err)
	}
	return result{code, out.String(), errb.String()}
}

func TestScriptsJSON(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"package.json":                 `{"workspaces": ["packages/*"], "scripts": {"dev": "vite", "build": "tsc -b && vite build"}}`,
		"package-lock.json":            `{"lockfileVersion": 3}`,
		"packages/ui/package.json":     `{"packageManager": "pnpm@9.1.0", "scripts": {"test": "vitest"}}`,
		"packages/broken/package.json": "{\n  \"scripts\": {\n    \"a\": \"b\"\n    \"c\": \"d\"\n  }\n}\n",
	})
	r := brummer(t, "scripts", "--dir", root, "--json")
	assert.Equal(t, 1, r.code, "a broken manifest makes the exit code 1")
	assert.Contains(t, r.stderr, filepath.Join(root, "packages/broken/package.json")+":4:5: ")

	var raw []map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &raw), r.stdout)
	require.Len(t, raw, 3)
	for _, s := range raw {
		keys := make([]string, 0, len(s))
		for k := range s {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		assert.Equal(t, []string{"command", "dir", "name", "packageManager"}, keys)
	}
	assert.Equal(t, map[string]any{"name": "dev", "command": "vite", "dir": root, "packageManager": "npm"}, raw[0])
	assert.Equal(t, "build", raw[1]["name"])
	assert.Contains(t, r.stdout, `"command": "tsc -b && vite build"`, "commands are printed as written, not HTML-escaped")
	assert.Equal(t, map[string]any{"name": "test", "command": "vitest", "dir": filepath.Join(root, "packages/ui"), "packageManager": "pnpm"}, raw[2])

	table := brummer(t, "scripts", "--dir", root)
	assert.Equal(t, 1, table.code)
	lines := strings.Split(strings.TrimSpace(table.stdout), "\n")
	require.Len(t, lines, 4)
	assert.Regexp(t, `^SCRIPT\s+PACKAGE\s+MANAGER\s+COMMAND$`, lines[0])
	assert.Regexp(t, `^test\s+packages/ui\s+pnpm\s+vitest$`, lines[3])

	ok := t.TempDir()
	writeFiles(t, ok, map[string]string{"package.json": `{"scripts": {}}`})
	r = brummer(t, "scripts", "--dir", ok, "--json")
	assert.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "[]\n", r.stdout)

	r = brummer(t, "scripts", "--help")
	assert.Equal(t, 0, r.code)
	assert.Contains(t, r.stdout, "Usage: brummer scripts")
	r = brummer(t, "scripts", "--bogus")
	assert.Equal(t, 2, r.code)
}

// runFixture has scripts that end in a known order: "three" fails first,
// "five" later, "zero" succeeds.
func runFixture(t *testing.T) string {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"package.json": `{
  "name": "run-fixture",
  "workspaces": ["pkgs/*"],
  "scripts": {
    "zero": "node -e \"console.log('zero done')\"",
    "three": "node three.js",
    "five": "node five.js",
    "serve": "node serve.js",
    "touch": "node -e \"require('fs').writeFileSync('touched', '')\""
  }
}
`,
		"src/app.ts":            "let a = 1;\nlet b = 2;\nlet x: number = 'x';\n",
		"pkgs/lib/package.json": `{"scripts": {"check": "node -e \"console.log('lib ok in ' + require('path').basename(process.cwd()))\""}}`,
		"three.js": `console.error("src/app.ts:3:5: error: Type 'string' is not assignable to type 'number'.");
require("fs").writeFileSync("three-done", "");
process.exit(3);
`,
		// Ends well after "three" is gone.
		"five.js": `const fs = require("fs");
const t = setInterval(() => {
  if (!fs.existsSync("three-done")) return;
  clearInterval(t);
  setTimeout(() => { console.log("five done"); process.exit(5); }, 1500);
}, 10);
`,
		// A server with a child of its own: both pids go to pids.txt.
		"serve.js": `const { spawn } = require("child_process");
const http = require("http");
const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
require("fs").writeFileSync("pids.txt", process.pid + " " + child.pid);
console.error("src/app.ts:1:5: warning: 'a' is never read.");
const s = http.createServer((q, r) => r.end("ok"));
s.listen(0, "127.0.0.1", () => console.log("listening on http://localhost:" + s.address().port + "/"));
`,
	})
	return root
}

func TestRunExitCodeIsTheFirstFailure(t *testing.T) {
	t.Parallel()
	root := runFixture(t)
	r := brummer(t, "run", "--dir", root, "five", "zero", "three")
	assert.Equal(t, 3, r.code, "stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	// Every line is prefixed with the padded script name (no colour: not a terminal).
	assert.Contains(t, r.stdout, "zero  | zero done\n")
	assert.Contains(t, r.stdout, "five  | five done\n")
	assert.Contains(t, r.stdout, "three | > npm run three\n")
	assert.Contains(t, r.stdout, "three | exited with code 3\n")
	assert.Contains(t, r.stdout, "five  | exited with code 5\n")
	assert.NotContains(t, r.stdout, "\x1b[")
	for _, l := range strings.Split(strings.TrimRight(r.stdout, "\n"), "\n") {
		assert.Regexp(t, `^(zero |three|five ) \| `, l)
	}
	// Without --problems, the summary goes to stderr, relative to DIR.
	assert.Contains(t, r.stderr, "src/app.ts:3:5: error: Type 'string' is not assignable to type 'number'. [output]\n")

	r = brummer(t, "run", "--dir", root, "zero")
	assert.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "", r.stderr)
}

func TestRunUnknownScriptStartsNothing(t *testing.T) {
	t.Parallel()
	root := runFixture(t)
	r := brummer(t, "run", "--dir", root, "touch", "nope")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, `unknown script "nope"`)
	assert.Contains(t, r.stderr, "available scripts: zero, three, five, serve, touch")
	assert.Contains(t, r.stderr, "PKGDIR:SCRIPT")
	assert.NoFileExists(t, filepath.Join(root, "touched"))

	r = brummer(t, "run", "--dir", root)
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "name at least one script")
}

func TestRunWritesProblemsFile(t *testing.T) {
	t.Parallel()
	root := runFixture(t)
	out := filepath.Join(t.TempDir(), "problems.json")
	r := brummer(t, "run", "--problems", out, "three", "--dir", root)
	assert.Equal(t, 3, r.code, r.stderr)
	assert.NotContains(t, r.stderr, "src/app.ts:3:5", "with --problems the summary is not printed")
	data, err := os.ReadFile(out)
	require.NoError(t, err)
	var got []map[string]any
	require.NoError(t, json.Unmarshal(data, &got), string(data))
	require.Len(t, got, 1)
	assert.Equal(t, map[string]any{
		"file": filepath.Join(root, "src/app.ts"), "line": 3.0, "column": 5.0, "endLine": 3.0, "endColumn": 5.0,
		"severity": "error", "message": "Type 'string' is not assignable to type 'number'.",
		"source": "output", "code": "", "script": "three",
	}, got[0])

	r = brummer(t, "run", "--dir", root, "--problems", out, "zero")
	assert.Equal(t, 0, r.code)
	data, err = os.ReadFile(out)
	require.NoError(t, err)
	assert.Equal(t, "[]\n", string(data))
}

// startRun starts `brummer run` and returns a channel of its stdout lines.
func startRun(t *testing.T, args ...string) (*exec.Cmd, <-chan string, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(brummerBin, args...)
	var errb bytes.Buffer
	cmd.Stderr = &errb
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	lines := make(chan string, 1024)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	return cmd, lines, &errb
}

// waitLines reads lines until each substring was seen, in any order.
func waitLines(t *testing.T, lines <-chan string, substrs ...string) {
	t.Helper()
	missing := map[string]bool{}
	for _, s := range substrs {
		missing[s] = true
	}
	deadline := time.After(waitLimit)
	for len(missing) > 0 {
		select {
		case l, ok := <-lines:
			require.True(t, ok, "brummer's output ended before %v", missing)
			for s := range missing {
				if strings.Contains(l, s) {
					delete(missing, s)
				}
			}
		case <-deadline:
			t.Fatalf("no line with %v", missing)
		}
	}
}

func alive(pid int) bool {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	// A zombie has ended; only its parent's wait is missing.
	fields := strings.Fields(string(data[bytes.LastIndexByte(data, ')')+1:]))
	return len(fields) > 0 && fields[0] != "Z"
}

func TestRunSignalStopsEverything(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		sig  syscall.Signal
		code int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}} {
		t.Run(c.sig.String(), func(t *testing.T) {
			root := runFixture(t)
			out := filepath.Join(t.TempDir(), "problems.json")
			cmd, lines, stderr := startRun(t, "run", "--dir", root, "--problems", out, "serve", "zero")
			waitLines(t, lines, "listening on http://localhost:")
			data, err := os.ReadFile(filepath.Join(root, "pids.txt"))
			require.NoError(t, err)
			var pids []int
			for _, f := range strings.Fields(string(data)) {
				pid, err := strconv.Atoi(f)
				require.NoError(t, err)
				pids = append(pids, pid)
			}
			require.Len(t, pids, 2)

			require.NoError(t, cmd.Process.Signal(c.sig))
			for range lines { // drain until brummer closes stdout
			}
			err = cmd.Wait()
			var ee *exec.ExitError
			require.ErrorAs(t, err, &ee, stderr.String())
			assert.Equal(t, c.code, ee.ExitCode(), stderr.String())
			for _, pid := range pids {
				assert.False(t, alive(pid), "pid %d of the script's tree is still running", pid)
			}

			data, err = os.ReadFile(out)
			require.NoError(t, err)
			var got []map[string]any
			require.NoError(t, json.Unmarshal(data, &got), string(data))
			require.Len(t, got, 1)
			assert.Equal(t, "warning", got[0]["severity"])
			assert.Equal(t, "serve", got[0]["script"])
		})
	}
}

func TestRunExampleWebapp(t *testing.T) {
	t.Parallel()
	dir, err := filepath.Abs("../../examples/webapp")
	require.NoError(t, err)
	r := brummer(t, "run", "--dir", dir, "test")
	assert.Equal(t, 0, r.code, r.stdout+r.stderr)

	r = brummer(t, "run", "--dir", dir, "build")
	assert.Equal(t, 1, r.code, r.stdout+r.stderr)
	assert.Contains(t, r.stdout, "build | SyntaxError: Unexpected token ';'")
	// The genuine error becomes a problem at the file, line and column.
	assert.Contains(t, r.stderr, "src/app.js:8:33: error: SyntaxError: Unexpected token ';' [node]\n")
}

func TestRunSignalAfterFailureKeepsTheFailure(t *testing.T) {
	t.Parallel()
	root := runFixture(t)
	cmd, lines, stderr := startRun(t, "run", "--dir", root, "serve", "three")
	waitLines(t, lines, "three | exited with code 3", "listening on http://localhost:")
	require.NoError(t, cmd.Process.Signal(syscall.SIGINT))
	for range lines {
	}
	err := cmd.Wait()
	var ee *exec.ExitError
	require.ErrorAs(t, err, &ee)
	assert.Equal(t, 3, ee.ExitCode(), stderr.String())
	assert.Contains(t, stderr.String(), "src/app.ts:3:5: error:")
	assert.Contains(t, stderr.String(), "src/app.ts:1:5: warning: 'a' is never read. [output]")
}

func TestPrefixWriterColours(t *testing.T) {
	var buf bytes.Buffer
	w := newPrefixWriter(&buf, []string{"dev", "build"}, true)
	w.lines(core.ProcessRef{ID: "p1", Script: "build"}, logstore.Stdout, []logstore.Line{{Text: "one"}, {Text: "two"}})
	w.lines(core.ProcessRef{ID: "p2", Script: "dev"}, logstore.System, []logstore.Line{{Text: "> npm run dev"}})
	w.close()
	w.lines(core.ProcessRef{ID: "p2", Script: "dev"}, logstore.Stdout, []logstore.Line{{Text: "late"}}) // dropped, no panic
	assert.Equal(t, "\x1b[33mbuild |\x1b[0m one\n\x1b[33mbuild |\x1b[0m two\n\x1b[36mdev   |\x1b[0m \x1b[2m> npm run dev\x1b[0m\n", buf.String())
}

func TestRunWorkspacePackageScript(t *testing.T) {
	t.Parallel()
	root := runFixture(t)
	r := brummer(t, "run", "--dir", root, "pkgs/lib:check", "zero")
	assert.Equal(t, 0, r.code, r.stdout+r.stderr)
	assert.Contains(t, r.stdout, "pkgs/lib:check | lib ok in lib\n")
	assert.Contains(t, r.stdout, "zero           | zero done\n")

	r = brummer(t, "run", "--dir", root, "pkgs/lib:nope")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, `unknown script "nope" in `+filepath.Join(root, "pkgs/lib/package.json"))
	assert.Contains(t, r.stderr, "available scripts: check")

	r = brummer(t, "run", "--dir", root, "pkgs/zzz:check")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "no workspace package in "+filepath.Join(root, "pkgs/zzz"))
	assert.Contains(t, r.stderr, "workspace packages: pkgs/lib")
}

func TestRunClosedStdoutStopsEverything(t *testing.T) {
	t.Parallel()
	root := runFixture(t)
	writeFiles(t, root, map[string]string{
		"package.json": `{"scripts": {"chatty": "node chatty.js"}}`,
		"chatty.js": `require("fs").writeFileSync("pids.txt", String(process.pid));
let i = 0;
setInterval(() => console.log("tick " + i++), 20);
`,
	})
	cmd := exec.Command(brummerBin, "run", "--dir", root, "chatty")
	var errb bytes.Buffer
	cmd.Stderr = &errb
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	sc := bufio.NewScanner(stdout)
	for sc.Scan() && !strings.Contains(sc.Text(), "tick 3") {
	}
	data, err := os.ReadFile(filepath.Join(root, "pids.txt"))
	require.NoError(t, err)
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	require.NoError(t, err)
	require.NoError(t, stdout.Close()) // like `| head` exiting

	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-time.After(waitLimit):
		_ = cmd.Process.Kill()
		<-done
		t.Fatal("brummer did not end after its stdout closed")
	}
	var ee *exec.ExitError
	require.ErrorAs(t, err, &ee, errb.String())
	assert.Equal(t, 141, ee.ExitCode(), "128+SIGPIPE, as in a shell pipeline; stderr: %s", errb.String())
	assert.False(t, alive(pid), "the script was stopped")
}

func TestRunMissingManagerSaysHowToGetIt(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	writeFiles(t, root, map[string]string{"package.json": `{"packageManager": "pnpm@9.1.0", "scripts": {"dev": "vite"}}`})
	cmd := exec.Command(brummerBin, "run", "--dir", root, "dev")
	cmd.Env = append(os.Environ(), "PATH="+t.TempDir())
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	require.ErrorAs(t, err, &ee)
	assert.Equal(t, 1, ee.ExitCode())
	assert.Contains(t, errb.String(), "pnpm is not in PATH")
	assert.Contains(t, errb.String(), `"corepack enable" or "npm install -g pnpm"`)
	assert.Empty(t, out.String())
}

func TestRunKilledBrummerLeavesNothing(t *testing.T) {
	t.Parallel()
	root := runFixture(t)
	cmd, lines, _ := startRun(t, "run", "--dir", root, "serve")
	waitLines(t, lines, "listening on http://localhost:")
	data, err := os.ReadFile(filepath.Join(root, "pids.txt"))
	require.NoError(t, err)
	var pids []int
	for _, f := range strings.Fields(string(data)) {
		pid, err := strconv.Atoi(f)
		require.NoError(t, err)
		pids = append(pids, pid)
	}
	require.NoError(t, cmd.Process.Kill())
	for range lines {
	}
	_ = cmd.Wait()
	// Nothing in brummer can react to SIGKILL: procmgr's supervisor must.
	for _, pid := range pids {
		assert.Eventually(t, func() bool { return !alive(pid) }, waitLimit, 20*time.Millisecond, "pid %d outlived brummer", pid)
	}
}

// Tools that print no column (go test failures, panics) or no line still
// give 1-based positions in the --problems file.
func TestWriteProblemsPositionsAreOneBased(t *testing.T) {
	out := filepath.Join(t.TempDir(), "p.json")
	err := writeProblems(out, []core.ProcessProblem{
		{Script: "test", Problem: detect.Problem{Location: detect.Location{File: "/w/a_test.go", Line: 7}, Severity: detect.Error, Message: "m", Source: "go"}},
		{Script: "build", Problem: detect.Problem{Location: detect.Location{File: "/w/main.js"}, Severity: detect.Error, Message: "m", Source: "rollup"}},
		{Script: "tsc", Problem: detect.Problem{Location: detect.Location{File: "/w/a.ts", Line: 3, Column: 5, EndLine: 4, EndColumn: 2}, Severity: detect.Error, Message: "m", Source: "tsc"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(out)
	var got []problemJSON
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	want := [][4]int{{7, 1, 7, 1}, {1, 1, 1, 1}, {3, 5, 4, 2}}
	for i, p := range got {
		if g := [4]int{p.Line, p.Column, p.EndLine, p.EndColumn}; g != want[i] {
			t.Errorf("problem %d: line/column/endLine/endColumn %v, want %v", i, g, want[i])
		}
	}
}
