package nn

import (
	"fmt"
	"math"
	"math/rand"

	"convlab/engine/tensor"
)

// Net is a chain of layers built from a Spec, followed by a softmax
// cross-entropy loss. It keeps the activations of the last Forward (and
// their gradients after Backward) in buffers that are reused from call to
// call, so a training step allocates nothing once the batch sizes it sees
// have been seen before.
//
// A training step is
//
//	net.ZeroGrad()
//	net.Forward(x, true)            // x (N, C, H, W)
//	loss, correct := net.Loss(labels)
//	net.Backward()
//	// then an optimizer reads net.Params() (see engine/train)
type Net struct {
	Spec   Spec    // the spec the net was built from, default strides filled in
	Layers []Layer // in order; Layers[i] maps act i to act i+1

	// acts[0] is the input of the last Forward; acts[i+1] is the output of
	// Layers[i], shape (N, Layers[i].OutShape()...).
	acts    []*tensor.Tensor
	scores  *tensor.Tensor // (N, K), the last act's values seen as a matrix
	probs   *tensor.Tensor // (N, K), softmax of the last scores
	params  []Param
	classes int
}

// Build checks spec (see Spec.Check) and allocates the network it
// describes, with weights drawn from rng by He initialisation (normal, with
// standard deviation √(2 / fan-in)) layer by layer in order, biases zero,
// batch-norm scales one. The same seed gives bit-identical weights. A nil
// rng leaves every weight zero (for loading saved weights).
func Build(spec Spec, rng *rand.Rand) (*Net, error) {
	p, err := spec.plan()
	if err != nil {
		return nil, err
	}
	n := &Net{Spec: Spec{Input: spec.Input}}
	n.acts = make([]*tensor.Tensor, len(p.layers)+1)
	for i, pl := range p.layers {
		n.Spec.Layers = append(n.Spec.Layers, pl.spec)
		n.Layers = append(n.Layers, newLayer(pl, rng))
		n.acts[i+1] = &tensor.Tensor{Shape: append([]int{0}, pl.out...)}
	}
	n.params = collectParams(n.Layers)
	n.classes = tensor.Size(p.layers[len(p.layers)-1].out)
	n.scores = &tensor.Tensor{Shape: []int{0, n.Classes()}}
	n.probs = &tensor.Tensor{Shape: []int{0, n.Classes()}}
	return n, nil
}

// Classes returns the number of class scores the last layer gives per example.
func (n *Net) Classes() int { return n.classes }

// Forward runs the batch x (N, C, H, W) through every layer and returns the
// class scores (N, K), a buffer of the net's that the next Forward reuses.
// train selects training behaviour (batch statistics in batch norm). If
// x.Grad is not nil, the next Backward writes the input gradient into it.
func (n *Net) Forward(x *tensor.Tensor, train bool) *tensor.Tensor {
	in := n.Spec.Input
	if len(x.Shape) != 4 || x.Shape[1] != in[0] || x.Shape[2] != in[1] || x.Shape[3] != in[2] {
		panic(fmt.Sprintf("nn: the net takes (N, %s) inputs, got %v", tensor.ShapeString(in[:]), x.Shape))
	}
	batch := x.Shape[0]
	n.acts[0] = x
	for i, l := range n.Layers {
		y := n.acts[i+1]
		y.Shape[0] = batch
		y.Data = grow(y.Data, tensor.Size(y.Shape))
		l.Forward(n.acts[i], y, train)
	}
	n.scores.Shape[0] = batch
	n.scores.Data = n.acts[len(n.Layers)].Data
	return n.scores
}

// Loss returns the mean softmax cross-entropy of the scores of the last
// Forward against labels (one per example, each < Classes()) and how many
// examples were classified correctly, and stores the gradient of the loss
// with respect to the scores for Backward and the probabilities for Probs.
func (n *Net) Loss(labels []int) (loss float32, correct int) {
	scores := n.acts[len(n.Layers)]
	if scores.Shape[0] != len(labels) {
		panic(fmt.Sprintf("nn: %d labels for a batch of %d", len(labels), scores.Shape[0]))
	}
	scores.Grad = grow(scores.Grad, len(scores.Data))
	n.setProbs(len(labels))
	return SoftmaxCrossEntropy(scores.Data, n.probs.Data, scores.Grad, labels, n.Classes())
}

func (n *Net) setProbs(batch int) {
	n.probs.Shape[0] = batch
	n.probs.Data = grow(n.probs.Data, batch*n.Classes())
}

// Probs returns the class probabilities (N, K) computed by the last Loss
// or Predict, a buffer of the net's.
func (n *Net) Probs() *tensor.Tensor { return n.probs }

// Predict runs x (N, C, H, W) at inference and returns the class
// probabilities (N, K), a buffer of the net's that the next call reuses.
func (n *Net) Predict(x *tensor.Tensor) *tensor.Tensor {
	scores := n.Forward(x, false)
	n.setProbs(scores.Shape[0])
	Softmax(scores.Data, n.probs.Data, n.Classes())
	return n.probs
}

// Backward propagates the gradient stored by Loss back through every layer,
// accumulating the parameter gradients. The input's gradient is computed
// only if the input given to Forward had Grad allocated.
func (n *Net) Backward() {
	last := len(n.Layers)
	if n.acts[0] == nil || n.acts[last].Grad == nil || len(n.acts[last].Grad) != len(n.acts[last].Data) {
		panic("nn: Backward without Forward and Loss")
	}
	for i := last - 1; i >= 0; i-- {
		if i > 0 {
			n.acts[i].Grad = grow(n.acts[i].Grad, len(n.acts[i].Data))
		}
		n.Layers[i].Backward(n.acts[i], n.acts[i+1])
	}
}

// FirstNonFinite returns the index of the first layer whose output in the
// last Forward holds a NaN or an infinity, or −1 if none does.
func (n *Net) FirstNonFinite() int {
	for i := range n.Layers {
		for _, v := range n.acts[i+1].Data {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return i
			}
		}
	}
	return -1
}

// ZeroGrad sets every parameter gradient to zero.
func (n *Net) ZeroGrad() {
	for _, p := range n.params {
		p.T.ZeroGrad()
	}
}

// Param is one trainable tensor of a net.
type Param struct {
	Layer int            // index into Net.Layers
	Name  string         // "W", "B", "Gamma" or "Beta"
	T     *tensor.Tensor // values and gradient
	Decay bool           // whether L2 weight decay applies: weights yes; biases, scales and shifts no
}

// Params lists the trainable tensors, layer by layer, weights first. The
// slice is the net's own; do not change it.
func (n *Net) Params() []Param { return n.params }

func collectParams(layers []Layer) []Param {
	var ps []Param
	for i, l := range layers {
		switch l := l.(type) {
		case *Conv:
			ps = append(ps, Param{i, "W", l.W, true}, Param{i, "B", l.B, false})
		case *Linear:
			ps = append(ps, Param{i, "W", l.W, true}, Param{i, "B", l.B, false})
		case *BatchNorm:
			ps = append(ps, Param{i, "Gamma", l.Gamma, false}, Param{i, "Beta", l.Beta, false})
		}
	}
	return ps
}

// State lists every tensor that defines what the net computes, in a fixed
// order: the parameters (as Params) and, after the parameters of each
// batch-norm layer, its running mean and variance. Saving and restoring
// these restores the net.
func (n *Net) State() []*tensor.Tensor {
	var ts []*tensor.Tensor
	for _, l := range n.Layers {
		ts = append(ts, l.Params()...)
		if b, ok := l.(*BatchNorm); ok {
			ts = append(ts, b.RunMean, b.RunVar)
		}
	}
	return ts
}

// NumParams returns the number of trainable values.
func (n *Net) NumParams() int {
	total := 0
	for _, p := range n.Params() {
		total += len(p.T.Data)
	}
	return total
}

// Clone returns an independent copy of the net with the same weights and
// running averages (activations and gradients are not copied).
func (n *Net) Clone() *Net {
	c, err := Build(n.Spec, nil)
	if err != nil {
		panic("nn: a built spec no longer builds: " + err.Error())
	}
	src := n.State()
	for i, t := range c.State() {
		copy(t.Data, src[i].Data)
	}
	return c
}

// FirstConv returns the first convolution layer, whose W (Cout, Cin, K, K)
// the page draws as the learned filters, or nil if the net has none.
func (n *Net) FirstConv() *Conv {
	for _, l := range n.Layers {
		if c, ok := l.(*Conv); ok {
			return c
		}
	}
	return nil
}

// Activation is what one layer computed for one example.
type Activation struct {
	Layer string         // the layer's name
	Out   *tensor.Tensor // the layer's output for the example: (C, H, W) or (D)
	// Winners, for a max-pooling layer, holds for each output value the
	// index into the layer's input (C, H, W) that won its window; nil otherwise.
	Winners []int32
}

// Activations runs one example x (C, H, W) through the net at inference
// and returns each layer's output, copied (so they outlive the next
// Forward). The last entry holds the class scores.
func (n *Net) Activations(x *tensor.Tensor) []Activation {
	batch := &tensor.Tensor{Shape: append([]int{1}, x.Shape...), Data: x.Data}
	n.Forward(batch, false)
	acts := make([]Activation, len(n.Layers))
	for i, l := range n.Layers {
		a := n.acts[i+1]
		acts[i] = Activation{Layer: l.Name(), Out: tensor.FromData(append([]float32(nil), a.Data...), l.OutShape()...)}
		if m, ok := l.(*MaxPool); ok {
			acts[i].Winners = append([]int32(nil), m.Winners(0)...)
		}
	}
	return acts
}

// LedgerRow is one line of a net's ledger.
type LedgerRow struct {
	Layer        int    // 1-based position in the spec
	Name         string // e.g. "conv 5x5 x10, pad 2"
	Output       []int  // shape of one example's output: (C, H, W) or (D)
	Weight       []int  // weight shape, e.g. (Cout, Cin, K, K) or (Out, D); (C) for batch norm; nil if none
	Params       int    // trainable values: weights and biases (scales and shifts for batch norm)
	MultiplyAdds int    // per example, forward: Cout·H'·W'·Cin·K·K for conv, Out·D for linear, C·H·W for batch norm, 0 otherwise
}

// Ledger returns the per-layer ledger of the spec without building it;
// the error is Check's.
func (s Spec) Ledger() ([]LedgerRow, error) {
	p, err := s.plan()
	if err != nil {
		return nil, err
	}
	rows := make([]LedgerRow, len(p.layers))
	for i, pl := range p.layers {
		rows[i] = LedgerRow{Layer: i + 1, Name: pl.spec.Describe(), Output: pl.out, Weight: pl.weight,
			Params: pl.params, MultiplyAdds: pl.madds}
	}
	return rows, nil
}

// Ledger returns the net's per-layer ledger: output shape, weight shape,
// parameter count and multiply-adds per example.
func (n *Net) Ledger() []LedgerRow {
	rows, err := n.Spec.Ledger()
	if err != nil {
		panic("nn: a built spec no longer plans: " + err.Error())
	}
	return rows
}
