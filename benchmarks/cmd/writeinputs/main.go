// Command writeinputs writes the generated benchmark pictures as files,
// for timing whole processes (our command against vipsthumbnail):
//
//	go run ./cmd/writeinputs DIR
//
// writes DIR/gen24mp.jpg, the 6000x4000 picture BenchmarkThumbnail uses,
// encoded by image/jpeg at quality 90 (baseline, 4:2:0).
package main

import (
	"bufio"
	"fmt"
	"image/jpeg"
	"os"
	"path/filepath"

	"github.com/thumbnail-go/thumbnail/benchmarks"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: writeinputs DIR")
		os.Exit(2)
	}
	if err := write(filepath.Join(os.Args[1], "gen24mp.jpg")); err != nil {
		fmt.Fprintln(os.Stderr, "writeinputs:", err)
		os.Exit(1)
	}
}

func write(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	if err := jpeg.Encode(w, benchmarks.Photo(6000, 4000), &jpeg.Options{Quality: 90}); err != nil {
		f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
