package thumbnail

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/thumbnail-go/thumbnail/internal/atomicfile"
)

// Output is one file a Batch writes for each input.
type Output struct {
	// Options is the rendition: box, fit, format, quality and the rest.
	// What concerns the input (InputFormat, MaxPixels, Registry, Embedded,
	// Time) must be the same in every Output of a batch.
	Options Options
	// Name is the file name in Batch.Dir: "{name}" stands for the input's
	// file name without its extension, "{ext}" for the output format's
	// extension with its dot, and one printf integer verb ("%d", "%03d")
	// for the page or frame number, from 1 ("%%" is a percent sign). ""
	// means "{name}{ext}", or "{name}-%d{ext}" when Batch.Pages may select
	// several pages, in which case a Name must have the verb. It may not
	// hold a path separator.
	Name string
}

// PreviewDetail is Anchorpoint's pair of outputs: NAME_pt.png, a preview
// inside a previewBox square, and NAME_dt.png, a detail view inside a
// detailBox square, both FitMax PNG. A box of 0 means 256 for the preview
// and 1024 for the detail.
func PreviewDetail(previewBox, detailBox int) []Output {
	if previewBox == 0 {
		previewBox = 256
	}
	if detailBox == 0 {
		detailBox = 1024
	}
	return []Output{
		{Options: Options{Width: previewBox, Height: previewBox, Format: FormatPNG}, Name: "{name}_pt.png"},
		{Options: Options{Width: detailBox, Height: detailBox, Format: FormatPNG}, Name: "{name}_dt.png"},
	}
}

// Batch makes the same outputs for many input files into one directory.
type Batch struct {
	// Outputs are what each input makes, from one decode of it.
	Outputs []Output
	// Pages selects the pages or frames of each input to make the outputs
	// of (see GeneratePages). The zero value is the first.
	Pages Pages
	// Dir is where they are written; it is created if missing. "" means
	// the current directory.
	Dir string
	// Concurrency is how many inputs are worked on at once. 0 means
	// GOMAXPROCS.
	Concurrency int
	// Progress, when set, is called as each input finishes, one call at a
	// time, with how many have finished and its result.
	Progress func(done, total int, r Result)
	// Timeout, when positive, is how long one input may take; past it,
	// the input fails with context.DeadlineExceeded and the batch goes on.
	Timeout time.Duration
}

// Result is what a Batch did with one input.
type Result struct {
	// Input is the input's path, as given.
	Input string
	// Outputs are the files written: for each page, in the order of
	// Batch.Outputs.
	Outputs []Written
	// Err is why the input has no outputs, or not all of them.
	Err error
	// Elapsed is how long the input took, decode to last write.
	Elapsed time.Duration
}

// Written is one file a Batch wrote.
type Written struct {
	// Path is where it is.
	Path string
	// Width, Height and Format describe the thumbnail in it.
	Width, Height int
	Format        Format
	// Page is the page or frame it shows, from 1.
	Page int
	// Source is what it was made from.
	Source Source
}

// Run makes every input's outputs and returns a result per input, in the
// order given. One input's failure never stops the others. Each file is
// written to a temporary file in Dir and renamed into place when complete,
// so Dir never holds a partial output.
//
// Names are given out in input order before any work starts: an input
// whose output name an earlier input already has (x.jpg and x.png both
// making x_pt.png) is not processed, and its result says which input has
// the name. An output that would overwrite its own input is refused too.
// When ctx ends, inputs not yet finished fail with ctx's error.
//
// Run's own error is for a batch that cannot run at all: invalid outputs
// (ErrInvalidOptions) or a Dir that cannot be created.
func (b *Batch) Run(ctx context.Context, paths []string) ([]Result, error) {
	inputs := make([]BatchInput, len(paths))
	for i, p := range paths {
		inputs[i] = BatchInput{Name: p, Open: func() (io.ReadCloser, error) { return os.Open(p) }}
	}
	return b.RunInputs(ctx, inputs)
}

// BatchInput is an input of a batch that need not be a file: an upload,
// an object in a store.
type BatchInput struct {
	// Name is what its outputs are named after (its base name without
	// extension is "{name}"), what Result.Input reports, and what its
	// extension hints at when the content matches no handler.
	Name string
	// Open returns its content. It is called once, when the input's turn
	// comes, and the content is closed when done. Content that is not
	// also an io.ReaderAt and io.Seeker is read into memory.
	Open func() (io.ReadCloser, error)
}

// RunInputs is Run over inputs that are opened by the caller's functions
// rather than from paths.
func (b *Batch) RunInputs(ctx context.Context, inputs []BatchInput) ([]Result, error) {
	renditions := make([]Options, len(b.Outputs))
	seen := map[string]bool{}
	for i, out := range b.Outputs {
		renditions[i] = out.Options
		name := b.name(i)
		if strings.ContainsAny(name, `/\`) {
			return nil, invalidf("output name %q holds a path separator", name)
		}
		_, verb, err := pageVerb(name)
		if err != nil {
			return nil, err
		}
		if verb == "" && b.Pages.Many() {
			return nil, invalidf("output name %q has no page number verb (such as %%d) for pages %s", name, b.Pages)
		}
		if out.Options.Format != "" {
			name = strings.ReplaceAll(name, "{ext}", out.Options.Format.Extension())
		}
		if seen[name] {
			return nil, invalidf("two outputs are named %q", name)
		}
		seen[name] = true
	}
	all, err := normalizeAll(renditions)
	if err != nil {
		return nil, err
	}
	dir := b.dir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}

	results := make([]Result, len(inputs))
	names := b.claim(dir, inputs, results)

	workers := b.Concurrency
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var mu sync.Mutex
	done := 0
	finish := func(i int) {
		mu.Lock()
		defer mu.Unlock()
		done++
		if b.Progress != nil {
			b.Progress(done, len(inputs), results[i])
		}
	}
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, max(1, len(inputs))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				if results[i].Err == nil {
					start := time.Now()
					results[i].Outputs, results[i].Err = b.one(ctx, inputs[i], names[i], all)
					results[i].Elapsed = time.Since(start)
				}
				finish(i)
			}
		}()
	}
	for i := range inputs {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return results, nil
}

// dir is the output directory.
func (b *Batch) dir() string {
	if b.Dir == "" {
		return "."
	}
	return b.Dir
}

// name is output k's file name template, defaults filled in.
func (b *Batch) name(k int) string {
	switch name := b.Outputs[k].Name; {
	case name != "":
		return name
	case b.Pages.Many():
		return "{name}-%d{ext}"
	}
	return "{name}{ext}"
}

// claim gives out output paths in input order. It returns, per input, a
// function from an output's index, format and page to its path, and marks
// in results the inputs refused for a name already taken or for writing
// over themselves. Names are claimed with their page verb unexpanded, as
// it is the only part that differs between one input's pages. An output
// whose format is left to the content may be .jpg or .png: it claims both
// (and is checked against its input once its format is known).
func (b *Batch) claim(dir string, inputs []BatchInput, results []Result) []func(int, Format, int) string {
	owner := map[string]string{}
	names := make([]func(int, Format, int) string, len(inputs))
	for i, input := range inputs {
		in := input.Name
		results[i].Input = in
		stem := strings.TrimSuffix(filepath.Base(in), filepath.Ext(in))
		names[i] = func(k int, f Format, page int) string {
			name := strings.ReplaceAll(b.name(k), "{ext}", f.Extension())
			if page > 0 {
				name = expandPage(name, page)
			}
			// After the verb, so that a % in the input's name stays.
			return filepath.Join(dir, strings.ReplaceAll(name, "{name}", stem))
		}
		var mine []string
		for k, out := range b.Outputs {
			formats := []Format{out.Options.Format}
			if out.Options.Format == "" {
				formats = []Format{FormatJPEG, FormatPNG}
			}
			for _, f := range formats {
				p := names[i](k, f, 0)
				if filepath.Dir(p) != filepath.Clean(dir) && results[i].Err == nil {
					results[i].Err = fmt.Errorf("output name %q for input %q leaves %s; not writing it", filepath.Base(p), in, dir)
				}
				if prev, ok := owner[p]; ok && prev != in && results[i].Err == nil {
					results[i].Err = fmt.Errorf("output %s belongs to %s in this batch; not overwriting it", p, prev)
				}
				if out.Options.Format != "" && atomicfile.Same(in, p) && results[i].Err == nil {
					results[i].Err = selfErr(p)
				}
				mine = append(mine, p)
			}
		}
		if results[i].Err == nil {
			for _, p := range mine {
				owner[p] = in
			}
		}
	}
	return names
}

// one makes and writes one input's outputs.
func (b *Batch) one(ctx context.Context, input BatchInput, name func(int, Format, int) string, all []*Options) ([]Written, error) {
	if b.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, b.Timeout)
		defer cancel()
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if input.Open == nil {
		return nil, invalidf("input %q has no Open function", input.Name)
	}
	f, err := input.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	in := input.Name
	var written []Written
	k := 0 // the output the next thumbnail is for
	err = generate(ctx, f, in, b.Pages, all, func(t *Thumbnail) error {
		p := name(k, t.Format, t.Page)
		k = (k + 1) % len(all)
		if filepath.Dir(p) != filepath.Clean(b.dir()) {
			return fmt.Errorf("output name %q for input %q leaves %s; not writing it", filepath.Base(p), in, b.dir())
		}
		if atomicfile.Same(in, p) { // a format chosen by the content lands on the input
			return selfErr(p)
		}
		if err := atomicfile.Write(p, t.Data); err != nil {
			return err
		}
		written = append(written, Written{Path: p, Width: t.Width, Height: t.Height, Format: t.Format, Page: t.Page, Source: t.Source})
		return nil
	})
	return written, err
}

func selfErr(p string) error {
	return fmt.Errorf("output %s is the input itself; not overwriting it", p)
}

// pageVerb finds name's page number verb ("%d", "%03d"): where it is and
// what it is, or "" when there is none. Any other verb, or a second one,
// is ErrInvalidOptions; "%%" is a percent sign.
func pageVerb(name string) (at int, verb string, err error) {
	for i := 0; i < len(name); i++ {
		if name[i] != '%' {
			continue
		}
		j := i + 1
		for j < len(name) && name[j] >= '0' && name[j] <= '9' {
			j++
		}
		switch {
		case j == i+1 && j < len(name) && name[j] == '%':
		case j < len(name) && name[j] == 'd' && verb == "":
			at, verb = i, name[i:j+1]
		case j < len(name) && name[j] == 'd':
			return 0, "", invalidf("output name %q has two page number verbs", name)
		default:
			return 0, "", invalidf("output name %q: a %% must start a page number verb such as %%d or %%03d, or be written %%%%", name)
		}
		i = j
	}
	return at, verb, nil
}

// expandPage writes page into name's page number verb, which pageVerb has
// checked, and turns "%%" into "%".
func expandPage(name string, page int) string {
	unescape := func(s string) string { return strings.ReplaceAll(s, "%%", "%") }
	at, verb, _ := pageVerb(name)
	if verb == "" {
		return unescape(name)
	}
	return unescape(name[:at]) + fmt.Sprintf(verb, page) + unescape(name[at+len(verb):])
}
