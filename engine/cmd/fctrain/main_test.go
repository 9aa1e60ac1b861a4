package main

import (
	"bytes"
	"io"
	"math/rand"
	"testing"

	"convlab/assets"
	"convlab/engine/data"
	"convlab/engine/lesson"
	"convlab/engine/nn"
	"convlab/engine/train"
)

// TestCommittedAssetsMatchCommand trains the classifier again and compares
// both files with the committed ones, byte for byte.
func TestCommittedAssetsMatchCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("trains for a few seconds")
	}
	weights, digits, err := build(defaultRecipe(), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(weights, []byte(assets.FCLinear)) {
		t.Error("assets/fc-linear.bin differs from what the recipe trains: run go run ./engine/cmd/fctrain")
	}
	if !bytes.Equal(digits, []byte(assets.FCDigits)) {
		t.Error("assets/fc-digits.png differs from what the command picks: run go run ./engine/cmd/fctrain")
	}
}

// TestShippedAccuracy checks what assets.go promises: 87.40% of the 2,000
// colour test digits right, and each shipped digit classified as its class.
func TestShippedAccuracy(t *testing.T) {
	net, err := nn.Unmarshal([]byte(assets.FCLinear))
	if err != nil {
		t.Fatal(err)
	}
	_, test, err := data.ParseMNIST([]byte(assets.MNIST))
	if err != nil {
		t.Fatal(err)
	}
	set, err := lesson.ColourDigits(test, rand.New(rand.NewSource(testInkSeed)))
	if err != nil {
		t.Fatal(err)
	}
	ev, err := train.Evaluate(net, lesson.FCSource{Set: set})
	if err != nil {
		t.Fatal(err)
	}
	if ev.Accuracy < 0.8735 || ev.Accuracy > 0.8745 {
		t.Errorf("test accuracy %.4f, assets.go says 0.8740", ev.Accuracy)
	}
	shown, err := lesson.DecodeFCDigits([]byte(assets.FCDigits))
	if err != nil {
		t.Fatal(err)
	}
	ev, err = train.Evaluate(net, lesson.FCSource{Set: shown})
	if err != nil {
		t.Fatal(err)
	}
	if ev.Accuracy != 1 || shown.Len() != 10 {
		t.Errorf("the %d shipped digits are classified %v", shown.Len(), ev.Predicted)
	}
}
