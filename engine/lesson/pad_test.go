package lesson

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// padPicture writes channel c of the pad as rows of digits: 0 for paper, 9
// for full ink, value·9 rounded between.
func padPicture(p *Pad, c int) string {
	var b strings.Builder
	for y := 0; y < p.H; y++ {
		for x := 0; x < p.W; x++ {
			v := p.Pix[(c*p.H+y)*p.W+x]
			a := (v - p.Paper[c]) / (p.Ink[c] - p.Paper[c])
			b.WriteByte(byte('0' + int(math.Round(float64(a)*9))))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func picture(rows ...string) string { return strings.Join(rows, "\n") + "\n" }

func newTestPad(t *testing.T, c, h, w int, radius, soft float32) *Pad {
	t.Helper()
	p, err := NewPad(c, h, w)
	if err != nil {
		t.Fatal(err)
	}
	p.Radius, p.Soft = radius, soft
	return p
}

// TestPadStrokes draws strokes with a hard brush and compares them with
// pictures worked out by hand.
//
// Horizontal, radius 1.2, along the centres of row 2 from the centre of
// column 1 to that of column 6: rows 1 and 3 lie 1 from the path; the
// corners of those rows lie √2 ≈ 1.41 from the ends, outside the brush;
// columns 0 and 7 of row 2 lie 1 from the ends, inside.
//
// Diagonal, radius 0.75: the brush covers the diagonal (distance 0) and
// its neighbours (1/√2 ≈ 0.71), not the next ones (√2).
func TestPadStrokes(t *testing.T) {
	for _, tc := range []struct {
		name   string
		h, w   int
		radius float32
		stroke []float32
		want   string
	}{
		{"horizontal", 6, 8, 1.2, []float32{1.5, 2.5, 6.5, 2.5}, picture(
			"00000000",
			"09999990",
			"99999999",
			"09999990",
			"00000000",
			"00000000",
		)},
		{"diagonal", 6, 6, 0.75, []float32{0.5, 0.5, 5.5, 5.5}, picture(
			"990000",
			"999000",
			"099900",
			"009990",
			"000999",
			"000099",
		)},
	} {
		p := newTestPad(t, 1, tc.h, tc.w, tc.radius, 0)
		p.Stroke(tc.stroke...)
		if got := padPicture(p, 0); got != tc.want {
			t.Errorf("%s:\n%swant:\n%s", tc.name, got, tc.want)
		}
	}
}

// TestPadSoftDot stamps a soft brush (radius 1, edge 1) at the centre of
// pixel (2, 2): coverage is 1.5 − d, so 1 at the centre, 0.5 beside it,
// 1.5 − √2 ≈ 0.086 diagonally and 0 two pixels away, each kept to the
// nearest 255th.
func TestPadSoftDot(t *testing.T) {
	p := newTestPad(t, 1, 5, 5, 1, 1)
	p.Down(2.5, 2.5)
	p.Up()
	for _, c := range []struct {
		x, y int
		want float64
	}{{2, 2, 1}, {1, 2, 0.5}, {2, 3, 0.5}, {1, 1, 1.5 - math.Sqrt2}, {3, 3, 1.5 - math.Sqrt2}, {0, 2, 0}, {4, 4, 0}} {
		want := math.Round(c.want*255) / 255
		if got := float64(p.Pix[c.y*5+c.x]); math.Abs(got-want) > 1e-6 {
			t.Errorf("pixel (%d, %d) = %v, want %v", c.x, c.y, got, want)
		}
	}
}

// TestPadSamplingDoesNotMatter: a fast stroke reported as its two ends, the
// same stroke reported at many points along the way, and a stroke that goes
// back over itself all give the same picture.
func TestPadSamplingDoesNotMatter(t *testing.T) {
	fast := newTestPad(t, 1, 12, 16, 1.5, 1)
	fast.Stroke(1, 3, 15, 9)
	slow := newTestPad(t, 1, 12, 16, 1.5, 1)
	slow.Down(1, 3)
	for k := 1; k <= 28; k++ {
		f := float32(k) / 28
		slow.Move(1+14*f, 3+6*f)
	}
	slow.Up()
	back := newTestPad(t, 1, 12, 16, 1.5, 1)
	back.Stroke(1, 3, 15, 9, 8, 6, 15, 9)
	for k := range fast.Pix {
		if math.Abs(float64(fast.Pix[k]-slow.Pix[k])) > 1e-6 || fast.Pix[k] != back.Pix[k] {
			t.Fatalf("pixel %d: fast %v, sampled %v, back and forth %v", k, fast.Pix[k], slow.Pix[k], back.Pix[k])
		}
	}
	// No gaps: every pixel whose centre is on the path is fully inked.
	for x := 1; x < 15; x++ {
		y := int(3 + 6*float32(x-1)/14)
		if fast.Pix[y*16+x] < 0.5 {
			t.Errorf("gap at (%d, %d): %v", x, y, fast.Pix[y*16+x])
		}
	}
	// A second stroke over the first may darken it further.
	fast.Stroke(1, 3, 15, 9)
	if fast.Pix[3*16+1] != 1 {
		t.Errorf("the path's pixel after two strokes: %v, want 1", fast.Pix[3*16+1])
	}
}

func TestPadColour(t *testing.T) {
	p := newTestPad(t, 3, 4, 4, 1, 1)
	if err := p.SetInk(1, 0, 0); err != nil {
		t.Fatal(err)
	}
	p.Down(1.5, 1.5) // coverage 1 at (1, 1), 0.5 at (2, 1): 127.5/255, kept as 128/255
	p.Up()
	at := func(x, y int) [3]float32 {
		return [3]float32{p.Pix[y*4+x], p.Pix[16+y*4+x], p.Pix[32+y*4+x]}
	}
	for _, c := range []struct {
		x, y int
		want [3]float32
	}{{1, 1, [3]float32{1, 0, 0}}, {2, 1, [3]float32{1, 128.0 / 255, 128.0 / 255}}, {3, 3, [3]float32{1, 1, 1}}} {
		if got := at(c.x, c.y); got != c.want {
			t.Errorf("pixel (%d, %d) = %v, want %v", c.x, c.y, got, c.want)
		}
	}
	p.Clear()
	if got := at(1, 1); got != [3]float32{1, 1, 1} {
		t.Errorf("after Clear: %v, want white paper", got)
	}
}

func TestPadRefusals(t *testing.T) {
	p := newTestPad(t, 3, 4, 4, 1, 1)
	for _, ink := range [][]float32{{1, 0}, {1, 0, 2}, {float32(math.NaN()), 0, 0}} {
		if err := p.SetInk(ink...); err == nil {
			t.Errorf("SetInk(%v) accepted", ink)
		}
	}
	if p.Ink[0] != 0 || p.Ink[1] != 0 || p.Ink[2] != 0 {
		t.Errorf("refused inks changed the ink to %v", p.Ink)
	}
	for _, r := range []float32{0, 0.4, 9, float32(math.Inf(1)), float32(math.NaN())} {
		if err := p.SetRadius(r); err == nil {
			t.Errorf("SetRadius(%v) accepted", r)
		}
	}
	if _, err := NewPad(2, 4, 4); err == nil {
		t.Error("a 2-channel pad was made")
	}
	// Far-away and non-finite pointer positions neither panic nor paint
	// outside the path.
	p.Stroke(-1e30, 1.5, 1e30, 1.5)
	p.Stroke(float32(math.NaN()), 1, 2, 2)
	p.Move(float32(math.Inf(1)), 0)
	if p.Pix[1*4+2] != 0 || p.Pix[3*4+2] != 1 {
		t.Errorf("a stroke across the whole pad: row 1 %v, row 3 %v", p.Pix[1*4:2*4], p.Pix[3*4:4*4])
	}
}

func ExamplePad() {
	p, _ := NewPad(1, 5, 10)
	p.Radius, p.Soft = 0.9, 0 // a hard brush
	p.Stroke(1.5, 1.5, 8.5, 3.5)
	for y := 0; y < p.H; y++ {
		for x := 0; x < p.W; x++ {
			fmt.Print(map[bool]string{true: "#", false: "."}[p.Pix[y*p.W+x] > 0])
		}
		fmt.Println()
	}
	// Output:
	// ..........
	// .####.....
	// ..######..
	// .....####.
	// ..........
}
