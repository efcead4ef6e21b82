// Package logstore keeps the output of every process in one bounded ring
// (max entries and max bytes) with a global sequence number and a
// per-process index, runs problem detection (package detect) and URL
// detection on each appended batch, and publishes ProblemsChanged,
// URLDetected, CycleStarted and LinesAppended on the event bus.
//
// Detection: each process has its own detect.Detector. A watch tool's cycle
// start empties the process's problem set (CycleStarted, then
// ProblemsChanged); a multi-line block still open when output goes quiet
// for Config.QuietFlush is flushed by a per-process timer, and End flushes
// at once. A line's level is the detector's, raised by plain words such as
// "error" or "WARN". URLs of local dev servers are announced once per
// process and origin.
//
// Concurrency: Append is the one write path. Lines of one process are
// detected under that process's mutex (stdout and stderr readers, and the
// quiet timer, take turns); the ring is written under the store's write
// lock, held only to copy the batch in. Queries copy bounded chunks out
// under the read lock and filter outside it. Events are queued in the order
// they were derived and published after every lock is released, by
// whichever caller finds the process's outbox idle; Publish must not block
// (see Policies). Close stops the timers.
package logstore
