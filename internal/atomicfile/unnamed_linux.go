package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"

	"golang.org/x/sys/unix"
)

// writeUnnamed writes data to an unnamed file in path's directory and
// links it in at path: there is no moment at which a partial file has a
// name. done is false when the file system offers no unnamed files, and
// Write falls back to a named temporary file.
func writeUnnamed(path string, data []byte) (done bool, err error) {
	dir := filepath.Dir(path)
	fd, err := unix.Open(dir, unix.O_WRONLY|unix.O_TMPFILE|unix.O_CLOEXEC, 0o644)
	if err != nil {
		return false, nil
	}
	f := os.NewFile(uintptr(fd), path)
	defer f.Close()
	if _, err := f.Write(data); err != nil {
		return true, err
	}
	if err := f.Chmod(0o644); err != nil { // whatever the umask made of it
		return true, err
	}
	proc := "/proc/self/fd/" + strconv.Itoa(fd)
	err = unix.Linkat(unix.AT_FDCWD, proc, unix.AT_FDCWD, path, unix.AT_SYMLINK_FOLLOW)
	if !errors.Is(err, unix.EEXIST) {
		return true, err
	}
	// path exists: link the complete file in beside it, then rename it
	// over path, which replaces it at once.
	for i := 0; ; i++ {
		tmp := filepath.Join(dir, "."+filepath.Base(path)+".tmp-"+strconv.Itoa(os.Getpid())+"-"+strconv.Itoa(i))
		err = unix.Linkat(unix.AT_FDCWD, proc, unix.AT_FDCWD, tmp, unix.AT_SYMLINK_FOLLOW)
		if errors.Is(err, unix.EEXIST) && i < 100 {
			continue
		}
		if err != nil {
			return true, err
		}
		if err := os.Rename(tmp, path); err != nil {
			os.Remove(tmp)
			return true, err
		}
		return true, nil
	}
}
