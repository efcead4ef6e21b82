// Package agent is `brummer mcp`: the Model Context Protocol server through
// which coding agents see and drive the same processes, logs, problems and
// URLs as the editor. It owns the MCP tools and resources (built on
// github.com/modelcontextprotocol/go-sdk) and a small JSON-RPC client of the
// workspace socket that brummer lsp serves (see lsp.ServeConn); with no
// editor running, cmd/brummer serves that same protocol in-process over a
// pipe, so this package speaks to the core one way only.
// When the editor's brummer ends (a reloaded window), the next call
// connects to the one that replaced it, and the answer says the processes
// from before are gone.
//
// What the agent may do is what the editor may do: run, stop and restart
// scripts declared in the workspace's manifests (never a command line),
// in directories inside the workspace, and read what they print. Output is
// sized for a model's context: every list is capped and says what was left
// out and how to get it.
//
// Concurrency: one reader goroutine per connection to the core routes
// answers and notifications; notifications only update the snapshot and wake
// waiters (a changed channel closed and replaced), never call the core.
// Tool calls run on the MCP SDK's goroutines and may block on the core.
// Resource updates are throttled per URI by one timer each (time.AfterFunc),
// stopped by Close. Lock order: Server.connMu, Server.mu, throttle.mu; none
// is held while calling the core or the MCP session (connMu is held while
// dialing the core again, so that one call redials and the others wait).
package agent
