package raster

import (
	"image"
	"math"
)

// Tick is one labelled value along a colour bar.
type Tick struct {
	Value float32 // the value written at the tick
	Pos   float32 // pixels from the bar's low end: its left edge, or its bottom edge when vertical
}

// ColourBar draws a w x h legend for cmap over lo..hi and returns it with
// its ticks, for the page to mark and label in its own font. A bar at
// least as wide as it is tall runs from lo at the left to hi at the right;
// a taller one from lo at the bottom to hi at the top. Each pixel shows the
// value at its centre. The ticks are lo, hi, and the round values between
// them (see Ticks) at their exact positions. When hi is not above lo the
// bar is one colour with a single tick at lo in its middle.
func ColourBar(lo, hi float32, cmap ColourMap, w, h int) (*image.RGBA, []Tick) {
	img := image.NewRGBA(image.Rect(0, 0, max(w, 0), max(h, 0)))
	vertical := h > w
	length, thickness := w, h
	if vertical {
		length, thickness = h, w
	}
	for i := range length {
		v := lo
		if hi > lo {
			v = lo + (hi-lo)*(float32(i)+0.5)/float32(length)
		}
		c := cmap(v, lo, hi)
		for j := range thickness {
			if vertical {
				img.SetRGBA(j, h-1-i, c)
			} else {
				img.SetRGBA(i, j, c)
			}
		}
	}
	if !(hi > lo) {
		return img, []Tick{{Value: lo, Pos: float32(length) / 2}}
	}
	var ticks []Tick
	for _, v := range Ticks(lo, hi, 5) {
		ticks = append(ticks, Tick{Value: v, Pos: (v - lo) / (hi - lo) * float32(length)})
	}
	return img, ticks
}

// Ticks returns lo, hi and between them the multiples of a round step (1,
// 2 or 5 times a power of ten, the one nearest to (hi − lo)/(n − 1)), in
// increasing order. Multiples closer than 0.4 steps to lo or hi are left
// out so labels do not collide; with n of 3 or more
// a symmetric range therefore always has a tick at zero. Non-finite or empty ranges give nil.
func Ticks(lo, hi float32, n int) []float32 {
	if !finite(lo) || !finite(hi) || !(hi > lo) {
		return nil
	}
	n = max(n, 2)
	step := niceStep((float64(hi) - float64(lo)) / float64(n-1))
	out := []float32{lo}
	for k := math.Ceil(float64(lo) / step); k*step <= float64(hi); k++ {
		v := k * step
		if v-float64(lo) < 0.4*step || float64(hi)-v < 0.4*step {
			continue
		}
		out = append(out, float32(v))
	}
	return append(out, hi)
}

// niceStep rounds raw to 1, 2, 5 or 10 times a power of ten, switching at
// 1.5, 3 and 7 (Heckbert's "nice numbers", Graphics Gems, 1990).
func niceStep(raw float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	switch f := raw / p; {
	case f < 1.5:
		return p
	case f < 3:
		return 2 * p
	case f < 7:
		return 5 * p
	}
	return 10 * p
}
