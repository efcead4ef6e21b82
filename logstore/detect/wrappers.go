package detect

import (
	"encoding/json"
	"path/filepath"
	"strings"
)

// Monorepo runners wrap the output of the tools they run in each package,
// whose paths are relative to that package's directory:
//
//	pnpm -r run build      "packages/a build: src/x.ts(1,7): error TS2322: ..."
//	turbo run build        "a:build: src/x.ts(1,7): error TS2322: ..."
//	concurrently           "[0] src/x.ts(1,7): error TS2322: ..."
//	npm run build -ws      "> a@1.0.0 build" header, then the package's output
//
// The Detector strips the prefix before the parsers see a line and lets
// relative paths resolve in the package's directory first (Env.AltDirs).
// A package is known by its directory (pnpm prints it relative to where it
// runs) or by its name (turbo, npm), from the package.json files under the
// process's directory.
type wrappers struct {
	names   map[string]string // package name -> dir; nil until needed
	sticky  string            // dir of the package npm's last header named
	isPkg   map[string]bool   // pnpm's dir tokens already checked
	scanned bool
	// pnpm and turbo prefixes are looked for once the runner's banner
	// was seen ("Scope: 2 of 3 workspace projects", "• Packages in
	// scope: a, b"): most lines would pay for the search otherwise.
	pnpm, turbo bool
	dirs        []string // reused for Env.AltDirs with the package's dir first
}

// unwrap returns the line without a runner's prefix and the package
// directory its paths are relative to ("" when unknown).
func (d *Detector) unwrap(line string) (string, string) {
	w := &d.wrap
	if line == "" {
		return line, w.sticky
	}
	switch c := line[0]; {
	case c == '[':
		// concurrently's "[0] " (its default: the command's index).
		// Its index has one or two digits: the ']' is within four bytes.
		j := 2
		if len(line) > 3 && line[2] != ']' {
			j = 3
		}
		if len(line) > j+1 && line[j] == ']' && line[j+1] == ' ' && allDigits(line[1:j]) {
			return line[j+2:], ""
		}
	case c == '>':
		// npm's "> name@version script" before a package's output.
		if rest, ok := strings.CutPrefix(line, "> "); ok {
			if at := strings.LastIndexByte(rest, '@'); at > 0 && !strings.ContainsAny(rest[:at], " \t") {
				w.sticky = d.packageDir(rest[:at])
			}
		}
		return line, w.sticky
	case !w.pnpm && !w.turbo:
		if c == 'S' && strings.HasPrefix(line, "Scope: ") && strings.Contains(line, " workspace project") {
			w.pnpm = true
			break
		}
		t := line
		for i := 0; i < 4 && len(t) > 0 && t[0] == ' '; i++ {
			t = t[1:]
		}
		if len(t) > 0 && t[0] == 0xe2 && strings.HasPrefix(t, "• Packages in scope: ") {
			w.turbo = true
		}
	case c != ' ' && c != '\t':
		sp := strings.IndexByte(line, ' ')
		if sp <= 0 {
			break
		}
		head := line[:sp]
		// turbo: "name:task: ".
		if w.turbo && strings.HasSuffix(head, ":") {
			if k := strings.IndexByte(head, ':'); k > 0 && k < len(head)-1 {
				if dir := d.packageDir(head[:k]); dir != "" {
					return line[sp+1:], dir
				}
			}
			break
		}
		// pnpm: "dir script: " (and "dir script$ command" echoes).
		if !w.pnpm {
			break
		}
		rest := line[sp+1:]
		sp2 := strings.IndexByte(rest, ' ')
		if sp2 < 2 || (rest[sp2-1] != ':' && rest[sp2-1] != '$') || !wrapToken(head, "._-@/") || !wrapToken(rest[:sp2-1], "._-:") {
			break
		}
		if dir := d.pnpmDir(head); dir != "" {
			return rest[sp2+1:], dir
		}
	}
	return line, w.sticky
}

// wrapToken reports whether s is made of letters, digits and extra: a
// package directory or a script name, not a path with a position or a
// bracketed tag.
func wrapToken(s, extra string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte(extra, c) >= 0) {
			return false
		}
	}
	return s != ""
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// pnpmDir returns the directory of a package pnpm names relative to the
// process's directory, if it holds a package.json.
func (d *Detector) pnpmDir(rel string) string {
	w := &d.wrap
	if w.isPkg == nil {
		w.isPkg = map[string]bool{}
	}
	dir := filepath.Join(d.env.Dir, rel)
	ok, seen := w.isPkg[rel]
	if !seen {
		if len(w.isPkg) > 1024 {
			clear(w.isPkg)
		}
		ok = d.env.InWorkspace(dir) && d.env.exists(filepath.Join(dir, "package.json"))
		w.isPkg[rel] = ok
	}
	if !ok {
		return ""
	}
	return dir
}

// packageDir returns the directory of the workspace package named name, ""
// for the process's own package or an unknown name.
func (d *Detector) packageDir(name string) string {
	w := &d.wrap
	if !w.scanned {
		w.scanned = true
		w.names = map[string]string{}
		for _, dir := range natFindManifestDirs(d.env.Dir, "package.json") {
			data, err := d.env.readFile(filepath.Join(dir, "package.json"))
			if err != nil {
				continue
			}
			var m struct{ Name string }
			if json.Unmarshal(data, &m) == nil && m.Name != "" && dir != d.env.Dir {
				if _, dup := w.names[m.Name]; !dup {
					w.names[m.Name] = dir
				}
			}
		}
	}
	return w.names[name]
}

// readFile reads a small file through Env.ReadFile when set.
func (e *Env) readFile(abs string) ([]byte, error) {
	if e.ReadFile != nil {
		return e.ReadFile(abs)
	}
	return readSmallFile(abs)
}
