package lesson

import (
	"fmt"
	"math"

	"convlab/engine/nn"
	"convlab/engine/tensor"
)

// ComposeKernels returns the single convolution that does the work of two
// stacked stride-1 convolutions with nothing between them (slide 25: two
// convolutions without a nonlinearity are just another convolution).
//
//	w1: (C1, C0, K1, K1)   b1: (C1)   w2: (C2, C1, K2, K2)   b2: (C2)
//	w:  (C2, C0, K, K) with K = K1 + K2 − 1   b: (C2)
//
// Writing y1 = conv(x, w1) + b1 and y2 = conv(y1, w2) + b2 out in full,
//
//	w[o][c][r][s] = Σ_m Σ_{t+u=r} Σ_{q+v=s} w2[o][m][t][q] · w1[m][c][u][v]
//	b[o]          = b2[o] + Σ_m b1[m] · Σ_{t,q} w2[o][m][t][q]
//
// so two 3x3 layers make one 5x5, and in general K1 and K2 make
// K1 + K2 − 1. The sums are taken in float64. The two paths agree wherever
// the second convolution reads only true outputs of the first: exactly when
// all padding is applied to the input of the first convolution, and away
// from the border otherwise (see Composition). It panics if the shapes do
// not chain (a programmer error).
func ComposeKernels(w1 *tensor.Tensor, b1 []float32, w2 *tensor.Tensor, b2 []float32) (w *tensor.Tensor, b []float32) {
	if len(w1.Shape) != 4 || len(w2.Shape) != 4 || w2.Shape[1] != w1.Shape[0] ||
		w1.Shape[2] != w1.Shape[3] || w2.Shape[2] != w2.Shape[3] ||
		len(b1) != w1.Shape[0] || len(b2) != w2.Shape[0] {
		panic(fmt.Sprintf("lesson: cannot compose w1 %v (b1 %d) with w2 %v (b2 %d)", w1.Shape, len(b1), w2.Shape, len(b2)))
	}
	c1, c0, k1 := w1.Shape[0], w1.Shape[1], w1.Shape[2]
	c2, k2 := w2.Shape[0], w2.Shape[2]
	k := k1 + k2 - 1
	acc := make([]float64, c2*c0*k*k) // (C2, C0, K, K)
	bias := make([]float64, c2)       // (C2)
	for o := 0; o < c2; o++ {
		bias[o] = float64(b2[o])
		for m := 0; m < c1; m++ {
			var sum2 float64 // Σ_{t,q} w2[o][m][t][q]
			for t := 0; t < k2; t++ {
				for q := 0; q < k2; q++ {
					a := float64(w2.Data[((o*c1+m)*k2+t)*k2+q])
					sum2 += a
					for c := 0; c < c0; c++ {
						for u := 0; u < k1; u++ {
							for v := 0; v < k1; v++ {
								acc[((o*c0+c)*k+t+u)*k+q+v] += a * float64(w1.Data[((m*c0+c)*k1+u)*k1+v])
							}
						}
					}
				}
			}
			bias[o] += float64(b1[m]) * sum2
		}
	}
	w = tensor.New(c2, c0, k, k)
	for i, a := range acc {
		w.Data[i] = float32(a)
	}
	b = make([]float32, c2)
	for o, a := range bias {
		b[o] = float32(a)
	}
	return w, b
}

// Composition checks ComposeKernels on a real input: it runs the input
// through the two convolutions (the two-step path) and through the composed
// kernel (the one-step path, padded by Pad1 + Pad2) and measures how far
// the two outputs are apart.
//
// With Pad2 = 0 (all padding on the input of the first convolution) the two
// paths agree everywhere to float32 rounding. With Pad2 > 0 the second
// convolution also reads the intermediate's padding zeros, which are not
// outputs of the first convolution (its bias and its response to the input's
// padding are missing there), so the paths differ on a border Pad2 wide;
// they still agree on the interior. With ReLU between the layers they no
// longer agree anywhere ReLU clipped an intermediate value.
type Composition struct {
	W1         *tensor.Tensor // (C1, C0, K1, K1) first convolution
	B1         []float32      // (C1)
	W2         *tensor.Tensor // (C2, C1, K2, K2) second convolution
	B2         []float32      // (C2)
	Pad1, Pad2 int            // zero padding of the first and of the second convolution

	W *tensor.Tensor // (C2, C0, K1+K2−1, K1+K2−1) the composed kernel
	B []float32      // (C2) the composed bias

	ReLU    bool           // whether the last Check put a ReLU between the two convolutions
	TwoStep *tensor.Tensor // (C2, H', W') conv(relu?(conv(x, W1, B1, Pad1)), W2, B2, Pad2); nil before Check
	OneStep *tensor.Tensor // (C2, H', W') conv(x, W, B, Pad1+Pad2); nil before Check

	MaxDiff         float32 // largest |TwoStep − OneStep| over the whole output
	MaxDiffInterior float32 // the same, leaving out the border Pad2 wide
}

// NewComposition composes the two convolutions (see ComposeKernels) for the
// given paddings. It panics if the shapes do not chain.
func NewComposition(w1 *tensor.Tensor, b1 []float32, w2 *tensor.Tensor, b2 []float32, pad1, pad2 int) *Composition {
	w, b := ComposeKernels(w1, b1, w2, b2)
	return &Composition{W1: w1, B1: b1, W2: w2, B2: b2, Pad1: pad1, Pad2: pad2, W: w, B: b}
}

// Check runs both paths on x (C0, H, W), with a ReLU between the two
// convolutions if relu is set, and records the outputs and their largest
// differences. It returns the engine's error when a shape is impossible.
func (c *Composition) Check(x *tensor.Tensor, relu bool) error {
	c.ReLU, c.TwoStep, c.OneStep, c.MaxDiff, c.MaxDiffInterior = relu, nil, nil, 0, 0
	mid, err := nn.Conv2DNaive(x, c.W1, c.B1, c.Pad1, 1)
	if err != nil {
		return fmt.Errorf("first convolution: %w", err)
	}
	if relu {
		reluInPlace(mid.Data)
	}
	two, err := nn.Conv2DNaive(mid, c.W2, c.B2, c.Pad2, 1)
	if err != nil {
		return fmt.Errorf("second convolution: %w", err)
	}
	one, err := nn.Conv2DNaive(x, c.W, c.B, c.Pad1+c.Pad2, 1)
	if err != nil {
		return fmt.Errorf("composed convolution: %w", err)
	}
	if !tensor.SameShape(one.Shape, two.Shape) {
		panic(fmt.Sprintf("lesson: composed output %v differs from two-step output %v", one.Shape, two.Shape))
	}
	c.TwoStep, c.OneStep = two, one
	ch, h, w := one.Shape[0], one.Shape[1], one.Shape[2]
	for o := 0; o < ch; o++ {
		for i := 0; i < h; i++ {
			for j := 0; j < w; j++ {
				k := (o*h+i)*w + j
				d := float32(math.Abs(float64(one.Data[k] - two.Data[k])))
				c.MaxDiff = max(c.MaxDiff, d)
				if i >= c.Pad2 && i < h-c.Pad2 && j >= c.Pad2 && j < w-c.Pad2 {
					c.MaxDiffInterior = max(c.MaxDiffInterior, d)
				}
			}
		}
	}
	return nil
}

// reluInPlace replaces every negative value of v (any shape) by zero.
func reluInPlace(v []float32) {
	for i, a := range v {
		if a < 0 {
			v[i] = 0
		}
	}
}
