// Package browsertest is what the browser tests of the proxy and of the
// language server share: the dev-server fixtures under proxy/testdata
// (copied to a temporary directory, their node_modules linked), the
// locations their sources mark with "// @at NAME TOKEN" comments, and a
// headless Chromium driven over the DevTools protocol.
//
// The fixtures need `npm ci` in their directories and Chromium at
// /usr/bin/chromium (or $BRUMMER_CHROMIUM); without them a test is skipped,
// except under CI=true, where it fails: CI must run them.
//
// Concurrency: each function serves one test; nothing is shared between
// tests but the read-only fixture directories.
package browsertest
