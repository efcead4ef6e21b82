// Package core is the application: it discovers the workspace's manifests
// (the root package.json, the workspace packages it declares through
// "workspaces" or pnpm-workspace.yaml, never inside node_modules), their
// scripts with the exact range of each script's key, and each package's
// package manager; it wires the event bus, process manager, log store and
// proxy together (each URL a process prints gets a loopback proxy, closed
// when the process ends; the page monitor's reports become log lines of
// stream browser), runs only scripts declared in a manifest, watches manifests,
// lockfiles and .brummer.toml with fsnotify, and starts and stops
// everything in order.
//
// Package manager of a package: its packageManager field (else the
// workspace root's, as corepack does), then the nearest lockfile from the
// package up to the workspace root, then the configured package_manager,
// then npm. When one directory has several lockfiles the winner is the one
// named by packageManager, else pnpm > yarn > bun > npm, and a warning says
// so.
//
// Concurrency: App methods are safe for concurrent use. The manifest cache
// (wsMu), the configuration (cfgMu) and core's per-process records (procMu)
// each have their own mutex; process state lives in procmgr and log state in
// logstore. Nothing is published or called back while a core lock is held.
// Goroutines: one per started process (waiting for its end to write the exit
// line and flush its problems) and the watcher's; Close stops them all.
package core
