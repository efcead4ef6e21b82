// Package core is the application: it loads configuration, discovers the
// workspace's manifests and their scripts and package managers, wires the
// event bus, process manager and log store together, watches manifests,
// lockfiles and .brummer.toml with fsnotify, and starts and stops everything
// in order.
//
// Concurrency: App methods are safe for concurrent use. The manifest cache is
// under its own mutex; process state lives in procmgr and log state in
// logstore. Nothing is published or called back while a core lock is held.
package core
