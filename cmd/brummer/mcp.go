package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/brummer-dev/brummer/agent"
	"github.com/brummer-dev/brummer/core"
	"github.com/brummer-dev/brummer/lsp"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	"go.uber.org/zap"
	"go.uber.org/zap/exp/zapslog"
)

const mcpUsage = `Usage: brummer mcp [--dir DIR] [flags]

Runs the Model Context Protocol server for coding agents on stdin/stdout
(what an agent's MCP configuration launches). It attaches to the brummer of
the editor that has the workspace containing DIR open (the nearest one
upwards), so the agent sees and drives the same processes; with no editor
running it starts its own, whose scripts end when it ends.

Flags:
`

// mcpCmd implements `brummer mcp`.
func mcpCmd(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("brummer mcp", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("dir", ".", "serve the workspace that contains `DIR`")
	logFile := fs.String("log-file", "", "write the log to `PATH` instead of stderr")
	logLevel := fs.String("log-level", "warn", "log level: debug, info, warn or error")
	fs.Usage = func() {
		fmt.Fprint(stderr, mcpUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "brummer mcp: unexpected argument %q (the server talks on stdin/stdout; --dir names the workspace)\n", fs.Arg(0))
		return 2
	}
	abs, err := filepath.Abs(*dir)
	if err == nil {
		var fi os.FileInfo
		if fi, err = os.Stat(abs); err == nil && !fi.IsDir() {
			err = errors.New("not a directory")
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "brummer mcp: --dir %q: %v\n", *dir, err)
		return 2
	}
	log, closeLog, err := newLogger(*logFile, *logLevel, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "brummer mcp: %v\n", err)
		return 2
	}
	defer closeLog()
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	opts := agent.Options{Version: buildVersion(), Log: slog.New(zapslog.NewHandler(log.Named("agent").Core()))}
	conn, root, err := lsp.FindSocket(abs)
	if err != nil {
		log.Warn("not looking for the editor's brummer", zap.Error(err))
		opts.Note = err.Error()
	}
	if conn != nil {
		log.Info("attached to the editor's brummer", zap.String("root", root))
		opts.Conn, opts.Root = conn, root
		opts.Redial = func() (io.ReadWriteCloser, error) {
			c, r, err := lsp.FindSocket(abs)
			switch {
			case err != nil:
				return nil, err
			case c == nil:
				return nil, errors.New("no brummer serves the workspace")
			case r != root:
				_ = c.Close()
				return nil, fmt.Errorf("the nearest brummer now serves %s, not %s", r, root)
			}
			return c, nil
		}
	} else {
		root = workspaceRoot(abs)
		_, cfg, ok := loadWorkspaceConfig("mcp", root, stderr)
		if !ok {
			return 1
		}
		app, err := core.New(core.Options{Roots: []string{root}, Config: cfg, Log: log.Named("core"), Watch: true})
		if err != nil {
			fmt.Fprintf(stderr, "brummer mcp: %v\n", err)
			return 1
		}
		log.Info("no editor's brummer serves this workspace: running one in-process", zap.String("root", root))
		ours, theirs := net.Pipe()
		served := make(chan struct{})
		go func() {
			defer close(served)
			lsp.ServeConn(context.Background(), theirs, app, log.Named("core"))
		}()
		defer func() {
			_ = ours.Close()
			<-served
			cctx, cancel := context.WithTimeout(context.Background(), time.Duration(cfg.ProcessManager.StopGraceMS)*time.Millisecond+30*time.Second)
			defer cancel()
			if err := app.Close(cctx); err != nil {
				log.Warn("stopping the scripts", zap.Error(err))
			}
		}()
		opts.Conn, opts.Root, opts.Standalone = ours, root, true
	}
	in, out := interruptible(stdin, stdout)
	srv := agent.New(opts)
	err = srv.Run(ctx, &mcp.IOTransport{Reader: readCloser(in), Writer: writeCloser(out)})
	if err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, io.EOF) {
		log.Warn("mcp session ended", zap.Error(err))
	}
	return 0
}

// workspaceRoot is the root of a workspace no editor serves: the nearest
// directory upwards with a .brummer.toml or a .git, else the nearest with a
// package.json, else dir itself.
func workspaceRoot(dir string) string {
	pkg := ""
	for d := dir; ; d = filepath.Dir(d) {
		for _, marker := range []string{".brummer.toml", ".git"} {
			if _, err := os.Stat(filepath.Join(d, marker)); err == nil {
				return d
			}
		}
		if _, err := os.Stat(filepath.Join(d, "package.json")); err == nil && pkg == "" {
			pkg = d
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	if pkg != "" {
		return pkg
	}
	return dir
}

func readCloser(r io.Reader) io.ReadCloser {
	if rc, ok := r.(io.ReadCloser); ok {
		return rc
	}
	return io.NopCloser(r)
}

type nopWriteCloser struct{ io.Writer }

func (nopWriteCloser) Close() error { return nil }

func writeCloser(w io.Writer) io.WriteCloser {
	if wc, ok := w.(io.WriteCloser); ok {
		return wc
	}
	return nopWriteCloser{w}
}
