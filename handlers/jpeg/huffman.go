package jpeg

import (
	"bufio"
	"io"

	"github.com/thumbnail-go/thumbnail/internal/wrap"
)

// lutBits is how many bits of lookahead resolve a Huffman code in one
// table lookup; longer codes are walked a bit at a time.
const lutBits = 11

// huffman is one decoding table (ITU T.81 annex C and F.2.2.3).
type huffman struct {
	// lut maps the next lutBits bits to length<<8 | value for codes of
	// at most lutBits bits; 0 for longer codes.
	lut [1 << lutBits]uint16
	// fast maps the next lutBits bits, when they hold an AC code and all
	// of its value, to the bits used<<20 | run<<16 | uint16(value); 0
	// otherwise (end of block, zero runs, longer codes).
	fast    [1 << lutBits]uint32
	maxcode [17]int32 // the largest code of each length, -1 if none
	valptr  [17]int32 // index in vals of the first code of each length
	mincode [17]int32
	vals    [256]uint8
	maxVal  uint8 // the largest value: a DC table's must be at most 15
}

// build makes the table for counts[l-1] codes of length l, with vals in
// code order.
func (h *huffman) build(counts [16]uint8, vals []uint8) error {
	*h = huffman{}
	copy(h.vals[:], vals)
	for _, v := range vals {
		h.maxVal = max(h.maxVal, v)
	}
	code, k := int32(0), int32(0)
	for l := 1; l <= 16; l++ {
		n := int32(counts[l-1])
		if code+n > 1<<l {
			return wrap.Corruptf("jpeg", "Huffman table has more codes of length %d than fit", l)
		}
		h.mincode[l], h.valptr[l] = code, k
		h.maxcode[l] = -1
		if n > 0 {
			h.maxcode[l] = code + n - 1
		}
		for range n {
			if l <= lutBits {
				// Every lookahead that starts with this code.
				shift := lutBits - l
				for i := code << shift; i < (code+1)<<shift; i++ {
					h.lut[i] = uint16(l)<<8 | uint16(vals[k])
				}
			}
			code, k = code+1, k+1
		}
		code <<= 1
	}
	for i, e := range h.lut {
		l, rs := uint(e>>8), e&0xff
		r, size := uint32(rs>>4), uint(rs&15)
		if e == 0 || size == 0 || l+size > lutBits {
			continue
		}
		v := int32(i>>(lutBits-l-size)) & (1<<size - 1)
		if v < 1<<(size-1) {
			v += -1<<size + 1
		}
		h.fast[i] = uint32(l+size)<<20 | r<<16 | uint32(uint16(int16(v)))
	}
	return nil
}

// bitReader reads entropy-coded data: bytes with 0xFF00 stuffing, up to
// the next marker. Past a marker or the end of the input it supplies
// zero bits, as libjpeg does, and remembers why.
type bitReader struct {
	r      *bufio.Reader
	win    []byte // bytes peeked from r and not yet discarded
	pos    int    // how many of them are consumed
	acc    uint64 // the next n bits, in the low bits
	n      uint
	marker byte // the marker that ended the data, 0 while inside it
	eof    bool // the input ended inside entropy-coded data
	fake   uint // zero bits supplied past the end of the data
	cut    bool // bits past the end of the input were consumed
	padded bool // bits past the end of the data were consumed
	stray  bool // data was left over after a scan or an interval
}

// fill tops acc up to at least 57 bits.
func (b *bitReader) fill() {
	for b.n <= 56 {
		if b.marker != 0 || b.eof {
			b.acc <<= 8
			b.n += 8
			b.fake += 8
			continue
		}
		// Take the plain bytes straight from the reader's buffer.
		if b.pos == len(b.win) {
			b.sync()
			b.win, _ = b.r.Peek(max(1, b.r.Buffered()))
			if len(b.win) == 0 {
				b.eof = true
				continue
			}
		}
		buf, i := b.win, b.pos
		for ; b.n <= 56 && i < len(buf) && buf[i] != 0xff; i++ {
			b.acc = b.acc<<8 | uint64(buf[i])
			b.n += 8
		}
		b.pos = i
		if b.n <= 56 && i < len(buf) {
			b.sync()
			b.stuffed()
		}
	}
}

// sync gives the bytes consumed from the peeked window back to r's
// position, so that r can be read directly.
func (b *bitReader) sync() {
	b.r.Discard(b.pos)
	b.win, b.pos = nil, 0
}

// stuffed reads a 0xFF byte and what follows it: 0x00 makes it a data
// byte; fill bytes and a marker code end the data.
func (b *bitReader) stuffed() {
	b.r.ReadByte()
	m, err := b.r.ReadByte()
	for err == nil && m == 0xff {
		m, err = b.r.ReadByte()
	}
	switch {
	case err != nil:
		b.eof = true
	case m != 0:
		b.marker = m
	default:
		b.acc = b.acc<<8 | 0xff
		b.n += 8
	}
}

// bits returns the next n (at most 16) bits.
func (b *bitReader) bits(n uint) int32 {
	if n == 0 {
		return 0
	}
	if b.n < n {
		b.fill()
	}
	b.n -= n
	return int32(b.acc>>b.n) & (1<<n - 1)
}

// bit returns the next bit.
func (b *bitReader) bit() bool { return b.bits(1) != 0 }

// extend reads n bits and gives them the sign T.81 F.2.2.1 says.
func (b *bitReader) extend(n uint8) int32 {
	if n == 0 {
		return 0
	}
	v := b.bits(uint(n))
	if v < 1<<(n-1) {
		v += -1<<n + 1
	}
	return v
}

// decode reads one Huffman-coded value.
func (b *bitReader) decode(h *huffman) (uint8, error) {
	if b.n < 16 {
		b.fill()
	}
	if e := h.lut[b.acc>>(b.n-lutBits)&(1<<lutBits-1)]; e != 0 {
		b.n -= uint(e >> 8)
		return uint8(e), nil
	}
	code := int32(0)
	for l := 1; l <= 16; l++ {
		b.n--
		code = code<<1 | int32(b.acc>>b.n&1)
		if code <= h.maxcode[l] {
			return h.vals[h.valptr[l]+code-h.mincode[l]], nil
		}
	}
	return 0, wrap.Corruptf("jpeg", "bad Huffman code")
}

// truncated reports whether decoding has read past the end of the input:
// the file was cut short.
func (b *bitReader) truncated() bool { return b.cut || b.eof && b.n < b.fake }

// overran reports whether decoding has read past the end of the
// entropy-coded data (a marker or the end of the input): the data was
// short, and zeros stood in for the rest, as libjpeg does.
func (b *bitReader) overran() bool { return b.padded || b.n < b.fake }

// reset forgets buffered bits and the marker that ended the data, for a
// new interval or scan.
func (b *bitReader) reset() {
	b.sync()
	b.cut = b.truncated()
	b.padded = b.overran()
	b.acc, b.n, b.marker, b.fake = 0, 0, 0, 0
}

// nextMarker returns the marker that ended the entropy-coded data, or
// reads on to the next one, skipping stray bytes as libjpeg does. Whole
// bytes of data left unread before the marker are noted as stray.
func (b *bitReader) nextMarker() (byte, error) {
	if b.n >= b.fake+8 {
		b.stray = true
	}
	if b.marker != 0 {
		m := b.marker
		b.reset()
		return m, nil
	}
	if b.eof {
		b.reset()
		return 0, wrap.Corrupt("jpeg", io.ErrUnexpectedEOF)
	}
	b.reset()
	if c, err := b.r.Peek(1); err == nil && c[0] != 0xff {
		b.stray = true
	}
	return nextMarker(b.r)
}

// The Huffman tables of ITU T.81 K.3, which Motion-JPEG frames use without
// storing them (no DHT segment).
var (
	stdDCCounts = [16]uint8{0, 1, 5, 1, 1, 1, 1, 1, 1}
	stdDCValues = []uint8{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}

	stdLumaACCounts = [16]uint8{0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d}
	stdLumaACValues = []uint8{
		0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07,
		0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0,
		0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28,
		0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49,
		0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69,
		0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
		0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
		0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5,
		0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2,
		0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
		0xf9, 0xfa,
	}

	stdChromaDCCounts = [16]uint8{0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1}
	stdChromaACCounts = [16]uint8{0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77}
	stdChromaACValues = []uint8{
		0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71,
		0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0,
		0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17, 0x18, 0x19, 0x1a, 0x26,
		0x27, 0x28, 0x29, 0x2a, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48,
		0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,
		0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
		0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5,
		0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3,
		0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda,
		0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
		0xf9, 0xfa,
	}
)
