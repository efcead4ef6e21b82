// Command brummer runs a project's dev scripts and puts them in the editor.
package main

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"sort"
	"strings"

	"github.com/brummer-dev/brummer/procmgr"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// A subcommand takes its arguments and the standard streams and returns the
// process exit code.
type subcommand struct {
	summary string
	run     func(args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

var subcommands = map[string]subcommand{
	"version": {"print the version", versionCmd},
}

func main() {
	// Scripts run under a supervisor that is this program started again
	// (so that no script outlives brummer, even after SIGKILL); it must take
	// over before anything else runs.
	procmgr.MaybeSupervise()
	tuneGC()
	os.Exit(dispatch(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// tuneGC trades a little memory for throughput: Brummer's live heap is small
// and bounded (the log ring), while output arrives as many short-lived
// strings, so the default GOGC=100 collects far too often (the line reader
// keeps about 0.4 of the raw pipe rate at 100, 0.65 at 400). The soft limit
// (128 MiB) keeps the larger heap goal from growing memory once the ring is
// full: a script flooding its output to a stalled editor stays under 150 MB
// resident.
// GOGC and GOMEMLIMIT in the environment win.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(128 << 20)
	}
}

func dispatch(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	name := args[0]
	switch name {
	case "-h", "--help", "-help", "help":
		usage(stdout)
		return 0
	case "--version", "-version":
		name = "version"
	}
	cmd, ok := subcommands[name]
	if !ok {
		fmt.Fprintf(stderr, "brummer: unknown command %q\n\n", name)
		usage(stderr)
		return 2
	}
	return cmd.run(args[1:], stdin, stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Brummer runs your package.json scripts and shows their errors in the editor.")
	fmt.Fprintln(w, "\nUsage: brummer <command> [flags] [arguments]\n\nCommands:")
	names := make([]string, 0, len(subcommands))
	for n := range subcommands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-8s %s\n", n, subcommands[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'brummer <command> --help' for the flags of a command.")
}

func versionCmd(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 && strings.TrimLeft(args[0], "-") != "help" && args[0] != "-h" {
		fmt.Fprintf(stderr, "brummer version: unexpected argument %q\n", args[0])
		return 2
	}
	if len(args) > 0 {
		fmt.Fprintln(stdout, "Usage: brummer version\n\nPrints the version of brummer and of Go it was built with.")
		return 0
	}
	fmt.Fprintf(stdout, "brummer %s %s\n", buildVersion(), goVersion())
	return 0
}

func buildVersion() string {
	if version != "dev" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return version
}

func goVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		return bi.GoVersion
	}
	return ""
}
