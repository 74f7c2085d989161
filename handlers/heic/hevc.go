package heic

import (
	"encoding/binary"
	"errors"
)

// The decoder allocates what the HEVC sequence parameter sets ask for, not
// what the item's ispe says; a file could declare a small image and code a
// huge one. pictureSize reads the coded picture size from the parameter
// sets, so that Config can refuse such a file before anything is decoded.

const nalSPS = 33 // nal_unit_type of a sequence parameter set

var errSPS = errors.New("malformed sequence parameter set")

// pictureSize returns the largest coded picture size the sequence
// parameter sets of an HEVC item ask for: those of its decoder
// configuration (hvcC, a property's body) and any in its data, whose NAL
// units have the length prefixes hvcC says. ok is false when there is
// none; an error means one could not be read.
func pictureSize(hvcC, data []byte) (w, h int, ok bool, err error) {
	see := func(nal []byte) {
		if err != nil || len(nal) < 2 || (nal[0]>>1)&0x3f != nalSPS {
			return
		}
		if layer := (nal[0]&1)<<5 | nal[1]>>3; layer != 0 { // another layer's, which the decoder ignores
			return
		}
		sw, sh, e := spsSize(nal[2:])
		if e != nil {
			err = e
			return
		}
		w, h, ok = max(w, sw), max(h, sh), true
	}
	if len(hvcC) < 23 {
		return 0, 0, false, errSPS
	}
	lengthSize := int(hvcC[21]&3) + 1
	p := hvcC[23:]
	for n := int(hvcC[22]); n > 0 && len(p) >= 3; n-- {
		count := int(binary.BigEndian.Uint16(p[1:]))
		p = p[3:]
		for ; count > 0 && len(p) >= 2; count-- {
			size := int(binary.BigEndian.Uint16(p))
			if size+2 > len(p) {
				return 0, 0, false, errSPS
			}
			see(p[2 : 2+size])
			p = p[2+size:]
		}
	}
	for len(data) >= lengthSize {
		var size uint64
		for _, c := range data[:lengthSize] {
			size = size<<8 | uint64(c)
		}
		data = data[lengthSize:]
		if size > uint64(len(data)) {
			break // a cut stream: the decoder's to report
		}
		see(data[:size])
		data = data[size:]
	}
	return w, h, ok, err
}

// spsSize reads pic_width_in_luma_samples and pic_height_in_luma_samples
// from a sequence parameter set's payload (after its NAL unit header).
func spsSize(payload []byte) (w, h int, err error) {
	r := bits{b: unescape(payload)}
	r.read(4) // sps_video_parameter_set_id
	subLayers := int(r.read(3))
	r.read(1) // sps_temporal_id_nesting_flag
	// profile_tier_level: the general profile and level, 96 bits, then
	// which sub-layers have their own.
	r.read(32)
	r.read(32)
	r.read(32)
	var present [7][2]bool
	for i := range subLayers {
		present[i] = [2]bool{r.read(1) == 1, r.read(1) == 1}
	}
	if subLayers > 0 {
		r.read(2 * (8 - subLayers))
	}
	for i := range subLayers {
		if present[i][0] {
			r.read(32)
			r.read(32)
			r.read(24)
		}
		if present[i][1] {
			r.read(8)
		}
	}
	r.ue() // sps_seq_parameter_set_id
	if r.ue() == 3 {
		r.read(1) // separate_colour_plane_flag
	}
	pw, ph := r.ue(), r.ue()
	if r.bad || pw == 0 || ph == 0 || pw > 1<<16 || ph > 1<<16 {
		return 0, 0, errSPS
	}
	return int(pw), int(ph), nil
}

// unescape removes the emulation prevention bytes (the 3 of 00 00 03) of
// a NAL unit's payload.
func unescape(b []byte) []byte {
	out := make([]byte, 0, len(b))
	zeros := 0
	for _, c := range b {
		if zeros >= 2 && c == 3 {
			zeros = 0
			continue
		}
		if c == 0 {
			zeros++
		} else {
			zeros = 0
		}
		out = append(out, c)
	}
	return out
}

// bits reads a bit string, most significant bit first; reading past its
// end sets bad and reads zeros.
type bits struct {
	b   []byte
	pos int
	bad bool
}

func (r *bits) read(n int) uint64 {
	var v uint64
	for range n {
		if r.pos >= 8*len(r.b) {
			r.bad = true
			return 0
		}
		v = v<<1 | uint64(r.b[r.pos/8]>>(7-r.pos%8)&1)
		r.pos++
	}
	return v
}

// ue reads an unsigned Exp-Golomb code.
func (r *bits) ue() uint64 {
	zeros := 0
	for r.read(1) == 0 {
		if zeros++; zeros > 31 || r.bad {
			r.bad = true
			return 0
		}
	}
	return 1<<zeros - 1 + r.read(zeros)
}
