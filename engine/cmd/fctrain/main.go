// Command fctrain trains the fully-connected-vs-convolution lesson's linear
// classifier (slide 10's 10 x 3072 weight matrix and 10 biases) and picks
// the digits the lesson shows, writing both into assets/:
//
//	go run ./engine/cmd/fctrain          # writes assets/fc-linear.bin and assets/fc-digits.png
//	go run ./engine/cmd/fctrain -check   # trains and compares with the committed files instead
//
// The data are the MNIST digits of assets/mnist.gz drawn as 3 x 32 x 32
// colour pictures by lesson.ColourDigits (the 10,000 training digits with
// ink colours from seed 1, the 2,000 test digits from seed 2), pixels
// scaled to [0, 1] (lesson.FCSource), always centred. The classifier is
// lesson.FCSpec (one linear layer) trained by SGD from seed 1 with the
// recipe below, from zero weights, so a pixel that no digit lights keeps
// weight 0 and the templates' backgrounds stay clean.
// fc-digits.png holds, in class order, the first test digit of each class
// that the shipped classifier gets right. The same machine architecture
// gives the same bytes (float rounding may differ between architectures
// that fuse multiply-adds).
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"time"

	"convlab/assets"
	"convlab/engine/data"
	"convlab/engine/lesson"
	"convlab/engine/nn"
	"convlab/engine/train"
)

// Seeds of the ink colours of the training and test digits.
const (
	trainInkSeed = 1
	testInkSeed  = 2
)

// recipe is how the classifier is trained.
type recipe struct {
	hyper  train.Hyper
	epochs int     // passes over the training digits
	decay  float32 // the learning rate is multiplied by this after every pass
	want   float64 // the least test accuracy the command accepts
}

// defaultRecipe is SGD with momentum 0.9 and weight decay 0.01, the
// learning rate shrinking after every pass: 87.4% on the test digits. A
// weight decay of 0.001 gives 87.9% but speckled templates; 0.01 keeps
// them smooth enough to read as digits.
func defaultRecipe() recipe {
	return recipe{
		hyper:  train.Hyper{Optimizer: train.SGD, LR: 0.01, Momentum: 0.9, Decay: 0.01, Batch: 20, Seed: 1},
		epochs: 12, decay: 0.8, want: 0.86,
	}
}

func main() {
	check := flag.Bool("check", false, "train, then compare with the files in assets/ instead of writing them")
	r := defaultRecipe()
	lr := flag.Float64("lr", float64(r.hyper.LR), "starting learning rate")
	wd := flag.Float64("wd", float64(r.hyper.Decay), "weight decay")
	flag.IntVar(&r.epochs, "epochs", r.epochs, "passes over the training digits")
	flag.Parse()
	r.hyper.LR, r.hyper.Decay = float32(*lr), float32(*wd)
	if err := run(*check, r, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "fctrain:", err)
		os.Exit(1)
	}
}

func run(check bool, r recipe, log io.Writer) error {
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	weights, digits, err := build(r, log)
	if err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		b    []byte
	}{{"fc-linear.bin", weights}, {"fc-digits.png", digits}} {
		path := filepath.Join(root, "assets", f.name)
		if check {
			old, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			if !bytes.Equal(old, f.b) {
				return fmt.Errorf("%s differs from what the recipe makes now", path)
			}
			fmt.Fprintf(log, "%s is what the recipe makes\n", path)
			continue
		}
		if err := os.WriteFile(path, f.b, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(log, "wrote %s (%d bytes)\n", path, len(f.b))
	}
	return nil
}

// build trains the classifier and picks the digits; it returns the weights
// file and the digits' PNG strip.
func build(r recipe, log io.Writer) (weights, digits []byte, err error) {
	trainDigits, testDigits, err := data.ParseMNIST([]byte(assets.MNIST))
	if err != nil {
		return nil, nil, err
	}
	trainSet, err := lesson.ColourDigits(trainDigits, rand.New(rand.NewSource(trainInkSeed)))
	if err != nil {
		return nil, nil, err
	}
	testSet, err := lesson.ColourDigits(testDigits, rand.New(rand.NewSource(testInkSeed)))
	if err != nil {
		return nil, nil, err
	}
	net, acc, err := fit(trainSet, testSet, r, log)
	if err != nil {
		return nil, nil, err
	}
	fmt.Fprintf(log, "test accuracy %.4f on %d colour digits\n", acc, testSet.Len())
	chosen, err := pick(net, testSet)
	if err != nil {
		return nil, nil, err
	}
	digits, err = lesson.EncodeFCDigits(chosen)
	if err != nil {
		return nil, nil, err
	}
	return net.Marshal(), digits, nil
}

// fit trains lesson.FCSpec on trainSet from zero weights and returns the
// net and its test accuracy.
func fit(trainSet, testSet *data.Set, r recipe, log io.Writer) (*nn.Net, float64, error) {
	net, err := nn.Build(lesson.FCSpec(), nil) // zero weights: a pixel that is never lit keeps weight 0
	if err != nil {
		return nil, 0, err
	}
	trainSrc, testSrc := lesson.FCSource{Set: trainSet}, lesson.FCSource{Set: testSet}
	tr, err := train.New(net, trainSrc, r.hyper)
	if err != nil {
		return nil, 0, err
	}
	for epoch := 1; epoch <= r.epochs; epoch++ {
		start := time.Now()
		st, ev, err := tr.Pass(testSrc)
		if err != nil {
			return nil, 0, err
		}
		fmt.Fprintf(log, "pass %2d: lr %.5f, train loss %.4f, train accuracy %.4f, test accuracy %.4f (%.1f s)\n",
			epoch, tr.Hyper.LR, st.Loss, st.Accuracy, ev.Accuracy, time.Since(start).Seconds())
		tr.Hyper.LR *= r.decay
	}
	ev, err := train.Evaluate(net, testSrc)
	if err != nil {
		return nil, 0, err
	}
	if ev.Accuracy < r.want {
		return nil, ev.Accuracy, fmt.Errorf("test accuracy %.4f is below the %.2f the lesson promises", ev.Accuracy, r.want)
	}
	return net, ev.Accuracy, nil
}

// pick returns, in class order, the first picture of each class in set
// that net classifies right.
func pick(net *nn.Net, set *data.Set) (*data.Set, error) {
	out := &data.Set{Name: "fc-digits", Classes: set.Classes, C: set.C, H: set.H, W: set.W}
	ev, err := train.Evaluate(net, lesson.FCSource{Set: set})
	if err != nil {
		return nil, err
	}
	for class := 0; class < len(set.Classes); class++ {
		found := false
		for i, l := range ev.Labels {
			if l == class && ev.Predicted[i] == class {
				out.Pixels = append(out.Pixels, set.Pixels[i*lesson.FCLen:(i+1)*lesson.FCLen]...)
				out.Labels = append(out.Labels, uint8(class))
				found = true
				break
			}
		}
		if !found {
			return nil, fmt.Errorf("no test digit of class %d is classified right", class)
		}
	}
	return out, nil
}

// moduleRoot returns the repository's top folder: the nearest folder at
// or above the working directory that holds go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		up := filepath.Dir(dir)
		if up == dir {
			return "", fmt.Errorf("no go.mod at or above the working directory: run the command inside the repository")
		}
		dir = up
	}
}
