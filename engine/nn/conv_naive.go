package nn

import (
	"fmt"

	"convlab/engine/tensor"
)

// Conv2DNaive is the obvious convolution (strictly, cross-correlation, as in
// the lecture and every deep-learning library), kept as the reference every
// fast path is tested against and as the single convolution the lessons call.
//
//	x: (Cin, H, W)   w: (Cout, Cin, K, K)   b: (Cout) or nil
//	out[o][i][j] = b[o] + Σ_c Σ_u Σ_v w[o][c][u][v] · xpad[c][i·S+u][j·S+v]
//
// where xpad is x with p rows and columns of zeros on every side.
// The output is (Cout, H', W') with H' = OutputSize(H, K, p, s).
func Conv2DNaive(x, w *tensor.Tensor, b []float32, p, s int) (*tensor.Tensor, error) {
	if len(x.Shape) != 3 || len(w.Shape) != 4 {
		return nil, fmt.Errorf("conv: want x (Cin, H, W) and w (Cout, Cin, K, K), got %v and %v", x.Shape, w.Shape)
	}
	cin, h, wd := x.Shape[0], x.Shape[1], x.Shape[2]
	cout, wc, kh, kw := w.Shape[0], w.Shape[1], w.Shape[2], w.Shape[3]
	if wc != cin {
		return nil, fmt.Errorf("conv: input has %d channels but the filters have %d", cin, wc)
	}
	if kh != kw {
		return nil, fmt.Errorf("conv: kernel %dx%d is not square", kh, kw)
	}
	if b != nil && len(b) != cout {
		return nil, fmt.Errorf("conv: %d biases for %d filters", len(b), cout)
	}
	ho, err := OutputSize(h, kh, p, s)
	if err != nil {
		return nil, fmt.Errorf("height: %w", err)
	}
	wo, err := OutputSize(wd, kw, p, s)
	if err != nil {
		return nil, fmt.Errorf("width: %w", err)
	}
	out := tensor.New(cout, ho, wo)
	for o := 0; o < cout; o++ {
		for i := 0; i < ho; i++ {
			for j := 0; j < wo; j++ {
				var sum float32
				for c := 0; c < cin; c++ {
					for u := 0; u < kh; u++ {
						y := i*s + u - p
						if y < 0 || y >= h {
							continue
						}
						for v := 0; v < kw; v++ {
							xx := j*s + v - p
							if xx < 0 || xx >= wd {
								continue
							}
							sum += w.Data[((o*cin+c)*kh+u)*kw+v] * x.Data[(c*h+y)*wd+xx]
						}
					}
				}
				if b != nil {
					sum += b[o]
				}
				out.Data[(o*ho+i)*wo+j] = sum
			}
		}
	}
	return out, nil
}
