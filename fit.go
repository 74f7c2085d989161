package thumbnail

import (
	"image"
	"math"
)

// Fit says how the source is fitted into the box Options.Width x
// Options.Height. The names are CloudConvert's, plus pad.
type Fit string

// The fit modes. Without Options.Upscale no mode enlarges the source, so
// every output lies inside the box, and crop and scale give less than the
// box when the source is smaller than it.
const (
	// FitMax keeps the aspect ratio and makes the image as large as fits
	// inside the box. The default.
	FitMax Fit = "max"
	// FitCrop keeps the aspect ratio and fills the box exactly, cutting
	// off what overflows on the side Options.Gravity points away from.
	FitCrop Fit = "crop"
	// FitScale makes the image exactly the box, stretching it.
	FitScale Fit = "scale"
	// FitPad fits as FitMax, then places the image at Options.Gravity on a
	// canvas of the box's size filled with Options.Background.
	FitPad Fit = "pad"
)

// Gravity says which part of the image FitCrop keeps and where FitPad
// places it.
type Gravity string

// The gravities: the centre and the eight compass points.
const (
	GravityCenter    Gravity = "center"
	GravityNorth     Gravity = "north"
	GravityNorthEast Gravity = "northeast"
	GravityEast      Gravity = "east"
	GravitySouthEast Gravity = "southeast"
	GravitySouth     Gravity = "south"
	GravitySouthWest Gravity = "southwest"
	GravityWest      Gravity = "west"
	GravityNorthWest Gravity = "northwest"
)

// anchor is where a gravity sits in a unit square: 0 = left/top, 1 =
// right/bottom.
func (g Gravity) anchor() (x, y float64, ok bool) {
	switch g {
	case GravityCenter, "":
		return 0.5, 0.5, true
	case GravityNorth:
		return 0.5, 0, true
	case GravityNorthEast:
		return 1, 0, true
	case GravityEast:
		return 1, 0.5, true
	case GravitySouthEast:
		return 1, 1, true
	case GravitySouth:
		return 0.5, 1, true
	case GravitySouthWest:
		return 0, 1, true
	case GravityWest:
		return 0, 0.5, true
	case GravityNorthWest:
		return 0, 0, true
	}
	return 0, 0, false
}

func (f Fit) valid() bool {
	switch f {
	case FitMax, FitCrop, FitScale, FitPad, "":
		return true
	}
	return false
}

// layout is the geometry of one thumbnail, in the source's displayed
// (upright) coordinates. It never touches pixels.
type layout struct {
	// Crop is the part of the source that is resampled, in source pixels
	// (fractional: the exact region the box calls for).
	Crop rectF
	// Size is what Crop is resampled to.
	Size image.Point
	// Canvas is the output size; Offset is where the resampled image sits
	// on it. Canvas equals Size and Offset is zero except for FitPad.
	Canvas image.Point
	Offset image.Point
}

// rectF is a rectangle in continuous coordinates.
type rectF struct{ X0, Y0, X1, Y1 float64 }

func (r rectF) dx() float64 { return r.X1 - r.X0 }
func (r rectF) dy() float64 { return r.Y1 - r.Y0 }

// box returns the box o asks for, for a source of w x h: both sides 0
// means 256x256; one side 0 is derived from the other by the source's
// aspect ratio.
func box(w, h int, o *Options) (bw, bh int) {
	bw, bh = o.Width, o.Height
	switch {
	case bw == 0 && bh == 0:
		return DefaultSize, DefaultSize
	case bh == 0:
		bh = atLeast1(float64(bw) * float64(h) / float64(w))
	case bw == 0:
		bw = atLeast1(float64(bh) * float64(w) / float64(h))
	}
	return bw, bh
}

// atLeast1 rounds to the nearest integer, and never returns less than 1:
// a 16000x400 panorama in a 256 box is 256x6, a 16000x1 line 256x1.
func atLeast1(v float64) int {
	return max(1, int(math.Round(v)))
}

// plan computes the layout for a source of w x h displayed pixels (both
// at least 1) under valid options o.
func plan(w, h int, o *Options) layout {
	bw, bh := box(w, h, o)
	fw, fh := float64(w), float64(h)
	sx, sy := float64(bw)/fw, float64(bh)/fh
	full := rectF{0, 0, fw, fh}
	clampScale := func(s float64) float64 {
		if !o.Upscale {
			return min(s, 1)
		}
		return s
	}
	var l layout
	switch o.Fit {
	case FitScale:
		l.Crop = full
		if o.Upscale {
			l.Size = image.Pt(bw, bh)
		} else {
			l.Size = image.Pt(min(bw, w), min(bh, h))
		}
	case FitCrop:
		s := clampScale(max(sx, sy))
		l.Size = image.Pt(min(bw, atLeast1(fw*s)), min(bh, atLeast1(fh*s)))
		// The region of the source that, scaled by s, gives Size.
		cw, ch := min(fw, float64(l.Size.X)/s), min(fh, float64(l.Size.Y)/s)
		ax, ay, _ := o.Gravity.anchor()
		x0, y0 := (fw-cw)*ax, (fh-ch)*ay
		l.Crop = rectF{x0, y0, x0 + cw, y0 + ch}
	default: // FitMax, FitPad
		s := clampScale(min(sx, sy))
		l.Crop = full
		l.Size = image.Pt(min(bw, atLeast1(fw*s)), min(bh, atLeast1(fh*s)))
	}
	l.Canvas = l.Size
	if o.Fit == FitPad {
		l.Canvas = image.Pt(bw, bh)
		ax, ay, _ := o.Gravity.anchor()
		l.Offset = image.Pt(int(math.Round(float64(bw-l.Size.X)*ax)), int(math.Round(float64(bh-l.Size.Y)*ay)))
	}
	return l
}
