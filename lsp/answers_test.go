package lsp

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.uber.org/zap"
)

type bufferRWC struct{ bytes.Buffer }

func (*bufferRWC) Close() error { return nil }

func TestAnswersWaitForTheFrameCarryingEachResponse(t *testing.T) {
	a := newAnswers()
	st := newStream(&bufferRWC{}, zap.NewNop(), false)
	st.answers = a
	ctx := context.Background()
	short := func() bool {
		c, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
		defer cancel()
		return a.waitWritten(c)
	}
	if !short() {
		t.Fatal("nothing expected, yet waitWritten waits")
	}
	num, str := jsonrpc2.NewNumberID(7), jsonrpc2.NewStringID(`a"b,"result":`)
	a.expect(num)
	a.expect(str)
	// A notification and an answer to another call do not count.
	if _, err := st.Write(ctx, jsonrpc2.NewNotification("brummer/processes", jsonrpc2.RawMessage(`{"id":7}`))); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Write(ctx, jsonrpc2.NewResponse(jsonrpc2.NewNumberID(8), jsonrpc2.RawMessage(`null`), nil)); err != nil {
		t.Fatal(err)
	}
	if short() {
		t.Fatal("waitWritten returned before any expected answer was written")
	}
	if _, err := st.Write(ctx, jsonrpc2.NewResponse(num, nil, jsonrpc2.NewError(jsonrpc2.InvalidParams, "x"))); err != nil {
		t.Fatal(err)
	}
	if short() {
		t.Fatal("waitWritten returned with the string id's answer unwritten")
	}
	done := make(chan bool)
	go func() { done <- a.waitWritten(ctx) }()
	// A batch frame carries the last one.
	if _, err := st.WriteFrame(ctx, []byte(`[{"jsonrpc":"2.0","id":"a\"b,\"result\":","result":1}]`)); err != nil {
		t.Fatal(err)
	}
	select {
	case ok := <-done:
		if !ok {
			t.Fatal("waitWritten failed")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("waitWritten still waiting after every answer was written")
	}
}

// A client that sends a slow call (restarting a script that ignores
// SIGTERM: its stop takes the grace time, then it starts again), shutdown
// and exit in one write gets the slow call's answer before shutdown's.
// Without shutdown's wait the restart's answer is lost.
func TestPipelinedCallIsAnsweredBeforeShutdown(t *testing.T) {
	root := workspace(t, map[string]string{
		"package.json": `{"scripts":{"stubborn":"node -e \"process.on('SIGTERM',()=>{});console.log('up');setInterval(()=>{},1000)\""}}`,
	})
	e := newEditor(t, root, editorOpts{initOpts: map[string]any{"process_manager": map[string]any{"stop_grace_ms": 300}}})
	p := e.run("stubborn", root)
	e.awaitProcess("stubborn running", func(w wireProcess) bool { return w.ID == p.ID && w.Status == "running" })
	var in bytes.Buffer
	for _, body := range []string{
		`{"jsonrpc":"2.0","id":"stop","method":"workspace/executeCommand","params":{"command":"brummer.restart","arguments":[{"id":"` + p.ID + `"}]}}`,
		`{"jsonrpc":"2.0","id":"bye","method":"shutdown"}`,
		`{"jsonrpc":"2.0","method":"exit"}`,
	} {
		fmt.Fprintf(&in, "Content-Length: %d\r\n\r\n%s", len(body), body)
	}
	e.writeRaw(in.Bytes())
	e.await("the shutdown answer", func(m msg) bool { return string(m.ID) == `"bye"` })
	if code := e.exitCode(); code != 0 {
		t.Fatalf("exit code %d", code)
	}
	stop, bye := -1, -1
	e.mu.Lock()
	for i, m := range e.msgs {
		switch string(m.ID) {
		case `"stop"`:
			stop = i
		case `"bye"`:
			bye = i
		}
	}
	e.mu.Unlock()
	if stop < 0 || stop > bye {
		t.Fatalf("stop answered at %d, shutdown at %d (of the messages read): want stop first, both there", stop, bye)
	}
}
