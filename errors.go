package thumbnail

import (
	"context"
	"errors"
	"fmt"
)

// Sentinel errors. Every error Generate returns for a bad input or bad
// options wraps exactly one of them, so callers can branch with errors.Is.
var (
	// ErrUnknownFormat: no registered handler recognises the input, or
	// Options.InputFormat names no registered handler.
	ErrUnknownFormat = errors.New("thumbnail: unknown format")

	// ErrUnsupported: the input is a valid file of a known format, in a
	// variant the handler does not implement (12-bit JPEG, BigTIFF, ...).
	ErrUnsupported = errors.New("thumbnail: unsupported feature")

	// ErrCorrupt: the input is damaged or not what its signature claims.
	// The decoder's own error is wrapped too.
	ErrCorrupt = errors.New("thumbnail: corrupt input")

	// ErrTooLarge: the input declares more pixels than Options.MaxPixels
	// (reported from the header, before any pixel buffer exists), is
	// longer than Options.MaxInputBytes, or is asked for a page past
	// Options.MaxFrames.
	ErrTooLarge = errors.New("thumbnail: image too large")

	// ErrInvalidOptions: Options holds a value outside its documented
	// range. It is reported before the input is read.
	ErrInvalidOptions = errors.New("thumbnail: invalid options")

	// ErrEngineUnavailable: the handler needs an external program (ffmpeg
	// for video) that is not installed; the error names what to install.
	ErrEngineUnavailable = errors.New("thumbnail: engine unavailable")
)

// classify makes sure an error from a handler wraps one of the sentinels.
// Handlers are expected to wrap ErrUnsupported or ErrCorrupt themselves;
// anything else a decoder reports (a third-party handler's plain error, an
// io.ErrUnexpectedEOF) means the data could not be decoded, which is
// ErrCorrupt. Context errors pass through unchanged.
func classify(name string, err error) error {
	if err == nil {
		return nil
	}
	for _, s := range []error{ErrUnknownFormat, ErrUnsupported, ErrCorrupt, ErrTooLarge, ErrInvalidOptions, ErrEngineUnavailable, context.Canceled, context.DeadlineExceeded} {
		if errors.Is(err, s) {
			return err
		}
	}
	return fmt.Errorf("%w: %s: %w", ErrCorrupt, name, err)
}

func invalidf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalidOptions}, args...)...)
}
