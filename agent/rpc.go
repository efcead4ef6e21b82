package agent

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"strconv"
	"strings"
	"sync"
)

// rpcError is a JSON-RPC error answer of the core; its message is meant for
// people (and models) and names what exists.
type rpcError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

func (e *rpcError) Error() string { return e.Message }

// errClosed is the answer to every call once the connection to the core is
// gone.
var errClosed = errors.New("the editor's brummer ended (the editor closed or reloaded the window), and its processes with it: " +
	"once the editor has the workspace open again, the next call reaches its brummer; or restart this MCP server (brummer mcp) to run standalone")

type rpcMessage struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      *int64          `json:"id,omitempty"`
	Method  string          `json:"method,omitempty"`
	Params  json.RawMessage `json:"params,omitempty"`
	Result  json.RawMessage `json:"result,omitempty"`
	Error   *rpcError       `json:"error,omitempty"`
}

// rpcClient is the client end of the workspace socket: JSON-RPC 2.0 with
// Content-Length framing, as brummer lsp speaks it. One reader goroutine
// routes answers to their callers and hands notifications to notify, in
// wire order; calls may come from any goroutine.
type rpcClient struct {
	rwc    io.ReadWriteCloser
	notify func(method string, params json.RawMessage)
	done   chan struct{} // closed when the reader ends

	writeMu sync.Mutex

	// mu guards the fields below.
	mu      sync.Mutex
	next    int64
	pending map[int64]chan rpcMessage
	err     error
}

func newRPCClient(rwc io.ReadWriteCloser, notify func(string, json.RawMessage)) *rpcClient {
	c := &rpcClient{rwc: rwc, notify: notify, done: make(chan struct{}), pending: map[int64]chan rpcMessage{}}
	go c.read()
	return c
}

func (c *rpcClient) read() {
	defer close(c.done)
	r := bufio.NewReaderSize(c.rwc, 64<<10)
	tp := textproto.NewReader(r)
	var err error
	for {
		var h textproto.MIMEHeader
		h, err = tp.ReadMIMEHeader()
		if err != nil {
			break
		}
		var n int
		n, err = strconv.Atoi(strings.TrimSpace(h.Get("Content-Length")))
		if err != nil || n <= 0 {
			err = fmt.Errorf("agent: bad Content-Length %q from brummer", h.Get("Content-Length"))
			break
		}
		body := make([]byte, n)
		if _, err = io.ReadFull(r, body); err != nil {
			break
		}
		var m rpcMessage
		if json.Unmarshal(body, &m) != nil {
			continue
		}
		switch {
		case m.Method != "" && m.ID != nil:
			// A request from the core (window/showDocument): agents have no
			// browser to open.
			c.write(rpcMessage{JSONRPC: "2.0", ID: m.ID, Error: &rpcError{Code: -32601, Message: "not supported by brummer mcp"}})
		case m.Method != "":
			c.notify(m.Method, m.Params)
		case m.ID != nil:
			c.mu.Lock()
			ch := c.pending[*m.ID]
			delete(c.pending, *m.ID)
			c.mu.Unlock()
			if ch != nil {
				ch <- m
			}
		}
	}
	c.mu.Lock()
	c.err = errClosed
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, net.ErrClosed) {
		// Not the core going away: say what broke the connection.
		c.err = fmt.Errorf("%w (the connection failed: %v)", errClosed, err)
	}
	for id, ch := range c.pending {
		close(ch)
		delete(c.pending, id)
	}
	c.mu.Unlock()
	c.notify(methodClosed, nil)
}

// methodClosed is the notification the reader hands on last, when the
// connection ended: waiters must not wait for changes that cannot come.
const methodClosed = "$/closed"

func (c *rpcClient) write(m rpcMessage) error {
	body, err := json.Marshal(m)
	if err != nil {
		return err
	}
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	if _, err := fmt.Fprintf(c.rwc, "Content-Length: %d\r\n\r\n", len(body)); err != nil {
		return errClosed
	}
	if _, err := c.rwc.Write(body); err != nil {
		return errClosed
	}
	return nil
}

// call sends method with params and decodes the answer into result (which
// may be nil).
func (c *rpcClient) call(ctx context.Context, method string, params, result any) error {
	raw, err := json.Marshal(params)
	if err != nil {
		return err
	}
	ch := make(chan rpcMessage, 1)
	c.mu.Lock()
	if c.err != nil {
		c.mu.Unlock()
		return c.err
	}
	c.next++
	id := c.next
	c.pending[id] = ch
	c.mu.Unlock()
	if err := c.write(rpcMessage{JSONRPC: "2.0", ID: &id, Method: method, Params: raw}); err != nil {
		c.forget(id)
		return err
	}
	select {
	case m, ok := <-ch:
		if !ok {
			return errClosed
		}
		if m.Error != nil {
			return m.Error
		}
		if result != nil && len(m.Result) > 0 {
			return json.Unmarshal(m.Result, result)
		}
		return nil
	case <-ctx.Done():
		c.forget(id)
		_ = c.write(rpcMessage{JSONRPC: "2.0", Method: "$/cancelRequest", Params: json.RawMessage(`{"id":` + strconv.FormatInt(id, 10) + `}`)})
		return ctx.Err()
	}
}

func (c *rpcClient) forget(id int64) {
	c.mu.Lock()
	delete(c.pending, id)
	c.mu.Unlock()
}

// close ends the connection and waits for the reader.
func (c *rpcClient) close() {
	_ = c.rwc.Close()
	<-c.done
}
