// Package train trains ConvLab's networks: optimizers (SGD with momentum,
// Adam, Adadelta) with L2 weight decay, a Trainer that runs minibatches
// until a work budget is spent and guards against divergence, sources of
// labelled examples, and evaluation on a test set.
package train

import (
	"fmt"
	"math"
	"math/rand"

	"convlab/engine/nn"
)

// Optimizer names Hyper.Optimizer accepts.
const (
	SGD      = "sgd"
	Adam     = "adam"
	Adadelta = "adadelta"
)

// Hyper holds the hyperparameters as plain data. A Trainer reads its Hyper
// at every step, so any field may change between steps; changing the
// optimizer starts its running averages afresh, and changing the seed
// restarts the order in which examples are drawn.
type Hyper struct {
	Optimizer string  // SGD, Adam or Adadelta
	LR        float32 // learning rate (SGD, Adam; Adadelta has none)
	Momentum  float32 // SGD momentum in [0, 1); 0 is plain SGD
	// Decay is the L2 weight decay: Decay·w is added to the mean minibatch
	// gradient of every weight (not biases, batch-norm scales or shifts).
	// ConvNetJS's l2_decay is Decay·Batch, since it sums the gradients.
	Decay float32
	Batch int   // examples per step, 1..MaxBatch
	Seed  int64 // seeds the order of examples (and, via NewNet, the weights)

	Beta1, Beta2 float32 // Adam's decay rates of the first and second moments (0.9, 0.999)
	Rho          float32 // Adadelta's decay rate (0.95)
	Eps          float32 // Adam's and Adadelta's ε added under the square roots (1e-8 and 1e-6)
}

// MaxBatch is the largest minibatch a Trainer accepts.
const MaxBatch = 4096

// Defaults returns the hyperparameters of the ConvNetJS MNIST demo:
// Adadelta (ρ 0.95, ε 1e-6), minibatch 20, l2_decay 0.001 (Decay 0.001/20).
func Defaults() Hyper {
	return Hyper{Optimizer: Adadelta, LR: 0.01, Momentum: 0.9, Decay: 0.001 / 20, Batch: 20, Seed: 1,
		Beta1: 0.9, Beta2: 0.999, Rho: 0.95, Eps: 1e-6}
}

// Check reports the first hyperparameter that cannot work, in words.
func (h Hyper) Check() error {
	finite := func(name string, v float32) error {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return fmt.Errorf("%s is %v: it must be a finite number", name, v)
		}
		return nil
	}
	for _, f := range []struct {
		name string
		v    float32
	}{{"learning rate", h.LR}, {"momentum", h.Momentum}, {"weight decay", h.Decay},
		{"beta1", h.Beta1}, {"beta2", h.Beta2}, {"rho", h.Rho}, {"epsilon", h.Eps}} {
		if err := finite(f.name, f.v); err != nil {
			return err
		}
	}
	switch h.Optimizer {
	case SGD, Adam, Adadelta:
	default:
		return fmt.Errorf("optimizer %q: want %q, %q or %q", h.Optimizer, SGD, Adam, Adadelta)
	}
	switch {
	case h.Batch < 1 || h.Batch > MaxBatch:
		return fmt.Errorf("batch size %d must be between 1 and %d", h.Batch, MaxBatch)
	case h.LR < 0:
		return fmt.Errorf("learning rate %v must not be negative", h.LR)
	case h.Momentum < 0 || h.Momentum >= 1:
		return fmt.Errorf("momentum %v must be at least 0 and below 1", h.Momentum)
	case h.Decay < 0:
		return fmt.Errorf("weight decay %v must not be negative", h.Decay)
	case h.Optimizer == Adam && (h.Beta1 < 0 || h.Beta1 >= 1 || h.Beta2 < 0 || h.Beta2 >= 1):
		return fmt.Errorf("Adam's beta1 %v and beta2 %v must be at least 0 and below 1", h.Beta1, h.Beta2)
	case h.Optimizer == Adadelta && (h.Rho < 0 || h.Rho >= 1):
		return fmt.Errorf("Adadelta's rho %v must be at least 0 and below 1", h.Rho)
	case h.Optimizer != SGD && h.Eps <= 0:
		return fmt.Errorf("epsilon %v must be above 0", h.Eps)
	}
	return nil
}

// NewNet builds spec with He-initialised weights drawn from seed: the same
// spec and seed always give bit-identical weights.
func NewNet(spec nn.Spec, seed int64) (*nn.Net, error) {
	return nn.Build(spec, rand.New(rand.NewSource(seed)))
}
