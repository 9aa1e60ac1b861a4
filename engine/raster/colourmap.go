// Package raster turns values into pixels for the page: colour maps, heat
// maps of activations, pictures of filters, mosaics and colour bars. It
// uses only image and image/color; the page scales its images up with
// nearest-neighbour sampling, so one value is one pixel here.
package raster

import (
	"image/color"
	"math"
)

// ColourMap gives the colour of value v in a picture whose values run
// from lo to hi. Diverging maps keep zero at their neutral centre whatever
// lo and hi are; sequential maps put lo at one end and hi at the other.
type ColourMap func(v, lo, hi float32) color.RGBA

// NaNColour is the colour heat maps, colour bars and single-channel
// filters give NaN: a mid grey (128, 128, 128), which neither Diverging
// nor Sequential produces.
func NaNColour() color.RGBA { return color.RGBA{128, 128, 128, 255} }

// NaNFilterColour is the colour a pixel of a three-channel filter takes
// when any of its weights is NaN: magenta, as no weight would look.
func NaNFilterColour() color.RGBA { return color.RGBA{255, 0, 255, 255} }

// divergingStops is ColorBrewer's 11-class RdBu scheme, from the most
// negative value (dark blue) through a near-white centre to the most
// positive (dark red); it stays readable with red-green colour blindness.
func divergingStops() [11]uint32 {
	return [11]uint32{
		0x053061, 0x2166ac, 0x4393c3, 0x92c5de, 0xd1e5f0,
		0xf7f7f7,
		0xfddbc7, 0xf4a582, 0xd6604d, 0xb2182b, 0x67001f,
	}
}

// sequentialStops is the viridis scheme at 11 points, dark violet for low
// values to yellow for high ones; it is perceptually even and readable
// with colour blindness and in grey.
func sequentialStops() [11]uint32 {
	return [11]uint32{
		0x440154, 0x482576, 0x414487, 0x35608d, 0x2a788e,
		0x21908c,
		0x22a884, 0x43bf71, 0x7ad151, 0xbbdf27, 0xfde725,
	}
}

// Diverging returns the colour of v on a blue-white-red scale from −limit
// (dark blue) through 0 (near white, #f7f7f7) to +limit (dark red).
// Values beyond ±limit, and ±Inf, take the end colours. With a limit that
// is zero, negative or NaN, zero is white and any other value takes the
// end colour of its sign. NaN is NaNColour.
func Diverging(v, limit float32) color.RGBA {
	if v != v {
		return NaNColour()
	}
	t := 0.0
	if v != 0 {
		t = float64(v) / float64(limit)
		if !(limit > 0) || t != t { // Inf / Inf
			t = math.Copysign(1, float64(v))
		}
	}
	stops := divergingStops()
	return interpolate(stops[:], (t+1)/2)
}

// DivergingMap is Diverging as a ColourMap: the limit is the larger of
// |lo| and |hi|, so zero stays white.
func DivergingMap(v, lo, hi float32) color.RGBA {
	return Diverging(v, max(abs32(lo), abs32(hi)))
}

// Sequential returns the colour of v on the viridis scale from lo (dark
// violet) to hi (yellow). Values outside, and ±Inf, take the end colours.
// When hi is not above lo, values up to hi are dark violet and larger ones
// yellow. NaN is NaNColour.
func Sequential(v, lo, hi float32) color.RGBA {
	if v != v {
		return NaNColour()
	}
	var t float64
	switch {
	case !(hi > lo):
		if v > hi {
			t = 1
		}
	default:
		t = (float64(v) - float64(lo)) / (float64(hi) - float64(lo))
		if t != t { // an infinite lo or hi
			t = 0
		}
	}
	stops := sequentialStops()
	return interpolate(stops[:], t)
}

// interpolate returns the colour at t in [0, 1] (clamped) along evenly
// spaced stops, linearly between neighbours in sRGB.
func interpolate(stops []uint32, t float64) color.RGBA {
	t = math.Max(0, math.Min(1, t))
	f := t * float64(len(stops)-1)
	i := min(int(f), len(stops)-2)
	f -= float64(i)
	a, b := stops[i], stops[i+1]
	ch := func(shift uint) uint8 {
		x, y := float64(a>>shift&255), float64(b>>shift&255)
		return uint8(x + (y-x)*f + 0.5)
	}
	return color.RGBA{ch(16), ch(8), ch(0), 255}
}

func abs32(v float32) float32 { return math.Float32frombits(math.Float32bits(v) &^ (1 << 31)) }

func finite(v float32) bool { return v == v && v-v == 0 }

// Range returns the smallest and largest finite value over all the given
// maps: call it with one map for a per-map range, with several for a
// shared one. NaN and ±Inf are skipped; with no finite value it returns
// (0, 0).
func Range(maps ...[]float32) (lo, hi float32) {
	first := true
	for _, m := range maps {
		for _, v := range m {
			if !finite(v) {
				continue
			}
			if first {
				lo, hi, first = v, v, false
			}
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	return lo, hi
}

// SymmetricRange returns (−m, m), where m is the largest finite |value|
// over all the given maps, for a diverging map whose zero sits in the
// middle: one map for a per-map range, several for a shared one. NaN and
// ±Inf are skipped; all-zero or empty maps give (0, 0), which Diverging
// draws as white for zero.
func SymmetricRange(maps ...[]float32) (lo, hi float32) {
	var m float32
	for _, mp := range maps {
		for _, v := range mp {
			if finite(v) {
				m = max(m, abs32(v))
			}
		}
	}
	if m == 0 {
		return 0, 0
	}
	return -m, m
}
