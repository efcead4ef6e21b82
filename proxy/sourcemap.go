package proxy

import (
	"bytes"
	"container/list"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/go-sourcemap/sourcemap"
	"go.uber.org/zap"
)

// maxScriptBytes bounds a script read to find its sourceMappingURL; a
// larger one (a vendored bundle) is placed by its path alone.
const maxScriptBytes = 16 << 20

// mapFetchTimeout bounds fetching one script and its map from the target.
const mapFetchTimeout = 5 * time.Second

// mapCache keeps parsed source maps by script (path and query on the
// target), least recently used out first, bounded in count and in bytes of
// map text. Hot updates change a module's query (Vite's ?t=), so a new
// version is a new key; a full page load clears the cache.
type mapCache struct {
	maxN, maxBytes int

	mu    sync.Mutex
	bytes int
	order *list.List // of *mapEntry, most recently used first
	byKey map[string]*list.Element
}

type mapEntry struct {
	key  string
	sm   *sourcemap.Consumer // nil: the script has no usable map
	size int
}

func newMapCache(maxN, maxBytes int) *mapCache {
	return &mapCache{maxN: maxN, maxBytes: maxBytes, order: list.New(), byKey: map[string]*list.Element{}}
}

func (c *mapCache) get(key string) (*sourcemap.Consumer, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.byKey[key]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*mapEntry).sm, true
}

func (c *mapCache) put(key string, sm *sourcemap.Consumer, size int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byKey[key]; ok {
		c.bytes -= el.Value.(*mapEntry).size
		c.order.Remove(el)
	}
	c.byKey[key] = c.order.PushFront(&mapEntry{key: key, sm: sm, size: size})
	c.bytes += size
	for c.order.Len() > c.maxN || (c.bytes > c.maxBytes && c.order.Len() > 1) {
		last := c.order.Back()
		e := last.Value.(*mapEntry)
		c.order.Remove(last)
		delete(c.byKey, e.key)
		c.bytes -= e.size
	}
}

func (c *mapCache) clear() {
	c.mu.Lock()
	c.order.Init()
	clear(c.byKey)
	c.bytes = 0
	c.mu.Unlock()
}

func (c *mapCache) len() (n, bytes int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len(), c.bytes
}

// sourceMap returns the parsed map of the script at pathQuery on the
// target (nil when it has none), fetching it the way a browser does: the
// SourceMap header, else the last sourceMappingURL comment, inline data:
// maps included.
func (l *listener) sourceMap(ctx context.Context, pathQuery string) *sourcemap.Consumer {
	if sm, ok := l.maps.get(pathQuery); ok {
		return sm
	}
	sm, size, err := l.fetchMap(ctx, pathQuery)
	if err != nil {
		l.p.log.Debug("no source map", zap.String("script", pathQuery), zap.Error(err))
		if ctx.Err() != nil {
			return nil // not the script's fault: try again next time
		}
	}
	if sm != nil {
		l.p.sourceMaps.Add(1)
	}
	l.maps.put(pathQuery, sm, size+len(pathQuery))
	return sm
}

func (l *listener) fetchMap(ctx context.Context, pathQuery string) (*sourcemap.Consumer, int, error) {
	ctx, cancel := context.WithTimeout(ctx, mapFetchTimeout)
	defer cancel()
	scriptURL := l.target.String() + pathQuery
	hdr, script, err := l.fetch(ctx, scriptURL, maxScriptBytes)
	if err != nil {
		return nil, 0, err
	}
	ref := hdr.Get("SourceMap")
	if ref == "" {
		ref = hdr.Get("X-SourceMap")
	}
	if ref == "" {
		ref = mappingURL(script)
	}
	if ref == "" {
		return nil, 0, nil
	}
	var text []byte
	mapURL := scriptURL
	if strings.HasPrefix(ref, "data:") {
		text, err = decodeDataURL(ref)
	} else {
		var u *url.URL
		u, err = url.Parse(scriptURL)
		if err == nil {
			u, err = u.Parse(ref)
		}
		if err != nil {
			return nil, 0, fmt.Errorf("source map url %q of %s: %w", ref, scriptURL, err)
		}
		if u.Scheme != l.target.Scheme || u.Host != l.target.Host {
			// Only the dev server is asked: a map elsewhere is not ours.
			return nil, 0, nil
		}
		mapURL = u.String()
		_, text, err = l.fetch(ctx, mapURL, l.p.cfg.MaxSourceMapBytes)
	}
	if err != nil {
		return nil, 0, err
	}
	sm, err := sourcemap.Parse(mapURL, text)
	if err != nil {
		return nil, 0, fmt.Errorf("parsing the source map of %s: %w", scriptURL, err)
	}
	return sm, len(text), nil
}

// fetch GETs u from the target through the proxy's transport.
func (l *listener) fetch(ctx context.Context, u string, max int) (http.Header, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Accept", "*/*")
	res, err := l.p.transport.RoundTrip(req)
	if err != nil {
		return nil, nil, fmt.Errorf("fetching %s: %w", u, err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
		return nil, nil, fmt.Errorf("fetching %s: status %d", u, res.StatusCode)
	}
	b, err := io.ReadAll(io.LimitReader(res.Body, int64(max)+1))
	if err != nil {
		return nil, nil, fmt.Errorf("reading %s: %w", u, err)
	}
	if len(b) > max {
		return nil, nil, fmt.Errorf("%s is larger than %d bytes", u, max)
	}
	return res.Header, b, nil
}

// mappingURL finds the last "//# sourceMappingURL=" (or the older "//@",
// or a "/*# ... */" comment) of a script.
func mappingURL(script []byte) string {
	const key = "sourceMappingURL="
	end := len(script)
	for end > 0 {
		i := bytes.LastIndex(script[:end], []byte(key))
		if i < 4 {
			return ""
		}
		end = i
		if script[i-1] != ' ' || (script[i-2] != '#' && script[i-2] != '@') ||
			(script[i-3] != '/' && script[i-3] != '*') || script[i-4] != '/' {
			continue // the text inside a string or another comment
		}
		rest := script[i+len(key):]
		if j := bytes.IndexAny(rest, " \t\r\n"); j >= 0 {
			rest = rest[:j]
		}
		rest = bytes.TrimSuffix(rest, []byte("*/"))
		return string(rest)
	}
	return ""
}

// decodeDataURL reads an inline map: data:application/json;base64,... or
// percent-encoded text.
func decodeDataURL(ref string) ([]byte, error) {
	meta, data, ok := strings.Cut(strings.TrimPrefix(ref, "data:"), ",")
	if !ok {
		return nil, fmt.Errorf("inline source map without ','")
	}
	if strings.HasSuffix(meta, ";base64") {
		b, err := base64.StdEncoding.DecodeString(data)
		if err != nil {
			// Some tools omit the padding.
			b, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(data, "="))
		}
		if err != nil {
			return nil, fmt.Errorf("decoding an inline source map: %w", err)
		}
		return b, nil
	}
	s, err := url.PathUnescape(data)
	if err != nil {
		return nil, fmt.Errorf("decoding an inline source map: %w", err)
	}
	return []byte(s), nil
}
