package nn

import (
	"fmt"
	"math"
	"math/rand"

	"convlab/engine/tensor"
)

// Layer is one stage of a network. It owns its parameters and their
// gradients; Forward caches what Backward needs.
//
// Forward and Backward work on minibatches: x and y carry a leading batch
// dimension N before the per-example shapes InShape and OutShape, so a conv
// layer sees x (N, Cin, H, W) and y (N, Cout, H', W'). Backward reads y.Grad,
// adds the parameter gradients into each Params()[i].Grad (gradients
// accumulate until ZeroGrad), and, when x.Grad is not nil, overwrites x.Grad
// with the gradient of the loss with respect to x; when x.Grad is nil
// (the first layer of a net) that work is skipped.
//
// A shape mismatch between x, y and the layer is a programmer error and
// panics with both shapes in the message.
type Layer interface {
	// Name describes the layer, e.g. "conv 5x5 x8, pad 2" (see LayerSpec.Describe).
	Name() string
	// Spec returns the plain-data description the layer was built from, defaults filled in.
	Spec() LayerSpec
	// InShape and OutShape are the shapes of one example: (C, H, W) or (D).
	InShape() []int
	OutShape() []int
	// Params returns the trainable tensors, weights first, each with Grad allocated.
	Params() []*tensor.Tensor
	// MultiplyAdds is the number of multiply-adds per example in Forward.
	MultiplyAdds() int
	// Forward computes y from x; train selects training behaviour (batch norm).
	Forward(x, y *tensor.Tensor, train bool)
	// Backward propagates y.Grad back to the parameters and, if x.Grad != nil, to x.
	Backward(x, y *tensor.Tensor)
}

// shapes holds what every layer knows about itself.
type shapes struct {
	spec    LayerSpec
	in, out []int // per example
	madds   int
}

func (s *shapes) Name() string      { return s.spec.Describe() }
func (s *shapes) Spec() LayerSpec   { return s.spec }
func (s *shapes) InShape() []int    { return append([]int(nil), s.in...) }
func (s *shapes) OutShape() []int   { return append([]int(nil), s.out...) }
func (s *shapes) MultiplyAdds() int { return s.madds }

// batch checks that x and y are batches of this layer's input and output
// shapes with the same N, and returns N. It panics otherwise.
func (s *shapes) batch(x, y *tensor.Tensor) int {
	if len(x.Shape) != len(s.in)+1 || !tensor.SameShape(x.Shape[1:], s.in) ||
		len(y.Shape) != len(s.out)+1 || !tensor.SameShape(y.Shape[1:], s.out) || x.Shape[0] != y.Shape[0] {
		panic(fmt.Sprintf("nn: %s maps (N, %s) to (N, %s), got x %v and y %v",
			s.spec.Describe(), tensor.ShapeString(s.in), tensor.ShapeString(s.out), x.Shape, y.Shape))
	}
	return x.Shape[0]
}

// newLayer allocates the layer a planned spec describes, with He-initialised
// weights drawn from rng (zero weights if rng is nil).
func newLayer(pl planLayer, rng *rand.Rand) Layer {
	sh := shapes{spec: pl.spec, in: pl.in, out: pl.out, madds: pl.madds}
	switch pl.spec.Type {
	case TypeConv:
		return newConv(sh, rng)
	case TypeReLU:
		return &ReLU{shapes: sh}
	case TypeMaxPool:
		return newMaxPool(sh)
	case TypeAvgPool:
		return &AvgPool{shapes: sh, size: pl.spec.Size, stride: pl.spec.Stride}
	case TypeLinear:
		return newLinear(sh, rng)
	case TypeFlatten:
		return &Flatten{shapes: sh}
	case TypeBatchNorm:
		return newBatchNorm(sh)
	}
	panic("nn: unplanned layer type " + pl.spec.Type)
}

// heInit fills w with samples of a normal distribution with standard
// deviation sqrt(2 / fanIn) (He et al. 2015), drawn in order from rng.
func heInit(w []float32, fanIn int, rng *rand.Rand) {
	if rng == nil {
		return
	}
	std := math.Sqrt(2 / float64(fanIn))
	for i := range w {
		w[i] = float32(rng.NormFloat64() * std)
	}
}

// param allocates a trainable tensor with its gradient.
func param(shape ...int) *tensor.Tensor {
	t := tensor.New(shape...)
	t.EnsureGrad()
	return t
}
