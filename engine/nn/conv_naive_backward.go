package nn

import (
	"fmt"

	"convlab/engine/tensor"
)

// Conv2DBackwardNaive is the obvious gradient of Conv2DNaive, kept as the
// reference for the fast backward pass. Given x (Cin, H, W), w (Cout, Cin,
// K, K) and the gradient dy (Cout, H', W') of a loss with respect to the
// output, it returns
//
//	dx[c][y][x]    = Σ_o Σ_i Σ_j dy[o][i][j] · w[o][c][y−i·S+P][x−j·S+P]   (terms inside the kernel)
//	dw[o][c][u][v] = Σ_i Σ_j dy[o][i][j] · xpad[c][i·S+u][j·S+v]
//	db[o]          = Σ_i Σ_j dy[o][i][j]
func Conv2DBackwardNaive(x, w, dy *tensor.Tensor, p, s int) (dx, dw *tensor.Tensor, db []float32, err error) {
	if len(x.Shape) != 3 || len(w.Shape) != 4 || len(dy.Shape) != 3 {
		return nil, nil, nil, fmt.Errorf("conv backward: want x (Cin, H, W), w (Cout, Cin, K, K), dy (Cout, H', W'), got %v, %v, %v", x.Shape, w.Shape, dy.Shape)
	}
	cin, h, wd := x.Shape[0], x.Shape[1], x.Shape[2]
	cout, k := w.Shape[0], w.Shape[2]
	if w.Shape[1] != cin || w.Shape[3] != k {
		return nil, nil, nil, fmt.Errorf("conv backward: filters %v do not fit input %v", w.Shape, x.Shape)
	}
	ho, err := OutputSize(h, k, p, s)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("height: %w", err)
	}
	wo, err := OutputSize(wd, k, p, s)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("width: %w", err)
	}
	if !tensor.SameShape(dy.Shape, []int{cout, ho, wo}) {
		return nil, nil, nil, fmt.Errorf("conv backward: dy is %v, the output is [%d %d %d]", dy.Shape, cout, ho, wo)
	}
	dx, dw, db = tensor.New(cin, h, wd), tensor.New(cout, cin, k, k), make([]float32, cout)
	for o := 0; o < cout; o++ {
		for i := 0; i < ho; i++ {
			for j := 0; j < wo; j++ {
				g := dy.Data[(o*ho+i)*wo+j]
				db[o] += g
				for c := 0; c < cin; c++ {
					for u := 0; u < k; u++ {
						y := i*s + u - p
						if y < 0 || y >= h {
							continue
						}
						for v := 0; v < k; v++ {
							xx := j*s + v - p
							if xx < 0 || xx >= wd {
								continue
							}
							wi := ((o*cin+c)*k+u)*k + v
							xi := (c*h+y)*wd + xx
							dw.Data[wi] += g * x.Data[xi]
							dx.Data[xi] += g * w.Data[wi]
						}
					}
				}
			}
		}
	}
	return dx, dw, db, nil
}
