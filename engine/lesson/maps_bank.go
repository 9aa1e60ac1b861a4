package lesson

import (
	"fmt"
	"math"

	"convlab/engine/tensor"
	"convlab/engine/ui"
)

// Bank is a bank of filters over a C-channel input: one activation map per
// filter.
type Bank struct {
	W     *tensor.Tensor // (F, C, K, K): filter f, channel c, row u, column v at W.Data[((f*C+c)*K+u)*K+v]
	B     []float32      // (F) biases
	Names []string       // (F) what each filter looks for, e.g. "vertical edge"
}

// Filters returns the number of filters F.
func (b *Bank) Filters() int { return b.W.Shape[0] }

// Channels returns the number of input channels C.
func (b *Bank) Channels() int { return b.W.Shape[1] }

// K returns the kernel size.
func (b *Bank) K() int { return b.W.Shape[2] }

// clone returns a deep copy.
func (b *Bank) clone() *Bank {
	return &Bank{W: b.W.Clone(), B: append([]float32(nil), b.B...), Names: append([]string(nil), b.Names...)}
}

// AllChannels, passed as the channel to ApplyPreset, puts the preset on
// every input channel of a filter.
const AllChannels = -1

// DefaultBank returns the lesson's starting filters for a c-channel input:
// six 5x5 filters a student can recognise, with weights in tenths so that
// the written-out products stay readable. Every weight pattern sums to
// zero, so a flat region of any brightness or colour gives 0 and the maps
// light up only where something changes.
//
// The four edge filters carry the same kernel on every input channel, so
// they respond to edges in brightness whatever their colour. Each is the
// profile −1 −2 0 2 1 (tenths) across the edge, repeated along it: across
// columns for the vertical edge, across rows for the horizontal one, and
// along the diagonals for the edges running like / and like \, so each is
// tuned to its own orientation.
//
// Colour (c = 3), slide 18's 6x3x5x5: vertical edge, horizontal edge,
// diagonal edge /, diagonal edge \, red vs green and blue vs yellow: the
// oriented edges and opposing colours first layers learn (slide 29), in
// the order of data.Colour's classes. The colour filters are a spot (0.8
// at the centre, 0.1 around it, −0.1 on the outer ring) on one colour
// against the same spot negated on its opponent (red against green; blue
// against half on red and half on green, yellow), so they answer red-green
// or blue-yellow patterns and not the overall tint of a picture.
//
// Grey (c = 1): the four edges, the spot (bright dots, stroke ends and
// crossings) and a blur (0.04 everywhere, the mean of the window, as the
// "box blur" preset; the one filter whose weights do not sum to zero).
//
// Any other c gets the four edges and two blurs.
func DefaultBank(c int) *Bank {
	const k = 5
	vertical := [k][k]float32{
		{-1, -2, 0, 2, 1},
		{-1, -2, 0, 2, 1},
		{-1, -2, 0, 2, 1},
		{-1, -2, 0, 2, 1},
		{-1, -2, 0, 2, 1},
	}
	rising := [k][k]float32{ // brighter towards the bottom right: an edge running like /
		{0, 0, -1, -2, 0},
		{0, -1, -2, 0, 2},
		{-1, -2, 0, 2, 1},
		{-2, 0, 2, 1, 0},
		{0, 2, 1, 0, 0},
	}
	spot := [k][k]float32{
		{-1, -1, -1, -1, -1},
		{-1, 1, 1, 1, -1},
		{-1, 1, 8, 1, -1},
		{-1, 1, 1, 1, -1},
		{-1, -1, -1, -1, -1},
	}
	var horizontal, falling, blur, anti, half, zero [k][k]float32
	for u := 0; u < k; u++ {
		for v := 0; v < k; v++ {
			horizontal[u][v] = vertical[v][u]
			falling[u][v] = rising[u][k-1-v] // brighter towards the bottom left: an edge running like \
			blur[u][v] = 0.4
			anti[u][v], half[u][v] = -spot[u][v], -spot[u][v]/2
		}
	}
	same := func(g [k][k]float32) [][k][k]float32 {
		s := make([][k][k]float32, c)
		for i := range s {
			s[i] = g
		}
		return s
	}
	type filter struct {
		name     string
		channels [][k][k]float32 // (C) kernels in tenths
	}
	fs := []filter{
		{"vertical edge", same(vertical)},
		{"horizontal edge", same(horizontal)},
		{"diagonal edge /", same(rising)},
		{"diagonal edge \\", same(falling)},
	}
	switch c {
	case 3:
		fs = append(fs,
			filter{"red vs green", [][k][k]float32{spot, anti, zero}},
			filter{"blue vs yellow", [][k][k]float32{half, half, spot}})
	case 1:
		fs = append(fs, filter{"spot", same(spot)}, filter{"blur", same(blur)})
	default:
		fs = append(fs, filter{"blur", same(blur)}, filter{"blur", same(blur)})
	}
	b := &Bank{W: tensor.New(len(fs), c, k, k), B: make([]float32, len(fs))}
	for f, flt := range fs {
		b.Names = append(b.Names, flt.name)
		for ch, g := range flt.channels {
			for u := 0; u < k; u++ {
				for v := 0; v < k; v++ {
					b.W.Data[((f*c+ch)*k+u)*k+v] = g[u][v] / 10
				}
			}
		}
	}
	return b
}

// resized returns the bank with every kernel cut to, or zero-padded to, k x k
// around its centre (k and the old size both odd).
func (b *Bank) resized(k int) *Bank {
	f, c, old := b.Filters(), b.Channels(), b.K()
	w := tensor.New(f, c, k, k)
	shift := (old - k) / 2 // old index = new index + shift
	for fc := 0; fc < f*c; fc++ {
		for u := 0; u < k; u++ {
			for v := 0; v < k; v++ {
				ou, ov := u+shift, v+shift
				if ou >= 0 && ou < old && ov >= 0 && ov < old {
					w.Data[(fc*k+u)*k+v] = b.W.Data[(fc*old+ou)*old+ov]
				}
			}
		}
	}
	return &Bank{W: w, B: append([]float32(nil), b.B...), Names: append([]string(nil), b.Names...)}
}

// weightIndex returns the position of weight (f, c, u, v) in W.Data, or an
// error naming the valid ranges.
func (b *Bank) weightIndex(f, c, u, v int) (int, error) {
	F, C, K := b.Filters(), b.Channels(), b.K()
	if f < 0 || f >= F || c < 0 || c >= C || u < 0 || u >= K || v < 0 || v >= K {
		return 0, fmt.Errorf("there is no weight (%d, %d, %d, %d) in a %s bank", f, c, u, v, tensor.ShapeString(b.W.Shape))
	}
	return ((f*C+c)*K+u)*K + v, nil
}

// nudged returns w moved by steps notches of WeightStep, rounded to three
// decimals (so repeated tenths stay tenths) and kept within ±ui.MaxValue,
// as the sliding-filter lesson nudges.
func nudged(w float32, steps float64) float32 {
	v := math.Round((float64(w)+steps*WeightStep)*1000) / 1000
	return float32(math.Max(-ui.MaxValue, math.Min(ui.MaxValue, v)))
}

// SetWeight sets weight (f, c, u, v) of the current bank to the number typed
// as text. A refused entry (see ui.ParseNumber) or a weight that does not
// exist leaves the bank unchanged and returns the message to show, which
// Message also reports until the next accepted edit.
func (m *Maps) SetWeight(f, c, u, v int, text string) error {
	k, err := m.bank().weightIndex(f, c, u, v)
	if err == nil {
		var x float32
		if x, err = ui.ParseNumber(text); err == nil {
			m.bank().W.Data[k] = x
		}
	}
	return m.edited(err)
}

// Nudge moves weight (f, c, u, v) by steps notches of WeightStep (a drag
// or the mouse wheel; negative steps go down).
func (m *Maps) Nudge(f, c, u, v int, steps float64) error {
	k, err := m.bank().weightIndex(f, c, u, v)
	if err == nil {
		err = checkSteps(steps)
	}
	if err == nil {
		m.bank().W.Data[k] = nudged(m.bank().W.Data[k], steps)
	}
	return m.edited(err)
}

// SetBias sets filter f's bias to the number typed as text, refusing as
// SetWeight does.
func (m *Maps) SetBias(f int, text string) error {
	err := m.checkFilter(f)
	if err == nil {
		var x float32
		if x, err = ui.ParseNumber(text); err == nil {
			m.bank().B[f] = x
		}
	}
	return m.edited(err)
}

// NudgeBias moves filter f's bias by steps notches of WeightStep.
func (m *Maps) NudgeBias(f int, steps float64) error {
	err := m.checkFilter(f)
	if err == nil {
		err = checkSteps(steps)
	}
	if err == nil {
		m.bank().B[f] = nudged(m.bank().B[f], steps)
	}
	return m.edited(err)
}

// ApplyPreset puts the named preset (one of KernelPresets, at the bank's
// kernel size) on channel c of filter f, leaving its other channels as they
// are, or on every channel when c is AllChannels. Putting "sobel x" on all
// three channels of a colour filter makes a brightness edge detector;
// putting "identity" on the red channel alone and zeroing the others picks
// out red. "random" draws from the lesson's random source.
func (m *Maps) ApplyPreset(f, c int, name string) error {
	b := m.bank()
	err := m.checkFilter(f)
	if err == nil && c != AllChannels && (c < 0 || c >= b.Channels()) {
		err = fmt.Errorf("channel %d does not exist: the input has %d", c, b.Channels())
	}
	var g []float32
	if err == nil {
		g, err = KernelPreset(name, b.K(), m.rng)
	}
	if err == nil {
		kk := b.K() * b.K()
		for ch := 0; ch < b.Channels(); ch++ {
			if c == AllChannels || c == ch {
				copy(b.W.Data[(f*b.Channels()+ch)*kk:], g)
			}
		}
		b.Names[f] = name
		if c != AllChannels && b.Channels() > 1 {
			b.Names[f] = fmt.Sprintf("%s (channel %d)", name, c)
		}
	}
	return m.edited(err)
}

// ResetFilters puts back the default bank (see DefaultBank) for the current
// input's channels.
func (m *Maps) ResetFilters() {
	m.banks[m.x.Shape[0]] = DefaultBank(m.x.Shape[0])
	m.edited(nil)
}

// SetKernelSize changes every filter of the current bank to k x k (odd, 1 to
// MaxKernel): larger kernels get zeros around the old ones, smaller ones keep
// their centre.
func (m *Maps) SetKernelSize(k int) error {
	if k < 1 || k > MaxKernel || k%2 == 0 {
		return m.edited(fmt.Errorf("kernel size %d: choose an odd size from 1 to %d", k, MaxKernel))
	}
	m.banks[m.x.Shape[0]] = m.bank().resized(k)
	return m.edited(nil)
}

// LoadFilters puts the given filters (F, C, K, K) and biases (F), such as a
// trained network's first layer, into the bank for C-channel inputs, named
// "learned 1", "learned 2", .... centred says whether the network was
// trained on x − 0.5 rather than x (train.SetSource feeds p/255 − 0.5, so
// its networks want true); the lesson switches centring to match, so the
// filters meet the values they learned from. If the current input has other
// than C channels the input changes to the first of the right kind (a
// digit or a picture, or the pad when no set is loaded) so the learned
// filters act on a real image at once. The filters are copied. It refuses,
// leaving everything as it was, a shape that does not fit or a value that
// is not a finite number within ±ui.MaxValue.
func (m *Maps) LoadFilters(w *tensor.Tensor, b []float32, centred bool) error {
	err := checkBankShape(w, b)
	if err == nil {
		err = checkValues(w.Data, b)
	}
	if err != nil {
		return m.edited(err)
	}
	c := w.Shape[1]
	nb := &Bank{W: w.Clone(), B: append([]float32(nil), b...)}
	nb.W.Grad = nil
	for f := range b {
		nb.Names = append(nb.Names, fmt.Sprintf("learned %d", f+1))
	}
	m.banks[c] = nb
	m.centred = centred
	input := m.input
	if m.x.Shape[0] != c {
		input = m.firstInput(c)
	}
	return m.SetInput(input)
}

// checkBankShape reports whether w (F, C, K, K) and b (F) can be a bank.
func checkBankShape(w *tensor.Tensor, b []float32) error {
	s := w.Shape
	switch {
	case len(s) != 4:
		return fmt.Errorf("filters must be F x C x K x K, not %s", tensor.ShapeString(s))
	case s[0] < 1 || s[0] > MaxFilters:
		return fmt.Errorf("%d filters: the lesson shows 1 to %d", s[0], MaxFilters)
	case s[1] != 1 && s[1] != 3:
		return fmt.Errorf("filters over %d channels: the inputs have 1 or 3", s[1])
	case s[2] != s[3] || s[2]%2 == 0 || s[2] > MaxKernel:
		return fmt.Errorf("a %dx%d kernel: the lesson takes square odd kernels up to %d", s[2], s[3], MaxKernel)
	case len(b) != s[0]:
		return fmt.Errorf("%d biases for %d filters", len(b), s[0])
	case len(w.Data) != tensor.Size(s):
		return fmt.Errorf("%d weights do not fill %s", len(w.Data), tensor.ShapeString(s))
	}
	return nil
}

// checkValues refuses a value that is not finite or lies beyond ±ui.MaxValue.
func checkValues(vs ...[]float32) error {
	for _, v := range vs {
		for _, a := range v {
			if !(math.Abs(float64(a)) <= ui.MaxValue) {
				return fmt.Errorf("%v is not a number within ±%g", a, float64(ui.MaxValue))
			}
		}
	}
	return nil
}

// checkSteps refuses a nudge that is not a finite number of steps.
func checkSteps(steps float64) error {
	if math.IsNaN(steps) || math.IsInf(steps, 0) {
		return fmt.Errorf("cannot nudge by %v steps", steps)
	}
	return nil
}

// checkFilter refuses a filter index outside the bank.
func (m *Maps) checkFilter(f int) error {
	if n := m.bank().Filters(); f < 0 || f >= n {
		return fmt.Errorf("there is no filter %d: the bank has %d", f, n)
	}
	return nil
}
