package proxy

import (
	"net/http"
	"strings"
)

// placement says how the monitor may enter a page under its CSP.
type placement struct {
	inject bool
	nonce  string // put on the inline script
	src    bool   // load /__brummer/monitor.js instead of inlining
	reason string // why not, when !inject
}

// placeMonitor reads the enforced Content-Security-Policy headers (every one
// must allow the script; Report-Only policies block nothing). A <meta>
// policy inside the page is not read.
func placeMonitor(h http.Header) placement {
	var policies [][]string
	for _, v := range h.Values("Content-Security-Policy") {
		// One header may carry several policies separated by commas.
		for _, pol := range strings.Split(v, ",") {
			if src := scriptSources(pol); src != nil {
				policies = append(policies, src)
			}
		}
	}
	if len(policies) == 0 {
		return placement{inject: true}
	}
	nonce := ""
	for _, src := range policies {
		if n := findNonce(src); n != "" {
			nonce = n
			break
		}
	}
	inlineOK, selfOK := true, true
	for _, src := range policies {
		if !(nonce != "" && hasToken(src, "'nonce-"+nonce+"'")) && !allowsInline(src) {
			inlineOK = false
		}
		if !(nonce != "" && hasToken(src, "'nonce-"+nonce+"'")) && !allowsSelf(src) {
			selfOK = false
		}
	}
	switch {
	case inlineOK:
		return placement{inject: true, nonce: nonce}
	case selfOK:
		return placement{inject: true, src: true, nonce: nonce}
	}
	return placement{reason: "Content-Security-Policy allows neither inline scripts nor 'self'"}
}

// scriptSources returns the source list governing <script> elements in one
// policy, or nil when the policy does not restrict scripts.
func scriptSources(policy string) []string {
	dirs := map[string][]string{}
	for _, d := range strings.Split(policy, ";") {
		f := strings.Fields(d)
		if len(f) == 0 {
			continue
		}
		name := strings.ToLower(f[0])
		if _, dup := dirs[name]; !dup { // the first of a repeated directive wins
			dirs[name] = f[1:]
		}
	}
	for _, name := range []string{"script-src-elem", "script-src", "default-src"} {
		if src, ok := dirs[name]; ok {
			if src == nil {
				src = []string{}
			}
			return src
		}
	}
	return nil
}

func findNonce(src []string) string {
	for _, s := range src {
		if len(s) > len("'nonce-'") && strings.HasPrefix(strings.ToLower(s), "'nonce-") && strings.HasSuffix(s, "'") {
			return s[len("'nonce-") : len(s)-1]
		}
	}
	return ""
}

func hasToken(src []string, tok string) bool {
	for _, s := range src {
		if strings.EqualFold(s, tok) {
			return true
		}
	}
	return false
}

// allowsInline: 'unsafe-inline' counts only without nonces, hashes or
// 'strict-dynamic', which make browsers ignore it.
func allowsInline(src []string) bool {
	if !hasToken(src, "'unsafe-inline'") || hasToken(src, "'strict-dynamic'") {
		return false
	}
	for _, s := range src {
		l := strings.ToLower(s)
		if strings.HasPrefix(l, "'nonce-") || strings.HasPrefix(l, "'sha") {
			return false
		}
	}
	return true
}

// allowsSelf: 'strict-dynamic' makes browsers ignore 'self' and hosts.
func allowsSelf(src []string) bool {
	if hasToken(src, "'strict-dynamic'") {
		return false
	}
	return hasToken(src, "'self'") || hasToken(src, "*")
}
