package nn

import (
	"math/rand"

	"convlab/engine/tensor"
)

// Conv is a convolution layer (cross-correlation, as in the lecture): Cout
// filters of Cin x K x K with a bias each, sliding with stride S over the
// input padded by P zeros on every side.
//
// Forward keeps a zero-bordered copy of each input example and runs a
// direct kernel over it for stride-1 3x3 and 5x5 filters (conv_direct.go),
// or lays it out as patches (im2col) and multiplies them by the filters.
// Backward does work only where the output gradient is non-zero, which
// after ReLU and max pooling is a small part of the output. Conv2DNaive and
// Conv2DBackwardNaive are the references all of it is tested against.
type Conv struct {
	shapes
	W *tensor.Tensor // (Cout, Cin, K, K)
	B *tensor.Tensor // (Cout)

	cin, h, w, cout, k, pad, stride, ho, wo int
	hp, wp                                  int // padded input height and width, H+2P and W+2P
	ckk                                     int // Cin·K·K, the length of one patch

	// xpad holds the inputs of the last Forward with P zeros around each
	// channel: example n, channel c, padded row y, column x is at
	// xpad[((n·Cin+c)·(H+2P)+y)·(W+2P)+x]. Only the interior is ever
	// written, so the border stays zero.
	xpad []float32 // (N, Cin, H+2P, W+2P)
	// cols holds the patches of one example for the im2col path: output
	// position p = i·W'+j, patch entry (c·K+u)·K+v is at
	// cols[p·ckk + (c·K+u)·K+v] = xpad[c][i·S+u][j·S+v].
	cols  []float32 // (H'·W', Cin·K·K)
	dxpad []float32 // (Cin, H+2P, W+2P), the input gradient of one example

	// The non-zero output gradients of one example, for Backward, listed
	// twice. By filter: entries byFilter[o] ≤ q < byFilter[o+1] of nzPos
	// (output position p = i·W'+j) and nzGrad belong to filter o. By
	// position: entries byPos[p] ≤ q < byPos[p+1] of pFilt (the filter) and
	// pGrad belong to position p. offOf[p] is the offset of the patch of
	// position p in a padded channel: (i·S)·(W+2P) + j·S.
	nzPos, pFilt    []int32   // (Cout·H'·W')
	nzGrad, pGrad   []float32 // (Cout·H'·W')
	byFilter, byPos []int32   // (Cout+1), (H'·W'+1)
	offOf           []int32   // (H'·W')
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
	in, padded, out := c.cin*c.h*c.w, c.cin*c.hp*c.wp, c.cout*c.ho*c.wo
	if cap(c.xpad) < n*padded {
		c.xpad = make([]float32, n*padded)
	}
	c.xpad = c.xpad[:n*padded]
	for e := 0; e < n; e++ {
		xp := c.xpad[e*padded : (e+1)*padded]
		c.padInto(x.Data[e*in:(e+1)*in], xp)
		ye := y.Data[e*out : (e+1)*out]
		if c.convDirect(xp, ye) {
			continue
		}
		hw := c.ho * c.wo
		if c.cols == nil {
			c.cols = make([]float32, hw*c.ckk)
		}
		c.im2col(xp, c.cols)
		gemmBias(c.cout, hw, c.ckk, c.W.Data, c.cols, c.B.Data, ye)
	}
}

// padInto copies one example x (Cin, H, W) into the interior of xp
// (Cin, H+2P, W+2P).
func (c *Conv) padInto(x, xp []float32) {
	if c.pad == 0 {
		copy(xp, x)
		return
	}
	for ch := 0; ch < c.cin; ch++ {
		for y := 0; y < c.h; y++ {
			d := (ch*c.hp+y+c.pad)*c.wp + c.pad
			copy(xp[d:d+c.w], x[(ch*c.h+y)*c.w:(ch*c.h+y+1)*c.w])
		}
	}
}

// im2col writes the patches of one padded example xp into cols (H'·W', Cin·K·K).
func (c *Conv) im2col(xp, cols []float32) {
	o := 0
	for i := 0; i < c.ho; i++ {
		for j := 0; j < c.wo; j++ {
			c.gather(xp, i, j, cols[o:o+c.ckk])
			o += c.ckk
		}
	}
}

// gather copies the patch under output (i, j) of the padded example xp
// into patch (Cin·K·K).
func (c *Conv) gather(xp []float32, i, j int, patch []float32) {
	k, o := c.k, 0
	for ch := 0; ch < c.cin; ch++ {
		for u := 0; u < k; u++ {
			r := (ch*c.hp+i*c.stride+u)*c.wp + j*c.stride
			src := xp[r : r+k]
			dst := patch[o : o+k]
			for v := range dst {
				dst[v] = src[v]
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
