package raster

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"
)

// HeatMap draws values (h, w), row-major (values[y*w+x] is column x of
// row y), one pixel per value, coloured by cmap over the range lo..hi.
// It panics if len(values) is not w*h.
func HeatMap(values []float32, w, h int, lo, hi float32, cmap ColourMap) *image.RGBA {
	if w < 0 || h < 0 || len(values) != w*h {
		panic(fmt.Sprintf("raster.HeatMap: %d values for a %dx%d map", len(values), h, w))
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.SetRGBA(x, y, cmap(values[y*w+x], lo, hi))
		}
	}
	return img
}

// FilterImage draws one filter w (Cin, K, K), normalised on its own:
// the largest |weight| of the filter reaches the ends of the scale.
// See FilterImageLimit.
func FilterImage(w []float32, cin, k int) *image.RGBA {
	_, m := SymmetricRange(w)
	return FilterImageLimit(w, cin, k, m)
}

// FilterImageLimit draws one filter w (Cin, K, K) with weights of
// magnitude limit at the ends of the scale (pass one limit to a whole bank
// to compare filters with each other):
//   - Cin = 1: a K x K picture on the Diverging scale, zero white;
//   - Cin = 3: a K x K colour picture, channel c of a pixel being
//     127.5 + 127.5*w/limit rounded half up and clamped to 0..255, so
//     zero is mid-grey (128), +limit is 255 and −limit 0 in that channel, as filters are shown
//     in ConvNetJS and CS231n; a pixel with a NaN weight is
//     NaNFilterColour, and a limit of zero draws the whole filter grey;
//   - other Cin: the Cin channels side by side, each K x K on the
//     Diverging scale, one transparent pixel apart.
//
// It panics if len(w) is not cin*k*k.
func FilterImageLimit(w []float32, cin, k int, limit float32) *image.RGBA {
	if cin < 1 || k < 1 || len(w) != cin*k*k {
		panic(fmt.Sprintf("raster.FilterImage: %d weights for a filter of shape (%d, %d, %d)", len(w), cin, k, k))
	}
	plane := k * k
	if cin == 3 {
		img := image.NewRGBA(image.Rect(0, 0, k, k))
		for y := range k {
			for x := range k {
				r, g, b := w[y*k+x], w[plane+y*k+x], w[2*plane+y*k+x]
				if r != r || g != g || b != b {
					img.SetRGBA(x, y, NaNFilterColour())
					continue
				}
				img.SetRGBA(x, y, color.RGBA{greyScale(r, limit), greyScale(g, limit), greyScale(b, limit), 255})
			}
		}
		return img
	}
	img := image.NewRGBA(image.Rect(0, 0, cin*(k+1)-1, k))
	for c := range cin {
		for y := range k {
			for x := range k {
				img.SetRGBA(c*(k+1)+x, y, Diverging(w[c*plane+y*k+x], limit))
			}
		}
	}
	return img
}

// greyScale maps v to 127.5 + 127.5*v/limit, rounded half up and clamped
// to 0..255; 128 when limit is not a positive finite number.
func greyScale(v, limit float32) uint8 {
	if !(limit > 0) || math.IsInf(float64(limit), 0) {
		return 128
	}
	f := 127.5 + 127.5*float64(v)/float64(limit)
	return uint8(math.Max(0, math.Min(255, math.Floor(f+0.5))))
}

// Mosaic lays imgs out in rows of cols cells, gap pixels apart, on a
// background bg. Every cell is as large as the largest image, and each
// image is centred in its cell (rounding towards the top left). It panics
// if cols < 1 or gap < 0.
func Mosaic(imgs []image.Image, cols, gap int, bg color.Color) *image.RGBA {
	if cols < 1 || gap < 0 {
		panic(fmt.Sprintf("raster.Mosaic: %d columns and a gap of %d", cols, gap))
	}
	var cw, ch int
	for _, im := range imgs {
		cw, ch = max(cw, im.Bounds().Dx()), max(ch, im.Bounds().Dy())
	}
	cols = min(cols, max(len(imgs), 1))
	rows := (len(imgs) + cols - 1) / cols
	out := image.NewRGBA(image.Rect(0, 0, max(cols*(cw+gap)-gap, 0), max(rows*(ch+gap)-gap, 0)))
	draw.Draw(out, out.Bounds(), image.NewUniform(bg), image.Point{}, draw.Src)
	for i, im := range imgs {
		b := im.Bounds()
		x := (i%cols)*(cw+gap) + (cw-b.Dx())/2
		y := (i/cols)*(ch+gap) + (ch-b.Dy())/2
		draw.Draw(out, image.Rect(x, y, x+b.Dx(), y+b.Dy()), im, b.Min, draw.Over)
	}
	return out
}

// Scale returns img enlarged factor times with nearest-neighbour sampling,
// so each pixel becomes a factor x factor square. It panics if factor < 1.
func Scale(img image.Image, factor int) *image.RGBA {
	if factor < 1 {
		panic(fmt.Sprintf("raster.Scale: factor %d", factor))
	}
	b := img.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dx()*factor, b.Dy()*factor))
	for y := range out.Bounds().Dy() {
		for x := range out.Bounds().Dx() {
			out.Set(x, y, img.At(b.Min.X+x/factor, b.Min.Y+y/factor))
		}
	}
	return out
}
