package lesson

import (
	"fmt"
	"math"

	"convlab/engine/nn"
	"convlab/engine/tensor"
)

// SlidingID is the id of the sliding-filter lesson (see Catalog).
const SlidingID = "sliding-filter"

// The shape settings the sliding-filter lesson offers. The kernel size is
// odd, from 1 to SlidingMaxKernel.
const (
	SlidingMinSize    = 5 // smallest input, N x N
	SlidingMaxSize    = 9 // largest input
	SlidingMaxKernel  = 5 // largest kernel: 1, 3 or 5
	SlidingMaxPadding = 2 // padding 0, 1 or 2
	SlidingMaxStride  = 3 // stride 1, 2 or 3
)

// Play speeds, in steps per second.
const (
	DefaultPlaySpeed = 2.0
	MinPlaySpeed     = 0.25
	MaxPlaySpeed     = 30.0
)

// Sliding is the model of the sliding-filter lesson (slides 12–22, 30–37):
// a K x K filter sliding over an N x N input with P rings of zero padding
// and stride S, stepped one output cell at a time, every number editable.
// Everything the page shows and every action a student can take is a
// method here; the view only draws and forwards input.
//
// The single-channel mode has one input channel and one filter; the
// channels mode (slides 14–22) has three input channels and two filters,
// each filter extending through all three channels.
//
// Output cells are visited in output order: filter-major, then row-major.
// A cell once computed stays revealed (stepping back does not hide it)
// until Reset or a change of shape. All outputs are the engine's
// (nn.Conv2DNaive), recomputed at once after every edit.
type Sliding struct {
	n, k, p, s int            // input size N, kernel K, padding P, stride S
	x          *tensor.Tensor // (Cin, N, N) input
	w          *tensor.Tensor // (Cout, Cin, K, K) filters
	b          []float32      // (Cout) bias
	out        *tensor.Tensor // (Cout, H', H') the engine's output; nil when the shape has none
	sizeErr    error          // why there is no output, from nn.OutputSize
	seen       []bool         // (Cout, H', H') cells revealed so far
	pos        int            // current cell's index in output order; -1 before the first
	asking     bool           // predict mode: the current cell waits for a prediction
	predict    bool           // predict mode: Step asks before revealing
	playing    bool
	speed      float64 // steps per second while playing
	clock      float64 // steps owed by Tick, in [0, 1)
	msg        Message
	sel        Cell // the input cell last clicked, if hasSel
	hasSel     bool
	pattern    string // the input pattern last applied
	seed       int64  // source of the random presets and patterns
}

// NewSliding returns the lesson's opening state: the 7x7 input showing a
// digit 7, the 3x3 Sobel x filter (a vertical-edge detector), bias 0,
// padding 1 and stride 1, so the output is 7x7; nothing computed yet. The
// seed drives the random presets and patterns.
func NewSliding(seed int64) *Sliding {
	m := &Sliding{n: 7, k: 3, p: 1, s: 1, speed: DefaultPlaySpeed, seed: seed, pos: -1}
	m.x = tensor.New(1, m.n, m.n)
	m.w = tensor.New(1, 1, m.k, m.k)
	m.b = make([]float32, 1)
	if err := m.SetPattern("digit"); err != nil {
		panic(err) // a fixed pattern name: cannot fail
	}
	if err := m.SetPreset(0, "sobel x"); err != nil {
		panic(err)
	}
	return m
}

// Size returns N, the input's height and width.
func (m *Sliding) Size() int { return m.n }

// Kernel returns K, the filter's height and width.
func (m *Sliding) Kernel() int { return m.k }

// Padding returns P, the rings of zeros around the input.
func (m *Sliding) Padding() int { return m.p }

// Stride returns S, how far the filter moves at each step.
func (m *Sliding) Stride() int { return m.s }

// Channels returns Cin, the input channels: 1, or 3 in the channels mode.
func (m *Sliding) Channels() int { return m.x.Shape[0] }

// Filters returns Cout, the filters and output maps: 1, or 2 in the
// channels mode.
func (m *Sliding) Filters() int { return m.w.Shape[0] }

// ChannelsMode reports whether the lesson shows three channels and two
// filters.
func (m *Sliding) ChannelsMode() bool { return m.Channels() > 1 }

// Input returns input value (c, y, x).
func (m *Sliding) Input(c, y, x int) float32 { return m.x.At(c, y, x) }

// Weight returns weight (u, v) of filter o on channel c.
func (m *Sliding) Weight(o, c, u, v int) float32 { return m.w.At(o, c, u, v) }

// Bias returns filter o's bias.
func (m *Sliding) Bias(o int) float32 { return m.b[o] }

// OutputSize returns H' = W', the output's height and width, from
// nn.OutputSize; the error explains a shape with no output.
func (m *Sliding) OutputSize() (int, error) {
	if m.out == nil {
		return 0, m.sizeErr
	}
	return m.out.Shape[1], nil
}

// Output returns output cell (o, i, j) and whether it is revealed. A hidden
// cell is drawn blank. It returns (0, false) when there is no output.
func (m *Sliding) Output(o, i, j int) (float32, bool) {
	if m.out == nil {
		return 0, false
	}
	idx := m.out.Index(o, i, j)
	return m.out.Data[idx], m.seen[idx] && !(m.asking && idx == m.pos)
}

// PaddedSize returns N + 2P, the side of the zero-padded input.
func (m *Sliding) PaddedSize() int { return m.n + 2*m.p }

// IsPadding reports whether cell (py, px) of the padded input, in padded
// coordinates (0 ≤ py, px < PaddedSize), is a padding zero.
func (m *Sliding) IsPadding(py, px int) bool {
	return py < m.p || px < m.p || py >= m.p+m.n || px >= m.p+m.n
}

// recompute runs the engine on the current input, filters and bias. The
// revealed cells are kept if the output shape is unchanged, and cleared
// (with the stepping) if it changed.
func (m *Sliding) recompute() {
	if _, err := nn.OutputSize(m.n, m.k, m.p, m.s); err != nil {
		m.out, m.sizeErr, m.seen = nil, err, nil
		m.resetSteps()
		return
	}
	out, err := nn.Conv2DNaive(m.x, m.w, m.b, m.p, m.s)
	if err != nil {
		// The model keeps x, w and b consistent, so this is a programmer error.
		panic(fmt.Sprintf("lesson: engine refused x %v, w %v: %v", m.x.Shape, m.w.Shape, err))
	}
	same := m.out != nil && tensor.SameShape(m.out.Shape, out.Shape)
	m.out, m.sizeErr = out, nil
	if !same {
		m.seen = make([]bool, out.Len())
		m.resetSteps()
	}
}

// resetSteps puts the filter back before the first cell and hides every
// output.
func (m *Sliding) resetSteps() {
	m.pos, m.asking, m.playing, m.clock = -1, false, false, 0
	for i := range m.seen {
		m.seen[i] = false
	}
}

// SizeFormula writes the output-size formula with the numbers in place:
// "(7 − 3 + 2·1)/1 + 1 = 7"; without padding at stride 1, the lecture's
// shrinking form "W − K + 1: 7 − 3 + 1 = 5"; when the result is not a whole
// number it is written as a decimal, "(6 − 3 + 2·0)/2 + 1 = 2.5".
func SizeFormula(w, k, p, s int) string {
	if p == 0 && s == 1 {
		return fmt.Sprintf("W − K + 1: %d − %d + 1 = %d", w, k, w-k+1)
	}
	num := w - k + 2*p
	res := FormatNumber(float32(num)/float32(s) + 1)
	if num%s == 0 {
		res = fmt.Sprint(num/s + 1)
	}
	return fmt.Sprintf("(%d − %d + 2·%d)/%d + 1 = %s", w, k, p, s, res)
}

// Formula writes the output size of the current setting with the numbers
// in place (see SizeFormula).
func (m *Sliding) Formula() string { return SizeFormula(m.n, m.k, m.p, m.s) }

// FormulaSymbols writes the formula the current setting uses, in the
// lecture's letters: "(W − K + 2P)/S + 1", or "W − K + 1" without padding at
// stride 1 (slide 36).
func (m *Sliding) FormulaSymbols() string {
	if m.p == 0 && m.s == 1 {
		return "W − K + 1"
	}
	return "(W − K + 2P)/S + 1"
}

// ShapeText writes the layer's shapes as slide 22 does, "Cin x H x W ->
// Cout x H' x W'": "3 x 7 x 7 -> 2 x 7 x 7", or "1 x 6 x 6 -> no output".
func (m *Sliding) ShapeText() string {
	in := tensor.ShapeString(m.x.Shape)
	if m.out == nil {
		return in + " -> no output"
	}
	return in + " -> " + tensor.ShapeString(m.out.Shape)
}

// WeightShapeText writes the filters' shape, "Cout x Cin x K x K": "2 x 3 x 3 x 3".
func (m *Sliding) WeightShapeText() string { return tensor.ShapeString(m.w.Shape) }

// BiasShapeText writes the bias's shape, Cout: "2".
func (m *Sliding) BiasShapeText() string { return tensor.ShapeString([]int{len(m.b)}) }

// Fix is one change of a single shape setting that gives the current input
// an output.
type Fix struct {
	Setting string `json:"setting"` // "padding", "stride", "kernel" or "size"
	Value   int    `json:"value"`   // the new value of the setting
	Output  int    `json:"output"`  // the output size it gives
}

// String writes the fix as advice: "use stride 1 (4x4 output)".
func (f Fix) String() string {
	name := f.Setting
	if name == "size" {
		name = "input size"
	}
	return fmt.Sprintf("use %s %d (%dx%d output)", name, f.Value, f.Output, f.Output)
}

// Fixes lists the changes of one setting that give the current shape an
// output, nearest value first within each setting, settings in the order
// padding, stride, kernel, size. It is empty when the shape has an output.
// Stride 1 always fits, so a shape without output always has a fix.
func (m *Sliding) Fixes() []Fix {
	if m.out != nil {
		return nil
	}
	var fixes []Fix
	try := func(setting string, cur, lo, hi, step int, size func(v int) (int, error)) {
		for d := step; d <= hi-lo; d += step {
			for _, v := range []int{cur - d, cur + d} {
				if v < lo || v > hi {
					continue
				}
				if h, err := size(v); err == nil {
					fixes = append(fixes, Fix{setting, v, h})
				}
			}
		}
	}
	try("padding", m.p, 0, SlidingMaxPadding, 1, func(v int) (int, error) { return nn.OutputSize(m.n, m.k, v, m.s) })
	try("stride", m.s, 1, SlidingMaxStride, 1, func(v int) (int, error) { return nn.OutputSize(m.n, m.k, m.p, v) })
	try("kernel", m.k, 1, SlidingMaxKernel, 2, func(v int) (int, error) { return nn.OutputSize(m.n, v, m.p, m.s) })
	try("size", m.n, SlidingMinSize, SlidingMaxSize, 1, func(v int) (int, error) { return nn.OutputSize(v, m.k, m.p, m.s) })
	return fixes
}

// Suggestion writes the fixes as one sentence, "Try: use stride 1 (4x4
// output), use stride 3 (2x2 output) or use input size 5 (2x2 output).", or
// "" when the shape has an output.
func (m *Sliding) Suggestion() string {
	fixes := m.Fixes()
	if len(fixes) == 0 {
		return ""
	}
	s := "Try: "
	for i, f := range fixes {
		switch {
		case i == 0:
		case i == len(fixes)-1:
			s += " or "
		default:
			s += ", "
		}
		s += f.String()
	}
	return s + "."
}

// Apply makes the change a Fix describes.
func (m *Sliding) Apply(f Fix) error {
	switch f.Setting {
	case "padding":
		return m.SetPadding(f.Value)
	case "stride":
		return m.SetStride(f.Value)
	case "kernel":
		return m.SetKernel(f.Value)
	case "size":
		return m.SetSize(f.Value)
	}
	return fmt.Errorf("no setting %q: use padding, stride, kernel or size", f.Setting)
}

// SetPadding sets P (0 to SlidingMaxPadding), recomputes the output and starts the
// stepping afresh.
func (m *Sliding) SetPadding(p int) error {
	if p < 0 || p > SlidingMaxPadding {
		return m.refuse("padding", fmt.Errorf("padding %d: choose 0 to %d", p, SlidingMaxPadding))
	}
	m.p = p
	m.reshaped()
	return nil
}

// SetStride sets S (1 to SlidingMaxStride), recomputes the output and starts the
// stepping afresh.
func (m *Sliding) SetStride(s int) error {
	if s < 1 || s > SlidingMaxStride {
		return m.refuse("stride", fmt.Errorf("stride %d: choose 1 to %d", s, SlidingMaxStride))
	}
	m.s = s
	m.reshaped()
	return nil
}

// SetKernel sets K (1, 3 or 5). The filters keep their centres: a larger
// kernel gains a ring of zero weights, a smaller one keeps its middle. The
// output is recomputed and the stepping starts afresh.
func (m *Sliding) SetKernel(k int) error {
	if k < 1 || k > SlidingMaxKernel || k%2 == 0 {
		return m.refuse("kernel", fmt.Errorf("kernel %d: choose 1, 3 or 5", k))
	}
	cout, cin := m.Filters(), m.Channels()
	w := tensor.New(cout, cin, k, k)
	off := (k - m.k) / 2 // where the old kernel's (0, 0) lands; negative when shrinking
	for o := 0; o < cout; o++ {
		for c := 0; c < cin; c++ {
			for u := 0; u < k; u++ {
				for v := 0; v < k; v++ {
					ou, ov := u-off, v-off
					if ou >= 0 && ou < m.k && ov >= 0 && ov < m.k {
						w.Set(m.w.At(o, c, ou, ov), o, c, u, v)
					}
				}
			}
		}
	}
	m.k, m.w = k, w
	m.reshaped()
	return nil
}

// SetSize sets N (SlidingMinSize to SlidingMaxSize). The input keeps each value at its
// row and column: a larger input gains zeros at the right and bottom, a
// smaller one loses its last rows and columns. The output is recomputed and
// the stepping starts afresh.
func (m *Sliding) SetSize(n int) error {
	if n < SlidingMinSize || n > SlidingMaxSize {
		return m.refuse("size", fmt.Errorf("input size %d: choose %d to %d", n, SlidingMinSize, SlidingMaxSize))
	}
	cin := m.Channels()
	x := tensor.New(cin, n, n)
	for c := 0; c < cin; c++ {
		for y := 0; y < min(n, m.n); y++ {
			for xx := 0; xx < min(n, m.n); xx++ {
				x.Set(m.x.At(c, y, xx), c, y, xx)
			}
		}
	}
	m.n, m.x = n, x
	m.reshaped()
	return nil
}

// reshaped recomputes after a change of shape setting and starts the
// stepping afresh even when the output size did not change.
func (m *Sliding) reshaped() {
	m.out = nil
	m.hasSel = false
	m.recompute()
	m.msg = Message{}
}

// Steps returns the number of output cells, Cout·H'·W', 0 without output.
func (m *Sliding) Steps() int {
	if m.out == nil {
		return 0
	}
	return m.out.Len()
}

// StepIndex returns the current cell's index in output order, -1 before
// the first.
func (m *Sliding) StepIndex() int { return m.pos }

// Position returns the current output cell: filter o, row i, column j. It
// reports false before the first cell and when there is no output.
func (m *Sliding) Position() (o, i, j int, ok bool) {
	if m.out == nil || m.pos < 0 {
		return 0, 0, 0, false
	}
	h := m.out.Shape[1]
	return m.pos / (h * h), m.pos / h % h, m.pos % h, true
}

// AtStart reports whether Back has nowhere to go: before the first cell,
// or when there is no output.
func (m *Sliding) AtStart() bool { return m.out == nil || m.pos < 0 }

// AtEnd reports whether Step has nowhere to go: at the last cell with its
// value shown, or when there is no output.
func (m *Sliding) AtEnd() bool { return m.out == nil || (m.pos == m.out.Len()-1 && !m.asking) }

// Asking reports whether the current cell waits for a prediction (predict
// mode): the window is shown, its value held back until Predict or Step.
func (m *Sliding) Asking() bool { return m.asking }

// PredictMode reports whether Step asks for a prediction before revealing
// a cell not yet computed.
func (m *Sliding) PredictMode() bool { return m.predict }

// SetPredictMode turns predict mode on or off; turning it off reveals a
// cell that waits for a prediction.
func (m *Sliding) SetPredictMode(on bool) {
	m.predict = on
	if !on && m.asking {
		m.reveal()
	}
}

// Move is what Step, Back or JumpTo did.
type Move int

const (
	// Moved means the filter moved to a cell and its value is shown.
	Moved Move = iota
	// Asked means, in predict mode, that the filter moved to a cell not yet computed and
	// its value waits for a prediction (Predict, or Step to give up).
	Asked
	// Shown means, in predict mode, that Step revealed the value that waited for a
	// prediction, without moving.
	Shown
	// AtEnd means Step was at the last cell and nothing changed. A page may move on to
	// the next lesson.
	AtEnd
	// AtStart means Back was before the first cell and nothing changed. A page may move
	// back to the previous lesson.
	AtStart
	// NoOutput means the shape has no output, so there is nothing to step
	// through; nothing changed.
	NoOutput
)

// String names the move, for messages and tests.
func (mv Move) String() string {
	switch mv {
	case Moved:
		return "moved"
	case Asked:
		return "asked"
	case Shown:
		return "shown"
	case AtEnd:
		return "at end"
	case AtStart:
		return "at start"
	case NoOutput:
		return "no output"
	}
	return fmt.Sprintf("Move(%d)", int(mv))
}

// Step moves the filter to the next output cell and reveals it. In predict
// mode a cell not yet computed is asked for first (Asked), and a second
// Step reveals it (Shown). At the last cell Step reports AtEnd.
func (m *Sliding) Step() Move {
	switch {
	case m.out == nil:
		return NoOutput
	case m.asking:
		m.reveal()
		return Shown
	case m.pos == m.out.Len()-1:
		return AtEnd
	}
	return m.goTo(m.pos + 1)
}

// Next is Step for a presenter's clicker (PageDown): it reports false,
// changing nothing, when there is no next cell, so the page moves on to the
// next lesson.
func (m *Sliding) Next() bool {
	mv := m.Step()
	return mv != AtEnd && mv != NoOutput
}

// Prev is Back for a presenter's clicker (PageUp): false, changing
// nothing, before the first cell.
func (m *Sliding) Prev() bool {
	mv := m.Back()
	return mv != AtStart && mv != NoOutput
}

// Back moves the filter to the previous output cell; before the first cell
// it reports AtStart. Values already computed stay shown; a cell that was
// waiting for a prediction stays hidden.
func (m *Sliding) Back() Move {
	switch {
	case m.out == nil:
		return NoOutput
	case m.pos < 0:
		return AtStart
	}
	m.asking = false
	m.pos--
	if m.pos >= 0 {
		// Back never asks: the cell behind may be uncomputed if it was
		// skipped by a jump, and stepping back should simply show it.
		m.seen[m.pos] = true
	}
	return Moved
}

// JumpTo moves the filter to output cell (o, i, j), as a click on an
// output cell does, and reveals it (in predict mode, asks for it first if
// it is not computed yet).
func (m *Sliding) JumpTo(o, i, j int) (Move, error) {
	if m.out == nil {
		return NoOutput, m.refuse("output", fmt.Errorf("no output to jump to: %v", m.sizeErr))
	}
	h := m.out.Shape[1]
	if o < 0 || o >= m.Filters() || i < 0 || i >= h || j < 0 || j >= h {
		return m.Move(), m.refuse("output", fmt.Errorf("no output cell (%d, %d, %d) in %s", o, i, j, tensor.ShapeString(m.out.Shape)))
	}
	return m.goTo((o*h+i)*h + j), nil
}

// Move describes the current state as the last step would have: Asked while
// a prediction is awaited, NoOutput without output, otherwise Moved.
func (m *Sliding) Move() Move {
	switch {
	case m.out == nil:
		return NoOutput
	case m.asking:
		return Asked
	}
	return Moved
}

// goTo makes cell idx current, asking for it in predict mode when it has
// not been computed.
func (m *Sliding) goTo(idx int) Move {
	m.asking = false
	m.pos = idx
	if m.predict && !m.seen[idx] && !m.playing {
		m.asking = true
		return Asked
	}
	m.seen[idx] = true
	return Moved
}

// reveal shows the cell that waits for a prediction.
func (m *Sliding) reveal() {
	m.asking = false
	m.seen[m.pos] = true
}

// Reset moves the filter back before the first cell, hides every output
// and stops playing.
func (m *Sliding) Reset() {
	m.resetSteps()
	m.msg = Message{}
}

// Play starts stepping by itself at Speed steps per second, as Tick
// advances time. At the end it starts over from a cleared output. Playing
// never asks for predictions; a cell waiting for one is revealed.
func (m *Sliding) Play() {
	if m.out == nil {
		return
	}
	if m.AtEnd() {
		m.resetSteps()
	}
	if m.asking {
		m.reveal()
	}
	m.playing, m.clock = true, 0
}

// Pause stops playing.
func (m *Sliding) Pause() { m.playing = false }

// Playing reports whether the filter steps by itself.
func (m *Sliding) Playing() bool { return m.playing }

// Speed returns the play speed in steps per second.
func (m *Sliding) Speed() float64 { return m.speed }

// SetSpeed sets the play speed in steps per second, clamped to
// [MinPlaySpeed, MaxPlaySpeed]; a value that is not a number is ignored.
func (m *Sliding) SetSpeed(stepsPerSecond float64) {
	if math.IsNaN(stepsPerSecond) {
		return
	}
	m.speed = math.Min(MaxPlaySpeed, math.Max(MinPlaySpeed, stepsPerSecond))
}

// Tick advances time by dt seconds: while playing, the filter takes one
// step per 1/Speed seconds and stops at the last cell. It reports whether
// the filter moved.
func (m *Sliding) Tick(dt float64) bool {
	if !m.playing || !(dt > 0) {
		return false
	}
	m.clock += dt * m.speed
	moved := false
	for m.clock >= 1 && m.playing {
		m.clock--
		if m.Step() != Moved {
			m.playing = false
			break
		}
		moved = true
		if m.AtEnd() {
			m.playing, m.clock = false, 0
		}
	}
	return moved
}

// Window returns the part of the padded input under the filter at the
// current cell, with the values of every channel. It reports false before
// the first cell and when there is no output.
func (m *Sliding) Window() (Window, bool) {
	_, i, j, ok := m.Position()
	if !ok {
		return Window{}, false
	}
	return WindowAt(m.x, m.k, m.p, m.s, i, j), true
}

// Arithmetic returns the written dot product of the current cell. Its
// Value is the engine's output for the cell. It reports false before the
// first cell and when there is no output; while Asking, the view shows
// Dot.Question instead of Dot.Lines.
func (m *Sliding) Arithmetic() (Dot, bool) {
	o, i, j, ok := m.Position()
	if !ok {
		return Dot{}, false
	}
	return CellDot(m.x, m.w, m.b, m.p, m.s, o, i, j), true
}

// Written returns the current cell's arithmetic as the page writes it, one
// line per window row (Dot.Lines), with "?" for the sums while Asking; nil
// before the first cell.
func (m *Sliding) Written() []string {
	d, ok := m.Arithmetic()
	switch {
	case !ok:
		return nil
	case m.asking:
		return d.Question()
	}
	return d.Lines()
}

// Feeds returns the output cells that input cell (y, x) of any channel
// feeds, every filter included, in output order: those whose window covers
// it. Padding cells count too: (y, x) may lie in the padding ring,
// −P ≤ y, x < N+P. It returns nil without output or off the padded input.
func (m *Sliding) Feeds(y, x int) []Cell {
	if m.out == nil || y < -m.p || x < -m.p || y >= m.n+m.p || x >= m.n+m.p {
		return nil
	}
	h := m.out.Shape[1]
	// Output (i, j) covers padded rows i·S .. i·S+K−1.
	lo := func(py int) int { return max(0, (py-m.k+1+m.s-1)/m.s) }
	hi := func(py int) int { return min(h-1, py/m.s) }
	py, px := y+m.p, x+m.p
	var cells []Cell
	for o := 0; o < m.Filters(); o++ {
		for i := lo(py); i <= hi(py); i++ {
			for j := lo(px); j <= hi(px); j++ {
				cells = append(cells, OutputAt(o, i, j))
			}
		}
	}
	return cells
}

// Select marks input cell (c, y, x), as a click on it does, so that the
// outputs it feeds are highlighted (Fed). (y, x) may lie in the padding
// ring. It reports false, selecting nothing, off the padded input.
func (m *Sliding) Select(c, y, x int) bool {
	if c < 0 || c >= m.Channels() || y < -m.p || x < -m.p || y >= m.n+m.p || x >= m.n+m.p {
		m.hasSel = false
		return false
	}
	m.sel, m.hasSel = InputAt(c, y, x), true
	return true
}

// ClearSelection forgets the clicked input cell.
func (m *Sliding) ClearSelection() { m.hasSel = false }

// Selected returns the clicked input cell, if any.
func (m *Sliding) Selected() (Cell, bool) { return m.sel, m.hasSel }

// Fed reports whether output cell (o, i, j) is fed by the selected input
// cell, to highlight it.
func (m *Sliding) Fed(o, i, j int) bool {
	if !m.hasSel || m.out == nil {
		return false
	}
	py, px := m.sel.Y+m.p, m.sel.X+m.p
	return i*m.s <= py && py < i*m.s+m.k && j*m.s <= px && px < j*m.s+m.k && o >= 0 && o < m.Filters()
}
