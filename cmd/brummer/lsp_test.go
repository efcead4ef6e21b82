package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLspFlags(t *testing.T) {
	cases := []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"--help"}, 0, "Usage: brummer lsp"},
		{[]string{"--bogus"}, 2, "bogus"},
		{[]string{"extra"}, 2, `unexpected argument "extra"`},
		{[]string{"--log-level", "loud"}, 2, `unknown log level "loud"`},
	}
	for _, c := range cases {
		var stdout, stderr bytes.Buffer
		if code := lspCmd(c.args, strings.NewReader(""), &stdout, &stderr); code != c.code {
			t.Errorf("%v: code %d, want %d (%s)", c.args, code, c.code, stderr.String())
		}
		if !strings.Contains(stderr.String(), c.err) {
			t.Errorf("%v: stderr %q lacks %q", c.args, stderr.String(), c.err)
		}
		if stdout.Len() != 0 {
			t.Errorf("%v: wrote to stdout: %q", c.args, stdout.String())
		}
	}
}

// A whole session from a scripted stdin: stdout holds only framed JSON-RPC,
// the trace and the log go to the log file.
func TestLspSessionStdoutIsOnlyProtocol(t *testing.T) {
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "package.json"), []byte(`{"scripts":{"dev":"echo dev"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	var in bytes.Buffer
	for _, body := range []string{
		`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":null,"rootUri":"file://` + root + `","capabilities":{}}}`,
		`{"jsonrpc":"2.0","method":"initialized","params":{}}`,
		`{"jsonrpc":"2.0","id":2,"method":"brummer/scripts","params":{}}`,
		`{"jsonrpc":"2.0","id":3,"method":"shutdown"}`,
		`{"jsonrpc":"2.0","method":"exit"}`,
	} {
		fmt.Fprintf(&in, "Content-Length: %d\r\n\r\n%s", len(body), body)
	}
	logFile := filepath.Join(t.TempDir(), "lsp.log")
	var stdout, stderr bytes.Buffer
	if code := lspCmd([]string{"--log-file", logFile, "--trace"}, &in, &stdout, &stderr); code != 0 {
		t.Fatalf("code %d: %s", code, stderr.String())
	}
	out := stdout.String()
	for len(out) > 0 {
		var n int
		if _, err := fmt.Sscanf(out, "Content-Length: %d\r\n\r\n", &n); err != nil {
			t.Fatalf("stdout is not framed JSON-RPC at %q", out[:min(len(out), 80)])
		}
		i := strings.Index(out, "\r\n\r\n") + 4
		body := out[i : i+n]
		if !strings.HasPrefix(body, `{"jsonrpc":"2.0"`) {
			t.Fatalf("body %q", body)
		}
		out = out[i+n:]
	}
	// Every call is answered although exit follows right behind them.
	for _, want := range []string{`"serverInfo"`, `"id":2,"result":[{`, `"id":3,"result":null`} {
		if !strings.Contains(stdout.String(), want) {
			t.Fatalf("no %s in %q", want, stdout.String())
		}
	}
	log, _ := os.ReadFile(logFile)
	if !strings.Contains(string(log), "brummer/scripts") {
		t.Fatalf("the trace did not reach the log file: %q", log)
	}
}
