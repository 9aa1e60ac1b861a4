package lesson

import (
	"fmt"
	"testing"
	"time"

	"convlab/engine/nn"
	"convlab/engine/tensor"
	"convlab/engine/train"
)

// TestTrainLearnsMNIST: two passes over 2,000 digits take every model well
// above chance on 500 held-out digits (measured exactly once paused), and
// the conv net's first-layer filters move away from their initial values.
func TestTrainLearnsMNIST(t *testing.T) {
	if testing.Short() {
		t.Skip("trains for several seconds")
	}
	clock := newFakeClock(time.Millisecond)
	sess, err := NewTrainSession(trainTestData(t, 2000, 500), DefaultTrainSettings(), clock.read)
	if err != nil {
		t.Fatal(err)
	}
	mustDo(t, sess, TrainCommand{Op: TrainOpPlay})
	for sess.examples < 4000 {
		sess.Run(50 * time.Millisecond)
	}
	mustDo(t, sess, TrainCommand{Op: TrainOpPause})
	for sess.Run(time.Second) {
	}
	r := sess.Report()
	want := map[string]float64{TrainConv: 0.85, TrainLinear: 0.7, TrainMLP: 0.6}
	for _, m := range r.Models {
		t.Logf("%s: %d examples, loss %.3f, train accuracy %.3f, test accuracy %.3f", m.Name, m.Examples, m.Loss, m.TrainAccuracy, m.TestAccuracy)
		if !m.TestExact || m.TestAccuracy < want[m.Name] || m.Loss > 1.5 {
			t.Errorf("%s: test accuracy %.3f (exact %v), loss %.3f after %d examples", m.Name, m.TestAccuracy, m.TestExact, m.Loss, m.Examples)
		}
	}
	first := sess.snapshots[0].Weights
	now := sess.Net(TrainConv).FirstConv().W.Data
	moved := 0.0
	for i := range now {
		moved = max(moved, float64(abs32(now[i]-first[i])))
	}
	if moved < 0.01 {
		t.Errorf("the filters moved by at most %v", moved)
	}
}

func abs32(v float32) float32 {
	if v < 0 {
		return -v
	}
	return v
}

// TestTrainPretrained: the shipped weights load, are the lesson's
// reference net, and reach their stated accuracy on the whole test set
// (train.Evaluate, independent of the session); loaded into a session, the
// session measures the same accuracy once paused.
func TestTrainPretrained(t *testing.T) {
	d := trainTestData(t, 100, 2000)
	for _, c := range []struct {
		set  string
		want float64
	}{
		{TrainMNIST, 0.98},
		{TrainColour, 0.99},
	} {
		net, err := nn.Unmarshal(d.Pretrained[c.set])
		if err != nil {
			t.Fatalf("%s: %v", c.set, err)
		}
		s := DefaultTrainSettings()
		s.Data = c.set
		spec, _ := s.Spec(TrainConv)
		built, _ := nn.Build(spec, nil)
		if fmt.Sprint(built.Spec) != fmt.Sprint(net.Spec) {
			t.Fatalf("%s: the pretrained net is %v, the lesson's %v", c.set, net.Spec, built.Spec)
		}
		_, testSrc, err := d.TrainSources(c.set)
		if err != nil {
			t.Fatal(err)
		}
		ev, err := train.Evaluate(net, testSrc)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: test accuracy %.4f on %d examples", c.set, ev.Accuracy, testSrc.Len())
		if ev.Accuracy < c.want {
			t.Errorf("%s: test accuracy %.4f, below the stated %.2f", c.set, ev.Accuracy, c.want)
		}
		if c.set != TrainMNIST {
			continue
		}
		sess, err := NewTrainSession(d, s, newFakeClock(time.Millisecond).read)
		if err != nil {
			t.Fatal(err)
		}
		// A drawing first: loading must answer it with the new weights.
		in := TrainInput{C: 1, H: 28, W: 28, Pixels: d.MNISTTest.Pixels[:784]}
		mustDo(t, sess, TrainCommand{Op: TrainOpPredict, Input: &in})
		mustDo(t, sess, TrainCommand{Op: TrainOpPlay})
		mustDo(t, sess, TrainCommand{Op: TrainOpPretrained})
		if sess.Running() {
			t.Fatal("loading did not pause")
		}
		for sess.Run(time.Second) {
		}
		r := sess.Report()
		conv := r.Models[0]
		if !conv.Pretrained || !conv.TestExact || conv.TestAccuracy != ev.Accuracy || conv.Steps != 0 {
			t.Fatalf("session after loading: %+v, Evaluate says %v", conv, ev.Accuracy)
		}
		if len(r.Messages) != 1 || r.Drawn == nil || fmt.Sprint(r.Drawn.Conv) != fmt.Sprint(r.Drawn.Pretrained) {
			t.Fatalf("messages %q; the drawing is not answered by the loaded weights", r.Messages)
		}
		if !r.SnapshotsReset || len(r.Snapshots) != 1 {
			t.Fatal("the time-lapse does not restart at the loaded filters")
		}
	}
	// No weights ship: refused, nothing changes.
	d.Pretrained = nil
	sess, _ := NewTrainSession(d, DefaultTrainSettings(), time.Now)
	if err := sess.Do(TrainCommand{Op: TrainOpPretrained}); err == nil {
		t.Fatal("loading absent weights was accepted")
	}
}

// ExampleTrainLedger prints the ledger of the reference net.
func ExampleTrainLedger() {
	rows, err := TrainLedger(DefaultTrainSettings())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range rows {
		fmt.Printf("%-22s %-13s %6d %8d\n", r.Name, tensor.ShapeString(r.Output), r.Params, r.MultiplyAdds)
	}
	// Output:
	// conv 5x5 x8, pad 2     8 x 24 x 24      208   115200
	// relu                   8 x 24 x 24        0        0
	// maxpool 2x2, stride 2  8 x 12 x 12        0        0
	// conv 5x5 x16, pad 2    16 x 12 x 12    3216   460800
	// relu                   16 x 12 x 12       0        0
	// maxpool 3x3, stride 3  16 x 4 x 4         0        0
	// linear 10              10              2570     2560
}
