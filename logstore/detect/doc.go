// Package detect turns tool output into problems: one Parser per tool
// (tsc, eslint, vitest, jest, node and node --test's TAP and spec
// reporters, vite (with rolldown/oxc's boxed diagnostics)/esbuild/rollup/
// webpack, go, rustc, python, gcc/clang and their linkers (ld, lld)), the
// linters (parse_lint*.go: one-line shapes, rows grouped under a file,
// biome's and oxlint's drawings, the JVM compilers' caret blocks), a
// generic path:line:col fallback, and user matchers. A path without a
// column ("path:12 msg") is taken only when it is a file of the workspace.
// testdata/clean holds successful runs that must raise nothing.
// A Detector runs the parsers over one process's lines in order. Most lines
// are no tool's output, so it classifies each line once (gate.go) and skips
// the built-in parsers that are idle and cannot want it; skipping never
// changes what is detected (TestGateSkipsOnlyNoOps). Its look at every ':'
// also tells whether the line has a URL's "://" (Output.Scheme). A Detector
// that stats files itself (Env.Exists nil) resolves each printed path once,
// as long as it keeps the stat. Problems' columns
// count characters: the Detector converts each tool's unit (bytes, UTF-16,
// gcc's display columns) with the file's line (columns.go).
// Parsers that read multi-line blocks and implement Pender show a block's
// problem from its location line on (Detector.Pending), before the block
// ends; Pending never changes their state (TestGolden checks it on every
// golden case).
//
// Concurrency: a Detector and its parsers belong to one goroutine at a time;
// the caller serializes Feed, Pending and Flush.
package detect
