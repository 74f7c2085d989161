package thumbnail

import (
	"fmt"
	"image"
	"math"
	"testing"
)

func TestPlan(t *testing.T) {
	pt := image.Pt
	tests := []struct {
		w, h int
		o    Options
		size image.Point
		crop rectF
	}{
		// max: inside the box, aspect kept, rounded to the nearest pixel.
		{6000, 4000, Options{Width: 256, Height: 256}, pt(256, 171), rectF{0, 0, 6000, 4000}},
		{4000, 6000, Options{Width: 256, Height: 256}, pt(171, 256), rectF{0, 0, 4000, 6000}},
		{6000, 4000, Options{}, pt(256, 171), rectF{0, 0, 6000, 4000}}, // default box
		{16000, 400, Options{Width: 256, Height: 256}, pt(256, 6), rectF{0, 0, 16000, 400}},
		// never 0
		{16000, 1, Options{Width: 256, Height: 256}, pt(256, 1), rectF{0, 0, 16000, 1}},
		{1, 16000, Options{Width: 256, Height: 256}, pt(1, 256), rectF{0, 0, 1, 16000}},
		{1, 1, Options{Width: 256, Height: 256}, pt(1, 1), rectF{0, 0, 1, 1}},
		// not enlarged without Upscale, enlarged with it
		{100, 50, Options{Width: 256, Height: 256}, pt(100, 50), rectF{0, 0, 100, 50}},
		{100, 50, Options{Width: 256, Height: 256, Upscale: true}, pt(256, 128), rectF{0, 0, 100, 50}},
		{1, 1, Options{Width: 256, Height: 256, Upscale: true}, pt(256, 256), rectF{0, 0, 1, 1}},
		// one side 0: derived from the aspect ratio
		{6000, 4000, Options{Width: 300}, pt(300, 200), rectF{0, 0, 6000, 4000}},
		{6000, 4000, Options{Height: 100}, pt(150, 100), rectF{0, 0, 6000, 4000}},
		{16000, 1, Options{Width: 256}, pt(256, 1), rectF{0, 0, 16000, 1}},
		{1, 16000, Options{Height: 256}, pt(1, 256), rectF{0, 0, 1, 16000}},

		// scale: exactly the box, aspect not kept; capped by the source
		// without Upscale.
		{6000, 4000, Options{Width: 256, Height: 256, Fit: FitScale}, pt(256, 256), rectF{0, 0, 6000, 4000}},
		{100, 4000, Options{Width: 256, Height: 256, Fit: FitScale}, pt(100, 256), rectF{0, 0, 100, 4000}},
		{100, 50, Options{Width: 256, Height: 256, Fit: FitScale, Upscale: true}, pt(256, 256), rectF{0, 0, 100, 50}},
		{16000, 1, Options{Width: 256, Height: 256, Fit: FitScale}, pt(256, 1), rectF{0, 0, 16000, 1}},

		// crop: fills the box, the overflow cut at the gravity.
		{6000, 4000, Options{Width: 256, Height: 256, Fit: FitCrop}, pt(256, 256), rectF{1000, 0, 5000, 4000}},
		{4000, 6000, Options{Width: 256, Height: 256, Fit: FitCrop}, pt(256, 256), rectF{0, 1000, 4000, 5000}},
		{6000, 4000, Options{Width: 256, Height: 256, Fit: FitCrop, Gravity: GravityWest}, pt(256, 256), rectF{0, 0, 4000, 4000}},
		{6000, 4000, Options{Width: 256, Height: 256, Fit: FitCrop, Gravity: GravityEast}, pt(256, 256), rectF{2000, 0, 6000, 4000}},
		{6000, 4000, Options{Width: 256, Height: 128, Fit: FitCrop}, pt(256, 128), rectF{0, 500, 6000, 3500}},
		{6000, 4000, Options{Width: 256, Height: 128, Fit: FitCrop, Gravity: GravityNorth}, pt(256, 128), rectF{0, 0, 6000, 3000}},
		{6000, 4000, Options{Width: 256, Height: 128, Fit: FitCrop, Gravity: GravitySouth}, pt(256, 128), rectF{0, 1000, 6000, 4000}},
		{6000, 4000, Options{Width: 256, Height: 128, Fit: FitCrop, Gravity: GravityNorthWest}, pt(256, 128), rectF{0, 0, 6000, 3000}},
		{6000, 4000, Options{Width: 256, Height: 128, Fit: FitCrop, Gravity: GravitySouthEast}, pt(256, 128), rectF{0, 1000, 6000, 4000}},
		// a small source is cropped, not enlarged, without Upscale
		{100, 50, Options{Width: 64, Height: 64, Fit: FitCrop}, pt(64, 50), rectF{18, 0, 82, 50}},
		{100, 50, Options{Width: 256, Height: 256, Fit: FitCrop}, pt(100, 50), rectF{0, 0, 100, 50}},
		{100, 50, Options{Width: 256, Height: 256, Fit: FitCrop, Upscale: true}, pt(256, 256), rectF{25, 0, 75, 50}},
		// extremes
		{16000, 1, Options{Width: 256, Height: 256, Fit: FitCrop}, pt(256, 1), rectF{7872, 0, 8128, 1}},
		{1, 16000, Options{Width: 256, Height: 256, Fit: FitCrop}, pt(1, 256), rectF{0, 7872, 1, 8128}},
		{16000, 1, Options{Width: 256, Height: 256, Fit: FitCrop, Upscale: true}, pt(256, 256), rectF{7999.5, 0, 8000.5, 1}},
		{1, 1, Options{Width: 256, Height: 256, Fit: FitCrop, Upscale: true}, pt(256, 256), rectF{0, 0, 1, 1}},
	}
	for _, tt := range tests {
		name := fmt.Sprintf("%dx%d/%s/%dx%d/%s/up=%v", tt.w, tt.h, tt.o.Fit, tt.o.Width, tt.o.Height, tt.o.Gravity, tt.o.Upscale)
		t.Run(name, func(t *testing.T) {
			o, err := tt.o.normalize()
			if err != nil {
				t.Fatal(err)
			}
			l := plan(tt.w, tt.h, &o)
			if l.Size != tt.size {
				t.Errorf("size = %v, want %v", l.Size, tt.size)
			}
			if l.Canvas != l.Size || l.Offset != (image.Point{}) {
				t.Errorf("canvas %v offset %v, want the size and no offset", l.Canvas, l.Offset)
			}
			if !near(l.Crop, tt.crop) {
				t.Errorf("crop = %+v, want %+v", l.Crop, tt.crop)
			}
		})
	}
}

func TestPlanPad(t *testing.T) {
	// 6000x4000 in a 256x256 box is 256x171; the gravity places it.
	want := map[Gravity]image.Point{
		GravityCenter:    {0, 43},
		GravityNorth:     {0, 0},
		GravityNorthEast: {0, 0},
		GravityEast:      {0, 43},
		GravitySouthEast: {0, 85},
		GravitySouth:     {0, 85},
		GravitySouthWest: {0, 85},
		GravityWest:      {0, 43},
		GravityNorthWest: {0, 0},
	}
	for g, off := range want {
		o, _ := Options{Width: 256, Height: 256, Fit: FitPad, Gravity: g}.normalize()
		l := plan(6000, 4000, &o)
		if l.Size != image.Pt(256, 171) || l.Canvas != image.Pt(256, 256) || l.Offset != off {
			t.Errorf("%s: size %v canvas %v offset %v, want 256x171 on 256x256 at %v", g, l.Size, l.Canvas, l.Offset, off)
		}
	}
	// Horizontal placement, and no enlargement of a small source.
	for g, x := range map[Gravity]int{GravityWest: 0, GravityCenter: 78, GravityEast: 156, GravityNorthEast: 156, GravitySouthWest: 0} {
		o, _ := Options{Width: 256, Height: 256, Fit: FitPad, Gravity: g}.normalize()
		l := plan(100, 50, &o)
		wantY := map[Gravity]int{GravityWest: 103, GravityCenter: 103, GravityEast: 103, GravityNorthEast: 0, GravitySouthWest: 206}[g]
		if l.Size != image.Pt(100, 50) || l.Canvas != image.Pt(256, 256) || l.Offset != image.Pt(x, wantY) {
			t.Errorf("%s: size %v canvas %v offset %v, want 100x50 on 256x256 at (%d,%d)", g, l.Size, l.Canvas, l.Offset, x, wantY)
		}
	}
}

// TestPlanProperties checks, over many sizes and every fit and gravity,
// what must always hold: nothing is 0, the output lies inside the box, the
// crop lies inside the source, and without Upscale no pixel is enlarged.
func TestPlanProperties(t *testing.T) {
	sizes := []int{1, 2, 3, 7, 100, 255, 256, 257, 999, 4000, 16000}
	boxes := []image.Point{{256, 256}, {1, 1}, {100, 0}, {0, 100}, {300, 20}, {20, 300}}
	for _, fit := range []Fit{FitMax, FitCrop, FitScale, FitPad} {
		for g := range gravities() {
			for _, up := range []bool{false, true} {
				for _, w := range sizes {
					for _, h := range sizes {
						for _, b := range boxes {
							o, err := Options{Width: b.X, Height: b.Y, Fit: fit, Gravity: g, Upscale: up}.normalize()
							if err != nil {
								t.Fatal(err)
							}
							l := plan(w, h, &o)
							bw, bh := box(w, h, &o)
							if l.Size.X < 1 || l.Size.Y < 1 || l.Size.X > bw || l.Size.Y > bh {
								t.Fatalf("%dx%d %+v: size %v not inside box %dx%d", w, h, b, l.Size, bw, bh)
							}
							if l.Crop.X0 < -1e-9 || l.Crop.Y0 < -1e-9 || l.Crop.X1 > float64(w)+1e-9 || l.Crop.Y1 > float64(h)+1e-9 || l.Crop.dx() <= 0 || l.Crop.dy() <= 0 {
								t.Fatalf("%dx%d %+v %s: crop %+v outside the source", w, h, b, fit, l.Crop)
							}
							if !up && (float64(l.Size.X) > l.Crop.dx()+0.5 || float64(l.Size.Y) > l.Crop.dy()+0.5) {
								t.Fatalf("%dx%d %+v %s: crop %+v enlarged to %v without Upscale", w, h, b, fit, l.Crop, l.Size)
							}
							r := image.Rectangle{Min: l.Offset, Max: l.Offset.Add(l.Size)}
							if !r.In(image.Rectangle{Max: l.Canvas}) {
								t.Fatalf("%dx%d %+v %s: placed at %v, outside the canvas %v", w, h, b, fit, r, l.Canvas)
							}
						}
					}
				}
			}
		}
	}
}

func gravities() map[Gravity]bool {
	return map[Gravity]bool{
		GravityCenter: true, GravityNorth: true, GravityNorthEast: true, GravityEast: true, GravitySouthEast: true,
		GravitySouth: true, GravitySouthWest: true, GravityWest: true, GravityNorthWest: true,
	}
}

func near(a, b rectF) bool {
	const eps = 1e-6
	return math.Abs(a.X0-b.X0) < eps && math.Abs(a.Y0-b.Y0) < eps && math.Abs(a.X1-b.X1) < eps && math.Abs(a.Y1-b.Y1) < eps
}
