package logstore

import (
	"slices"

	"github.com/brummer-dev/brummer/eventbus"
	"github.com/brummer-dev/brummer/logstore/detect"
)

// maxBrowserProblems bounds the problems a process's pages keep between
// two page loads (a render loop reports the same few again and again).
const maxBrowserProblems = 200

// AddBrowser records problems a page served by the process reported (source
// "browser"), already placed in the workspace. newCycle first drops those
// reported before: a page loaded again or took a hot update, so fixed errors
// go away. They are part of the process's problem set until then, or until
// the script starts again or its logs are cleared; a watch tool's new cycle
// of output leaves them. Problems already in the set are not added twice.
func (s *Store) AddBrowser(processID string, newCycle bool, problems []detect.Problem) {
	p := s.procFor(processID)
	p.mu.Lock()
	changed := false
	if newCycle && len(p.browser) > 0 {
		clear(p.browser)
		p.browser = p.browser[:0]
		changed = true
	}
	for _, pr := range problems {
		if len(p.browser) >= maxBrowserProblems || slices.ContainsFunc(p.browser, func(q detect.Problem) bool {
			return q.Key() == pr.Key() && slices.Equal(q.Related, pr.Related)
		}) {
			continue
		}
		pr.Related = slices.Clone(pr.Related)
		p.browser = append(p.browser, pr)
		changed = true
	}
	if changed {
		p.queueLocked([]eventbus.Event{p.problemsEventLocked()})
	}
	p.mu.Unlock()
	p.drain()
}
