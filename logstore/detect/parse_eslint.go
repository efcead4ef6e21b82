package detect

import (
	"encoding/json"
	"regexp"
	"strings"
)

// ESLint's formatters:
//
//	stylish (default):
//	  /abs/src/a.js                      the file, alone on a line, absolute
//	    3:9   error    Expected '===' and instead saw '=='   eqeqeq
//	    2:16  error    Parsing error: Unexpected token )      (no rule)
//	  <blank>
//	  ✖ 5 problems (3 errors, 2 warnings)
//	compact: /abs/src/a.js: line 3, col 9, Error - Expected '==='. (eqeqeq)
//	unix:    /abs/src/a.js:3:9: Expected '==='. [Error/eqeqeq]
//	json:    [{"filePath":"/abs/src/a.js","messages":[{"ruleId":"eqeqeq",
//	         "severity":2,"message":"...","line":3,"column":9,...}],...}]
//	         on one line (severity 2 error, 1 warning; endColumn exclusive)
//
// Columns are 1-based. Stylish strips the message's final period; the rule
// id is the last column, separated by at least two spaces.

func init() { register(150, func() Parser { return &eslintParser{} }) }

var (
	eslintRowRe     = regexp.MustCompile(`^\s+(\d+):(\d+)\s+(error|warning)\s+(.*?)\s*$`)
	eslintRuleRe    = regexp.MustCompile(`^(.*?\S)\s{2,}(@?[A-Za-z0-9_-]+(?:/[A-Za-z0-9_-]+)*)$`)
	eslintCompactRe = regexp.MustCompile(`^(\S.*?): line (\d+), col (\d+), (Error|Warning) - (.*?)(?: \(([^()\s]+)\))?$`)
	eslintUnixRe    = regexp.MustCompile(`^(\S.*?):(\d+):(\d+): (.*) \[(Error|Warning)(?:/([^\]\s]+))?\]$`)
)

type eslintParser struct {
	file string // stylish: the file whose rows follow ("" none)
}

func (p *eslintParser) Name() string { return "eslint" }

func (p *eslintParser) Feed(line string, claimed bool, env *Env, out *Output) bool {
	if claimed {
		p.file = ""
		return false
	}
	if line == "" {
		p.file = ""
		return false
	}
	switch c := line[0]; {
	case c == '[':
		p.file = ""
		return p.json(line, env, out)
	case c == ' ':
		if p.file != "" {
			return p.row(line, out)
		}
		return false
	case c == '/':
		if p.compactOrUnix(line, env, out) {
			return true
		}
		// A stylish file header: an absolute path alone on the line (not
		// "path:line" as node prints above a crash).
		if _, _, _, loc := jsSplitLoc(line); loc || strings.Contains(line, ": ") || strings.HasSuffix(line, ":") {
			p.file = ""
			return false
		}
		if abs, ok := env.ResolveExisting(line); ok {
			p.file = abs
			return true
		}
		p.file = ""
		return false
	case strings.HasPrefix(line, "✖ ") && strings.Contains(line, " problem"):
		p.file = ""
		return true
	}
	p.file = ""
	// compact and unix print paths as given (absolute by default).
	if strings.HasSuffix(line, "]") || strings.HasSuffix(line, ")") || strings.Contains(line, ", col ") {
		return p.compactOrUnix(line, env, out)
	}
	return false
}

func (p *eslintParser) row(line string, out *Output) bool {
	m := eslintRowRe.FindStringSubmatch(line)
	if m == nil {
		p.file = ""
		return false
	}
	ln, _ := jsAtoi(m[1])
	col, _ := jsAtoi(m[2])
	msg, rule := m[4], ""
	if r := eslintRuleRe.FindStringSubmatch(msg); r != nil {
		msg, rule = r[1], r[2]
	}
	if ln > 0 { // 0:0 rows are file-level notices ("File ignored ...")
		p.emit(out, p.file, ln, col, m[3], msg, rule)
	}
	return true
}

func (p *eslintParser) compactOrUnix(line string, env *Env, out *Output) bool {
	var path, ln, col, sev, msg, rule string
	if strings.Contains(line, ", col ") {
		m := eslintCompactRe.FindStringSubmatch(line)
		if m == nil {
			return false
		}
		path, ln, col, sev, msg, rule = m[1], m[2], m[3], m[4], m[5], m[6]
	} else if strings.HasSuffix(line, "]") {
		m := eslintUnixRe.FindStringSubmatch(line)
		if m == nil {
			return false
		}
		path, ln, col, msg, sev, rule = m[1], m[2], m[3], m[4], m[5], m[6]
	} else {
		return false
	}
	abs, ok := env.ResolveExisting(path)
	if !ok {
		return false
	}
	l, _ := jsAtoi(ln)
	c, _ := jsAtoi(col)
	if l > 0 {
		p.emit(out, abs, l, c, strings.ToLower(sev), msg, rule)
	}
	return true
}

func (p *eslintParser) emit(out *Output, file string, ln, col int, sev, msg, rule string) {
	s := Error
	if sev == "warning" {
		s = Warning
	}
	out.Problems = append(out.Problems, Problem{Location: Location{File: file, Line: ln, Column: col},
		Severity: s, Message: msg, Source: "eslint", Code: rule})
	jsRaise(out, severityLevel(s))
}

func (p *eslintParser) Flush(env *Env, out *Output) { p.file = "" }

// eslintJSON is what the json formatter prints of each file.
type eslintJSON struct {
	FilePath string `json:"filePath"`
	Messages []struct {
		RuleID    string `json:"ruleId"`
		Severity  int    `json:"severity"`
		Message   string `json:"message"`
		Line      int    `json:"line"`
		Column    int    `json:"column"`
		EndLine   int    `json:"endLine"`
		EndColumn int    `json:"endColumn"`
	} `json:"messages"`
}

// json reads the json formatter's one line (a line cut at the store's
// maximum length does not parse and yields nothing).
func (p *eslintParser) json(line string, env *Env, out *Output) bool {
	if !strings.HasPrefix(line, `[{"filePath":`) {
		return false
	}
	var files []eslintJSON
	if json.Unmarshal([]byte(line), &files) != nil {
		return false
	}
	for _, f := range files {
		abs, ok := env.ResolveExisting(f.FilePath)
		if !ok {
			continue
		}
		for _, m := range f.Messages {
			sev := Warning
			if m.Severity >= 2 {
				sev = Error
			}
			out.Problems = append(out.Problems, Problem{
				Location: Location{File: abs, Line: max(m.Line, 1), Column: m.Column, EndLine: m.EndLine, EndColumn: m.EndColumn},
				Severity: sev, Message: m.Message, Source: "eslint", Code: m.RuleID,
			})
			if sev == Error {
				jsRaise(out, LevelError)
			} else {
				jsRaise(out, LevelWarn)
			}
		}
	}
	return true
}
