package atomicfile

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "x.png")
	for _, data := range [][]byte{[]byte("first"), []byte("second, longer")} { // new, then over it
		if err := Write(p, data); err != nil {
			t.Fatal(err)
		}
		if got, _ := os.ReadFile(p); !bytes.Equal(got, data) {
			t.Errorf("read %q, want %q", got, data)
		}
		if info, _ := os.Stat(p); info.Mode().Perm() != 0o644 {
			t.Errorf("mode %v, want 0644", info.Mode().Perm())
		}
	}
	// The named fallback does the same.
	if err := writeRenamed(p, []byte("third")); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(p); string(got) != "third" {
		t.Errorf("read %q after writeRenamed", got)
	}
	// A failure leaves the target and the directory as they were.
	os.Mkdir(filepath.Join(dir, "taken"), 0o755)
	if err := Write(filepath.Join(dir, "taken"), []byte("x")); err == nil {
		t.Error("wrote over a directory")
	}
	if err := Write(filepath.Join(dir, "missing", "x.png"), []byte("x")); err == nil {
		t.Error("wrote into a missing directory")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("directory holds %v, want x.png and taken", entries)
	}
}

func TestSame(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a")
	os.WriteFile(a, nil, 0o644)
	os.Symlink(a, filepath.Join(dir, "l"))
	if !Same(a, filepath.Join(dir, "l")) || !Same(a, filepath.Join(dir, ".", "a")) || Same(a, filepath.Join(dir, "b")) {
		t.Error("Same is wrong")
	}
}
