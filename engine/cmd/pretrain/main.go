// Command pretrain trains the training lesson's reference net natively and
// writes its weights, in nn's weights format, into assets/:
//
//	go run ./engine/cmd/pretrain            # writes assets/pretrained-mnist.bin and pretrained-colour.bin
//	go run ./engine/cmd/pretrain -check     # trains and compares with the committed files instead
//	go run ./engine/cmd/pretrain -set mnist # only one of the two
//
// Each net is the lesson's default conv net (lesson.DefaultTrainSettings:
// 24x24 crops, conv 5x5 x8 pad 2, ReLU, max pool 2, conv 5x5 x16 pad 2,
// ReLU, max pool 3, linear) trained from a fixed seed on exactly the
// examples the lesson trains on (lesson.TrainData.TrainSources), with the
// recipe below, and evaluated on the lesson's test examples. The same
// machine architecture gives the same bytes (float rounding may differ
// between architectures that fuse multiply-adds).
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"convlab/assets"
	"convlab/engine/lesson"
	"convlab/engine/nn"
	"convlab/engine/train"
)

// recipe is how one data set's net is trained.
type recipe struct {
	set    string
	hyper  lesson.TrainHyper
	epochs int     // passes over the training examples
	decay  float32 // the learning rate is multiplied by this after every pass
	// average is the number of last passes whose end weights are averaged
	// into the shipped net (0 or 1 ships the last weights as they are).
	average int
	want    float64 // the least test accuracy the command accepts
}

// recipes returns the recipe of every data set: SGD with momentum 0.9
// from seed 1, the learning rate shrinking after every pass, the shipped
// weights the average of the last passes' (which evens out the noise of
// the last minibatches). The MNIST recipe's passes reach 97.2% after 10
// and about 98% from 25 on; the colour set is learned in a few passes.
func recipes() []recipe {
	sgd := lesson.TrainHyper{Optimizer: train.SGD, LR: 0.05, Momentum: 0.9, Batch: 20, Seed: 1}
	mnist, colour := sgd, sgd
	mnist.Decay, colour.Decay = 0.001, 0.0005
	return []recipe{
		{set: lesson.TrainMNIST, hyper: mnist, epochs: 40, decay: 0.92, average: 10, want: 0.98},
		{set: lesson.TrainColour, hyper: colour, epochs: 10, decay: 0.9, average: 3, want: 0.99},
	}
}

func main() {
	check := flag.Bool("check", false, "train, then compare with the files in assets/ instead of writing them")
	only := flag.String("set", "", "train only this data set (mnist or colour)")
	var o recipe
	flag.StringVar(&o.hyper.Optimizer, "opt", "", "try another optimizer (sgd, adam, adadelta) instead of the recipe's")
	lr := flag.Float64("lr", 0, "try another starting learning rate")
	mom := flag.Float64("momentum", 0, "try another SGD momentum")
	wd := flag.Float64("wd", -1, "try another weight decay")
	flag.IntVar(&o.hyper.Batch, "batch", 0, "try another batch size")
	flag.IntVar(&o.epochs, "epochs", 0, "try another number of passes")
	flag.IntVar(&o.average, "average", 0, "try averaging the weights of another number of last passes")
	decay := flag.Float64("decay", 0, "try another learning-rate factor per pass")
	flag.Parse()
	o.hyper.LR, o.hyper.Momentum, o.hyper.Decay, o.decay = float32(*lr), float32(*mom), float32(*wd), float32(*decay)
	if err := run(*check, *only, o); err != nil {
		fmt.Fprintln(os.Stderr, "pretrain:", err)
		os.Exit(1)
	}
}

// override replaces the recipe's values by those set in o (zero values,
// and a negative weight decay, leave the recipe's).
func (r recipe) override(o recipe) recipe {
	if o.hyper.Optimizer != "" {
		r.hyper.Optimizer = o.hyper.Optimizer
	}
	if o.hyper.LR > 0 {
		r.hyper.LR = o.hyper.LR
	}
	if o.hyper.Momentum > 0 {
		r.hyper.Momentum = o.hyper.Momentum
	}
	if o.hyper.Decay >= 0 {
		r.hyper.Decay = o.hyper.Decay
	}
	if o.hyper.Batch > 0 {
		r.hyper.Batch = o.hyper.Batch
	}
	if o.epochs > 0 {
		r.epochs = o.epochs
	}
	if o.decay > 0 {
		r.decay = o.decay
	}
	if o.average > 0 {
		r.average = o.average
	}
	return r
}

func run(check bool, only string, o recipe) error {
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	d, err := lesson.NewTrainData([]byte(assets.MNIST), nil)
	if err != nil {
		return err
	}
	done := false
	for _, r := range recipes() {
		if only != "" && only != r.set {
			continue
		}
		done = true
		r = r.override(o)
		b, acc, err := pretrain(d, r, os.Stdout)
		if err != nil {
			return err
		}
		path := filepath.Join(root, "assets", "pretrained-"+r.set+".bin")
		if check {
			old, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			if !bytes.Equal(old, b) {
				return fmt.Errorf("%s differs from what the recipe trains now (test accuracy %.4f)", path, acc)
			}
			fmt.Printf("%s is what the recipe trains\n", path)
			continue
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			return err
		}
		fmt.Printf("wrote %s (%d bytes), test accuracy %.4f\n", path, len(b), acc)
	}
	if !done {
		return fmt.Errorf("unknown data set %q: choose %s or %s", only, lesson.TrainMNIST, lesson.TrainColour)
	}
	return nil
}

// accumulate adds the net's state to sum (one slice per state tensor),
// making sum on the first call.
func accumulate(sum [][]float64, net *nn.Net) [][]float64 {
	state := net.State()
	if sum == nil {
		sum = make([][]float64, len(state))
		for i, t := range state {
			sum[i] = make([]float64, len(t.Data))
		}
	}
	for i, t := range state {
		for j, v := range t.Data {
			sum[i][j] += float64(v)
		}
	}
	return sum
}

// pretrain trains the lesson's default conv net on r's data set and
// returns its weights file and its test accuracy, logging each pass to log.
func pretrain(d *lesson.TrainData, r recipe, log *os.File) ([]byte, float64, error) {
	s := lesson.DefaultTrainSettings()
	s.Data, s.Hyper = r.set, r.hyper
	spec, err := s.Spec(lesson.TrainConv)
	if err != nil {
		return nil, 0, err
	}
	trainSrc, testSrc, err := d.TrainSources(r.set)
	if err != nil {
		return nil, 0, err
	}
	net, err := train.NewNet(spec, r.hyper.Seed)
	if err != nil {
		return nil, 0, err
	}
	tr, err := train.New(net, trainSrc, r.hyper.Hyper())
	if err != nil {
		return nil, 0, err
	}
	var sum [][]float64 // the running sum of the weights at the end of the averaged passes
	averaged := 0
	for epoch := 1; epoch <= r.epochs; epoch++ {
		start := time.Now()
		st, ev, err := tr.Pass(testSrc)
		if err != nil {
			return nil, 0, err
		}
		fmt.Fprintf(log, "%s pass %2d: lr %.5f, train loss %.4f, train accuracy %.4f, test accuracy %.4f (%.1f s)\n",
			r.set, epoch, tr.Hyper.LR, st.Loss, st.Accuracy, ev.Accuracy, time.Since(start).Seconds())
		tr.Hyper.LR *= r.decay
		if epoch > r.epochs-r.average {
			sum = accumulate(sum, net)
			averaged++
		}
	}
	if averaged > 1 {
		for i, t := range net.State() {
			for j := range t.Data {
				t.Data[j] = float32(sum[i][j] / float64(averaged))
			}
		}
	}
	ev, err := train.Evaluate(net, testSrc)
	if err != nil {
		return nil, 0, err
	}
	acc := ev.Accuracy
	fmt.Fprintf(log, "%s: the average of the last %d passes' weights: test accuracy %.4f\n", r.set, max(1, r.average), acc)
	if acc < r.want {
		return nil, acc, fmt.Errorf("%s: test accuracy %.4f is below the %.2f the lesson promises", r.set, acc, r.want)
	}
	return net.Marshal(), acc, nil
}

// moduleRoot returns the repository's top folder, as the go command reports it.
func moduleRoot() (string, error) {
	var stderr bytes.Buffer
	cmd := exec.Command("go", "list", "-m", "-f", "{{.Dir}}")
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go list -m: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(string(out)), nil
}
