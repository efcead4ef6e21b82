// Package procmgr owns the lifecycle of script processes: starting them in
// their own process group, reading their output, and stopping whole process
// trees (SIGTERM, then SIGKILL after the grace period).
//
// No process is left behind. On Unix, a program that calls MaybeSupervise
// first thing in main runs every script under a small supervisor: the same
// binary re-executed with a hidden argument. The supervisor is the script's
// parent and, on Linux, a child subreaper, so descendants that leave the
// process group (setsid, daemonizing tools) are reparented to it and stay
// within reach; it reaps everything it inherits (it has no other children,
// so waiting on any pid steals no one's exit status). It stops the tree when
// the manager asks, when the script exits leaving processes behind, and when
// its control pipe closes because Brummer died, even of SIGKILL (a pipe's
// EOF, unlike a parent-death signal, does not depend on which thread
// forked). Without MaybeSupervise, scripts are direct children in their own
// group and escapees are found through /proc while their parents live.
// On Windows the tree is what taskkill /T finds.
//
// Output: one reader goroutine per stream turns bytes into Lines (split on
// \n and \r\n, lone-\r rewrites folded to their last state, escapes and
// control characters removed, invalid UTF-8 replaced, lines cut at
// MaxLineBytes with TruncationMarker in bounded memory) and hands the lines
// of each read to the Sink as one batch. Readers wait on nothing but the
// read (and, when a program writes line by line at a high rate, a quarter
// of a millisecond between small reads so that a batch holds many lines):
// the Sink must not block. On Linux the read end of each pipe is read
// with poll(2), outside Go's netpoller, so that the child's writes wake
// no one while the reader gathers (see outputPipe); the child's end stays
// blocking.
//
// Concurrency: status, pid, exit code and times are atomics; the process
// map is under one RWMutex; each output pipe has a mutex that orders its
// Close against its Read. ProcessChanged is published on every status
// change, outside the map's lock; a process's events come from one
// goroutine at a time, in order. Every goroutine belongs to a
// process and ends with it; Close stops all processes and waits for them.
package procmgr
