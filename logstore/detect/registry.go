package detect

import "sort"

// A parser factory with its order: lower runs first. Tool parsers use
// 100..899; the generic path:line:col fallback runs last (900+).
type factory struct {
	order int
	new   func() Parser
}

var factories []factory

// register adds a built-in parser. Called from init functions of the parser
// files only.
func register(order int, newParser func() Parser) {
	factories = append(factories, factory{order, newParser})
	sort.SliceStable(factories, func(i, j int) bool { return factories[i].order < factories[j].order })
}

// BuiltinParsers returns a fresh set of every built-in parser, in order.
func BuiltinParsers() []Parser {
	ps := make([]Parser, 0, len(factories))
	for _, f := range factories {
		ps = append(ps, f.new())
	}
	return ps
}
