// Package proxy puts a loopback reverse proxy in front of each dev server URL a
// script prints, so the editor can offer a URL whose traffic Brummer sees.
//
// It owns, per target origin, one listener on the configured loopback address
// and the http.Server behind it; the bounded request log; and the browser
// monitor: a small script injected into HTML pages that reports uncaught
// errors, unhandled rejections and console.error/console.warn back to the
// proxy, which hands them to the onBrowser callback as readable text.
//
// Concurrency: every exported method is safe for concurrent use. One mutex
// (Proxy.mu) guards the listener table; the request ring has its own mutex;
// counters are atomics. No lock is held while publishing ProxyReady, calling
// onBrowser, or shutting a server down. Every goroutine the package starts
// (one Serve loop per listener, plus net/http's per-connection goroutines) is
// stopped by CloseProcess or Close. Close drains ordinary requests, but cuts
// at once the exchanges that never end on their own and that
// http.Server.Shutdown would wait on: hijacked (WebSocket) connections and
// text/event-stream responses (both carry hot reload). It waits for in-flight
// handlers until its context ends.
//
// Injection reads bodies coded gzip, deflate or br (andybalholm/brotli) and
// sends the page uncoded; the target is asked only for those codings. CSP is
// read from response headers, not from <meta http-equiv> in the page.
package proxy
