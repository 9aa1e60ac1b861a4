package lesson

import (
	"fmt"
	"math/rand"

	"convlab/engine/data"
	"convlab/engine/nn"
	"convlab/engine/train"
)

// TrainingLesson is the id of the training lesson.
const TrainingLesson = "training"

// Data sets the training lesson trains on.
const (
	TrainMNIST  = "mnist"  // handwritten digits, 1 x 28 x 28, cropped to 24 x 24
	TrainColour = "colour" // data.Colour's oriented and colour-opponent patterns, 3 x 32 x 32, cropped to 24 x 24
)

// The three models of the lesson (slides 26–28). They train on the same
// minibatches, step for step.
const (
	TrainConv   = "conv"   // the conv net: first-layer filters are local templates
	TrainLinear = "linear" // a linear classifier: one whole-image template per class
	TrainMLP    = "mlp"    // a two-layer MLP: each hidden unit is a whole-image template
)

// TrainModelNames lists the models in the order reports give them.
func TrainModelNames() []string { return []string{TrainConv, TrainLinear, TrainMLP} }

// Limits of the training lesson's controls.
const (
	TrainCrop       = 24 // side of the square crop every model sees (ConvNetJS crops digits to 24 x 24)
	TrainMinFilters = 4
	TrainMaxFilters = 32
	TrainMaxPad     = 3
	TrainMinHidden  = 4
	TrainMaxHidden  = 64
	// TrainMaxBatch is the largest minibatch the lesson takes: a step cannot
	// be split, so a bigger one would overrun a slice of the page's time.
	TrainMaxBatch = 128
)

// TrainKernels are the first conv layer's kernel sizes the lesson offers.
func TrainKernels() []int { return []int{3, 5, 7} }

// The colour set the lesson makes: sizes and the seeds of its training
// and test halves (data.Colour gives the same pictures for the same seed).
const (
	TrainColourTrainSize = 6000
	TrainColourTestSize  = 1200
	TrainColourTrainSeed = 1
	TrainColourTestSeed  = 2
)

// TrainArch is the architecture the student chooses. The conv net is
//
//	conv K x K x Filters, pad Pad; ReLU; max pool 2/2;
//	[conv 5 x 5 x 16, pad 2; ReLU; max pool 3/3;]   (when Conv2)
//	linear (one score per class)
//
// which with the defaults is the reference net of nn.ReferenceSpec. The
// MLP is linear Hidden; ReLU; linear (one score per class). The linear
// classifier is one linear layer.
type TrainArch struct {
	Filters int  `json:"filters"` // first-layer filters, TrainMinFilters..TrainMaxFilters
	Kernel  int  `json:"kernel"`  // first-layer kernel side: 3, 5 or 7
	Pad     int  `json:"pad"`     // first-layer zero padding, 0..TrainMaxPad
	Conv2   bool `json:"conv2"`   // the second conv block
	Hidden  int  `json:"hidden"`  // the MLP's hidden units, TrainMinHidden..TrainMaxHidden
}

// TrainHyper holds the hyperparameters the student sets; Hyper fills in
// the rest from train.Defaults.
type TrainHyper struct {
	Optimizer string  `json:"optimizer"` // train.SGD, train.Adam or train.Adadelta
	LR        float32 `json:"lr"`        // learning rate (SGD and Adam; Adadelta has none)
	Batch     int     `json:"batch"`     // examples per step, 1..TrainMaxBatch
	Momentum  float32 `json:"momentum"`  // SGD momentum in [0, 1)
	Decay     float32 `json:"decay"`     // L2 weight decay (see train.Hyper.Decay)
	Seed      int64   `json:"seed"`      // seeds the weights and the order of examples
}

// Hyper returns the hyperparameters as the trainer takes them.
func (h TrainHyper) Hyper() train.Hyper {
	t := train.Defaults()
	t.Optimizer, t.LR, t.Batch, t.Momentum, t.Decay, t.Seed = h.Optimizer, h.LR, h.Batch, h.Momentum, h.Decay, h.Seed
	return t
}

// TrainModels says which models train when the session plays or steps.
type TrainModels struct {
	Conv   bool `json:"conv"`
	Linear bool `json:"linear"`
	MLP    bool `json:"mlp"`
}

// On reports whether the named model trains.
func (m TrainModels) On(name string) bool {
	switch name {
	case TrainConv:
		return m.Conv
	case TrainLinear:
		return m.Linear
	case TrainMLP:
		return m.MLP
	}
	return false
}

// TrainSettings are everything the student chooses, as plain JSON.
type TrainSettings struct {
	Data   string      `json:"data"` // TrainMNIST or TrainColour
	Arch   TrainArch   `json:"arch"`
	Hyper  TrainHyper  `json:"hyper"`
	Models TrainModels `json:"models"`
}

// DefaultTrainSettings returns the lesson's start: MNIST, the reference net,
// an MLP of 16 hidden units, the ConvNetJS demo's hyperparameters
// (Adadelta, minibatch 20, weight decay 0.001/20; learning rate 0.01 for
// when SGD or Adam is chosen), seed 1, all three models training.
func DefaultTrainSettings() TrainSettings {
	d := train.Defaults()
	return TrainSettings{
		Data:   TrainMNIST,
		Arch:   TrainArch{Filters: 8, Kernel: 5, Pad: 2, Conv2: true, Hidden: 16},
		Hyper:  TrainHyper{Optimizer: d.Optimizer, LR: d.LR, Batch: d.Batch, Momentum: d.Momentum, Decay: d.Decay, Seed: 1},
		Models: TrainModels{Conv: true, Linear: true, MLP: true},
	}
}

// trainShape returns the shape of one example of the named data set as
// the models take it: (C, TrainCrop, TrainCrop).
func trainShape(set string) ([3]int, error) {
	switch set {
	case TrainMNIST:
		return [3]int{1, TrainCrop, TrainCrop}, nil
	case TrainColour:
		return [3]int{3, TrainCrop, TrainCrop}, nil
	}
	return [3]int{}, fmt.Errorf("unknown data set %q: choose %q or %q", set, TrainMNIST, TrainColour)
}

// trainClasses returns the number of classes of the named data set.
func trainClasses(set string) int {
	if set == TrainColour {
		return len(data.ColourClasses())
	}
	return len(data.MNISTClasses())
}

// Spec returns the named model's network for these settings. The conv
// net's spec may fail nn's checks (say, padding that leaves the second
// pool a fractional size); the error then names the layer.
func (s TrainSettings) Spec(model string) (nn.Spec, error) {
	in, err := trainShape(s.Data)
	if err != nil {
		return nn.Spec{}, err
	}
	k := trainClasses(s.Data)
	spec := nn.Spec{Input: in}
	switch model {
	case TrainConv:
		a := s.Arch
		spec.Layers = []nn.LayerSpec{
			{Type: nn.TypeConv, Filters: a.Filters, Kernel: a.Kernel, Pad: a.Pad}, {Type: nn.TypeReLU},
			{Type: nn.TypeMaxPool, Size: 2, Stride: 2},
		}
		if a.Conv2 {
			spec.Layers = append(spec.Layers,
				nn.LayerSpec{Type: nn.TypeConv, Filters: 16, Kernel: 5, Pad: 2}, nn.LayerSpec{Type: nn.TypeReLU},
				nn.LayerSpec{Type: nn.TypeMaxPool, Size: 3, Stride: 3})
		}
		spec.Layers = append(spec.Layers, nn.LayerSpec{Type: nn.TypeLinear, Out: k})
	case TrainLinear:
		spec.Layers = []nn.LayerSpec{{Type: nn.TypeLinear, Out: k}}
	case TrainMLP:
		spec.Layers = []nn.LayerSpec{{Type: nn.TypeLinear, Out: s.Arch.Hidden}, {Type: nn.TypeReLU}, {Type: nn.TypeLinear, Out: k}}
	default:
		return nn.Spec{}, fmt.Errorf("unknown model %q: choose %q, %q or %q", model, TrainConv, TrainLinear, TrainMLP)
	}
	return spec, spec.Check()
}

// Check reports the first setting that cannot work, in words: a value out
// of the lesson's range, a hyperparameter train refuses, or a conv net nn
// cannot build (naming the layer).
func (s TrainSettings) Check() error {
	if _, err := trainShape(s.Data); err != nil {
		return err
	}
	a := s.Arch
	switch {
	case a.Filters < TrainMinFilters || a.Filters > TrainMaxFilters:
		return fmt.Errorf("%d first-layer filters: choose %d to %d", a.Filters, TrainMinFilters, TrainMaxFilters)
	case a.Kernel != 3 && a.Kernel != 5 && a.Kernel != 7:
		return fmt.Errorf("kernel %dx%d: choose 3x3, 5x5 or 7x7", a.Kernel, a.Kernel)
	case a.Pad < 0 || a.Pad > TrainMaxPad:
		return fmt.Errorf("padding %d: choose 0 to %d", a.Pad, TrainMaxPad)
	case a.Hidden < TrainMinHidden || a.Hidden > TrainMaxHidden:
		return fmt.Errorf("%d hidden units: choose %d to %d", a.Hidden, TrainMinHidden, TrainMaxHidden)
	case s.Hyper.Batch < 1 || s.Hyper.Batch > TrainMaxBatch:
		return fmt.Errorf("batch size %d: choose 1 to %d", s.Hyper.Batch, TrainMaxBatch)
	}
	if err := s.Hyper.Hyper().Check(); err != nil {
		return err
	}
	for _, m := range TrainModelNames() {
		if _, err := s.Spec(m); err != nil {
			return err
		}
	}
	return nil
}

// TrainLedger returns the per-layer ledger (output shapes, parameters,
// multiply-adds per example) of the conv net the settings describe, or
// the error naming the first layer that cannot work.
func TrainLedger(s TrainSettings) ([]nn.LedgerRow, error) {
	spec, err := s.Spec(TrainConv)
	if err != nil {
		return nil, err
	}
	return spec.Ledger()
}

// TrainData holds the data sets the lesson trains on and the shipped
// pretrained weights.
type TrainData struct {
	MNISTTrain, MNISTTest   *data.Set
	ColourTrain, ColourTest *data.Set // made by TrainColourSets on first use when nil
	// Pretrained holds nn weights files by data set name (TrainMNIST,
	// TrainColour); either may be missing.
	Pretrained map[string][]byte
}

// NewTrainData parses the MNIST asset (the bytes of assets.MNIST) and
// keeps the pretrained weights files.
func NewTrainData(mnist []byte, pretrained map[string][]byte) (*TrainData, error) {
	tr, te, err := data.ParseMNIST(mnist)
	if err != nil {
		return nil, err
	}
	return &TrainData{MNISTTrain: tr, MNISTTest: te, Pretrained: pretrained}, nil
}

// TrainColourSets makes the lesson's colour set: TrainColourTrainSize
// training and TrainColourTestSize test pictures, each half from its
// fixed seed, so every run (and the pretraining command) sees the same
// pictures.
func TrainColourSets() (trainSet, testSet *data.Set) {
	trainSet = data.Colour(TrainColourTrainSize, rand.New(rand.NewSource(TrainColourTrainSeed)))
	testSet = data.Colour(TrainColourTestSize, rand.New(rand.NewSource(TrainColourTestSeed)))
	trainSet.Name, testSet.Name = "colour-train", "colour-test"
	return trainSet, testSet
}

// Sets returns the training and test sets of the named data set, making
// the colour set on first use.
func (d *TrainData) Sets(name string) (trainSet, testSet *data.Set, err error) {
	switch name {
	case TrainMNIST:
		if d.MNISTTrain == nil || d.MNISTTest == nil {
			return nil, nil, fmt.Errorf("the MNIST digits are not loaded")
		}
		return d.MNISTTrain, d.MNISTTest, nil
	case TrainColour:
		if d.ColourTrain == nil || d.ColourTest == nil {
			d.ColourTrain, d.ColourTest = TrainColourSets()
		}
		return d.ColourTrain, d.ColourTest, nil
	}
	return nil, nil, fmt.Errorf("unknown data set %q: choose %q or %q", name, TrainMNIST, TrainColour)
}

// TrainSources returns the training and test sources of the named data
// set as every model of the lesson sees them: TrainCrop x TrainCrop crops
// (random for training, centred for testing), pixels p/255 − 0.5.
func (d *TrainData) TrainSources(name string) (trainSrc, testSrc *train.SetSource, err error) {
	tr, te, err := d.Sets(name)
	if err != nil {
		return nil, nil, err
	}
	if trainSrc, err = train.FromSet(tr, TrainCrop); err != nil {
		return nil, nil, err
	}
	if testSrc, err = train.FromSet(te, TrainCrop); err != nil {
		return nil, nil, err
	}
	return trainSrc, testSrc, nil
}
