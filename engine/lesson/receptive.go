package lesson

import "image"

// Geometry is the shape of one convolution (or pooling) layer as seen from
// its input: a K x K window, Pad zeros on every side, moving Stride pixels
// at a time.
type Geometry struct {
	K, Pad, Stride int
}

// ReceptiveField returns the region of the first layer's input that output
// unit (i, j) (row i, column j) of the last of the given layers depends on,
// as a rectangle in input pixels: Min is the top-left pixel, Max is one past
// the bottom-right (x is the column, y the row).
//
// Going back through one layer, output rows a..b come from input rows
// a·S − P .. b·S − P + K − 1. The rectangle may reach past the input into
// the zero padding (negative coordinates, or beyond the width); intersect it
// with the input's bounds to outline what is on screen. A layer's padding
// reaching past its own input still widens the rectangle, so it is the
// largest region that can influence the unit. With no layers the field is
// the pixel (i, j) itself.
func ReceptiveField(layers []Geometry, i, j int) image.Rectangle {
	y0, y1, x0, x1 := i, i, j, j // inclusive bounds at the current layer's output
	for l := len(layers) - 1; l >= 0; l-- {
		w := layers[l]
		y0, y1 = y0*w.Stride-w.Pad, y1*w.Stride-w.Pad+w.K-1
		x0, x1 = x0*w.Stride-w.Pad, x1*w.Stride-w.Pad+w.K-1
	}
	return image.Rect(x0, y0, x1+1, y1+1)
}

// ReceptiveSize returns the side of the square receptive field of one unit
// of the last layer: going back, r ← (r − 1)·S + K, from r = 1. With
// stride 1 each layer adds K − 1, so 5x5 then two 3x3 layers see
// 5 → 7 → 9 input pixels.
func ReceptiveSize(layers []Geometry) int {
	r := 1
	for l := len(layers) - 1; l >= 0; l-- {
		r = (r-1)*layers[l].Stride + layers[l].K
	}
	return r
}
