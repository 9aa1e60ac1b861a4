package nn

import (
	"math"

	"convlab/engine/tensor"
)

// BatchNorm normalises each channel to zero mean and unit variance, then
// scales by Gamma and shifts by Beta:
//
//	y = Gamma[c]·(x − μ[c])/√(σ²[c] + Eps) + Beta[c]
//
// In training μ and σ² are the mean and (biased) variance of channel c over
// the batch and the positions (N·H·W values), and the running averages move
// toward them: run ← Momentum·run + (1 − Momentum)·batch, with the unbiased
// variance. At inference μ and σ² are the running averages, so the layer is
// a fixed per-channel a·x + b that FoldBatchNorm can merge into the conv or
// linear layer before it. After a linear layer (input (D)) each of the D
// values is its own channel.
type BatchNorm struct {
	shapes
	Gamma   *tensor.Tensor // (C), trainable, starts at 1
	Beta    *tensor.Tensor // (C), trainable, starts at 0
	RunMean *tensor.Tensor // (C), running average of the batch means, starts at 0
	RunVar  *tensor.Tensor // (C), running average of the batch variances, starts at 1

	c, hw int

	// Cached by a training Forward for Backward:
	xhat   []float32 // (N, C, H, W), the normalised input
	invStd []float32 // (C), 1/√(σ² + Eps) of the batch
}

// Batch-norm constants.
const (
	BatchNormEps      = 1e-5
	BatchNormMomentum = 0.9
)

func newBatchNorm(sh shapes) *BatchNorm {
	c := sh.in[0]
	b := &BatchNorm{shapes: sh, Gamma: param(c), Beta: param(c),
		RunMean: tensor.New(c), RunVar: tensor.New(c),
		c: c, hw: tensor.Size(sh.in) / c}
	for i := 0; i < c; i++ {
		b.Gamma.Data[i] = 1
		b.RunVar.Data[i] = 1
	}
	return b
}

// Params returns Gamma (C) and Beta (C); the running averages are state,
// not parameters (see Net.State).
func (b *BatchNorm) Params() []*tensor.Tensor { return []*tensor.Tensor{b.Gamma, b.Beta} }

// Affine returns the per-channel a (C) and b (C) with which the layer at
// inference computes y = a[c]·x + b[c].
func (b *BatchNorm) Affine() (a, s []float32) {
	a, s = make([]float32, b.c), make([]float32, b.c)
	for c := 0; c < b.c; c++ {
		inv := float32(1 / math.Sqrt(float64(b.RunVar.Data[c])+BatchNormEps))
		a[c] = b.Gamma.Data[c] * inv
		s[c] = b.Beta.Data[c] - b.RunMean.Data[c]*a[c]
	}
	return a, s
}

// Forward normalises x with the batch statistics (train) or the running
// averages (inference).
func (b *BatchNorm) Forward(x, y *tensor.Tensor, train bool) {
	n := b.batch(x, y)
	if !train {
		a, s := b.Affine()
		for e := 0; e < n; e++ {
			for c := 0; c < b.c; c++ {
				off := (e*b.c + c) * b.hw
				ye := y.Data[off : off+b.hw]
				for i, v := range x.Data[off : off+b.hw] {
					ye[i] = a[c]*v + s[c]
				}
			}
		}
		return
	}
	b.xhat = grow(b.xhat, len(x.Data))
	if b.invStd == nil {
		b.invStd = make([]float32, b.c)
	}
	m := float64(n * b.hw)
	for c := 0; c < b.c; c++ {
		var sum, sq float64
		for e := 0; e < n; e++ {
			off := (e*b.c + c) * b.hw
			for _, v := range x.Data[off : off+b.hw] {
				sum += float64(v)
			}
		}
		mean := sum / m
		for e := 0; e < n; e++ {
			off := (e*b.c + c) * b.hw
			for _, v := range x.Data[off : off+b.hw] {
				d := float64(v) - mean
				sq += d * d
			}
		}
		variance := sq / m
		inv := 1 / math.Sqrt(variance+BatchNormEps)
		b.invStd[c] = float32(inv)
		g, bt := b.Gamma.Data[c], b.Beta.Data[c]
		for e := 0; e < n; e++ {
			off := (e*b.c + c) * b.hw
			xh := b.xhat[off : off+b.hw]
			ye := y.Data[off : off+b.hw]
			for i, v := range x.Data[off : off+b.hw] {
				xh[i] = float32((float64(v) - mean) * inv)
				ye[i] = g*xh[i] + bt
			}
		}
		unbiased := variance
		if m > 1 {
			unbiased = sq / (m - 1)
		}
		b.RunMean.Data[c] = float32(BatchNormMomentum*float64(b.RunMean.Data[c]) + (1-BatchNormMomentum)*mean)
		b.RunVar.Data[c] = float32(BatchNormMomentum*float64(b.RunVar.Data[c]) + (1-BatchNormMomentum)*unbiased)
	}
}

// Backward is the gradient of a training Forward (batch statistics):
//
//	dx = (Gamma/√(σ²+Eps))·(dy − mean(dy) − x̂·mean(dy·x̂)),
//	dGamma += Σ dy·x̂,  dBeta += Σ dy,
//
// the means and sums taken over the batch and positions of each channel.
func (b *BatchNorm) Backward(x, y *tensor.Tensor) {
	n := b.batch(x, y)
	if len(b.xhat) != len(x.Data) {
		panic("nn: " + b.Name() + ": Backward without a training Forward of the same batch")
	}
	m := float32(n * b.hw)
	for c := 0; c < b.c; c++ {
		var sdy, sdyx float32
		for e := 0; e < n; e++ {
			off := (e*b.c + c) * b.hw
			xh := b.xhat[off : off+b.hw]
			for i, g := range y.Grad[off : off+b.hw] {
				sdy += g
				sdyx += g * xh[i]
			}
		}
		b.Gamma.Grad[c] += sdyx
		b.Beta.Grad[c] += sdy
		if x.Grad == nil {
			continue
		}
		k := b.Gamma.Data[c] * b.invStd[c]
		mdy, mdyx := sdy/m, sdyx/m
		for e := 0; e < n; e++ {
			off := (e*b.c + c) * b.hw
			xh := b.xhat[off : off+b.hw]
			dx := x.Grad[off : off+b.hw]
			for i, g := range y.Grad[off : off+b.hw] {
				dx[i] = k * (g - mdy - xh[i]*mdyx)
			}
		}
	}
}
