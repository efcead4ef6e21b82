package core

import (
	"fmt"

	"github.com/brummer-dev/brummer/core/config"
	"github.com/brummer-dev/brummer/logstore/detect"
)

// userMatchers builds the parsers of [[problem_matchers]]. A matcher that
// cannot be built is left out with a warning: the others and the built-in
// parsers still work.
func userMatchers(ms []config.ProblemMatcher) ([]func() detect.Parser, []string) {
	var (
		out      []func() detect.Parser
		warnings []string
	)
	for i, m := range ms {
		var (
			f   func() detect.Parser
			err error
		)
		switch {
		case m.Regexp != "":
			name := m.Source
			if name == "" {
				name = "user"
			}
			f, err = detect.NewRegexpMatcher(detect.RegexpSpec{
				Name: name, Regexp: m.Regexp,
				File: m.File, Line: m.Line, Column: m.Column, EndLine: m.EndLine, EndColumn: m.EndColumn,
				Severity: m.Severity, Code: m.Code, Message: m.Message,
				Source: m.Source, DefaultSeverity: m.DefaultSeverity,
			})
		case len(m.Errorformat) > 0:
			source := m.Source
			if source == "" {
				source = "errorformat"
			}
			f, err = detect.NewErrorformatMatcher(source, m.Errorformat)
		case m.Name != "":
			f, err = detect.NamedMatcher(m.Name)
		default:
			err = fmt.Errorf(`set one of "name", "regexp" or "errorformat"`)
		}
		if err != nil {
			warnings = append(warnings, fmt.Sprintf("problem_matchers[%d]: %v (ignored)", i, err))
			continue
		}
		out = append(out, f)
	}
	return out, warnings
}
