package train

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"convlab/assets"
	"convlab/engine/data"
	"convlab/engine/nn"
)

// TestMNIST trains the reference net (the ConvNetJS MNIST demo) with the
// demo's settings on the shipped subset and checks test accuracy: with
// seed 1 it passes 95% within 1,500 minibatches of 20 (30,000 examples,
// three passes over the 10,000 training digits; 96.05% when written).
func TestMNIST(t *testing.T) {
	if testing.Short() {
		t.Skip("trains for several seconds")
	}
	trainSrc, testSrc := mnistSources(t)
	net, err := NewNet(nn.ReferenceSpec(), 1)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := New(net, trainSrc, Defaults())
	if err != nil {
		t.Fatal(err)
	}
	st, err := tr.Run(Budget{Steps: 1500})
	if err != nil {
		t.Fatal(err)
	}
	ev, err := Evaluate(net, testSrc)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d examples: loss %.3f, train accuracy %.3f; test accuracy %.4f on %d digits",
		st.Examples, st.Loss, st.Accuracy, ev.Accuracy, testSrc.Len())
	if ev.Accuracy <= 0.95 {
		t.Fatalf("test accuracy %.4f after %d examples, want above 0.95", ev.Accuracy, st.Examples)
	}
}

// TestDivergenceKeepsTrainedWeights: a student trains the reference net
// for 400 steps, then types a learning rate of 10. The first update at that
// rate wrecks the weights without making any of them infinite (the next
// loss is about 670, against 2.3 for guessing); the guard stops there and
// gives back the weights from before that update, bit for bit, with their
// test accuracy, and a sane rate trains on from them. (Restoring the
// weights from the start of the last step whose loss was merely finite
// would give back a wrecked net that scores about 10%.)
func TestDivergenceKeepsTrainedWeights(t *testing.T) {
	if testing.Short() {
		t.Skip("trains for several seconds")
	}
	trainSrc, testSrc := mnistSources(t)
	net, _ := NewNet(nn.ReferenceSpec(), 1)
	tr, _ := New(net, trainSrc, Defaults())
	if _, err := tr.Run(Budget{Steps: 400}); err != nil {
		t.Fatal(err)
	}
	trained := weights(net)
	ev0, _ := Evaluate(net, testSrc)
	loss0 := tr.Stats().Loss

	tr.Hyper.Optimizer, tr.Hyper.LR = SGD, 10
	_, err := tr.Run(Budget{Steps: 300})
	var d *DivergenceError
	if !errors.As(err, &d) {
		t.Fatalf("learning rate 10: %v, want a divergence", err)
	}
	t.Logf("%v", err)
	if d.What != "loss" || bad(d.Value) || d.Value <= ExplodedLoss || d.Step != 402 || d.Restored != 401 {
		t.Fatalf("%+v: want an exploded finite loss at step 402, restored to 401", d)
	}
	if d.Layer < 1 || d.LayerName != net.Layers[d.Layer-1].Name() || d.Changed <= 1 {
		t.Fatalf("layer %d %q moved %g times its size", d.Layer, d.LayerName, d.Changed)
	}
	for _, want := range []string{"the loss jumped to", "guessing scores 2.30", "as layer 7 (" + d.LayerName + ") moved", "step 401 are restored"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q does not say %q", err, want)
		}
	}
	if !reflect.DeepEqual(weights(net), trained) {
		t.Fatal("the restored weights are not those from before the first step at rate 10")
	}
	if ev, _ := Evaluate(net, testSrc); ev.Accuracy != ev0.Accuracy {
		t.Fatalf("test accuracy %.4f after restoring, %.4f before", ev.Accuracy, ev0.Accuracy)
	}
	if st := tr.Stats(); st.Loss != loss0 || st.Steps != 401 {
		t.Fatalf("smoothed loss %g after %d steps, want %g (as before the rate changed) after 401", st.Loss, st.Steps, loss0)
	}

	tr.Hyper.LR = 0.01
	if _, err := tr.Run(Budget{Steps: 200}); err != nil {
		t.Fatalf("learning rate 0.01 after restoring: %v", err)
	}
	ev, _ := Evaluate(net, testSrc)
	t.Logf("test accuracy %.4f after 400 steps, %.4f after 200 more at SGD 0.01", ev0.Accuracy, ev.Accuracy)
	if ev.Accuracy < ev0.Accuracy-0.02 {
		t.Fatalf("training on from the restored weights: %.4f, before the divergence %.4f", ev.Accuracy, ev0.Accuracy)
	}
}

// mnistSources returns the shipped MNIST subset's training and test
// digits as the reference net takes them, cut to 24 x 24.
func mnistSources(t *testing.T) (trainSrc, testSrc *SetSource) {
	t.Helper()
	trainSet, testSet, err := data.ParseMNIST([]byte(assets.MNIST))
	if err != nil {
		t.Fatal(err)
	}
	if trainSrc, err = FromSet(trainSet, 24); err != nil {
		t.Fatal(err)
	}
	if testSrc, err = FromSet(testSet, 24); err != nil {
		t.Fatal(err)
	}
	return trainSrc, testSrc
}
