package nn

import (
	"fmt"
	"math"
	"math/rand"
	"testing"

	"convlab/engine/tensor"
)

// The gradient checks compare each analytic gradient with the central
// difference (L(θ + h) − L(θ − h)) / 2h of a loss accumulated in float64.
const (
	gradStep = 1e-2
	gradRel  = 1e-2 // allowed error relative to the larger of the two gradients
	gradAbs  = 2e-4 // plus this much absolute error (float32 rounding of the loss)
)

// centralDiff returns (L(v + h) − L(v − h)) / 2h for v = vals[i],
// restoring vals[i] afterwards.
func centralDiff(vals []float32, i int, h float64, loss func() float64) float64 {
	old := vals[i]
	vals[i] = old + float32(h)
	up := loss()
	vals[i] = old - float32(h)
	down := loss()
	vals[i] = old
	return (up - down) / (2 * h)
}

func gradOK(analytic, numeric float64) bool {
	return math.Abs(analytic-numeric) <= gradRel*math.Max(math.Abs(analytic), math.Abs(numeric))+gradAbs
}

// checkLayerGrad checks a layer's input and parameter gradients for the
// loss L = Σ r·y with fixed random weights r, whose gradient dL/dy is r.
func checkLayerGrad(t *testing.T, l Layer, x *tensor.Tensor, train bool, rng *rand.Rand) {
	t.Helper()
	n := x.Shape[0]
	y := outFor(l, n)
	r := make([]float32, len(y.Data))
	for i := range r {
		r[i] = float32(rng.NormFloat64())
	}
	loss := func() float64 {
		l.Forward(x, y, train)
		var s float64
		for i, v := range y.Data {
			s += float64(r[i]) * float64(v)
		}
		return s
	}
	loss()
	x.EnsureGrad()
	y.Grad = append([]float32(nil), r...)
	for _, p := range l.Params() {
		p.ZeroGrad()
	}
	l.Backward(x, y)

	check := func(what string, vals, grads []float32) {
		t.Helper()
		grads = append([]float32(nil), grads...) // the probes below run Forward again
		for i := range vals {
			num := centralDiff(vals, i, gradStep, loss)
			if !gradOK(float64(grads[i]), num) {
				t.Fatalf("%s: d/d%s[%d]: analytic %v, central difference %v", l.Name(), what, i, grads[i], num)
			}
		}
	}
	check("x", x.Data, x.Grad)
	for k, p := range l.Params() {
		check(fmt.Sprintf("param%d", k), p.Data, p.Grad)
	}
}

// spread fills x with a shuffle of values 0.05 apart in magnitude and at
// least 0.05 from zero, so that no ReLU or max-pool choice flips under a
// probe of ±gradStep.
func spread(rng *rand.Rand, x *tensor.Tensor) {
	for i, k := range rng.Perm(len(x.Data)) {
		v := 0.05 * float64(k+1)
		if i%2 == 1 {
			v = -v
		}
		x.Data[i] = float32(v)
	}
}

// TestLayerGradients runs the finite-difference check on every layer type.
func TestLayerGradients(t *testing.T) {
	tests := []struct {
		spec  LayerSpec
		in    []int
		train bool
	}{
		{LayerSpec{Type: TypeConv, Filters: 3, Kernel: 3, Pad: 1}, []int{2, 5, 5}, true},
		{LayerSpec{Type: TypeConv, Filters: 2, Kernel: 2, Stride: 2}, []int{3, 6, 4}, true},
		{LayerSpec{Type: TypeConv, Filters: 4, Kernel: 5, Pad: 2, Stride: 3}, []int{1, 7, 7}, true},
		{LayerSpec{Type: TypeReLU}, []int{2, 3, 3}, true},
		{LayerSpec{Type: TypeMaxPool, Size: 2, Stride: 2}, []int{2, 4, 6}, true},
		{LayerSpec{Type: TypeMaxPool, Size: 3, Stride: 2}, []int{1, 7, 5}, true}, // overlapping windows
		{LayerSpec{Type: TypeAvgPool, Size: 2}, []int{2, 4, 4}, true},
		{LayerSpec{Type: TypeAvgPool, Size: 3, Stride: 1}, []int{1, 5, 4}, true},
		{LayerSpec{Type: TypeLinear, Out: 4}, []int{2, 3, 2}, true},
		{LayerSpec{Type: TypeLinear, Out: 3}, []int{5}, true},
		{LayerSpec{Type: TypeFlatten}, []int{2, 2, 3}, true},
		{LayerSpec{Type: TypeBatchNorm}, []int{3, 2, 2}, true},
		{LayerSpec{Type: TypeBatchNorm}, []int{4}, true},
		{LayerSpec{Type: TypeBatchNorm}, []int{2, 3, 1}, false},
	}
	rng := rand.New(rand.NewSource(3))
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%s over %v train=%v", tc.spec.Describe(), tc.in, tc.train), func(t *testing.T) {
			l := buildLayer(t, tc.spec, tc.in, rng)
			for _, p := range l.Params() {
				for i := range p.Data {
					p.Data[i] += float32(rng.NormFloat64() * 0.5)
				}
			}
			if b, ok := l.(*BatchNorm); ok && !tc.train {
				for i := range b.RunMean.Data {
					b.RunMean.Data[i] = float32(rng.NormFloat64())
					b.RunVar.Data[i] = float32(0.5 + rng.Float64())
				}
			}
			x := batchOf(rng, 3, tc.in)
			spread(rng, x)
			b, isBN := l.(*BatchNorm)
			if isBN {
				// Batch statistics over few values: widen them so that a
				// probe is small beside the spread and the central
				// difference stays accurate.
				for i := range x.Data {
					x.Data[i] *= 5
				}
			}
			if isBN && !tc.train {
				checkInferenceBatchNormGrad(t, b, x)
				return
			}
			checkLayerGrad(t, l, x, tc.train, rng)
		})
	}
}

// checkInferenceBatchNormGrad checks that at inference the layer is the
// affine map it claims: y = a[c]·x + b[c], so dy/dx = a[c].
func checkInferenceBatchNormGrad(t *testing.T, b *BatchNorm, x *tensor.Tensor) {
	y := outFor(b, x.Shape[0])
	b.Forward(x, y, false)
	a, s := b.Affine()
	for i, v := range x.Data {
		c := (i / b.hw) % b.c
		g := float64(b.Gamma.Data[c]) / math.Sqrt(float64(b.RunVar.Data[c])+BatchNormEps)
		want := g*(float64(v)-float64(b.RunMean.Data[c])) + float64(b.Beta.Data[c])
		if math.Abs(float64(y.Data[i])-want) > 1e-5*math.Max(1, math.Abs(want)) || math.Abs(float64(a[c])-g) > 1e-6*g {
			t.Fatalf("inference y[%d] = %v (a %v, b %v), want %v (a %v)", i, y.Data[i], a[c], s[c], want, g)
		}
	}
}

// TestNetGradient checks every parameter and the input gradient of a whole
// net with its softmax cross-entropy loss.
func TestNetGradient(t *testing.T) {
	spec := Spec{Input: [3]int{2, 8, 8}, Layers: []LayerSpec{
		{Type: TypeConv, Filters: 3, Kernel: 3, Pad: 1},
		{Type: TypeBatchNorm},
		{Type: TypeReLU},
		{Type: TypeMaxPool, Size: 2},
		{Type: TypeConv, Filters: 4, Kernel: 3, Stride: 1},
		{Type: TypeReLU},
		{Type: TypeAvgPool, Size: 2},
		{Type: TypeFlatten},
		{Type: TypeLinear, Out: 5},
		{Type: TypeReLU},
		{Type: TypeLinear, Out: 3},
	}}
	rng := rand.New(rand.NewSource(11))
	net, err := Build(spec, rng)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range net.Params() {
		if p.Name == "B" {
			for i := range p.T.Data {
				p.T.Data[i] = float32(rng.NormFloat64() * 0.1)
			}
		}
	}
	x := batchOf(rng, 4, spec.Input[:])
	labels := []int{0, 2, 1, 2}
	loss := func() float64 {
		net.Forward(x, true)
		l, _ := net.Loss(labels)
		return float64(l)
	}
	x.EnsureGrad()
	net.ZeroGrad()
	loss()
	net.Backward()

	const h = 1e-3 // small: the probes must not move a ReLU or max-pool choice
	check := func(what string, vals, grads []float32) {
		grads = append([]float32(nil), grads...)
		for i := range vals {
			num := centralDiff(vals, i, h, loss)
			if math.Abs(float64(grads[i])-num) > 2e-2*math.Max(math.Abs(float64(grads[i])), math.Abs(num))+5e-4 {
				t.Errorf("d loss/d %s[%d]: analytic %v, central difference %v", what, i, grads[i], num)
			}
		}
	}
	check("input", x.Data, x.Grad)
	for _, p := range net.Params() {
		check(fmt.Sprintf("layer %d (%s) %s", p.Layer+1, net.Layers[p.Layer].Name(), p.Name), p.T.Data, p.T.Grad)
	}
}
