// Package lsp is the language server behind `brummer lsp`: JSON-RPC over
// stdio (go.lsp.dev/jsonrpc2), the methods of shared/PROTOCOL.md (lenses,
// hover, commands, brummer/* requests and notifications), diagnostics built
// from the problems core detects, and the bounded outbox every
// server-to-client notification goes through.
//
// Files by feature: server.go (Serve, the App interface, the codec),
// handler.go (the handler chain and the method table), lifecycle.go
// (initialize, shutdown, exit, the editor's processId), textsync.go,
// codelens.go, hover.go, commands.go, requests.go (brummer/*), events.go
// (event bus subscriptions), diagnostics.go, configuration.go, outbox.go,
// stream.go (framing and malformed input), health.go, unimplemented.go,
// socket.go (the workspace socket: the same protocol for a second client,
// `brummer mcp`, each connection a session of its own over the editor's app).
//
// Concurrency: the handler chain is built once. Notifications run on the
// connection's read loop, in wire order (they only touch server state and
// the outbox, never wait on the client). initialize and shutdown run there
// too, so nothing overtakes them; every other call is released to its own
// goroutine (jsonrpc2.Async), so a command waiting for a process tree never
// holds the read loop. Notifications to the client have one writer
// goroutine draining the outbox; requests to the client (codeLens/refresh,
// showDocument) are made from their own goroutines, never from the read
// loop. Responses are written by jsonrpc2 from the handler goroutines, not
// through the outbox, so they never wait behind queued notifications (a
// client that stops reading blocks both, but neither the read loop, the
// core nor the scripts). Event bus handlers only update server state and
// enqueue: a stalled client costs the outbox's fixed bound, nothing else.
// Every goroutine is owned: the writer by the outbox, the parent watch, the
// health sampler and showDocument calls by the Server; Serve returns once
// they are gone.
// The workspace socket's accept loop and sessions belong to its
// socketServer, closed at shutdown with the bus subscriptions, before the
// app; a session's requests go through the same handler chain.
//
// Lock order, outermost first: core (never called with an lsp lock held),
// Server.mu, diagnostics.mu, outbox.mu; health.mu and diagnostics.textMu
// are leaves. No lsp lock is held while calling the App, publishing, or
// writing to the client.
package lsp
