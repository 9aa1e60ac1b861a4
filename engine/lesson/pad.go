package lesson

import (
	"fmt"
	"math"
)

// Pad is a drawing surface on which the student paints an input with the
// pointer: grey (one channel, white ink on black paper, like an MNIST digit)
// or colour (three channels, dark ink on white paper).
//
// The brush is a soft round stamp dragged along the pointer's path: a pixel
// whose centre lies at distance d from the path is covered by
//
//	a = clamp((Radius + Soft/2 − d) / Soft, 0, 1)
//
// (full ink within Radius − Soft/2, none beyond Radius + Soft/2; with
// Soft = 0 the edge is hard at Radius). Between two pointer positions the
// path is the straight segment joining them, so a fast stroke, reported as
// few far-apart positions, leaves no gaps. Within one stroke each pixel
// keeps the largest coverage it has received and shows
// paper-before-the-stroke + (Ink − that) · a, so going over the same place
// twice in one stroke does not darken it and the picture does not depend on
// how finely the pointer was sampled along a straight line.
//
// Pointer coordinates are in pad pixels as floats: (0, 0) is the top-left
// corner of the top-left pixel, whose centre is (0.5, 0.5). Positions
// outside the pad are allowed (the stroke is clipped); non-finite positions
// are ignored.
type Pad struct {
	C, H, W int // channels (1 or 3), height, width

	// Pix holds the picture in [0, 1]; channel c, row y, column x is at
	// Pix[(c*H+y)*W+x]. Painted values are kept to whole 255ths, as the
	// pictures of the data sets are, so a drawing saved as bytes comes back
	// exactly.
	Pix    []float32
	Paper  []float32 // (C) colour of a clear pad
	Ink    []float32 // (C) colour the brush lays down
	Radius float32   // brush radius in pad pixels
	Soft   float32   // width in pad pixels of the brush's fading edge

	drawing bool
	lastX   float32   // pointer position of the stroke so far
	lastY   float32   //
	base    []float32 // (C, H, W) the picture when the stroke began
	cover   []float32 // (H, W) the stroke's coverage so far, in [0, 1]
}

// Brush radius limits, in pad pixels.
const (
	MinBrushRadius = 0.5
	MaxBrushRadius = 8
)

// NewPad returns a clear pad of c channels (1: grey, 3: colour) and h x w
// pixels, with a brush of radius 1.5 and a soft edge 1 pixel wide.
func NewPad(c, h, w int) (*Pad, error) {
	if c != 1 && c != 3 {
		return nil, fmt.Errorf("a pad is grey (1 channel) or colour (3 channels), not %d channels", c)
	}
	if h < 1 || w < 1 || h > 256 || w > 256 {
		return nil, fmt.Errorf("a pad is 1 to 256 pixels on a side, not %d x %d", h, w)
	}
	p := &Pad{C: c, H: h, W: w, Pix: make([]float32, c*h*w), Radius: 1.5, Soft: 1,
		Paper: make([]float32, c), Ink: make([]float32, c)}
	if c == 1 {
		p.Ink[0] = 1 // white on black, as MNIST writes digits
	} else {
		p.Paper[0], p.Paper[1], p.Paper[2] = 1, 1, 1 // dark ink on white paper
	}
	p.Clear()
	return p, nil
}

// Shape returns the pad's picture shape (C, H, W).
func (p *Pad) Shape() []int { return []int{p.C, p.H, p.W} }

// Clear fills the pad with paper and ends any stroke.
func (p *Pad) Clear() {
	n := p.H * p.W
	for c := 0; c < p.C; c++ {
		for k := c * n; k < (c+1)*n; k++ {
			p.Pix[k] = p.Paper[c]
		}
	}
	p.drawing = false
}

// SetInk sets the brush colour, one value in [0, 1] per channel. It refuses
// (keeping the old ink) a wrong count or a value outside [0, 1].
func (p *Pad) SetInk(v ...float32) error {
	if len(v) != p.C {
		return fmt.Errorf("this pad has %d channels: give %d ink values, not %d", p.C, p.C, len(v))
	}
	for _, a := range v {
		if !(a >= 0 && a <= 1) {
			return fmt.Errorf("ink %v is outside [0, 1]", a)
		}
	}
	copy(p.Ink, v)
	return nil
}

// SetRadius sets the brush radius in pad pixels. It refuses (keeping the
// old radius) a radius outside [MinBrushRadius, MaxBrushRadius].
func (p *Pad) SetRadius(r float32) error {
	if !(r >= MinBrushRadius && r <= MaxBrushRadius) {
		return fmt.Errorf("brush radius %v is outside %v to %v pixels", r, MinBrushRadius, MaxBrushRadius)
	}
	p.Radius = r
	return nil
}

// Drawing reports whether a stroke is under way (between Down and Up).
func (p *Pad) Drawing() bool { return p.drawing }

// Down starts a stroke at (x, y), stamping the brush there.
func (p *Pad) Down(x, y float32) {
	if !finite(x) || !finite(y) {
		return
	}
	if p.base == nil {
		p.base = make([]float32, len(p.Pix))
		p.cover = make([]float32, p.H*p.W)
	}
	copy(p.base, p.Pix)
	clear(p.cover)
	p.drawing, p.lastX, p.lastY = true, x, y
	p.segment(x, y, x, y)
}

// Move continues the stroke to (x, y), painting the segment from the last
// position. Without a stroke under way (a hover) it does nothing.
func (p *Pad) Move(x, y float32) {
	if !p.drawing || !finite(x) || !finite(y) {
		return
	}
	p.segment(p.lastX, p.lastY, x, y)
	p.lastX, p.lastY = x, y
}

// Up ends the stroke.
func (p *Pad) Up() { p.drawing = false }

// Stroke draws one whole stroke through the given points (x0, y0, x1, y1,
// ...): Down at the first, Move to each next, Up. An odd trailing
// coordinate is ignored.
func (p *Pad) Stroke(xy ...float32) {
	if len(xy) < 2 {
		return
	}
	p.Down(xy[0], xy[1])
	for k := 2; k+1 < len(xy); k += 2 {
		p.Move(xy[k], xy[k+1])
	}
	p.Up()
}

// segment paints the brush along the segment (ax, ay)-(bx, by).
func (p *Pad) segment(ax, ay, bx, by float32) {
	reach := float64(p.Radius + p.Soft/2)
	x0 := pixelBound(math.Floor(math.Min(float64(ax), float64(bx))-reach), p.W)
	x1 := pixelBound(math.Ceil(math.Max(float64(ax), float64(bx))+reach), p.W)
	y0 := pixelBound(math.Floor(math.Min(float64(ay), float64(by))-reach), p.H)
	y1 := pixelBound(math.Ceil(math.Max(float64(ay), float64(by))+reach), p.H)
	n := p.H * p.W
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			d := segmentDistance(float64(x)+0.5, float64(y)+0.5, float64(ax), float64(ay), float64(bx), float64(by))
			a := p.coverage(d)
			k := y*p.W + x
			if a <= p.cover[k] {
				continue
			}
			p.cover[k] = a
			for c := 0; c < p.C; c++ {
				base := p.base[c*n+k]
				p.Pix[c*n+k] = byteValue(toByte(base + (p.Ink[c]-base)*a))
			}
		}
	}
}

// toByte returns v in [0, 1] as a whole number of 255ths.
func toByte(v float32) uint8 { return uint8(math.Round(float64(min(max(v, 0), 1)) * 255)) }

// byteValue returns b/255 computed as data.Set.Image computes it.
func byteValue(b uint8) float32 { return float32(b) * (1.0 / 255) }

// coverage returns how much ink the brush puts on a pixel whose centre is
// at distance d from the stroke.
func (p *Pad) coverage(d float64) float32 {
	r, s := float64(p.Radius), float64(p.Soft)
	if s <= 0 {
		if d <= r {
			return 1
		}
		return 0
	}
	return float32(math.Min(1, math.Max(0, (r+s/2-d)/s)))
}

// segmentDistance returns the distance from (px, py) to the segment
// (ax, ay)-(bx, by), which may have zero length.
func segmentDistance(px, py, ax, ay, bx, by float64) float64 {
	dx, dy := bx-ax, by-ay
	t := 0.0
	if l2 := dx*dx + dy*dy; l2 > 0 {
		t = math.Min(1, math.Max(0, ((px-ax)*dx+(py-ay)*dy)/l2))
	}
	return math.Hypot(px-ax-t*dx, py-ay-t*dy)
}

// pixelBound clamps a whole-numbered coordinate to [0, n] before converting
// it, so that far-away pointer positions cannot overflow an int.
func pixelBound(v float64, n int) int { return int(math.Min(math.Max(v, 0), float64(n))) }

func finite(v float32) bool { return !math.IsNaN(float64(v)) && !math.IsInf(float64(v), 0) }
