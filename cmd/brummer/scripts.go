package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"text/tabwriter"

	"github.com/brummer-dev/brummer/core"
	"github.com/brummer-dev/brummer/core/config"
)

const scriptsUsage = `Usage: brummer scripts [--dir DIR] [--json]

Lists every script of the workspace at DIR (default "."): the root
package.json and the workspace packages it declares, with each package's
directory and package manager. A manifest that cannot be read is reported
on stderr (file:line:col) and the exit code is 1; the others are listed.

Flags:
`

// scriptsCmd implements `brummer scripts`.
func scriptsCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("scripts", flag.ContinueOnError)
	dir := fs.String("dir", ".", "workspace root `DIR`")
	asJSON := fs.Bool("json", false, `print a JSON array of {"name", "command", "dir", "packageManager"}`)
	if code, ok := parseFlags(fs, args, scriptsUsage, stdout, stderr); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "brummer scripts: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	root, cfg, ok := loadWorkspaceConfig("scripts", *dir, stderr)
	if !ok {
		return 1
	}
	ws := core.Discover([]string{root}, cfg.PackageManager, nil)
	for _, w := range ws.Warnings {
		fmt.Fprintf(stderr, "brummer scripts: warning: %s\n", w)
	}
	code := 0
	if len(ws.Manifests) == 0 {
		fmt.Fprintf(stderr, "brummer scripts: no package.json in %s\n", root)
		code = 1
	}
	for _, m := range ws.Manifests {
		if m.Err != nil {
			fmt.Fprintf(stderr, "brummer scripts: %v\n", m.Err)
			code = 1
		}
	}
	scripts := ws.Scripts()
	if *asJSON {
		if scripts == nil {
			scripts = []core.Script{}
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false) // commands hold && and > as written
		if err := enc.Encode(scripts); err != nil {
			fmt.Fprintf(stderr, "brummer scripts: %v\n", err)
			return 1
		}
		return code
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SCRIPT\tPACKAGE\tMANAGER\tCOMMAND")
	for _, s := range scripts {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", s.Name, relDir(root, s.Dir), s.PackageManager, s.Command)
	}
	_ = tw.Flush()
	return code
}

// parseFlags parses args; ok is false when the command should return code
// at once (--help: 0, a bad flag: 2).
func parseFlags(fs *flag.FlagSet, args []string, usage string, stdout, stderr io.Writer) (code int, ok bool) {
	fs.SetOutput(io.Discard)
	printUsage := func(w io.Writer) {
		fmt.Fprint(w, usage)
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printUsage(stdout)
			return 0, false
		}
		fmt.Fprintf(stderr, "brummer %s: %v\n\n", fs.Name(), err)
		printUsage(stderr)
		return 2, false
	}
	return 0, true
}

// loadWorkspaceConfig resolves DIR and reads its .brummer.toml.
func loadWorkspaceConfig(cmd, dir string, stderr io.Writer) (string, config.Config, bool) {
	root, err := filepath.Abs(dir)
	if err != nil {
		fmt.Fprintf(stderr, "brummer %s: --dir %q: %v\n", cmd, dir, err)
		return "", config.Config{}, false
	}
	cfg, warnings, err := config.Load(root)
	for _, w := range warnings {
		fmt.Fprintf(stderr, "brummer %s: warning: %s\n", cmd, w)
	}
	if err != nil {
		fmt.Fprintf(stderr, "brummer %s: %v\n", cmd, err)
		return "", config.Config{}, false
	}
	return root, cfg, true
}

// relDir shows dir relative to root when it is inside it.
func relDir(root, dir string) string {
	rel, err := filepath.Rel(root, dir)
	if err != nil || rel == ".." || len(rel) > 2 && rel[:3] == ".."+string(filepath.Separator) {
		return dir
	}
	return rel
}
