package lesson

import (
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"convlab/engine/nn"
	"convlab/engine/train"
)

// savedThroughJSON returns the Saved of the session's next report after
// a trip through JSON, as the page keeps it.
func savedThroughJSON(t *testing.T, sess *TrainSession) *TrainSaved {
	t.Helper()
	r := sess.Report()
	if r.Saved == nil {
		t.Fatal("the report after a step carries no Saved")
	}
	b, err := json.Marshal(r.Saved)
	if err != nil {
		t.Fatal(err)
	}
	var sv TrainSaved
	if err := json.Unmarshal(b, &sv); err != nil {
		t.Fatal(err)
	}
	return &sv
}

// sameBits reports whether two nets' states hold the same float32 bits.
func sameBits(a, b [][]float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if math.Float32bits(a[i][j]) != math.Float32bits(b[i][j]) {
				return false
			}
		}
	}
	return true
}

// TestTrainRestore: the weights a report saves, restored into a fresh
// session, are every model's weights bit for bit, with their steps and
// examples, the settings they trained with, and the same test accuracy.
func TestTrainRestore(t *testing.T) {
	s := DefaultTrainSettings()
	s.Hyper.Optimizer, s.Hyper.LR = train.SGD, 0.02 // not the defaults: the restore applies them
	a, _ := newTrainTestSession(t, s, time.Millisecond)
	const steps = 30
	for range steps {
		mustDo(t, a, TrainCommand{Op: TrainOpStep})
	}
	sv := savedThroughJSON(t, a)

	b, _ := newTrainTestSession(t, DefaultTrainSettings(), time.Millisecond)
	if sameBits(weightsOf(a.Net(TrainConv)), weightsOf(b.Net(TrainConv))) {
		t.Fatal("the fresh session already has the trained weights: the test proves nothing")
	}
	b.Report() // the fresh session's own news
	mustDo(t, b, TrainCommand{Op: TrainOpRestore, Saved: sv})
	if b.Settings() != s {
		t.Fatalf("settings after restore %+v, want %+v", b.Settings(), s)
	}
	for _, name := range TrainModelNames() {
		if !sameBits(weightsOf(a.Net(name)), weightsOf(b.Net(name))) {
			t.Errorf("%s: the restored weights differ from the saved ones", name)
		}
		sa, sb := a.model(name).stats(), b.model(name).stats()
		if sb.Steps != steps || sb.Examples != steps*s.Hyper.Batch || sb.Steps != sa.Steps || sb.Loss != sa.Loss || sb.Accuracy != sa.Accuracy {
			t.Errorf("%s: restored stats %+v, saved %+v", name, sb, sa)
		}
		ma, mb := a.model(name), b.model(name)
		if len(ma.curve) != steps*s.Hyper.Batch/TrainCurveFirst || !reflect.DeepEqual(ma.curve, mb.curve) || ma.curveNext != mb.curveNext || ma.curveEvery != mb.curveEvery {
			t.Errorf("%s: restored curve %v (next %d), saved %v (next %d)", name, mb.curve, mb.curveNext, ma.curve, ma.curveNext)
		}
	}
	if len(a.snapshots) < 5 || !reflect.DeepEqual(a.snapshots, b.snapshots) || a.snapNext != b.snapNext || a.snapRatio != b.snapRatio {
		t.Errorf("restored time-lapse: %d frames, next at %d; saved %d, next at %d", len(b.snapshots), b.snapNext, len(a.snapshots), a.snapNext)
	}
	ea, err := train.Evaluate(a.Net(TrainConv), a.testSrc)
	if err != nil {
		t.Fatal(err)
	}
	eb, err := train.Evaluate(b.Net(TrainConv), b.testSrc)
	if err != nil {
		t.Fatal(err)
	}
	if ea.Accuracy != eb.Accuracy || ea.Loss != eb.Loss {
		t.Fatalf("test accuracy %v (loss %v) after restore, %v (loss %v) before", eb.Accuracy, eb.Loss, ea.Accuracy, ea.Loss)
	}
	r := b.Report()
	want := "Restored your trained weights: 600 examples seen."
	if r.Examples != 600 || r.Restores != 1 || !reflect.DeepEqual(r.Messages, []string{want}) {
		t.Fatalf("report after restore: examples %d, restores %d, messages %q; want 600, 1, %q", r.Examples, r.Restores, r.Messages, want)
	}
	if r.Saved != nil {
		t.Fatal("the report after a restore saves again what was just restored")
	}
	if r.Filters == nil || !sameBits([][]float32{r.Filters.Weights}, [][]float32{a.Net(TrainConv).FirstConv().W.Data}) {
		t.Fatal("the report after a restore does not show the restored filters")
	}
	for i, m := range r.Models {
		if m.Steps != steps || m.Examples != 600 || !m.CurveReset || len(m.Curve) != 6 {
			t.Errorf("model %d reported %d steps, %d examples, curve of %d (reset %v) after restore; want %d, 600, 6 (reset)",
				i, m.Steps, m.Examples, len(m.Curve), m.CurveReset, steps)
		}
	}
	if !r.SnapshotsReset || !reflect.DeepEqual(r.Snapshots, a.snapshots) {
		t.Errorf("the report after a restore sends %d frames of the time-lapse (reset %v), want the %d saved", len(r.Snapshots), r.SnapshotsReset, len(a.snapshots))
	}
}

// TestTrainRestoreRefused: a saved value for another architecture or data
// set, or whose weights are truncated, garbage, of the wrong model or not
// finite, is refused with a message that says why, and changes nothing.
func TestTrainRestoreRefused(t *testing.T) {
	small := DefaultTrainSettings()
	small.Arch.Filters, small.Arch.Hidden = 4, 8
	other, _ := newTrainTestSession(t, small, time.Millisecond)
	mustDo(t, other, TrainCommand{Op: TrainOpStep})
	otherArch := savedThroughJSON(t, other)

	a, _ := newTrainTestSession(t, DefaultTrainSettings(), time.Millisecond)
	mustDo(t, a, TrainCommand{Op: TrainOpStep})
	good := savedThroughJSON(t, a)
	edit := func(f func(sv *TrainSaved)) *TrainSaved {
		sv := *good
		sv.Models = append([]TrainSavedModel(nil), good.Models...)
		f(&sv)
		return &sv
	}
	nan := a.Net(TrainConv).Clone()
	nan.FirstConv().W.Data[3] = float32(math.NaN())
	cases := []struct {
		name string
		sv   *TrainSaved
		want string
	}{
		{"another architecture", otherArch, "another architecture (4 first-layer filters 5x5, pad 2, a second conv layer, an MLP of 8 hidden units), and the lesson is set to 8 first-layer filters"},
		{"another data set", edit(func(sv *TrainSaved) { sv.Settings.Data = TrainColour }), "trained on the colour patterns, and the lesson is set to the MNIST digits"},
		{"truncated", edit(func(sv *TrainSaved) { w := sv.Models[0].Weights; sv.Models[0].Weights = w[:len(w)-9] }), "those of the conv net cannot be read: weights: checksum"},
		{"garbage", edit(func(sv *TrainSaved) { sv.Models[2].Weights = []byte("not a weights file at all") }), "those of the MLP cannot be read: weights: not a ConvLab weights file"},
		{"wrong model", edit(func(sv *TrainSaved) { sv.Models[0].Weights = good.Models[1].Weights }), "those of the conv net are for another network"},
		{"not finite", edit(func(sv *TrainSaved) { sv.Models[0].Weights = nan.Marshal() }), "value 3 of tensor 1 is NaN"},
		{"missing model", edit(func(sv *TrainSaved) { sv.Models = sv.Models[:2] }), "they hold 2 models, not 3"},
		{"negative count", edit(func(sv *TrainSaved) { sv.Models[1].Steps = -1 }), "the training figures of the linear classifier are impossible"},
		{"curve going back", edit(func(sv *TrainSaved) {
			sv.Models[2].Curve, sv.Models[2].CurveEvery = []TrainPoint{{Examples: 200}, {Examples: 100}}, 100
		}), "the curve of the MLP goes back from 200 examples to 100"},
		{"time-lapse of another size", edit(func(sv *TrainSaved) {
			sv.Timelapse = []TrainSnapshot{{Examples: 0, Weights: make(Float32s, 7)}}
		}), "the time-lapse frame 1 holds 7 values; the filters have 200"},
		{"nothing", nil, "the restore command carries nothing"},
	}
	b, _ := newTrainTestSession(t, DefaultTrainSettings(), time.Millisecond)
	mustDo(t, b, TrainCommand{Op: TrainOpStep})
	mustDo(t, b, TrainCommand{Op: TrainOpStep})
	b.Report()
	for _, c := range cases {
		before, examples, settings := weightsOf(b.Net(TrainConv)), b.examples, b.Settings()
		mlp := weightsOf(b.Net(TrainMLP))
		err := b.Do(TrainCommand{Op: TrainOpRestore, Saved: c.sv})
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "your saved weights were not restored: ") {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
		if !sameBits(before, weightsOf(b.Net(TrainConv))) || !sameBits(mlp, weightsOf(b.Net(TrainMLP))) || b.examples != examples || b.Settings() != settings {
			t.Errorf("%s: a refused restore changed the session", c.name)
		}
		if st := b.model(TrainConv).stats(); st.Steps != 2 {
			t.Errorf("%s: %d steps after a refused restore, want 2", c.name, st.Steps)
		}
		r := b.Report()
		if len(r.Messages) != 1 || r.Messages[0] != err.Error() || r.Saved != nil {
			t.Errorf("%s: report messages %q (saved %v), want the refusal alone", c.name, r.Messages, r.Saved != nil)
		}
	}
	// A command whose saved value is not even JSON of the right form is
	// refused by the host, and still counted as a restore answered.
	h := &TrainHost{Session: b, clock: newFakeClock(time.Millisecond).read}
	h.Receive([]byte(`{"op":"restore","saved":{"models":[{"name":"conv","weights":"%%%"}]}}`))
	r := b.Report()
	if r.Restores != len(cases)+1 || len(r.Messages) != 1 || !strings.Contains(r.Messages[0], "could not be read") {
		t.Fatalf("undecodable restore: restores %d, messages %q", r.Restores, r.Messages)
	}
}

// TestTrainSavedPacing: reports carry the weights after training stops
// (a pause, a step, a reset) and every TrainSaveEvery of training, and
// not otherwise: not the seed's weights, not every report while playing,
// not twice for the same weights.
func TestTrainSavedPacing(t *testing.T) {
	s := DefaultTrainSettings()
	sess, clock := newTrainTestSession(t, s, 0)
	if r := sess.Report(); r.Saved != nil {
		t.Fatal("a new session saves the seed's weights")
	}
	mustDo(t, sess, TrainCommand{Op: TrainOpPlay})
	var savedAt []int
	for sec := 1; sec <= 21; sec++ {
		clock.now = clock.now.Add(time.Second)
		sess.Run(0) // one round
		if r := sess.Report(); r.Saved != nil {
			savedAt = append(savedAt, sec)
			if got, want := r.Saved.Models[0].Steps, sess.model(TrainConv).stats().Steps; got != want {
				t.Fatalf("the save at %d s holds %d steps, the conv net has taken %d", sec, got, want)
			}
			if !sameBits(weightsOf(sess.Net(TrainConv)), weightsOf(mustUnmarshal(t, r.Saved.Models[0].Weights))) {
				t.Fatalf("the save at %d s does not hold the conv net's weights", sec)
			}
		}
	}
	if !reflect.DeepEqual(savedAt, []int{10, 20}) {
		t.Fatalf("saved at %v s of training, want [10 20]", savedAt)
	}
	mustDo(t, sess, TrainCommand{Op: TrainOpPause})
	if r := sess.Report(); r.Saved == nil || r.Saved.Models[0].Steps != 21 {
		t.Fatal("the report after a pause does not save the last round")
	}
	if r := sess.Report(); r.Saved != nil {
		t.Fatal("the same weights are saved twice")
	}
	mustDo(t, sess, TrainCommand{Op: TrainOpStep})
	if r := sess.Report(); r.Saved == nil || r.Saved.Models[0].Steps != 22 {
		t.Fatal("the report after a step does not save it")
	}
	mustDo(t, sess, TrainCommand{Op: TrainOpReset})
	if r := sess.Report(); r.Saved == nil || r.Saved.Models[0].Steps != 0 || r.Saved.Examples != 0 {
		t.Fatal("the report after a reset does not save the fresh weights")
	}
	mustDo(t, sess, TrainCommand{Op: TrainOpPretrained})
	if r := sess.Report(); r.Saved == nil || !r.Saved.Models[0].Pretrained {
		t.Fatal("the report after loading the pretrained weights does not save them")
	}
}

func mustUnmarshal(t *testing.T, b []byte) *nn.Net {
	t.Helper()
	n, err := nn.Unmarshal(b)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
