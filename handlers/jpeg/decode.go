package jpeg

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"io"
	"math/bits"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/thumbnail-go/thumbnail"
	"github.com/thumbnail-go/thumbnail/internal/wrap"
)

// The decoder: baseline, extended-sequential and progressive Huffman
// JPEG (ITU T.81), 8-bit, 1 to 4 components, any sampling factors. It
// decodes at 1/1, 1/2, 1/4 or 1/8 of the stored size, scaling in the DCT
// domain (see idct.go), into planes that become an *image.YCbCr, Gray,
// CMYK or RGBA: the layout the resampler reads without converting.

// Further marker codes (ITU T.81 table B.1).
const (
	sof1  = 0xc1 // extended sequential, Huffman
	sof2  = 0xc2 // progressive, Huffman
	rst0  = 0xd0
	rst7  = 0xd7
	dqt   = 0xdb
	dri   = 0xdd
	app0  = 0xe0
	app14 = 0xee
)

// component is one colour component of the frame.
type component struct {
	id     byte
	h, v   int // sampling factors
	tq     int // quantisation table
	bw, bh int // blocks across and down, padded to whole MCUs
	// Blocks that hold image data when the component is coded alone (a
	// non-interleaved scan covers only these).
	bwAlone, bhAlone int
	// A progressive image's coefficients, kept between scans: for each
	// block, which of the 64 are non-zero (bit k for zigzag index k), and
	// the values of the first keep of them, all that the transform at
	// the decode scale reads. The others are only ever tested for zero,
	// which is all a refinement scan needs to be parsed.
	nz     []uint64
	coef   []int16
	keep   int
	pix    []uint8 // the component's samples at the decode scale
	stride int
	pred   int32 // DC predictor
	td, ta int   // Huffman tables of the current scan
}

type decoder struct {
	ctx        context.Context // checked between rows of MCUs
	maxWorkers int             // goroutines for restart intervals; 0 = GOMAXPROCS
	count      *counter        // the input, counted
	at         io.ReaderAt     // the input, when it can be read at offsets
	r          *bufio.Reader
	bits       bitReader
	width      int
	height     int
	comps      []component
	frame      bool
	prog       bool
	n          int // output block size: 8 / scale
	hmax       int
	vmax       int
	mcusX      int
	mcusY      int
	qt         [4][64]float32 // zigzag order
	qtSet      [4]bool
	dc, ac     [4]*huffman
	ri         int // restart interval, in MCUs
	jfif       bool
	adobe      bool
	xform      byte // Adobe APP14 colour transform
	eobrun     int
	scans      int
	// irregular is set when the data is irregular in ways the decoder
	// tolerates (see decodeStrict): bytes stray between segments, a
	// restart interval decoded on its own holds data shorter or longer
	// than it, or values no 8-bit encoder writes (a DC outside ±2047, an
	// AC value of more than 10 bits, a dequantised coefficient beyond the
	// transform's ±1024 by more than half its quantiser). Such data is
	// decoded as it is, not refused.
	irregular bool
	// strict asks for the coefficient range check behind irregular, which
	// costs a look at every coefficient of every block at full size.
	strict bool
	blk    [64]float32
}

// decode reads a JPEG from r at the smallest DCT scale that leaves at
// least twice hint (see readSOF).
func decode(r io.Reader, hint thumbnail.Hint) (image.Image, error) {
	return decodeContext(context.Background(), r, hint)
}

// decodeContext is decode, stopping between rows of MCUs once ctx ends.
func decodeContext(ctx context.Context, r io.Reader, hint thumbnail.Hint) (image.Image, error) {
	return newDecoder(ctx, r).decode(hint)
}

// decodeStrict is decode that also says whether the data was irregular
// in ways the decoder tolerates: entropy-coded data shorter or longer than
// its scan (padded with zeros, or skipped, as libjpeg does) or values out
// of an 8-bit JPEG's range. Decoders differ there by design.
func decodeStrict(ctx context.Context, r io.Reader, hint thumbnail.Hint) (image.Image, bool, error) {
	d := newDecoder(ctx, r)
	d.strict = true
	m, err := d.decode(hint)
	return m, d.bits.overran() || d.bits.stray || d.irregular, err
}

// newDecoder reads r through a buffer, counting what it reads so that an
// io.ReaderAt input can be read again at known offsets (from r's current
// position, when r is also an io.Seeker, else from 0).
func newDecoder(ctx context.Context, r io.Reader) *decoder {
	d := &decoder{ctx: ctx, count: &counter{r: r}}
	d.at, _ = r.(io.ReaderAt)
	if s, ok := r.(io.Seeker); ok && d.at != nil {
		if pos, err := s.Seek(0, io.SeekCurrent); err == nil {
			d.count.n = pos
		}
	}
	d.r = bufio.NewReaderSize(d.count, 32<<10)
	return d
}

// counter counts the bytes read through it, from where it starts.
type counter struct {
	r io.Reader
	n int64
}

func (c *counter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// offset is the input offset of the next byte d.r will return.
func (d *decoder) offset() int64 { return d.count.n - int64(d.r.Buffered()) }

func (d *decoder) decode(hint thumbnail.Hint) (image.Image, error) {
	d.bits.r = d.r
	var b [2]byte
	if _, err := io.ReadFull(d.r, b[:]); err != nil || b[0] != 0xff || b[1] != soi {
		return nil, wrap.Corruptf("jpeg", "missing SOI marker")
	}
	marker, err := d.nextMarker()
	for err == nil && marker != eoi {
		if marker >= rst0 && marker <= rst7 || marker == 0x01 {
			marker, err = d.nextMarker() // stand-alone markers
			continue
		}
		var n int
		if n, err = d.length(); err != nil {
			break
		}
		switch {
		case marker == sos:
			if err = d.scan(n, hint); err == nil {
				marker, err = d.bits.nextMarker()
			}
			continue
		case marker == dqt:
			err = d.readDQT(n)
		case marker == dht:
			err = d.readDHT(n)
		case marker == dri:
			err = d.readDRI(n)
		case marker == app0 || marker == app14:
			err = d.readApp(marker, n)
		case isSOF(marker):
			err = d.readSOF(marker, n, hint)
		default:
			if _, err = d.r.Discard(n); err != nil {
				err = wrap.Corrupt("jpeg", err)
			}
		}
		if err == nil {
			marker, err = d.nextMarker()
		}
	}
	// An input that ends after complete scans (a file that lost its EOI)
	// is decoded with what is there, as libjpeg does.
	if err != nil && !(d.scans > 0 && !d.bits.truncated() && errors.Is(err, io.ErrUnexpectedEOF)) {
		return nil, err
	}
	if d.scans == 0 {
		return nil, wrap.Corruptf("jpeg", "no image data (SOS)")
	}
	if d.prog {
		d.reconstruct()
	}
	return d.image()
}

// nextMarker reads the next marker between segments, noting bytes that
// stray before it (libjpeg skips them with a warning, as this does).
func (d *decoder) nextMarker() (byte, error) {
	if c, err := d.r.Peek(1); err == nil && c[0] != 0xff {
		d.irregular = true
	}
	return nextMarker(d.r)
}

// length reads a segment's length field and returns the bytes after it.
func (d *decoder) length() (int, error) {
	var lb [2]byte
	if _, err := io.ReadFull(d.r, lb[:]); err != nil {
		return 0, wrap.Corrupt("jpeg", err)
	}
	n := int(lb[0])<<8 | int(lb[1]) - 2
	if n < 0 {
		return 0, wrap.Corruptf("jpeg", "segment length %d", n+2)
	}
	return n, nil
}

// body reads a whole segment of n bytes.
func (d *decoder) body(n int) ([]byte, error) {
	b := make([]byte, n)
	if _, err := io.ReadFull(d.r, b); err != nil {
		return nil, wrap.Corrupt("jpeg", err)
	}
	return b, nil
}

func (d *decoder) readApp(marker byte, n int) error {
	b, err := d.body(n)
	if err != nil {
		return err
	}
	switch {
	case marker == app0 && len(b) >= 5 && string(b[:5]) == "JFIF\x00":
		d.jfif = true
	case marker == app14 && len(b) >= 12 && string(b[:5]) == "Adobe":
		d.adobe, d.xform = true, b[11]
	}
	return nil
}

func (d *decoder) readDQT(n int) error {
	b, err := d.body(n)
	if err != nil {
		return err
	}
	for len(b) > 0 {
		pq, tq := b[0]>>4, int(b[0]&15)
		size := 65
		if pq == 1 {
			size = 129
		}
		if pq > 1 || tq > 3 || len(b) < size {
			return wrap.Corruptf("jpeg", "bad quantisation table")
		}
		for k := range 64 {
			if pq == 0 {
				d.qt[tq][k] = float32(b[1+k])
			} else {
				d.qt[tq][k] = float32(int(b[1+2*k])<<8 | int(b[2+2*k]))
			}
		}
		d.qtSet[tq] = true
		b = b[size:]
	}
	return nil
}

func (d *decoder) readDHT(n int) error {
	b, err := d.body(n)
	if err != nil {
		return err
	}
	for len(b) > 0 {
		if len(b) < 17 {
			return wrap.Corruptf("jpeg", "short Huffman table")
		}
		tc, th := b[0]>>4, int(b[0]&15)
		var counts [16]uint8
		copy(counts[:], b[1:17])
		total := 0
		for _, c := range counts {
			total += int(c)
		}
		if tc > 1 || th > 3 || total > 256 || len(b) < 17+total {
			return wrap.Corruptf("jpeg", "bad Huffman table")
		}
		h := new(huffman)
		if err := h.build(counts, b[17:17+total]); err != nil {
			return err
		}
		if tc == 0 {
			d.dc[th] = h
		} else {
			d.ac[th] = h
		}
		b = b[17+total:]
	}
	return nil
}

func (d *decoder) readDRI(n int) error {
	b, err := d.body(n)
	if err != nil {
		return err
	}
	if len(b) != 2 {
		return wrap.Corruptf("jpeg", "bad DRI segment")
	}
	d.ri = int(b[0])<<8 | int(b[1])
	return nil
}

func (d *decoder) readSOF(marker byte, n int, hint thumbnail.Hint) error {
	if d.frame {
		return wrap.Corruptf("jpeg", "second frame header")
	}
	b, err := d.body(n)
	if err != nil {
		return err
	}
	if err := checkFrame(marker, 8); err != nil { // the kind, before the body's length
		return err
	}
	if len(b) < 6 {
		return wrap.Corruptf("jpeg", "short frame header")
	}
	if err := checkFrame(marker, b[0]); err != nil {
		return err
	}
	d.prog = marker == sof2
	d.height, d.width = int(b[1])<<8|int(b[2]), int(b[3])<<8|int(b[4])
	nc := int(b[5])
	if d.width == 0 || d.height == 0 {
		return wrap.Corruptf("jpeg", "frame is %dx%d", d.width, d.height)
	}
	if (nc != 1 && nc != 3 && nc != 4) || len(b) != 6+3*nc {
		return wrap.Corruptf("jpeg", "%d components in a frame header of %d bytes", nc, len(b))
	}
	d.comps = make([]component, nc)
	for i := range d.comps {
		c := &d.comps[i]
		p := b[6+3*i:]
		c.id, c.h, c.v, c.tq = p[0], int(p[1]>>4), int(p[1]&15), int(p[2])
		if c.h < 1 || c.h > 4 || c.v < 1 || c.v > 4 || c.tq > 3 {
			return wrap.Corruptf("jpeg", "component %d: sampling %dx%d, table %d", i, c.h, c.v, c.tq)
		}
		d.hmax, d.vmax = max(d.hmax, c.h), max(d.vmax, c.v)
	}
	if nc == 1 { // a single component is never interleaved: its MCU is one block
		d.comps[0].h, d.comps[0].v, d.hmax, d.vmax = 1, 1, 1, 1
	}

	// The largest reduction that leaves at least twice the hint: the DCT
	// reduction is close to a box filter, so the last halving is left to
	// the resampler's kernel (at exactly the hint, thumbnails lose about
	// 5 dB PSNR against a full decode).
	d.n = 8
	if hint.Width > 0 && hint.Height > 0 {
		for d.n > 1 && ceilDiv(d.width*(d.n/2), 8) >= 2*hint.Width && ceilDiv(d.height*(d.n/2), 8) >= 2*hint.Height {
			d.n /= 2
		}
	}

	d.mcusX, d.mcusY = ceilDiv(d.width, 8*d.hmax), ceilDiv(d.height, 8*d.vmax)
	for i := range d.comps {
		c := &d.comps[i]
		c.bw, c.bh = d.mcusX*c.h, d.mcusY*c.v
		c.bwAlone = ceilDiv(ceilDiv(d.width*c.h, d.hmax), 8)
		c.bhAlone = ceilDiv(ceilDiv(d.height*c.v, d.vmax), 8)
		c.stride = c.bw * d.n
		c.pix = make([]uint8, c.stride*c.bh*d.n)
		if d.prog {
			c.keep = lastCoef[d.n] + 1
			c.nz = make([]uint64, c.bw*c.bh)
			c.coef = make([]int16, c.bw*c.bh*c.keep)
		}
	}
	d.frame = true
	return nil
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// scan reads a scan header of n bytes and decodes the scan.
func (d *decoder) scan(n int, hint thumbnail.Hint) error {
	if !d.frame {
		return wrap.Corruptf("jpeg", "scan before the frame header")
	}
	b, err := d.body(n)
	if err != nil {
		return err
	}
	if len(b) < 1 || len(b) != 4+2*int(b[0]) || b[0] == 0 || int(b[0]) > len(d.comps) {
		return wrap.Corruptf("jpeg", "bad scan header")
	}
	ns := int(b[0])
	var in []*component
	for i := range ns {
		id, tables := b[1+2*i], b[2+2*i]
		var c *component
		for j := range d.comps {
			if d.comps[j].id == id {
				c = &d.comps[j]
			}
		}
		if c == nil {
			return wrap.Corruptf("jpeg", "scan names unknown component %d", id)
		}
		c.td, c.ta = int(tables>>4), int(tables&15)
		if c.td > 3 || c.ta > 3 {
			return wrap.Corruptf("jpeg", "bad Huffman table selector")
		}
		in = append(in, c)
	}
	p := b[1+2*ns:]
	ss, se, ah, al := int(p[0]), int(p[1]), int(p[2]>>4), int(p[2]&15)
	if d.prog {
		if ss > se || se > 63 || (ss == 0) != (se == 0) || (ss > 0 && ns != 1) || al > 13 {
			return wrap.Corruptf("jpeg", "bad progressive scan parameters")
		}
	} else {
		ss, se, ah, al = 0, 63, 0, 0
	}
	for _, c := range in {
		if !d.qtSet[c.tq] {
			return wrap.Corruptf("jpeg", "component uses undefined quantisation table %d", c.tq)
		}
		c.pred = 0
		needDC, needAC := !d.prog || (ss == 0 && ah == 0), !d.prog || ss > 0
		if needDC && d.dc[c.td] == nil || needAC && d.ac[c.ta] == nil {
			d.useStandardTables()
		}
		if needDC && d.dc[c.td] == nil || needAC && d.ac[c.ta] == nil {
			return wrap.Corruptf("jpeg", "scan uses an undefined Huffman table")
		}
		// A DC value is the bit count of a difference, at most 15; libjpeg
		// rejects a table with more as bogus, and so do we, before
		// extend is asked for more bits than a difference has.
		if needDC && d.dc[c.td].maxVal > 15 {
			return wrap.Corruptf("jpeg", "DC Huffman table %d has a value above 15", c.td)
		}
	}
	d.eobrun = 0
	d.bits.reset()
	if err := d.entropy(in, ss, se, ah, al); err != nil {
		return err
	}
	d.scans++
	return nil
}

// useStandardTables fills empty Huffman slots with T.81 K.3's tables, as
// Motion-JPEG frames (which carry no DHT) expect.
func (d *decoder) useStandardTables() {
	set := func(dst **huffman, counts [16]uint8, vals []uint8) {
		if *dst == nil {
			*dst = new(huffman)
			(*dst).build(counts, vals) // the standard tables are valid
		}
	}
	set(&d.dc[0], stdDCCounts, stdDCValues)
	set(&d.dc[1], stdChromaDCCounts, stdDCValues)
	set(&d.ac[0], stdLumaACCounts, stdLumaACValues)
	set(&d.ac[1], stdChromaACCounts, stdChromaACValues)
}

// entropy decodes the MCUs of one scan.
func (d *decoder) entropy(in []*component, ss, se, ah, al int) error {
	mx, my := d.scanMCUs(in)
	if !d.prog && d.ri > 0 && d.ri < mx*my && d.workers() > 1 && d.at != nil {
		return d.intervals(in, mx, my)
	}
	mcu := 0
	for y := range my {
		for x := range mx {
			if d.ri > 0 && mcu > 0 && mcu%d.ri == 0 {
				if err := d.restart(); err != nil {
					return err
				}
			}
			mcu++
			if err := d.mcu(in, x, y, ss, se, ah, al); err != nil {
				return err
			}
		}
		if d.bits.truncated() {
			return wrap.Corrupt("jpeg", io.ErrUnexpectedEOF)
		}
		if err := d.ctx.Err(); err != nil {
			return err
		}
	}
	return nil
}

// scanMCUs is the size of a scan in MCUs: an interleaved scan runs over
// MCUs of h x v blocks of each component, a scan of one component over its
// blocks one by one.
func (d *decoder) scanMCUs(in []*component) (mx, my int) {
	if len(in) == 1 {
		return in[0].bwAlone, in[0].bhAlone
	}
	return d.mcusX, d.mcusY
}

// mcu decodes the MCU at (x, y) of a scan of the components in.
func (d *decoder) mcu(in []*component, x, y, ss, se, ah, al int) error {
	for _, c := range in {
		h, v := c.h, c.v
		if len(in) == 1 {
			h, v = 1, 1
		}
		for by := range v {
			for bx := range h {
				if err := d.block(c, x*h+bx, y*v+by, ss, se, ah, al); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// workers is how many goroutines may decode restart intervals at once.
func (d *decoder) workers() int {
	if d.maxWorkers > 0 {
		return d.maxWorkers
	}
	return runtime.GOMAXPROCS(0)
}

// intervals decodes a sequential scan whose restart markers cut it into
// independent intervals, several at a time: the scan's data is read into
// memory and split at its RSTn markers, and each goroutine decodes whole
// intervals with predictors and a bit reader of its own. Data whose
// markers do not cut it into as many intervals as the MCUs call for (a
// marker lost or doubled) is decoded in order instead, resynchronising as
// libjpeg does.
func (d *decoder) intervals(in []*component, mx, my int) error {
	start := d.offset()
	cuts, end, endAt, err := d.scanCuts()
	if err != nil {
		return err
	}
	total := mx * my
	n := (total + d.ri - 1) / d.ri
	defer func() {
		d.bits.reset()
		d.bits.marker = end
	}()
	if len(cuts) != n {
		// Read the scan again, in order, from its start.
		src := bufio.NewReaderSize(io.NewSectionReader(d.at, start, endAt+2-start), 32<<10)
		d.bits.r = src
		defer func() { d.bits.r = d.r }()
		d.bits.reset()
		ri := d.ri
		mcu := 0
		for y := range my {
			for x := range mx {
				if mcu > 0 && mcu%ri == 0 {
					if err := d.restart(); err != nil {
						return err
					}
				}
				mcu++
				if err := d.mcu(in, x, y, 0, 63, 0, 0); err != nil {
					return err
				}
			}
		}
		return nil
	}

	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make([]error, min(d.workers(), n))
	irregular := make([]bool, len(errs))
	for w := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// A decoder of its own: predictors, bit reader, block.
			wd := &decoder{}
			*wd = *d
			wd.comps = append([]component(nil), d.comps...)
			win := make([]*component, len(in))
			for i, c := range in {
				win[i] = &wd.comps[c.index(d.comps)]
			}
			br := bufio.NewReaderSize(nil, 16<<10)
			for errs[w] == nil && wd.ctx.Err() == nil {
				i := int(next.Add(1)) - 1
				if i >= n {
					break
				}
				// Each interval's section ends with the marker after it, as
				// the data does when read in order.
				to := endAt + 2
				if i+1 < n {
					to = cuts[i+1]
				}
				br.Reset(io.NewSectionReader(d.at, cuts[i], to-cuts[i]))
				wd.bits = bitReader{r: br}
				for _, c := range win {
					c.pred = 0
				}
				for m := i * d.ri; m < min(total, (i+1)*d.ri) && errs[w] == nil; m++ {
					errs[w] = wd.mcu(win, m%mx, m/mx, 0, 63, 0, 0)
				}
				if errs[w] == nil && wd.bits.truncated() {
					errs[w] = wrap.Corrupt("jpeg", io.ErrUnexpectedEOF)
				}
				// Data shorter or longer than the interval (see decodeStrict).
				wd.irregular = wd.irregular || wd.bits.overran() || wd.bits.n >= wd.bits.fake+8
			}
			irregular[w] = wd.irregular
		}()
	}
	wg.Wait()
	for w, err := range errs {
		if err != nil {
			return err
		}
		d.irregular = d.irregular || irregular[w]
	}
	return d.ctx.Err()
}

// index is c's position in comps.
func (c *component) index(comps []component) int {
	for i := range comps {
		if &comps[i] == c {
			return i
		}
	}
	return -1
}

// scanCuts reads through a scan's entropy-coded data up to the marker
// that ends it, and returns the input offsets at which its intervals
// start (just after each RSTn marker, and the scan's own start), the
// ending marker and its offset.
func (d *decoder) scanCuts() (cuts []int64, end byte, endAt int64, err error) {
	cuts = []int64{d.offset()}
	for {
		buf, _ := d.r.Peek(max(1, d.r.Buffered()))
		if len(buf) == 0 {
			return nil, 0, 0, wrap.Corrupt("jpeg", io.ErrUnexpectedEOF)
		}
		i := bytes.IndexByte(buf, 0xff)
		if i < 0 {
			d.r.Discard(len(buf))
			continue
		}
		d.r.Discard(i)
		at := d.offset()
		d.r.ReadByte() // the 0xFF
		m, err := d.r.ReadByte()
		for err == nil && m == 0xff {
			at = d.offset() - 1
			m, err = d.r.ReadByte()
		}
		switch {
		case err != nil:
			return nil, 0, 0, wrap.Corrupt("jpeg", io.ErrUnexpectedEOF)
		case m == 0:
		case m >= rst0 && m <= rst7:
			cuts = append(cuts, d.offset())
		default:
			return cuts, m, at, nil
		}
	}
}

// restart reads the RSTn marker between intervals and resets what the
// interval boundary resets.
func (d *decoder) restart() error {
	m, err := d.bits.nextMarker()
	if err != nil {
		return err
	}
	if m < rst0 || m > rst7 {
		return wrap.Corruptf("jpeg", "marker %#x where a restart marker belongs", m)
	}
	for i := range d.comps {
		d.comps[i].pred = 0
	}
	d.eobrun = 0
	return nil
}

// block decodes one block of c at block coordinates (bx, by).
func (d *decoder) block(c *component, bx, by, ss, se, ah, al int) error {
	// Once the data has run out (a marker came early), the rest of the
	// interval is left as it is: grey for a sequential image, the
	// coefficients so far for a progressive one. libjpeg does the same.
	if d.bits.n < d.bits.fake {
		if !d.prog {
			d.clear()
			d.put(c, bx, by)
		}
		return nil
	}
	if !d.prog {
		return d.sequential(c, bx, by)
	}
	i := by*c.bw + bx
	coef, nz := c.coef[i*c.keep:][:c.keep], &c.nz[i]
	br := &d.bits
	switch {
	case ss == 0 && ah == 0: // DC, first pass
		t, err := br.decode(d.dc[c.td])
		if err != nil {
			return err
		}
		if t > 11 {
			return wrap.Corruptf("jpeg", "DC difference of %d bits", t)
		}
		c.pred += br.extend(t)
		d.irregular = d.irregular || c.pred < -2048 || c.pred > 2047
		coef[0] = int16(c.pred << al)
	case ss == 0: // DC, refinement
		if br.bit() {
			coef[0] |= 1 << al
		}
	case ah == 0: // AC, first pass
		if d.eobrun > 0 {
			d.eobrun--
			return nil
		}
		for k := ss; k <= se; k++ {
			rs, err := br.decode(d.ac[c.ta])
			if err != nil {
				return err
			}
			r, s := int(rs>>4), rs&15
			if s == 0 {
				if r < 15 {
					d.eobrun = 1<<r - 1
					if r > 0 {
						d.eobrun += int(br.bits(uint(r)))
					}
					break
				}
				k += 15
				continue
			}
			k += r
			if k > 63 {
				return wrap.Corruptf("jpeg", "coefficient run past the block")
			}
			d.irregular = d.irregular || s > 10
			v := br.extend(s) << al
			*nz |= 1 << k
			if k < len(coef) {
				coef[k] = int16(v)
			}
		}
	default: // AC, refinement
		return d.refineAC(c, coef, nz, ss, se, al)
	}
	return nil
}

// refineAC decodes one block of a successive-approximation AC scan
// (T.81 G.1.2.3): a bit more of every coefficient already non-zero, and
// coefficients that become non-zero in this pass.
func (d *decoder) refineAC(c *component, coef []int16, nz *uint64, ss, se, al int) error {
	br := &d.bits
	p1, m1 := int16(1)<<al, int16(-1)<<al
	// refine reads this pass's bit of coefficient k, already non-zero,
	// and adds it to the value when the value is kept.
	refine := func(k int) {
		if br.bit() && k < len(coef) && coef[k]&p1 == 0 {
			if coef[k] >= 0 {
				coef[k] += p1
			} else {
				coef[k] += m1
			}
		}
	}
	k := ss
	if d.eobrun == 0 {
		for ; k <= se; k++ {
			rs, err := br.decode(d.ac[c.ta])
			if err != nil {
				return err
			}
			r, s := int(rs>>4), rs&15
			var v int16
			switch {
			case s == 1:
				v = m1
				if br.bit() {
					v = p1
				}
			case s != 0:
				return wrap.Corruptf("jpeg", "refinement of %d bits", s)
			case r != 15:
				d.eobrun = 1 << r
				if r > 0 {
					d.eobrun += int(br.bits(uint(r)))
				}
			}
			if d.eobrun > 0 {
				break
			}
			// Skip r zero coefficients, refining non-zero ones on the way,
			// and place v at the next zero one.
			for ; k <= se; k++ {
				if *nz>>k&1 != 0 {
					refine(k)
					continue
				}
				if r == 0 {
					if v != 0 {
						*nz |= 1 << k
						if k < len(coef) {
							coef[k] = v
						}
					}
					break
				}
				r--
			}
		}
	}
	if d.eobrun > 0 {
		// Only the non-zero coefficients of the band have a bit here.
		band := *nz >> k << k
		if se < 63 {
			band &= 1<<(se+1) - 1
		}
		for band != 0 {
			refine(bits.TrailingZeros64(band))
			band &= band - 1
		}
		d.eobrun--
	}
	return nil
}

// sequential decodes one block of a baseline or extended-sequential scan
// and transforms it straight into the component's samples.
func (d *decoder) sequential(c *component, bx, by int) error {
	br := &d.bits
	t, err := br.decode(d.dc[c.td])
	if err != nil {
		return err
	}
	if t > 11 {
		return wrap.Corruptf("jpeg", "DC difference of %d bits", t)
	}
	c.pred += br.extend(t)
	d.irregular = d.irregular || c.pred < -2048 || c.pred > 2047
	q := &d.qt[c.tq]
	blk := &d.blk
	d.clear()
	blk[0] = float32(c.pred) * q[0]
	// Coefficients past last (in zigzag order) fall outside the n x n
	// frequencies a reduced transform reads: their bits are skipped.
	last := lastCoef[d.n]
	ac := d.ac[c.ta]
	for k := 1; k < 64; k++ {
		// One fill covers a code (16 bits at most) and its value (15).
		if br.n < 32 {
			br.fill()
		}
		peek := br.acc >> (br.n - lutBits) & (1<<lutBits - 1)
		if f := ac.fast[peek]; f != 0 { // a code and its value at once
			br.n -= uint(f >> 20)
			k += int(f >> 16 & 15)
			if k > last {
				if k > 63 {
					return wrap.Corruptf("jpeg", "coefficient run past the block")
				}
				continue
			}
			blk[zigzag[k]] = float32(int16(f)) * q[k]
			continue
		}
		var rs uint8
		if e := ac.lut[peek]; e != 0 {
			br.n -= uint(e >> 8)
			rs = uint8(e)
		} else if rs, err = br.decode(ac); err != nil {
			return err
		}
		r, s := int(rs>>4), uint(rs&15)
		d.irregular = d.irregular || s > 10
		if s == 0 {
			if r != 15 {
				break
			}
			k += 15
			continue
		}
		k += r
		br.n -= s
		if k > last {
			if k > 63 {
				return wrap.Corruptf("jpeg", "coefficient run past the block")
			}
			continue
		}
		v := int32(br.acc>>br.n) & (1<<s - 1)
		if v < 1<<(s-1) {
			v += -1<<s + 1
		}
		blk[zigzag[k]] = float32(v) * q[k]
	}
	d.put(c, bx, by)
	return nil
}

// lastCoef[n] is the last zigzag index inside the n x n lowest
// frequencies: (0,0) for n = 1, (1,1) for 2, (3,3) for 4.
var lastCoef = [9]int{1: 0, 2: 4, 4: 24, 8: 63}

// clear zeroes the coefficients of d.blk that the transform at d.n reads.
func (d *decoder) clear() {
	switch d.n {
	case 8:
		d.blk = [64]float32{}
	case 1:
		d.blk[0] = 0
	default:
		for r := range d.n {
			clear(d.blk[r*8 : r*8+d.n])
		}
	}
}

// put transforms d.blk into block (bx, by) of c's samples.
func (d *decoder) put(c *component, bx, by int) {
	n := d.n
	if n == 8 && d.strict && !d.irregular {
		// The DCT of 8-bit samples lies within ±1024; quantized, a
		// coefficient is off by at most half its step.
		q := &d.qt[c.tq]
		for k, z := range zigzag[:64] {
			if v := d.blk[z]; max(v, -v) > 1024+q[k]/2 {
				d.irregular = true
			}
		}
	}
	idct(&d.blk, n, c.pix[by*n*c.stride+bx*n:], c.stride)
}

// reconstruct transforms a progressive image's coefficients.
func (d *decoder) reconstruct() {
	for i := range d.comps {
		c := &d.comps[i]
		q := &d.qt[c.tq]
		for by := range c.bh {
			for bx := range c.bw {
				coef := c.coef[(by*c.bw+bx)*c.keep:][:c.keep]
				d.clear()
				for k, v := range coef {
					if v != 0 {
						d.blk[zigzag[k]] = float32(v) * q[k]
					}
				}
				d.put(c, bx, by)
			}
		}
	}
}

// image assembles the components' samples into the image the resampler
// reads best: YCbCr with its chroma subsampled as stored where image.YCbCr
// can say so, Gray, CMYK, or RGBA for RGB-coded files.
func (d *decoder) image() (image.Image, error) {
	w, h := ceilDiv(d.width*d.n, 8), ceilDiv(d.height*d.n, 8)
	rect := image.Rect(0, 0, w, h)
	cs := d.comps
	switch len(cs) {
	case 1:
		return &image.Gray{Pix: cs[0].pix, Stride: cs[0].stride, Rect: rect}, nil
	case 3:
		if d.rgb() {
			m := image.NewRGBA(rect)
			d.interleave(m.Pix, m.Stride, func(px []uint8, s [4]uint8) { px[0], px[1], px[2], px[3] = s[0], s[1], s[2], 255 })
			return m, nil
		}
		if ratio, ok := d.ratio(); ok {
			return &image.YCbCr{
				Y: cs[0].pix, Cb: cs[1].pix, Cr: cs[2].pix,
				YStride: cs[0].stride, CStride: cs[1].stride,
				SubsampleRatio: ratio, Rect: rect,
			}, nil
		}
		m := image.NewYCbCr(rect, image.YCbCrSubsampleRatio444)
		for y := range h {
			for x := range w {
				i := y*m.YStride + x
				m.Y[i], m.Cb[i], m.Cr[i] = d.sample(0, x, y), d.sample(1, x, y), d.sample(2, x, y)
			}
		}
		return m, nil
	}
	// Four components: Adobe's inverted CMYK, or YCCK whose YCbCr part
	// becomes that CMY (T.81 leaves it to APP14).
	m := image.NewCMYK(rect)
	ycck := d.adobe && d.xform == 2
	d.interleave(m.Pix, m.Stride, func(px []uint8, s [4]uint8) {
		if ycck {
			s[0], s[1], s[2] = color.YCbCrToRGB(s[0], s[1], s[2])
			px[0], px[1], px[2], px[3] = s[0], s[1], s[2], 255-s[3]
			return
		}
		px[0], px[1], px[2], px[3] = 255-s[0], 255-s[1], 255-s[2], 255-s[3]
	})
	return m, nil
}

// rgb reports whether three components hold R, G and B rather than
// YCbCr: an Adobe transform of 0, or the component ids "RGB", and no JFIF.
func (d *decoder) rgb() bool {
	if d.jfif {
		return false
	}
	if d.adobe && d.xform == 0 {
		return true
	}
	return d.comps[0].id == 'R' && d.comps[1].id == 'G' && d.comps[2].id == 'B'
}

// ratio is the image.YCbCr subsampling of the components' factors, when
// there is one.
func (d *decoder) ratio() (image.YCbCrSubsampleRatio, bool) {
	y, cb, cr := d.comps[0], d.comps[1], d.comps[2]
	if cb.h != 1 || cb.v != 1 || cr.h != 1 || cr.v != 1 || y.h != d.hmax || y.v != d.vmax {
		return 0, false
	}
	switch [2]int{y.h, y.v} {
	case [2]int{1, 1}:
		return image.YCbCrSubsampleRatio444, true
	case [2]int{2, 1}:
		return image.YCbCrSubsampleRatio422, true
	case [2]int{2, 2}:
		return image.YCbCrSubsampleRatio420, true
	case [2]int{1, 2}:
		return image.YCbCrSubsampleRatio440, true
	case [2]int{4, 1}:
		return image.YCbCrSubsampleRatio411, true
	case [2]int{4, 2}:
		return image.YCbCrSubsampleRatio410, true
	}
	return 0, false
}

// sample is component i's sample under output pixel (x, y), its
// subsampled samples replicated.
func (d *decoder) sample(i, x, y int) uint8 {
	c := &d.comps[i]
	return c.pix[(y*c.v/d.vmax)*c.stride+x*c.h/d.hmax]
}

// interleave calls put for every output pixel of dst (4 bytes a pixel,
// rows stride apart) with the samples of every component under it.
func (d *decoder) interleave(dst []uint8, stride int, put func(px []uint8, s [4]uint8)) {
	w, h := ceilDiv(d.width*d.n, 8), ceilDiv(d.height*d.n, 8)
	var s [4]uint8
	for y := range h {
		row := dst[y*stride:]
		for x := range w {
			for i := range d.comps {
				s[i] = d.sample(i, x, y)
			}
			put(row[x*4:x*4+4], s)
		}
	}
}
