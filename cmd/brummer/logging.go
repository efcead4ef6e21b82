package main

import (
	"fmt"
	"io"
	"os"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// newLogger builds the process logger: JSON lines to the log file when one is
// given, else console lines to stderr. Never stdout: in `brummer lsp` stdout
// carries only the protocol. The returned function flushes and closes.
func newLogger(logFile, level string, stderr io.Writer) (*zap.Logger, func(), error) {
	var lvl zapcore.Level
	if err := lvl.UnmarshalText([]byte(level)); err != nil || level == "" {
		if level != "" {
			return nil, nil, fmt.Errorf("unknown log level %q: use debug, info, warn or error", level)
		}
		lvl = zapcore.InfoLevel
	}
	var (
		sink    zapcore.WriteSyncer
		encoder zapcore.Encoder
		closeFn = func() {}
	)
	if logFile != "" {
		f, err := os.OpenFile(logFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			return nil, nil, fmt.Errorf("opening the log file: %w", err)
		}
		sink = zapcore.Lock(f)
		encoder = zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig())
		closeFn = func() { _ = f.Close() }
	} else {
		sink = zapcore.Lock(zapcore.AddSync(stderr))
		ec := zap.NewDevelopmentEncoderConfig()
		ec.EncodeTime = zapcore.TimeEncoderOfLayout("15:04:05.000")
		encoder = zapcore.NewConsoleEncoder(ec)
	}
	log := zap.New(zapcore.NewCore(encoder, sink, lvl))
	return log, func() { _ = log.Sync(); closeFn() }, nil
}
