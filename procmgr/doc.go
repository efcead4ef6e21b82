// Package procmgr owns the lifecycle of script processes: starting them in
// their own process group, reading their output, and stopping whole process
// trees (SIGTERM, then SIGKILL after the grace period).
//
// Concurrency: status, pid, exit code and times are atomics; the process map
// is under one RWMutex. Output readers never wait on anything downstream: the
// Sink must not block. Status changes are published on the event bus outside
// every lock.
package procmgr
