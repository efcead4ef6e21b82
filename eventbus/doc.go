// Package eventbus is Brummer's typed publish/subscribe core.
//
// It owns a bounded worker pool that drains three priority queues (high
// first). Subscriptions are copy-on-write behind an atomic pointer, so
// Publish takes no lock on the hot path. Events with the same key are
// handled in publish order; different keys run in parallel. When a queue is
// full the topic's policy decides: block, drop the oldest, or drop the newest;
// every drop is counted. A handler that panics is recovered and counted and
// the worker carries on. Close is idempotent and leaves no goroutine behind.
//
// This package imports nothing else of Brummer's.
package eventbus
