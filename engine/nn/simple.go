package nn

import (
	"fmt"
	"math/rand"

	"convlab/engine/tensor"
)

// ReLU is the rectified linear unit, y = max(0, x), applied to every value.
type ReLU struct{ shapes }

// Params returns nil: ReLU has no parameters.
func (r *ReLU) Params() []*tensor.Tensor { return nil }

// Forward sets y = max(0, x); a NaN stays NaN.
func (r *ReLU) Forward(x, y *tensor.Tensor, train bool) {
	r.batch(x, y)
	reluForward(x.Data, y.Data)
}

// Backward passes the gradient where the output is positive: dx = dy·[y > 0].
func (r *ReLU) Backward(x, y *tensor.Tensor) {
	r.batch(x, y)
	if x.Grad == nil {
		return
	}
	reluBackward(y.Data, y.Grad, x.Grad)
}

// Flatten reshapes (C, H, W) into (C·H·W); the values keep their order.
type Flatten struct{ shapes }

// Params returns nil: Flatten has no parameters.
func (f *Flatten) Params() []*tensor.Tensor { return nil }

// Forward copies x into y.
func (f *Flatten) Forward(x, y *tensor.Tensor, train bool) {
	f.batch(x, y)
	copy(y.Data, x.Data)
}

// Backward copies dy into dx.
func (f *Flatten) Backward(x, y *tensor.Tensor) {
	f.batch(x, y)
	if x.Grad != nil {
		copy(x.Grad, y.Grad)
	}
}

// Linear is a fully connected layer: y = W·x + b, where x is the input
// flattened to D values in (C, H, W) order.
type Linear struct {
	shapes
	W *tensor.Tensor // (Out, D)
	B *tensor.Tensor // (Out)
}

func newLinear(sh shapes, rng *rand.Rand) *Linear {
	d := tensor.Size(sh.in)
	l := &Linear{shapes: sh, W: param(sh.spec.Out, d), B: param(sh.spec.Out)}
	heInit(l.W.Data, d, rng)
	return l
}

// Params returns W (Out, D) and B (Out).
func (l *Linear) Params() []*tensor.Tensor { return []*tensor.Tensor{l.W, l.B} }

// Forward computes y[n][o] = Σ_d W[o][d]·x[n][d] + b[o].
func (l *Linear) Forward(x, y *tensor.Tensor, train bool) {
	n := l.batch(x, y)
	out, d := l.W.Shape[0], l.W.Shape[1]
	for e := 0; e < n; e++ {
		xe := x.Data[e*d : (e+1)*d]
		ye := y.Data[e*out : (e+1)*out]
		for o := range ye {
			ye[o] = dot4(l.W.Data[o*d:(o+1)*d], xe) + l.B.Data[o]
		}
	}
}

// Backward accumulates dW[o][d] += Σ_n dy[n][o]·x[n][d], db[o] += Σ_n dy[n][o]
// and writes dx[n][d] = Σ_o dy[n][o]·W[o][d].
func (l *Linear) Backward(x, y *tensor.Tensor) {
	n := l.batch(x, y)
	out, d := l.W.Shape[0], l.W.Shape[1]
	for e := 0; e < n; e++ {
		xe := x.Data[e*d : (e+1)*d]
		dy := y.Grad[e*out : (e+1)*out]
		var dx []float32
		if x.Grad != nil {
			dx = x.Grad[e*d : (e+1)*d]
			clear(dx)
		}
		for o, g := range dy {
			if g == 0 {
				continue
			}
			l.B.Grad[o] += g
			axpy(g, xe, l.W.Grad[o*d:(o+1)*d])
			if dx != nil {
				axpy(g, l.W.Data[o*d:(o+1)*d], dx)
			}
		}
	}
}

// MaxPool takes the largest value in each Size x Size window, the windows
// sliding with stride Stride over each channel (no padding). It remembers
// which input won each window, for Backward and for the page to highlight.
type MaxPool struct {
	shapes
	size, stride int
	// winners[e·outLen + q] is the index into example e's input (C, H, W)
	// of the value output q took in the last Forward.
	winners []int32 // (N, C, H', W')
}

func newMaxPool(sh shapes) *MaxPool {
	return &MaxPool{shapes: sh, size: sh.spec.Size, stride: sh.spec.Stride}
}

// Params returns nil: max pooling has no parameters.
func (m *MaxPool) Params() []*tensor.Tensor { return nil }

// Winners returns, for example e of the last Forward, the index into that
// example's input (C, H, W) of the value each output (C, H', W') took; the
// first of equal values wins. The slice is the layer's own and changes with
// the next Forward.
func (m *MaxPool) Winners(e int) []int32 {
	q := tensor.Size(m.out)
	return m.winners[e*q : (e+1)*q]
}

// Forward takes the maximum of each window and records where it was.
func (m *MaxPool) Forward(x, y *tensor.Tensor, train bool) {
	n := m.batch(x, y)
	c, h, w := m.in[0], m.in[1], m.in[2]
	ho, wo := m.out[1], m.out[2]
	inLen, outLen := c*h*w, c*ho*wo
	if cap(m.winners) < n*outLen {
		m.winners = make([]int32, n*outLen)
	}
	m.winners = m.winners[:n*outLen]
	for e := 0; e < n; e++ {
		xe := x.Data[e*inLen : (e+1)*inLen]
		ye := y.Data[e*outLen : (e+1)*outLen]
		win := m.winners[e*outLen : (e+1)*outLen]
		switch {
		case m.size == 2 && m.stride == 2:
			maxPool2(xe, ye, win, c, h, w, ho, wo)
		case m.size == 3 && m.stride == 3:
			maxPool3(xe, ye, win, c, h, w, ho, wo)
		default:
			m.forwardAny(xe, ye, win)
		}
	}
}

// forwardAny is Forward for one example and any window and stride.
func (m *MaxPool) forwardAny(xe, ye []float32, win []int32) {
	c, h, w := m.in[0], m.in[1], m.in[2]
	ho, wo := m.out[1], m.out[2]
	q := 0
	for ch := 0; ch < c; ch++ {
		for i := 0; i < ho; i++ {
			for j := 0; j < wo; j++ {
				best := (ch*h+i*m.stride)*w + j*m.stride
				bv := xe[best]
				for u := 0; u < m.size; u++ {
					row := (ch*h+i*m.stride+u)*w + j*m.stride
					for v, xv := range xe[row : row+m.size] {
						if xv > bv {
							bv, best = xv, row+v
						}
					}
				}
				ye[q], win[q] = bv, int32(best)
				q++
			}
		}
	}
}

// Backward routes each output gradient to the input that won its window
// (adding, where windows overlap); every other input gets zero.
func (m *MaxPool) Backward(x, y *tensor.Tensor) {
	n := m.batch(x, y)
	if x.Grad == nil {
		return
	}
	if len(m.winners) != len(y.Data) {
		panic(fmt.Sprintf("nn: %s: Backward of %v without its Forward", m.Name(), y.Shape))
	}
	inLen, outLen := tensor.Size(m.in), tensor.Size(m.out)
	clear(x.Grad)
	for e := 0; e < n; e++ {
		dx := x.Grad[e*inLen : (e+1)*inLen]
		dy := y.Grad[e*outLen : (e+1)*outLen]
		for q, idx := range m.winners[e*outLen : (e+1)*outLen] {
			dx[idx] += dy[q]
		}
	}
}

// AvgPool takes the mean of each Size x Size window, sliding with stride
// Stride over each channel (no padding).
type AvgPool struct {
	shapes
	size, stride int
}

// Params returns nil: average pooling has no parameters.
func (a *AvgPool) Params() []*tensor.Tensor { return nil }

// Forward takes the mean of each window.
func (a *AvgPool) Forward(x, y *tensor.Tensor, train bool) {
	a.each(x, y, func(xe, ye []float32, q, row int, inv float32) {
		var s float32
		for _, v := range xe[row : row+a.size] {
			s += v
		}
		ye[q] += s * inv
	}, true)
}

// Backward spreads each output gradient evenly over its window.
func (a *AvgPool) Backward(x, y *tensor.Tensor) {
	if x.Grad == nil {
		a.batch(x, y)
		return
	}
	a.each(x, y, func(dx, dy []float32, q, row int, inv float32) {
		g := dy[q] * inv
		for v := range dx[row : row+a.size] {
			dx[row+v] += g
		}
	}, false)
}

// each visits every window row of every example: for output q of an
// example and each of the window's rows starting at input index row, it
// calls f with that example's input and output slices (values on the
// forward pass, gradients on the backward pass), which it clears first.
func (a *AvgPool) each(x, y *tensor.Tensor, f func(in, out []float32, q, row int, inv float32), forward bool) {
	n := a.batch(x, y)
	c, h, w := a.in[0], a.in[1], a.in[2]
	ho, wo := a.out[1], a.out[2]
	inLen, outLen := c*h*w, c*ho*wo
	inv := 1 / float32(a.size*a.size)
	in, out := x.Grad, y.Grad
	if forward {
		in, out = x.Data, y.Data
		clear(out)
	} else {
		clear(in)
	}
	for e := 0; e < n; e++ {
		ie := in[e*inLen : (e+1)*inLen]
		oe := out[e*outLen : (e+1)*outLen]
		q := 0
		for ch := 0; ch < c; ch++ {
			for i := 0; i < ho; i++ {
				for j := 0; j < wo; j++ {
					for u := 0; u < a.size; u++ {
						f(ie, oe, q, (ch*h+i*a.stride+u)*w+j*a.stride, inv)
					}
					q++
				}
			}
		}
	}
}
