package lsp

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
)

// needNodeModules skips when the fixture's npm ci has not run (locally);
// in CI it must have.
func needNodeModules(t *testing.T, dir string) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(dir, "node_modules")); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s/node_modules is missing: CI must run npm ci there", dir)
		}
		t.Skipf("%s/node_modules is missing: run npm ci there", dir)
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Fatalf("node is not installed: %v", err)
	}
}

// Microsoft's vscode-languageserver-protocol client drives the built binary.
func TestInteropWithVSCodeClient(t *testing.T) {
	dir, _ := filepath.Abs("testdata/interop")
	needNodeModules(t, dir)
	root := fixture(t)
	cmd := exec.Command("node", filepath.Join(dir, "client.js"), brummerBinary(t), root)
	cmd.Stderr = &testWriter{t}
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("client: %v\n%s", err, out)
	}
	var res struct {
		Protocol      int      `json:"protocol"`
		FinalStatus   string   `json:"finalStatus"`
		Lenses        []string `json:"lenses"`
		UnknownScript int      `json:"unknownScript"`
		ExitCode      int      `json:"exitCode"`
		Diagnostic    struct {
			Code  string    `json:"code"`
			Range wireRange `json:"range"`
		} `json:"diagnostic"`
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("client output %q: %v", out, err)
	}
	if res.Protocol != 1 || res.FinalStatus != "failed" || res.UnknownScript != -32602 || res.ExitCode != 0 ||
		res.Diagnostic.Code != "TS2322" || res.Diagnostic.Range != (wireRange{wirePosition{0, 10}, wirePosition{0, 11}}) ||
		!slices.Contains(res.Lenses, "✗ failed (exit 1) · 1 error") {
		t.Fatalf("interop result: %s", out)
	}
}

type testWriter struct{ t *testing.T }

func (w *testWriter) Write(p []byte) (int, error) {
	w.t.Logf("%s", p)
	return len(p), nil
}
