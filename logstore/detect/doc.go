// Package detect turns tool output into problems: one Parser per tool
// (tsc, eslint, vitest, jest, node, vite/esbuild/rollup/webpack, go, rustc,
// python, gcc/clang), a generic path:line:col fallback, and user matchers.
// A Detector runs the parsers over one process's lines in order.
//
// Concurrency: a Detector and its parsers belong to one goroutine at a time;
// the caller serializes Feed and Flush.
package detect
