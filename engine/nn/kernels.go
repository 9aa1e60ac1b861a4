package nn

import "math"

// The inner loops of the fast paths. Each re-slices its operands to the
// exact length it reads so that the compiler drops the bounds checks, and
// keeps one accumulator per output so the sums are taken in the same order
// as the naive references.

// gemmBias computes c = a·bᵀ + bias for a (m, kk), b (n, kk), bias (m) and
// c (m, n): c[o·n+p] = Σ_k a[o·kk+k]·b[p·kk+k] + bias[o], each sum taken in
// increasing k. It works in blocks of 4 rows of a by 2 rows of b so that
// each value loaded is used several times.
func gemmBias(m, n, kk int, a, b, bias, c []float32) {
	a = a[:m*kk]
	b = b[:n*kk]
	c = c[:m*n]
	bias = bias[:m]
	o := 0
	for ; o+4 <= m; o += 4 {
		a0 := a[o*kk : o*kk+kk]
		a1 := a[(o+1)*kk : (o+1)*kk+kk]
		a2 := a[(o+2)*kk : (o+2)*kk+kk]
		a3 := a[(o+3)*kk : (o+3)*kk+kk]
		c0 := c[o*n : o*n+n]
		c1 := c[(o+1)*n : (o+1)*n+n]
		c2 := c[(o+2)*n : (o+2)*n+n]
		c3 := c[(o+3)*n : (o+3)*n+n]
		p := 0
		for ; p+2 <= n; p += 2 {
			b0 := b[p*kk : p*kk+kk]
			b1 := b[(p+1)*kk : (p+1)*kk+kk]
			b1 = b1[:len(b0)]
			a0, a1, a2, a3 := a0[:len(b0)], a1[:len(b0)], a2[:len(b0)], a3[:len(b0)]
			var s00, s01, s10, s11, s20, s21, s30, s31 float32
			for k, x0 := range b0 {
				x1 := b1[k]
				w0, w1, w2, w3 := a0[k], a1[k], a2[k], a3[k]
				s00 += w0 * x0
				s01 += w0 * x1
				s10 += w1 * x0
				s11 += w1 * x1
				s20 += w2 * x0
				s21 += w2 * x1
				s30 += w3 * x0
				s31 += w3 * x1
			}
			c0[p], c0[p+1] = s00+bias[o], s01+bias[o]
			c1[p], c1[p+1] = s10+bias[o+1], s11+bias[o+1]
			c2[p], c2[p+1] = s20+bias[o+2], s21+bias[o+2]
			c3[p], c3[p+1] = s30+bias[o+3], s31+bias[o+3]
		}
		for ; p < n; p++ {
			for r := 0; r < 4; r++ {
				c[(o+r)*n+p] = dot(a[(o+r)*kk:(o+r+1)*kk], b[p*kk:(p+1)*kk]) + bias[o+r]
			}
		}
	}
	for ; o < m; o++ {
		for p := 0; p < n; p++ {
			c[o*n+p] = dot(a[o*kk:(o+1)*kk], b[p*kk:(p+1)*kk]) + bias[o]
		}
	}
}

// dot returns Σ_k x[k]·y[k] over len(x) values, summed in increasing k.
func dot(x, y []float32) float32 {
	y = y[:len(x)]
	var s float32
	for k := range x {
		s += x[k] * y[k]
	}
	return s
}

// dot4 returns Σ_k x[k]·y[k] over len(x) values, summed in four
// interleaved partial sums (faster than dot, in a different order).
func dot4(x, y []float32) float32 {
	y = y[:len(x)]
	var s0, s1, s2, s3 float32
	k := 0
	for ; k+4 <= len(x); k += 4 {
		a := x[k : k+4 : k+4]
		b := y[k : k+4 : k+4]
		s0 += a[0] * b[0]
		s1 += a[1] * b[1]
		s2 += a[2] * b[2]
		s3 += a[3] * b[3]
	}
	for ; k < len(x); k++ {
		s0 += x[k] * y[k]
	}
	return (s0 + s1) + (s2 + s3)
}

// axpy adds a·x[k] to y[k] for every k < len(x).
func axpy(a float32, x, y []float32) {
	y = y[:len(x)]
	k := 0
	for ; k+4 <= len(x); k += 4 {
		s := x[k : k+4 : k+4]
		d := y[k : k+4 : k+4]
		d[0] += a * s[0]
		d[1] += a * s[1]
		d[2] += a * s[2]
		d[3] += a * s[3]
	}
	for ; k < len(x); k++ {
		y[k] += a * x[k]
	}
}

// reluForward sets y[i] = max(x[i], 0) for i < len(x) without branches: a
// value whose sign bit is set becomes +0 unless it is a NaN, which passes
// through (as every NaN does) so that the divergence guard sees it.
func reluForward(x, y []float32) {
	y = y[:len(x)]
	i := 0
	for ; i+4 <= len(x); i += 4 {
		s := x[i : i+4 : i+4]
		d := y[i : i+4 : i+4]
		d[0], d[1], d[2], d[3] = relu(s[0]), relu(s[1]), relu(s[2]), relu(s[3])
	}
	for ; i < len(x); i++ {
		y[i] = relu(x[i])
	}
}

func relu(v float32) float32 {
	b := math.Float32bits(v)
	neg := uint32(int32(b) >> 31)               // all ones if the sign bit is set
	nan := -((0x7f800000 - b&0x7fffffff) >> 31) // all ones if v is a NaN
	return math.Float32frombits(b &^ (neg &^ nan))
}

// reluBackward sets dx[i] = dy[i] where y[i] (a ReLU output, so +0 or
// positive) is not zero, and 0 elsewhere, without branches.
func reluBackward(y, dy, dx []float32) {
	dy = dy[:len(y)]
	dx = dx[:len(y)]
	i := 0
	for ; i+4 <= len(y); i += 4 {
		s := y[i : i+4 : i+4]
		g := dy[i : i+4 : i+4]
		d := dx[i : i+4 : i+4]
		d[0], d[1], d[2], d[3] = pass(s[0], g[0]), pass(s[1], g[1]), pass(s[2], g[2]), pass(s[3], g[3])
	}
	for ; i < len(y); i++ {
		dx[i] = pass(y[i], dy[i])
	}
}

// pass returns g if the bits of y are not all zero, else +0.
func pass(y, g float32) float32 {
	b := math.Float32bits(y)
	return math.Float32frombits(math.Float32bits(g) & uint32(int32(b|-b)>>31))
}

// sortKey maps the bits of a float32 to an int32 that orders as the floats
// do (−0 just below +0, NaNs beyond the infinities), so that a running
// maximum compiles to conditional moves instead of unpredictable branches.
// It is its own inverse.
func sortKey(b uint32) int32 { return int32(b) ^ (int32(b) >> 31 & 0x7fffffff) }

// maxPool2 is MaxPool.Forward for one example and 2x2 windows with stride 2:
// x (C, H, W) to y (C, H', W'), recording each winner's index into x.
func maxPool2(x, y []float32, win []int32, c, h, w, ho, wo int) {
	q := 0
	for ch := 0; ch < c; ch++ {
		for i := 0; i < ho; i++ {
			base := (ch*h + 2*i) * w
			r0 := x[base : base+2*wo]
			r1 := x[base+w : base+w+2*wo]
			r1 = r1[:len(r0)]
			out := y[q : q+wo]
			wins := win[q : q+wo]
			for j := range out {
				k := 2 * j
				best, at := sortKey(math.Float32bits(r0[k])), base+k
				if v := sortKey(math.Float32bits(r0[k+1])); v > best {
					best, at = v, base+k+1
				}
				if v := sortKey(math.Float32bits(r1[k])); v > best {
					best, at = v, base+w+k
				}
				if v := sortKey(math.Float32bits(r1[k+1])); v > best {
					best, at = v, base+w+k+1
				}
				out[j] = math.Float32frombits(uint32(sortKey(uint32(best))))
				wins[j] = int32(at)
			}
			q += wo
		}
	}
}

// maxPool3 is maxPool2 for 3x3 windows with stride 3.
func maxPool3(x, y []float32, win []int32, c, h, w, ho, wo int) {
	q := 0
	for ch := 0; ch < c; ch++ {
		for i := 0; i < ho; i++ {
			base := (ch*h + 3*i) * w
			r0 := x[base : base+3*wo]
			r1 := x[base+w : base+w+3*wo]
			r2 := x[base+2*w : base+2*w+3*wo]
			r1 = r1[:len(r0)]
			r2 = r2[:len(r0)]
			out := y[q : q+wo]
			wins := win[q : q+wo]
			for j := range out {
				k := 3 * j
				best, at := sortKey(math.Float32bits(r0[k])), base+k
				if v := sortKey(math.Float32bits(r0[k+1])); v > best {
					best, at = v, base+k+1
				}
				if v := sortKey(math.Float32bits(r0[k+2])); v > best {
					best, at = v, base+k+2
				}
				if v := sortKey(math.Float32bits(r1[k])); v > best {
					best, at = v, base+w+k
				}
				if v := sortKey(math.Float32bits(r1[k+1])); v > best {
					best, at = v, base+w+k+1
				}
				if v := sortKey(math.Float32bits(r1[k+2])); v > best {
					best, at = v, base+w+k+2
				}
				if v := sortKey(math.Float32bits(r2[k])); v > best {
					best, at = v, base+2*w+k
				}
				if v := sortKey(math.Float32bits(r2[k+1])); v > best {
					best, at = v, base+2*w+k+1
				}
				if v := sortKey(math.Float32bits(r2[k+2])); v > best {
					best, at = v, base+2*w+k+2
				}
				out[j] = math.Float32frombits(uint32(sortKey(uint32(best))))
				wins[j] = int32(at)
			}
			q += wo
		}
	}
}
