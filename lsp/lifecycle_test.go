package lsp

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"
)

const fixtureManifest = `{
  "name": "fixture",
  "version": "1.0.0",
  "scripts": {
    "serve": "echo 'Local: http://localhost:5173/' && sleep 30",
    "ok": "echo hello && echo world",
    "fail": "echo \"src/a.ts(1,11): error TS2322: Type 'number' is not assignable to type 'string'.\" && exit 1"
  }
}
`

// The emoji is one character and two UTF-16 units: "s" is column 10 for
// tsc and character 10 for LSP.
const fixtureSource = "/*😀*/let s: string = 42;\n"

func fixture(t testing.TB) string {
	return workspace(t, map[string]string{"package.json": fixtureManifest, "src/a.ts": fixtureSource})
}

func initParams(root string) map[string]any {
	return map[string]any{"processId": nil, "rootUri": fileURI(root), "capabilities": map[string]any{}}
}

func TestGateBeforeInitializeAndAfterShutdown(t *testing.T) {
	root := fixture(t)
	e := newEditor(t, root, editorOpts{noInit: true})
	manifest := map[string]any{"textDocument": map[string]string{"uri": fileURI(filepath.Join(root, "package.json"))}}

	if _, err := e.call("textDocument/codeLens", manifest); err == nil || err.Code != -32002 {
		t.Fatalf("codeLens before initialize: got %v, want ServerNotInitialized -32002", err)
	}
	if _, err := e.call("brummer/scripts", map[string]any{}); err == nil || err.Code != -32002 {
		t.Fatalf("brummer/scripts before initialize: got %v, want -32002", err)
	}
	// A notification before initialize is dropped, not fatal.
	e.notify("workspace/didChangeConfiguration", map[string]any{"settings": map[string]any{}})

	var res struct {
		Capabilities struct {
			CodeLensProvider       map[string]any `json:"codeLensProvider"`
			HoverProvider          bool           `json:"hoverProvider"`
			ExecuteCommandProvider struct {
				Commands []string `json:"commands"`
			} `json:"executeCommandProvider"`
			TextDocumentSync struct {
				OpenClose bool `json:"openClose"`
				Change    int  `json:"change"`
			} `json:"textDocumentSync"`
			Workspace struct {
				WorkspaceFolders struct {
					Supported bool `json:"supported"`
				} `json:"workspaceFolders"`
			} `json:"workspace"`
			Experimental struct {
				Brummer struct {
					Protocol int `json:"protocol"`
				} `json:"brummer"`
			} `json:"experimental"`
		} `json:"capabilities"`
		ServerInfo struct {
			Name    string `json:"name"`
			Version string `json:"version"`
		} `json:"serverInfo"`
	}
	e.mustCall("initialize", initParams(root), &res)
	c := res.Capabilities
	if c.CodeLensProvider == nil || !c.HoverProvider || !c.TextDocumentSync.OpenClose || c.TextDocumentSync.Change != 2 ||
		!c.Workspace.WorkspaceFolders.Supported || c.Experimental.Brummer.Protocol != 1 {
		t.Errorf("capabilities: %+v", c)
	}
	for _, cmd := range []string{"brummer.run", "brummer.stop", "brummer.restart", "brummer.stopAll", "brummer.restartAll", "brummer.clearLogs", "brummer.openUrl"} {
		if !slices.Contains(c.ExecuteCommandProvider.Commands, cmd) {
			t.Errorf("executeCommandProvider lacks %s: %v", cmd, c.ExecuteCommandProvider.Commands)
		}
	}
	if res.ServerInfo.Name != "brummer" || res.ServerInfo.Version != "test" {
		t.Errorf("serverInfo = %+v", res.ServerInfo)
	}
	if _, err := e.call("initialize", initParams(root)); err == nil || err.Code != -32600 {
		t.Fatalf("second initialize: got %v, want InvalidRequest", err)
	}
	e.mustCall("textDocument/codeLens", manifest, nil)
	e.mustCall("shutdown", nil, nil)
	if _, err := e.call("textDocument/codeLens", manifest); err == nil || err.Code != -32600 {
		t.Fatalf("codeLens after shutdown: got %v, want InvalidRequest -32600", err)
	}
	e.notify("exit", nil)
	if code := e.exitCode(); code != 0 {
		t.Fatalf("exit after shutdown: code %d, want 0", code)
	}
}

func TestExitWithoutShutdownIsOne(t *testing.T) {
	e := newEditor(t, fixture(t), editorOpts{})
	e.notify("exit", nil)
	if code := e.exitCode(); code != 1 {
		t.Fatalf("exit without shutdown: code %d, want 1", code)
	}
}

func TestInitializeNeedsAWorkspace(t *testing.T) {
	e := newEditor(t, t.TempDir(), editorOpts{noInit: true})
	_, err := e.call("initialize", map[string]any{"processId": nil, "rootUri": nil, "capabilities": map[string]any{}})
	if err == nil || err.Code != -32602 {
		t.Fatalf("initialize without a workspace: %v, want InvalidParams", err)
	}
	// It may be retried.
	e.mustCall("initialize", initParams(fixture(t)), nil)
}

// End of input is shutdown + exit: the scripts are stopped.
func TestEndOfInputStopsScripts(t *testing.T) {
	root := fixture(t)
	e := newEditor(t, root, editorOpts{})
	p := e.run("serve", root)
	if p.PID <= 0 {
		t.Fatalf("run answered %+v", p)
	}
	_ = e.toSrv.Close()
	if code := e.exitCode(); code != 0 {
		t.Fatalf("end of input: code %d, want 0", code)
	}
	if alive(p.PID) {
		t.Fatalf("pid %d outlived the server", p.PID)
	}
}

// When the editor's process dies the server stops everything and ends.
func TestParentDeathEndsServer(t *testing.T) {
	root := fixture(t)
	e := newEditor(t, root, editorOpts{noInit: true})
	params := initParams(root)
	params["processId"] = deadPID(t)
	e.mustCall("initialize", params, nil)
	if code := e.exitCode(); code != 0 {
		t.Fatalf("code %d", code)
	}
}

// deadPID returns the pid of a process that has exited and been reaped.
func deadPID(t *testing.T) int {
	p, err := os.StartProcess("/bin/true", []string{"true"}, &os.ProcAttr{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Wait(); err != nil {
		t.Fatal(err)
	}
	return p.Pid
}

// alive reports whether pid exists and is not a zombie.
func alive(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	b, err := os.ReadFile("/proc/" + itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	// "pid (comm) S ...": the state follows the last ')'.
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] == ')' && i+2 < len(b) {
			return b[i+2] != 'Z'
		}
	}
	return true
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// awaitGone waits until pid is gone.
func awaitGone(t *testing.T, pid int) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for alive(pid) {
		if time.Now().After(deadline) {
			t.Fatalf("pid %d still alive after %v", pid, wait)
		}
		time.Sleep(20 * time.Millisecond) // polling a pid: there is nothing to wait on
	}
}
