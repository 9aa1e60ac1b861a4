package nn

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
			var s00, s01, s10, s11, s20, s21, s30, s31 float32
			for k := 0; k < len(b0); k++ {
				x0, x1 := b0[k], b1[k]
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

// axpy adds a·x[k] to y[k] for every k < len(x).
func axpy(a float32, x, y []float32) {
	y = y[:len(x)]
	for k := range x {
		y[k] += a * x[k]
	}
}

// scale sets y[k] = a·x[k] for every k < len(x).
func scale(a float32, x, y []float32) {
	y = y[:len(x)]
	for k := range x {
		y[k] = a * x[k]
	}
}
