package nn

import (
	"fmt"
	"math"

	"convlab/engine/tensor"
)

// Backward accumulates W.Grad and B.Grad and, if x.Grad != nil, writes
// x.Grad, visiting only the outputs whose gradient is non-zero. For each
// such output (o, i, j) with gradient g,
//
//	dB[o] += g,   dW[o][c][u][v] += g · xpad[c][i·S+u][j·S+v],   dxpad[c][i·S+u][j·S+v] += g · W[o][c][u][v].
//
// After ReLU and max pooling most output gradients are zero (three in four
// after 2x2 pooling, eight in nine after 3x3), so this is a fraction of the
// work of the forward pass.
func (c *Conv) Backward(x, y *tensor.Tensor) {
	n := c.batch(x, y)
	padded := c.cin * c.hp * c.wp
	if len(c.xpad) != n*padded {
		panic(fmt.Sprintf("nn: %s: Backward of a batch of %d without its Forward", c.Name(), n))
	}
	hw := c.ho * c.wo
	if c.nzPos == nil {
		c.nzPos, c.nzGrad = make([]int32, c.cout*hw), make([]float32, c.cout*hw)
		c.pFilt, c.pGrad = make([]int32, c.cout*hw), make([]float32, c.cout*hw)
		c.byFilter, c.byPos = make([]int32, c.cout+1), make([]int32, hw+1)
		c.offOf = make([]int32, hw)
		for p := range c.offOf {
			c.offOf[p] = int32(p/c.wo*c.stride*c.wp + p%c.wo*c.stride)
		}
	}
	needDX := x.Grad != nil
	if needDX && c.dxpad == nil {
		c.dxpad = make([]float32, padded)
	}
	in := c.cin * c.h * c.w
	for e := 0; e < n; e++ {
		xp := c.xpad[e*padded : (e+1)*padded]
		c.listByFilter(y.Grad[e*c.cout*hw : (e+1)*c.cout*hw])
		switch c.k {
		case 3:
			c.weightGrad3(xp)
		case 5:
			c.weightGrad5(xp)
		default:
			c.weightGrad(xp)
		}
		if !needDX {
			continue
		}
		c.listByPosition()
		clear(c.dxpad)
		switch c.k {
		case 3:
			c.inputGrad3()
		case 5:
			c.inputGrad5()
		default:
			c.inputGrad()
		}
		c.unpad(c.dxpad, x.Grad[e*in:(e+1)*in])
	}
}

// listByFilter lists the non-zero gradients of dy (Cout, H', W') filter by
// filter and adds them into B.Grad. It skips runs of eight zeros at once.
func (c *Conv) listByFilter(dy []float32) {
	hw := c.ho * c.wo
	q := 0
	add := func(p int, g float32) {
		c.nzPos[q], c.nzGrad[q] = int32(p), g
		q++
	}
	for o := 0; o < c.cout; o++ {
		c.byFilter[o] = int32(q)
		row := dy[o*hw : (o+1)*hw]
		p := 0
		for ; p+8 <= len(row); p += 8 {
			b := row[p : p+8 : p+8]
			bits := math.Float32bits(b[0]) | math.Float32bits(b[1]) | math.Float32bits(b[2]) | math.Float32bits(b[3]) |
				math.Float32bits(b[4]) | math.Float32bits(b[5]) | math.Float32bits(b[6]) | math.Float32bits(b[7])
			if bits<<1 == 0 { // all eight are +0 or −0
				continue
			}
			for i, g := range b {
				if g != 0 {
					add(p+i, g)
				}
			}
		}
		for ; p < len(row); p++ {
			if row[p] != 0 {
				add(p, row[p])
			}
		}
		var sum float32
		for _, g := range c.nzGrad[c.byFilter[o]:q] {
			sum += g
		}
		c.B.Grad[o] += sum
	}
	c.byFilter[c.cout] = int32(q)
}

// listByPosition sorts the filter lists by position (a counting sort,
// keeping the filters of each position in increasing order).
func (c *Conv) listByPosition() {
	hw := c.ho * c.wo
	starts := c.byPos[:hw+1]
	clear(starts)
	nz := int(c.byFilter[c.cout])
	for _, p := range c.nzPos[:nz] {
		starts[p+1]++
	}
	for p := 1; p <= hw; p++ {
		starts[p] += starts[p-1]
	}
	// Fill each bucket, using starts[p] as its cursor; afterwards
	// starts[p] is where bucket p+1 begins, so shift back by one.
	for o := 0; o < c.cout; o++ {
		for q := c.byFilter[o]; q < c.byFilter[o+1]; q++ {
			p := c.nzPos[q]
			t := starts[p]
			c.pFilt[t], c.pGrad[t] = int32(o), c.nzGrad[q]
			starts[p]++
		}
	}
	copy(starts[1:], starts[:hw])
	starts[0] = 0
}

// weightGrad adds the weight gradient of every listed output of one padded
// example xp (Cin, H+2P, W+2P) into W.Grad, a row of K at a time.
func (c *Conv) weightGrad(xp []float32) {
	k := c.k
	for o := 0; o < c.cout; o++ {
		dw := c.W.Grad[o*c.ckk : (o+1)*c.ckk]
		for q := c.byFilter[o]; q < c.byFilter[o+1]; q++ {
			g, off := c.nzGrad[q], int(c.offOf[c.nzPos[q]])
			for ch := 0; ch < c.cin; ch++ {
				for u := 0; u < k; u++ {
					b := (ch*c.hp+u)*c.wp + off
					axpy(g, xp[b:b+k], dw[(ch*k+u)*k:(ch*k+u+1)*k])
				}
			}
		}
	}
}

// inputGrad adds, for every listed output, its filter's weights times its
// gradient into c.dxpad, a row of K at a time.
func (c *Conv) inputGrad() {
	k := c.k
	for p := 0; p < c.ho*c.wo; p++ {
		off := int(c.offOf[p])
		for q := c.byPos[p]; q < c.byPos[p+1]; q++ {
			g, wo := c.pGrad[q], c.W.Data[int(c.pFilt[q])*c.ckk:]
			for ch := 0; ch < c.cin; ch++ {
				for u := 0; u < k; u++ {
					b := (ch*c.hp+u)*c.wp + off
					axpy(g, wo[(ch*k+u)*k:(ch*k+u+1)*k], c.dxpad[b:b+k])
				}
			}
		}
	}
}

// The 3x3 and 5x5 versions below write out the K x K block of each input
// channel so that each loop turn does K·K multiply-adds.

// weightGrad3 is weightGrad for 3x3 filters: one 3x3 block of
// multiply-adds per listed output and input channel.
func (c *Conv) weightGrad3(xp []float32) {
	const kk = 9
	wp := c.wp
	for o := 0; o < c.cout; o++ {
		pos := c.nzPos[c.byFilter[o]:c.byFilter[o+1]]
		grads := c.nzGrad[c.byFilter[o]:c.byFilter[o+1]]
		grads = grads[:len(pos)]
		dw := c.W.Grad[o*c.ckk : (o+1)*c.ckk]
		for q, p := range pos {
			g, off := grads[q], int(c.offOf[p])
			for ch := 0; ch < c.cin; ch++ {
				d := dw[ch*kk : ch*kk+kk : ch*kk+kk]
				b := ch*c.hp*wp + off
				r0 := xp[b : b+3 : b+3]
				b += wp
				r1 := xp[b : b+3 : b+3]
				b += wp
				r2 := xp[b : b+3 : b+3]
				d[0] += g * r0[0]
				d[1] += g * r0[1]
				d[2] += g * r0[2]
				d[3] += g * r1[0]
				d[4] += g * r1[1]
				d[5] += g * r1[2]
				d[6] += g * r2[0]
				d[7] += g * r2[1]
				d[8] += g * r2[2]
			}
		}
	}
}

// weightGrad5 is weightGrad for 5x5 filters: one 5x5 block of
// multiply-adds per listed output and input channel.
func (c *Conv) weightGrad5(xp []float32) {
	const kk = 25
	wp := c.wp
	for o := 0; o < c.cout; o++ {
		pos := c.nzPos[c.byFilter[o]:c.byFilter[o+1]]
		grads := c.nzGrad[c.byFilter[o]:c.byFilter[o+1]]
		grads = grads[:len(pos)]
		dw := c.W.Grad[o*c.ckk : (o+1)*c.ckk]
		for q, p := range pos {
			g, off := grads[q], int(c.offOf[p])
			for ch := 0; ch < c.cin; ch++ {
				d := dw[ch*kk : ch*kk+kk : ch*kk+kk]
				b := ch*c.hp*wp + off
				r0 := xp[b : b+5 : b+5]
				b += wp
				r1 := xp[b : b+5 : b+5]
				b += wp
				r2 := xp[b : b+5 : b+5]
				b += wp
				r3 := xp[b : b+5 : b+5]
				b += wp
				r4 := xp[b : b+5 : b+5]
				d[0] += g * r0[0]
				d[1] += g * r0[1]
				d[2] += g * r0[2]
				d[3] += g * r0[3]
				d[4] += g * r0[4]
				d[5] += g * r1[0]
				d[6] += g * r1[1]
				d[7] += g * r1[2]
				d[8] += g * r1[3]
				d[9] += g * r1[4]
				d[10] += g * r2[0]
				d[11] += g * r2[1]
				d[12] += g * r2[2]
				d[13] += g * r2[3]
				d[14] += g * r2[4]
				d[15] += g * r3[0]
				d[16] += g * r3[1]
				d[17] += g * r3[2]
				d[18] += g * r3[3]
				d[19] += g * r3[4]
				d[20] += g * r4[0]
				d[21] += g * r4[1]
				d[22] += g * r4[2]
				d[23] += g * r4[3]
				d[24] += g * r4[4]
			}
		}
	}
}

// inputGrad3 is inputGrad for 3x3 filters: one 3x3 block of
// multiply-adds per listed output and input channel.
func (c *Conv) inputGrad3() {
	const kk = 9
	wp, dx := c.wp, c.dxpad
	for p := 0; p < c.ho*c.wo; p++ {
		filt := c.pFilt[c.byPos[p]:c.byPos[p+1]]
		grads := c.pGrad[c.byPos[p]:c.byPos[p+1]]
		grads = grads[:len(filt)]
		off := int(c.offOf[p])
		for q, o := range filt {
			g := grads[q]
			wo := c.W.Data[int(o)*c.ckk : int(o+1)*c.ckk]
			for ch := 0; ch < c.cin; ch++ {
				s := wo[ch*kk : ch*kk+kk : ch*kk+kk]
				b := ch*c.hp*wp + off
				r0 := dx[b : b+3 : b+3]
				b += wp
				r1 := dx[b : b+3 : b+3]
				b += wp
				r2 := dx[b : b+3 : b+3]
				r0[0] += g * s[0]
				r0[1] += g * s[1]
				r0[2] += g * s[2]
				r1[0] += g * s[3]
				r1[1] += g * s[4]
				r1[2] += g * s[5]
				r2[0] += g * s[6]
				r2[1] += g * s[7]
				r2[2] += g * s[8]
			}
		}
	}
}

// inputGrad5 is inputGrad for 5x5 filters: one 5x5 block of
// multiply-adds per listed output and input channel.
func (c *Conv) inputGrad5() {
	const kk = 25
	wp, dx := c.wp, c.dxpad
	for p := 0; p < c.ho*c.wo; p++ {
		filt := c.pFilt[c.byPos[p]:c.byPos[p+1]]
		grads := c.pGrad[c.byPos[p]:c.byPos[p+1]]
		grads = grads[:len(filt)]
		off := int(c.offOf[p])
		for q, o := range filt {
			g := grads[q]
			wo := c.W.Data[int(o)*c.ckk : int(o+1)*c.ckk]
			for ch := 0; ch < c.cin; ch++ {
				s := wo[ch*kk : ch*kk+kk : ch*kk+kk]
				b := ch*c.hp*wp + off
				r0 := dx[b : b+5 : b+5]
				b += wp
				r1 := dx[b : b+5 : b+5]
				b += wp
				r2 := dx[b : b+5 : b+5]
				b += wp
				r3 := dx[b : b+5 : b+5]
				b += wp
				r4 := dx[b : b+5 : b+5]
				r0[0] += g * s[0]
				r0[1] += g * s[1]
				r0[2] += g * s[2]
				r0[3] += g * s[3]
				r0[4] += g * s[4]
				r1[0] += g * s[5]
				r1[1] += g * s[6]
				r1[2] += g * s[7]
				r1[3] += g * s[8]
				r1[4] += g * s[9]
				r2[0] += g * s[10]
				r2[1] += g * s[11]
				r2[2] += g * s[12]
				r2[3] += g * s[13]
				r2[4] += g * s[14]
				r3[0] += g * s[15]
				r3[1] += g * s[16]
				r3[2] += g * s[17]
				r3[3] += g * s[18]
				r3[4] += g * s[19]
				r4[0] += g * s[20]
				r4[1] += g * s[21]
				r4[2] += g * s[22]
				r4[3] += g * s[23]
				r4[4] += g * s[24]
			}
		}
	}
}
