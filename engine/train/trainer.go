package train

import (
	"errors"
	"fmt"
	"math"
	"math/rand"
	"time"

	"convlab/engine/nn"
	"convlab/engine/tensor"
)

// Trainer trains a net on a source, a minibatch per step, with the
// hyperparameters in Hyper (which may change between steps). It is meant to
// be given a slice of each frame: Run takes steps until a Budget is spent.
// Nothing is allocated per step once the batch size has been seen.
type Trainer struct {
	Net   *nn.Net
	Src   Source
	Hyper Hyper
	// Clock tells the time for Budget.Until and the examples-per-second
	// figure; New sets it to time.Now, tests replace it.
	Clock func() time.Time

	stats Stats
	opt   optimizer
	rng   *rand.Rand // draws the example order and the training views
	seed  int64      // the seed rng was made from
	order []int      // a permutation of the examples, walked through in turn
	next  int        // position in order

	x      *tensor.Tensor // (Batch, C, H, W), the minibatch
	labels []int          // (Batch)

	// The divergence guard keeps the net's state (nn.Net.State) as it was
	// at the start of the last calm step that passed its checks (good),
	// with the statistics of that moment (goodStats), and at the start of
	// the current step (pending).
	good, pending [][]float32
	goodStep      int              // the step whose starting state good holds
	goodStats     Stats            // stats before goodStep
	state         []*tensor.Tensor // Net.State() of stateNet
	stateNet      *nn.Net
}

// Stats are a trainer's running statistics.
type Stats struct {
	Steps    int // steps taken
	Examples int // training examples seen (Steps·Batch when the batch size is fixed)
	// Loss is the mean minibatch loss, smoothed: the plain mean over the
	// first 50 steps, then an exponential average with weight 1/50 on each
	// new minibatch. LastLoss is the last minibatch's loss alone.
	Loss, LastLoss float64
	// Accuracy is the fraction of training examples classified correctly,
	// smoothed like Loss (measured before each step's update).
	Accuracy float64
	// ExamplesPerSecond is the training rate of the last Run, measured
	// with Clock; TrainTime adds up the Clock time of every Run.
	ExamplesPerSecond float64
	TrainTime         time.Duration
}

// smoothing is the number of steps over which Loss and Accuracy average.
const smoothing = 50

// New returns a trainer of net on src with hyperparameters h. The source's
// example shape must be the net's input shape and its classes must fit the
// net's class scores.
func New(net *nn.Net, src Source, h Hyper) (*Trainer, error) {
	if err := h.Check(); err != nil {
		return nil, err
	}
	if src == nil || src.Len() == 0 {
		return nil, errors.New("train: the source has no examples")
	}
	if src.Shape() != net.Spec.Input {
		return nil, fmt.Errorf("train: the source gives %s examples, the net takes %s",
			tensor.ShapeString(sliceOf(src.Shape())), tensor.ShapeString(sliceOf(net.Spec.Input)))
	}
	if src.Classes() > net.Classes() {
		return nil, fmt.Errorf("train: the source has %d classes, the net gives only %d scores", src.Classes(), net.Classes())
	}
	t := &Trainer{Net: net, Src: src, Hyper: h, Clock: time.Now}
	t.reseed()
	return t, nil
}

func sliceOf(s [3]int) []int { return s[:] }

// reseed starts the example order afresh from Hyper.Seed.
func (t *Trainer) reseed() {
	t.seed = t.Hyper.Seed
	t.rng = rand.New(rand.NewSource(t.seed))
	if len(t.order) != t.Src.Len() {
		t.order = make([]int, t.Src.Len())
	}
	for i := range t.order {
		t.order[i] = i
	}
	t.next = len(t.order) // shuffle before the first draw
}

// Stats returns the running statistics.
func (t *Trainer) Stats() Stats { return t.stats }

// Resume sets the step and example counts and the smoothed loss and
// accuracy, for a net whose weights were trained before (restored from a
// save): the statistics go on from them. Counts below zero and figures
// that are not finite, or an accuracy outside [0, 1], are refused.
func (t *Trainer) Resume(st Stats) error {
	switch {
	case st.Steps < 0 || st.Examples < 0:
		return fmt.Errorf("train: %d steps and %d examples cannot be resumed: counts are never negative", st.Steps, st.Examples)
	case bad(float32(st.Loss)) || st.Loss < 0:
		return fmt.Errorf("train: a loss of %v cannot be resumed", st.Loss)
	case math.IsNaN(st.Accuracy) || st.Accuracy < 0 || st.Accuracy > 1:
		return fmt.Errorf("train: an accuracy of %v cannot be resumed", st.Accuracy)
	}
	t.stats.Steps, t.stats.Examples = st.Steps, st.Examples
	t.stats.Loss, t.stats.LastLoss, t.stats.Accuracy = st.Loss, st.Loss, st.Accuracy
	return nil
}

// Budget bounds the work of one Run. Zero fields set no limit, but at
// least one must be set. Run stops before the first step that would start
// at or after Until (so an Until already past takes no step), after Steps
// steps, or once Examples examples have been seen, whichever comes first.
type Budget struct {
	Until    time.Time
	Steps    int
	Examples int
}

// Run takes steps until the budget is spent or a step fails, and returns
// the statistics. A *DivergenceError stops the run with the net restored;
// a later Run continues from there (after, say, a smaller learning rate).
func (t *Trainer) Run(b Budget) (Stats, error) {
	if b.Until.IsZero() && b.Steps <= 0 && b.Examples <= 0 {
		return t.stats, errors.New("train: an empty budget would never end; set Until, Steps or Examples")
	}
	start := t.Clock()
	steps, examples := 0, 0
	var err error
	for (b.Steps <= 0 || steps < b.Steps) && (b.Examples <= 0 || examples < b.Examples) {
		if !b.Until.IsZero() && !t.Clock().Before(b.Until) {
			break
		}
		if err = t.Step(); err != nil {
			break
		}
		steps++
		examples += t.Hyper.Batch
	}
	elapsed := t.Clock().Sub(start)
	t.stats.TrainTime += elapsed
	if steps > 0 && elapsed > 0 {
		t.stats.ExamplesPerSecond = float64(examples) / elapsed.Seconds()
	}
	return t.stats, err
}

// Pass trains one pass over the source (Len/Batch steps of the current
// batch size) and then evaluates the net on test.
func (t *Trainer) Pass(test Source) (Stats, Eval, error) {
	st, err := t.Run(Budget{Steps: max(t.Src.Len()/t.Hyper.Batch, 1)})
	if err != nil {
		return st, Eval{}, err
	}
	ev, err := Evaluate(t.Net, test)
	return st, ev, err
}

// ExplodedLoss is the mean minibatch loss above which a step counts as
// diverged although the loss is finite. A cross-entropy loss of L means
// the right class got probability e^−L on average: a net that learns never
// comes near e^−100 (guessing among 10 classes scores ln 10 ≈ 2.3), only
// one whose weights have blown up.
const ExplodedLoss = 100

// calm reports whether a step's loss is in line with the smoothed loss
// before it: at most twice it, plus one. Only the state at the start of a
// calm step is kept as good, so a divergence never restores weights that
// a huge update has already wrecked but not yet made infinite (their loss
// jumps first: 0.13 then 674, say, before any NaN).
func calm(loss float32, st Stats) bool {
	return float64(loss) < ExplodedLoss && (st.Steps == 0 || float64(loss) <= 2*st.Loss+1)
}

// Step trains on one minibatch: draw, forward, loss, backward, check,
// update, check. If the loss, a gradient or (after the update) a weight is
// NaN or infinite, or the loss is above ExplodedLoss, it restores the
// net's state and the loss and accuracy statistics from the start of the
// last good step (the last whose loss was calm and whose checks passed),
// forgets the optimizer's running averages and returns a *DivergenceError.
func (t *Trainer) Step() error {
	h := t.Hyper
	if err := h.Check(); err != nil {
		return err
	}
	if h.Seed != t.seed {
		t.reseed()
	}
	t.fill(h.Batch)
	step := t.stats.Steps + 1
	t.pending = snapshot(t.pending, t.netState())

	net := t.Net
	net.ZeroGrad()
	net.Forward(t.x, true)
	loss, correct := net.Loss(t.labels)
	if bad(loss) || loss > ExplodedLoss {
		e := &DivergenceError{Step: step, What: "loss", Value: loss, Guess: math.Log(float64(net.Classes()))}
		if i := net.FirstNonFinite(); i >= 0 {
			e.Layer, e.LayerName = i+1, net.Layers[i].Name()
		} else if i, ratio := t.mostChanged(); i >= 0 {
			e.Layer, e.LayerName, e.Changed = i+1, net.Layers[i].Name(), ratio
		}
		return t.diverged(e)
	}
	net.Backward()
	if e := t.check(net, step, true); e != nil {
		return t.diverged(e)
	}
	if calm(loss, t.stats) || t.good == nil {
		t.good, t.pending = t.pending, t.good
		t.goodStep, t.goodStats = step, t.stats
	}
	t.opt.step(net.Params(), h)
	if e := t.check(net, step, false); e != nil {
		return t.diverged(e)
	}

	t.stats.Steps = step
	t.stats.Examples += h.Batch
	t.stats.LastLoss = float64(loss)
	w := 1 / math.Min(float64(step), smoothing)
	t.stats.Loss += w * (float64(loss) - t.stats.Loss)
	t.stats.Accuracy += w * (float64(correct)/float64(h.Batch) - t.stats.Accuracy)
	return nil
}

// fill draws the next n examples (in a shuffled order, reshuffled after
// each pass) into the minibatch buffers.
func (t *Trainer) fill(n int) {
	sh := t.Src.Shape()
	per := sh[0] * sh[1] * sh[2]
	if t.x == nil || t.x.Shape[0] != n {
		t.x = tensor.New(n, sh[0], sh[1], sh[2])
		t.labels = make([]int, n)
	}
	for e := 0; e < n; e++ {
		if t.next == len(t.order) {
			t.rng.Shuffle(len(t.order), func(i, j int) { t.order[i], t.order[j] = t.order[j], t.order[i] })
			t.next = 0
		}
		t.labels[e] = t.Src.Example(t.order[t.next], t.x.Data[e*per:(e+1)*per], t.rng)
		t.next++
	}
}

// check looks for a NaN or infinity in every parameter's gradient
// (grads) or values, and names the first it finds.
func (t *Trainer) check(net *nn.Net, step int, grads bool) *DivergenceError {
	for _, p := range net.Params() {
		vals := p.T.Data
		if grads {
			vals = p.T.Grad
		}
		for _, v := range vals {
			if bad(v) {
				what := p.Name
				if grads {
					what = "gradient of " + p.Name
				}
				return &DivergenceError{Step: step, Layer: p.Layer + 1, LayerName: net.Layers[p.Layer].Name(), What: what, Value: v}
			}
		}
	}
	return nil
}

// mostChanged returns the layer whose parameters moved furthest since the
// good state, relative to their size (‖w − w_good‖ / ‖w_good‖), and that
// ratio; -1 when there is no good state.
func (t *Trainer) mostChanged() (int, float64) {
	if t.good == nil {
		return -1, 0
	}
	moved := map[int][2]float64{} // layer: squared distance, squared size
	for i, s := range t.netState() {
		layer := -1
		for _, p := range t.Net.Params() {
			if p.T == s {
				layer = p.Layer
			}
		}
		if layer < 0 {
			continue // a batch-norm running average
		}
		m := moved[layer]
		for j, v := range s.Data {
			d := float64(v) - float64(t.good[i][j])
			m[0] += d * d
			m[1] += float64(t.good[i][j]) * float64(t.good[i][j])
		}
		moved[layer] = m
	}
	best, ratio := -1, 0.0
	for layer, m := range moved {
		r := math.Sqrt(m[0] / math.Max(m[1], 1e-30))
		if r > ratio || (r == ratio && layer < best) {
			best, ratio = layer, r
		}
	}
	return best, ratio
}

// diverged restores the last good state and statistics, resets the
// optimizer and returns e.
func (t *Trainer) diverged(e *DivergenceError) error {
	if t.good == nil {
		// No step has passed yet: the state at the start of this step is
		// the only one there is.
		for i, s := range t.netState() {
			copy(s.Data, t.pending[i])
		}
		t.opt.reset()
		e.Restored = e.Step
		return e
	}
	e.Restored = t.Restore()
	return e
}

// Restore does to the net what a divergence does: it puts back the state
// and the loss and accuracy statistics from the start of the last good
// step and forgets the optimizer's running averages. It returns that step,
// or 0 (changing nothing) when no step has passed on this net. A caller
// training several nets at one rate restores the others with it when one
// diverges: their last steps took the same rate.
func (t *Trainer) Restore() int {
	if t.good == nil || t.stateNet != t.Net {
		return 0
	}
	for i, s := range t.netState() {
		copy(s.Data, t.good[i])
	}
	t.stats.Loss, t.stats.LastLoss, t.stats.Accuracy = t.goodStats.Loss, t.goodStats.LastLoss, t.goodStats.Accuracy
	t.opt.reset()
	return t.goodStep
}

// netState returns Net.State(), kept while Net stays the same net.
func (t *Trainer) netState() []*tensor.Tensor {
	if t.stateNet != t.Net {
		t.state, t.stateNet = t.Net.State(), t.Net
		t.good = nil
	}
	return t.state
}

// snapshot copies the values of state into buf, reusing its storage.
func snapshot(buf [][]float32, state []*tensor.Tensor) [][]float32 {
	if len(buf) != len(state) {
		buf = make([][]float32, len(state))
	}
	for i, s := range state {
		if len(buf[i]) != len(s.Data) {
			buf[i] = make([]float32, len(s.Data))
		}
		copy(buf[i], s.Data)
	}
	return buf
}

func bad(v float32) bool { return math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) }

// DivergenceError reports a NaN or infinity met during a training step,
// or a loss above ExplodedLoss.
type DivergenceError struct {
	Step int // the step (1-based) that failed
	// Layer is the 1-based layer whose parameter went bad or, for the
	// loss, the first layer whose output held a NaN or infinity or, when
	// the loss is finite but exploded, the layer whose weights moved
	// furthest since the restored step (0 if none is known).
	Layer     int
	LayerName string  // e.g. "conv 5x5 x16, pad 2"
	What      string  // "loss", "gradient of W", "W", ...
	Value     float32 // the bad value
	Restored  int     // the net holds its state from the start of this step
	// Changed is, for an exploded finite loss, how far Layer's weights
	// had moved since the restored step, in multiples of their size.
	Changed float64
	// Guess is the loss of guessing every class alike: ln(classes).
	Guess float64
}

func (e *DivergenceError) Error() string {
	var where string
	switch {
	case e.What == "loss" && !bad(e.Value) && e.Layer > 0:
		where = fmt.Sprintf("the loss jumped to %.4g (guessing scores %.2f) as layer %d (%s) moved %.3g times its size",
			e.Value, e.Guess, e.Layer, e.LayerName, e.Changed)
	case e.What == "loss" && !bad(e.Value):
		where = fmt.Sprintf("the loss jumped to %.4g (guessing scores %.2f)", e.Value, e.Guess)
	case e.What == "loss" && e.Layer > 0:
		where = fmt.Sprintf("the loss (first overflowing at the output of layer %d (%s)) is %v", e.Layer, e.LayerName, e.Value)
	case e.What == "loss":
		where = fmt.Sprintf("the loss is %v", e.Value)
	default:
		where = fmt.Sprintf("%s of layer %d (%s) is %v", e.What, e.Layer, e.LayerName, e.Value)
	}
	return fmt.Sprintf("training diverged at step %d: %s; the weights from the start of step %d are restored (try a smaller learning rate)",
		e.Step, where, e.Restored)
}
