package thumbnail

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Sequence is a numbered run of files written in ftrack's notation,
// "{head}{padding}{tail} [{ranges}]":
//
//	/shots/sh010/comp.%04d.exr [1-5, 7, 8, 10-20]
//	frames/frame.####.png
//
// The padding is printf's %d or %0Nd, or N # or @ signs for N digits.
// Without a range, the frames are the files found on disk.
type Sequence struct {
	// Head and Tail surround the frame number.
	Head, Tail string
	// Digits is how many digits the frame number is padded to; 0 means
	// none.
	Digits int
	// Frames are the frames the notation lists, ascending; nil when it
	// lists none.
	Frames []int
}

// paddingRE finds the padding token: %d, %0Nd, or a run of # or @.
var paddingRE = regexp.MustCompile(`%0?(\d*)d|#+|@+`)

// IsSequence reports whether s is written in sequence notation: it holds
// a padding token (and is not the name of an existing file).
func IsSequence(s string) bool {
	if _, err := os.Stat(s); err == nil {
		return false
	}
	return paddingRE.MatchString(strings.TrimSpace(s))
}

// ParseSequence reads sequence notation. A malformed one is
// ErrInvalidOptions, saying what is wrong.
func ParseSequence(s string) (*Sequence, error) {
	pattern, ranges := strings.TrimSpace(s), ""
	if i := strings.LastIndexByte(pattern, '['); i >= 0 && strings.HasSuffix(pattern, "]") {
		pattern, ranges = strings.TrimSpace(pattern[:i]), pattern[i+1:len(pattern)-1]
	} else if strings.ContainsAny(pattern, "[]") {
		return nil, invalidf("sequence %q: unbalanced [ ] around its frame ranges", s)
	}
	tokens := paddingRE.FindAllStringSubmatchIndex(pattern, -1)
	switch len(tokens) {
	case 0:
		return nil, invalidf("sequence %q: no frame padding (%%04d, %%d, #### or @@@@)", s)
	case 1:
	default:
		return nil, invalidf("sequence %q: %d frame paddings, want one", s, len(tokens))
	}
	t := tokens[0]
	seq := &Sequence{Head: pattern[:t[0]], Tail: pattern[t[1]:]}
	switch tok := pattern[t[0]:t[1]]; {
	case tok[0] == '%' && t[2] < t[3]:
		seq.Digits, _ = strconv.Atoi(pattern[t[2]:t[3]])
	case tok[0] == '%':
	default:
		seq.Digits = len(tok)
	}
	if ranges == "" {
		return seq, nil
	}
	for item := range strings.SplitSeq(ranges, ",") {
		item = strings.TrimSpace(item)
		lo, hi, span := strings.Cut(item, "-")
		a, err1 := strconv.Atoi(strings.TrimSpace(lo))
		b, err2 := a, error(nil)
		if span {
			b, err2 = strconv.Atoi(strings.TrimSpace(hi))
		}
		switch {
		case item == "":
			return nil, invalidf("sequence %q: an empty item in its frame ranges", s)
		case err1 != nil || err2 != nil || a < 0:
			return nil, invalidf("sequence %q: frame range %q is not N or N-M with N and M whole numbers", s, item)
		case b < a:
			return nil, invalidf("sequence %q: frame range %q runs backwards", s, item)
		case b-a > 10_000_000:
			return nil, invalidf("sequence %q: frame range %q is too long", s, item)
		}
		for f := a; f <= b; f++ {
			seq.Frames = append(seq.Frames, f)
		}
	}
	slices.Sort(seq.Frames)
	seq.Frames = slices.Compact(seq.Frames)
	return seq, nil
}

// String is the sequence's pattern, with printf padding.
func (s *Sequence) String() string {
	if s.Digits == 0 {
		return s.Head + "%d" + s.Tail
	}
	return fmt.Sprintf("%s%%0%dd%s", s.Head, s.Digits, s.Tail)
}

// Path is the file name of frame n.
func (s *Sequence) Path(n int) string {
	return fmt.Sprintf("%s%0*d%s", s.Head, s.Digits, n, s.Tail)
}

// onDisk returns the frames whose files exist, ascending: of those listed,
// or of the files matching the pattern when none are.
func (s *Sequence) onDisk() ([]int, error) {
	var found []int
	if s.Frames != nil {
		for _, f := range s.Frames {
			if _, err := os.Stat(s.Path(f)); err == nil {
				found = append(found, f)
			}
		}
		return found, nil
	}
	dir, head := filepath.Split(s.Head)
	if dir == "" {
		dir = "."
	}
	if strings.ContainsRune(s.Tail, filepath.Separator) {
		return nil, invalidf("sequence %s: the frame number must be in the file name", s)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		name := e.Name()
		digits, ok := strings.CutPrefix(name, head)
		if !ok {
			continue
		}
		if digits, ok = strings.CutSuffix(digits, s.Tail); !ok || digits == "" || (s.Digits > 0 && len(digits) < s.Digits) {
			continue
		}
		if strings.Trim(digits, "0123456789") != "" {
			continue
		}
		if n, err := strconv.Atoi(digits); err == nil && s.Path(n) == filepath.Join(filepath.Dir(s.Head), name) {
			found = append(found, n)
		}
	}
	slices.Sort(found)
	return found, nil
}

// Pick chooses a sequence's representative frame: "first" (also ""),
// "middle", "last", or a frame number. first, middle and last count the
// listed frames, or those on disk when none are listed. When the chosen
// frame's file is missing, the nearest listed frame on disk stands in
// (the lower of two as near); frame says which was taken. No listed frame
// on disk is an error wrapping fs.ErrNotExist; an unknown choice is
// ErrInvalidOptions.
func (s *Sequence) Pick(which string) (path string, frame int, err error) {
	frames := s.Frames
	found, err := s.onDisk()
	if err != nil {
		return "", 0, err
	}
	if frames == nil {
		frames = found
	}
	if len(found) == 0 {
		return "", 0, fmt.Errorf("sequence %s: none of its frames is on disk: %w", s, fs.ErrNotExist)
	}
	switch which {
	case "", "first":
		frame = frames[0]
	case "middle":
		frame = frames[(len(frames)-1)/2]
	case "last":
		frame = frames[len(frames)-1]
	default:
		if frame, err = strconv.Atoi(which); err != nil {
			return "", 0, invalidf("frame %q: want first, middle, last or a frame number", which)
		}
	}
	best := found[0]
	for _, f := range found {
		if abs(f-frame) < abs(best-frame) {
			best = f
		}
	}
	return s.Path(best), best, nil
}

func abs(v int) int { return max(v, -v) }
