package lesson

import (
	"math"
	"math/rand"
	"strings"
	"testing"

	"convlab/engine/nn"
	"convlab/engine/tensor"
)

// TestMapsEdits types, nudges and refuses weights and biases, and checks
// that an accepted edit changes the map by the hand-worked amount.
func TestMapsEdits(t *testing.T) {
	m := newTestMaps() // picture 0: white from column 16
	w := func(f, c, u, v int) float32 { return m.Bank().W.At(f, c, u, v) }
	before := m.Output().At(0, 0, 13) // 4.5

	// Weight (0, 1, 0, 0) is −0.1; at output (0, 13) it sits on input
	// column 13, black, so it changes nothing there; at (0, 16) it sits on
	// column 16, white: the map moves by the change of the weight.
	at16 := m.Output().At(0, 0, 16)
	if err := m.SetWeight(0, 1, 0, 0, "0,4"); err != nil {
		t.Fatal(err)
	}
	if got := w(0, 1, 0, 0); got != 0.4 {
		t.Errorf("typed 0,4: weight %v", got)
	}
	if got := m.Output().At(0, 0, 16); !near(got, at16+0.5) || m.Output().At(0, 0, 13) != before {
		t.Errorf("after +0.5 on a white pixel: %v, want %v; on a black one %v, want %v", got, at16+0.5, m.Output().At(0, 0, 13), before)
	}
	if m.Message() != "" {
		t.Errorf("message %q after an accepted edit", m.Message())
	}

	for _, bad := range []string{"abc", "", "NaN", "Inf", "1e999"} {
		err := m.SetWeight(0, 1, 0, 0, bad)
		if err == nil || m.Message() != err.Error() {
			t.Errorf("SetWeight(%q): error %v, message %q", bad, err, m.Message())
		}
		if got := w(0, 1, 0, 0); got != 0.4 {
			t.Errorf("refused %q changed the weight to %v", bad, got)
		}
	}
	for _, idx := range [][4]int{{6, 0, 0, 0}, {0, 3, 0, 0}, {0, 0, 5, 0}, {-1, 0, 0, 0}} {
		if err := m.SetWeight(idx[0], idx[1], idx[2], idx[3], "1"); err == nil {
			t.Errorf("SetWeight%v accepted", idx)
		}
	}

	// Ten notches up from 0.4 land on 1.4 exactly, not 1.4000001.
	for range 10 {
		m.Nudge(0, 1, 0, 0, 1)
	}
	if got := w(0, 1, 0, 0); got != 1.4 {
		t.Errorf("after ten notches: %v, want 1.4", got)
	}
	if err := m.Nudge(0, 1, 0, 0, math.NaN()); err == nil || w(0, 1, 0, 0) != 1.4 {
		t.Errorf("a NaN nudge: error %v, weight %v", err, w(0, 1, 0, 0))
	}

	// A bias moves every value of its map.
	if err := m.SetBias(0, "−2"); err != nil {
		t.Fatal(err)
	}
	if got := m.Output().At(0, 0, 13); !near(got, before-2) {
		t.Errorf("bias −2: %v, want %v", got, before-2)
	}
	m.NudgeBias(0, -5)
	if b := m.Bank().B[0]; b != -2.5 {
		t.Errorf("bias after −5 notches: %v, want −2.5", b)
	}
	if err := m.SetBias(7, "1"); err == nil {
		t.Error("SetBias on a filter that does not exist")
	}
	if err := m.SetBias(0, "x"); err == nil || m.Bank().B[0] != -2.5 {
		t.Errorf("refused bias: error %v, bias %v", err, m.Bank().B[0])
	}

	m.ResetFilters()
	if m.Output().At(0, 0, 13) != before || m.Bank().B[0] != 0 {
		t.Errorf("after reset: %v and bias %v, want %v and 0", m.Output().At(0, 0, 13), m.Bank().B[0], before)
	}
}

func TestMapsPresets(t *testing.T) {
	m := newTestMaps()
	// Identity on every channel: each output is the sum of the three
	// channels at the window's centre, (i+2, j+2).
	if err := m.ApplyPreset(2, AllChannels, "identity"); err != nil {
		t.Fatal(err)
	}
	for _, j := range []int{13, 14} { // centres at columns 15 (black) and 16 (white)
		want := float32(0)
		if j+2 >= 16 {
			want = 3
		}
		if got := m.Output().At(2, 4, j); got != want {
			t.Errorf("identity on all channels at (4, %d) = %v, want %v", j, got, want)
		}
	}
	if m.Bank().Names[2] != "identity" {
		t.Errorf("name %q", m.Bank().Names[2])
	}
	// On channel 1 only: channel 1 becomes a 5x5 sobel x, the others stay.
	red := append([]float32(nil), m.Bank().W.Data[(3*3+0)*25:(3*3+1)*25]...)
	if err := m.ApplyPreset(3, 1, "sobel x"); err != nil {
		t.Fatal(err)
	}
	want := []float32{
		0, 0, 0, 0, 0,
		0, -1, 0, 1, 0,
		0, -2, 0, 2, 0,
		0, -1, 0, 1, 0,
		0, 0, 0, 0, 0,
	}
	for k, v := range want {
		if got := m.Bank().W.Data[(3*3+1)*25+k]; got != v {
			t.Fatalf("sobel x on channel 1, weight %d = %v, want %v", k, got, v)
		}
	}
	for k, v := range red {
		if m.Bank().W.Data[(3*3+0)*25+k] != v {
			t.Fatal("a preset on channel 1 changed channel 0")
		}
	}
	if m.Bank().Names[3] != "sobel x (channel 1)" {
		t.Errorf("name %q", m.Bank().Names[3])
	}
	for _, bad := range []struct {
		f, c int
		name string
	}{{0, 0, "emboss"}, {0, 3, "identity"}, {6, 0, "identity"}} {
		if err := m.ApplyPreset(bad.f, bad.c, bad.name); err == nil {
			t.Errorf("ApplyPreset(%d, %d, %q) accepted", bad.f, bad.c, bad.name)
		}
	}
	if err := m.ApplyPreset(0, AllChannels, "random"); err != nil {
		t.Fatal(err)
	}
}

func TestMapsKernelSize(t *testing.T) {
	m := newTestMaps()
	if err := m.SetKernelSize(3); err != nil {
		t.Fatal(err)
	}
	// The vertical edge keeps its centre: columns −0.2, 0, 0.2.
	want := []float32{-0.2, 0, 0.2, -0.2, 0, 0.2, -0.2, 0, 0.2}
	for k, v := range want {
		if got := m.Bank().W.Data[k]; !near(got, v) {
			t.Fatalf("3x3 vertical edge weight %d = %v, want %v", k, got, v)
		}
	}
	if m.OutputShape() != "6 x 30 x 30" {
		t.Errorf("3x3: %s", m.OutputShape())
	}
	m.SetKernelSize(5) // back to 5: zeros around the kept centre
	if got := m.Bank().W.At(0, 0, 0, 0); got != 0 {
		t.Errorf("grown kernel corner %v, want 0", got)
	}
	if got := m.Bank().W.At(0, 0, 2, 3); !near(got, 0.2) {
		t.Errorf("grown kernel (2, 3) %v, want 0.2", got)
	}
	for _, k := range []int{0, 4, 13, -1} {
		if err := m.SetKernelSize(k); err == nil {
			t.Errorf("kernel size %d accepted", k)
		}
	}
	for _, p := range []int{-1, MaxPadding + 1} {
		if err := m.SetPadding(p); err == nil || m.Padding() != 0 {
			t.Errorf("padding %d: error %v, padding now %d", p, err, m.Padding())
		}
	}
	for _, s := range []int{0, MaxStride + 1} {
		if err := m.SetStride(s); err == nil || m.Stride() != 1 {
			t.Errorf("stride %d: error %v, stride now %d", s, err, m.Stride())
		}
	}
}

// TestMapsLoadNetFilters loads the first layer of the reference network
// (8 filters of 1x5x5, pad 2), as the page does after training.
func TestMapsLoadNetFilters(t *testing.T) {
	net, err := nn.Build(nn.ReferenceSpec(), rand.New(rand.NewSource(1)))
	if err != nil {
		t.Fatal(err)
	}
	conv := net.FirstConv()
	m := newTestMaps()
	if err := m.LoadFilters(conv.W, conv.B.Data, true); err != nil {
		t.Fatal(err)
	}
	if m.FilterShape() != "8 x 1 x 5 x 5" || m.OutputShape() != "8 x 24 x 24" || m.InputID() != "digit:0" {
		t.Errorf("net filters: %s -> %s on %s", m.FilterShape(), m.OutputShape(), m.InputID())
	}
	if p, _ := m.Probe(3, 4, 5); p.Dot.Value != m.PreReLU().At(3, 4, 5) || p.Dot.Terms[7].W != conv.W.At(3, 0, 1, 2) {
		t.Error("the probe does not read the loaded filters")
	}
}

func TestMapsLoadFilters(t *testing.T) {
	m := newTestMaps() // on a colour picture
	// Four learned 3x3 filters over one channel: the input turns to a digit.
	w := tensor.New(4, 1, 3, 3)
	w.Set(1, 2, 0, 1, 1) // filter 2 is the identity
	b := []float32{0, 0, 0.5, 0}
	if err := m.LoadFilters(w, b, false); err != nil {
		t.Fatal(err)
	}
	if m.InputID() != "digit:0" || m.FilterShape() != "4 x 1 x 3 x 3" || m.OutputShape() != "4 x 26 x 26" {
		t.Errorf("after loading: input %s, filters %s, maps %s", m.InputID(), m.FilterShape(), m.OutputShape())
	}
	// The identity plus 0.5 on the digit's bar (columns 12..15): output
	// column j reads input column j+1.
	if got := m.Output().At(2, 5, 11); got != 1.5 {
		t.Errorf("learned identity on the bar: %v, want 1.5", got)
	}
	if got := m.Output().At(2, 5, 15); got != 0.5 {
		t.Errorf("learned identity off the bar: %v, want 0.5", got)
	}
	if m.Bank().Names[3] != "learned 4" {
		t.Errorf("name %q", m.Bank().Names[3])
	}
	w.Data[0] = 9 // the bank holds a copy
	if m.Bank().W.Data[0] != 0 {
		t.Error("LoadFilters kept the caller's tensor")
	}

	nan := tensor.New(4, 1, 3, 3)
	nan.Data[3] = float32(math.NaN())
	for _, bad := range []struct {
		w *tensor.Tensor
		b []float32
	}{
		{tensor.New(4, 2, 3, 3), make([]float32, 4)}, // two channels
		{tensor.New(4, 1, 3, 3), make([]float32, 3)}, // three biases
		{tensor.New(4, 1, 4, 4), make([]float32, 4)}, // even kernel
		{tensor.New(4, 1, 3), make([]float32, 4)},    // not 4-D
		{nan, make([]float32, 4)},
	} {
		if err := m.LoadFilters(bad.w, bad.b, false); err == nil {
			t.Errorf("loaded %v with %d biases", bad.w.Shape, len(bad.b))
		}
	}
	if m.FilterShape() != "4 x 1 x 3 x 3" || m.InputID() != "digit:0" || !strings.Contains(m.Message(), "NaN") {
		t.Errorf("a refused load: bank %s, input %s, message %q", m.FilterShape(), m.InputID(), m.Message())
	}
	// Colour filters trained on x − 0.5 while on a digit: the input turns
	// to a picture and the filters see it centred. A 1x1 filter of ones on
	// red reads the red channel: white 0.5, black −0.5.
	one := tensor.New(2, 3, 1, 1)
	one.Data[0] = 1
	if err := m.LoadFilters(one, make([]float32, 2), true); err != nil {
		t.Fatal(err)
	}
	if m.InputID() != "picture:0" || m.OutputShape() != "2 x 32 x 32" || !m.Centred() {
		t.Errorf("colour filters: input %s, maps %s, centred %v", m.InputID(), m.OutputShape(), m.Centred())
	}
	if lo, hi := m.MinMax(0); lo != -0.5 || hi != 0.5 {
		t.Errorf("centred red channel spans [%v, %v], want [−0.5, 0.5]", lo, hi)
	}
}

// TestMapsComposition: the lesson's two 3x3 convolutions (two filters,
// then one) over the picture agree with their composed 5x5 to rounding with
// ReLU off and disagree with it on; padding each layer spoils the border.
func TestMapsComposition(t *testing.T) {
	m := newTestMaps()
	c := m.Composition()
	if got := [3]string{tensor.ShapeString(c.W1.Shape), tensor.ShapeString(c.W2.Shape), tensor.ShapeString(c.W.Shape)}; got != [3]string{"2 x 3 x 3 x 3", "1 x 2 x 3 x 3", "1 x 3 x 5 x 5"} {
		t.Errorf("composition shapes %v", got)
	}
	if c.MaxDiff > 1e-5 || c.OneStep.Shape[1] != 28 {
		t.Errorf("ReLU off: max difference %v on %v, want at most 1e-5 on 28 x 28", c.MaxDiff, c.OneStep.Shape)
	}
	m.SetReLU(true)
	if c = m.Composition(); !c.ReLU || c.MaxDiff < 0.05 {
		t.Errorf("ReLU on: max difference %v, want a large one", c.MaxDiff)
	}
	m.SetReLU(false)
	if err := m.SetComposePadding(1, 1); err != nil {
		t.Fatal(err)
	}
	if c = m.Composition(); c.MaxDiffInterior > 1e-5 || c.MaxDiff < 0.05 || c.OneStep.Shape[1] != 32 {
		t.Errorf("padding each layer: interior %v, whole %v on %v", c.MaxDiffInterior, c.MaxDiff, c.OneStep.Shape)
	}
	if err := m.SetComposePadding(2, 0); err != nil || m.Composition().MaxDiff > 1e-5 {
		t.Errorf("padding the input by 2: error %v, max difference %v", err, m.Composition().MaxDiff)
	}
	if err := m.SetComposePadding(3, 0); err == nil {
		t.Error("composition padding 3 accepted")
	}
	old := m.Composition().W1.Data[0:18]
	m.RandomizeComposition()
	same := true
	for k, v := range m.Composition().W1.Data[0:18] {
		same = same && v == old[k]
	}
	if same {
		t.Error("new kernels are the old ones")
	}
}

// TestMapsDrawing draws on the grey pad through the model: the maps follow.
func TestMapsDrawing(t *testing.T) {
	m := newTestMaps()
	if err := m.SetInput(PadGrey); err != nil {
		t.Fatal(err)
	}
	if lo, hi := m.MinMax(0); lo != 0 || hi != 0 {
		t.Fatalf("blank pad: vertical edge spans [%v, %v]", lo, hi)
	}
	m.PadMove(10, 10) // a hover: nothing
	if _, hi := minMax(m.Input().Data); hi != 0 {
		t.Error("a hover drew")
	}
	// A vertical stroke down column 14. While it is drawn only the maps
	// follow; the stack (zero on a blank pad: zero biases) and the
	// composition check catch up when it ends.
	m.PadDown(14.5, 2)
	m.PadMove(14.5, 26)
	if _, hi := minMax(m.Stack().Outputs[0].Data); hi != 0 {
		t.Errorf("the stack followed the stroke before it ended: %v", hi)
	}
	m.PadUp()
	if _, hi := minMax(m.Stack().Outputs[0].Data); hi == 0 {
		t.Error("the stack did not follow the finished stroke")
	}
	if c := m.Composition(); c.MaxDiff > 1e-5 || maxAbsTest(c.OneStep.Data) < 0.1 {
		t.Errorf("composition after the stroke: difference %v, output up to %v", c.MaxDiff, maxAbsTest(c.OneStep.Data))
	}
	if m.Input().At(0, 14, 14) != 1 {
		t.Errorf("the stroke's pixel is %v", m.Input().At(0, 14, 14))
	}
	if lo, hi := m.MinMax(0); lo >= 0 || hi <= 0 {
		t.Errorf("a vertical stroke: vertical edge spans [%v, %v], want both signs", lo, hi)
	}
	// Halfway down the stroke a horizontal edge filter sees nothing; at its
	// ends it does.
	for j := 8; j < 16; j++ {
		if v := m.Output().At(1, 10, j); math.Abs(float64(v)) > 1e-5 {
			t.Errorf("horizontal edge halfway down a vertical stroke: (10, %d) = %v", j, v)
		}
	}
	if _, hi := m.MinMax(1); hi < 0.1 {
		t.Errorf("horizontal edge at the stroke's ends peaks at %v", hi)
	}
	if err := m.SetBrush(3); err != nil || m.Pad().Radius != 3 {
		t.Errorf("brush: %v", err)
	}
	if err := m.SetInk(0.5); err != nil {
		t.Error(err)
	}
	if err := m.SetInk(0.5, 0.5, 0.5); err == nil {
		t.Error("three inks for a grey pad")
	}
	m.PadClear()
	if _, hi := minMax(m.Input().Data); hi != 0 {
		t.Error("clear left ink")
	}
	m.SetInput("picture:0")
	if m.Pad() != nil || m.SetBrush(2) == nil {
		t.Error("a picture has a pad")
	}
	m.PadDown(1, 1) // no pad: nothing happens
}

func TestMapsInputRefusals(t *testing.T) {
	m := newTestMaps()
	for _, id := range []string{"", "picture", "picture:3", "picture:-1", "picture:01", "digit:1", "colour:0", "photo:0", "pad:blue", "picture:+1"} {
		if err := m.SetInput(id); err == nil {
			t.Errorf("input %q accepted", id)
		}
		if m.InputID() != "picture:0" {
			t.Fatalf("refused %q changed the input to %s", id, m.InputID())
		}
	}
	empty := NewMaps(Sources{}, rand.New(rand.NewSource(2)))
	if empty.InputID() != PadColour || empty.InputShape() != "3 x 32 x 32" || empty.Message() != "" {
		t.Errorf("no data: input %s %s, message %q", empty.InputID(), empty.InputShape(), empty.Message())
	}
	broken := testSources()
	broken.Pictures.Pixels = broken.Pictures.Pixels[:100]
	m = NewMaps(broken, rand.New(rand.NewSource(2)))
	if m.InputID() != PadColour || !strings.Contains(m.Message(), "no pixels for image 0") {
		t.Errorf("a broken set: input %s, message %q", m.InputID(), m.Message())
	}
}
