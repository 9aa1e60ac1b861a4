package lesson

import (
	"fmt"
	"image"

	"convlab/engine/nn"
)

// BeyondID is the id of lesson 5, "Beyond slide 37".
const BeyondID = "beyond"

// FieldInput is the side of the receptive-field part's input grid: odd, so
// that it has a centre pixel and a 3x3 convolution with stride 2 and
// padding 1 fits it ((15 − 3 + 2)/2 + 1 = 8), after which 2x2 pooling fits.
const FieldInput = 15

// FieldMaxLayers is the most layers the receptive-field stack holds.
const FieldMaxLayers = 6

// FieldLayer is one layer of the receptive-field stack: a convolution or a
// max pooling window K x K, Pad zeros on each side (always 0 for pooling),
// moving Stride pixels at a time.
type FieldLayer struct {
	Pool           bool
	K, Pad, Stride int
}

// CommonLayers are the layers the receptive-field part offers, the
// lecture's common settings of a conv layer (K = 3, P = 1, S = 1; K = 5,
// P = 2, S = 1; K = 1, P = 0, S = 1; K = 3, P = 1, S = 2) and 2x2 max
// pooling with stride 2.
var CommonLayers = []FieldLayer{
	{K: 3, Pad: 1, Stride: 1},
	{K: 5, Pad: 2, Stride: 1},
	{K: 1, Pad: 0, Stride: 1},
	{K: 3, Pad: 1, Stride: 2},
	{Pool: true, K: 2, Stride: 2},
}

// Name writes the layer as the page lists it: "conv 3x3, pad 1",
// "conv 3x3, pad 1, stride 2", "max pool 2x2, stride 2".
func (l FieldLayer) Name() string { return l.describe(", pad %d", ", stride %d") }

// Short writes the layer in the lecture's letters: "conv 3x3, P1",
// "conv 3x3, P1, S2", "max pool 2x2, S2".
func (l FieldLayer) Short() string { return l.describe(", P%d", ", S%d") }

// describe writes the layer with the given formats for its padding and
// stride; a stride of 1 and a pooling layer's padding are left out.
func (l FieldLayer) describe(pad, stride string) string {
	if l.Pool {
		return fmt.Sprintf("max pool %dx%d"+stride, l.K, l.K, l.Stride)
	}
	s := fmt.Sprintf("conv %dx%d"+pad, l.K, l.K, l.Pad)
	if l.Stride != 1 {
		s += fmt.Sprintf(stride, l.Stride)
	}
	return s
}

// Geometry returns the layer's window geometry.
func (l FieldLayer) Geometry() Geometry { return Geometry{K: l.K, Pad: l.Pad, Stride: l.Stride} }

// FieldStack is the receptive-field part of lesson 5: a 15x15 input, a
// stack of convolution and pooling layers, and one chosen unit of the last
// layer's output. It says which region of every earlier grid the unit
// depends on, and how large the region is on the input: each stride-1 K x K
// convolution adds K − 1, and after a downsampling layer every later layer
// adds more.
type FieldStack struct {
	layers []FieldLayer
	sides  []int // sides[0] = FieldInput; sides[l+1] = output side of layer l, from nn.OutputSize
	i, j   int   // the chosen unit, row and column of the last grid
}

// NewFieldStack returns the opening stack: three 3x3 convolutions with
// padding 1, whose units see 3x3, 5x5 and 7x7 of the input, the chosen
// unit at the centre.
func NewFieldStack() *FieldStack {
	f := &FieldStack{sides: []int{FieldInput}}
	for i := 0; i < 3; i++ {
		if err := f.Add(CommonLayers[0]); err != nil {
			panic("lesson: the opening stack does not fit: " + err.Error())
		}
	}
	return f
}

// Layers returns the stack's layers; the slice is the stack's own.
func (f *FieldStack) Layers() []FieldLayer { return f.layers }

// Sides returns the side of every grid: the input, then each layer's output.
func (f *FieldStack) Sides() []int { return f.sides }

// Unit returns the chosen unit of the last grid (row, column).
func (f *FieldStack) Unit() (i, j int) { return f.i, f.j }

// Next returns the side a layer l would give if added now, or
// nn.OutputSize's explanation naming the layer, e.g.
// "layer 4 (max pool 2x2, stride 2): (15 − 2 + 0)/2 + 1 = 7.5 is not a
// whole number: change padding or stride", or why the stack is full.
func (f *FieldStack) Next(l FieldLayer) (int, error) {
	n := len(f.layers) + 1
	if len(f.layers) >= FieldMaxLayers {
		return 0, fmt.Errorf("the stack holds %d layers at most: remove one first", FieldMaxLayers)
	}
	side, err := nn.OutputSize(f.sides[len(f.sides)-1], l.K, l.Pad, l.Stride)
	if err != nil {
		return 0, fmt.Errorf("layer %d (%s): %w", n, l.Name(), err)
	}
	return side, nil
}

// Add puts layer l on top of the stack, or returns Next's error and
// changes nothing. The chosen unit moves to the centre of the new output.
func (f *FieldStack) Add(l FieldLayer) error {
	side, err := f.Next(l)
	if err != nil {
		return err
	}
	f.layers = append(f.layers, l)
	f.sides = append(f.sides, side)
	f.centre()
	return nil
}

// RemoveLast takes the top layer off; an error when there is none.
func (f *FieldStack) RemoveLast() error {
	if len(f.layers) == 0 {
		return fmt.Errorf("there is no layer to remove: a unit of the input sees only itself")
	}
	f.layers = f.layers[:len(f.layers)-1]
	f.sides = f.sides[:len(f.sides)-1]
	f.centre()
	return nil
}

// centre chooses the middle unit of the last grid.
func (f *FieldStack) centre() {
	s := f.sides[len(f.sides)-1]
	f.i, f.j = (s-1)/2, (s-1)/2
}

// Choose makes (i, j) of the last grid the chosen unit.
func (f *FieldStack) Choose(i, j int) error {
	s := f.sides[len(f.sides)-1]
	if i < 0 || j < 0 || i >= s || j >= s {
		return fmt.Errorf("unit (%d, %d) is outside the %dx%d output", i, j, s, s)
	}
	f.i, f.j = i, j
	return nil
}

// Geometries returns the window geometry of layers from..len-1.
func (f *FieldStack) Geometries(from int) []Geometry {
	g := make([]Geometry, 0, len(f.layers)-from)
	for _, l := range f.layers[from:] {
		g = append(g, l.Geometry())
	}
	return g
}

// Region returns the part of grid g (0 is the input, g is the output of
// layer g−1) the chosen unit depends on, in that grid's cells (see
// ReceptiveField): it may reach past the grid into the zero padding.
func (f *FieldStack) Region(g int) image.Rectangle {
	return ReceptiveField(f.Geometries(g), f.i, f.j)
}

// Seen returns the side of the region of the input that a unit of grid g
// depends on (ReceptiveSize of layers 0..g−1): 1 for the input itself.
func (f *FieldStack) Seen(g int) int {
	geo := make([]Geometry, g)
	for k := range geo {
		geo[k] = f.layers[k].Geometry()
	}
	return ReceptiveSize(geo)
}

// MoreToCover returns how many more 3x3 stride-1 convolutions a unit of
// the last grid needs before it sees the whole input: the lecture's
// "for large images we need many layers for each output to see the whole
// image".
func (f *FieldStack) MoreToCover() int {
	geo := f.Geometries(0)
	n := 0
	for ReceptiveSize(geo) < FieldInput {
		geo = append(geo, Geometry{K: 3, Pad: 1, Stride: 1})
		n++
	}
	return n
}

// Reset returns to the opening stack.
func (f *FieldStack) Reset() { *f = *NewFieldStack() }
