// Package corpus gives tests the shared corpus of real-world files and its
// MANIFEST.tsv. The corpus lives beside the repository, in
// ../shared/corpus, and is not part of it: where it is absent (a fresh
// clone) tests that need it skip and say so, unless
// THUMBNAIL_CORPUS_REQUIRED is set (CI), when they fail.
package corpus

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Row is one line of MANIFEST.tsv.
type Row struct {
	File   string // path relative to the corpus directory
	Format string // container format: jpeg, png, gif, ...
	What   string // what the file exercises
	Expect string // ok, fail, ok-or-fail, unsupported, ok-or-unsupported
}

// Dir returns the corpus directory: $THUMBNAIL_CORPUS, or shared/corpus
// beside the directory that holds go.mod. It skips t when there is none.
func Dir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("THUMBNAIL_CORPUS")
	if dir == "" {
		dir = filepath.Join(moduleRoot(t), "..", "shared", "corpus")
	}
	if _, err := os.Stat(filepath.Join(dir, "MANIFEST.tsv")); err != nil {
		if os.Getenv("THUMBNAIL_CORPUS_REQUIRED") != "" {
			t.Fatalf("corpus required but not found at %s: %v", dir, err)
		}
		t.Skipf("corpus not found at %s (set THUMBNAIL_CORPUS to its directory); skipping", dir)
	}
	return dir
}

// Rows returns the manifest rows, in file order, and the corpus directory.
func Rows(t testing.TB) ([]Row, string) {
	t.Helper()
	dir := Dir(t)
	f, err := os.Open(filepath.Join(dir, "MANIFEST.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []Row
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	for sc.Scan() {
		c := strings.Split(sc.Text(), "\t")
		if len(c) < 7 {
			t.Fatalf("MANIFEST.tsv: short row %q", sc.Text())
		}
		rows = append(rows, Row{File: c[0], Format: c[4], What: c[5], Expect: c[6]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return rows, dir
}

func moduleRoot(t testing.TB) string {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
}
