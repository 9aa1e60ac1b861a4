package lesson

import (
	"encoding/json"
	"fmt"
	"image"
	"math"
	"slices"
	"strings"
	"testing"

	"convlab/engine/data"
	"convlab/engine/nn"
	"convlab/engine/tensor"
)

// numbers reads a picture of numbers, one row a line, into row-major values.
func numbers(pic string) []float32 {
	var v []float32
	for _, line := range strings.Split(strings.TrimSpace(pic), "\n") {
		for _, f := range strings.Fields(line) {
			var x float32
			if _, err := fmt.Sscan(f, &x); err != nil {
				panic(err)
			}
			v = append(v, x)
		}
	}
	return v
}

// starred writes row-major values as rows of side n, marking with * the
// cells listed in marked (row-major indices).
func starred(v []float32, n int, marked ...int) string {
	var b strings.Builder
	for i, x := range v {
		s := FormatNumber(x)
		for _, m := range marked {
			if m == i {
				s += "*"
			}
		}
		if i%n == n-1 {
			b.WriteString(s + "\n")
		} else {
			fmt.Fprintf(&b, "%-6s", s)
		}
	}
	return b.String()
}

func within(a, b, tol float32) bool { return math.Abs(float64(a-b)) <= float64(tol) }

func TestFieldStackGrows(t *testing.T) {
	f := NewFieldStack()
	// Three 3x3 convolutions with padding 1: each adds K − 1 = 2.
	if got := fmt.Sprint(f.Sides()); got != "[15 15 15 15]" {
		t.Errorf("sides %s, want [15 15 15 15]", got)
	}
	for g, want := range []int{1, 3, 5, 7} {
		if got := f.Seen(g); got != want {
			t.Errorf("a unit of grid %d sees %dx%d of the input, want %dx%d", g, got, got, want, want)
		}
	}
	// The centre unit (7, 7) sees rows and columns 4..10 of the input,
	// 5..9 of layer 1's output and 6..8 of layer 2's.
	if i, j := f.Unit(); i != 7 || j != 7 {
		t.Errorf("the chosen unit is (%d, %d), want the centre (7, 7)", i, j)
	}
	for g, want := range []image.Rectangle{image.Rect(4, 4, 11, 11), image.Rect(5, 5, 10, 10), image.Rect(6, 6, 9, 9), image.Rect(7, 7, 8, 8)} {
		if got := f.Region(g); got != want {
			t.Errorf("region in grid %d = %v, want %v", g, got, want)
		}
	}
	if n := f.MoreToCover(); n != 4 {
		t.Errorf("%d more 3x3 layers to see all 15 pixels, want 4 (7 + 2·4 = 15)", n)
	}
	// The corner unit reaches into the padding: rows −3..3.
	if err := f.Choose(0, 0); err != nil {
		t.Fatal(err)
	}
	if got := f.Region(0); got != image.Rect(-3, -3, 4, 4) {
		t.Errorf("the corner unit's region is %v, want (−3,−3)-(4,4)", got)
	}
	if err := f.Choose(15, 0); err == nil {
		t.Error("unit (15, 0) of a 15x15 output was accepted")
	}
}

func TestFieldStackDownsampling(t *testing.T) {
	f := NewFieldStack()
	for f.RemoveLast() == nil {
	}
	if got := f.Seen(0); got != 1 || len(f.Layers()) != 0 {
		t.Fatalf("an empty stack: %d layers, a unit sees %d", len(f.Layers()), got)
	}
	// 2x2 pooling does not fit 15: the engine's explanation names the layer.
	if err := f.Add(CommonLayers[4]); err == nil || err.Error() != "layer 1 (max pool 2x2, stride 2): (15 − 2 + 0)/2 + 1 = 7.5 is not a whole number: change padding or stride" {
		t.Errorf("pooling 15x15: %v", err)
	}
	// 3x3 stride 1, 3x3 stride 2 (15 → 8), 3x3 stride 1: 3, 5, then 5 + 2·2 = 9:
	// after the stride-2 layer each 3x3 adds twice K − 1.
	for _, l := range []FieldLayer{CommonLayers[0], CommonLayers[3], CommonLayers[0]} {
		if err := f.Add(l); err != nil {
			t.Fatal(err)
		}
	}
	if got := fmt.Sprint(f.Sides()); got != "[15 15 8 8]" {
		t.Errorf("sides %s, want [15 15 8 8]", got)
	}
	for g, want := range []int{1, 3, 5, 9} {
		if got := f.Seen(g); got != want {
			t.Errorf("grid %d sees %d, want %d", g, got, want)
		}
	}
	// Now 8 is even: pooling fits (8 → 4) and adds (2 − 1)·2 = 2, the 3x3
	// after it (4 − 1)... see below.
	if err := f.Add(CommonLayers[4]); err != nil {
		t.Fatal(err)
	}
	if err := f.Add(CommonLayers[0]); err != nil {
		t.Fatal(err)
	}
	// Going back from one unit: 3x3 → 3, pool 2/2 → (3−1)·2+2 = 6, 3x3 → 8,
	// 3x3 s2 → (8−1)·2+3 = 17, 3x3 → 19.
	if got := f.Seen(5); got != 19 {
		t.Errorf("after pooling the stack sees %d, want 19", got)
	}
	if f.MoreToCover() != 0 {
		t.Errorf("a unit that sees 19x19 still needs %d layers to cover 15x15", f.MoreToCover())
	}
	if err := f.Add(CommonLayers[2]); err != nil || f.Seen(6) != 19 {
		t.Errorf("a 1x1 layer: %v; it sees %d, want 19 still: 1x1 adds nothing", err, f.Seen(6))
	}
	if err := f.Add(CommonLayers[0]); err == nil || !strings.Contains(err.Error(), "6 layers at most") {
		t.Errorf("a seventh layer: %v", err)
	}
	if f.Layers()[1].Name() != "conv 3x3, pad 1, stride 2" || f.Layers()[3].Name() != "max pool 2x2, stride 2" {
		t.Errorf("names %q, %q", f.Layers()[1].Name(), f.Layers()[3].Name())
	}
}

func testPictures() []data.Picture { return data.PicturesAt(8)[:2] }

func TestColourMixer(t *testing.T) {
	m := NewColourMixer(testPictures())
	x := m.Input()
	s := x.Shape[1]
	// Greyscale: every output is 0.299·R + 0.587·G + 0.114·B.
	for _, px := range [][2]int{{0, 0}, {3, 5}, {7, 7}} {
		y, xx := px[0], px[1]
		r, g, b := x.At(0, y, xx), x.At(1, y, xx), x.At(2, y, xx)
		want := 0.299*r + 0.587*g + 0.114*b
		for o := 0; o < 3; o++ {
			if got := m.Output().At(o, y, xx); !within(got, want, 1e-6) {
				t.Errorf("grey output %d at (%d, %d) = %v, want %v", o, y, xx, got, want)
			}
		}
	}
	// A hand-set mix: out 0 = 2·R − B + 0.5.
	for c, w := range []string{"2", "0", "-1", "0.5"} {
		if err := m.Set(0, c, w); err != nil {
			t.Fatal(err)
		}
	}
	if m.Preset() != "" {
		t.Errorf("edited weights still claim the preset %q", m.Preset())
	}
	if err := m.SetProbe(3, 5); err != nil {
		t.Fatal(err)
	}
	d := m.Dot(0)
	want := 2*x.At(0, 3, 5) - x.At(2, 3, 5) + 0.5
	if got := m.Output().At(0, 3, 5); !within(got, want, 1e-6) || d.Value != got {
		t.Errorf("out 0 at (3, 5) = %v, written %v, want %v", got, d.Value, want)
	}
	if len(d.Terms) != 3 || d.Terms[2].W != -1 || d.Bias != 0.5 {
		t.Errorf("the written sum has terms %v and bias %v", d.Terms, d.Bias)
	}
	// Refusals keep the weight.
	if err := m.Set(0, 0, "abc"); err == nil || m.Weight(0, 0) != 2 {
		t.Errorf("abc: %v, weight %v", err, m.Weight(0, 0))
	}
	if err := m.Nudge(0, 0, -3); err != nil || m.Weight(0, 0) != 1.7 {
		t.Errorf("nudged down three notches: %v, %v", err, m.Weight(0, 0))
	}
	if err := m.SetProbe(s, 0); err == nil {
		t.Error("a pixel outside the picture was probed")
	}
	// Swapping red and blue: output 0 is the input's blue.
	if err := m.SetPreset("swap red and blue"); err != nil {
		t.Fatal(err)
	}
	if m.Output().At(0, 2, 2) != x.At(2, 2, 2) || m.Output().At(2, 2, 2) != x.At(0, 2, 2) {
		t.Error("swap red and blue does not swap them")
	}
	// The ledger: 3·3 + 3 = 12 parameters against 3·3·3·3 + 3 = 84 for a 3x3,
	// and the lecture's examples: 10·(3·5·5 + 1) = 760 parameters and
	// 10·32·32·75 = 768,000 multiply-adds; 32·64 + 32 = 2,080 and
	// 32·56·56·64 = 6,422,528.
	l := m.MixLedger()
	got := fmt.Sprintf("%d %d %d %d %d %d %d %d", l[0].Row.Params, l[0].Row.MultiplyAdds, l[1].Row.Params, l[1].Row.MultiplyAdds,
		l[2].Row.Params, l[2].Row.MultiplyAdds, l[3].Row.Params, l[3].Row.MultiplyAdds)
	if want := fmt.Sprintf("12 %d 84 %d 760 768000 2080 6422528", 3*s*s*3, 3*s*s*27); got != want {
		t.Errorf("ledger %s, want %s", got, want)
	}
}

func TestPoolLectureExample(t *testing.T) {
	g := NewPoolGrid(1)
	want := `
1     1     2     4
5     6*    7     8*
3*    2     1     0
1     2     3     4*
`
	var won []int
	for q := 0; q < 4; q++ {
		y, x := g.Winner(q)
		won = append(won, y*4+x)
	}
	if got := starred(g.Input().Data, 4, won...); strings.TrimSpace(got) != strings.TrimSpace(want) {
		t.Errorf("winners:\n%s\nwant\n%s", got, want)
	}
	if got := starred(g.Max().Data, 2); got != starred(numbers("6 8\n3 4"), 2) {
		t.Errorf("max pool:\n%s", got)
	}
	if got := starred(g.Avg().Data, 2); got != starred(numbers("3.25 5.25\n2 2"), 2) {
		t.Errorf("average pool:\n%s", got)
	}
	if g.Formula() != "(4 − 2 + 2·0)/2 + 1 = 2" {
		t.Errorf("formula %q", g.Formula())
	}
	if got := g.MaxWords(0, 0); got != "max(1, 1, 5, 6) = 6" {
		t.Errorf("max words %q", got)
	}
	if got := g.AvgWords(0, 1); got != "(2 + 4 + 7 + 8)/4 = 5.25" {
		t.Errorf("avg words %q", got)
	}
	// Ties go to the first; a negative is written as a subtraction.
	if err := g.Set(0, 0, "6"); err != nil {
		t.Fatal(err)
	}
	if y, x := g.Winner(0); y != 0 || x != 0 {
		t.Errorf("with 6 at (0,0) and (1,1) the winner is (%d, %d), want the first", y, x)
	}
	if err := g.Set(0, 1, "−3"); err != nil {
		t.Fatal(err)
	}
	if got := g.AvgWords(0, 0); got != "(6 − 3 + 5 + 6)/4 = 3.5" {
		t.Errorf("avg words %q", got)
	}
	if err := g.Set(0, 0, "x"); err == nil || g.Value(0, 0) != 6 {
		t.Errorf("typing x: %v, value %v", err, g.Value(0, 0))
	}
	// No parameters, and the depth is kept: 64x224x224 → 64x112x112.
	l, err := g.Ledger()
	if err != nil || l.Row.Params != 0 || tensor.ShapeString(l.Row.Output) != "64 x 112 x 112" {
		t.Errorf("ledger %+v, %v", l, err)
	}
}

func TestPoolShapes(t *testing.T) {
	g := NewPoolGrid(1)
	// A 3x3 window with stride 2 does not fit 4x4.
	if err := g.SetWindow(3, 2); err != nil {
		t.Fatal(err)
	}
	if g.Err() == nil || !strings.Contains(g.Err().Error(), "(4 − 3 + 0)/2 + 1 = 1.5 is not a whole number") || g.Max() != nil {
		t.Errorf("3x3/2 on 4x4: %v", g.Err())
	}
	// 6x6 keeps the 4x4's values in its corner; 3x3 with stride 3 gives 2x2.
	if err := g.SetSide(6); err != nil {
		t.Fatal(err)
	}
	if err := g.SetWindow(3, 3); err != nil {
		t.Fatal(err)
	}
	if g.Value(1, 1) != 6 || g.OutSide() != 2 {
		t.Fatalf("6x6: value %v, output side %d", g.Value(1, 1), g.OutSide())
	}
	in := g.Input().Data
	for q := 0; q < 4; q++ {
		i, j := q/2, q%2
		var best float32 = -1e9
		var sum float32
		for _, v := range g.Candidates(i, j) {
			best = max(best, v)
			sum += v
		}
		y, x := g.Winner(q)
		if g.Max().Data[q] != best || in[y*6+x] != best || !g.InWindow(i, j, y, x) || !within(g.Avg().Data[q], sum/9, 1e-5) {
			t.Errorf("output %d: max %v avg %v winner (%d, %d), want %v and %v", q, g.Max().Data[q], g.Avg().Data[q], y, x, best, sum/9)
		}
	}
	// Overlapping windows, stride 1: 6 − 2 + 1 = 5.
	if err := g.SetWindow(2, 1); err != nil || g.OutSide() != 5 {
		t.Errorf("2x2/1 on 6x6: %v, side %d", err, g.OutSide())
	}
	if err := g.Select(4, 4); err != nil {
		t.Fatal(err)
	}
	if err := g.SetWindow(2, 7); err == nil {
		t.Error("stride 7 was accepted")
	}
	if err := g.SetSide(5); err == nil {
		t.Error("a 5x5 grid was accepted")
	}
}

// normLab returns the lab with a hand-made batch: example 0 all zeros,
// example 1 all 0.5, example 2 all ones. The box filter (+2) gives 2, 6.5
// and 11 at every position; the Sobel filter gives 0 (+ bias −1 = −1).
func normLab() *NormLab {
	n := NewNormLab(1)
	for e := 0; e < NormBatch; e++ {
		for k := 0; k < 16; k++ {
			n.batch.Data[e*16+k] = float32(e) / 2
		}
	}
	n.compute()
	return n
}

func TestNormHandWorked(t *testing.T) {
	n := normLab()
	if got := n.X().Data; fmt.Sprint(got[:8]) != "[2 2 2 2 -1 -1 -1 -1]" || got[8] != 6.5 || got[16] != 11 {
		t.Fatalf("the conv's output starts %v", got[:17])
	}
	// Channel 0: mean (2 + 6.5 + 11)/3 = 6.5, variance (4.5² + 0 + 4.5²)/3 = 13.5;
	// x̂ = ±4.5/√13.50001 = ±1.2247. Channel 1 is constant: mean −1,
	// variance 0, x̂ = 0 (ε keeps it from dividing by zero).
	if n.Mean(0) != 6.5 || n.Var(0) != 13.5 || n.Mean(1) != -1 || n.Var(1) != 0 {
		t.Errorf("stats %v %v %v %v", n.Mean(0), n.Var(0), n.Mean(1), n.Var(1))
	}
	xh := n.XHat().Data
	if !within(xh[0], -1.2247, 1e-4) || xh[8] != 0 || !within(xh[16], 1.2247, 1e-4) || xh[4] != 0 {
		t.Errorf("x̂ = %v", xh)
	}
	// γ = 2, β = 1 on channel 0; β = 0.5 on channel 1.
	for _, s := range [][3]any{{0, 0, "2"}, {0, 1, "1"}, {1, 1, "0.5"}} {
		if err := n.Set(s[0].(int), s[1].(int), s[2].(string)); err != nil {
			t.Fatal(err)
		}
	}
	y := n.YTrain().Data
	if !within(y[0], -1.4495, 1e-4) || y[8] != 1 || !within(y[16], 3.4495, 1e-4) || y[4] != 0.5 {
		t.Errorf("training y = %v", y)
	}
	// One training step would move the running mean to 0.9·0 + 0.1·6.5 =
	// 0.65 and the running variance to 0.9·1 + 0.1·(13.5·12/11) = 2.3727.
	mu, va := n.RunningNext(0)
	if !within(mu, 0.65, 1e-6) || !within(va, 2.3727, 1e-4) {
		t.Errorf("running after one step: %v, %v", mu, va)
	}
	if mu, va = n.Running(0); mu != 0 || va != 1 {
		t.Errorf("looking trained the net: running %v, %v", mu, va)
	}
	// Test mode with the starting averages (0, 1): z = x/√(1 + ε), so
	// y = 2·x/√(1 + ε) + 1.
	n.SetTest(true)
	if z := n.XHat().Data; !within(z[0], 2, 1e-4) || !within(z[16], 11, 1e-3) {
		t.Errorf("test z = %v", z)
	}
	if y := n.Y().Data; !within(y[0], 5, 1e-4) || !within(y[16], 23, 1e-3) {
		t.Errorf("test y = %v", y)
	}
	// With running averages equal to the batch's, test mode gives the
	// training output, and the folded conv gives it too: a = 2/√13.50001,
	// b' = a·2 + 1 − a·6.5.
	b := n.bn()
	b.RunMean.Data[0], b.RunVar.Data[0] = 6.5, 13.5
	n.compute()
	a, sh := n.Affine(0)
	if !within(a, 0.544331, 1e-6) || !within(sh, 1-6.5*0.544331, 1e-5) {
		t.Errorf("affine %v, %v", a, sh)
	}
	w, bias := n.Filter(0, true)
	if !within(w[0], 0.544331, 1e-6) || !within(bias, 1-4.5*0.544331, 1e-5) {
		t.Errorf("folded filter starts %v, bias %v", w[0], bias)
	}
	if !within(n.YTest().Data[0], -1.4495, 1e-4) || !within(n.Folded().Data[16], 3.4495, 1e-4) || n.FoldDiff() > 1e-5 {
		t.Errorf("test %v, folded %v, difference %v", n.YTest().Data[0], n.Folded().Data[16], n.FoldDiff())
	}
	if err := n.Set(0, 0, "abc"); err == nil || n.Gamma(0) != 2 {
		t.Errorf("abc: %v, γ %v", err, n.Gamma(0))
	}
}

func TestNormTraining(t *testing.T) {
	n := NewNormLab(7)
	// In training mode, each channel of the output has mean β and variance
	// about γ² (σ²/(σ² + ε)).
	for c := 0; c < NormChannels; c++ {
		var s, sq float64
		for e := 0; e < NormBatch; e++ {
			for _, v := range n.YTrain().Data[(e*NormChannels+c)*4 : (e*NormChannels+c+1)*4] {
				s += float64(v)
				sq += float64(v) * float64(v)
			}
		}
		mean, vari := s/12, sq/12-(s/12)*(s/12)
		if math.Abs(mean) > 1e-5 || math.Abs(vari-1) > 1e-3 {
			t.Errorf("channel %d after batch norm: mean %v, variance %v", c, mean, vari)
		}
	}
	// Training moves the running mean of the box channel toward its
	// population mean, 9·0.5 + 2 = 6.5: after 60 batches 1 − 0.9⁶⁰ of the way.
	n.Train(60)
	if mu, _ := n.Running(0); math.Abs(float64(mu)-6.5) > 0.3 || n.Steps() != 60 {
		t.Errorf("after 60 batches the running mean is %v (%d steps), want about 6.5", mu, n.Steps())
	}
	if n.FoldDiff() > 1e-5 {
		t.Errorf("the folded conv differs by %v", n.FoldDiff())
	}
	n.ResetRunning()
	if mu, va := n.Running(1); mu != 0 || va != 1 || n.Steps() != 0 {
		t.Errorf("after a reset: %v, %v, %d steps", mu, va, n.Steps())
	}
}

func TestLeNetTables(t *testing.T) {
	nt := NewNetTable(1)
	if err := nt.SetPreset("no padding"); err != nil {
		t.Fatal(err)
	}
	want := `
conv 5x5 x20           20 x 24 x 24  20 x 1 x 5 x 5     520    288000
relu                   20 x 24 x 24                       0         0
maxpool 2x2, stride 2  20 x 12 x 12                       0         0
conv 5x5 x50           50 x 8 x 8    50 x 20 x 5 x 5  25050   1600000
relu                   50 x 8 x 8                         0         0
maxpool 2x2, stride 2  50 x 4 x 4                         0         0
flatten                800                                0         0
linear 500             500           500 x 800       400500    400000
relu                   500                                0         0
linear 10              10            10 x 500          5010      5000
`
	if got := ledgerText(nt.Rows()); got != strings.TrimLeft(want, "\n") {
		t.Errorf("no padding:\n%s\nwant\n%s", got, want)
	}
	if p, m := nt.Totals(); p != 520+25050+400500+5010 || m != 288000+1600000+400000+5000 {
		t.Errorf("totals %d, %d", p, m)
	}
	if err := nt.SetPreset("lecture"); err != nil {
		t.Fatal(err)
	}
	rows := nt.Rows()
	// 5x5 with padding 2 keeps 28x28: 20x28x28, 20x14x14, 50x14x14, 50x7x7,
	// 2450, and the first linear layer has 500·2450 + 500 = 1,225,500.
	got := fmt.Sprintf("%s|%s|%s|%s|%s|%d|%d", tensor.ShapeString(rows[0].Output), tensor.ShapeString(rows[2].Output),
		tensor.ShapeString(rows[3].Output), tensor.ShapeString(rows[5].Output), tensor.ShapeString(rows[6].Output), rows[7].Params, rows[3].MultiplyAdds)
	if got != "20 x 28 x 28|20 x 14 x 14|50 x 14 x 14|50 x 7 x 7|2450|1225500|4900000" {
		t.Errorf("lecture: %s", got)
	}
	// A digit through the built net: its activations have the ledger's shapes.
	digit := tensor.New(1, 28, 28)
	for i := range digit.Data {
		digit.Data[i] = float32(i%28) / 28
	}
	nt.SetDigit(digit)
	acts := nt.Activations()
	if len(acts) != len(rows) || nt.Built() != 1256080 {
		t.Fatalf("%d activations for %d rows; %d parameters built", len(acts), len(rows), nt.Built())
	}
	for i, a := range acts {
		if !tensor.SameShape(a.Out.Shape, rows[i].Output) {
			t.Errorf("layer %d ran to %v, the table says %v", i+1, a.Out.Shape, rows[i].Output)
		}
	}
}

func TestLeNetEdits(t *testing.T) {
	nt := NewNetTable(1)
	if err := nt.SetPreset("no padding"); err != nil {
		t.Fatal(err)
	}
	// Six filters in conv1: conv2's weights become 50x6x5x5, 7,550 parameters.
	if err := nt.SetKnob(0, "filters", "6"); err != nil {
		t.Fatal(err)
	}
	if r := nt.Rows()[3]; tensor.ShapeString(r.Weight) != "50 x 6 x 5 x 5" || r.Params != 7550 || nt.Preset() != "" {
		t.Errorf("conv2 after 6 filters: %v, %d, preset %q", r.Weight, r.Params, nt.Preset())
	}
	// A 13x13 kernel on conv2's 12x12 input: the table stops at layer 4.
	if err := nt.SetKnob(3, "kernel", "13"); err != nil {
		t.Fatal(err)
	}
	if nt.Err() == nil || nt.Failing() != 3 || len(nt.Rows()) != 3 || nt.Activations() != nil ||
		nt.Err().Error() != "layer 4 (conv 13x13 x50): (12 − 13 + 0)/1 + 1 is less than 1: the 13x13 kernel is larger than the 12x12 padded input; use a smaller kernel or more padding" {
		t.Errorf("kernel 13: failing %d, %d rows, %v", nt.Failing(), len(nt.Rows()), nt.Err())
	}
	// Padding 1 on conv1 (28 → 26 → 13 → 9) breaks the pooling after conv2
	// instead; the error names that layer.
	if err := nt.SetKnob(3, "kernel", "5"); err != nil {
		t.Fatal(err)
	}
	if nt.Err() != nil || nt.Failing() != -1 || len(nt.Rows()) != 10 {
		t.Fatalf("kernel 5 again: %v", nt.Err())
	}
	if err := nt.SetKnob(0, "pad", "1"); err != nil {
		t.Fatal(err)
	}
	if nt.Err() == nil || !strings.HasPrefix(nt.Err().Error(), "layer 6 (maxpool 2x2, stride 2): (9 − 2 + 0)/2 + 1 = 4.5") || nt.Failing() != 5 {
		t.Errorf("pad 1: %v (failing %d)", nt.Err(), nt.Failing())
	}
	// Refusals change nothing.
	for _, bad := range []struct{ knob, text, says string }{
		{"filters", "2.5", "whole number"}, {"filters", "abc", "not a number"}, {"filters", "0", "out of range"},
		{"pad", "-1", "out of range"}, {"size", "2", "no setting"},
	} {
		before := nt.Spec()
		err := nt.SetKnob(0, bad.knob, bad.text)
		if err == nil || !strings.Contains(err.Error(), bad.says) || !slices.Equal(before.Layers, nt.Spec().Layers) {
			t.Errorf("%s = %q: %v", bad.knob, bad.text, err)
		}
	}
	if err := nt.NudgeKnob(0, "pad", -1); err != nil || nt.Knob(0, "pad") != 0 || nt.Err() != nil {
		t.Errorf("nudging pad back to 0: %v, %v", err, nt.Err())
	}
	if err := nt.NudgeKnob(0, "pad", -1); err == nil {
		t.Error("padding −1 was accepted")
	}
}

// ledgerText writes ledger rows as a table.
func ledgerText(rows []nn.LedgerRow) string {
	var b strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&b, "%-22s %-13s %-15s %6d %9d\n", r.Name, tensor.ShapeString(r.Output), tensor.ShapeString(r.Weight), r.Params, r.MultiplyAdds)
	}
	return b.String()
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 400500: "400,500", 1225500: "1,225,500", -25050: "−25,050"} {
		if got := Thousands(n); got != want {
			t.Errorf("Thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestBeyondLinkRoundTrip(t *testing.T) {
	b := NewBeyond(testPictures(), 5)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(b.Field.Add(CommonLayers[3]))
	must(b.Field.Choose(1, 6))
	must(b.Mix.SetPicture(1))
	must(b.Mix.Set(1, 3, "0.25"))
	must(b.Pool.SetSide(6))
	must(b.Pool.SetWindow(3, 3))
	must(b.Pool.Select(1, 0))
	b.Norm.Train(3)
	must(b.Norm.Set(1, 0, "1.5"))
	b.Norm.SetTest(true)
	must(b.Net.SetKnob(7, "out", "120"))
	link := b.Encode()
	c, err := NewBeyond(testPictures(), 9).Decode(link)
	if err != nil {
		t.Fatal(err)
	}
	if c.Encode() != link {
		t.Errorf("the link does not round trip:\n%s\n%s", link, c.Encode())
	}
	jb, _ := json.Marshal(b.State())
	jc, _ := json.Marshal(c.State())
	sb, sc := string(jb), string(jc)
	if sb != sc {
		t.Errorf("states differ:\n%s\n%s", sb, sc)
	}
	// The presets are recognised again.
	d, err := c.Decode(NewBeyond(testPictures(), 1).Encode())
	if err != nil || d.Net.Preset() != "lecture" || d.Mix.Preset() != "greyscale" {
		t.Errorf("opening link: %v, presets %q %q", err, d.Net.Preset(), d.Mix.Preset())
	}
}

func TestBeyondLinkRefusals(t *testing.T) {
	b := NewBeyond(testPictures(), 5)
	before := b.Encode()
	for _, bad := range []string{
		"f=c3.1.1_p2.2", // pooling 15x15
		"f=x1", "fu=99.0", "mp=7", "mw=1,2", "mw=1,2,3,4,5,6,7,8,9,10,11,NaN",
		"pv=1,2,3", "pw=4.2", "ps=5.5", "nr=0,-1,0,1", "nb=x", "nn=-2",
		"l=c20.5.2", "l=z", "l=c0.5.2.1_l10", "%zz",
	} {
		if _, err := b.Decode(bad); err == nil {
			t.Errorf("%q was accepted", bad)
		}
		if b.Encode() != before {
			t.Fatalf("decoding %q changed the lesson", bad)
		}
	}
}

func FuzzBeyondDecode(f *testing.F) {
	b := NewBeyond(testPictures(), 5)
	f.Add(b.Encode())
	f.Add("f=&l=")
	f.Add("l=c20.28.0.1_r_f_l2")
	f.Fuzz(func(t *testing.T, link string) {
		c, err := b.Decode(link)
		if err != nil {
			return
		}
		// Whatever was accepted encodes and decodes to itself.
		d, err := c.Decode(c.Encode())
		if err != nil || d.Encode() != c.Encode() {
			t.Errorf("%q: accepted, but its own link gives %v", link, err)
		}
	})
}

// ExampleNetTable prints the table of LeNet-5 without padding, as the page
// shows it.
func ExampleNetTable() {
	nt := NewNetTable(1)
	if err := nt.SetPreset("no padding"); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%-22s %-13s %-15s %9s\n", "layer", "output", "weights", "params")
	for _, r := range nt.Rows() {
		if r.Params > 0 {
			fmt.Printf("%-22s %-13s %-15s %9s\n", r.Name, tensor.ShapeString(r.Output), tensor.ShapeString(r.Weight), Thousands(r.Params))
		}
	}
	p, m := nt.Totals()
	fmt.Printf("total %s parameters, %s multiply-adds per digit\n", Thousands(p), Thousands(m))
	// Output:
	// layer                  output        weights            params
	// conv 5x5 x20           20 x 24 x 24  20 x 1 x 5 x 5        520
	// conv 5x5 x50           50 x 8 x 8    50 x 20 x 5 x 5    25,050
	// linear 500             500           500 x 800         400,500
	// linear 10              10            10 x 500            5,010
	// total 431,080 parameters, 2,293,000 multiply-adds per digit
}

// ExamplePoolGrid prints the lecture's max pooling with its winners starred.
func ExamplePoolGrid() {
	g := NewPoolGrid(1)
	var won []int
	for q := 0; q < 4; q++ {
		y, x := g.Winner(q)
		won = append(won, y*4+x)
	}
	fmt.Print(starred(g.Input().Data, 4, won...))
	fmt.Println("max pool 2x2, stride 2:", g.Formula())
	fmt.Print(starred(g.Max().Data, 2))
	// Output:
	// 1     1     2     4
	// 5     6*    7     8*
	// 3*    2     1     0
	// 1     2     3     4*
	// max pool 2x2, stride 2: (4 − 2 + 2·0)/2 + 1 = 2
	// 6     8
	// 3     4
}
