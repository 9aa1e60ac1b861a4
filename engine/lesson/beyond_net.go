package lesson

import (
	"fmt"
	"math/rand"
	"slices"
	"strconv"

	"convlab/engine/nn"
	"convlab/engine/tensor"
	"convlab/engine/ui"
)

// NetPresets are the LeNet-5 style networks the table starts from: the
// lecture's table (5x5 convolutions with padding 2, so 28x28 stays 28x28
// until pooling) and the original without padding (28 → 24 → 12 → 8 → 4).
var NetPresets = []string{"lecture", "no padding"}

// LeNetSpec returns a LeNet-5 style network on a 1x28x28 input: conv 5x5
// x20, ReLU, max pool 2x2, conv 5x5 x50, ReLU, max pool 2x2, flatten,
// linear 500, ReLU, linear 10, both convolutions with padding pad.
func LeNetSpec(pad int) nn.Spec {
	return nn.Spec{Input: [3]int{1, 28, 28}, Layers: []nn.LayerSpec{
		{Type: nn.TypeConv, Filters: 20, Kernel: 5, Pad: pad, Stride: 1},
		{Type: nn.TypeReLU},
		{Type: nn.TypeMaxPool, Size: 2, Stride: 2},
		{Type: nn.TypeConv, Filters: 50, Kernel: 5, Pad: pad, Stride: 1},
		{Type: nn.TypeReLU},
		{Type: nn.TypeMaxPool, Size: 2, Stride: 2},
		{Type: nn.TypeFlatten},
		{Type: nn.TypeLinear, Out: 500},
		{Type: nn.TypeReLU},
		{Type: nn.TypeLinear, Out: 10},
	}}
}

// NetRunLimit is the most parameters a network may have for the table to
// build it and run a digit through it in the page.
const NetRunLimit = 2_000_000

// NetTable is the LeNet-5 part of lesson 5: a network spec whose layers the
// student edits, and its table built from nn's ledger: every layer's output
// shape, weight shape, parameters and multiply-adds, and the totals. A spec
// that cannot work keeps the rows up to the layer that fails and the
// engine's explanation naming it. A spec that works is built (seeded He
// weights) and a digit is run through it, so the shapes are those of a
// running network.
type NetTable struct {
	spec   nn.Spec
	preset string // the preset the spec is, "" once edited
	rows   []nn.LedgerRow
	err    error // why layer failAt cannot work, nil when every layer plans
	failAt int   // index of that layer, −1 for none
	seed   int64
	digit  *tensor.Tensor  // (1, 28, 28), nil until given
	acts   []nn.Activation // the digit through the built net, nil when not run
	params int             // parameters of the built net
	runErr string          // why the net was not run
}

// NewNetTable returns the table of the lecture's LeNet-5.
func NewNetTable(seed int64) *NetTable {
	t := &NetTable{seed: seed}
	if err := t.SetPreset("lecture"); err != nil {
		panic(err)
	}
	return t
}

// presetSpec returns the spec of one of NetPresets.
func presetSpec(name string) (nn.Spec, bool) {
	switch name {
	case "lecture":
		return LeNetSpec(2), true
	case "no padding":
		return LeNetSpec(0), true
	}
	return nn.Spec{}, false
}

// SetPreset starts over from one of NetPresets.
func (t *NetTable) SetPreset(name string) error {
	spec, ok := presetSpec(name)
	if !ok {
		return fmt.Errorf("there is no network called %q", name)
	}
	t.spec, t.preset = spec, name
	t.plan()
	return nil
}

// Preset returns the preset the spec is, or "" once edited.
func (t *NetTable) Preset() string { return t.preset }

// Spec returns the network's spec as edited (it may not plan).
func (t *NetTable) Spec() nn.Spec { return t.spec }

// SetSpec replaces the spec (for a restored link); the preset is forgotten.
func (t *NetTable) SetSpec(s nn.Spec) error {
	if len(s.Layers) == 0 || len(s.Layers) > 16 {
		return fmt.Errorf("a network of %d layers: want 1 to 16", len(s.Layers))
	}
	for i, l := range s.Layers {
		for _, k := range NetKnobs(l.Type) {
			if _, err := knobRange(k, knobValue(l, k)); err != nil {
				return fmt.Errorf("layer %d: %w", i+1, err)
			}
		}
	}
	t.spec = nn.Spec{Input: s.Input, Layers: append([]nn.LayerSpec(nil), s.Layers...)}
	t.preset = ""
	t.plan()
	return nil
}

// SetDigit gives the image (1, 28, 28) the built network runs on.
func (t *NetTable) SetDigit(x *tensor.Tensor) {
	t.digit = x
	t.run()
}

// plan works out the ledger and, when it works, builds and runs the net.
func (t *NetTable) plan() {
	t.rows, t.err, t.failAt = nil, nil, -1
	full, err := t.spec.Ledger()
	if err == nil {
		t.rows = full
		t.run()
		return
	}
	t.err = err
	// The longest prefix that plans gives the rows before the failure.
	for k := len(t.spec.Layers) - 1; k >= 1; k-- {
		rows, perr := nn.Spec{Input: t.spec.Input, Layers: t.spec.Layers[:k]}.Ledger()
		if perr == nil {
			t.rows = rows
			break
		}
	}
	t.failAt = len(t.rows)
	t.acts, t.params, t.runErr = nil, 0, "the network cannot work as it is, so it was not built"
}

// run builds the net and runs the digit through it.
func (t *NetTable) run() {
	t.acts, t.params, t.runErr = nil, 0, ""
	if t.err != nil {
		t.runErr = "the network cannot work as it is, so it was not built"
		return
	}
	total := 0
	for _, r := range t.rows {
		total += r.Params
	}
	if total > NetRunLimit {
		t.runErr = fmt.Sprintf("%s parameters are more than the page builds (%s)", Thousands(total), Thousands(NetRunLimit))
		return
	}
	if t.digit == nil {
		t.runErr = "no digit to run yet"
		return
	}
	net, err := nn.Build(t.spec, rand.New(rand.NewSource(t.seed)))
	if err != nil {
		t.runErr = err.Error()
		return
	}
	t.params = net.NumParams()
	t.acts = net.Activations(t.digit)
}

// Rows returns the ledger of the layers that plan: every layer when Err is
// nil, else those before Failing.
func (t *NetTable) Rows() []nn.LedgerRow { return t.rows }

// Err returns why the network cannot work (naming the layer), or nil.
func (t *NetTable) Err() error { return t.err }

// Failing returns the index of the first layer that cannot work, −1 for none.
func (t *NetTable) Failing() int { return t.failAt }

// Activations returns the digit's activations through the built network
// (one per layer), nil when it was not run; RunError says why.
func (t *NetTable) Activations() []nn.Activation { return t.acts }

// Digit returns the image the network runs on, nil until given.
func (t *NetTable) Digit() *tensor.Tensor { return t.digit }

// Built returns the number of parameters of the built network, 0 when it
// was not built.
func (t *NetTable) Built() int { return t.params }

// RunError says why the network was not built or run, "" when it was.
func (t *NetTable) RunError() string { return t.runErr }

// Totals returns the parameters and multiply-adds per example of the rows.
func (t *NetTable) Totals() (params, madds int) {
	for _, r := range t.rows {
		params += r.Params
		madds += r.MultiplyAdds
	}
	return params, madds
}

// NetKnobs lists the settings of a layer type the table lets a student
// change, in the order it shows them.
func NetKnobs(typ string) []string {
	switch typ {
	case nn.TypeConv:
		return []string{"filters", "kernel", "pad", "stride"}
	case nn.TypeMaxPool, nn.TypeAvgPool:
		return []string{"size", "stride"}
	case nn.TypeLinear:
		return []string{"out"}
	}
	return nil
}

// knob returns the field of l that setting k names.
func knob(l *nn.LayerSpec, k string) *int {
	switch k {
	case "filters":
		return &l.Filters
	case "kernel":
		return &l.Kernel
	case "pad":
		return &l.Pad
	case "stride":
		return &l.Stride
	case "size":
		return &l.Size
	}
	return &l.Out
}

// knobValue returns setting k of layer l.
func knobValue(l nn.LayerSpec, k string) int { return *knob(&l, k) }

// knobRange checks v against the range of setting k and returns it.
func knobRange(k string, v int) (int, error) {
	lo, hi := 1, 28
	switch k {
	case "filters", "out":
		hi = 1024
	case "pad":
		lo, hi = 0, 14
	case "stride":
		hi = 4
	}
	if v < lo || v > hi {
		return 0, fmt.Errorf("%s %d is out of range: keep it between %d and %d", k, v, lo, hi)
	}
	return v, nil
}

// Knob returns setting k of layer i.
func (t *NetTable) Knob(i int, k string) int { return knobValue(t.spec.Layers[i], k) }

// SetKnob sets setting k of layer i to the whole number typed. A number
// that is not a whole number in range is refused and changes nothing; one
// that makes the network impossible is kept, and Err names the layer that
// fails, so the student sees every later shape or why there is none.
func (t *NetTable) SetKnob(i int, k, text string) error {
	if i < 0 || i >= len(t.spec.Layers) || !slices.Contains(NetKnobs(t.spec.Layers[i].Type), k) {
		return fmt.Errorf("layer %d has no setting %q", i+1, k)
	}
	f, err := ui.ParseNumber(text)
	if err != nil {
		return err
	}
	v := int(f)
	if float32(v) != f {
		return fmt.Errorf("%s must be a whole number, not %s", k, FormatNumber(f))
	}
	if v, err = knobRange(k, v); err != nil {
		return err
	}
	*knob(&t.spec.Layers[i], k) = v
	t.preset = ""
	t.plan()
	return nil
}

// NudgeKnob moves setting k of layer i by steps, within its range.
func (t *NetTable) NudgeKnob(i int, k string, steps int) error {
	if i < 0 || i >= len(t.spec.Layers) {
		return fmt.Errorf("there is no layer %d", i+1)
	}
	v := knobValue(t.spec.Layers[i], k) + steps
	if _, err := knobRange(k, v); err != nil {
		return err
	}
	return t.SetKnob(i, k, strconv.Itoa(v))
}

// Thousands writes n with commas between groups of three digits:
// 400500 → "400,500".
func Thousands(n int) string {
	s := strconv.Itoa(n)
	neg := ""
	if n < 0 {
		neg, s = Minus, s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return neg + s
}
