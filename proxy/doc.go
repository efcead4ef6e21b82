// Package proxy puts a loopback reverse proxy in front of each dev server URL a
// script prints, so the editor can offer a URL whose traffic Brummer sees.
//
// It owns, per target origin, one listener on the configured loopback address
// and the http.Server behind it; the bounded request log; and the browser
// monitor: a small script injected into HTML pages that reports uncaught
// errors, unhandled rejections, console.error/console.warn and failed
// requests (status >= 500 or no answer), each with its stack as frames,
// and every page load.
//
// Telemetry: the monitor posts to /__brummer/telemetry with the proxy's
// random token (put on the injected tag), from the proxy's own origin; a
// listener takes a bounded number of reports per second. Anything else is
// refused (403, 413, 429) and nothing of a report is echoed. Each report is
// handed to onBrowser as console text, and, when a frame of its stack lies
// in the process's workspace, as a BrowserProblem at its innermost such
// frame: frame URLs lose the dev server's origin and query, go through the
// script's source map (SourceMap header or sourceMappingURL comment, inline
// data: maps too, fetched from the target and parsed by go-sourcemap, kept
// per listener in a cache bounded in count and bytes and cleared by a page
// load) or else resolve by path under the process's directory; node_modules,
// the dev server's client code and files outside the workspace never place
// a problem. A page load, and a request for a hot-updated module (Vite's
// ?t=, webpack's .hot-update.), are a new cycle (BrowserEvent.NewCycle).
//
// Concurrency: every exported method is safe for concurrent use. One mutex
// (Proxy.mu) guards the listener table; the request ring has its own mutex;
// counters are atomics; a listener's reports are handled one at a time, in
// the order they came (listener.reportMu), so a page load's new cycle never
// overtakes the errors before it. No lock is held while publishing
// ProxyReady, calling onBrowser, or shutting a server down. Every goroutine
// the package starts (one Serve loop per listener, plus net/http's
// per-connection goroutines) is stopped by CloseProcess or Close. Close
// drains ordinary requests, but cuts at once the exchanges that never end on
// their own and that http.Server.Shutdown would wait on: hijacked
// (WebSocket) connections and text/event-stream responses (both carry hot
// reload). It waits for in-flight handlers until its context ends. A
// proxied request costs a few allocations more than in a bare
// httputil.ReverseProxy, and no lock but the request log's: the proxy is
// held to that proxy's speed (BenchmarkProxyJSON).
//
// Injection reads bodies coded gzip, deflate or br (andybalholm/brotli) and
// sends the page uncoded; the target is asked only for those codings. CSP is
// read from response headers, not from <meta http-equiv> in the page.
package proxy
