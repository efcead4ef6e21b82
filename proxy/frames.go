package proxy

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"unicode/utf16"
)

// maxPlacedFrames bounds the workspace frames kept of one stack.
const maxPlacedFrames = 20

// mapFrames places a browser stack in the process's workspace, innermost
// first: each frame's script is stripped of the dev server's origin and
// query, mapped through its source map to the original source and position
// when it has one, and looked for under the process's directory. Frames of
// the dev server's client code, of node_modules and outside the workspace
// are left out.
func (l *listener) mapFrames(ctx context.Context, frames []jsFrame) []SourceFrame {
	if l.p.cfg.Workspace == nil {
		return nil
	}
	dir, roots := l.p.cfg.Workspace(l.processID)
	if dir == "" {
		return nil
	}
	var out []SourceFrame
	for _, f := range frames {
		if len(out) == maxPlacedFrames {
			break
		}
		if f.Line <= 0 {
			continue
		}
		pathQuery, p, ok := l.scriptPath(f.URL)
		if !ok || generatedOnly(p) {
			continue
		}
		src, line, col := p, f.Line, f.Col
		if sm := l.sourceMap(ctx, pathQuery); sm != nil {
			s, _, sl, sc, ok := sm.Source(f.Line, max(f.Col-1, 0))
			if !ok || s == "" {
				continue // code the tool added (an HMR preamble), no source line
			}
			src, line, col = s, sl, sc+1
		}
		file, ok := resolveSource(src, dir, roots)
		if !ok {
			continue
		}
		sf := SourceFrame{File: file, Line: line, Column: charColumn(file, line, col), Function: f.Fn}
		if n := len(out); n > 0 && out[n-1] == sf {
			continue
		}
		out = append(out, sf)
	}
	return out
}

// scriptPath reads a frame's URL: the path and query to ask the target
// for, and the path alone. Only scripts of this proxy (or of the target
// itself) count.
func (l *listener) scriptPath(raw string) (pathQuery, p string, ok bool) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return "", "", false
	}
	origin := u.Scheme + "://" + u.Host
	if origin != l.proxyOrigin && !(u.Scheme == l.target.Scheme && u.Host == l.target.Host) && !l.ownOrigin(origin) {
		return "", "", false
	}
	pathQuery = u.EscapedPath()
	if u.RawQuery != "" {
		pathQuery += "?" + u.RawQuery
	}
	return pathQuery, u.Path, true
}

// generatedOnly: scripts that are the dev tools' own or their bundles of
// dependencies (Vite's .vite/deps), never the user's.
func generatedOnly(p string) bool {
	return strings.HasPrefix(p, "/@vite/") || strings.HasPrefix(p, "/@react-refresh") ||
		strings.HasPrefix(p, "/@id/__") || strings.HasPrefix(p, prefix) || inNodeModules(p) ||
		strings.Contains(p, "/.vite/deps/")
}

func inNodeModules(p string) bool {
	return strings.Contains(p, "/node_modules/") || strings.HasPrefix(p, "node_modules/")
}

// resolveSource finds the workspace file a script or a map's source names:
// an http URL's path or a path under the process's directory
// (/src/App.tsx), Vite's /@fs/ABS, file:// URLs, webpack://project/./src/x;
// a path that is not found as is loses its leading directories one by one
// (a dev server's public or output directory). The file must exist inside
// a workspace root and outside node_modules.
func resolveSource(src, dir string, roots []string) (string, bool) {
	p := src
	if u, err := url.Parse(src); err == nil && u.Scheme != "" && len(u.Scheme) > 1 {
		switch u.Scheme {
		case "http", "https", "file":
			p = u.Path
		default:
			// webpack://project/./src/x: the first segment names the build.
			rest := strings.TrimPrefix(src, u.Scheme+"://")
			if _, after, ok := strings.Cut(rest, "/"); ok {
				rest = after
			}
			p, _, _ = strings.Cut(rest, "?")
		}
	} else {
		p, _, _ = strings.Cut(p, "?")
	}
	if after, ok := strings.CutPrefix(p, "/@fs/"); ok {
		p = "/" + after
	}
	if p == "" || inNodeModules(p) {
		return "", false
	}
	if filepath.IsAbs(p) {
		if f, ok := workspaceFile(filepath.Clean(p), roots); ok {
			return f, true
		}
	}
	rel := strings.TrimLeft(path.Clean("/"+p), "/")
	for range 8 {
		if rel == "" || rel == "." {
			break
		}
		for _, base := range []string{dir, filepath.Join(dir, "public")} {
			if f, ok := workspaceFile(filepath.Join(base, filepath.FromSlash(rel)), roots); ok {
				return f, true
			}
		}
		_, rest, ok := strings.Cut(rel, "/")
		if !ok {
			break
		}
		rel = rest
	}
	return "", false
}

// workspaceFile: abs is an existing regular file inside one of roots.
func workspaceFile(abs string, roots []string) (string, bool) {
	if inNodeModules(filepath.ToSlash(abs)) {
		return "", false
	}
	inside := false
	for _, r := range roots {
		if rel, err := filepath.Rel(r, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			inside = true
			break
		}
	}
	if !inside {
		return "", false
	}
	fi, err := os.Stat(abs)
	if err != nil || !fi.Mode().IsRegular() {
		return "", false
	}
	return abs, true
}

// maxColumnFile bounds the files read to convert a column.
const maxColumnFile = 8 << 20

// charColumn converts a browser's 1-based column, counted in UTF-16 units
// (V8 and source maps both count so), to characters on the file's line.
func charColumn(file string, line, col int) int {
	if col <= 1 {
		return col
	}
	fi, err := os.Stat(file)
	if err != nil || fi.Size() > maxColumnFile {
		return col
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return col
	}
	text := ""
	for n := 1; n <= line; n++ {
		i := bytes.IndexByte(b, '\n')
		if n == line {
			if i < 0 {
				i = len(b)
			}
			text = string(b[:i])
			break
		}
		if i < 0 {
			return col
		}
		b = b[i+1:]
	}
	units, chars := 0, 0
	for _, r := range text {
		if units >= col-1 {
			break
		}
		units += utf16.RuneLen(r)
		chars++
	}
	return chars + 1 + max(0, col-1-units)
}
