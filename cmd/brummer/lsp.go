package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"

	"github.com/brummer-dev/brummer/lsp"
	"go.uber.org/zap"
)

// lspCmd runs `brummer lsp`: the language server on stdio. stdout carries
// only JSON-RPC; logs go to stderr or --log-file.
func lspCmd(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("brummer lsp", flag.ContinueOnError)
	fs.SetOutput(stderr)
	logFile := fs.String("log-file", "", "write the log to `PATH` instead of stderr")
	logLevel := fs.String("log-level", "info", "log level: debug, info, warn or error")
	trace := fs.Bool("trace", false, "log every message read and written (implies --log-level debug)")
	cpuProfile := fs.String("profile.cpu", "", "write a CPU profile of the whole session to `PATH` (for performance reports)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: brummer lsp [flags]\n\nRuns the Brummer language server on stdin/stdout (see shared/PROTOCOL.md).\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "brummer lsp: unexpected argument %q (the server talks on stdin/stdout)\n", fs.Arg(0))
		return 2
	}
	level := *logLevel
	if *trace {
		level = "debug"
	}
	log, closeLog, err := newLogger(*logFile, level, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "brummer lsp: %v\n", err)
		return 2
	}
	defer closeLog()
	// SIGTERM and SIGINT are shutdown + exit: every script is stopped first.
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	log.Info("brummer lsp starting", zap.String("version", buildVersion()))
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintf(stderr, "brummer lsp: --profile.cpu: %v\n", err)
			return 2
		}
		defer func() {
			pprof.StopCPUProfile()
			f.Close()
		}()
	}
	in, out := interruptible(stdin, stdout)
	code := lsp.Serve(ctx, in, out, lsp.Options{Version: buildVersion(), Log: log, Trace: *trace})
	log.Info("brummer lsp exiting", zap.Int("code", code))
	return code
}
