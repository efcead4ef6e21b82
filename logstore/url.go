package logstore

import (
	"net/url"
	"strings"

	"github.com/brummer-dev/brummer/logstore/detect"
)

// maxURLsPerProcess bounds the URLs remembered (and announced) per process.
const maxURLsPerProcess = 16

// localHosts are the hosts a dev server announces; the wildcard binds are
// shown as localhost because that is where a browser can reach them.
var localHosts = [...]struct{ printed, shown string }{
	{"localhost", "localhost"},
	{"127.0.0.1", "127.0.0.1"},
	{"0.0.0.0", "localhost"},
	{"[::1]", "[::1]"},
	{"[::]", "localhost"},
}

// findURLs appends to dst the local dev-server URLs in line, normalized:
// wildcard hosts shown as localhost, trailing punctuation removed, an empty
// path written as "/". Lines without "://" cost one vectorised search.
// ANSI escapes are removed first when present: Vite colours the port apart
// from the rest of the URL.
func findURLs(dst []string, line string) []string {
	if !strings.Contains(line, "://") {
		return dst
	}
	if strings.IndexByte(line, 0x1b) >= 0 {
		line = detect.StripANSI(line)
	}
	for {
		i := strings.Index(line, "://")
		if i < 0 {
			return dst
		}
		u, ok := parseLocalURL(line, i)
		if ok {
			dst = append(dst, u)
		}
		line = line[i+3:]
	}
}

// parseLocalURL reads the URL whose "://" is at sep.
func parseLocalURL(line string, sep int) (string, bool) {
	var scheme string
	switch {
	case strings.HasSuffix(line[:sep], "https"):
		scheme = "https"
	case strings.HasSuffix(line[:sep], "http"):
		scheme = "http"
	default:
		return "", false
	}
	// The scheme must start a word: "xhttp://" is not ours.
	if b := sep - len(scheme); b > 0 && isIdentByte(line[b-1]) {
		return "", false
	}
	rest := line[sep+3:]
	host := ""
	for _, h := range localHosts {
		if strings.HasPrefix(rest, h.printed) {
			host, rest = h.shown, rest[len(h.printed):]
			break
		}
	}
	if host == "" {
		return "", false
	}
	n := 0
	for n < len(rest) && isURLChar(rest[n]) {
		n++
	}
	rest = rest[:n]
	port := ""
	if len(rest) > 0 && rest[0] == ':' {
		d := 1
		for d < len(rest) && rest[d] >= '0' && rest[d] <= '9' {
			d++
		}
		if d == 1 || d > 6 {
			return "", false // "localhost:" without a port, or not a port
		}
		port, rest = rest[:d], rest[d:]
	}
	path := strings.TrimRight(rest, ".,);'\"")
	switch {
	case path == "":
		path = "/"
	case path[0] != '/':
		return "", false // "localhost.example.com", "localhostx", "localhost:80x"
	}
	u := scheme + "://" + host + port + path
	// Whoever opens or proxies the URL parses it; one that does not parse
	// (a bad %-escape) is noise, not a server.
	if _, err := url.Parse(u); err != nil {
		return "", false
	}
	return u, true
}

// isURLChar reports the bytes that continue a URL: anything printable but
// spaces, quotes that commonly wrap URLs and angle brackets.
func isURLChar(c byte) bool {
	return c > ' ' && c != 0x7f && c != '"' && c != '<' && c != '>' && c != '`'
}

// urlOrigin is scheme://host[:port] of a URL made by findURLs.
func urlOrigin(u string) string {
	i := strings.Index(u, "://")
	if j := strings.IndexByte(u[i+3:], '/'); j >= 0 {
		return u[:i+3+j]
	}
	return u
}
