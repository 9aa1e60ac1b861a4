package train

import (
	"errors"
	"math"
	"math/rand"
	"reflect"
	"strings"
	"testing"
	"time"

	"convlab/engine/data"
	"convlab/engine/nn"
	"convlab/engine/tensor"
)

// bars is a synthetic source: 1x8x8 images, dark (−0.5) with noise, where
// class c has a bright horizontal bar on row 2c+1 (c < 4). Training views
// shift the bar by a row at random.
type bars struct{ n int }

func (b bars) Len() int        { return b.n }
func (b bars) Shape() [3]int   { return [3]int{1, 8, 8} }
func (b bars) Classes() int    { return 4 }
func (b bars) label(i int) int { return i % 4 }
func (b bars) noise(i, k int) float32 {
	return float32((i*131+k*71)%17) / 17 * 0.3 // deterministic per example
}
func (b bars) Example(i int, dst []float32, rng *rand.Rand) int {
	c := b.label(i)
	row := 2*c + 1
	if rng != nil && rng.Intn(2) == 0 {
		row--
	}
	for k := range dst[:64] {
		dst[k] = -0.5 + b.noise(i, k)
		if k/8 == row {
			dst[k] = 0.5
		}
	}
	return c
}

func barsSpec() nn.Spec {
	return nn.Spec{Input: [3]int{1, 8, 8}, Layers: []nn.LayerSpec{
		{Type: nn.TypeConv, Filters: 4, Kernel: 3, Pad: 1}, {Type: nn.TypeReLU},
		{Type: nn.TypeMaxPool, Size: 2},
		{Type: nn.TypeLinear, Out: 4},
	}}
}

func newBarsTrainer(t *testing.T, h Hyper) *Trainer {
	t.Helper()
	net, err := NewNet(barsSpec(), h.Seed)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := New(net, bars{64}, h)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// oneParam is a net-free parameter list for checking update rules by hand.
func oneParam(w, g float32, decay bool) []nn.Param {
	p := tensor.FromData([]float32{w}, 1)
	p.Grad = []float32{g}
	return []nn.Param{{Name: "W", T: p, Decay: decay}}
}

// TestOptimizerSteps checks two steps of each rule against hand-worked
// values, for w = 1 and a constant gradient 0.5.
func TestOptimizerSteps(t *testing.T) {
	tests := []struct {
		name         string
		h            Hyper
		decay        bool
		step1, step2 float64
	}{
		// v = −0.1·0.5 = −0.05, w = 0.95; v = 0.9·(−0.05) − 0.05 = −0.095, w = 0.855.
		{"sgd momentum", Hyper{Optimizer: SGD, LR: 0.1, Momentum: 0.9}, false, 0.95, 0.855},
		// With decay 0.1 the gradient is 0.5 + 0.1·w: 0.6, w = 0.94; then 0.5 + 0.094 = 0.594, w = 0.8806.
		{"sgd decay", Hyper{Optimizer: SGD, LR: 0.1, Decay: 0.1}, true, 0.94, 0.8806},
		// Decay leaves a bias alone.
		{"sgd decay, bias", Hyper{Optimizer: SGD, LR: 0.1, Decay: 0.1}, false, 0.95, 0.9},
		// Bias-corrected first steps move by lr·g/(|g| + ε) ≈ lr.
		{"adam", Hyper{Optimizer: Adam, LR: 0.01, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}, false, 0.99, 0.98},
		// E[g²] = 0.05·0.25 = 0.0125, Δ = −√(1e−6/0.012501)·0.5 = −0.0044720, E[Δ²] = 0.05·Δ² = 9.9992e−7;
		// E[g²] = 0.95·0.0125 + 0.0125 = 0.024375, Δ = −√((9.9992e−7 + 1e−6)/0.024376)·0.5 = −0.0045289.
		{"adadelta", Hyper{Optimizer: Adadelta, Rho: 0.95, Eps: 1e-6}, false, 0.99552804, 0.99099912},
	}
	for _, tc := range tests {
		var o optimizer
		ps := oneParam(1, 0.5, tc.decay)
		o.step(ps, tc.h)
		got1 := float64(ps[0].T.Data[0])
		o.step(ps, tc.h)
		got2 := float64(ps[0].T.Data[0])
		if math.Abs(got1-tc.step1) > 1e-6 || math.Abs(got2-tc.step2) > 1e-6 {
			t.Errorf("%s: w after two steps %v, %v; want %v, %v", tc.name, got1, got2, tc.step1, tc.step2)
		}
	}
}

// weights copies every state tensor of a net.
func weights(net *nn.Net) [][]float32 {
	var ws [][]float32
	for _, s := range net.State() {
		ws = append(ws, append([]float32(nil), s.Data...))
	}
	return ws
}

// TestDeterministic: the same seed gives bit-identical weights and the same
// loss at every step; another seed does not.
func TestDeterministic(t *testing.T) {
	for _, opt := range []string{SGD, Adam, Adadelta} {
		h := Defaults()
		h.Optimizer, h.Batch, h.Seed = opt, 8, 42
		run := func(seed int64) ([]float64, [][]float32) {
			h.Seed = seed
			tr := newBarsTrainer(t, h)
			var losses []float64
			for i := 0; i < 25; i++ {
				if err := tr.Step(); err != nil {
					t.Fatal(err)
				}
				losses = append(losses, tr.Stats().LastLoss)
			}
			return losses, weights(tr.Net)
		}
		l1, w1 := run(42)
		l2, w2 := run(42)
		l3, w3 := run(43)
		if !reflect.DeepEqual(l1, l2) || !reflect.DeepEqual(w1, w2) {
			t.Fatalf("%s: two runs with seed 42 differ", opt)
		}
		if reflect.DeepEqual(l1, l3) || reflect.DeepEqual(w1, w3) {
			t.Fatalf("%s: seeds 42 and 43 gave the same run", opt)
		}
	}
}

// TestLossFalls: with a fixed seed, each optimizer brings the smoothed loss
// well below chance (ln 4 ≈ 1.39) and the test accuracy up.
func TestLossFalls(t *testing.T) {
	for _, h := range []Hyper{
		{Optimizer: SGD, LR: 0.05, Momentum: 0.9, Batch: 8, Seed: 1},
		{Optimizer: Adam, LR: 0.01, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, Batch: 8, Seed: 1},
		Defaults(),
	} {
		tr := newBarsTrainer(t, h)
		st, err := tr.Run(Budget{Steps: 1})
		if err != nil {
			t.Fatal(err)
		}
		first := st.LastLoss
		st, err = tr.Run(Budget{Steps: 199})
		if err != nil {
			t.Fatal(err)
		}
		ev, err := Evaluate(tr.Net, bars{64})
		if err != nil {
			t.Fatal(err)
		}
		if st.Loss > first/4 || st.Loss > 0.3 || ev.Accuracy < 0.95 {
			t.Errorf("%s: loss %.3f at first, smoothed %.3f after 200 steps; test accuracy %.2f", h.Optimizer, first, st.Loss, ev.Accuracy)
		}
	}
}

// fakeClock advances by tick every time it is read.
func fakeClock(tick time.Duration) func() time.Time {
	now := time.Date(2020, 9, 23, 0, 0, 0, 0, time.UTC)
	return func() time.Time {
		now = now.Add(tick)
		return now
	}
}

// TestBudget: Run stops at the deadline, step count or example count,
// whichever comes first, and measures its rate with the clock it is given.
func TestBudget(t *testing.T) {
	h := Defaults()
	h.Batch = 4
	tr := newBarsTrainer(t, h)
	// Each step reads the clock once (the deadline check): Run reads it at
	// the start (t0 + 1ms), before step k at t0 + (k+1)ms, and at the end.
	tr.Clock = fakeClock(time.Millisecond)
	base := tr.Clock() // t0 + 1ms... tick
	st, err := tr.Run(Budget{Until: base.Add(10 * time.Millisecond)})
	if err != nil {
		t.Fatal(err)
	}
	// Reads: start base+1, checks at base+2 .. base+9 pass (8 steps), base+10 stops, end base+11.
	if st.Steps != 8 || st.Examples != 32 {
		t.Fatalf("deadline: %d steps, %d examples; want 8 and 32", st.Steps, st.Examples)
	}
	if st.TrainTime != 10*time.Millisecond || st.ExamplesPerSecond != 3200 {
		t.Fatalf("deadline: train time %v, %v examples/s; want 10ms and 3200", st.TrainTime, st.ExamplesPerSecond)
	}
	st, _ = tr.Run(Budget{Steps: 3})
	if st.Steps != 11 {
		t.Fatalf("steps budget: %d steps, want 11", st.Steps)
	}
	st, _ = tr.Run(Budget{Examples: 10, Steps: 100})
	if st.Steps != 14 || st.Examples != 56 {
		t.Fatalf("examples budget: %d steps and %d examples, want 14 and 56 (10 rounded up to whole batches)", st.Steps, st.Examples)
	}
	st, _ = tr.Run(Budget{Until: base, Steps: 5})
	if st.Steps != 14 {
		t.Fatalf("a deadline already past took %d steps", st.Steps-14)
	}
	if _, err := tr.Run(Budget{}); err == nil {
		t.Fatal("an empty budget was accepted")
	}
}

// TestHyperChanges: batch size, optimizer and seed may change between steps.
func TestHyperChanges(t *testing.T) {
	tr := newBarsTrainer(t, Defaults())
	for i, change := range []func(h *Hyper){
		func(h *Hyper) { h.Batch = 3 },
		func(h *Hyper) { h.Optimizer, h.LR = SGD, 0.01 },
		func(h *Hyper) { h.Optimizer = Adam },
		func(h *Hyper) { h.Seed = 99; h.Batch = 16 },
	} {
		change(&tr.Hyper)
		before := tr.Stats().Examples
		if _, err := tr.Run(Budget{Steps: 2}); err != nil {
			t.Fatalf("change %d: %v", i, err)
		}
		if got := tr.Stats().Examples - before; got != 2*tr.Hyper.Batch {
			t.Fatalf("change %d: %d examples in two steps of %d", i, got, tr.Hyper.Batch)
		}
	}
	tr.Hyper.Batch = 0
	if err := tr.Step(); err == nil || !strings.Contains(err.Error(), "batch size 0") {
		t.Fatalf("batch 0: %v", err)
	}
	tr.Hyper = Defaults()
	tr.Hyper.LR = float32(math.NaN())
	if err := tr.Step(); err == nil || !strings.Contains(err.Error(), "learning rate is NaN") {
		t.Fatalf("NaN learning rate: %v", err)
	}
}

// TestDivergenceGuard: a huge learning rate makes the weights blow up. A
// step whose update overflows a weight fails naming the step, layer and
// weight; a step whose (finite but huge) weights overflow the loss fails
// naming the first layer whose output overflowed. Either way the net gets
// back the weights it had at the start of the last step that passed.
func TestDivergenceGuard(t *testing.T) {
	tests := []struct {
		lr, decay float32
		step      int
		what      string
		restored  int
		message   []string
	}{
		// A huge weight decay makes the gradient of every weight about
		// 1e38·w and the update 10 times that: the first layer's weights
		// overflow float32 in the first update.
		{10, 1e38, 6, "W", 6, []string{"step 6", "W of layer 1 (conv 3x3 x4, pad 1) is", "Inf", "start of step 6 are restored"}},
		// w − 1e30·g is finite but the next forward pass overflows (the
		// scores, products of two huge layers).
		{1e30, 0, 7, "loss", 6, []string{"step 7", "the loss", "layer 4 (linear 4)", "start of step 6 are restored"}},
	}
	for _, tc := range tests {
		tr := newBarsTrainer(t, Hyper{Optimizer: SGD, LR: 0.05, Batch: 8, Seed: 3})
		if _, err := tr.Run(Budget{Steps: 5}); err != nil {
			t.Fatal(err)
		}
		good := weights(tr.Net)
		tr.Hyper.LR, tr.Hyper.Decay = tc.lr, tc.decay
		_, err := tr.Run(Budget{Steps: 10})
		var d *DivergenceError
		if !errors.As(err, &d) {
			t.Fatalf("lr %g: error %v, want a DivergenceError", tc.lr, err)
		}
		if d.Step != tc.step || d.What != tc.what || d.Restored != tc.restored {
			t.Fatalf("lr %g: %+v, want step %d, %s, restored to step %d", tc.lr, d, tc.step, tc.what, tc.restored)
		}
		for _, want := range tc.message {
			if !strings.Contains(err.Error(), want) {
				t.Fatalf("lr %g: message %q does not say %q", tc.lr, err, want)
			}
		}
		if !reflect.DeepEqual(weights(tr.Net), good) {
			t.Fatalf("lr %g: the weights were not restored to those at the start of step 6", tc.lr)
		}
		if tr.Stats().Steps != tc.step-1 {
			t.Fatalf("lr %g: %d steps counted, want %d", tc.lr, tr.Stats().Steps, tc.step-1)
		}
		// With a sane learning rate training goes on from the restored weights.
		tr.Hyper.LR, tr.Hyper.Decay = 0.05, 0
		if _, err := tr.Run(Budget{Steps: 3}); err != nil {
			t.Fatalf("after restoring: %v", err)
		}
	}
}

// TestDivergenceLoss: weights that make the loss infinite are caught at the
// loss, before any gradient, and the weights from the start of the last
// good step come back.
func TestDivergenceLoss(t *testing.T) {
	tr := newBarsTrainer(t, Hyper{Optimizer: SGD, LR: 0.01, Batch: 4, Seed: 1})
	start := weights(tr.Net)
	if err := tr.Step(); err != nil {
		t.Fatal(err)
	}
	lin := tr.Net.Layers[3].(*nn.Linear)
	lin.B.Data[0] = float32(math.Inf(1))
	err := tr.Step()
	var d *DivergenceError
	if !errors.As(err, &d) || d.What != "loss" || d.Step != 2 || d.Restored != 1 || d.Layer != 4 {
		t.Fatalf("infinite bias: %v", err)
	}
	if !reflect.DeepEqual(weights(tr.Net), start) {
		t.Fatal("the weights from the start of step 1 were not restored")
	}
}

// TestEvaluate: with a linear net whose weights pick one pixel per class,
// the predictions, accuracy and confusion matrix are known in advance.
func TestEvaluate(t *testing.T) {
	// Four 1x1x2 examples: (1, 0) and (0, 1) classify as 0 and 1.
	set := &data.Set{Name: "pairs", Classes: []string{"a", "b"}, C: 1, H: 1, W: 2,
		Pixels: []uint8{255, 0, 0, 255, 255, 0, 0, 255, 200, 0},
		Labels: []uint8{0, 1, 1, 1, 0}}
	src, err := FromSet(set, 0)
	if err != nil {
		t.Fatal(err)
	}
	net, _ := nn.Build(nn.Spec{Input: [3]int{1, 1, 2}, Layers: []nn.LayerSpec{{Type: nn.TypeLinear, Out: 2}}}, nil)
	copy(net.Layers[0].(*nn.Linear).W.Data, []float32{
		4, 0, // class a: the left pixel
		0, 4, // class b: the right pixel
	})
	ev, err := Evaluate(net, src)
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{0, 1, 0, 1, 0}; !reflect.DeepEqual(ev.Predicted, want) {
		t.Fatalf("predicted %v, want %v", ev.Predicted, want)
	}
	if want := [][]int{{2, 0}, {1, 2}}; !reflect.DeepEqual(ev.Confusion, want) {
		t.Fatalf("confusion %v, want %v", ev.Confusion, want)
	}
	if ev.Accuracy != 0.8 {
		t.Fatalf("accuracy %v, want 0.8", ev.Accuracy)
	}
	// Example 0 is (0.5, −0.5): scores (2, −2), p(a) = 1/(1 + e⁻⁴).
	if p := float64(ev.Probs[0]); math.Abs(p-1/(1+math.Exp(-4))) > 1e-6 {
		t.Fatalf("p(a | example 0) = %v", p)
	}
}

// TestSetSource: crops are centred for testing and random (every offset
// possible) for training; pixels are scaled to p/255 − 0.5.
func TestSetSource(t *testing.T) {
	// A 1x4x4 image with its pixel index ·10 as value.
	px := make([]uint8, 16)
	for i := range px {
		px[i] = uint8(i * 10)
	}
	set := &data.Set{Name: "ramp", Classes: []string{"x", "y"}, C: 1, H: 4, W: 4, Pixels: px, Labels: []uint8{1}}
	src, err := FromSet(set, 2)
	if err != nil {
		t.Fatal(err)
	}
	if src.Shape() != [3]int{1, 2, 2} {
		t.Fatalf("shape %v", src.Shape())
	}
	dst := make([]float32, 4)
	if lab := src.Example(0, dst, nil); lab != 1 {
		t.Fatalf("label %d", lab)
	}
	// Centre crop: rows 1..2, columns 1..2: pixels 5, 6, 9, 10 (·10).
	want := []float32{50, 60, 90, 100}
	for i := range want {
		want[i] = want[i]/255 - 0.5
	}
	for i := range dst {
		if math.Abs(float64(dst[i]-want[i])) > 1e-6 {
			t.Fatalf("centre crop %v, want %v", dst, want)
		}
	}
	seen := map[float32]bool{}
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 200; i++ {
		src.Example(0, dst, rng)
		seen[dst[0]] = true
	}
	if len(seen) != 9 { // top-left corners (0..2, 0..2)
		t.Fatalf("random crops start at %d places, want 9", len(seen))
	}
	if _, err := FromSet(set, 5); err == nil {
		t.Fatal("a 5x5 crop of 4x4 images was accepted")
	}
}

// TestNoAllocationPerStep: a training step allocates nothing once warm.
func TestNoAllocationPerStep(t *testing.T) {
	tr := newBarsTrainer(t, Defaults())
	tr.Step()
	tr.Step()
	if a := testing.AllocsPerRun(20, func() { tr.Step() }); a > 0.1 {
		t.Fatalf("%v allocations per step", a)
	}
}

// TestCalm: a step's loss is calm when it is finite, below ExplodedLoss
// and at most twice the smoothed loss before it, plus one; the first step
// has no smoothed loss to compare with.
func TestCalm(t *testing.T) {
	tests := []struct {
		loss  float32
		st    Stats
		calm  bool
		cause string
	}{
		{2.3, Stats{}, true, "the first step"},
		{99, Stats{}, true, "the first step, below ExplodedLoss"},
		{100.5, Stats{}, false, "above ExplodedLoss"},
		{0.5, Stats{Steps: 10, Loss: 0.3}, true, "noise"},
		{1.59, Stats{Steps: 10, Loss: 0.3}, true, "just under 2·0.3 + 1 = 1.6"},
		{1.7, Stats{Steps: 10, Loss: 0.3}, false, "a jump"},
		{674, Stats{Steps: 400, Loss: 0.26}, false, "a blown-up update"},
		{float32(math.NaN()), Stats{Steps: 3, Loss: 2}, false, "NaN"},
		{float32(math.Inf(1)), Stats{}, false, "infinity"},
	}
	for _, tc := range tests {
		if got := calm(tc.loss, tc.st); got != tc.calm {
			t.Errorf("%s: calm(%g, loss %g after %d steps) = %v", tc.cause, tc.loss, tc.st.Loss, tc.st.Steps, got)
		}
	}
}

// TestResume: a resumed trainer counts on from the figures it was given
// (the step after 60 is 61; 60 steps of 8 and one more are 488 examples;
// past 50 steps the smoothed loss moves from the given 0.5 by 1/50 of the
// step's difference), and impossible figures are refused, changing nothing.
func TestResume(t *testing.T) {
	h := Defaults()
	h.Batch = 8
	tr := newBarsTrainer(t, h)
	if err := tr.Resume(Stats{Steps: 60, Examples: 480, Loss: 0.5, Accuracy: 0.75}); err != nil {
		t.Fatal(err)
	}
	if err := tr.Step(); err != nil {
		t.Fatal(err)
	}
	st := tr.Stats()
	if st.Steps != 61 || st.Examples != 488 {
		t.Fatalf("after resuming at 60 steps, 480 examples and one step: %d steps, %d examples", st.Steps, st.Examples)
	}
	if want := 0.5 + (st.LastLoss-0.5)/50; math.Abs(st.Loss-want) > 1e-12 {
		t.Fatalf("smoothed loss %v after resuming at 0.5 and a step of %v, want %v", st.Loss, st.LastLoss, want)
	}
	for _, bad := range []Stats{{Steps: -1}, {Examples: -8}, {Loss: math.NaN()}, {Loss: math.Inf(1)}, {Loss: -1}, {Accuracy: 1.5}, {Accuracy: math.NaN()}} {
		if err := tr.Resume(bad); err == nil {
			t.Errorf("Resume(%+v) was taken", bad)
		}
		if tr.Stats() != st {
			t.Errorf("a refused Resume(%+v) changed the statistics", bad)
		}
	}
}
