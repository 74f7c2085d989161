package thumbnail

import (
	"strings"

	"github.com/thumbnail-go/thumbnail/internal/resample"
)

// Filter is the resampling kernel. Sharper kernels look at more source
// pixels per output pixel, so they cost more; the difference is small
// next to decoding, because large reductions are first box-averaged to
// two to four times the output size and the kernel only does the rest.
type Filter string

// The filters, from sharpest to fastest.
const (
	// FilterLanczos3 is the windowed sinc with three lobes: the sharpest,
	// with faint ringing at hard edges. The default.
	FilterLanczos3 Filter = "lanczos3"
	// FilterCatmullRom is the cubic that interpolates its samples: nearly
	// as sharp as Lanczos3 with two thirds of the taps.
	FilterCatmullRom Filter = "catmullrom"
	// FilterMitchell is the Mitchell-Netravali cubic (B = C = 1/3): softer,
	// with less ringing and less aliasing than Catmull-Rom.
	FilterMitchell Filter = "mitchell"
	// FilterLinear is the triangle (tent) filter: soft, fast.
	FilterLinear Filter = "linear"
	// FilterBox averages the source pixels under each output pixel (area
	// averaging when shrinking): the softest that does not alias, and the
	// fastest of them.
	FilterBox Filter = "box"
	// FilterNearest takes the one source pixel nearest each output pixel:
	// the fastest, and it aliases (moiré, jagged edges) when shrinking.
	// For pixel art enlarged with Upscale.
	FilterNearest Filter = "nearest"
)

var filters = map[Filter]resample.Filter{
	"":               resample.Lanczos3,
	FilterLanczos3:   resample.Lanczos3,
	FilterCatmullRom: resample.CatmullRom,
	FilterMitchell:   resample.Mitchell,
	FilterLinear:     resample.Linear,
	FilterBox:        resample.Box,
	FilterNearest:    resample.Nearest,
}

// ParseFilter accepts a filter's name in any case, with "bilinear" for
// linear and "catmull-rom" for catmullrom. Anything else is
// ErrInvalidOptions.
func ParseFilter(s string) (Filter, error) {
	v := strings.ToLower(strings.TrimSpace(s))
	switch v {
	case "bilinear", "triangle":
		v = string(FilterLinear)
	case "catmull-rom", "bicubic":
		v = string(FilterCatmullRom)
	case "lanczos":
		v = string(FilterLanczos3)
	}
	if _, ok := filters[Filter(v)]; ok && v != "" {
		return Filter(v), nil
	}
	return "", invalidf("unknown filter %q (want lanczos3, catmullrom, mitchell, linear, box or nearest)", s)
}
