package exif

import (
	"encoding/binary"
	"testing"

	"github.com/thumbnail-go/thumbnail/internal/handlertest"
)

// block builds a little-endian EXIF block whose IFD0 holds the entries
// given as (tag, type, count, value).
func block(entries ...[4]uint32) []byte {
	le := binary.LittleEndian
	b := []byte("Exif\x00\x00II*\x00\x08\x00\x00\x00")
	b = le.AppendUint16(b, uint16(len(entries)))
	for _, e := range entries {
		b = le.AppendUint16(le.AppendUint16(b, uint16(e[0])), uint16(e[1]))
		b = le.AppendUint32(le.AppendUint32(b, e[2]), e[3])
	}
	return le.AppendUint32(b, 0)
}

func TestOrientation(t *testing.T) {
	for _, c := range []struct {
		name string
		b    []byte
		want int
	}{
		{"orientation 6", block([4]uint32{orientationTag, 3, 1, 6}), 6},
		{"none", block([4]uint32{0x010f, 2, 4, 0x41424300}), 1},
		{"out of range", block([4]uint32{orientationTag, 3, 1, 9}), 1},
		{"not EXIF", []byte("hello"), 1},
		// An entry claiming 2^31 shorts far past the block: goexif would
		// allocate 16 GB for it before finding the data missing.
		{"a count past the data", block([4]uint32{0x3030, 3, 1<<31 + 1, 0xffffff}, [4]uint32{orientationTag, 3, 1, 6}), 1},
		{"a directory past the data", []byte("Exif\x00\x00II*\x00\x08\x00\x00\x00\xff\xff"), 1},
	} {
		var got int
		n := handlertest.Allocated(func() { got = Orientation(c.b) })
		if got != c.want {
			t.Errorf("%s: orientation %d, want %d", c.name, got, c.want)
		}
		if n > 1<<20 {
			t.Errorf("%s: allocated %d bytes", c.name, n)
		}
	}
}
