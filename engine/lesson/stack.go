package lesson

import (
	"fmt"
	"image"
	"math"
	"math/rand"
	"strconv"

	"convlab/engine/nn"
	"convlab/engine/tensor"
)

// LayerSpec describes one convolution layer of a stack: Cout filters of
// K x K over every input channel, with padding and stride.
type LayerSpec struct {
	Cout, K, Pad, Stride int
}

// LectureStack returns the layers of slide 23: W1 6x3x5x5, W2 10x6x3x3,
// W3 12x10x3x3, no padding, stride 1, so 3x32x32 becomes 6x28x28, then
// 10x26x26, then 12x24x24.
func LectureStack() []LayerSpec {
	return []LayerSpec{{Cout: 6, K: 5, Stride: 1}, {Cout: 10, K: 3, Stride: 1}, {Cout: 12, K: 3, Stride: 1}}
}

// StackLayer is one layer of a Stack with its parameters and shapes.
type StackLayer struct {
	W           *tensor.Tensor // (Cout, Cin, K, K)
	B           []float32      // (Cout)
	Pad, Stride int
	In, Out     []int // (Cin, H, W) and (Cout, H', W'), from nn.OutputSize
}

// Stack is a chain of convolutions (slide 23), each optionally followed by
// a ReLU (slide 25). Its shapes are fixed when it is made; Forward fills
// Outputs.
type Stack struct {
	In     []int // (C, H, W) of the input
	Layers []StackLayer
	ReLU   bool // a ReLU after every convolution

	// Outputs[l] is layer l's output (Cout, H', W'), after its ReLU when
	// ReLU is set; nil until Forward.
	Outputs []*tensor.Tensor
}

// NewStack makes a stack for inputs of shape in (C, H, W), with weights
// drawn from rng uniformly in ±√(6 / (Cin·K·K)) (He's bound, so that signals
// neither die out nor blow up through the ReLUs) and zero biases. It returns
// nn.OutputSize's explanation, naming the layer, when a shape is impossible.
func NewStack(in []int, specs []LayerSpec, rng *rand.Rand) (*Stack, error) {
	if len(in) != 3 {
		return nil, fmt.Errorf("a stack takes a (C, H, W) input, not %v", in)
	}
	s := &Stack{In: append([]int(nil), in...)}
	shape := s.In
	for l, sp := range specs {
		if sp.Cout < 1 {
			return nil, fmt.Errorf("layer %d: %d filters; a layer needs at least one", l+1, sp.Cout)
		}
		h, err := nn.OutputSize(shape[1], sp.K, sp.Pad, sp.Stride)
		if err != nil {
			return nil, fmt.Errorf("layer %d: %w", l+1, err)
		}
		w, err := nn.OutputSize(shape[2], sp.K, sp.Pad, sp.Stride)
		if err != nil {
			return nil, fmt.Errorf("layer %d: %w", l+1, err)
		}
		cin := shape[0]
		wt := tensor.New(sp.Cout, cin, sp.K, sp.K)
		bound := math.Sqrt(6 / float64(cin*sp.K*sp.K))
		for i := range wt.Data {
			wt.Data[i] = float32((2*rng.Float64() - 1) * bound)
		}
		out := []int{sp.Cout, h, w}
		s.Layers = append(s.Layers, StackLayer{W: wt, B: make([]float32, sp.Cout), Pad: sp.Pad, Stride: sp.Stride, In: shape, Out: out})
		shape = out
	}
	return s, nil
}

// Forward runs x (C, H, W) through every layer, filling Outputs.
func (s *Stack) Forward(x *tensor.Tensor) error {
	if !tensor.SameShape(x.Shape, s.In) {
		return fmt.Errorf("the stack takes %s inputs, not %s", tensor.ShapeString(s.In), tensor.ShapeString(x.Shape))
	}
	s.Outputs = make([]*tensor.Tensor, len(s.Layers))
	for l, ly := range s.Layers {
		y, err := nn.Conv2DNaive(x, ly.W, ly.B, ly.Pad, ly.Stride)
		if err != nil {
			return fmt.Errorf("layer %d: %w", l+1, err)
		}
		if s.ReLU {
			reluInPlace(y.Data)
		}
		s.Outputs[l], x = y, y
	}
	return nil
}

// WeightShape returns layer l's weight shape as the slide writes it,
// "6 x 3 x 5 x 5".
func (s *Stack) WeightShape(l int) string { return tensor.ShapeString(s.Layers[l].W.Shape) }

// BiasShape returns layer l's bias shape, "6".
func (s *Stack) BiasShape(l int) string { return strconv.Itoa(len(s.Layers[l].B)) }

// OutputShape returns layer l's output shape, "6 x 28 x 28".
func (s *Stack) OutputShape(l int) string { return tensor.ShapeString(s.Layers[l].Out) }

// BatchForm returns layer l's mapping of a batch as slide 22 writes it,
// "N x 3 x 32 x 32 -> N x 6 x 28 x 28".
func (s *Stack) BatchForm(l int) string {
	ly := s.Layers[l]
	return "N x " + tensor.ShapeString(ly.In) + " -> N x " + tensor.ShapeString(ly.Out)
}

// Geometries returns the window geometry of layers 0..l.
func (s *Stack) Geometries(l int) []Geometry {
	g := make([]Geometry, l+1)
	for k := range g {
		ly := s.Layers[k]
		g[k] = Geometry{K: ly.W.Shape[2], Pad: ly.Pad, Stride: ly.Stride}
	}
	return g
}

// ReceptiveField returns the input region that unit (i, j) of layer l's
// output depends on (see the function ReceptiveField).
func (s *Stack) ReceptiveField(l, i, j int) image.Rectangle {
	return ReceptiveField(s.Geometries(l), i, j)
}

// ReceptiveSize returns the side of the receptive field of a unit of layer
// l on the input: 5, 7, 9 for slide 23's stack.
func (s *Stack) ReceptiveSize(l int) int { return ReceptiveSize(s.Geometries(l)) }
