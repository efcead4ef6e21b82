package proxy

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/andybalholm/brotli"
	"go.uber.org/zap"
)

// decodable lists the Content-Encodings the injector reads.
var decodable = map[string]bool{"gzip": true, "x-gzip": true, "deflate": true, "br": true, "identity": true}

// lastEncodings remembers the last Accept-Encoding filtered: a browser
// sends the same one with every request.
var lastEncodings atomic.Pointer[[2]string]

// acceptEncoding is filterEncodings for the single header value browsers
// send, remembered.
func acceptEncoding(values []string) string {
	if len(values) != 1 {
		return filterEncodings(values)
	}
	if last := lastEncodings.Load(); last != nil && last[0] == values[0] {
		return last[1]
	}
	out := filterEncodings(values)
	lastEncodings.Store(&[2]string{values[0], out})
	return out
}

// filterEncodings keeps the Accept-Encoding entries the injector can decode,
// so an HTML page never arrives in a coding it would have to pass through.
func filterEncodings(values []string) string {
	var keep []string
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			part = strings.TrimSpace(part)
			name, _, _ := strings.Cut(part, ";")
			if decodable[strings.ToLower(strings.TrimSpace(name))] {
				keep = append(keep, part)
			}
		}
	}
	return strings.Join(keep, ", ")
}

func (l *listener) modifyResponse(res *http.Response) error {
	p := l.p
	ct := res.Header.Get("Content-Type")
	if hasMediaType(ct, "text/event-stream") {
		res.Body = l.trackStream(res.Body)
	}
	l.rewriteLocation(res)
	if !p.cfg.InjectMonitor || res.StatusCode == http.StatusSwitchingProtocols ||
		res.Request.Method == http.MethodHead || res.StatusCode == http.StatusNoContent ||
		res.StatusCode == http.StatusNotModified {
		return nil
	}
	if !hasMediaType(ct, "text/html") {
		return nil
	}
	if strings.HasPrefix(strings.ToLower(res.Header.Get("Content-Disposition")), "attachment") {
		return nil
	}
	skip := func(why string) {
		p.injectSkipped.Add(1)
		p.log.Debug("monitor not injected", zap.String("url", res.Request.URL.String()), zap.String("reason", why))
	}
	place := placeMonitor(res.Header)
	if !place.inject {
		p.injectSkipped.Add(1)
		p.log.Info("monitor not injected", zap.String("url", res.Request.URL.String()), zap.String("reason", place.reason))
		return nil
	}
	enc := strings.ToLower(strings.TrimSpace(res.Header.Get("Content-Encoding")))
	if enc != "" && !decodable[enc] {
		skip("content-encoding " + enc)
		return nil
	}
	max := p.cfg.MaxHTMLBytes
	raw, err := io.ReadAll(io.LimitReader(res.Body, int64(max)+1))
	if err != nil {
		return fmt.Errorf("reading html from %s: %w", l.target, err)
	}
	if len(raw) > max {
		skip("page larger than the injection limit")
		res.Body = readCloser{io.MultiReader(bytes.NewReader(raw), res.Body), res.Body}
		return nil
	}
	_ = res.Body.Close()
	page, err := decode(enc, raw, max)
	if err != nil {
		skip(err.Error())
		res.Body = io.NopCloser(bytes.NewReader(raw))
		return nil
	}
	out := insertScript(page, monitorTag(place, p.monitorJS, p.token))
	p.injected.Add(1)
	// Dropping the coding costs nothing on loopback and saves a re-encode.
	res.Header.Del("Content-Encoding")
	// The page now carries the telemetry token: no other origin may read it.
	res.Header.Del("Access-Control-Allow-Origin")
	res.Header.Set("Content-Length", strconv.Itoa(len(out)))
	res.ContentLength = int64(len(out))
	res.TransferEncoding = nil
	res.Uncompressed = false
	res.Body = io.NopCloser(bytes.NewReader(out))
	return nil
}

// hasMediaType: the Content-Type ct is of media type mt (lower case),
// parameters aside; without the allocations of mime.ParseMediaType, on
// every response.
func hasMediaType(ct, mt string) bool {
	ct = strings.TrimLeft(ct, " \t")
	if len(ct) < len(mt) || !strings.EqualFold(ct[:len(mt)], mt) {
		return false
	}
	rest := strings.TrimLeft(ct[len(mt):], " \t")
	return rest == "" || rest[0] == ';'
}

// rewriteLocation keeps absolute redirects to the target on the proxy.
func (l *listener) rewriteLocation(res *http.Response) {
	loc := res.Header.Get("Location")
	if loc == "" {
		return
	}
	u, err := url.Parse(loc)
	if err != nil || !strings.EqualFold(u.Scheme, l.target.Scheme) || !strings.EqualFold(u.Host, l.target.Host) {
		return
	}
	u.Scheme, u.Host, u.User = "", "", nil
	rest := u.String()
	if !strings.HasPrefix(rest, "/") {
		rest = "/" + rest
	}
	res.Header.Set("Location", l.proxyOrigin+rest)
}

type readCloser struct {
	io.Reader
	io.Closer
}

var errTooLarge = errors.New("decoded page larger than the injection limit")

func decode(enc string, raw []byte, max int) ([]byte, error) {
	var r io.Reader
	switch enc {
	case "", "identity":
		return raw, nil
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			return nil, fmt.Errorf("decoding gzip: %w", err)
		}
		r = zr
	case "deflate":
		// HTTP deflate is zlib-wrapped, but some servers send raw deflate.
		zr, err := zlib.NewReader(bytes.NewReader(raw))
		if err != nil {
			r = flate.NewReader(bytes.NewReader(raw))
		} else {
			r = zr
		}
	case "br":
		r = brotli.NewReader(bytes.NewReader(raw))
	default:
		return nil, fmt.Errorf("unknown content-encoding %q", enc)
	}
	// Bounded so a small compressed body cannot expand without limit.
	page, err := io.ReadAll(io.LimitReader(bufio.NewReader(r), int64(max)+1))
	if err != nil {
		return nil, fmt.Errorf("decoding %s: %w", enc, err)
	}
	if len(page) > max {
		return nil, errTooLarge
	}
	return page, nil
}

func monitorTag(place placement, js []byte, token string) []byte {
	var b bytes.Buffer
	b.WriteString(`<script data-brummer-monitor data-brummer-token="` + html.EscapeString(token) + `"`)
	if place.nonce != "" {
		b.WriteString(` nonce="` + html.EscapeString(place.nonce) + `"`)
	}
	if place.src {
		b.WriteString(` src="` + prefix + `monitor.js"></script>`)
		return b.Bytes()
	}
	b.WriteString(`>`)
	b.Write(js)
	b.WriteString(`</script>`)
	return b.Bytes()
}

// insertScript puts tag before </head> (after <meta charset>, which must stay
// in the first 1024 bytes), else at the start of <body>, else at the end.
func insertScript(page, tag []byte) []byte {
	at := indexFold(page, []byte("</head"))
	if at < 0 {
		if b := indexFold(page, []byte("<body")); b >= 0 {
			if end := bytes.IndexByte(page[b:], '>'); end >= 0 {
				at = b + end + 1
			}
		}
	}
	if at < 0 {
		at = len(page)
	}
	out := make([]byte, 0, len(page)+len(tag))
	out = append(out, page[:at]...)
	out = append(out, tag...)
	return append(out, page[at:]...)
}

// indexFold is bytes.Index ignoring ASCII case.
func indexFold(s, sep []byte) int {
	for i := 0; i+len(sep) <= len(s); {
		j := bytes.IndexByte(s[i:], sep[0])
		if j < 0 {
			return -1
		}
		i += j
		if i+len(sep) <= len(s) && bytes.EqualFold(s[i:i+len(sep)], sep) {
			return i
		}
		i++
	}
	return -1
}
