package lesson

import (
	"fmt"

	"convlab/engine/data"
	"convlab/engine/nn"
	"convlab/engine/tensor"
	"convlab/engine/ui"
)

// MixPresets are the colour mixes the 1x1-convolution part offers.
var MixPresets = []string{"identity", "greyscale", "swap red and blue", "sepia", "opponent"}

// mixPreset returns the weights (3, 3) of a preset, row o for output o.
func mixPreset(name string) ([9]float32, bool) {
	switch name {
	case "identity":
		return [9]float32{1, 0, 0, 0, 1, 0, 0, 0, 1}, true
	case "greyscale": // the luma of ITU-R BT.601 in every output
		return [9]float32{0.299, 0.587, 0.114, 0.299, 0.587, 0.114, 0.299, 0.587, 0.114}, true
	case "swap red and blue":
		return [9]float32{0, 0, 1, 0, 1, 0, 1, 0, 0}, true
	case "sepia":
		return [9]float32{0.393, 0.769, 0.189, 0.349, 0.686, 0.168, 0.272, 0.534, 0.131}, true
	case "opponent": // red − green, blue − yellow, brightness
		return [9]float32{1, -1, 0, -0.5, -0.5, 1, 0.333, 0.333, 0.333}, true
	}
	return [9]float32{}, false
}

// MixChannels names the three channels of a colour picture.
var MixChannels = []string{"red", "green", "blue"}

// ColourMixer is the 1x1-convolution part of lesson 5: a 3-channel picture
// through a convolution with three 1x1 filters. Each output pixel is a
// weighted sum of the three input values at the same pixel plus a bias, a
// fully connected layer from 3 channels to 3 applied at every position:
//
//	out[o][y][x] = W[o][0]·red[y][x] + W[o][1]·green[y][x] + W[o][2]·blue[y][x] + b[o]
//
// The output comes from nn.Conv2DNaive; Dot writes one pixel's sum out.
type ColourMixer struct {
	pics   []data.Picture
	pic    int
	x      *tensor.Tensor // (3, S, S), values in [0, 1]
	w      *tensor.Tensor // (3, 3, 1, 1): W[o][c] weighs input channel c in output o
	b      []float32      // (3)
	out    *tensor.Tensor // (3, S, S)
	py, px int            // the probed pixel
	preset string         // the preset the weights are, "" once edited
}

// NewColourMixer returns the mixer on the first of pics (which must not be
// empty) with the greyscale preset, probing the picture's centre.
func NewColourMixer(pics []data.Picture) *ColourMixer {
	if len(pics) == 0 {
		panic("lesson: a colour mixer needs at least one picture")
	}
	m := &ColourMixer{pics: pics, w: tensor.New(3, 3, 1, 1), b: make([]float32, 3)}
	m.setPicture(0)
	if err := m.SetPreset("greyscale"); err != nil {
		panic(err)
	}
	return m
}

func (m *ColourMixer) setPicture(i int) {
	p := m.pics[i]
	m.pic = i
	m.x = tensor.New(3, p.Side, p.Side)
	for k, v := range p.Pixels {
		m.x.Data[k] = float32(v) / 255
	}
	m.py, m.px = p.Side/2, p.Side/2
}

// Pictures returns the pictures to choose from.
func (m *ColourMixer) Pictures() []data.Picture { return m.pics }

// Picture returns the index of the picture in use.
func (m *ColourMixer) Picture() int { return m.pic }

// SetPicture uses picture i.
func (m *ColourMixer) SetPicture(i int) error {
	if i < 0 || i >= len(m.pics) {
		return fmt.Errorf("there is no picture %d: choose 0 to %d", i, len(m.pics)-1)
	}
	m.setPicture(i)
	m.compute()
	return nil
}

// Preset returns the preset the weights are, or "" once they were edited.
func (m *ColourMixer) Preset() string { return m.preset }

// SetPreset sets the weights to a preset of MixPresets and the biases to 0.
func (m *ColourMixer) SetPreset(name string) error {
	w, ok := mixPreset(name)
	if !ok {
		return fmt.Errorf("there is no colour mix called %q", name)
	}
	copy(m.w.Data, w[:])
	clear(m.b)
	m.preset = name
	m.compute()
	return nil
}

// compute runs the convolution.
func (m *ColourMixer) compute() {
	out, err := nn.Conv2DNaive(m.x, m.w, m.b, 0, 1)
	if err != nil {
		panic("lesson: the 1x1 convolution of a picture failed: " + err.Error())
	}
	m.out = out
}

// Input returns the picture (3, S, S) in [0, 1].
func (m *ColourMixer) Input() *tensor.Tensor { return m.x }

// Output returns the convolution's output (3, S, S).
func (m *ColourMixer) Output() *tensor.Tensor { return m.out }

// Weight returns W[o][c], the weight of input channel c in output o.
func (m *ColourMixer) Weight(o, c int) float32 { return m.w.Data[o*3+c] }

// Bias returns b[o].
func (m *ColourMixer) Bias(o int) float32 { return m.b[o] }

// Weights returns the filters (3, 3, 1, 1); the tensor is the mixer's own.
func (m *ColourMixer) Weights() *tensor.Tensor { return m.w }

// value returns the number (o, c) names: a weight for c in 0..2, the bias
// of output o for c = 3.
func (m *ColourMixer) value(o, c int) (*float32, error) {
	if o < 0 || o > 2 || c < 0 || c > 3 {
		return nil, fmt.Errorf("there is no weight (%d, %d)", o, c)
	}
	if c == 3 {
		return &m.b[o], nil
	}
	return &m.w.Data[o*3+c], nil
}

// Set sets a weight (c in 0..2) or the bias of output o (c = 3) to the
// number typed; a refusal changes nothing.
func (m *ColourMixer) Set(o, c int, text string) error {
	p, err := m.value(o, c)
	if err != nil {
		return err
	}
	v, err := ui.ParseNumber(text)
	if err != nil {
		return err
	}
	*p = v
	m.preset = ""
	m.compute()
	return nil
}

// Nudge moves a weight or bias (as Set names it) by steps·WeightStep.
func (m *ColourMixer) Nudge(o, c int, steps int) error {
	p, err := m.value(o, c)
	if err != nil {
		return err
	}
	*p = nudged(*p, float64(steps))
	m.preset = ""
	m.compute()
	return nil
}

// Probe returns the probed pixel (row, column).
func (m *ColourMixer) Probe() (y, x int) { return m.py, m.px }

// SetProbe probes pixel (y, x).
func (m *ColourMixer) SetProbe(y, x int) error {
	s := m.x.Shape[1]
	if y < 0 || x < 0 || y >= s || x >= s {
		return fmt.Errorf("pixel (%d, %d) is outside the %dx%d picture", y, x, s, s)
	}
	m.py, m.px = y, x
	return nil
}

// Dot writes out output o at the probed pixel: the three products of the
// pixel's channels with the filter's weights, their sum and the bias. Its
// Value is the convolution's output there.
func (m *ColourMixer) Dot(o int) Dot {
	s := m.x.Shape[1]
	px := make([]float32, 3)
	for c := range px {
		px[c] = m.x.Data[(c*s+m.py)*s+m.px]
	}
	return DotProduct(3, px, m.w.Data[o*3:o*3+3], nil, m.b[o])
}

// LedgerLine is one row of a comparison of layers by their nn ledger.
type LedgerLine struct {
	What  string // what the row shows
	Input [3]int // (C, H, W) of the layer's input
	Row   nn.LedgerRow
}

// MixLedger compares the mixer with a 3x3 convolution of the same channels
// and with the lecture's two examples (10 filters 5x5 with padding 2 on a
// 3x32x32 input; 32 filters 1x1 on a 64x56x56 input), each row the
// engine's ledger of a one-layer spec.
func (m *ColourMixer) MixLedger() []LedgerLine {
	s := m.x.Shape[1]
	specs := []struct {
		what  string
		in    [3]int
		layer nn.LayerSpec
	}{
		{"this 1x1 convolution", [3]int{3, s, s}, nn.LayerSpec{Type: nn.TypeConv, Filters: 3, Kernel: 1}},
		{"3x3 with the same channels", [3]int{3, s, s}, nn.LayerSpec{Type: nn.TypeConv, Filters: 3, Kernel: 3, Pad: 1}},
		{"the lecture's 5x5 example", [3]int{3, 32, 32}, nn.LayerSpec{Type: nn.TypeConv, Filters: 10, Kernel: 5, Pad: 2}},
		{"the lecture's 1x1 example", [3]int{64, 56, 56}, nn.LayerSpec{Type: nn.TypeConv, Filters: 32, Kernel: 1}},
	}
	var out []LedgerLine
	for _, sp := range specs {
		rows, err := nn.Spec{Input: sp.in, Layers: []nn.LayerSpec{sp.layer}}.Ledger()
		if err != nil {
			panic("lesson: a fixed ledger spec does not plan: " + err.Error())
		}
		out = append(out, LedgerLine{What: sp.what, Input: sp.in, Row: rows[0]})
	}
	return out
}
