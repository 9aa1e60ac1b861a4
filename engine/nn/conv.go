package nn

import (
	"fmt"
	"math/rand"

	"convlab/engine/tensor"
)

// Conv is a convolution layer (cross-correlation, as in the lecture): Cout
// filters of Cin x K x K with a bias each, sliding with stride S over the
// input padded by P zeros on every side.
//
// The fast path lays each example out as patches (im2col) and multiplies
// them by the filters; Conv2DNaive and Conv2DBackwardNaive are the
// references it is tested against. Backward does work only where the output
// gradient is non-zero, which after ReLU and max pooling is a small part of
// the output.
type Conv struct {
	shapes
	W *tensor.Tensor // (Cout, Cin, K, K)
	B *tensor.Tensor // (Cout)

	cin, h, w, cout, k, pad, stride, ho, wo int
	hp, wp                                  int // padded input height and width, H+2P and W+2P
	ckk                                     int // Cin·K·K, the length of one patch

	// cols holds the patches of every example of the last Forward:
	// example n, output position p = i·W'+j, patch entry (c·K+u)·K+v is at
	// cols[(n·H'·W'+p)·ckk + (c·K+u)·K+v] = xpad[n][c][i·S+u][j·S+v].
	cols   []float32 // (N, H'·W', Cin·K·K)
	xpad   []float32 // (Cin, H+2P, W+2P), one example, border always zero
	dpatch []float32 // (Cin·K·K), gradient of one patch
	dxpad  []float32 // (Cin, H+2P, W+2P), input gradient of one example
}

func newConv(sh shapes, rng *rand.Rand) *Conv {
	s := sh.spec
	c := &Conv{
		shapes: sh,
		cin:    sh.in[0], h: sh.in[1], w: sh.in[2],
		cout: s.Filters, k: s.Kernel, pad: s.Pad, stride: s.Stride,
		ho: sh.out[1], wo: sh.out[2],
	}
	c.hp, c.wp = c.h+2*c.pad, c.w+2*c.pad
	c.ckk = c.cin * c.k * c.k
	c.W = param(c.cout, c.cin, c.k, c.k)
	c.B = param(c.cout)
	heInit(c.W.Data, c.ckk, rng)
	return c
}

// Params returns W (Cout, Cin, K, K) and B (Cout).
func (c *Conv) Params() []*tensor.Tensor { return []*tensor.Tensor{c.W, c.B} }

// Forward computes y (N, Cout, H', W') from x (N, Cin, H, W).
func (c *Conv) Forward(x, y *tensor.Tensor, train bool) {
	n := c.batch(x, y)
	hw := c.ho * c.wo
	c.cols = grow(c.cols, n*hw*c.ckk)
	if c.xpad == nil {
		c.xpad = make([]float32, c.cin*c.hp*c.wp)
	}
	in := c.cin * c.h * c.w
	for e := 0; e < n; e++ {
		cols := c.cols[e*hw*c.ckk : (e+1)*hw*c.ckk]
		c.im2col(x.Data[e*in:(e+1)*in], cols)
		gemmBias(c.cout, hw, c.ckk, c.W.Data, cols, c.B.Data, y.Data[e*c.cout*hw:(e+1)*c.cout*hw])
	}
}

// im2col writes the patches of one example x (Cin, H, W) into cols
// (H'·W', Cin·K·K), going through the zero-bordered copy c.xpad.
func (c *Conv) im2col(x, cols []float32) {
	hp, wp, k, s := c.hp, c.wp, c.k, c.stride
	if c.pad == 0 {
		copy(c.xpad, x)
	} else {
		for ch := 0; ch < c.cin; ch++ {
			for y := 0; y < c.h; y++ {
				d := (ch*hp+y+c.pad)*wp + c.pad
				copy(c.xpad[d:d+c.w], x[(ch*c.h+y)*c.w:(ch*c.h+y+1)*c.w])
			}
		}
	}
	xp := c.xpad
	o := 0
	for i := 0; i < c.ho; i++ {
		for j := 0; j < c.wo; j++ {
			for ch := 0; ch < c.cin; ch++ {
				for u := 0; u < k; u++ {
					r := (ch*hp+i*s+u)*wp + j*s
					src := xp[r : r+k]
					dst := cols[o : o+k]
					for v := range dst {
						dst[v] = src[v]
					}
					o += k
				}
			}
		}
	}
}

// Backward accumulates W.Grad and B.Grad and, if x.Grad != nil, writes
// x.Grad, visiting only the output positions whose gradient is non-zero.
func (c *Conv) Backward(x, y *tensor.Tensor) {
	n := c.batch(x, y)
	hw := c.ho * c.wo
	if len(c.cols) < n*hw*c.ckk {
		panic(fmt.Sprintf("nn: %s: Backward of a batch of %d without its Forward", c.Name(), n))
	}
	needDX := x.Grad != nil
	if needDX && c.dxpad == nil {
		c.dxpad = make([]float32, c.cin*c.hp*c.wp)
		c.dpatch = make([]float32, c.ckk)
	}
	ckk := c.ckk
	wd, dw, db := c.W.Data, c.W.Grad, c.B.Grad
	in := c.cin * c.h * c.w
	for e := 0; e < n; e++ {
		dy := y.Grad[e*c.cout*hw : (e+1)*c.cout*hw]
		cols := c.cols[e*hw*ckk : (e+1)*hw*ckk]
		if needDX {
			clear(c.dxpad)
		}
		for p := 0; p < hw; p++ {
			patch := cols[p*ckk : (p+1)*ckk]
			touched := false
			for o := 0; o < c.cout; o++ {
				g := dy[o*hw+p]
				if g == 0 {
					continue
				}
				db[o] += g
				axpy(g, patch, dw[o*ckk:(o+1)*ckk])
				if needDX {
					if touched {
						axpy(g, wd[o*ckk:(o+1)*ckk], c.dpatch)
					} else {
						scale(g, wd[o*ckk:(o+1)*ckk], c.dpatch)
						touched = true
					}
				}
			}
			if touched {
				c.col2im(p, c.dpatch)
			}
		}
		if needDX {
			c.unpad(c.dxpad, x.Grad[e*in:(e+1)*in])
		}
	}
}

// col2im adds the gradient of the patch at output position p into c.dxpad.
func (c *Conv) col2im(p int, dpatch []float32) {
	i, j := p/c.wo, p%c.wo
	k := c.k
	o := 0
	for ch := 0; ch < c.cin; ch++ {
		for u := 0; u < k; u++ {
			r := (ch*c.hp+i*c.stride+u)*c.wp + j*c.stride
			dst := c.dxpad[r : r+k]
			src := dpatch[o : o+k]
			for v := range dst {
				dst[v] += src[v]
			}
			o += k
		}
	}
}

// unpad copies the interior of a padded (Cin, H+2P, W+2P) buffer into dst (Cin, H, W).
func (c *Conv) unpad(src, dst []float32) {
	for ch := 0; ch < c.cin; ch++ {
		for y := 0; y < c.h; y++ {
			s := (ch*c.hp+y+c.pad)*c.wp + c.pad
			copy(dst[(ch*c.h+y)*c.w:(ch*c.h+y+1)*c.w], src[s:s+c.w])
		}
	}
}

// grow returns buf resliced to n values, reallocating only when its
// capacity is too small (the contents are not kept).
func grow(buf []float32, n int) []float32 {
	if cap(buf) < n {
		return make([]float32, n)
	}
	return buf[:n]
}
