package lesson

import (
	"encoding/json"
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"convlab/engine/nn"
	"convlab/engine/tensor"
	"convlab/engine/train"
)

// newTrainTestSession returns a paused session on a few hundred digits
// with settings s and a clock that moves on by tick at every reading.
func newTrainTestSession(t testing.TB, s TrainSettings, tick time.Duration) (*TrainSession, *fakeClock) {
	t.Helper()
	clock := newFakeClock(tick)
	sess, err := NewTrainSession(trainTestData(t, 400, 100), s, clock.read)
	if err != nil {
		t.Fatal(err)
	}
	return sess, clock
}

// weightsOf copies every tensor of a net's state.
func weightsOf(n *nn.Net) [][]float32 {
	var out [][]float32
	for _, s := range n.State() {
		out = append(out, append([]float32(nil), s.Data...))
	}
	return out
}

func mustDo(t testing.TB, s *TrainSession, c TrainCommand) {
	t.Helper()
	if err := s.Do(c); err != nil {
		t.Fatalf("%s: %v", c.Op, err)
	}
}

// TestTrainRunBudget: Run keeps to its slice. With a clock that tells the
// time as 7 ms per step taken, a 50 ms slice takes 8 steps (the eighth
// starts at 49 ms, before the deadline, and ends at 56 ms): never one that
// starts at or after the deadline, and an overrun of less than one step.
func TestTrainRunBudget(t *testing.T) {
	s := DefaultTrainSettings()
	s.Models = TrainModels{Conv: true}
	var sess *TrainSession
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	steps := 0
	clock := func() time.Time { return start.Add(time.Duration(steps) * 7 * time.Millisecond) }
	sess, err := NewTrainSession(trainTestData(t, 200, 50), s, clock)
	if err != nil {
		t.Fatal(err)
	}
	conv := sess.model(TrainConv)
	clock = func() time.Time { return start.Add(time.Duration(conv.stats().Steps) * 7 * time.Millisecond) }
	sess.clock = clock
	mustDo(t, sess, TrainCommand{Op: TrainOpPlay})
	for slice := 1; slice <= 3; slice++ {
		before := conv.stats().Steps
		if busy := sess.Run(50 * time.Millisecond); !busy {
			t.Fatal("a playing session says it has no work")
		}
		if got := conv.stats().Steps - before; got != 8 {
			t.Fatalf("slice %d took %d steps, want 8", slice, got)
		}
	}
	if sess.examples != 24*20 {
		t.Fatalf("%d examples counted, want %d", sess.examples, 24*20)
	}
	// Paused, Run takes no step: it only answers the test examples that
	// are not yet answered at the current weights, then has nothing to do.
	mustDo(t, sess, TrainCommand{Op: TrainOpPause})
	fixed := newFakeClock(time.Millisecond)
	sess.clock = fixed.read
	for i := 0; sess.Run(10*time.Millisecond) && i < 100; i++ {
	}
	if sess.Busy() || conv.stats().Steps != 24 {
		t.Fatalf("paused: busy %v, %d steps", sess.Busy(), conv.stats().Steps)
	}
	if sess.Run(time.Second) {
		t.Fatal("an idle session says it has work")
	}
}

// TestTrainPauseStepReset: a step trains every model that is on by one
// minibatch and leaves the session paused; reset brings back the weights
// the seed gives.
func TestTrainPauseStepReset(t *testing.T) {
	s := DefaultTrainSettings()
	s.Models.MLP = false
	sess, _ := newTrainTestSession(t, s, time.Millisecond)
	fresh := map[string][][]float32{}
	for _, m := range TrainModelNames() {
		spec, _ := s.Spec(m)
		n, _ := train.NewNet(spec, s.Hyper.Seed)
		fresh[m] = weightsOf(n)
		if !reflect.DeepEqual(weightsOf(sess.Net(m)), fresh[m]) {
			t.Fatalf("%s does not start from the seed's weights", m)
		}
	}
	mustDo(t, sess, TrainCommand{Op: TrainOpStep})
	mustDo(t, sess, TrainCommand{Op: TrainOpStep})
	if sess.Running() {
		t.Fatal("running after a step")
	}
	for _, m := range TrainModelNames() {
		want := 2
		if m == TrainMLP {
			want = 0
		}
		if got := sess.model(m).stats().Steps; got != want {
			t.Errorf("%s took %d steps, want %d", m, got, want)
		}
		if changed := !reflect.DeepEqual(weightsOf(sess.Net(m)), fresh[m]); changed != (want > 0) {
			t.Errorf("%s: weights changed %v after %d steps", m, changed, want)
		}
	}
	// A step while playing pauses first.
	mustDo(t, sess, TrainCommand{Op: TrainOpPlay})
	mustDo(t, sess, TrainCommand{Op: TrainOpStep})
	if sess.Running() || sess.model(TrainConv).stats().Steps != 3 {
		t.Fatalf("step while playing: running %v, %d steps", sess.Running(), sess.model(TrainConv).stats().Steps)
	}
	mustDo(t, sess, TrainCommand{Op: TrainOpPlay})
	mustDo(t, sess, TrainCommand{Op: TrainOpReset})
	if sess.Running() {
		t.Fatal("running after reset")
	}
	for _, m := range TrainModelNames() {
		if !reflect.DeepEqual(weightsOf(sess.Net(m)), fresh[m]) || sess.model(m).stats().Steps != 0 {
			t.Errorf("%s: reset did not bring back the seed's weights", m)
		}
	}
	r := sess.Report()
	if r.Examples != 0 || len(r.Snapshots) != 1 || !r.SnapshotsReset {
		t.Fatalf("after reset: %d examples, %d snapshots (reset %v)", r.Examples, len(r.Snapshots), r.SnapshotsReset)
	}
	// With every model off, play and step are refused.
	s.Models = TrainModels{}
	mustDo(t, sess, TrainCommand{Op: TrainOpSettings, Settings: &s})
	for _, op := range []string{TrainOpPlay, TrainOpStep} {
		if err := sess.Do(TrainCommand{Op: op}); err == nil || !strings.Contains(err.Error(), "no model") {
			t.Errorf("%s with no model on: %v", op, err)
		}
	}
}

// TestTrainDivergence: with SGD at learning rate 1000, the conv net's
// activations overflow within a few steps. The session pauses at the failing
// step with the weights from the start of the step the trainer names,
// says where it happened, and offers a tenth of the rate, which one
// command applies; training then goes on.
func TestTrainDivergence(t *testing.T) {
	s := DefaultTrainSettings()
	s.Models = TrainModels{Conv: true}
	s.Hyper.Optimizer, s.Hyper.LR, s.Hyper.Momentum = train.SGD, 1000, 0.9
	sess, _ := newTrainTestSession(t, s, time.Millisecond)
	conv := sess.model(TrainConv)
	var before [][][]float32 // before[k]: the weights at the start of step k+1
	mustDo(t, sess, TrainCommand{Op: TrainOpPlay})
	for k := 0; k < 200 && sess.Running(); k++ {
		before = append(before, weightsOf(conv.net))
		sess.round()
	}
	d := sess.Diverged()
	if d == nil {
		t.Fatal("SGD at learning rate 1000 did not diverge in 200 steps")
	}
	if sess.Running() {
		t.Fatal("still running after a divergence")
	}
	// The failing step is the last one taken.
	if d.Step != len(before) || d.Model != TrainConv {
		t.Fatalf("diverged at step %d of %s; the session took %d steps", d.Step, d.Model, len(before))
	}
	if d.Restored < 1 || d.Restored > d.Step {
		t.Fatalf("restored to step %d of %d", d.Restored, d.Step)
	}
	if !reflect.DeepEqual(weightsOf(conv.net), before[d.Restored-1]) {
		t.Fatalf("the weights are not those from the start of step %d", d.Restored)
	}
	for _, w := range weightsOf(conv.net) {
		for _, v := range w {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				t.Fatal("the restored weights hold a NaN or infinity")
			}
		}
	}
	if d.Layer < 1 || d.Layer > len(conv.net.Layers) || d.LayerName != conv.net.Layers[d.Layer-1].Name() {
		t.Fatalf("layer %d %q is not a layer of the net", d.Layer, d.LayerName)
	}
	if v, err := strconv.ParseFloat(d.Value, 64); err != nil || !(math.IsNaN(v) || math.IsInf(v, 0) || d.What == "loss" && v > train.ExplodedLoss) {
		t.Fatalf("%s is %q: neither NaN, infinite nor an exploded loss", d.What, d.Value)
	}
	for _, want := range []string{"The conv net diverged at step " + itoa(d.Step), d.LayerName, "restored"} {
		if !strings.Contains(d.Message, want) {
			t.Errorf("message %q does not say %q", d.Message, want)
		}
	}
	if d.Fix == nil || d.Fix.LR != 100 || d.FixText != "learning rate 1000 → 100" {
		t.Fatalf("fix %+v %q", d.Fix, d.FixText)
	}
	r := sess.Report()
	if r.Diverged == nil || len(r.Messages) != 1 || r.Messages[0] != d.Message {
		t.Fatalf("report: diverged %v, messages %q", r.Diverged, r.Messages)
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatalf("a report after divergence does not encode: %v", err)
	}
	var back TrainReport
	if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(back.Diverged, r.Diverged) {
		t.Fatalf("round trip: %v", err)
	}
	steps := conv.stats().Steps
	mustDo(t, sess, TrainCommand{Op: TrainOpFix})
	if sess.Settings().Hyper.LR != 100 || sess.Diverged() != nil || conv.tr.Hyper.LR != 100 {
		t.Fatalf("after the fix: lr %v, diverged %v", sess.Settings().Hyper.LR, sess.Diverged())
	}
	if conv.stats().Steps != steps {
		t.Fatal("the fix restarted training")
	}
	if err := sess.Do(TrainCommand{Op: TrainOpFix}); err == nil {
		t.Fatal("a second fix was accepted")
	}
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

// TestTrainSeedDeterminism: the same settings, commands and clock give
// byte-identical reports; another seed gives other filters.
func TestTrainSeedDeterminism(t *testing.T) {
	run := func(seed int64) []string {
		s := DefaultTrainSettings()
		s.Hyper.Seed = seed
		sess, _ := newTrainTestSession(t, s, 8*time.Millisecond)
		var out []string
		add := func() {
			b, err := json.Marshal(sess.Report())
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, string(b))
		}
		add()
		mustDo(t, sess, TrainCommand{Op: TrainOpPlay})
		for range 4 {
			sess.Run(40 * time.Millisecond)
			add()
		}
		mustDo(t, sess, TrainCommand{Op: TrainOpTestImage, Index: 7})
		mustDo(t, sess, TrainCommand{Op: TrainOpPause})
		for sess.Run(40 * time.Millisecond) {
		}
		add()
		return out
	}
	a, b := run(5), run(5)
	if !reflect.DeepEqual(a, b) {
		for i := range a {
			if a[i] != b[i] {
				t.Fatalf("report %d differs between two runs with seed 5:\n%.300s\n%.300s", i+1, a[i], b[i])
			}
		}
	}
	var ra, rc TrainReport
	c := run(6)
	json.Unmarshal([]byte(a[0]), &ra)
	json.Unmarshal([]byte(c[0]), &rc)
	if reflect.DeepEqual(ra.Filters.Weights, rc.Filters.Weights) {
		t.Fatal("seeds 5 and 6 give the same filters")
	}
}

// TestTrainSettingsChange: a change of architecture rebuilds (fresh
// weights, new shapes, curves and time-lapse restarting); a change of
// learning rate or optimizer applies at the next step and keeps the
// training so far; a refused change keeps everything.
func TestTrainSettingsChange(t *testing.T) {
	s := DefaultTrainSettings()
	sess, _ := newTrainTestSession(t, s, time.Millisecond)
	mustDo(t, sess, TrainCommand{Op: TrainOpPlay})
	for range 3 {
		sess.round()
		sess.round()
	}
	sess.Report()
	s.Hyper.Optimizer, s.Hyper.LR = train.Adam, 0.003
	mustDo(t, sess, TrainCommand{Op: TrainOpSettings, Settings: &s})
	conv := sess.model(TrainConv)
	if conv.stats().Steps != 6 || conv.tr.Hyper.Optimizer != train.Adam || conv.tr.Hyper.LR != 0.003 || !sess.Running() {
		t.Fatalf("after a hyperparameter change: %d steps, %+v, running %v", conv.stats().Steps, conv.tr.Hyper, sess.Running())
	}
	sess.round()
	if conv.stats().Steps != 7 {
		t.Fatal("no step after the change")
	}
	bad := s
	bad.Arch.Pad = 1
	if err := sess.Do(TrainCommand{Op: TrainOpSettings, Settings: &bad}); err == nil {
		t.Fatal("padding 1 with the second block was accepted")
	}
	if sess.Settings() != s || sess.model(TrainConv) != conv {
		t.Fatal("a refused change changed the session")
	}
	s.Arch.Filters, s.Arch.Kernel, s.Arch.Pad = 16, 3, 1
	mustDo(t, sess, TrainCommand{Op: TrainOpSettings, Settings: &s})
	conv = sess.model(TrainConv)
	if got := conv.net.FirstConv().W.Shape; !reflect.DeepEqual(got, []int{16, 1, 3, 3}) {
		t.Fatalf("first layer %v after choosing 16 3x3 filters", got)
	}
	if conv.stats().Steps != 0 || !sess.Running() {
		t.Fatalf("after rebuilding: %d steps, running %v", conv.stats().Steps, sess.Running())
	}
	r := sess.Report()
	for _, m := range r.Models {
		if !m.CurveReset || len(m.Curve) != 0 || m.Steps != 0 {
			t.Errorf("%s after rebuilding: curve reset %v with %d points, %d steps", m.Name, m.CurveReset, len(m.Curve), m.Steps)
		}
	}
	if !r.SnapshotsReset || len(r.Snapshots) != 1 || len(r.Snapshots[0].Weights) != 16*9 || r.Filters.Shape != [4]int{16, 1, 3, 3} {
		t.Fatalf("time-lapse after rebuilding: reset %v, %d frames", r.SnapshotsReset, len(r.Snapshots))
	}
	// A new seed rebuilds too, with the new seed's weights.
	s.Hyper.Seed = 9
	mustDo(t, sess, TrainCommand{Op: TrainOpSettings, Settings: &s})
	spec, _ := s.Spec(TrainConv)
	want, _ := train.NewNet(spec, 9)
	if !reflect.DeepEqual(weightsOf(sess.Net(TrainConv)), weightsOf(want)) {
		t.Fatal("seed 9 did not give seed 9's weights")
	}
}

// TestTrainTemplates: the linear classifier's templates are its 10 rows
// and the MLP's its hidden units, each shaped as the input, with the
// weights of the nets in order.
func TestTrainTemplates(t *testing.T) {
	s := DefaultTrainSettings()
	s.Arch.Hidden = 12
	sess, _ := newTrainTestSession(t, s, time.Millisecond)
	mustDo(t, sess, TrainCommand{Op: TrainOpStep})
	r := sess.Report()
	if len(r.Templates) != 2 {
		t.Fatalf("%d template sets", len(r.Templates))
	}
	lin, mlp := r.Templates[0], r.Templates[1]
	if lin.Model != TrainLinear || lin.Shape != [4]int{10, 1, 24, 24} || len(lin.Weights) != 10*576 || lin.Out != nil {
		t.Fatalf("linear templates %s %v, %d values", lin.Model, lin.Shape, len(lin.Weights))
	}
	if mlp.Model != TrainMLP || mlp.Shape != [4]int{12, 1, 24, 24} || len(mlp.Weights) != 12*576 || len(mlp.Out) != 10*12 {
		t.Fatalf("MLP templates %s %v, %d values, %d out", mlp.Model, mlp.Shape, len(mlp.Weights), len(mlp.Out))
	}
	w := sess.Net(TrainMLP).Layers[0].(*nn.Linear).W
	// Hidden unit 3, row 5, column 7 of its template is weight (3, 5·24 + 7).
	if mlp.Weights[3*576+5*24+7] != w.At(3, 5*24+7) {
		t.Fatal("the templates are not the first layer's rows")
	}
	// Nothing changed: no templates in the next report.
	if r := sess.Report(); r.Templates != nil || r.Filters != nil || r.Maps != nil {
		t.Fatal("a report repeats items that did not change")
	}
	s.Data = TrainColour
	mustDo(t, sess, TrainCommand{Op: TrainOpSettings, Settings: &s})
	r = sess.Report()
	if r.Templates[0].Shape != [4]int{6, 3, 24, 24} || r.Templates[1].Shape != [4]int{12, 3, 24, 24} || r.Filters.Shape != [4]int{8, 3, 5, 5} {
		t.Fatalf("colour: templates %v and %v, filters %v", r.Templates[0].Shape, r.Templates[1].Shape, r.Filters.Shape)
	}
}

// TestTrainRollingEvaluation: paused, the session answers every test
// example at the current weights; the test accuracy and confusion matrix
// it then reports equal train.Evaluate's over the whole test set.
func TestTrainRollingEvaluation(t *testing.T) {
	sess, _ := newTrainTestSession(t, DefaultTrainSettings(), time.Millisecond)
	mustDo(t, sess, TrainCommand{Op: TrainOpPlay})
	for range 10 {
		sess.round()
	}
	r := sess.Report()
	conv := r.Models[0]
	if conv.TestExact || conv.TestCount != 10*3 {
		t.Fatalf("while training: exact %v over %d answers, want 30 (3 a step: 20/8 rounded up)", conv.TestExact, conv.TestCount)
	}
	mustDo(t, sess, TrainCommand{Op: TrainOpPause})
	for sess.Run(time.Second) {
	}
	r = sess.Report()
	for i, name := range TrainModelNames() {
		ev, err := train.Evaluate(sess.Net(name), sess.testSrc)
		if err != nil {
			t.Fatal(err)
		}
		m := r.Models[i]
		if !m.TestExact || m.TestCount != 100 || m.TestAccuracy != ev.Accuracy {
			t.Errorf("%s: test accuracy %v (exact %v, over %d), Evaluate says %v", name, m.TestAccuracy, m.TestExact, m.TestCount, ev.Accuracy)
		}
		if name == TrainConv && !reflect.DeepEqual(r.Confusion, ev.Confusion) {
			t.Errorf("confusion %v, Evaluate says %v", r.Confusion, ev.Confusion)
		}
	}
	// The gallery shows two test examples of each class, answered now.
	if len(r.Gallery.Items) != 20 {
		t.Fatalf("%d gallery items", len(r.Gallery.Items))
	}
	ev, _ := train.Evaluate(sess.Net(TrainConv), sess.testSrc)
	for k, g := range r.Gallery.Items {
		if g.Label != k/2 || g.Top[0] != ev.Predicted[g.Index] || g.Wrong != (g.Top[0] != g.Label) ||
			g.Probs[0] != ev.Probs[g.Index*10+g.Top[0]] || g.Probs[0] < g.Probs[1] || g.Probs[1] < g.Probs[2] {
			t.Errorf("gallery item %d: %+v", k, g)
		}
	}
	for _, g := range r.Gallery.Mistakes {
		if !g.Wrong || g.Top[0] == g.Label {
			t.Errorf("mistake %+v is not wrong", g)
		}
	}
}

// TestTrainMapsAndDrawing: the chosen test example's maps are the conv
// net's activations for it; a drawing of the same digit (its 28x28 bytes,
// as the pad holds them) is centre-cropped and answered alike.
func TestTrainMapsAndDrawing(t *testing.T) {
	sess, clock := newTrainTestSession(t, DefaultTrainSettings(), time.Millisecond)
	mustDo(t, sess, TrainCommand{Op: TrainOpStep})
	mustDo(t, sess, TrainCommand{Op: TrainOpTestImage, Index: 42})
	set := sess.testSrc.Set
	in := TrainInput{C: 1, H: 28, W: 28, Pixels: set.Pixels[42*784 : 43*784]}
	mustDo(t, sess, TrainCommand{Op: TrainOpPredict, Input: &in})
	r := sess.Report()
	if r.Maps == nil || r.Maps.Index != 42 || r.Maps.Label != int(set.Labels[42]) || len(r.Maps.Layers) != 7 {
		t.Fatalf("maps %+v", r.Maps)
	}
	// The input's top-left value is pixel (2, 2) of the digit, p/255 − 0.5.
	if got, want := r.Maps.Input.Values[0], float32(set.Pixels[42*784+2*28+2])/255-0.5; got != want {
		t.Fatalf("input (0, 0) = %v, want %v", got, want)
	}
	for i, l := range r.Maps.Layers {
		if want := sess.Net(TrainConv).Layers[i].OutShape(); !reflect.DeepEqual(l.Shape, want) || len(l.Values) != tensor.Size(want) {
			t.Errorf("layer %d %s: shape %v, %d values", i+1, l.Layer, l.Shape, len(l.Values))
		}
	}
	d := r.Drawn
	if d == nil || !reflect.DeepEqual(d.Input.Values, r.Maps.Input.Values) || !reflect.DeepEqual(d.Conv, r.Maps.Probs) {
		t.Fatal("the drawing of test digit 42 is not answered as test digit 42")
	}
	if len(d.Linear) != 10 || len(d.MLP) != 10 || len(d.Pretrained) != 10 || len(d.Maps) != 7 {
		t.Fatalf("drawn: %d, %d, %d probabilities, %d maps", len(d.Linear), len(d.MLP), len(d.Pretrained), len(d.Maps))
	}
	var sum float64
	for _, p := range d.Conv {
		sum += float64(p)
	}
	if math.Abs(sum-1) > 1e-5 {
		t.Fatalf("probabilities sum to %v", sum)
	}
	for _, bad := range []TrainInput{
		{C: 3, H: 28, W: 28, Pixels: make([]byte, 3*784)},
		{C: 1, H: 20, W: 20, Pixels: make([]byte, 400)},
		{C: 1, H: 28, W: 28, Pixels: make([]byte, 10)},
	} {
		if err := sess.Do(TrainCommand{Op: TrainOpPredict, Input: &bad}); err == nil {
			t.Errorf("drawing %dx%dx%d with %d pixels accepted", bad.C, bad.H, bad.W, len(bad.Pixels))
		}
	}
	for _, i := range []int{-1, 100} {
		if err := sess.Do(TrainCommand{Op: TrainOpTestImage, Index: i}); err == nil {
			t.Errorf("test image %d accepted", i)
		}
	}
	mustDo(t, sess, TrainCommand{Op: TrainOpPredict})
	if r := sess.Report(); r.Drawn == nil || r.Drawn.Input.Values != nil {
		t.Fatal("clearing the drawing is not reported")
	}
	// While playing, the big items wait trainBigEvery, but a new drawing
	// is answered at once.
	mustDo(t, sess, TrainCommand{Op: TrainOpPlay})
	sess.round()
	clock.now = clock.now.Add(trainBigEvery)
	if r := sess.Report(); r.Maps == nil {
		t.Fatal("no maps trainBigEvery after the last")
	}
	sess.round()
	mustDo(t, sess, TrainCommand{Op: TrainOpPredict, Input: &in})
	r = sess.Report()
	if r.Maps != nil || r.Gallery != nil || r.Drawn == nil || len(r.Drawn.Conv) != 10 {
		t.Fatalf("a report 2 ms after a big one: maps %v, gallery %v, drawing %v", r.Maps != nil, r.Gallery != nil, r.Drawn != nil)
	}
}

// TestTrainSnapshots: the time-lapse starts with the initial filters and
// takes frames ever more sparsely; when full it drops every other frame.
func TestTrainSnapshots(t *testing.T) {
	s := DefaultTrainSettings()
	s.Models = TrainModels{Conv: true}
	s.Hyper.Batch = 1
	sess, _ := newTrainTestSession(t, s, time.Millisecond)
	first := append([]float32(nil), sess.Net(TrainConv).FirstConv().W.Data...)
	mustDo(t, sess, TrainCommand{Op: TrainOpPlay})
	for range 200 {
		sess.round()
	}
	snaps := sess.snapshots
	if !reflect.DeepEqual([]float32(snaps[0].Weights), first) || snaps[0].Examples != 0 {
		t.Fatal("the first frame is not the initial filters")
	}
	// Frames at 0, 1, 2, ...: each gap is at least one step and at least a
	// quarter of the examples so far.
	for i := 1; i < len(snaps); i++ {
		gap := snaps[i].Examples - snaps[i-1].Examples
		if gap < 1 || float64(gap) < 0.25*float64(snaps[i-1].Examples)-1 {
			t.Fatalf("frames at %d and %d examples", snaps[i-1].Examples, snaps[i].Examples)
		}
	}
	if last := snaps[len(snaps)-1].Examples; len(snaps) < 10 || last > 200 || last < 100 {
		t.Fatalf("%d frames, the last at %d examples", len(snaps), last)
	}
	// Fill the time-lapse: it never holds more than TrainSnapshotsMax frames.
	for range 2000 {
		sess.snapshot()
	}
	if n := len(sess.snapshots); n > TrainSnapshotsMax || n < TrainSnapshotsMax/2 || sess.snapshots[0].Examples != 0 {
		t.Fatalf("%d frames after 2000 more", n)
	}
}
