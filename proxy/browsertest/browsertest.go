package browsertest

import (
	"bufio"
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Require skips the test, or fails it under CI=true, when a prerequisite
// is missing.
func Require(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s (CI runs the browser tests: .ci/run installs chromium and runs npm ci for every lockfile)", msg)
	}
	t.Skip(msg)
}

// testdata is proxy/testdata, found from this source file.
func testdata() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "testdata")
}

// Fixture copies proxy/testdata/name (its sources; node_modules is linked)
// into a temporary directory and returns it.
func Fixture(t testing.TB, name string) string {
	t.Helper()
	src := filepath.Join(testdata(), name)
	if _, err := os.Stat(filepath.Join(src, "node_modules", ".package-lock.json")); err != nil {
		Require(t, "fixture %s is not installed: run `npm ci` in %s", name, src)
	}
	dst, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	err = filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if rel == "." {
			return nil
		}
		to := filepath.Join(dst, rel)
		switch {
		case d.IsDir() && (d.Name() == "node_modules" || d.Name() == "dist" || d.Name() == ".vite"):
			if d.Name() == "node_modules" {
				if err := os.Symlink(p, to); err != nil {
					return err
				}
			}
			return filepath.SkipDir
		case d.IsDir():
			return os.MkdirAll(to, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(to, b, 0o644)
	})
	if err != nil {
		t.Fatalf("copying fixture %s: %v", name, err)
	}
	return dst
}

// Loc is a marked place in a fixture: an absolute file, 1-based line and
// column (the column of the marker's token).
type Loc struct {
	File         string
	Line, Column int
}

var marker = regexp.MustCompile(`// @at (\S+) (\S+)`)

// Marks reads the "// @at NAME TOKEN" comments of the files under dir/src.
func Marks(t testing.TB, dir string) map[string]Loc {
	t.Helper()
	out := map[string]Loc{}
	err := filepath.WalkDir(filepath.Join(dir, "src"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(b), "\n") {
			m := marker.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			// The first call or "new" of the token on the line.
			col := -1
			for _, at := range []int{strings.Index(line, m[2]+" "), strings.Index(line, m[2]+"(")} {
				if at >= 0 && (col < 0 || at < col) {
					col = at
				}
			}
			if col < 0 {
				return fmt.Errorf("%s:%d: token %q of mark %q not on its line", p, i+1, m[2], m[1])
			}
			out[filepath.Base(p)+":"+m[1]] = Loc{File: p, Line: i + 1, Column: col + 1}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("reading marks: %v", err)
	}
	return out
}

// chromiumFlags are the flags every test browser runs with.
func chromiumFlags(bin, profile string) []chromedp.ExecAllocatorOption {
	return []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.UserDataDir(profile),
	}
}

// ChromiumPath is Debian's chromium, or $BRUMMER_CHROMIUM.
func ChromiumPath(t testing.TB) string {
	t.Helper()
	bin := os.Getenv("BRUMMER_CHROMIUM")
	if bin == "" {
		bin = "/usr/bin/chromium"
	}
	if _, err := os.Stat(bin); err != nil {
		Require(t, "chromium not found at %s (Debian: apt-get install chromium; or set BRUMMER_CHROMIUM)", bin)
	}
	return bin
}

// Browser starts a headless Chromium with a fresh profile and returns a
// tab's context; it is closed when the test ends.
func Browser(t testing.TB) context.Context {
	t.Helper()
	bin := ChromiumPath(t)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), chromiumFlags(bin, t.TempDir())...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	// The first action starts the browser; it must run without a deadline
	// (the browser lives as long as that call's context).
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	return ctx
}

// Run runs chromedp actions with a deadline.
func Run(t testing.TB, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// DevServer is a fixture's dev script run directly (no package manager),
// for tests below the language server.
type DevServer struct {
	URL string
	cmd *exec.Cmd

	mu  sync.Mutex
	out strings.Builder
}

var localURL = regexp.MustCompile(`http://127\.0\.0\.1:\d+/`)

// StartDevServer runs `npm run dev`'s command of the fixture at dir from
// node_modules/.bin and waits for the URL it prints.
func StartDevServer(t testing.TB, dir string, argv ...string) *DevServer {
	t.Helper()
	cmd := exec.Command(filepath.Join(dir, "node_modules", ".bin", argv[0]), argv[1:]...)
	cmd.Dir = dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Env = append(os.Environ(), "NO_COLOR=1", "FORCE_COLOR=0")
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %v: %v", argv, err)
	}
	pw.Close()
	s := &DevServer{cmd: cmd}
	found := make(chan string, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			s.mu.Lock()
			s.out.WriteString(sc.Text() + "\n")
			s.mu.Unlock()
			if u := localURL.FindString(sc.Text()); u != "" {
				select {
				case found <- u:
				default:
				}
			}
		}
	}()
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		_ = cmd.Wait()
		pr.Close()
		<-done
		if t.Failed() {
			t.Logf("%v output:\n%s", argv, s.Output())
		}
	})
	select {
	case s.URL = <-found:
	case <-done:
		t.Fatalf("%v ended without printing a URL:\n%s", argv, s.Output())
	case <-time.After(60 * time.Second):
		t.Fatalf("%v printed no URL in 60s:\n%s", argv, s.Output())
	}
	return s
}

// Output is what the dev server printed so far.
func (s *DevServer) Output() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.out.String()
}
