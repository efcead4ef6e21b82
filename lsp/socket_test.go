package lsp

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A process of another user started by TestSocketRefusesOtherUsers runs the
// test binary with this variable set to a socket path: it dials, asks
// brummer/scripts, prints what happened and exits.
const peerDialEnv = "BRUMMER_TEST_PEER_DIAL"

func init() {
	path := os.Getenv(peerDialEnv)
	if path == "" {
		return
	}
	c, err := net.DialTimeout("unix", path, 5*time.Second)
	if err != nil {
		fmt.Printf("dial: %v\n", err)
		os.Exit(0)
	}
	fmt.Fprintf(c, "Content-Length: %d\r\n\r\n%s", len(`{"jsonrpc":"2.0","id":1,"method":"brummer/scripts"}`), `{"jsonrpc":"2.0","id":1,"method":"brummer/scripts"}`)
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		fmt.Printf("closed: %v\n", err)
	} else {
		fmt.Printf("answered: %s\n", line)
	}
	os.Exit(0)
}

// privateSocketDir points the server's sockets at a fresh directory for
// the test.
func privateSocketDir(t testing.TB) string {
	t.Helper()
	base, err := os.MkdirTemp("", "bsock")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(base) })
	socketDirOverride = filepath.Join(base, "s")
	t.Cleanup(func() { socketDirOverride = "" })
	return base
}

// dialSocket connects a second client to the workspace socket: an editor
// whose messages go over the socket instead of stdio.
func dialSocket(t testing.TB, path string) *editor {
	t.Helper()
	c, err := net.Dial("unix", path)
	if err != nil {
		t.Fatalf("dialing the workspace socket: %v", err)
	}
	e := &editor{t: t, toSrv: c, fromRd: c, done: make(chan int, 1), changed: make(chan struct{})}
	go e.read()
	t.Cleanup(func() { _ = c.Close() })
	return e
}

// The socket is a second client of the editor's core: brummer/* requests
// and commands through it act on the editor's processes, and both see the
// notifications. It is private (0700 directory, 0600 socket) and goes away
// with the server.
func TestSocketServesTheEditorsCore(t *testing.T) {
	privateSocketDir(t)
	root := fixture(t)
	e := newEditor(t, root, editorOpts{})
	path, err := SocketPath(root+"/", false)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Lstat(path)
	if err != nil {
		t.Fatalf("no socket at %s: %v", path, err)
	}
	if fi.Mode()&os.ModeSocket == 0 || fi.Mode().Perm() != 0o600 {
		t.Fatalf("socket %s has mode %v, want a socket with 0600", path, fi.Mode())
	}
	if di, err := os.Lstat(filepath.Dir(path)); err != nil || di.Mode().Perm() != 0o700 {
		t.Fatalf("socket directory mode %v (%v), want 0700", di.Mode(), err)
	}

	agent := dialSocket(t, path)
	var scripts []wireScript
	agent.mustCall("brummer/scripts", map[string]any{}, &scripts)
	if len(scripts) != 3 {
		t.Fatalf("brummer/scripts over the socket: %+v", scripts)
	}
	if _, err := agent.call("initialize", map[string]any{}); err == nil || err.Code != -32601 || !strings.Contains(err.Message, "brummer/*") {
		t.Fatalf("initialize over the socket: %v, want MethodNotFound naming what the socket speaks", err)
	}
	if _, err := agent.call("workspace/executeCommand", map[string]any{"command": "brummer.run", "arguments": []any{map[string]any{"script": "nosuch"}}}); err == nil || !strings.Contains(err.Message, "nosuch") {
		t.Fatalf("unknown script over the socket: %v", err)
	}
	var p wireProcess
	agent.mustCall("workspace/executeCommand", map[string]any{"command": "brummer.run", "arguments": []any{map[string]any{"script": "fail"}}}, &p)
	e.awaitProcess("the socket's process in the editor", func(w wireProcess) bool { return w.ID == p.ID && w.Status == "failed" })
	agent.awaitProcess("its end over the socket", func(w wireProcess) bool { return w.ID == p.ID && w.Status == "failed" && w.Errors == 1 })
	var problems []problemItem
	agent.mustCall("brummer/problems", map[string]any{"processId": p.ID}, &problems)
	if len(problems) != 1 || problems[0].Diagnostic.Code != "TS2322" {
		t.Fatalf("brummer/problems over the socket: %+v", problems)
	}
	// The editor's own session goes on when the socket's client leaves.
	_ = agent.toSrv.Close()
	e.run("ok", root)
	e.awaitProcess("ok after the socket client left", func(w wireProcess) bool { return w.Script == "ok" && w.Status == "success" })

	if code := e.close(); code != 0 {
		t.Fatalf("exit code %d", code)
	}
	if _, err := os.Lstat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the socket outlived the server: %v", err)
	}
}

// Another user can neither open the socket (file modes) nor, where the
// modes would let them, be served (peer credentials). CI runs as root,
// which ignores file modes, so the client runs as nobody.
func TestSocketRefusesOtherUsers(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("starting a process of another user needs root (CI runs as root)")
	}
	base := privateSocketDir(t)
	if err := os.Chmod(base, 0o755); err != nil {
		t.Fatal(err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	peer := filepath.Join(base, "peer")
	copyFile(t, exe, peer, 0o755)

	root := fixture(t)
	e := newEditor(t, root, editorOpts{})
	path, err := SocketPath(root, false)
	if err != nil {
		t.Fatal(err)
	}
	dialAs := func(uid uint32) string {
		t.Helper()
		cmd := exec.Command(peer)
		cmd.Env = []string{peerDialEnv + "=" + path}
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uid, Gid: uid}}
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("peer as uid %d: %v\n%s", uid, err, out)
		}
		return string(out)
	}
	const nobody = 65534
	if out := dialAs(0); !strings.HasPrefix(out, "answered: Content-Length") {
		t.Fatalf("the user's own client: %s", out)
	}
	if out := dialAs(nobody); !strings.Contains(out, "permission denied") {
		t.Fatalf("another user opened the socket: %s", out)
	}
	// With the modes opened up, the server still refuses the peer by its
	// credentials.
	if err := os.Chmod(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o666); err != nil {
		t.Fatal(err)
	}
	if out := dialAs(nobody); !strings.HasPrefix(out, "closed: ") {
		t.Fatalf("another user was served: %s", out)
	}
	e.run("ok", root)
	e.awaitProcess("ok after the refusal", func(w wireProcess) bool { return w.Script == "ok" && w.Status == "success" })
}

func copyFile(t *testing.T, from, to string, mode os.FileMode) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// A socket left behind by a server killed with SIGKILL is replaced by the
// next server of the workspace.
func TestStaleSocketReplaced(t *testing.T) {
	root := fixture(t)
	_, cmd := startBinary(t, root)
	path, err := SocketPath(root, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_, _ = cmd.Process.Wait()
	if _, err := os.Lstat(path); err != nil {
		t.Fatalf("no stale socket after SIGKILL: %v", err)
	}
	if c, err := net.Dial("unix", path); err == nil {
		c.Close()
		t.Fatal("the killed server's socket still accepts")
	}
	startBinary(t, root)
	agent := dialSocket(t, path)
	var scripts []wireScript
	agent.mustCall("brummer/scripts", map[string]any{}, &scripts)
	if len(scripts) != 3 {
		t.Fatalf("brummer/scripts from the new server: %+v", scripts)
	}
}

// A second live server of the same workspace leaves the first one's socket
// alone; [mcp] socket = false opens none.
func TestSocketLiveAndOff(t *testing.T) {
	privateSocketDir(t)
	root := fixture(t)
	first := newEditor(t, root, editorOpts{})
	path, _ := SocketPath(root, false)
	before, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	second := newEditor(t, root, editorOpts{})
	if code := second.close(); code != 0 {
		t.Fatalf("exit code %d", code)
	}
	after, err := os.Lstat(path)
	if err != nil || !os.SameFile(before, after) {
		t.Fatalf("the second server took or removed the first one's socket: %v", err)
	}
	dialSocket(t, path).mustCall("brummer/processes", map[string]any{}, nil)
	first.close()

	off := fixture(t)
	e := newEditor(t, off, editorOpts{initOpts: map[string]any{"mcp": map[string]any{"socket": false}}})
	p, _ := SocketPath(off, false)
	if _, err := os.Lstat(p); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("[mcp] socket = false still made %s: %v", p, err)
	}
	e.close()
}

// A socket directory that another user owns, or that is a symlink, is
// refused: whoever can write into it could plant a socket that takes an
// agent's commands.
func TestSocketDirRefused(t *testing.T) {
	base := t.TempDir()
	link := filepath.Join(base, "link")
	if err := os.Symlink(base, link); err != nil {
		t.Fatal(err)
	}
	if _, err := checkDir(link, os.Getuid(), true); err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Fatalf("symlinked socket directory: %v", err)
	}
	open := filepath.Join(base, "open")
	if err := os.Mkdir(open, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(open, 0o777); err != nil {
		t.Fatal(err)
	}
	if _, err := checkDir(open, os.Getuid(), false); err == nil || !strings.Contains(err.Error(), "chmod 700") {
		t.Fatalf("a client accepted a directory others can write: %v", err)
	}
	if _, err := checkDir(open, os.Getuid(), true); err != nil {
		t.Fatalf("the server did not make its own directory private: %v", err)
	}
	if fi, _ := os.Stat(open); fi.Mode().Perm() != 0o700 {
		t.Fatalf("mode %v after the server's check", fi.Mode())
	}
	if os.Getuid() != 0 {
		t.Skip("giving a directory to another user needs root (CI runs as root)")
	}
	theirs := filepath.Join(base, "theirs")
	if err := os.Mkdir(theirs, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(theirs, 65534, 65534); err != nil {
		t.Fatal(err)
	}
	for _, create := range []bool{true, false} {
		if _, err := checkDir(theirs, os.Getuid(), create); err == nil || !strings.Contains(err.Error(), "belongs to uid 65534") {
			t.Fatalf("socket directory of another user (create %v): %v", create, err)
		}
	}
}
