package eventbus

import "time"

// Topic names a kind of event. Publishers define their topics as constants.
type Topic string

// Priority orders the three queues: High is drained before Medium, Medium before Low.
type Priority uint8

const (
	High Priority = iota
	Medium
	Low
	numPriorities
)

func (p Priority) String() string {
	switch p {
	case High:
		return "high"
	case Medium:
		return "medium"
	case Low:
		return "low"
	}
	return "unknown"
}

// Event is one published value. Key (usually a process id) decides ordering:
// events with the same key are handled in publish order.
type Event struct {
	Topic    Topic
	Key      string
	Priority Priority
	Payload  any
}

// Handler receives events of the topics it subscribed to. It runs on a
// worker of the bus and must not block for long.
type Handler func(Event)

// Policy says what Publish does when the queue an event goes to is full.
type Policy uint8

const (
	// DropOldest discards the oldest queued event to make room (default).
	DropOldest Policy = iota
	// DropNewest discards the event being published.
	DropNewest
	// Block waits for room (or for the bus to close).
	Block
	numPolicies
)

// String is the policy's name in the configuration ("backpressure_strategy")
// and in Metrics.Dropped.
func (p Policy) String() string {
	switch p {
	case DropOldest:
		return "drop_oldest"
	case DropNewest:
		return "drop_newest"
	case Block:
		return "block"
	}
	return "unknown"
}

// Publisher is what producers of events need; packages depend on this
// interface rather than on *Bus so they can be tested alone.
type Publisher interface {
	Publish(Event) error
}

// Config sizes the bus. Zero values take the defaults.
type Config struct {
	// Workers is the size of the worker pool; 0 means clamp(NumCPU*2.5, 4, 32).
	Workers int
	// QueueSizes are the capacities of the high, medium and low queues
	// (defaults 100, 500, 1000). Each is the total over the workers' shards:
	// every shard gets ceil(size/Workers), at least 1.
	QueueSizes [3]int
	// Policy is the default backpressure policy for every topic.
	Policy Policy
	// TopicPolicies overrides Policy per topic.
	TopicPolicies map[Topic]Policy
	// CloseTimeout bounds how long Close drains queued events (default 5s);
	// the deadline of Close's context bounds it too.
	CloseTimeout time.Duration
}
