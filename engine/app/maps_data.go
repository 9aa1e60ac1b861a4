package app

import (
	"fmt"
	"math/rand"

	"convlab/assets"
	"convlab/engine/data"
	"convlab/engine/lesson"
	"convlab/engine/nn"
	"convlab/engine/tensor"
	"convlab/engine/ui"
)

// MapsConfig is what the activation-maps screen is made from.
type MapsConfig struct {
	Sources lesson.Sources // the pictures to choose from
	// Learned are weights files (engine/nn's format) of trained networks
	// whose first layer the "load trained filters" button puts into the
	// bank: at most one per input channel count that matters (1 for
	// digits, 3 for colour pictures).
	Learned []LearnedWeights
	Seed    int64 // seeds the stack's and the composition check's weights and the random preset
	// Frame returns the page's current mapping from layout units to CSS
	// pixels, which turns a pointer position inside the drawing pad or a
	// map into pad pixels or activations. Nil means one CSS pixel per unit.
	Frame func() ui.Frame
	// LoadDigits, when Sources.Digits is nil, reads the digits the first
	// time the student asks for one: reading the shipped MNIST subset takes
	// about half a second in the browser, which the page's start should not
	// wait for.
	LoadDigits func() (*data.Set, error)
	// SourceError says why a data set is missing, for the page to tell.
	SourceError string
}

// LearnedWeights is a trained network's weights file and what it learned
// from, as the page names it ("digits", "colour patterns").
type LearnedWeights struct {
	From    string
	Weights []byte // engine/nn's weights format (nn.Marshal)
}

// mapsLearned is a trained network's first layer, ready to load.
type mapsLearned struct {
	from string
	w    *tensor.Tensor // (F, C, K, K)
	b    []float32      // (F)
}

// ShippedMaps returns the configuration the page starts the lesson with:
// the photo-like pictures at 32 x 32, 60 generated colour patterns (ten of
// each class), the MNIST test digits of assets.MNIST (read when first
// needed), and the first-layer filters of the networks trained by
// go run ./engine/cmd/pretrain on digits and on colour patterns. frame may be
// nil: the app hands the screen its frame (SetFrame).
func ShippedMaps(frame func() ui.Frame) MapsConfig {
	return MapsConfig{
		Sources: lesson.Sources{
			Pictures: data.PictureSet(data.Pictures()),
			Colour:   data.Colour(60, rand.New(rand.NewSource(1))),
		},
		LoadDigits: ShippedDigits,
		Learned: []LearnedWeights{
			{From: "digits", Weights: []byte(assets.PretrainedMNIST)},
			{From: "colour patterns", Weights: []byte(assets.PretrainedColour)},
		},
		Seed:  1,
		Frame: frame,
	}
}

// ShippedDigits reads the 2,000 MNIST test digits of assets.MNIST.
func ShippedDigits() (*data.Set, error) {
	_, test, err := data.ParseMNIST([]byte(assets.MNIST))
	if err != nil {
		return nil, fmt.Errorf("the digits could not be read: %w", err)
	}
	return test, nil
}

// LearnedFirstLayer reads a weights file and returns its first layer's
// filters (F, C, K, K) and biases (F). It refuses a file nn.Unmarshal
// refuses and a network whose first layer is not a convolution (its
// weights would not be filters over the picture).
func LearnedFirstLayer(b []byte) (w *tensor.Tensor, bias []float32, err error) {
	net, err := nn.Unmarshal(b)
	if err != nil {
		return nil, nil, err
	}
	if len(net.Layers) == 0 {
		return nil, nil, fmt.Errorf("the network has no layers")
	}
	conv, ok := net.Layers[0].(*nn.Conv)
	if !ok {
		return nil, nil, fmt.Errorf("the network's first layer is %s, not a convolution", net.Spec.Layers[0].Type)
	}
	return conv.W.Clone(), append([]float32(nil), conv.B.Data...), nil
}
