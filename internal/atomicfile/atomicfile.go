// Package atomicfile writes files so that no reader, and no crash, ever
// sees one half written.
package atomicfile

import (
	"os"
	"path/filepath"
)

// Write writes data to path so that path is either as it was or holds
// all of data, whatever happens meanwhile. Where the system allows, the
// data is written to an unnamed file in path's directory that is given
// its name only once complete (Linux's O_TMPFILE), so that even a process
// killed mid-write leaves nothing behind; elsewhere, through a temporary
// file renamed into place, removed on failure.
func Write(path string, data []byte) error {
	if done, err := writeUnnamed(path, data); done {
		return err
	}
	return writeRenamed(path, data)
}

// writeRenamed writes data to a temporary file beside path and renames
// it into place.
func writeRenamed(path string, data []byte) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Chmod(0o644); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// Same reports whether a and b name one existing file: a write to b would
// overwrite a.
func Same(a, b string) bool {
	sa, err1 := os.Stat(a)
	sb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(sa, sb)
}
