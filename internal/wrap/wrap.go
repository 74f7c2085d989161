// Package wrap turns a decoder's errors into the thumbnail package's
// sentinel errors, the same way for every built-in handler.
package wrap

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/thumbnail-go/thumbnail"
)

// Corrupt wraps err, a decoder's report of bad data, with
// thumbnail.ErrCorrupt and the format's name. A bare io.EOF, which means
// the data ended too soon, becomes io.ErrUnexpectedEOF.
func Corrupt(format string, err error) error {
	if errors.Is(err, thumbnail.ErrCorrupt) {
		return err
	}
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return fmt.Errorf("%w: %s%w", thumbnail.ErrCorrupt, prefix(format, err), err)
}

// Unsupported wraps err, a decoder's report of a valid feature it does not
// implement, with thumbnail.ErrUnsupported.
func Unsupported(format string, err error) error {
	return fmt.Errorf("%w: %s%w", thumbnail.ErrUnsupported, prefix(format, err), err)
}

// Corruptf reports bad data in the handler's own words.
func Corruptf(format, msg string, args ...any) error {
	return fmt.Errorf("%w: %s: %s", thumbnail.ErrCorrupt, format, fmt.Sprintf(msg, args...))
}

// Unsupportedf reports an unimplemented feature in the handler's own words.
func Unsupportedf(format, msg string, args ...any) error {
	return fmt.Errorf("%w: %s: %s", thumbnail.ErrUnsupported, format, fmt.Sprintf(msg, args...))
}

// prefix is "format: ", unless the decoder's message already starts so
// (the standard library's "png: invalid format: ...").
func prefix(format string, err error) string {
	if strings.HasPrefix(err.Error(), format+":") {
		return ""
	}
	return format + ": "
}
