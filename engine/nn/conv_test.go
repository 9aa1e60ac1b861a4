package nn

import (
	"fmt"
	"math/rand"
	"testing"

	"convlab/engine/tensor"
)

// The 7x7 input of slides 30–37: a bar of ones (twos in the middle row)
// from column 3 to the right edge.
const barInput = `
	0 0 0 1 1 1 1
	0 0 0 1 1 1 1
	0 0 0 1 1 1 1
	0 0 0 2 2 2 2
	0 0 0 1 1 1 1
	0 0 0 1 1 1 1
	0 0 0 1 1 1 1`

// A Sobel filter that answers a dark-to-light edge with a negative value.
const sobelX = `
	1 0 -1
	2 0 -2
	1 0 -1`

// TestConvPictures checks the fast conv layer and Conv2DNaive against
// outputs worked out by hand. With this filter, output cell (i, j) is the
// left column of its window, weighted 1, 2, 1 down the rows, minus the
// right column weighted the same way. Hand-worked cells:
//
//	no padding, (0, 1): left column 0 is zero; right column 3, rows 0..2, is 1, 1, 1: 0 − (1 + 2·1 + 1) = −4.
//	no padding, (2, 1): right column rows 2..4 is 1, 2, 1: −(1 + 2·2 + 1) = −6.
//	pad 1, (0, 6): left column 5, rows −1..1, is 0, 1, 1; right column 7 is padding: (0 + 2·1 + 1) − 0 = 3.
//	pad 1, (3, 2): left column 1 is zero; right column 3, rows 2..4, is 1, 2, 1: −6.
//	stride 2 takes rows and columns 0, 2, 4 of the unpadded output; bias 0.5 is added to every cell.
func TestConvPictures(t *testing.T) {
	tests := []struct {
		name        string
		pad, stride int
		bias        float32
		want        string
	}{
		{"7x7, 3x3 filter, stride 1 -> 5x5", 0, 1, 0, `
			0 -4 -4  0  0
			0 -5 -5  0  0
			0 -6 -6  0  0
			0 -5 -5  0  0
			0 -4 -4  0  0`},
		{"pad 1 -> 7x7", 1, 1, 0, `
			0  0 -3 -3  0  0  3
			0  0 -4 -4  0  0  4
			0  0 -5 -5  0  0  5
			0  0 -6 -6  0  0  6
			0  0 -5 -5  0  0  5
			0  0 -4 -4  0  0  4
			0  0 -3 -3  0  0  3`},
		{"stride 2 -> 3x3", 0, 2, 0, `
			0 -4  0
			0 -6  0
			0 -4  0`},
		{"stride 2, bias 0.5", 0, 2, 0.5, `
			0.5 -3.5  0.5
			0.5 -5.5  0.5
			0.5 -3.5  0.5`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			x := reshape(picture(t, barInput), 1, 7, 7)
			w := reshape(picture(t, sobelX), 1, 1, 3, 3)
			want := picture(t, tc.want)
			got, err := Conv2DNaive(x, w, []float32{tc.bias}, tc.pad, tc.stride)
			if err != nil {
				t.Fatal(err)
			}
			assertClose(t, "naive", got.Data, want.Data, 0)

			conv := buildLayer(t, LayerSpec{Type: TypeConv, Filters: 1, Kernel: 3, Pad: tc.pad, Stride: tc.stride}, []int{1, 7, 7}, nil).(*Conv)
			copy(conv.W.Data, w.Data)
			conv.B.Data[0] = tc.bias
			y := outFor(conv, 1)
			conv.Forward(reshape(x, 1, 1, 7, 7), y, true)
			if !tensor.SameShape(y.Shape[2:], want.Shape) {
				t.Fatalf("fast output %v, want %v", y.Shape, want.Shape)
			}
			assertClose(t, "fast", y.Data, want.Data, 0)
		})
	}
}

// TestConvSlides checks the shapes and a hand-worked value of slides 18–23:
// a 3x32x32 image and six 3x5x5 filters give 6x28x28; a second conv of ten
// 6x3x3 filters gives 10x26x26. With every input and weight equal to one,
// each first-layer output is 3·5·5 = 75 plus its bias, and each second-layer
// output is 6·3·3·75 = 4050 plus its bias.
func TestConvSlides(t *testing.T) {
	spec := Spec{Input: [3]int{3, 32, 32}, Layers: []LayerSpec{
		{Type: TypeConv, Filters: 6, Kernel: 5},
		{Type: TypeConv, Filters: 10, Kernel: 3},
	}}
	net, err := Build(spec, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range net.Params() {
		for i := range p.T.Data {
			p.T.Data[i] = 1
			if p.Name == "B" {
				p.T.Data[i] = float32(i) // bias o = o
			}
		}
	}
	x := tensor.New(2, 3, 32, 32) // N = 2, as on slide 21
	for i := range x.Data {
		x.Data[i] = 1
	}
	net.Forward(x, false)
	first, second := net.acts[1], net.acts[2]
	if !tensor.SameShape(first.Shape, []int{2, 6, 28, 28}) || !tensor.SameShape(second.Shape, []int{2, 10, 26, 26}) {
		t.Fatalf("shapes %v and %v, want [2 6 28 28] and [2 10 26 26]", first.Shape, second.Shape)
	}
	for _, c := range []struct{ n, o, i, j int }{{0, 0, 0, 0}, {1, 5, 27, 3}, {0, 3, 14, 14}} {
		if got, want := first.At(c.n, c.o, c.i, c.j), float32(75+c.o); got != want {
			t.Errorf("first layer %v = %v, want %v", c, got, want)
		}
	}
	// Second layer: Σ over 6 channels and 3x3 of (75 + channel) = 9·(6·75 + 0+1+...+5) = 4185, plus bias.
	for _, c := range []struct{ n, o, i, j int }{{0, 0, 0, 0}, {1, 9, 25, 25}} {
		if got, want := second.At(c.n, c.o, c.i, c.j), float32(4185+c.o); got != want {
			t.Errorf("second layer %v = %v, want %v", c, got, want)
		}
	}
}

// TestConvProperties: a kernel that is one at its centre, with padding 1,
// returns the input; a zero kernel returns the bias everywhere.
func TestConvProperties(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	x := randTensor(rng, 2, 3, 6, 5)
	conv := buildLayer(t, LayerSpec{Type: TypeConv, Filters: 3, Kernel: 3, Pad: 1}, []int{3, 6, 5}, nil).(*Conv)
	for c := 0; c < 3; c++ {
		conv.W.Set(1, c, c, 1, 1)
	}
	y := outFor(conv, 2)
	conv.Forward(x, y, false)
	assertClose(t, "identity kernel", y.Data, x.Data, 0)

	clear(conv.W.Data)
	copy(conv.B.Data, []float32{0.25, -2, 7})
	conv.Forward(x, y, false)
	for i, v := range y.Data {
		if want := conv.B.Data[(i/30)%3]; v != want {
			t.Fatalf("zero kernel: y[%d] = %v, want bias %v", i, v, want)
		}
	}
}

// convCase is a random convolution shape that works.
type convCase struct{ cin, h, w, cout, k, pad, stride int }

func randomConvCases(rng *rand.Rand, n int) []convCase {
	var cs []convCase
	for len(cs) < n {
		c := convCase{cin: 1 + rng.Intn(4), h: 1 + rng.Intn(12), w: 1 + rng.Intn(12), cout: 1 + rng.Intn(9),
			k: 1 + rng.Intn(5), pad: rng.Intn(3), stride: 1 + rng.Intn(3)}
		if _, err := OutputSize(c.h, c.k, c.pad, c.stride); err != nil {
			continue
		}
		if _, err := OutputSize(c.w, c.k, c.pad, c.stride); err != nil {
			continue
		}
		cs = append(cs, c)
	}
	return cs
}

// TestConvFastMatchesNaive compares the fast layer with the naive
// references, forward and backward, on random shapes, paddings and strides,
// with output gradients that are partly zero (as after ReLU and pooling).
func TestConvFastMatchesNaive(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	cases := []convCase{ // the direct kernels, with leftover columns and an odd last filter
		{cin: 1, h: 24, w: 24, cout: 8, k: 5, pad: 2, stride: 1},
		{cin: 8, h: 12, w: 12, cout: 16, k: 5, pad: 2, stride: 1},
		{cin: 3, h: 9, w: 11, cout: 5, k: 5, pad: 1, stride: 1},
		{cin: 2, h: 7, w: 7, cout: 3, k: 3, pad: 1, stride: 1},
		{cin: 4, h: 6, w: 10, cout: 7, k: 3, pad: 0, stride: 1},
		{cin: 1, h: 3, w: 3, cout: 1, k: 3, pad: 0, stride: 1},
	}
	for _, c := range append(cases, randomConvCases(rng, 300)...) {
		name := fmt.Sprintf("%+v", c)
		conv := buildLayer(t, LayerSpec{Type: TypeConv, Filters: c.cout, Kernel: c.k, Pad: c.pad, Stride: c.stride},
			[]int{c.cin, c.h, c.w}, rng).(*Conv)
		for i := range conv.B.Data {
			conv.B.Data[i] = float32(rng.NormFloat64())
		}
		const n = 3
		x := batchOf(rng, n, conv.in)
		x.EnsureGrad()
		y := outFor(conv, n)
		conv.Forward(x, y, true)
		y.EnsureGrad()
		for i := range y.Grad {
			if rng.Intn(3) == 0 {
				y.Grad[i] = float32(rng.NormFloat64())
			}
		}
		conv.Backward(x, y)

		inLen, outLen := tensor.Size(conv.in), tensor.Size(conv.out)
		wantDW := make([]float32, len(conv.W.Data))
		wantDB := make([]float32, len(conv.B.Data))
		for e := 0; e < n; e++ {
			xe := tensor.FromData(x.Data[e*inLen:(e+1)*inLen], conv.in...)
			want, err := Conv2DNaive(xe, conv.W, conv.B.Data, c.pad, c.stride)
			if err != nil {
				t.Fatal(name, err)
			}
			assertClose(t, name+" forward", y.Data[e*outLen:(e+1)*outLen], want.Data, 1e-5)
			dy := tensor.FromData(y.Grad[e*outLen:(e+1)*outLen], conv.out...)
			dx, dw, db, err := Conv2DBackwardNaive(xe, conv.W, dy, c.pad, c.stride)
			if err != nil {
				t.Fatal(name, err)
			}
			assertClose(t, name+" dx", x.Grad[e*inLen:(e+1)*inLen], dx.Data, 1e-5)
			for i := range dw.Data {
				wantDW[i] += dw.Data[i]
			}
			for i := range db {
				wantDB[i] += db[i]
			}
		}
		assertClose(t, name+" dW", conv.W.Grad, wantDW, 1e-4)
		assertClose(t, name+" dB", conv.B.Grad, wantDB, 1e-4)
	}
}

// ExampleConv2DNaive prints a 5x5 input with its ring of zero padding, a
// 3x3 filter and the 5x5 output (padding 1, stride 1).
func ExampleConv2DNaive() {
	x := tensor.FromData([]float32{
		1, 2, 0, 1, 3,
		0, 1, 2, 3, 1,
		1, 0, 1, 0, 2,
		3, 1, 0, 2, 1,
		0, 2, 1, 1, 0,
	}, 1, 5, 5)
	w := tensor.FromData([]float32{
		0, 1, 0,
		1, -4, 1,
		0, 1, 0,
	}, 1, 1, 3, 3)
	y, err := Conv2DNaive(x, w, []float32{0}, 1, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	padded := make([]float32, 7*7)
	for i := 0; i < 5; i++ {
		copy(padded[(i+1)*7+1:(i+1)*7+6], x.Data[i*5:(i+1)*5])
	}
	fmt.Print("input, padded to 7x7:\n", drawGrid(padded, 7, 7))
	fmt.Print("filter:\n", drawGrid(w.Data, 3, 3))
	fmt.Print("output 5x5 = (5 − 3 + 2)/1 + 1:\n", drawGrid(y.Data, 5, 5))
	// Output:
	// input, padded to 7x7:
	//   0   0   0   0   0   0   0
	//   0   1   2   0   1   3   0
	//   0   0   1   2   3   1   0
	//   0   1   0   1   0   2   0
	//   0   3   1   0   2   1   0
	//   0   0   2   1   1   0   0
	//   0   0   0   0   0   0   0
	// filter:
	//   0   1   0
	//   1  -4   1
	//   0   1   0
	// output 5x5 = (5 − 3 + 2)/1 + 1:
	//  -2  -6   5   2 -10
	//   3   0  -3  -8   4
	//  -1   4  -2   8  -6
	// -10   1   5  -6   0
	//   5  -6  -1  -1   2
}
