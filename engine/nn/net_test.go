package nn

import (
	"encoding/json"
	"math"
	"math/rand"
	"reflect"
	"strings"
	"testing"

	"convlab/engine/tensor"
)

// TestLedgerLecture: slide 39's example. A 3x32x32 input and 10 filters of
// 5x5 with stride 1 and pad 2 give 10x32x32; each filter has 3·5·5 = 75
// weights and a bias, 76·10 = 760 parameters; each of the 10·32·32 outputs
// takes 75 multiply-adds, 768,000 in all.
func TestLedgerLecture(t *testing.T) {
	net, err := Build(Spec{Input: [3]int{3, 32, 32}, Layers: []LayerSpec{
		{Type: TypeConv, Filters: 10, Kernel: 5, Stride: 1, Pad: 2},
	}}, rand.New(rand.NewSource(1)))
	if err != nil {
		t.Fatal(err)
	}
	want := []LedgerRow{{Layer: 1, Name: "conv 5x5 x10, pad 2", Output: []int{10, 32, 32}, Weight: []int{10, 3, 5, 5},
		Params: 760, MultiplyAdds: 768000}}
	if got := net.Ledger(); !reflect.DeepEqual(got, want) {
		t.Fatalf("ledger\n%+v\nwant\n%+v", got, want)
	}
	if got := net.NumParams(); got != 760 {
		t.Fatalf("NumParams = %d, want 760", got)
	}
}

// TestLedgerReference: the reference net, worked by hand.
//
//	conv 5x5 x8, pad 2:   8x24x24, 8·(25+1) = 208 params, 8·576·25 = 115,200 multiply-adds
//	maxpool 2:            8x12x12
//	conv 5x5 x16, pad 2: 16x12x12, 16·(200+1) = 3,216 params, 16·144·200 = 460,800
//	maxpool 3:           16x4x4
//	linear 10:           10, 10·(256+1) = 2,570 params, 2,560
func TestLedgerReference(t *testing.T) {
	rows, err := ReferenceSpec().Ledger()
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		name          string
		out           string
		params, madds int
	}
	want := []row{
		{"conv 5x5 x8, pad 2", "8 x 24 x 24", 208, 115200},
		{"relu", "8 x 24 x 24", 0, 0},
		{"maxpool 2x2, stride 2", "8 x 12 x 12", 0, 0},
		{"conv 5x5 x16, pad 2", "16 x 12 x 12", 3216, 460800},
		{"relu", "16 x 12 x 12", 0, 0},
		{"maxpool 3x3, stride 3", "16 x 4 x 4", 0, 0},
		{"linear 10", "10", 2570, 2560},
	}
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d", len(rows), len(want))
	}
	for i, r := range rows {
		got := row{r.Name, tensor.ShapeString(r.Output), r.Params, r.MultiplyAdds}
		if got != want[i] {
			t.Errorf("row %d = %+v, want %+v", i+1, got, want[i])
		}
	}
}

// TestSpecErrors: a spec that cannot work is rejected with a message that
// names the layer and explains the arithmetic.
func TestSpecErrors(t *testing.T) {
	in := [3]int{1, 12, 12}
	tests := []struct {
		layers []LayerSpec
		want   string
	}{
		{[]LayerSpec{{Type: TypeReLU}, {Type: TypeReLU}, {Type: TypeConv, Filters: 4, Kernel: 5, Stride: 2}, {Type: TypeLinear, Out: 2}},
			"layer 3 (conv 5x5 x4, stride 2): (12 − 5 + 0)/2 + 1 = 4.5 is not a whole number: change padding or stride"},
		{[]LayerSpec{{Type: TypeConv, Filters: 2, Kernel: 13}},
			"layer 1 (conv 13x13 x2): (12 − 13 + 0)/1 + 1 is less than 1"},
		{[]LayerSpec{{Type: TypeMaxPool, Size: 5}},
			"layer 1 (maxpool 5x5, stride 5): (12 − 5 + 0)/5 + 1 = 2.4 is not a whole number"},
		{[]LayerSpec{{Type: TypeLinear, Out: 3}, {Type: TypeConv, Filters: 1, Kernel: 1}},
			"layer 2 (conv 1x1 x1): needs a (C, H, W) input, but the previous layer gives 3 values"},
		{[]LayerSpec{{Type: TypeConv, Kernel: 3}}, "layer 1 (conv 3x3 x0): filters 0 must be between 1 and 4096"},
		{[]LayerSpec{{Type: "dropout"}}, `layer 1 (dropout): unknown layer type "dropout"`},
		{[]LayerSpec{{Type: TypeLinear, Out: 1}}, "layer 1 (linear 1) gives 1 value per example: softmax needs at least 2 class scores"},
		{nil, "the spec has no layers"},
	}
	for _, tc := range tests {
		err := Spec{Input: in, Layers: tc.layers}.Check()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %v, want it to contain %q", tc.layers, err, tc.want)
		}
		if _, berr := Build(Spec{Input: in, Layers: tc.layers}, nil); berr == nil {
			t.Errorf("%v: Build accepted what Check rejects", tc.layers)
		}
	}
	if err := (Spec{Input: [3]int{0, 5, 5}, Layers: []LayerSpec{{Type: TypeLinear, Out: 2}}}).Check(); err == nil ||
		!strings.Contains(err.Error(), "input 0 x 5 x 5") {
		t.Errorf("empty input: %v", err)
	}
}

// TestSpecJSON: a spec survives a round trip through JSON, and the
// documented JSON of the reference net is ReferenceSpec.
func TestSpecJSON(t *testing.T) {
	doc := `{"input": [1, 24, 24], "layers": [
	  {"type": "conv", "filters": 8, "kernel": 5, "pad": 2}, {"type": "relu"},
	  {"type": "maxpool", "size": 2, "stride": 2},
	  {"type": "conv", "filters": 16, "kernel": 5, "pad": 2}, {"type": "relu"},
	  {"type": "maxpool", "size": 3, "stride": 3},
	  {"type": "linear", "out": 10}]}`
	var s Spec
	if err := json.Unmarshal([]byte(doc), &s); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(s, ReferenceSpec()) {
		t.Fatalf("decoded %+v, want %+v", s, ReferenceSpec())
	}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var back Spec
	if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(back, s) {
		t.Fatalf("round trip gave %+v, %v", back, err)
	}
}

// TestBuildDeterministic: the same seed gives bit-identical weights, a
// different seed different ones, and He initialisation has the right spread.
func TestBuildDeterministic(t *testing.T) {
	a, _ := Build(ReferenceSpec(), rand.New(rand.NewSource(5)))
	b, _ := Build(ReferenceSpec(), rand.New(rand.NewSource(5)))
	c, _ := Build(ReferenceSpec(), rand.New(rand.NewSource(6)))
	pa, pb, pc := a.Params(), b.Params(), c.Params()
	same := true
	for i := range pa {
		if !reflect.DeepEqual(pa[i].T.Data, pb[i].T.Data) {
			t.Fatalf("param %d differs between two builds with seed 5", i)
		}
		if pa[i].Name == "W" && reflect.DeepEqual(pa[i].T.Data, pc[i].T.Data) {
			same = false
		}
	}
	if !same {
		t.Fatal("seeds 5 and 6 gave the same weights")
	}
	// Second conv: fan-in 8·5·5 = 200, so the weights' standard deviation is √(2/200) = 0.1.
	w := a.Layers[3].(*Conv).W.Data
	var sq float64
	for _, v := range w {
		sq += float64(v) * float64(v)
	}
	if std := math.Sqrt(sq / float64(len(w))); math.Abs(std-0.1) > 0.01 {
		t.Fatalf("He init std %v, want 0.1", std)
	}
}

// TestPoolPictures: max pooling takes the largest of each window and
// remembers where it was; average pooling takes the mean.
func TestPoolPictures(t *testing.T) {
	x := picture(t, `
		1 3 | 2 0
		4 2 | 1 1
		----+----
		0 0 | 5 6
		7 0 | 6 2`)
	mp := buildLayer(t, LayerSpec{Type: TypeMaxPool, Size: 2}, []int{1, 4, 4}, nil).(*MaxPool)
	y := outFor(mp, 1)
	mp.Forward(reshape(x, 1, 1, 4, 4), y, false)
	assertClose(t, "max", y.Data, picture(t, `
		4 2
		7 6`).Data, 0)
	// Winners as (row, column) of the input: 4 at (1, 0), 2 at (0, 2), 7 at (3, 0), 6 at (2, 3).
	if got, want := mp.Winners(0), []int32{1*4 + 0, 0*4 + 2, 3*4 + 0, 2*4 + 3}; !reflect.DeepEqual(got, want) {
		t.Fatalf("winners %v, want %v", got, want)
	}
	// Backward sends each gradient to its winner only.
	y.Grad = []float32{10, 20, 30, 40}
	xb := reshape(x, 1, 1, 4, 4)
	xb.EnsureGrad()
	mp.Backward(xb, y)
	assertClose(t, "max backward", xb.Grad, picture(t, `
		 0  0 | 20  0
		10  0 |  0  0
		------+------
		 0  0 |  0 40
		30  0 |  0  0`).Data, 0)

	ap := buildLayer(t, LayerSpec{Type: TypeAvgPool, Size: 2}, []int{1, 4, 4}, nil)
	ap.Forward(reshape(x, 1, 1, 4, 4), y, false)
	assertClose(t, "mean", y.Data, picture(t, `
		2.5  1
		1.75 4.75`).Data, 0)
}

// TestSoftmaxCrossEntropy: scores (0, ln 2, ln 5) give probabilities
// (1/8, 2/8, 5/8); with label 1 the loss is −ln(1/4) = ln 4 and the
// gradient is p − onehot = (1/8, −6/8, 5/8).
func TestSoftmaxCrossEntropy(t *testing.T) {
	scores := []float32{0, float32(math.Log(2)), float32(math.Log(5))}
	probs := make([]float32, 3)
	d := make([]float32, 3)
	loss, correct := SoftmaxCrossEntropy(scores, probs, d, []int{1}, 3)
	assertClose(t, "probs", probs, []float32{0.125, 0.25, 0.625}, 1e-6)
	assertClose(t, "grad", d, []float32{0.125, -0.75, 0.625}, 1e-6)
	if math.Abs(float64(loss)-math.Log(4)) > 1e-6 || correct != 0 {
		t.Fatalf("loss %v correct %d, want ln 4 = %v and 0", loss, correct, math.Log(4))
	}
	// Huge scores neither overflow nor give NaN.
	loss, correct = SoftmaxCrossEntropy([]float32{1000, -1000}, probs[:2], nil, []int{0}, 2)
	if loss != 0 || correct != 1 {
		t.Fatalf("loss %v correct %d for a confident right answer", loss, correct)
	}
}

// TestBatchNorm: in training the output of each channel has mean Beta and
// standard deviation Gamma over the batch, and the running averages move
// toward the batch statistics; at inference they are used instead.
func TestBatchNorm(t *testing.T) {
	bn := buildLayer(t, LayerSpec{Type: TypeBatchNorm}, []int{2, 1, 2}, nil).(*BatchNorm)
	copy(bn.Gamma.Data, []float32{2, 1})
	copy(bn.Beta.Data, []float32{0, 3})
	// Channel 0 holds 1, 3 | 5, 7 (mean 4, variance 5); channel 1 holds 0, 0 | 0, 4 (mean 1, variance 3).
	x := tensor.FromData([]float32{1, 3, 0, 0, 5, 7, 0, 4}, 2, 2, 1, 2)
	y := outFor(bn, 2)
	bn.Forward(x, y, true)
	s5, s3 := math.Sqrt(5+BatchNormEps), math.Sqrt(3+BatchNormEps)
	want := []float64{2 * -3 / s5, 2 * -1 / s5, 3 - 1/s3, 3 - 1/s3, 2 * 1 / s5, 2 * 3 / s5, 3 - 1/s3, 3 + 3/s3}
	for i := range want {
		if math.Abs(float64(y.Data[i])-want[i]) > 1e-5 {
			t.Fatalf("train y[%d] = %v, want %v", i, y.Data[i], want[i])
		}
	}
	// Running averages: 0.9·0 + 0.1·4 and 0.9·1 + 0.1·(unbiased variance 20/3).
	assertClose(t, "running mean", bn.RunMean.Data, []float32{0.4, 0.1}, 1e-6)
	assertClose(t, "running var", bn.RunVar.Data, []float32{0.9 + 2.0/3, 0.9 + 0.4}, 1e-6)

	bn.Forward(x, y, false)
	for i, v := range x.Data {
		c := (i / 2) % 2
		w := float64(bn.Gamma.Data[c])*(float64(v)-float64(bn.RunMean.Data[c]))/math.Sqrt(float64(bn.RunVar.Data[c])+BatchNormEps) + float64(bn.Beta.Data[c])
		if math.Abs(float64(y.Data[i])-w) > 1e-5 {
			t.Fatalf("inference y[%d] = %v, want %v", i, y.Data[i], w)
		}
	}
}

// TestFoldBatchNorm: after some training steps (so that the running
// averages and scales are not trivial), the folded net computes the same
// scores at inference as the net with its batch-norm layers.
func TestFoldBatchNorm(t *testing.T) {
	spec := Spec{Input: [3]int{2, 6, 6}, Layers: []LayerSpec{
		{Type: TypeConv, Filters: 4, Kernel: 3, Pad: 1}, {Type: TypeBatchNorm}, {Type: TypeReLU},
		{Type: TypeMaxPool, Size: 2},
		{Type: TypeLinear, Out: 5}, {Type: TypeBatchNorm}, {Type: TypeReLU},
		{Type: TypeLinear, Out: 3},
	}}
	rng := rand.New(rand.NewSource(2))
	net, err := Build(spec, rng)
	if err != nil {
		t.Fatal(err)
	}
	for step := 0; step < 20; step++ {
		x := batchOf(rng, 8, spec.Input[:])
		for i := range x.Data {
			x.Data[i] = x.Data[i]*3 + 1
		}
		net.ZeroGrad()
		net.Forward(x, true)
		net.Loss([]int{0, 1, 2, 0, 1, 2, 0, 1})
		net.Backward()
		for _, p := range net.Params() {
			axpy(-0.1, p.T.Grad, p.T.Data)
		}
	}
	folded, err := net.FoldBatchNorm()
	if err != nil {
		t.Fatal(err)
	}
	if len(folded.Layers) != 6 {
		t.Fatalf("folded net has %d layers, want 6", len(folded.Layers))
	}
	x := batchOf(rng, 5, spec.Input[:])
	want := append([]float32(nil), net.Forward(x, false).Data...)
	assertClose(t, "folded scores", folded.Forward(x, false).Data, want, 1e-5)

	bad, _ := Build(Spec{Input: [3]int{1, 4, 4}, Layers: []LayerSpec{
		{Type: TypeConv, Filters: 2, Kernel: 3}, {Type: TypeReLU}, {Type: TypeBatchNorm}, {Type: TypeLinear, Out: 2},
	}}, nil)
	if _, err := bad.FoldBatchNorm(); err == nil || !strings.Contains(err.Error(), "layer 3 (batchnorm) follows layer 2 (relu)") {
		t.Fatalf("fold after relu: %v", err)
	}
}

// TestActivations: the page's view of one example agrees with a batch
// Forward, has per-example shapes, and marks max-pool winners.
func TestActivations(t *testing.T) {
	rng := rand.New(rand.NewSource(4))
	net, _ := Build(ReferenceSpec(), rng)
	x := batchOf(rng, 3, []int{1, 24, 24})
	scores := append([]float32(nil), net.Forward(x, false).Data...)
	one := tensor.FromData(x.Data[24*24:2*24*24], 1, 24, 24)
	acts := net.Activations(one)
	if len(acts) != 7 {
		t.Fatalf("%d activations, want 7", len(acts))
	}
	for i, a := range acts {
		if !tensor.SameShape(a.Out.Shape, net.Layers[i].OutShape()) || a.Layer != net.Layers[i].Name() {
			t.Fatalf("activation %d: %s %v, want %s %v", i, a.Layer, a.Out.Shape, net.Layers[i].Name(), net.Layers[i].OutShape())
		}
	}
	assertClose(t, "scores of example 1", acts[6].Out.Data, scores[10:20], 0)
	pool := acts[2]
	if len(pool.Winners) != 8*12*12 {
		t.Fatalf("%d winners", len(pool.Winners))
	}
	for q, idx := range pool.Winners {
		if acts[1].Out.Data[idx] != pool.Out.Data[q] {
			t.Fatalf("winner %d points at %v, output is %v", q, acts[1].Out.Data[idx], pool.Out.Data[q])
		}
	}
	probs := net.Predict(x)
	var sum float32
	for _, p := range probs.Data[10:20] {
		sum += p
	}
	if math.Abs(float64(sum)-1) > 1e-5 || Argmax(probs.Data[10:20]) != Argmax(scores[10:20]) {
		t.Fatalf("probabilities %v of scores %v", probs.Data[10:20], scores[10:20])
	}
}

// TestNoAllocationPerStep: once a batch size has been seen, a training step
// allocates nothing, even after a forward pass of a different batch size.
func TestNoAllocationPerStep(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	net, _ := Build(ReferenceSpec(), rng)
	x := batchOf(rng, 20, []int{1, 24, 24})
	one := batchOf(rng, 1, []int{1, 24, 24})
	labels := make([]int, 20)
	step := func() {
		net.ZeroGrad()
		net.Forward(x, true)
		net.Loss(labels)
		net.Backward()
		net.Forward(one, false)
	}
	step()
	if a := testing.AllocsPerRun(10, step); a != 0 {
		t.Fatalf("%v allocations per step", a)
	}
}

// TestReLUValues: the branch-free ReLU on the values where bit tricks go
// wrong: both zeros, infinities, NaNs of either sign, the smallest numbers.
func TestReLUValues(t *testing.T) {
	nan := float32(math.NaN())
	negNaN := math.Float32frombits(math.Float32bits(nan) | 1<<31)
	inf := float32(math.Inf(1))
	tiny := math.Float32frombits(1) // the smallest positive subnormal
	in := []float32{1.5, -1.5, 0, float32(math.Copysign(0, -1)), inf, -inf, nan, negNaN, tiny, -tiny, math.MaxFloat32}
	want := []float32{1.5, 0, 0, 0, inf, 0, nan, nan, tiny, 0, math.MaxFloat32}
	got := make([]float32, len(in))
	reluForward(in, got)
	for i := range in {
		if (math.IsNaN(float64(want[i])) != math.IsNaN(float64(got[i]))) || (want[i] == want[i] && math.Float32bits(got[i]) != math.Float32bits(want[i])) {
			t.Errorf("relu(%v) = %v, want %v", in[i], got[i], want[i])
		}
	}
	dy := []float32{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}
	dx := make([]float32, len(in))
	reluBackward(got, dy, dx)
	for i := range dx {
		w := dy[i]
		if got[i] == 0 {
			w = 0
		}
		if dx[i] != w {
			t.Errorf("relu backward at %v: %v, want %v", got[i], dx[i], w)
		}
	}
}

// TestMaxPoolFastMatchesAny: the 2x2 and 3x3 kernels agree with the plain
// loop on values and winners, with many ties (the first in row order wins).
func TestMaxPoolFastMatchesAny(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	for _, size := range []int{2, 3} {
		for trial := 0; trial < 20; trial++ {
			c, h, w := 1+rng.Intn(3), size*(1+rng.Intn(5)), size*(1+rng.Intn(5))
			mp := buildLayer(t, LayerSpec{Type: TypeMaxPool, Size: size}, []int{c, h, w}, nil).(*MaxPool)
			x := tensor.New(2, c, h, w)
			for i := range x.Data {
				x.Data[i] = float32(rng.Intn(7) - 3)
			}
			y := outFor(mp, 2)
			mp.Forward(x, y, false)
			q := len(y.Data) / 2
			for e := 0; e < 2; e++ {
				wantY := make([]float32, q)
				wantW := make([]int32, q)
				mp.forwardAny(x.Data[e*c*h*w:(e+1)*c*h*w], wantY, wantW)
				if !reflect.DeepEqual(y.Data[e*q:(e+1)*q], wantY) || !reflect.DeepEqual(mp.Winners(e), wantW) {
					t.Fatalf("%dx%d pool over %dx%dx%d: fast %v %v, plain %v %v", size, size, c, h, w,
						y.Data[e*q:(e+1)*q], mp.Winners(e), wantY, wantW)
				}
			}
		}
	}
}
