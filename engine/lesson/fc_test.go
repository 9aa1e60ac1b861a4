package lesson

import (
	"fmt"
	"math"
	"math/rand"
	"strings"
	"testing"

	"convlab/assets"
	"convlab/engine/data"
	"convlab/engine/nn"
	"convlab/engine/tensor"
)

// shippedFC returns the lesson made from the shipped assets and pictures.
func shippedFC(t testing.TB) *FC {
	t.Helper()
	m, err := NewFC(FCSources{Weights: []byte(assets.FCLinear), Digits: []byte(assets.FCDigits), Pictures: data.Pictures()})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestFCIndex(t *testing.T) {
	// Hand-worked from (c·32 + y)·32 + x.
	cases := []struct{ c, y, x, i int }{
		{0, 0, 0, 0},
		{0, 0, 31, 31},
		{0, 1, 0, 32},     // the second row of red starts after the first 32 values
		{0, 31, 31, 1023}, // red ends at 1023
		{1, 0, 0, 1024},   // green starts at 32·32 = 1024
		{1, 5, 12, 1196},  // (1·32 + 5)·32 + 12 = 37·32 + 12
		{2, 0, 0, 2048},
		{2, 31, 31, 3071}, // the last of 3072
	}
	for _, c := range cases {
		if got := FCIndex(c.c, c.y, c.x); got != c.i {
			t.Errorf("FCIndex(%d, %d, %d) = %d, want %d", c.c, c.y, c.x, got, c.i)
		}
		if c2, y, x := FCPixel(c.i); c2 != c.c || y != c.y || x != c.x {
			t.Errorf("FCPixel(%d) = (%d, %d, %d), want (%d, %d, %d)", c.i, c2, y, x, c.c, c.y, c.x)
		}
	}
	// The index formula is the tensor's: stretching is reading Data in order.
	x := tensor.New(3, 32, 32)
	for i := 0; i < FCLen; i++ {
		c, y, xx := FCPixel(i)
		if FCIndex(c, y, xx) != i || x.Index(c, y, xx) != i {
			t.Fatalf("index %d: FCPixel gives (%d, %d, %d), which maps back to %d (tensor: %d)", i, c, y, xx, FCIndex(c, y, xx), x.Index(c, y, xx))
		}
	}
	for _, bad := range []func(){func() { FCIndex(3, 0, 0) }, func() { FCIndex(0, 32, 0) }, func() { FCPixel(3072) }, func() { FCPixel(-1) }} {
		func() {
			defer func() {
				if recover() == nil {
					t.Error("an index outside the picture did not panic")
				}
			}()
			bad()
		}()
	}
}

// grid parses a picture of numbers, one row a line.
func grid(s string) []float32 {
	var out []float32
	for _, f := range strings.Fields(s) {
		var v float32
		fmt.Sscan(f, &v)
		out = append(out, v)
	}
	return out
}

func TestShiftPicture(t *testing.T) {
	src := tensor.FromData(grid(`
		1 2 3 4
		5 6 7 8
		9 8 7 6`), 1, 3, 4)
	cases := []struct {
		dx, dy int
		want   string
	}{
		{0, 0, `1 2 3 4
		        5 6 7 8
		        9 8 7 6`},
		{1, 0, `0 1 2 3
		        0 5 6 7
		        0 9 8 7`}, // right by one: a black column moves in on the left
		{-2, 1, `0 0 0 0
		         3 4 0 0
		         7 8 0 0`}, // left by two and down by one
		{5, 0, `0 0 0 0
		        0 0 0 0
		        0 0 0 0`}, // out of the frame
	}
	dst := tensor.New(1, 3, 4)
	for _, c := range cases {
		ShiftPicture(src, dst, c.dx, c.dy)
		if want := grid(c.want); fmt.Sprint(dst.Data) != fmt.Sprint(want) {
			t.Errorf("shift (%d, %d) = %v, want %v", c.dx, c.dy, dst.Data, want)
		}
	}
}

func ExampleShiftPicture() {
	src := tensor.FromData([]float32{
		0, 0, 0, 0, 0,
		0, 1, 1, 1, 0,
		0, 1, 0, 1, 0,
		0, 1, 1, 1, 0,
		0, 0, 0, 0, 0,
	}, 1, 5, 5)
	dst := tensor.New(1, 5, 5)
	ShiftPicture(src, dst, 1, -1) // one right, one up
	for y := 0; y < 5; y++ {
		fmt.Println(dst.Data[y*5 : y*5+5])
	}
	// Output:
	// [0 0 1 1 1]
	// [0 0 1 0 1]
	// [0 0 1 1 1]
	// [0 0 0 0 0]
	// [0 0 0 0 0]
}

// tinyFC returns the lesson over one hand-made picture and hand-set
// weights: the picture is black but for pixel (0,0,0) = 255, (1,5,12) = 51
// and (2,31,31) = 255 (1, 0.2 and 1 after /255), and row 3 of W is 0.5 at
// index 0, −2 at 1196 and 0.25 at 3071, with bias 0.1.
func tinyFC(t *testing.T) *FC {
	t.Helper()
	net, err := nn.Build(FCSpec(), nil)
	if err != nil {
		t.Fatal(err)
	}
	lin := net.Layers[0].(*nn.Linear)
	lin.W.Data[3*FCLen+0] = 0.5
	lin.W.Data[3*FCLen+1196] = -2
	lin.W.Data[3*FCLen+3071] = 0.25
	lin.B.Data[3] = 0.1
	lin.W.Data[7*FCLen+1196] = 1 // another row, which must not leak into row 3
	pic := &data.Set{C: 3, H: 32, W: 32, Pixels: make([]uint8, FCLen), Labels: []uint8{0}}
	pic.Pixels[FCIndex(0, 0, 0)] = 255
	pic.Pixels[FCIndex(1, 5, 12)] = 51
	pic.Pixels[FCIndex(2, 31, 31)] = 255
	strip, err := EncodeFCDigits(pic)
	if err != nil {
		t.Fatal(err)
	}
	m, err := NewFC(FCSources{Weights: net.Marshal(), Digits: strip})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestFCRowDotByHand(t *testing.T) {
	m := tinyFC(t)
	d := m.RowDot(3)
	// 0.5·1 + (−2)·0.2 + 0.25·1 = 0.5 − 0.4 + 0.25 = 0.35; + 0.1 = 0.45.
	near := func(what string, got, want float32) {
		if math.Abs(float64(got-want)) > 1e-6 {
			t.Errorf("%s = %v, want %v", what, got, want)
		}
	}
	near("sum", d.Sum, 0.35)
	near("value", d.Value, 0.45)
	near("the engine's score", d.Score, 0.45)
	near("score from Scores", m.Scores()[3], 0.45)
	near("red partial", d.Partial[0], 0.5)
	near("green partial", d.Partial[1], -0.4)
	near("blue partial", d.Partial[2], 0.25)
	near("score 7 (1·0.2)", m.Scores()[7], 0.2)
	if d.Terms != 3072 || d.Zero != 3069 {
		t.Errorf("terms %d, zero %d; want 3072 of which 3069 are 0", d.Terms, d.Zero)
	}
	if len(d.Largest) != 2 || d.Largest[0].I != 0 || d.Largest[1].I != 3071 {
		t.Errorf("largest products %+v, want index 0 (0.5) then 3071 (0.25)", d.Largest)
	}
	if len(d.Smallest) != 1 || d.Smallest[0].I != 1196 || d.Smallest[0].C != 1 || d.Smallest[0].Y != 5 || d.Smallest[0].X != 12 {
		t.Errorf("most negative products %+v, want index 1196, pixel (1, 5, 12)", d.Smallest)
	}
	near("contribution of pixel (5, 12)", d.Contribution[5*32+12], -0.4)
	near("contribution of pixel (31, 31)", d.Contribution[31*32+31], 0.25)
	// Shifted one right, the pixels land on indices 1, 1197 and nothing
	// (31 + 1 leaves the frame): no weight of row 3 is there.
	if err := m.SetShift(1, 0); err != nil {
		t.Fatal(err)
	}
	near("row 3 after the shift", m.RowDot(3).Value, 0.1)
	near("score 3 after the shift", m.Scores()[3], 0.1)
	near("centred score 3 after the shift", m.CentredScores()[3], 0.45)
}

func TestFCLedger(t *testing.T) {
	fc, conv := FCLedger()
	// Slide 10: 10 x 3072 weights and 10 biases. Slide 18-19: six 3x5x5
	// filters and a 6-dim bias.
	if fc.Params != 10*3072+10 || fmt.Sprint(fc.Weight) != "[10 3072]" || fmt.Sprint(fc.Output) != "[10]" {
		t.Errorf("fully connected ledger %+v, want weights [10 3072], 30,730 parameters, output [10]", fc)
	}
	if conv.Params != 6*3*5*5+6 || fmt.Sprint(conv.Weight) != "[6 3 5 5]" || fmt.Sprint(conv.Output) != "[6 28 28]" {
		t.Errorf("convolution ledger %+v, want weights [6 3 5 5], 456 parameters, output [6 28 28]", conv)
	}
	if fc.MultiplyAdds != 30720 || conv.MultiplyAdds != 6*28*28*75 {
		t.Errorf("multiply-adds %d and %d, want 30,720 and 352,800", fc.MultiplyAdds, conv.MultiplyAdds)
	}
}

func TestFCShipped(t *testing.T) {
	m := shippedFC(t)
	if len(m.Inputs()) != 16 || m.Inputs()[3].ID != "digit-3" || m.Inputs()[12].ID != "picture-checkered-floor" {
		t.Fatalf("inputs %d; want 10 digits then 6 pictures", len(m.Inputs()))
	}
	// The shipped digits are ones the classifier gets right, centred.
	for i := 0; i < 10; i++ {
		if err := m.SetInput(fmt.Sprintf("digit-%d", i)); err != nil {
			t.Fatal(err)
		}
		if m.Predicted() != i || m.Row() != i {
			t.Errorf("digit %d: predicted %d, row %d", i, m.Predicted(), m.Row())
		}
		// Every score is its row's dot product plus bias.
		for k := 0; k < FCClasses; k++ {
			d := m.RowDot(k)
			if math.Abs(float64(d.Value-m.Scores()[k])) > 1e-4 {
				t.Errorf("digit %d, score %d: the engine gives %v, the written dot product %v", i, k, m.Scores()[k], d.Value)
			}
			var sum float32
			for c := range d.Partial {
				sum += d.Partial[c]
			}
			if math.Abs(float64(sum-d.Sum)) > 1e-4 {
				t.Errorf("digit %d, score %d: partial sums %v add to %v, not %v", i, k, d.Partial, sum, d.Sum)
			}
		}
	}
	// The maps are the engine's convolution; the shown value is the map's.
	if err := m.SetPosition(9, 14); err != nil {
		t.Fatal(err)
	}
	m.SetFilter(2)
	want, err := nn.Conv2DNaive(m.Picture(), m.Bank().W, m.Bank().B, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(want.Data) != fmt.Sprint(m.Maps().Data) {
		t.Error("the maps differ from nn.Conv2DNaive's")
	}
	if d := m.ConvDot(); d.Value != m.Maps().At(2, 9, 14) || len(d.Terms) != 75 {
		t.Errorf("the conv dot product gives %v from %d terms, the map %v", d.Value, len(d.Terms), m.Maps().At(2, 9, 14))
	}
}

func TestFCShiftCheck(t *testing.T) {
	m := shippedFC(t)
	if err := m.SetInput("digit-4"); err != nil {
		t.Fatal(err)
	}
	ck := m.ShiftCheck()
	if ck.Same != ck.Compared || ck.Compared != 4704 || ck.MaxScoreChange != 0 {
		t.Errorf("centred: %+v", ck)
	}
	if err := m.SetShift(2, -1); err != nil {
		t.Fatal(err)
	}
	ck = m.ShiftCheck()
	// Six maps of (28 − 2) x (28 − 1) values whose window, moved back, is on the map.
	if ck.Compared != 6*26*27 || ck.Same != ck.Compared || ck.Total != 4704 {
		t.Errorf("shifted (2, −1): %+v; want all 4,212 compared values the same", ck)
	}
	if ck.MaxScoreChange < 0.5 {
		t.Errorf("the scores hardly changed (%v) though the digit moved", ck.MaxScoreChange)
	}
	if err := m.SetShift(9, 0); err == nil {
		t.Error("a shift of 9 was accepted")
	}
	if dx, dy := m.Shift(); dx != 2 || dy != -1 {
		t.Errorf("a refused shift changed it to (%d, %d)", dx, dy)
	}
}

func TestFCPlay(t *testing.T) {
	m := shippedFC(t)
	if m.StretchFilled() != 3072 || m.SlideShown() != 784 {
		t.Fatalf("at rest the column holds %d values and the map %d", m.StretchFilled(), m.SlideShown())
	}
	m.PlayStretch()
	if m.StretchFilled() != 0 || !m.StretchPlaying() {
		t.Errorf("starting the stretch: %d filled, playing %v", m.StretchFilled(), m.StretchPlaying())
	}
	m.Tick(0.5) // 12 rows of 32
	if m.StretchFilled() != 12*32 {
		t.Errorf("after half a second %d values, want 384", m.StretchFilled())
	}
	m.Tick(10)
	if m.StretchPlaying() || m.StretchFilled() != 3072 {
		t.Errorf("after the end: playing %v, %d values", m.StretchPlaying(), m.StretchFilled())
	}
	m.PlaySlide()
	if i, j := m.Position(); i != 0 || j != 0 || m.SlideShown() != 1 {
		t.Errorf("starting the slide: position (%d, %d), %d shown", i, j, m.SlideShown())
	}
	m.Tick(1) // 56 positions: two rows of the map
	if i, j := m.Position(); i != 2 || j != 0 || m.SlideShown() != 57 {
		t.Errorf("after a second: position (%d, %d), %d shown; want (2, 0), 57", i, j, m.SlideShown())
	}
	m.PlaySlide() // stops where it is
	if i, j := m.Position(); m.SlidePlaying() || i != 2 || j != 0 || m.SlideShown() != 784 {
		t.Errorf("stopped: playing %v at (%d, %d)", m.SlidePlaying(), i, j)
	}
}

func TestFCSettings(t *testing.T) {
	m := shippedFC(t)
	m.SetInput("picture-zebra")
	m.SetShift(-3, 4)
	m.SetRow(8)
	m.SetFilter(5)
	m.SetPosition(1, 27)
	enc := m.Settings().Encode()
	if enc != "in=picture-zebra&shift=-3,4&row=8&filter=5&at=1,27" {
		t.Errorf("Encode = %q", enc)
	}
	other := shippedFC(t)
	s, err := DecodeFCSettings(enc, other.Settings())
	if err != nil {
		t.Fatal(err)
	}
	if err := other.Restore(s); err != nil {
		t.Fatal(err)
	}
	if other.Settings() != m.Settings() || fmt.Sprint(other.Scores()) != fmt.Sprint(m.Scores()) {
		t.Errorf("restored %+v, want %+v", other.Settings(), m.Settings())
	}
	// Missing parts keep what was there.
	s, err = DecodeFCSettings("row=2", m.Settings())
	if err != nil || s.Row != 2 || s.Input != "picture-zebra" {
		t.Errorf("a partial link: %+v, %v", s, err)
	}
	for _, c := range []struct{ link, says string }{
		{"row=two", "whole number"},
		{"shift=3", "two whole numbers"},
		{"colour=red", "not a setting"},
		{"row", "name=value"},
	} {
		if _, err := DecodeFCSettings(c.link, m.Settings()); err == nil || !strings.Contains(err.Error(), c.says) {
			t.Errorf("DecodeFCSettings(%q) = %v, want an error saying %q", c.link, err, c.says)
		}
	}
	before := m.Settings()
	for _, c := range []struct {
		s    FCSettings
		says string
	}{
		{FCSettings{Input: "cat"}, "no picture"},
		{FCSettings{Input: "digit-1", DX: 9}, "at most 8"},
		{FCSettings{Input: "digit-1", Row: 10}, "rows 0 to 9"},
		{FCSettings{Input: "digit-1", Filter: -1}, "filters 0 to 5"},
		{FCSettings{Input: "digit-1", I: 28}, "28 x 28"},
	} {
		if err := m.Restore(c.s); err == nil || !strings.Contains(err.Error(), c.says) {
			t.Errorf("Restore(%+v) = %v, want an error saying %q", c.s, err, c.says)
		}
	}
	if m.Settings() != before {
		t.Errorf("refused settings changed the lesson to %+v", m.Settings())
	}
}

func FuzzDecodeFCSettings(f *testing.F) {
	for _, s := range []string{"in=digit-3&shift=2,-1&row=3&filter=0&at=12,12", "", "row=", "shift=,", "at=99,-99", "&&"} {
		f.Add(s)
	}
	m, err := NewFC(FCSources{Weights: []byte(assets.FCLinear), Digits: []byte(assets.FCDigits)})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, link string) {
		s, err := DecodeFCSettings(link, m.Settings())
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		before := m.Settings()
		if err := m.Restore(s); err != nil {
			if m.Settings() != before {
				t.Fatalf("a refused %q changed the settings", link)
			}
			return
		}
		if m.Settings() != s {
			t.Fatalf("restored %+v, asked for %+v", m.Settings(), s)
		}
	})
}

func TestColourDigitsAndStrip(t *testing.T) {
	// A 28 x 28 digit with one full pixel at (0, 0) and a half one at (27, 27).
	d := &data.Set{Name: "d", Classes: data.MNISTClasses(), C: 1, H: 28, W: 28, Pixels: make([]uint8, 28*28), Labels: []uint8{0}}
	d.Pixels[0], d.Pixels[28*28-1] = 255, 128
	s, err := ColourDigits(d, rand.New(rand.NewSource(1)))
	if err != nil {
		t.Fatal(err)
	}
	// The digit sits 2 pixels in: (0, 0) lands on (2, 2), (27, 27) on (29, 29).
	var ink [3]uint8
	for c := 0; c < 3; c++ {
		ink[c] = s.Pixels[FCIndex(c, 2, 2)]
		if half := s.Pixels[FCIndex(c, 29, 29)]; math.Abs(float64(half)-float64(ink[c])*128/255) > 1 {
			t.Errorf("channel %d: the half pixel is %d, the full one %d", c, half, ink[c])
		}
	}
	if mx, mn := max(ink[0], ink[1], ink[2]), min(ink[0], ink[1], ink[2]); mx != 255 || mn < 76 || mn > 77 {
		t.Errorf("ink %v: want the brightest channel 255 and the dimmest 0.3 of it (76 or 77)", ink)
	}
	var lit int
	for _, p := range s.Pixels {
		if p != 0 {
			lit++
		}
	}
	if lit != 6 {
		t.Errorf("%d lit values, want 2 pixels x 3 channels", lit)
	}
	if _, err := ColourDigits(&data.Set{C: 3, H: 32, W: 32}, rand.New(rand.NewSource(1))); err == nil {
		t.Error("colour pictures were taken as digits")
	}

	// The strip keeps every value.
	m := shippedFC(t)
	set := &data.Set{C: 3, H: 32, W: 32}
	for i := 0; i < 10; i++ {
		for _, v := range m.Inputs()[i].X.Data {
			set.Pixels = append(set.Pixels, uint8(math.Round(float64(v)*255)))
		}
		set.Labels = append(set.Labels, uint8(i))
	}
	b, err := EncodeFCDigits(set)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != assets.FCDigits {
		t.Error("decoding and encoding the shipped strip does not give it back")
	}
	for _, bad := range [][]byte{nil, []byte("not a png"), b[:len(b)/2]} {
		if _, err := DecodeFCDigits(bad); err == nil {
			t.Errorf("DecodeFCDigits accepted %d bad bytes", len(bad))
		}
	}
	set.Labels[0] = 1
	if _, err := EncodeFCDigits(set); err == nil {
		t.Error("a strip out of class order was written")
	}
}

func TestNewFCRefuses(t *testing.T) {
	conv, err := nn.Build(FCConvSpec(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		src  FCSources
		says string
	}{
		{FCSources{Weights: []byte("junk"), Digits: []byte(assets.FCDigits)}, "weights could not be read"},
		{FCSources{Weights: conv.Marshal(), Digits: []byte(assets.FCDigits)}, "want one linear layer"},
		{FCSources{Weights: []byte(assets.FCLinear), Digits: []byte("junk")}, "fc digits"},
		{FCSources{Weights: []byte(assets.FCLinear), Digits: []byte(assets.FCDigits), Pictures: data.PicturesAt(16)}, "want 32 x 32"},
	} {
		if _, err := NewFC(c.src); err == nil || !strings.Contains(err.Error(), c.says) {
			t.Errorf("NewFC: %v, want an error saying %q", err, c.says)
		}
	}
}
