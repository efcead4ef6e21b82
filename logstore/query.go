package logstore

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// queryChunk is how many slots a query copies per read lock: filtering
// (substring, regexp) runs outside the lock, so a slow query over a large
// ring never holds Append up for more than one chunk's copy.
const queryChunk = 512

// Query returns the entries selected by q (see Query for the paging rule).
func (s *Store) Query(q Query) (Result, error) {
	if q.Limit < 0 {
		return Result{}, fmt.Errorf("%w: limit %d is negative; use 0 for the default (%d)", ErrInvalidQuery, q.Limit, DefaultLimit)
	}
	match, err := compileFilter(q)
	if err != nil {
		return Result{}, err
	}
	limit := q.Limit
	if limit == 0 {
		limit = DefaultLimit
	}
	s.mu.RLock()
	limit = min(limit, s.ring.max)
	s.mu.RUnlock()

	var res Result
	buf := make([]Entry, 0, min(limit, queryChunk))
	if q.Tail {
		before := ^uint64(0)
		for more := true; more && len(res.Entries) < limit; {
			budget := queryChunk
			if match == nil {
				budget = min(budget, limit-len(res.Entries))
			}
			s.mu.RLock()
			buf, before, more = s.ring.copyBefore(buf[:0], q.ProcessID, q.AfterSeq, before, budget)
			res.LastSeq, res.Dropped = s.ring.lastSeq, s.ring.dropped
			s.mu.RUnlock()
			settleLevels(buf)
			for i := len(buf) - 1; i >= 0 && len(res.Entries) < limit; i-- {
				if match == nil || match(&buf[i]) {
					res.Entries = append(res.Entries, buf[i])
				}
			}
		}
		slices.Reverse(res.Entries)
		return res, nil
	}
	after := q.AfterSeq
	for more := true; more && len(res.Entries) < limit; {
		budget := queryChunk
		if match == nil {
			// Unfiltered: copy no more than the page needs.
			budget = min(budget, limit-len(res.Entries))
		}
		s.mu.RLock()
		buf, after, more = s.ring.copyAfter(buf[:0], q.ProcessID, after, budget)
		res.LastSeq, res.Dropped = s.ring.lastSeq, s.ring.dropped
		s.mu.RUnlock()
		settleLevels(buf)
		for i := range buf {
			if len(res.Entries) == limit {
				break
			}
			if match == nil || match(&buf[i]) {
				res.Entries = append(res.Entries, buf[i])
			}
		}
	}
	return res, nil
}

// compileFilter turns the query's filters into one predicate (nil when it
// has none).
func compileFilter(q Query) (func(*Entry) bool, error) {
	var re *regexp.Regexp
	if q.Regexp != "" {
		var err error
		if re, err = regexp.Compile(q.Regexp); err != nil {
			return nil, fmt.Errorf("%w: regexp %q does not compile (%w); use Go (RE2) syntax", ErrInvalidQuery, q.Regexp, err)
		}
	}
	if !q.HasLevel && q.Text == "" && re == nil {
		return nil, nil
	}
	text := strings.ToLower(q.Text)
	ascii := isASCII(text)
	return func(e *Entry) bool {
		if q.HasLevel && e.Level < q.Level {
			return false
		}
		if text != "" {
			if ascii && !containsFoldASCII(e.Text, text) || !ascii && !strings.Contains(strings.ToLower(e.Text), text) {
				return false
			}
		}
		return re == nil || re.MatchString(e.Text)
	}, nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// containsFoldASCII reports whether s contains lower (an ASCII, lower-case
// needle) ignoring ASCII case, without allocating a lowered copy of s.
func containsFoldASCII(s, lower string) bool {
	n := len(lower)
	if n == 0 {
		return true
	}
	c0 := lower[0]
	c1 := c0
	if 'a' <= c0 && c0 <= 'z' {
		c1 = c0 - 'a' + 'A'
	}
	for i := 0; i+n <= len(s); i++ {
		if c := s[i]; c != c0 && c != c1 {
			continue
		}
		if equalFoldASCII(s[i:i+n], lower) {
			return true
		}
	}
	return false
}

func equalFoldASCII(s, lower string) bool {
	for i := 0; i < len(lower); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}
