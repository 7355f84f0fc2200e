package main

import (
	"fmt"
	"io"
	"log/slog"
)

// logFormat is the format of the emulator's logs.
type logFormat string

// Log formats.
const (
	logText logFormat = "text"
	logJSON logFormat = "json"
)

// String implements flag.Value.
func (f *logFormat) String() string { return string(*f) }

// Set implements flag.Value.
func (f *logFormat) Set(v string) error {
	switch logFormat(v) {
	case logText, logJSON:
		*f = logFormat(v)
		return nil
	}
	return fmt.Errorf("log format must be text or json, not %q", v)
}

// logger returns a logger writing to w in the format at the level.
func (f logFormat) logger(w io.Writer, level slog.Level) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level}
	if f == logJSON {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
