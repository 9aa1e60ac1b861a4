package lesson

import (
	"fmt"
	"math"
	"math/rand"

	"convlab/engine/tensor"
	"convlab/engine/ui"
)

// CellKind says which grid a Cell belongs to.
type CellKind int

const (
	InputCell  CellKind = iota // a value of the input, (c, y, x)
	WeightCell                 // a weight of a filter, (o, c, u, v)
	BiasCell                   // a filter's bias, (o)
	OutputCell                 // a value of the output, (o, i, j)
)

// Cell names one number on screen.
type Cell struct {
	Kind CellKind
	O    int // filter: weights, biases, outputs
	C    int // channel: inputs, weights
	Y, X int // row and column: input (y, x), weight (u, v), output (i, j)
}

// InputAt names input value (c, y, x).
func InputAt(c, y, x int) Cell { return Cell{Kind: InputCell, C: c, Y: y, X: x} }

// WeightAt names weight (u, v) of filter o on channel c.
func WeightAt(o, c, u, v int) Cell { return Cell{Kind: WeightCell, O: o, C: c, Y: u, X: v} }

// BiasOf names filter o's bias.
func BiasOf(o int) Cell { return Cell{Kind: BiasCell, O: o} }

// OutputAt names output value (o, i, j).
func OutputAt(o, i, j int) Cell { return Cell{Kind: OutputCell, O: o, Y: i, X: j} }

// Steps for Nudge: one notch of the wheel or one step of a drag.
const (
	InputStep  = 1   // inputs are small whole numbers in the presets
	WeightStep = 0.1 // weights and biases
)

// Message is what the page says next to a control: a refused entry, the
// verdict on a prediction, a note about the shape.
type Message struct {
	Text   string `json:"text"`   // "" when there is nothing to say
	Target string `json:"target"` // the cell or control it belongs to, as Name writes it ("input-3-4", "bias"), or "predict", "predict-size", "padding", "stride", "kernel", "size", "preset", "pattern", "output"
	Error  bool   `json:"error"`  // a refusal: the entry was not taken and the old value stays
}

// LastMessage returns the last message the model gave.
func (m *Sliding) LastMessage() Message { return m.msg }

// ClearMessage forgets the last message, e.g. when the student cancels an
// entry with Esc.
func (m *Sliding) ClearMessage() { m.msg = Message{} }

// refuse keeps err as the last message, tied to target, and returns it.
func (m *Sliding) refuse(target string, err error) error {
	m.msg = Message{Text: err.Error(), Target: target, Error: true}
	return err
}

// Name writes a cell the way the page names its targets. With one channel
// and one filter: "input-3-4", "weight-0-2", "bias", "output-1-1"; in the
// channels mode every index is written: "input-2-3-4", "weight-1-2-0-2",
// "bias-1", "output-1-1-1". An input cell in the padding ring is named by
// its padded coordinates, "padding-0-3".
func (m *Sliding) Name(c Cell) string {
	multi := m.ChannelsMode()
	switch c.Kind {
	case InputCell:
		if m.p > 0 && (c.Y < 0 || c.X < 0 || c.Y >= m.n || c.X >= m.n) {
			return fmt.Sprintf("padding-%d-%d", c.Y+m.p, c.X+m.p)
		}
		if multi {
			return fmt.Sprintf("input-%d-%d-%d", c.C, c.Y, c.X)
		}
		return fmt.Sprintf("input-%d-%d", c.Y, c.X)
	case WeightCell:
		if multi {
			return fmt.Sprintf("weight-%d-%d-%d-%d", c.O, c.C, c.Y, c.X)
		}
		return fmt.Sprintf("weight-%d-%d", c.Y, c.X)
	case BiasCell:
		if multi {
			return fmt.Sprintf("bias-%d", c.O)
		}
		return "bias"
	case OutputCell:
		if multi {
			return fmt.Sprintf("output-%d-%d-%d", c.O, c.Y, c.X)
		}
		return fmt.Sprintf("output-%d-%d", c.Y, c.X)
	}
	return fmt.Sprintf("cell-%d", int(c.Kind))
}

// value returns a pointer to an editable cell's value, or an error naming
// the cell when it does not exist or cannot be edited.
func (m *Sliding) value(c Cell) (*float32, error) {
	in := func(v, n int) bool { return v >= 0 && v < n }
	switch c.Kind {
	case InputCell:
		if in(c.C, m.Channels()) && in(c.Y, m.n) && in(c.X, m.n) {
			return &m.x.Data[m.x.Index(c.C, c.Y, c.X)], nil
		}
		return nil, fmt.Errorf("no input cell (%d, %d, %d) in %s: padding cells are always 0", c.C, c.Y, c.X, tensor.ShapeString(m.x.Shape))
	case WeightCell:
		if in(c.O, m.Filters()) && in(c.C, m.Channels()) && in(c.Y, m.k) && in(c.X, m.k) {
			return &m.w.Data[m.w.Index(c.O, c.C, c.Y, c.X)], nil
		}
		return nil, fmt.Errorf("no weight (%d, %d, %d, %d) in %s", c.O, c.C, c.Y, c.X, tensor.ShapeString(m.w.Shape))
	case BiasCell:
		if in(c.O, m.Filters()) {
			return &m.b[c.O], nil
		}
		return nil, fmt.Errorf("no bias %d: there are %d filters", c.O, m.Filters())
	}
	return nil, fmt.Errorf("outputs are computed, not typed: edit the input, the weights or the bias")
}

// Set sets an input value, a weight or a bias to the number typed as text
// (read by ui.ParseNumber) and recomputes every output at once; the
// revealed cells and the stepping stay as they are. Text that is not a
// finite number within ±ui.MaxValue ("abc", "", "NaN", "1e999") is refused:
// the old value stays and the reason is the last message, tied to the cell.
func (m *Sliding) Set(c Cell, text string) error {
	p, err := m.value(c)
	if err != nil {
		return m.refuse(m.Name(c), err)
	}
	v, err := ui.ParseNumber(text)
	if err != nil {
		return m.refuse(m.Name(c), err)
	}
	*p = v
	m.edited()
	return nil
}

// SetInput sets input value (c, y, x) to the number typed (see Set).
func (m *Sliding) SetInput(c, y, x int, text string) error { return m.Set(InputAt(c, y, x), text) }

// SetWeight sets weight (u, v) of filter o on channel c to the number typed
// (see Set).
func (m *Sliding) SetWeight(o, c, u, v int, text string) error {
	return m.Set(WeightAt(o, c, u, v), text)
}

// SetBias sets filter o's bias to the number typed (see Set).
func (m *Sliding) SetBias(o int, text string) error { return m.Set(BiasOf(o), text) }

// Nudge changes a cell by steps notches, as a drag or the mouse wheel does:
// inputs by InputStep per notch, weights and biases by WeightStep. The
// result is rounded to three decimals (so repeated tenths stay tenths) and
// clamped to ±ui.MaxValue; the outputs are recomputed as Set does.
func (m *Sliding) Nudge(c Cell, steps float64) error {
	p, err := m.value(c)
	if err != nil {
		return m.refuse(m.Name(c), err)
	}
	if math.IsNaN(steps) || math.IsInf(steps, 0) {
		return m.refuse(m.Name(c), fmt.Errorf("cannot nudge by %v steps", steps))
	}
	step := WeightStep
	if c.Kind == InputCell {
		step = InputStep
	}
	v := math.Round((float64(*p)+steps*step)*1000) / 1000
	*p = float32(math.Max(-ui.MaxValue, math.Min(ui.MaxValue, v)))
	m.edited()
	return nil
}

// edited recomputes the outputs after a change of values; the output shape
// is unchanged, so the revealed cells stay.
func (m *Sliding) edited() {
	m.recompute()
	m.msg = Message{}
}

// random runs f with a source seeded from the model's seed, then moves the
// seed on, so the model's randomness is a pure function of its state.
func (m *Sliding) random(f func(rng *rand.Rand) error) error {
	rng := rand.New(rand.NewSource(m.seed))
	err := f(rng)
	m.seed = rng.Int63()
	return err
}

// SetPreset replaces filter o's weights, on every channel, with the named
// kernel preset (KernelPresets) at the current kernel size; "random" draws
// each channel afresh. The bias stays.
func (m *Sliding) SetPreset(o int, name string) error {
	if o < 0 || o >= m.Filters() {
		return m.refuse("preset", fmt.Errorf("no filter %d: there are %d", o, m.Filters()))
	}
	kk := m.k * m.k
	cin := m.Channels()
	err := m.random(func(rng *rand.Rand) error {
		for c := 0; c < cin; c++ {
			g, err := KernelPreset(name, m.k, rng)
			if err != nil {
				return err
			}
			copy(m.w.Data[(o*cin+c)*kk:], g)
		}
		return nil
	})
	if err != nil {
		return m.refuse("preset", err)
	}
	m.edited()
	return nil
}

// InputPatterns lists the input patterns in the order the page offers them.
var InputPatterns = []string{"digit", "vertical edge", "horizontal edge", "checkerboard", "random", "clear"}

// SetPattern fills the input with a named pattern (InputPatterns) sized to
// the current N, made of 0s and 1s so the arithmetic stays readable:
//
//   - "digit": a 7 drawn one cell thick with a margin of zeros;
//   - "vertical edge": dark (0) on the left, bright (1) from column N/2 on;
//   - "horizontal edge": dark above, bright from row N/2 down;
//   - "checkerboard": 1 where y+x is odd;
//   - "random": whole numbers from 0 to 3, each channel drawn afresh;
//   - "clear": all zeros.
//
// In the channels mode each channel sees its own picture, so their partial
// sums differ: channel 0 is the pattern, channel 1 half of it, channel 2
// its mirror image (left and right swapped); random draws every channel
// afresh and clear is zero everywhere.
func (m *Sliding) SetPattern(name string) error {
	cin, nn := m.Channels(), m.n*m.n
	x := tensor.New(cin, m.n, m.n)
	err := m.random(func(rng *rand.Rand) error {
		for c := 0; c < cin; c++ {
			g, err := patternGrid(name, m.n, rng)
			if err != nil {
				return err
			}
			copy(x.Data[c*nn:], g)
		}
		return nil
	})
	if err != nil {
		return m.refuse("pattern", err)
	}
	if cin > 1 {
		fillChannels(name, x)
	}
	m.x, m.pattern = x, name
	m.edited()
	return nil
}

// fillChannels makes channels 1 and 2 of x (3, N, N) from channel 0 as
// SetPattern describes, unless the pattern is random or clear.
func fillChannels(pattern string, x *tensor.Tensor) {
	if pattern == "random" || pattern == "clear" {
		return
	}
	n := x.Shape[1]
	for y := 0; y < n; y++ {
		for xx := 0; xx < n; xx++ {
			g := x.At(0, y, xx)
			x.Set(g/2, 1, y, xx)
			x.Set(g, 2, y, n-1-xx)
		}
	}
}

// patternGrid returns the named pattern as an (N, N) grid.
func patternGrid(name string, n int, rng *rand.Rand) ([]float32, error) {
	g := make([]float32, n*n)
	switch name {
	case "digit":
		// A 7: a bar along row 1, then a stroke from the bar's right end
		// down to the middle column.
		for x := 1; x <= n-2; x++ {
			g[n+x] = 1
		}
		mid := float64(n-1) / 2
		for y := 2; y <= n-2; y++ {
			x := float64(n-2) - float64(y-2)*(float64(n-2)-math.Floor(mid))/float64(n-4)
			g[y*n+int(math.Round(x))] = 1
		}
	case "vertical edge":
		for y := 0; y < n; y++ {
			for x := n / 2; x < n; x++ {
				g[y*n+x] = 1
			}
		}
	case "horizontal edge":
		for i := n / 2 * n; i < n*n; i++ {
			g[i] = 1
		}
	case "checkerboard":
		for i := range g {
			g[i] = float32((i/n + i%n) % 2)
		}
	case "random":
		for i := range g {
			g[i] = float32(rng.Intn(4))
		}
	case "clear":
	default:
		return nil, fmt.Errorf("unknown input pattern %q (have %v)", name, InputPatterns)
	}
	return g, nil
}

// SetChannels switches between one channel and one filter and the channels
// mode: three channels and two filters (slides 14–22). Switching on, the
// input's channel 0 stays and channels 1 and 2 follow the last pattern as
// SetPattern makes them; filter 0 repeats the current filter on every
// channel and filter 1 is Sobel y (a horizontal-edge detector), with bias 0.
// Switching off keeps channel 0 of the input, filter 0 on channel 0 and
// its bias. N, K, P and S stay; the stepping starts afresh.
func (m *Sliding) SetChannels(on bool) {
	if on == m.ChannelsMode() {
		return
	}
	n, k, kk, nn := m.n, m.k, m.k*m.k, m.n*m.n
	if !on {
		m.x = tensor.FromData(append([]float32(nil), m.x.Data[:nn]...), 1, n, n)
		m.w = tensor.FromData(append([]float32(nil), m.w.Data[:kk]...), 1, 1, k, k)
		m.b = m.b[:1]
		m.reshaped()
		return
	}
	x := tensor.New(3, n, n)
	copy(x.Data, m.x.Data)
	switch m.pattern {
	case "random":
		_ = m.random(func(rng *rand.Rand) error {
			for i := nn; i < 3*nn; i++ {
				x.Data[i] = float32(rng.Intn(4))
			}
			return nil
		})
	default:
		fillChannels(m.pattern, x)
	}
	w := tensor.New(2, 3, k, k)
	sobelY, _ := KernelPreset("sobel y", k, nil)
	for c := 0; c < 3; c++ {
		copy(w.Data[c*kk:], m.w.Data[:kk])
		copy(w.Data[(3+c)*kk:], sobelY)
	}
	m.x, m.w, m.b = x, w, []float32{m.b[0], 0}
	m.reshaped()
}
