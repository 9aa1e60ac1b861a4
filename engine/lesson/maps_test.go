package lesson

import (
	"image"
	"math"
	"math/rand"
	"strings"
	"testing"

	"convlab/engine/data"
)

// testSources returns small data sets whose pictures make hand-worked
// activations easy:
//
//	picture 0: black left half, white right half (an edge at column 16)
//	picture 1: white left half, black right half
//	picture 2: a red 3x3 square, rows and columns 14..16, on black
//	digit 0:   a white vertical bar in columns 12..15 on black
func testSources() Sources {
	pics := &data.Set{Name: "test pictures", Classes: []string{"a"}, C: 3, H: 32, W: 32,
		Pixels: make([]uint8, 3*3*32*32), Labels: []uint8{0, 0, 0}}
	for c := 0; c < 3; c++ {
		for y := 0; y < 32; y++ {
			for x := 0; x < 32; x++ {
				if x >= 16 {
					pics.Pixels[((0*3+c)*32+y)*32+x] = 255
				} else {
					pics.Pixels[((1*3+c)*32+y)*32+x] = 255
				}
				if c == 0 && y >= 14 && y <= 16 && x >= 14 && x <= 16 {
					pics.Pixels[((2*3+c)*32+y)*32+x] = 255
				}
			}
		}
	}
	digits := &data.Set{Name: "test digits", Classes: []string{"1"}, C: 1, H: 28, W: 28,
		Pixels: make([]uint8, 28*28), Labels: []uint8{0}}
	for y := 0; y < 28; y++ {
		for x := 12; x < 16; x++ {
			digits.Pixels[y*28+x] = 255
		}
	}
	return Sources{Digits: digits, Pictures: pics}
}

func newTestMaps() *Maps { return NewMaps(testSources(), rand.New(rand.NewSource(1))) }

func near(a, b float32) bool { return math.Abs(float64(a-b)) <= 1e-5*(1+math.Abs(float64(b))) }

// TestMapsSlide18 checks slide 18: a 3x32x32 image and six 3x5x5 filters
// give a 6x28x28 output; and the digit, padding and stride variants.
func TestMapsSlide18(t *testing.T) {
	m := newTestMaps()
	check := func(what, input, filters, output string) {
		t.Helper()
		if got := [3]string{m.InputShape(), m.FilterShape(), m.OutputShape()}; got != [3]string{input, filters, output} {
			t.Errorf("%s: shapes %q, want %q", what, got, [3]string{input, filters, output})
		}
	}
	check("start", "3 x 32 x 32", "6 x 3 x 5 x 5", "6 x 28 x 28")
	if m.InputID() != "picture:0" {
		t.Errorf("starting input %q, want picture:0", m.InputID())
	}
	m.SetPadding(2)
	check("padding 2", "3 x 32 x 32", "6 x 3 x 5 x 5", "6 x 32 x 32")
	m.SetPadding(0)
	m.SetStride(3)
	check("stride 3", "3 x 32 x 32", "6 x 3 x 5 x 5", "6 x 10 x 10")
	m.SetStride(2) // (32 − 5)/2 + 1 = 14.5
	check("stride 2", "3 x 32 x 32", "6 x 3 x 5 x 5", "")
	if !strings.Contains(m.ShapeError(), "(32 − 5 + 0)/2 + 1 = 14.5 is not a whole number") || m.Output() != nil {
		t.Errorf("stride 2: ShapeError %q, Output %v; want the explanation and no maps", m.ShapeError(), m.Output())
	}
	if _, err := m.Probe(0, 0, 0); err == nil {
		t.Error("a probe with no maps")
	}
	// W − K + 2P is odd for an even W and an odd K, so stride 2 never fits
	// 32; stride 3 fits a 3x3 kernel with padding 2: (32 − 3 + 4)/3 + 1 = 12.
	m.SetPadding(2)
	m.SetKernelSize(3)
	m.SetStride(3)
	check("3x3, padding 2, stride 3", "3 x 32 x 32", "6 x 3 x 3 x 3", "6 x 12 x 12")
	if m.ShapeError() != "" {
		t.Errorf("ShapeError %q after a possible shape", m.ShapeError())
	}
	m.SetStride(1)
	m.SetPadding(0)
	if err := m.SetInput("digit:0"); err != nil {
		t.Fatal(err)
	}
	check("digit", "1 x 28 x 28", "6 x 1 x 5 x 5", "6 x 24 x 24")
	m.SetInput("picture:1")
	check("back to a picture: its bank kept its 3x3 kernels", "3 x 32 x 32", "6 x 3 x 3 x 3", "6 x 30 x 30")
	m.SetInput(PadGrey)
	check("grey pad", "1 x 28 x 28", "6 x 1 x 5 x 5", "6 x 24 x 24")
}

// TestMapsHandWorked: the default vertical edge filter, [−1 −2 0 2 1]/10 in
// every row and channel, over picture 0 (black up to column 15, white from
// column 16). A window starting at column j covers columns j..j+4; only the
// white ones count, each adding its weight times 5 rows times 3 channels:
//
//	j = 11: no white column                    0
//	j = 12: column 16 under v=4: 0.1·15      = 1.5
//	j = 13: v=3,4: (0.2+0.1)·15              = 4.5
//	j = 14: v=2..4: (0+0.2+0.1)·15           = 4.5
//	j = 15: v=1..4: (−0.2+0+0.2+0.1)·15      = 1.5
//	j = 16: all white: the weights sum to 0  = 0
func TestMapsHandWorked(t *testing.T) {
	m := newTestMaps()
	want := []float32{0, 1.5, 4.5, 4.5, 1.5, 0}
	for i := range []int{0, 13, 27} {
		for k, w := range want {
			if got := m.Output().At(0, i, 11+k); !near(got, w) {
				t.Errorf("map 0 (%d, %d) = %v, want %v", i, 11+k, got, w)
			}
		}
	}
	// Picture 2, the red square. With the window centred on it, output
	// (13, 13), red vs green reads the square through the spot's centre and
	// ring: 0.8 + 8·0.1 = 1.6; blue vs yellow reads it through −spot/2 on
	// red: −0.8. At (13, 16) the square lies under the left side of the
	// outer ring: three cells of −0.1, the lowest red vs green gets.
	m.SetInput("picture:2")
	if got := m.Output().At(4, 13, 13); !near(got, 1.6) {
		t.Errorf("red vs green on the red square: %v, want 1.6", got)
	}
	if got := m.Output().At(5, 13, 13); !near(got, -0.8) {
		t.Errorf("blue vs yellow on the red square: %v, want −0.8", got)
	}
	if lo, hi := m.MinMax(4); !near(lo, -0.3) || !near(hi, 1.6) || !near(m.Output().At(4, 13, 16), -0.3) {
		t.Errorf("red vs green spans [%v, %v], (13, 16) = %v; want [−0.3, 1.6] and −0.3", lo, hi, m.Output().At(4, 13, 16))
	}
	m.SetReLU(true)
	if got, pre := m.Output().At(5, 13, 13), m.PreReLU().At(5, 13, 13); got != 0 || !near(pre, -0.8) {
		t.Errorf("blue vs yellow after ReLU: %v (before %v), want 0 (−0.8)", got, pre)
	}
	// Centred, the filters see x − 0.5. Every default filter's weights sum
	// to zero, so the constant −0.5 drops out and the maps stay the same.
	m.SetReLU(false)
	m.SetCentred(true)
	if got := m.Output().At(4, 13, 13); !near(got, 1.6) {
		t.Errorf("centred red vs green: %v, want 1.6", got)
	}
	if got := m.Output().At(5, 13, 13); !near(got, -0.8) {
		t.Errorf("centred blue vs yellow: %v, want −0.8", got)
	}
	if p, _ := m.Probe(4, 13, 13); p.Dot.Terms[0].X != -0.5 {
		t.Errorf("centred, the dot product reads black as %v, want −0.5", p.Dot.Terms[0].X)
	}
	m.SetInput("digit:0")
	m.SetInput("picture:2")
	if !m.Centred() {
		t.Error("centring was lost on changing input")
	}
}

func TestMapsScaleShared(t *testing.T) {
	m := newTestMaps() // picture 0: vertical edge reaches 4.5, horizontal edge 0
	// The horizontal edge on a vertical edge is zero up to rounding; its
	// scale is 1e−4 of what it could reach: Σ|w| = 3·5·(0.1+0.2+0+0.2+0.1)
	// = 9 times max x = 1.
	if lo, hi := m.MinMax(1); max(-lo, hi) > 1e-6 {
		t.Errorf("horizontal edge on a vertical edge spans [%v, %v], want rounding noise", lo, hi)
	}
	if s := m.Scale(1); !near(s, 9e-4) {
		t.Errorf("horizontal edge on a vertical edge: scale %v, want 9e-4", s)
	}
	if s := m.Scale(0); !near(s, 4.5) {
		t.Errorf("vertical edge: scale %v, want 4.5", s)
	}
	m.SetSharedRange(true)
	var top float32
	for f := 0; f < 6; f++ {
		lo, hi := m.MinMax(f)
		top = max(top, -lo, hi)
	}
	for f := 0; f < 6; f++ {
		if m.Scale(f) != top {
			t.Errorf("shared: map %d scale %v, want %v", f, m.Scale(f), top)
		}
	}
}

func TestMapsProbe(t *testing.T) {
	m := newTestMaps()
	p, err := m.Probe(0, 5, 13)
	if err != nil {
		t.Fatal(err)
	}
	if !near(p.Value, 4.5) || p.Value != p.PreReLU || p.Dot.Value != m.PreReLU().At(0, 5, 13) {
		t.Errorf("probe value %v (before ReLU %v, dot %v), want 4.5, bit for bit the engine's", p.Value, p.PreReLU, p.Dot.Value)
	}
	if want := image.Rect(13, 5, 18, 10); p.Field != want || p.Visible != p.Field {
		t.Errorf("field %v visible %v, want %v", p.Field, p.Visible, want)
	}
	if len(p.Dot.Terms) != 75 || p.Dot.Channels != 3 {
		t.Errorf("dot product of %d terms over %d channels, want 75 over 3", len(p.Dot.Terms), p.Dot.Channels)
	}
	// The term for channel 2, row 0, column 4 reads input (2, 5, 17): white,
	// times the weight 0.1.
	if tm := p.Dot.Terms[(2*5+0)*5+4]; tm.X != 1 || !near(tm.W, 0.1) {
		t.Errorf("term (2, 0, 4) = %v·%v, want 1·0.1", tm.X, tm.W)
	}
	m.SetPadding(2)
	m.SetStride(2) // (32 − 5 + 4)/2 + 1 = 16.5: impossible
	m.SetPadding(1)
	m.SetStride(3) // (32 − 5 + 2)/3 + 1 = 10.67: impossible
	m.SetPadding(2)
	m.SetStride(1)
	p, _ = m.Probe(1, 0, 0)
	if p.Field != image.Rect(-2, -2, 3, 3) || p.Visible != image.Rect(0, 0, 3, 3) {
		t.Errorf("corner with padding 2: field %v visible %v", p.Field, p.Visible)
	}
	if p.Dot.Value != m.PreReLU().At(1, 0, 0) {
		t.Errorf("corner dot %v, engine %v", p.Dot.Value, m.PreReLU().At(1, 0, 0))
	}
	if !p.Dot.Terms[0].Padding || p.Dot.Terms[12].Padding {
		t.Error("the corner's first term is padding, its centre is not")
	}
	for _, bad := range [][3]int{{6, 0, 0}, {0, 32, 0}, {0, 0, -1}} {
		if _, err := m.Probe(bad[0], bad[1], bad[2]); err == nil {
			t.Errorf("Probe%v accepted", bad)
		}
	}
	if m.Select(0, 31, 31) != nil {
		t.Fatal("select refused")
	}
	if s, ok := m.Selected(); !ok || s.I != 31 {
		t.Errorf("selected %v %v", s, ok)
	}
	m.SetPadding(0) // 28 x 28: (31, 31) no longer exists
	if _, ok := m.Selected(); ok {
		t.Error("the selection outlived its map")
	}
}
