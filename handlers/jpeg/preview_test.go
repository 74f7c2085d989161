package jpeg

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/draw"
	stdjpeg "image/jpeg"
	"os"
	"path/filepath"
	"testing"

	"github.com/thumbnail-go/thumbnail"
	"github.com/thumbnail-go/thumbnail/internal/corpus"
	"github.com/thumbnail-go/thumbnail/internal/testimage"
)

func encode(t *testing.T, m image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := stdjpeg.Encode(&buf, m, &stdjpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func solid(w, h int, c color.Color) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(m, m.Rect, image.NewUniform(c), image.Point{}, draw.Src)
	return m
}

// TestPreview: the EXIF thumbnail is returned when it is at least the
// hint's size, decoded no larger than it needs to be, and not otherwise.
func TestPreview(t *testing.T) {
	blue := color.RGBA{0, 0, 255, 255}
	file := testimage.WithThumbnail(encode(t, testimage.Photo(800, 600)), encode(t, solid(320, 240, blue)))
	h := Handler{}

	m, err := h.Preview(bytes.NewReader(file), thumbnail.Hint{Width: 160, Height: 120})
	if err != nil || m == nil {
		t.Fatalf("Preview: %v, %v", m, err)
	}
	if m.Bounds().Size() != image.Pt(320, 240) {
		t.Errorf("preview size %v, want 320x240", m.Bounds().Size())
	}
	r, g, b, _ := m.At(100, 100).RGBA()
	if r>>8 > 8 || g>>8 > 8 || b>>8 < 240 {
		t.Errorf("preview pixel = %d,%d,%d, want blue", r>>8, g>>8, b>>8)
	}
	// A smaller need: the preview is decoded in the DCT domain too.
	if m, _ := h.Preview(bytes.NewReader(file), thumbnail.Hint{Width: 40, Height: 30}); m == nil || m.Bounds().Dx() != 80 {
		t.Errorf("preview for a 40x30 need: %v, want 80 wide (twice the need)", m)
	}
	if m, err := h.Preview(bytes.NewReader(file), thumbnail.Hint{Width: 321, Height: 240}); m != nil || err != nil {
		t.Errorf("preview for more than it holds: %v, %v; want none", m, err)
	}
	// A "preview" larger than the image is not one.
	big := testimage.WithThumbnail(encode(t, testimage.Photo(200, 150)), encode(t, solid(400, 300, blue)))
	if m, err := h.Preview(bytes.NewReader(big), thumbnail.Hint{Width: 50, Height: 38}); m != nil || err != nil {
		t.Errorf("a preview larger than its image: %v, %v; want none", m, err)
	}
	// The image itself is still the image.
	full, err := decode(bytes.NewReader(file), thumbnail.Hint{})
	if err != nil || full.Bounds().Size() != image.Pt(800, 600) {
		t.Fatalf("decode: %v, %v", full, err)
	}
}

// TestPreviewCorpus: the corpus phone photo's 252x189 EXIF thumbnail is
// found; a camera file without one gives none.
func TestPreviewCorpus(t *testing.T) {
	dir := corpus.Dir(t)
	data, err := os.ReadFile(filepath.Join(dir, "jpeg/camera/Huawei_Nexus6P_12MP.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := Handler{}.Preview(bytes.NewReader(data), thumbnail.Hint{Width: 100, Height: 75})
	if err != nil || m == nil || m.Bounds().Size() != image.Pt(252, 189) {
		t.Fatalf("Preview = %v, %v; want the 252x189 EXIF thumbnail", m, err)
	}
	data, err = os.ReadFile(filepath.Join(dir, "jpeg/camera/Fujifilm_FinePix_E500.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	if m, err := (Handler{}).Preview(bytes.NewReader(data), thumbnail.Hint{Width: 10, Height: 10}); m != nil || err != nil {
		t.Errorf("a file without an EXIF thumbnail: %v, %v; want none", m, err)
	}
}

// withMPF appends preview to main and indexes it in an APP2 MPF segment
// as a large thumbnail (CIPA DC-007), the way cameras store a preview
// larger than the EXIF one.
func withMPF(main, preview []byte) []byte {
	le := binary.LittleEndian
	const ifdLen = 2 + 12 + 4
	const entriesAt = 8 + ifdLen
	segLen := 2 + 4 + entriesAt + 32 // length field, "MPF\0", header and IFD, two entries
	mpHeader := 2 + 2 + 2 + 4        // SOI, marker, length, "MPF\0"
	previewAt := 2 + 2 + segLen + len(main) - 2
	mp := le.AppendUint32([]byte("II*\x00"), 8)
	mp = le.AppendUint16(mp, 1)
	mp = le.AppendUint16(mp, 0xb002)
	mp = le.AppendUint16(mp, 7) // UNDEFINED
	mp = le.AppendUint32(mp, 32)
	mp = le.AppendUint32(mp, entriesAt)
	mp = le.AppendUint32(mp, 0)
	mp = le.AppendUint32(mp, 0x030000) // the primary image
	mp = le.AppendUint32(mp, uint32(len(main)))
	mp = le.AppendUint32(mp, 0)
	mp = le.AppendUint32(mp, 0)
	mp = le.AppendUint32(mp, mpLargeThumbVGA)
	mp = le.AppendUint32(mp, uint32(len(preview)))
	mp = le.AppendUint32(mp, uint32(previewAt-mpHeader))
	mp = le.AppendUint32(mp, 0)
	out := append([]byte{}, main[:2]...)
	out = append(out, 0xff, 0xe2, byte(segLen>>8), byte(segLen))
	out = append(out, "MPF\x00"...)
	out = append(out, mp...)
	out = append(out, main[2:]...)
	return append(out, preview...)
}

// TestPreviewMPF: of an EXIF thumbnail too small for the need and an MPF
// large thumbnail that covers it, the MPF one is decoded.
func TestPreviewMPF(t *testing.T) {
	green := color.RGBA{0, 255, 0, 255}
	main := testimage.WithThumbnail(encode(t, testimage.Photo(1600, 1200)), encode(t, solid(160, 120, color.RGBA{0, 0, 255, 255})))
	file := withMPF(main, encode(t, solid(640, 480, green)))
	m, err := Handler{}.Preview(bytes.NewReader(file), thumbnail.Hint{Width: 300, Height: 225})
	if err != nil || m == nil {
		t.Fatalf("Preview: %v, %v", m, err)
	}
	r, g, b, _ := m.At(10, 10).RGBA()
	if m.Bounds().Size() != image.Pt(640, 480) || r>>8 > 8 || g>>8 < 240 || b>>8 > 8 {
		t.Errorf("preview %v, pixel %d,%d,%d; want the green 640x480", m.Bounds().Size(), r>>8, g>>8, b>>8)
	}
	// The small need takes the smallest preview that covers it: EXIF's.
	m, _ = Handler{}.Preview(bytes.NewReader(file), thumbnail.Hint{Width: 80, Height: 60})
	if r, g, b, _ := m.At(10, 10).RGBA(); m.Bounds().Dx() != 160 || r>>8 > 8 || g>>8 > 8 || b>>8 < 240 {
		t.Errorf("preview for 80x60: %v, want the blue EXIF thumbnail", m.Bounds())
	}
	// The main image still decodes from the file, preview appended.
	if full, err := decode(bytes.NewReader(file), thumbnail.Hint{}); err != nil || full.Bounds().Dx() != 1600 {
		t.Errorf("decode: %v, %v", full, err)
	}
}
