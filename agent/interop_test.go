package agent_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The TypeScript MCP SDK's client (what most agents are built on) spawns
// the built binary over stdio with its trimmed environment: it lists the
// tools, runs a script and reads its problems.
func TestInteropWithTypeScriptClient(t *testing.T) {
	dir, _ := filepath.Abs("testdata/interop")
	if _, err := os.Stat(filepath.Join(dir, "node_modules")); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s/node_modules is missing: CI must run npm ci there", dir)
		}
		t.Skipf("%s/node_modules is missing: run npm ci there", dir)
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Fatalf("node is not installed: %v", err)
	}
	root := fixture(t)
	cmd := exec.Command("node", filepath.Join(dir, "client.js"), brummerBinary(t), root)
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("client: %v\n%s\n%s", err, out, stderr.String())
	}
	var res struct {
		Instructions string `json:"instructions"`
		Tools        []struct {
			Name     string   `json:"name"`
			Required []string `json:"required"`
		} `json:"tools"`
		ProcessID  string         `json:"processId"`
		Waited     string         `json:"waited"`
		Problems   problemsAnswer `json:"problems"`
		BadIsError bool           `json:"badIsError"`
		Bad        string         `json:"bad"`
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("client output %q: %v\n%s", out, err, stderr.String())
	}
	required := map[string]string{}
	for _, tool := range res.Tools {
		required[tool.Name] = strings.Join(tool.Required, ",")
	}
	if len(res.Tools) != 10 || required["run_script"] != "script" || required["wait"] != "processId,until" {
		t.Errorf("tools: %+v", res.Tools)
	}
	if !strings.Contains(res.Instructions, root) {
		t.Errorf("instructions do not name the workspace:\n%s", res.Instructions)
	}
	if !strings.Contains(res.Waited, res.ProcessID+" typecheck [.] failed (exit 2)") {
		t.Errorf("wait: %s", res.Waited)
	}
	var places []string
	for _, p := range res.Problems.Problems {
		places = append(places, p.File+":"+strconv.Itoa(p.Line)+":"+strconv.Itoa(p.Column)+" "+p.Code)
	}
	if strings.Join(places, " | ") != "src/main.ts:3:7 TS2322 | src/main.ts:4:19 TS2345" {
		t.Errorf("problems: %v", places)
	}
	if !res.BadIsError || !strings.Contains(res.Bad, "nosuch") {
		t.Errorf("unknown script: isError %v, %q", res.BadIsError, res.Bad)
	}
	if t.Failed() {
		t.Logf("stderr:\n%s", stderr.String())
	}
}
