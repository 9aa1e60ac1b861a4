package nn

// The direct convolution kernels for the common stride-1 3x3 and 5x5
// layers. They read the zero-padded input xp (Cin, H+2P, W+2P) in place,
// without patches: two filters at a time slide over four neighbouring
// output columns, so that each row piece x0..x(K+2) of the input is loaded
// once and used for 2·4·K multiply-adds held in eight accumulators.
//
// For output o, row i, column j the sum is taken as in Conv2DNaive,
//
//	y[o][i][j] = (Σ_c Σ_u Σ_v w[o][c][u][v] · xp[c][i+u][j+v]) + b[o]
//
// in increasing c, u, v, one accumulator per output, so the values equal the
// naive reference's (the padding adds zeros the reference skips). The loop
// bodies are the same multiply-add written out for each v and neighbour;
// the kernels cover filters in pairs and columns in fours, and convEdge
// does the outputs left over.

// convDirect computes y (Cout, H', W') from one padded example xp with a
// direct kernel and reports whether it had one for this kernel size and
// stride.
func (c *Conv) convDirect(xp, y []float32) bool {
	if c.stride != 1 {
		return false
	}
	w, b := c.W.Data, c.B.Data
	switch c.k {
	case 3:
		conv3x3s1(xp, w, b, y, c.cin, c.hp, c.wp, c.cout, c.ho, c.wo)
	case 5:
		conv5x5s1(xp, w, b, y, c.cin, c.hp, c.wp, c.cout, c.ho, c.wo)
	default:
		return false
	}
	pairs, fours := c.cout&^1, c.wo&^3
	c.convEdge(xp, y, 0, pairs, fours, c.wo)  // columns right of the last block of four
	c.convEdge(xp, y, pairs, c.cout, 0, c.wo) // an odd last filter
	return true
}

// convEdge computes the outputs of filters o0 ≤ o < o1 in columns
// j0 ≤ j < j1 (all rows) one at a time, in the same order of summation.
func (c *Conv) convEdge(xp, y []float32, o0, o1, j0, j1 int) {
	k, s := c.k, c.stride
	for o := o0; o < o1; o++ {
		wo := c.W.Data[o*c.ckk : (o+1)*c.ckk]
		for i := 0; i < c.ho; i++ {
			for j := j0; j < j1; j++ {
				var sum float32
				for ch := 0; ch < c.cin; ch++ {
					for u := 0; u < k; u++ {
						r := xp[(ch*c.hp+i*s+u)*c.wp+j*s:]
						r = r[:k]
						for v, wv := range wo[(ch*k+u)*k : (ch*k+u+1)*k] {
							sum += wv * r[v]
						}
					}
				}
				y[(o*c.ho+i)*c.wo+j] = sum + c.B.Data[o]
			}
		}
	}
}

// conv3x3s1 computes the outputs o < cout&^1, j < wo&^3 of a stride-1
// 3x3 convolution of one padded example; see convDirect.
func conv3x3s1(xp, w, b, y []float32, cin, hp, wp, cout, ho, wo int) {
	const k = 3
	ckk := cin * k * k
	for o := 0; o+2 <= cout; o += 2 {
		wa := w[o*ckk : (o+1)*ckk]
		wb := w[(o+1)*ckk : (o+2)*ckk]
		ba, bb := b[o], b[o+1]
		for i := 0; i < ho; i++ {
			ya := y[(o*ho+i)*wo : (o*ho+i+1)*wo]
			yb := y[((o+1)*ho+i)*wo : ((o+1)*ho+i+1)*wo]
			for j := 0; j+4 <= wo; j += 4 {
				var a0, a1, a2, a3, b0, b1, b2, b3 float32
				for c := 0; c < cin; c++ {
					for u := 0; u < k; u++ {
						r := xp[(c*hp+i+u)*wp+j:]
						r = r[:6:6]
						q := (c*k + u) * k
						p := wa[q : q+k : q+k]
						s := wb[q : q+k : q+k]
						x0, x1, x2, x3, x4, x5 := r[0], r[1], r[2], r[3], r[4], r[5]
						v := p[0]
						a0 += v * x0
						a1 += v * x1
						a2 += v * x2
						a3 += v * x3
						v = s[0]
						b0 += v * x0
						b1 += v * x1
						b2 += v * x2
						b3 += v * x3
						v = p[1]
						a0 += v * x1
						a1 += v * x2
						a2 += v * x3
						a3 += v * x4
						v = s[1]
						b0 += v * x1
						b1 += v * x2
						b2 += v * x3
						b3 += v * x4
						v = p[2]
						a0 += v * x2
						a1 += v * x3
						a2 += v * x4
						a3 += v * x5
						v = s[2]
						b0 += v * x2
						b1 += v * x3
						b2 += v * x4
						b3 += v * x5
					}
				}
				da := ya[j : j+4 : j+4]
				db := yb[j : j+4 : j+4]
				da[0], da[1], da[2], da[3] = a0+ba, a1+ba, a2+ba, a3+ba
				db[0], db[1], db[2], db[3] = b0+bb, b1+bb, b2+bb, b3+bb
			}
		}
	}
}

// conv5x5s1 computes the outputs o < cout&^1, j < wo&^3 of a stride-1
// 5x5 convolution of one padded example; see convDirect.
func conv5x5s1(xp, w, b, y []float32, cin, hp, wp, cout, ho, wo int) {
	const k = 5
	ckk := cin * k * k
	for o := 0; o+2 <= cout; o += 2 {
		wa := w[o*ckk : (o+1)*ckk]
		wb := w[(o+1)*ckk : (o+2)*ckk]
		ba, bb := b[o], b[o+1]
		for i := 0; i < ho; i++ {
			ya := y[(o*ho+i)*wo : (o*ho+i+1)*wo]
			yb := y[((o+1)*ho+i)*wo : ((o+1)*ho+i+1)*wo]
			for j := 0; j+4 <= wo; j += 4 {
				var a0, a1, a2, a3, b0, b1, b2, b3 float32
				for c := 0; c < cin; c++ {
					for u := 0; u < k; u++ {
						r := xp[(c*hp+i+u)*wp+j:]
						r = r[:8:8]
						q := (c*k + u) * k
						p := wa[q : q+k : q+k]
						s := wb[q : q+k : q+k]
						x0, x1, x2, x3, x4, x5, x6, x7 := r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]
						v := p[0]
						a0 += v * x0
						a1 += v * x1
						a2 += v * x2
						a3 += v * x3
						v = s[0]
						b0 += v * x0
						b1 += v * x1
						b2 += v * x2
						b3 += v * x3
						v = p[1]
						a0 += v * x1
						a1 += v * x2
						a2 += v * x3
						a3 += v * x4
						v = s[1]
						b0 += v * x1
						b1 += v * x2
						b2 += v * x3
						b3 += v * x4
						v = p[2]
						a0 += v * x2
						a1 += v * x3
						a2 += v * x4
						a3 += v * x5
						v = s[2]
						b0 += v * x2
						b1 += v * x3
						b2 += v * x4
						b3 += v * x5
						v = p[3]
						a0 += v * x3
						a1 += v * x4
						a2 += v * x5
						a3 += v * x6
						v = s[3]
						b0 += v * x3
						b1 += v * x4
						b2 += v * x5
						b3 += v * x6
						v = p[4]
						a0 += v * x4
						a1 += v * x5
						a2 += v * x6
						a3 += v * x7
						v = s[4]
						b0 += v * x4
						b1 += v * x5
						b2 += v * x6
						b3 += v * x7
					}
				}
				da := ya[j : j+4 : j+4]
				db := yb[j : j+4 : j+4]
				da[0], da[1], da[2], da[3] = a0+ba, a1+ba, a2+ba, a3+ba
				db[0], db[1], db[2], db[3] = b0+bb, b1+bb, b2+bb, b3+bb
			}
		}
	}
}
