package train

import (
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
	trainSet, testSet, err := data.ParseMNIST([]byte(assets.MNIST))
	if err != nil {
		t.Fatal(err)
	}
	trainSrc, err := FromSet(trainSet, 24)
	if err != nil {
		t.Fatal(err)
	}
	testSrc, _ := FromSet(testSet, 24)
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
