package detect

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Resolve turns a path printed by a tool into an absolute, cleaned path that
// lies inside the workspace and outside node_modules. It accepts file://
// URLs, absolute paths, and paths relative to the process's directory.
// It does not check that the file exists.
func (e *Env) Resolve(p string) (string, bool) {
	if e.resolved == nil || e.lineDirs {
		return e.resolve(p)
	}
	// A Detector that stats each file once also resolves each printed
	// path once: tools print the same files again and again.
	if r, hit := e.resolved[p]; hit {
		return r.abs, r.ok
	}
	abs, ok := e.resolve(p)
	if len(e.resolved) >= resolvedMax {
		clear(e.resolved)
	}
	// Copies: p and abs may be parts of a line, kept alive by a key.
	e.resolved[strings.Clone(p)] = resolvedPath{strings.Clone(abs), ok}
	return abs, ok
}

// resolvedMax bounds Env.resolved (and the Detector's stat cache).
const resolvedMax = 4096

// resolvedPath is a remembered result of Resolve.
type resolvedPath struct {
	abs string
	ok  bool
}

func (e *Env) resolve(p string) (string, bool) {
	p = strings.TrimSpace(p)
	if p == "" {
		return "", false
	}
	if strings.HasPrefix(p, "file://") {
		p = strings.TrimPrefix(p, "file://")
		if unescaped, ok := unescapePath(p); ok {
			p = unescaped
		}
	}
	if strings.HasPrefix(p, "node:") {
		return "", false
	}
	// Old Node versions print their own frames as "internal/modules/...";
	// a project's internal/ directory (Go's layout, common elsewhere) has
	// files that exist.
	nodeInternal := strings.HasPrefix(p, "internal/")
	if filepath.IsAbs(p) {
		p = filepath.Clean(p)
	} else {
		if e.Dir == "" {
			return "", false
		}
		rel := p
		p = filepath.Join(e.Dir, rel) // Join cleans the path
		// A script that changed directory runs its tools there: a path
		// that exists under one of those directories is theirs, even when
		// the same relative path also exists under Dir.
		for _, d := range e.AltDirs {
			if alt := filepath.Join(d, rel); e.InWorkspace(alt) && e.exists(alt) {
				p = alt
				break
			}
		}
	}
	if !e.InWorkspace(p) || nodeInternal && !e.exists(p) {
		return "", false
	}
	return p, true
}

// ResolveExisting is Resolve plus a check that the file exists.
func (e *Env) ResolveExisting(p string) (string, bool) {
	abs, ok := e.Resolve(p)
	if !ok || !e.exists(abs) {
		return "", false
	}
	return abs, true
}

// InWorkspace reports whether abs lies under one of the roots and not in a
// node_modules directory.
func (e *Env) InWorkspace(abs string) bool {
	if strings.Contains(abs, string(filepath.Separator)+"node_modules"+string(filepath.Separator)) {
		return false
	}
	for _, r := range e.Roots {
		if abs == r || strings.HasPrefix(abs, r) && len(abs) > len(r) && (abs[len(r)] == filepath.Separator || strings.HasSuffix(r, string(filepath.Separator))) {
			return true
		}
	}
	return false
}

func (e *Env) exists(abs string) bool {
	if e.Exists != nil {
		return e.Exists(abs)
	}
	st, err := os.Stat(abs)
	return err == nil && st.Mode().IsRegular()
}

// unescapePath decodes %XX sequences of a file URL path.
func unescapePath(s string) (string, bool) {
	if !strings.Contains(s, "%") {
		return s, true
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			h, ok1 := unhex(s[i+1])
			l, ok2 := unhex(s[i+2])
			if !ok1 || !ok2 {
				return "", false
			}
			b.WriteByte(h<<4 | l)
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String(), true
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// ScriptDirs lists the directories a script's command line changes into
// (`cd web && tsc`, `cd a; cd b && make`), absolute, in order: the tools
// it runs there print paths relative to them. So do the tools told to run
// in a directory: `make -C sub` (which says so, unless
// --no-print-directory), `go -C dir`, `npm --prefix dir`, `pnpm -C dir`,
// `yarn --cwd dir`.
func ScriptDirs(dir, command string) []string {
	var out []string
	cur := dir
	// at resolves a directory named in the command, from the shell's
	// current one.
	at := func(target string) (string, bool) {
		target = strings.Trim(target, `"'`)
		if target == "" || strings.ContainsAny(target, "$`~") {
			return "", false
		}
		if !filepath.IsAbs(target) {
			target = filepath.Join(cur, target)
		}
		return filepath.Clean(target), true
	}
	add := func(d string) {
		if d != dir && !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	// A quoted command that starts with cd (concurrently "cd a && tsc"
	// "cd b && tsc") is a shell of its own, starting from dir.
	const own = "\x01"
	command = strings.NewReplacer(`"cd `, "&"+own+"cd ", `'cd `, "&"+own+"cd ").Replace(command)
	for _, seg := range strings.FieldsFunc(command, func(r rune) bool { return r == '&' || r == ';' || r == '|' }) {
		if s, ok := strings.CutPrefix(seg, own); ok {
			seg, cur = s, dir
		}
		f := strings.Fields(seg)
		if len(f) == 2 && f[0] == "cd" {
			if d, ok := at(f[1]); ok {
				cur = d
				add(d)
			}
			continue
		}
		if len(f) < 2 {
			continue
		}
		flags := scriptDirFlags[filepath.Base(f[0])]
		for i := 1; i < len(f); i++ {
			for _, fl := range flags {
				target := ""
				switch {
				case f[i] == fl && i+1 < len(f):
					target = f[i+1]
				case strings.HasPrefix(fl, "--") && strings.HasPrefix(f[i], fl+"="):
					target = f[i][len(fl)+1:]
				case fl == "-C" && len(f[i]) > 2 && strings.HasPrefix(f[i], "-C"):
					target = f[i][2:]
				}
				if d, ok := at(target); ok {
					add(d)
				}
			}
		}
	}
	return out
}

// scriptDirFlags are the flags that make a command run in a directory.
var scriptDirFlags = map[string][]string{
	"make":  {"-C", "--directory"},
	"gmake": {"-C", "--directory"},
	"go":    {"-C"},
	"npm":   {"--prefix"},
	"pnpm":  {"-C", "--dir"},
	"yarn":  {"--cwd"},
}
