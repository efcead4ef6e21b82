// Package eventbus is Brummer's typed publish/subscribe core.
//
// It owns a bounded pool of workers (Config.Workers) and their queues.
// Every worker drains one shard made of three bounded queues, high, medium
// and low; an event goes to the shard its Key hashes to. Subscriptions are
// copy-on-write behind an atomic pointer, so Publish takes no lock but the
// tiny mutex of one shard, allocates nothing, and never waits unless its
// topic's policy is Block and the queue is full. This package imports
// nothing else of Brummer's.
//
// # Order
//
// One worker handles all the events of a key, one at a time, so for two
// events A and B with the same Key and the same Priority, if Publish(A)
// returned before Publish(B) was called and neither was dropped, every
// handler of A returns before any handler of B starts (whatever their
// topics). The empty key is a key like any other. A worker takes the
// highest non-empty priority first, in batches of up to 32 events: across
// priorities there is no order, and a High event may overtake earlier
// Medium or Low events of its key (that is what priorities are for), or
// wait behind at most one batch already taken. Events of different keys,
// and concurrent Publish calls, have no order; keys on different shards are
// handled in parallel. The handlers of one event run in subscription order.
// A handler that blocks holds up its shard and so every key hashed to it.
// A handler may publish, but not to a Block topic: if its own shard's queue
// is full, its worker would wait for itself.
//
// # Backpressure
//
// When the queue an event goes to (its shard, its priority) is full, the
// policy of its topic decides (Config.TopicPolicies, else Config.Policy):
//   - DropNewest: the new event is dropped;
//   - DropOldest: the oldest queued event of a topic that is not Block is
//     evicted to make room; if every queued event is Block, the new one is
//     dropped. Block topics therefore never lose events to their neighbours;
//   - Block: Publish waits for room, or returns ErrClosed when Close begins.
//
// Drops return nil from Publish and are counted in Metrics.Dropped under the
// publishing topic's policy. Config.QueueSizes are totals divided evenly
// between the shards.
//
// # Panics
//
// A handler that panics is recovered, counted (Metrics.Panics) and logged
// with its stack; the worker carries on with the other handlers of the
// event and with the next events.
//
// # Close
//
// Close(ctx) makes every later Publish return ErrClosed, and so do Block
// publishers that were waiting. The workers then drain what is queued until
// the queues are empty, CloseTimeout has passed or ctx is done, whichever
// comes first; after a timeout they discard what is left (counted as
// Dropped["close"], and Close returns an error saying how many). A running
// handler cannot be interrupted: Close returns once every worker has
// finished its current handler and exited, so no goroutine of the bus
// outlives Close (a handler that never returns makes Close wait). After
// Close, Published == Delivered + Unrouted + the sum of Dropped. Close is
// idempotent; Subscribe and Metrics keep working after it.
package eventbus
