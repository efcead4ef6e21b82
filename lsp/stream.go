package lsp

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"go.lsp.dev/jsonrpc2"
	"go.uber.org/zap"
)

// maxBodyBytes is the largest message body the server accepts. Nothing in
// PROTOCOL.md comes near it; a bigger Content-Length is a broken or hostile
// client, and allocating it would let one header cost gigabytes.
const maxBodyBytes = 64 << 20

// maxSkipBytes: a body up to this size over the limit is read and thrown
// away (the connection survives); a bigger Content-Length is taken as lost
// framing and ends the connection, since skipping it could mean reading
// forever.
const maxSkipBytes = 1 << 30

// maxHeaderLine bounds one header line, for the same reason.
const maxHeaderLine = 4096

// errBadHeader means the framing is lost: without a usable Content-Length
// there is no way to find where the next message starts, so the connection
// ends (and the server with it, as on end of stdin).
var errBadHeader = errors.New("lsp: invalid message header")

// stream is the jsonrpc2.Stream in front of go.lsp.dev/jsonrpc2's header
// framing. jsonrpc2 ends the whole connection on a body that is not a JSON-RPC
// message; here such a body is answered (-32700 parse error, or -32600
// invalid request for JSON that is no request) and reading goes on. A body
// over maxBodyBytes is skipped without being stored, answered with -32600,
// and logged. Writes go through jsonrpc2's own header stream.
type stream struct {
	rwc  io.ReadWriteCloser
	in   *bufio.Reader
	out  jsonrpc2.Stream
	log  *zap.Logger
	rbuf []byte

	trace bool

	// answers, when set, learns which calls' answers each frame carries.
	answers *answers
}

// frameWriter is jsonrpc2's raw-frame write, implemented by its header stream.
type frameWriter interface {
	WriteFrame(ctx context.Context, data []byte) (int64, error)
}

func newStream(rwc io.ReadWriteCloser, log *zap.Logger, trace bool) *stream {
	s := &stream{rwc: rwc, in: bufio.NewReaderSize(rwc, 64<<10), log: log, trace: trace}
	w := io.Writer(rwc)
	if trace {
		w = traceWriter{w: rwc, log: log}
	}
	s.out = jsonrpc2.NewHeaderStream(struct {
		io.Reader
		io.Writer
		io.Closer
	}{rwc, w, rwc})
	return s
}

// Read implements jsonrpc2.Stream.
func (s *stream) Read(ctx context.Context) (jsonrpc2.Message, int64, error) {
	body, n, err := s.ReadFrame(ctx)
	if err != nil {
		return nil, 0, err
	}
	msg, err := jsonrpc2.DecodeMessage(body)
	return msg, n, err
}

// ReadFrame returns the body of the next message that jsonrpc2 can decode,
// answering the ones it cannot.
func (s *stream) ReadFrame(ctx context.Context) ([]byte, int64, error) {
	for {
		if err := ctx.Err(); err != nil {
			return nil, 0, err
		}
		length, headerLen, err := readHeader(s.in)
		if err != nil {
			if errors.Is(err, errBadHeader) {
				s.log.Error("closing the connection: message framing lost", zap.Error(err))
			}
			return nil, 0, err
		}
		if length > maxSkipBytes {
			s.log.Error("closing the connection: absurd Content-Length", zap.Int64("contentLength", length))
			return nil, 0, fmt.Errorf("%w: Content-Length %d is over %d bytes", errBadHeader, length, maxSkipBytes)
		}
		if length > maxBodyBytes {
			s.log.Warn("skipping an oversized message", zap.Int64("contentLength", length), zap.Int("limit", maxBodyBytes))
			if _, err := io.CopyN(io.Discard, s.in, length); err != nil {
				return nil, 0, unexpectedEOF(err)
			}
			s.replyError(ctx, nil, jsonrpc2.InvalidRequest,
				fmt.Sprintf("message of %d bytes refused: the limit is %d bytes; split the request", length, maxBodyBytes))
			continue
		}
		if cap(s.rbuf) < int(length) {
			s.rbuf = make([]byte, length)
		}
		body := s.rbuf[:length]
		if _, err := io.ReadFull(s.in, body); err != nil {
			return nil, 0, unexpectedEOF(err)
		}
		if s.trace {
			s.log.Debug("<- message", zap.ByteString("body", body))
		}
		if s.acceptable(ctx, body) {
			if cap(s.rbuf) > 1<<20 {
				// One big message must not pin its buffer for the server's life.
				s.rbuf = nil
			}
			return body, int64(headerLen) + length, nil
		}
	}
}

// acceptable reports whether jsonrpc2 can take body; if not it answers it.
func (s *stream) acceptable(ctx context.Context, body []byte) bool {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) > 0 && trimmed[0] == '[' {
		// Batches are jsonrpc2's to answer member by member, once they parse.
		if json.Valid(trimmed) {
			return true
		}
		s.replyError(ctx, nil, jsonrpc2.ParseError, "parse error: the message body is not valid JSON")
		return false
	}
	_, err := jsonrpc2.DecodeMessage(body)
	if err == nil {
		return true
	}
	if !json.Valid(body) {
		s.log.Warn("answering a message that is not JSON", zap.Int("bytes", len(body)))
		s.replyError(ctx, nil, jsonrpc2.ParseError, "parse error: the message body is not valid JSON")
		return false
	}
	var env struct {
		ID json.RawMessage `json:"id"`
	}
	_ = json.Unmarshal(body, &env)
	id := env.ID
	if len(id) == 0 || (id[0] != '"' && (id[0] < '0' || id[0] > '9') && id[0] != '-') {
		id = nil
	}
	s.log.Warn("answering an invalid request", zap.Error(err))
	s.replyError(ctx, id, jsonrpc2.InvalidRequest,
		"invalid request: expected a JSON-RPC 2.0 object with \"jsonrpc\": \"2.0\", \"method\" and optional \"id\" and \"params\"")
	return false
}

func (s *stream) replyError(ctx context.Context, id json.RawMessage, code jsonrpc2.Code, msg string) {
	if id == nil {
		id = json.RawMessage("null")
	}
	body, _ := json.Marshal(struct {
		JSONRPC string          `json:"jsonrpc"`
		ID      json.RawMessage `json:"id"`
		Error   struct {
			Code    jsonrpc2.Code `json:"code"`
			Message string        `json:"message"`
		} `json:"error"`
	}{JSONRPC: "2.0", ID: id, Error: struct {
		Code    jsonrpc2.Code `json:"code"`
		Message string        `json:"message"`
	}{code, msg}})
	if fw, ok := s.out.(frameWriter); ok {
		if _, err := fw.WriteFrame(ctx, body); err != nil {
			s.log.Debug("writing an error reply", zap.Error(err))
		}
	}
}

// Write implements jsonrpc2.Stream.
func (s *stream) Write(ctx context.Context, msg jsonrpc2.Message) (int64, error) {
	if s.answers == nil || s.answers.n.Load() == 0 {
		return s.out.Write(ctx, msg)
	}
	body, err := jsonrpc2.EncodeMessage(msg)
	if err != nil {
		return 0, err
	}
	return s.WriteFrame(ctx, body)
}

// WriteFrame lets jsonrpc2 answer a batch as one frame.
func (s *stream) WriteFrame(ctx context.Context, data []byte) (int64, error) {
	n, err := s.out.(frameWriter).WriteFrame(ctx, data)
	if s.answers != nil { // written or never to be: either way not to wait for
		s.answers.sawFrame(data)
	}
	return n, err
}

// Close implements jsonrpc2.Stream.
func (s *stream) Close() error { return s.rwc.Close() }

func unexpectedEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// readHeader reads one header block and returns the Content-Length.
func readHeader(r *bufio.Reader) (length int64, consumed int, err error) {
	have := false
	for {
		line, err := r.ReadSlice('\n')
		consumed += len(line)
		if err != nil {
			if errors.Is(err, bufio.ErrBufferFull) || len(line) > maxHeaderLine {
				return 0, 0, fmt.Errorf("%w: header line longer than %d bytes", errBadHeader, maxHeaderLine)
			}
			if err == io.EOF && consumed > 0 {
				return 0, 0, io.ErrUnexpectedEOF
			}
			return 0, 0, err
		}
		if len(line) > maxHeaderLine {
			return 0, 0, fmt.Errorf("%w: header line longer than %d bytes", errBadHeader, maxHeaderLine)
		}
		text := strings.TrimRight(string(line), "\r\n")
		if text == "" {
			if consumed <= 2 {
				// A stray blank line between messages is harmless.
				consumed, have = 0, false
				continue
			}
			break
		}
		name, value, ok := strings.Cut(text, ":")
		if !ok {
			return 0, 0, fmt.Errorf("%w: %q is not a header field", errBadHeader, truncate(text, 80))
		}
		if strings.EqualFold(strings.TrimSpace(name), "Content-Length") {
			v := strings.TrimSpace(value)
			n, perr := strconv.ParseInt(v, 10, 64)
			if perr != nil || n <= 0 {
				return 0, 0, fmt.Errorf("%w: Content-Length %q is not a positive number", errBadHeader, truncate(v, 40))
			}
			length, have = n, true
		}
	}
	if !have {
		return 0, 0, fmt.Errorf("%w: no Content-Length", errBadHeader)
	}
	return length, consumed, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// traceWriter logs every frame written (--trace).
type traceWriter struct {
	w   io.Writer
	log *zap.Logger
}

func (t traceWriter) Write(p []byte) (int, error) {
	body := p
	if i := bytes.Index(p, []byte("\r\n\r\n")); i >= 0 {
		body = p[i+4:]
	}
	t.log.Debug("-> message", zap.ByteString("body", body))
	return t.w.Write(p)
}
