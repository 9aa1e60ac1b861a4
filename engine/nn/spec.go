package nn

import (
	"fmt"

	"convlab/engine/tensor"
)

// Spec describes a network as plain data that survives a round trip through
// encoding/json: the shape of one input example and the layers in order.
// A softmax cross-entropy loss always follows the last layer, whose output
// values are the class scores.
//
// A JSON spec for the reference network reads
//
//	{"input": [1, 24, 24], "layers": [
//	  {"type": "conv", "filters": 8, "kernel": 5, "pad": 2}, {"type": "relu"},
//	  {"type": "maxpool", "size": 2, "stride": 2},
//	  {"type": "conv", "filters": 16, "kernel": 5, "pad": 2}, {"type": "relu"},
//	  {"type": "maxpool", "size": 3, "stride": 3},
//	  {"type": "linear", "out": 10}]}
type Spec struct {
	Input  [3]int      `json:"input"`  // (C, H, W) of one example
	Layers []LayerSpec `json:"layers"` // applied in order
}

// LayerSpec describes one layer. Type selects the layer and which of the
// other fields it reads:
//
//	"conv"      Filters, Kernel (K for a K x K window), Pad (zeros on every side), Stride (0 means 1)
//	"relu"      nothing
//	"maxpool"   Size (a Size x Size window), Stride (0 means Size)
//	"avgpool"   Size, Stride (0 means Size)
//	"linear"    Out (a fully connected layer; any input shape is flattened first)
//	"flatten"   nothing ((C, H, W) becomes (C·H·W))
//	"batchnorm" nothing (one scale and shift per channel, or per value after a linear layer)
type LayerSpec struct {
	Type    string `json:"type"`
	Filters int    `json:"filters,omitempty"`
	Kernel  int    `json:"kernel,omitempty"`
	Pad     int    `json:"pad,omitempty"`
	Stride  int    `json:"stride,omitempty"`
	Size    int    `json:"size,omitempty"`
	Out     int    `json:"out,omitempty"`
}

// Layer types a LayerSpec may name.
const (
	TypeConv      = "conv"
	TypeReLU      = "relu"
	TypeMaxPool   = "maxpool"
	TypeAvgPool   = "avgpool"
	TypeLinear    = "linear"
	TypeFlatten   = "flatten"
	TypeBatchNorm = "batchnorm"
)

// Limits that keep a spec (perhaps read from an untrusted file) from asking
// for more memory than a browser tab has.
const (
	MaxDim        = 4096    // largest channel count, side or output count
	MaxPerExample = 1 << 24 // largest number of values in one layer's output for one example
	MaxParams     = 1 << 24 // largest number of parameters in a net
)

// ReferenceSpec returns the network of the ConvNetJS MNIST demo, the one the
// benchmarks train: 1x24x24 input, conv 5x5 x8 pad 2, ReLU, max pool 2/2,
// conv 5x5 x16 pad 2, ReLU, max pool 3/3, linear 10.
func ReferenceSpec() Spec {
	return Spec{
		Input: [3]int{1, 24, 24},
		Layers: []LayerSpec{
			{Type: TypeConv, Filters: 8, Kernel: 5, Pad: 2},
			{Type: TypeReLU},
			{Type: TypeMaxPool, Size: 2, Stride: 2},
			{Type: TypeConv, Filters: 16, Kernel: 5, Pad: 2},
			{Type: TypeReLU},
			{Type: TypeMaxPool, Size: 3, Stride: 3},
			{Type: TypeLinear, Out: 10},
		},
	}
}

// normalized returns the spec with default strides filled in.
func (l LayerSpec) normalized() LayerSpec {
	switch l.Type {
	case TypeConv:
		if l.Stride == 0 {
			l.Stride = 1
		}
	case TypeMaxPool, TypeAvgPool:
		if l.Stride == 0 {
			l.Stride = l.Size
		}
	}
	return l
}

// Describe names the layer the way the ledger and error messages print it,
// e.g. "conv 5x5 x8, pad 2", "conv 5x5 x16, stride 2", "maxpool 2x2, stride 2",
// "linear 10". Padding 0 and stride 1 are left out of a conv's name.
func (l LayerSpec) Describe() string {
	l = l.normalized()
	switch l.Type {
	case TypeConv:
		s := fmt.Sprintf("conv %dx%d x%d", l.Kernel, l.Kernel, l.Filters)
		if l.Pad != 0 {
			s += fmt.Sprintf(", pad %d", l.Pad)
		}
		if l.Stride != 1 {
			s += fmt.Sprintf(", stride %d", l.Stride)
		}
		return s
	case TypeMaxPool, TypeAvgPool:
		return fmt.Sprintf("%s %dx%d, stride %d", l.Type, l.Size, l.Size, l.Stride)
	case TypeLinear:
		return fmt.Sprintf("linear %d", l.Out)
	}
	return l.Type
}

// plan is the shape arithmetic of a spec, done without allocating any
// tensor: per layer its (normalised) spec, input and output shape per
// example, and weight shape.
type plan struct {
	layers []planLayer
}

type planLayer struct {
	spec   LayerSpec
	in     []int // per-example input shape: (C, H, W) or (D)
	out    []int // per-example output shape
	weight []int // weight shape, nil if the layer has none
	params int   // trainable values (weights, biases, scales, shifts)
	madds  int   // multiply-adds per example, forward
}

// Check reports whether the spec can be built, without allocating its
// weights; the error names the first layer that cannot work.
func (s Spec) Check() error {
	_, err := s.plan()
	return err
}

// plan infers every layer's shapes with OutputSize and rejects a spec that
// cannot work with a message naming the layer, e.g.
// "layer 3 (conv 5x5 x8, stride 2): (12 − 5 + 0)/2 + 1 = 4.5 is not a whole number: change padding or stride".
func (s Spec) plan() (*plan, error) {
	for i, d := range s.Input {
		if d < 1 || d > MaxDim {
			return nil, fmt.Errorf("input %s: size %d of dimension %d must be between 1 and %d",
				tensor.ShapeString(s.Input[:]), d, i+1, MaxDim)
		}
	}
	if n := tensor.Size(s.Input[:]); n > MaxPerExample {
		return nil, fmt.Errorf("input %s has %d values, more than %d", tensor.ShapeString(s.Input[:]), n, MaxPerExample)
	}
	if len(s.Layers) == 0 {
		return nil, fmt.Errorf("the spec has no layers: a net needs at least one layer before the loss")
	}
	p := &plan{}
	in := []int{s.Input[0], s.Input[1], s.Input[2]}
	total := 0
	for i, ls := range s.Layers {
		ls = ls.normalized()
		pl, err := planOne(ls, in)
		if err != nil {
			return nil, fmt.Errorf("layer %d (%s): %w", i+1, ls.Describe(), err)
		}
		total += pl.params
		if total > MaxParams {
			return nil, fmt.Errorf("layer %d (%s): the net has more than %d parameters", i+1, ls.Describe(), MaxParams)
		}
		p.layers = append(p.layers, pl)
		in = pl.out
	}
	if n := tensor.Size(in); n < 2 {
		return nil, fmt.Errorf("layer %d (%s) gives %d value per example: softmax needs at least 2 class scores",
			len(s.Layers), s.Layers[len(s.Layers)-1].normalized().Describe(), n)
	}
	return p, nil
}

// planOne infers the shapes of one layer with per-example input shape in.
func planOne(ls LayerSpec, in []int) (planLayer, error) {
	pl := planLayer{spec: ls, in: in}
	spatial := func() error {
		if len(in) != 3 {
			return fmt.Errorf("needs a (C, H, W) input, but the previous layer gives %s values", tensor.ShapeString(in))
		}
		return nil
	}
	checkDim := func(what string, v int) error {
		if v < 1 || v > MaxDim {
			return fmt.Errorf("%s %d must be between 1 and %d", what, v, MaxDim)
		}
		return nil
	}
	switch ls.Type {
	case TypeConv, TypeMaxPool, TypeAvgPool:
		k, pad, what := ls.Kernel, ls.Pad, "kernel"
		if ls.Type != TypeConv {
			k, pad, what = ls.Size, 0, "size"
		}
		if err := spatial(); err != nil {
			return pl, err
		}
		if ls.Type == TypeConv {
			if err := checkDim("filters", ls.Filters); err != nil {
				return pl, err
			}
		}
		if err := checkDim(what, k); err != nil {
			return pl, err
		}
		if pad < 0 || pad > MaxDim {
			return pl, fmt.Errorf("padding %d must be between 0 and %d", pad, MaxDim)
		}
		if err := checkDim("stride", ls.Stride); err != nil {
			return pl, err
		}
		ho, err := OutputSize(in[1], k, pad, ls.Stride)
		if err != nil {
			return pl, err
		}
		wo, err := OutputSize(in[2], k, pad, ls.Stride)
		if err != nil {
			return pl, err
		}
		if ls.Type != TypeConv {
			pl.out = []int{in[0], ho, wo}
			break
		}
		pl.out = []int{ls.Filters, ho, wo}
		if err := checkOut(pl.out); err != nil {
			return pl, err
		}
		pl.weight = []int{ls.Filters, in[0], k, k}
		pl.params = tensor.Size(pl.weight) + ls.Filters
		pl.madds = ls.Filters * ho * wo * in[0] * k * k
	case TypeReLU:
		pl.out = in
	case TypeFlatten:
		pl.out = []int{tensor.Size(in)}
	case TypeLinear:
		if err := checkDim("out", ls.Out); err != nil {
			return pl, err
		}
		d := tensor.Size(in)
		pl.out = []int{ls.Out}
		pl.weight = []int{ls.Out, d}
		pl.params = ls.Out*d + ls.Out
		pl.madds = ls.Out * d
	case TypeBatchNorm:
		pl.out = in
		pl.weight = []int{in[0]}
		pl.params = 2 * in[0]
		pl.madds = tensor.Size(in)
	case "":
		return pl, fmt.Errorf("the layer has no type; want one of conv, relu, maxpool, avgpool, linear, flatten, batchnorm")
	default:
		return pl, fmt.Errorf("unknown layer type %q; want one of conv, relu, maxpool, avgpool, linear, flatten, batchnorm", ls.Type)
	}
	return pl, checkOut(pl.out)
}

// checkOut rejects an output of more than MaxPerExample values per example.
func checkOut(out []int) error {
	if n := tensor.Size(out); n > MaxPerExample {
		return fmt.Errorf("output %s has %d values per example, more than %d", tensor.ShapeString(out), n, MaxPerExample)
	}
	return nil
}
