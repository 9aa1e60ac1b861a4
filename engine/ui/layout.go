package ui

import (
	"image"
	"math"
)

// Layout sizes, in layout units. Every screen is laid out in units on a
// canvas DesignW wide and at least DesignH tall; the page scales it
// uniformly to the window (see Fit). Sizes are multiples of U.
const (
	U         = 8       // the grid every size is a multiple of
	DesignW   = 1280    // layout width in units
	DesignH   = 720     // least layout height in units
	Control   = 7 * U   // height of a button, field or slider: 44.8 CSS px at the smallest supported scale
	Gap       = U       // space between controls
	TextSize  = 2.5 * U // body text height in units (20)
	SmallText = 2 * U   // captions, legends (16)
)

// MinScale is the smallest scale at which Fit keeps touch targets at least
// 44 CSS pixels (Control * MinScale >= 44): a 1024x768 projector.
const MinScale = 0.8

// Frame maps layout units to CSS pixels of the page: CSS = Off + Scale*unit.
type Frame struct {
	Scale      float64 // CSS pixels per unit
	OffX, OffY float64 // CSS position of unit (0, 0)
	W, H       int     // layout size in units: W = DesignW, H >= DesignH
}

// Fit returns the frame that shows a DesignW-wide layout as large as the
// window allows, with at least DesignH units of height. Extra height is
// given to the layout (H grows); extra width is split evenly either side.
// A zero or negative window gives scale 1.
func Fit(cssW, cssH float64) Frame {
	if cssW <= 0 || cssH <= 0 || math.IsNaN(cssW+cssH) {
		return Frame{Scale: 1, W: DesignW, H: DesignH}
	}
	s := math.Min(cssW/DesignW, cssH/DesignH)
	f := Frame{Scale: s, W: DesignW, H: int(math.Floor(cssH / s))}
	if f.H < DesignH {
		f.H = DesignH
	}
	f.OffX = (cssW - DesignW*s) / 2
	return f
}

// CSS returns r in CSS pixels of the page as x, y, width, height.
func (f Frame) CSS(r image.Rectangle) (x, y, w, h float64) {
	return f.OffX + float64(r.Min.X)*f.Scale, f.OffY + float64(r.Min.Y)*f.Scale,
		float64(r.Dx()) * f.Scale, float64(r.Dy()) * f.Scale
}

// Unit returns the layout point under the CSS pixel (x, y).
func (f Frame) Unit(x, y float64) (ux, uy float64) {
	return (x - f.OffX) / f.Scale, (y - f.OffY) / f.Scale
}

// Rect returns the layout rectangle covering the whole layout.
func (f Frame) Rect() image.Rectangle { return image.Rect(0, 0, f.W, f.H) }

// Inset shrinks r by d units on every side (to an empty rectangle at its
// centre if r is too small).
func Inset(r image.Rectangle, d int) image.Rectangle {
	if r.Dx() < 2*d || r.Dy() < 2*d {
		c := image.Pt((r.Min.X+r.Max.X)/2, (r.Min.Y+r.Max.Y)/2)
		return image.Rectangle{c, c}
	}
	return image.Rect(r.Min.X+d, r.Min.Y+d, r.Max.X-d, r.Max.Y-d)
}

// SplitTop cuts a band of height h off the top of r and returns it and the rest.
func SplitTop(r image.Rectangle, h int) (top, rest image.Rectangle) {
	if h > r.Dy() {
		h = r.Dy()
	}
	return image.Rect(r.Min.X, r.Min.Y, r.Max.X, r.Min.Y+h), image.Rect(r.Min.X, r.Min.Y+h, r.Max.X, r.Max.Y)
}

// SplitLeft cuts a band of width w off the left of r and returns it and the rest.
func SplitLeft(r image.Rectangle, w int) (left, rest image.Rectangle) {
	if w > r.Dx() {
		w = r.Dx()
	}
	return image.Rect(r.Min.X, r.Min.Y, r.Min.X+w, r.Max.Y), image.Rect(r.Min.X+w, r.Min.Y, r.Max.X, r.Max.Y)
}

// Row lays out len(widths) boxes of the given widths and height h left to
// right from (x, y) with gap units between them.
func Row(x, y, h, gap int, widths ...int) []image.Rectangle {
	rs := make([]image.Rectangle, len(widths))
	for i, w := range widths {
		rs[i] = image.Rect(x, y, x+w, y+h)
		x += w + gap
	}
	return rs
}

// Grid returns the rows x cols cells of size cell x cell with gap between
// them, starting at origin, in row-major order: cell (i, j) is at i*cols+j.
func Grid(origin image.Point, rows, cols, cell, gap int) []image.Rectangle {
	rs := make([]image.Rectangle, 0, rows*cols)
	for i := 0; i < rows; i++ {
		for j := 0; j < cols; j++ {
			x := origin.X + j*(cell+gap)
			y := origin.Y + i*(cell+gap)
			rs = append(rs, image.Rect(x, y, x+cell, y+cell))
		}
	}
	return rs
}

// TextWidth estimates the width in units of s set at the given size in the
// page's sans-serif font, for sizing buttons: 0.56 em a character.
func TextWidth(s string, size float64) int {
	n := 0
	for range s {
		n++
	}
	return int(math.Ceil(float64(n) * size * 0.56))
}

// ButtonWidth returns the width of a button showing label: the text plus
// padding, never narrower than it is tall (a touch target is square at least).
func ButtonWidth(label string) int {
	w := TextWidth(label, TextSize) + 4*U
	if w < Control {
		w = Control
	}
	return (w + U - 1) / U * U
}
