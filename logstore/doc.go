// Package logstore keeps the output of every process in one bounded ring
// (max entries and max bytes) with a global sequence number and a
// per-process index, runs problem detection (package detect) and URL
// detection on each appended batch, and publishes ProblemsChanged,
// URLDetected, CycleStarted and LinesAppended on the event bus.
//
// Concurrency: one write path (Append) under the store's mutex; queries take
// the read lock and copy out. Events are published after the lock is
// released. Quiet-time flushes run on timers owned by the store and stopped
// by Close.
package logstore
