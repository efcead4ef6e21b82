// Package logstore keeps the output of every process in one bounded ring
// (max entries and max bytes) with a global sequence number and a
// per-process index, runs problem detection (package detect) and URL
// detection on each appended batch, and publishes ProblemsChanged,
// URLDetected, CycleStarted and LinesAppended on the event bus.
//
// Detection: each process has its own detect.Detector. A problem is
// published as soon as the line naming its location was read: after each
// batch the detector's blocks in progress (detect.Pender) are part of the
// process's set, and the lines that follow (code frames, carets, stack
// frames, related locations) amend them and publish the set again; when a
// block ends, its final problem takes the pending one's place. A watch
// tool's cycle start empties the process's problem set (CycleStarted, then
// ProblemsChanged); a multi-line block still open when output goes quiet
// for Config.QuietFlush is ended by a per-process timer, and End ends it at
// once. A line's level is the detector's, raised by plain words such as
// "error" or "WARN": the ring keeps the detector's, and the words are read
// when the line is (Range, Query), outside the lock. URLs of local dev
// servers are looked for in the lines with a "://" (detect.Output.Scheme)
// and announced once per process and origin.
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
