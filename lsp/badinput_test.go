package lsp

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

func frame(body string) []byte {
	return []byte(fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(body), body))
}

// errorWithNullID waits for an error reply with "id": null and the code.
func (e *editor) errorWithNullID(from, code int) msg {
	e.t.Helper()
	m, ok := e.awaitFrom(from, fmt.Sprintf("error %d with id null", code), func(m msg) bool {
		return m.Error != nil && m.Error.Code == code && (len(m.ID) == 0 || string(m.ID) == "null")
	})
	if !ok {
		e.t.Fatalf("no error %d with id null:\n%s", code, e.tail(5))
	}
	return m
}

func TestMalformedInputIsAnsweredAndServerGoesOn(t *testing.T) {
	e := newEditor(t, fixture(t), editorOpts{})
	alive := func(when string) {
		t.Helper()
		if _, err := e.call("brummer/processes", map[string]any{}); err != nil {
			t.Fatalf("after %s: %v", when, err)
		}
	}

	mark := e.mark()
	e.writeRaw(frame(`{"jsonrpc":"2.0","id":1,"method":"brummer/processes"`))
	e.errorWithNullID(mark, -32700)
	alive("a truncated JSON body")

	mark = e.mark()
	e.writeRaw(frame("not json at all \x00\xff"))
	e.errorWithNullID(mark, -32700)
	alive("a binary body")

	mark = e.mark()
	e.writeRaw(frame(`[{"jsonrpc":"2.0",`))
	e.errorWithNullID(mark, -32700)
	alive("a broken batch")

	mark = e.mark()
	e.writeRaw(frame(`{"foo":1}`))
	e.errorWithNullID(mark, -32600)
	alive("JSON that is no request")

	// Over the 64 MiB limit: skipped without storing it, answered, and the
	// connection survives.
	mark = e.mark()
	big := maxBodyBytes + 1
	e.writeRaw([]byte(fmt.Sprintf("Content-Length: %d\r\n\r\n", big)))
	chunk := bytes.Repeat([]byte(" "), 1<<20)
	for left := big; left > 0; left -= len(chunk) {
		e.writeRaw(chunk[:min(len(chunk), left)])
	}
	m := e.errorWithNullID(mark, -32600)
	if !strings.Contains(m.Error.Message, "refused") {
		t.Fatalf("oversized message answer: %v", m.Error)
	}
	alive("an oversized message")

	if _, err := e.call("textDocument/definition", map[string]any{}); err == nil || err.Code != -32601 {
		t.Fatalf("unknown method: %v, want MethodNotFound", err)
	}
	e.notify("$/unknownNotification", map[string]any{"x": 1})
	e.notify("textDocument/didOpen", map[string]any{"textDocument": 5})
	e.notify("$/cancelRequest", map[string]any{"id": map[string]int{"nested": 1}})
	alive("bad notifications")

	if _, err := e.call("textDocument/codeLens", map[string]any{"textDocument": 5}); err == nil || err.Code != -32602 || !strings.Contains(err.Message, `"textDocument"`) {
		t.Fatalf("codeLens with a number for textDocument: %v, want InvalidParams naming the field", err)
	}
	if _, err := e.call("textDocument/hover", []int{1, 2}); err == nil || err.Code != -32602 {
		t.Fatalf("hover with an array: %v", err)
	}
	if _, err := e.call("workspace/executeCommand", map[string]any{"command": "brummer.run", "arguments": "dev"}); err == nil || err.Code != -32602 || !strings.Contains(err.Message, `"arguments"`) {
		t.Fatalf("arguments not an array: %v", err)
	}

	// Random bodies: always an answer or silence, never a crash.
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 200; i++ {
		b := make([]byte, 1+r.IntN(200))
		for j := range b {
			b[j] = byte(r.IntN(256))
		}
		if r.IntN(2) == 0 {
			b = []byte(`{"jsonrpc":"2.0","id":` + fmt.Sprint(1000+i) + `,"method":"brummer/logs","params":` + string(b) + `}`)
		}
		e.writeRaw(frame(string(b)))
	}
	alive("random bodies")
}

func TestAbsurdContentLengthEndsTheConnection(t *testing.T) {
	root := fixture(t)
	e := newEditor(t, root, editorOpts{})
	p := e.run("serve", root)
	e.writeRaw([]byte("Content-Length: 99999999999999\r\n\r\n"))
	// Framing is lost: the server shuts down (stopping the scripts) and ends.
	if code := e.exitCode(); code != 0 {
		t.Fatalf("code %d", code)
	}
	if alive(p.PID) {
		t.Fatalf("pid %d outlived the server", p.PID)
	}
}

func TestHeaderWithoutContentLengthEndsTheConnection(t *testing.T) {
	e := newEditor(t, fixture(t), editorOpts{})
	e.writeRaw([]byte("Content-Type: application/json\r\n\r\n{}"))
	if code := e.exitCode(); code != 0 {
		t.Fatalf("code %d", code)
	}
}
