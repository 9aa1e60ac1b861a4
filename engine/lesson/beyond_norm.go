package lesson

import (
	"fmt"
	"math"
	"math/rand"

	"convlab/engine/nn"
	"convlab/engine/tensor"
	"convlab/engine/ui"
)

// Sizes of the batch-norm part: a batch of NormBatch inputs of 1 x 4 x 4
// through a conv layer of NormChannels 3x3 filters gives NormChannels maps
// of NormSide x NormSide per input, which batch norm normalises.
const (
	NormBatch    = 3
	NormChannels = 2
	NormSide     = 2
	normIn       = 4
)

// NormLab is the batch-normalization part of lesson 5: a conv layer and a
// batch-norm layer (nn's) over a small batch. In training mode each
// channel is normalised with the mean and variance of this batch (over the
// examples and positions), then scaled by γ and shifted by β, and the
// running averages move toward the batch's statistics. In test mode the
// running averages are used instead, so the layer is a fixed a·x + b per
// channel, which folds into the conv before it (nn.Net.FoldBatchNorm).
//
// Every output is the engine's: training-mode outputs and the running
// averages they would leave come from a clone of the net, so looking does
// not train; Train runs the net itself.
type NormLab struct {
	net       *nn.Net        // conv 3x3 x2 on 1x4x4, batch norm
	seed      int64          // draws the next batch
	batchSeed int64          // drew the current batch
	batch     *tensor.Tensor // (N, 1, 4, 4)
	test      bool
	steps     int // training batches run

	x       *tensor.Tensor // (N, C, 2, 2): the conv's output
	mean    []float32      // (C): this batch's mean per channel
	vari    []float32      // (C): this batch's (biased) variance per channel
	xhat    *tensor.Tensor // (N, C, 2, 2): normalised with the batch statistics (γ = 1, β = 0)
	xhatRun *tensor.Tensor // (N, C, 2, 2): normalised with the running averages (γ = 1, β = 0)
	yTrain  *tensor.Tensor // (N, C, 2, 2): training-mode output
	yTest   *tensor.Tensor // (N, C, 2, 2): test-mode output
	runMean []float32      // (C): running averages after one training step on this batch
	runVar  []float32      // (C)
	folded  *nn.Net        // the conv with batch norm folded in
	yFold   *tensor.Tensor // (N, C, 2, 2): the folded conv's output
	maxDiff float32        // largest |yTest − yFold|
}

// normFilters are the conv's filters (C, 1, 3, 3) and biases (C): a box sum
// that gives large positive values, and a quarter-scale Sobel x with a
// negative bias that gives small values around −1, so that the two
// channels start far apart.
var (
	normFilters = []float32{
		1, 1, 1, 1, 1, 1, 1, 1, 1,
		-0.25, 0, 0.25, -0.5, 0, 0.5, -0.25, 0, 0.25,
	}
	normBiases = []float32{2, -1}
)

// NewNormLab returns the part in training mode with a first batch drawn
// from seed, the running averages at their start (mean 0, variance 1).
func NewNormLab(seed int64) *NormLab {
	spec := nn.Spec{Input: [3]int{1, normIn, normIn}, Layers: []nn.LayerSpec{
		{Type: nn.TypeConv, Filters: NormChannels, Kernel: 3}, {Type: nn.TypeBatchNorm}}}
	net, err := nn.Build(spec, nil)
	if err != nil {
		panic("lesson: the batch-norm net does not build: " + err.Error())
	}
	n := &NormLab{net: net, seed: seed}
	copy(n.conv().W.Data, normFilters)
	copy(n.conv().B.Data, normBiases)
	n.NewBatch()
	return n
}

func (n *NormLab) conv() *nn.Conv    { return n.net.Layers[0].(*nn.Conv) }
func (n *NormLab) bn() *nn.BatchNorm { return n.net.Layers[1].(*nn.BatchNorm) }

// Batch returns the inputs (N, 1, 4, 4).
func (n *NormLab) Batch() *tensor.Tensor { return n.batch }

// NewBatch draws a new batch of inputs, each value a tenth in 0..1.
func (n *NormLab) NewBatch() {
	n.batchSeed = n.seed
	rng := rand.New(rand.NewSource(n.seed))
	n.seed = rng.Int63()
	n.batch = tensor.New(NormBatch, 1, normIn, normIn)
	for i := range n.batch.Data {
		n.batch.Data[i] = float32(rng.Intn(11)) / 10
	}
	n.compute()
}

// Train runs k training steps, each on the current batch followed by a new
// one: the running averages move toward the batch statistics each time.
func (n *NormLab) Train(k int) {
	for i := 0; i < k; i++ {
		n.net.Forward(n.batch, true)
		n.steps++
		n.NewBatch()
	}
}

// Steps returns how many training batches have run.
func (n *NormLab) Steps() int { return n.steps }

// ResetRunning puts the running averages back to mean 0, variance 1.
func (n *NormLab) ResetRunning() {
	b := n.bn()
	for c := range b.RunMean.Data {
		b.RunMean.Data[c], b.RunVar.Data[c] = 0, 1
	}
	n.steps = 0
	n.compute()
}

// Test reports whether the layer is in test (inference) mode.
func (n *NormLab) Test() bool { return n.test }

// SetTest chooses test mode (running averages) or training mode (batch
// statistics).
func (n *NormLab) SetTest(test bool) { n.test = test }

// compute runs the engine for everything the page shows.
func (n *NormLab) compute() {
	batch := n.batch.Shape[0]
	shape := []int{batch, NormChannels, NormSide, NormSide}
	out := func(t *tensor.Tensor) *tensor.Tensor {
		return tensor.FromData(append([]float32(nil), t.Data...), shape...)
	}
	// Batch norm's input: the conv layer alone.
	x := tensor.New(shape...)
	n.conv().Forward(n.batch, x, false)
	n.x = x
	n.mean, n.vari = channelStats(x)

	train := n.net.Clone()
	n.yTrain = out(train.Forward(n.batch, true))
	tb := train.Layers[1].(*nn.BatchNorm)
	n.runMean = append([]float32(nil), tb.RunMean.Data...)
	n.runVar = append([]float32(nil), tb.RunVar.Data...)

	unit := n.net.Clone()
	ub := unit.Layers[1].(*nn.BatchNorm)
	for c := range ub.Gamma.Data {
		ub.Gamma.Data[c], ub.Beta.Data[c] = 1, 0
	}
	n.xhatRun = out(unit.Forward(n.batch, false))
	n.xhat = out(unit.Forward(n.batch, true))

	n.yTest = out(n.net.Forward(n.batch, false))
	f, err := n.net.FoldBatchNorm()
	if err != nil {
		panic("lesson: the batch norm after a conv does not fold: " + err.Error())
	}
	n.folded = f
	n.yFold = out(f.Forward(n.batch, false))
	n.maxDiff = 0
	for i, v := range n.yFold.Data {
		n.maxDiff = max(n.maxDiff, float32(math.Abs(float64(v-n.yTest.Data[i]))))
	}
}

// channelStats returns the mean and biased variance of each channel of x
// (N, C, H, W) over the batch and positions, in float64 as nn.BatchNorm
// computes them.
func channelStats(x *tensor.Tensor) (mean, variance []float32) {
	nb, c, hw := x.Shape[0], x.Shape[1], x.Shape[2]*x.Shape[3]
	mean, variance = make([]float32, c), make([]float32, c)
	m := float64(nb * hw)
	for ch := 0; ch < c; ch++ {
		var sum, sq float64
		for e := 0; e < nb; e++ {
			for _, v := range x.Data[(e*c+ch)*hw : (e*c+ch+1)*hw] {
				sum += float64(v)
			}
		}
		mu := sum / m
		for e := 0; e < nb; e++ {
			for _, v := range x.Data[(e*c+ch)*hw : (e*c+ch+1)*hw] {
				sq += (float64(v) - mu) * (float64(v) - mu)
			}
		}
		mean[ch], variance[ch] = float32(mu), float32(sq/m)
	}
	return mean, variance
}

// X returns the conv's output for the batch (N, C, 2, 2), batch norm's input.
func (n *NormLab) X() *tensor.Tensor { return n.x }

// Mean and Var return this batch's mean and (biased) variance of channel c.
func (n *NormLab) Mean(c int) float32 { return n.mean[c] }

// Var returns this batch's (biased) variance of channel c.
func (n *NormLab) Var(c int) float32 { return n.vari[c] }

// XHat returns the batch normalised, before γ and β, in the current mode:
// (x − μ)/√(σ² + ε) with the batch's statistics in training mode, the
// running averages in test mode, (N, C, 2, 2).
func (n *NormLab) XHat() *tensor.Tensor {
	if n.test {
		return n.xhatRun
	}
	return n.xhat
}

// Y returns batch norm's output in the current mode (N, C, 2, 2).
func (n *NormLab) Y() *tensor.Tensor {
	if n.test {
		return n.yTest
	}
	return n.yTrain
}

// YTrain and YTest return the output in training and in test mode.
func (n *NormLab) YTrain() *tensor.Tensor { return n.yTrain }

// YTest returns the output in test mode (N, C, 2, 2).
func (n *NormLab) YTest() *tensor.Tensor { return n.yTest }

// Gamma and Beta return channel c's scale and shift.
func (n *NormLab) Gamma(c int) float32 { return n.bn().Gamma.Data[c] }

// Beta returns channel c's shift.
func (n *NormLab) Beta(c int) float32 { return n.bn().Beta.Data[c] }

// Running returns channel c's running mean and variance now.
func (n *NormLab) Running(c int) (mean, variance float32) {
	return n.bn().RunMean.Data[c], n.bn().RunVar.Data[c]
}

// RunningNext returns channel c's running mean and variance after one
// training step on this batch: 0.9·running + 0.1·batch, with the batch's
// unbiased variance.
func (n *NormLab) RunningNext(c int) (mean, variance float32) { return n.runMean[c], n.runVar[c] }

// Affine returns channel c's test-mode scale a = γ/√(running σ² + ε) and
// shift b = β − a·running μ.
func (n *NormLab) Affine(c int) (a, b float32) {
	as, bs := n.bn().Affine()
	return as[c], bs[c]
}

// Filter returns the conv's filter c (3, 3) and bias, as given or, with
// folded set, with batch norm folded in.
func (n *NormLab) Filter(c int, folded bool) (w []float32, b float32) {
	conv := n.conv()
	if folded {
		conv = n.folded.Layers[0].(*nn.Conv)
	}
	return conv.W.Data[c*9 : c*9+9], conv.B.Data[c]
}

// FoldDiff returns the largest difference between the test-mode output and
// the folded conv's output over the batch.
func (n *NormLab) FoldDiff() float32 { return n.maxDiff }

// Folded returns the folded conv's output for the batch (N, C, 2, 2).
func (n *NormLab) Folded() *tensor.Tensor { return n.yFold }

// param returns γ (which 0) or β (which 1) of channel c.
func (n *NormLab) param(c, which int) (*float32, error) {
	if c < 0 || c >= NormChannels || which < 0 || which > 1 {
		return nil, fmt.Errorf("there is no scale or shift (%d, %d)", c, which)
	}
	if which == 0 {
		return &n.bn().Gamma.Data[c], nil
	}
	return &n.bn().Beta.Data[c], nil
}

// Set sets γ (which 0) or β (which 1) of channel c to the number typed; a
// refusal changes nothing.
func (n *NormLab) Set(c, which int, text string) error {
	p, err := n.param(c, which)
	if err != nil {
		return err
	}
	v, err := ui.ParseNumber(text)
	if err != nil {
		return err
	}
	*p = v
	n.compute()
	return nil
}

// Nudge moves γ or β (as Set names them) by steps·WeightStep.
func (n *NormLab) Nudge(c, which, steps int) error {
	p, err := n.param(c, which)
	if err != nil {
		return err
	}
	*p = nudged(*p, float64(steps))
	n.compute()
	return nil
}
