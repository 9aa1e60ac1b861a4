// Package refbench is the engine's side of the browser benchmark. Digits
// cuts a fixed set of 24x24 digits from the MNIST subset, the bytes the
// benchmark page gives both to ConvNetJS and to this engine, and a Session
// trains the reference network (nn.ReferenceSpec, with train.Defaults, the
// ConvNetJS MNIST demo's Adadelta) on them a round at a time, measuring
// each round's time and heap allocation.
//
// The package is plain Go: wasm/benchwasm calls it from the page, and its
// benchmarks give the native figure for the same code.
package refbench

import (
	"errors"
	"fmt"
	"math/rand"
	"runtime"
	"time"

	"convlab/engine/data"
	"convlab/engine/nn"
	"convlab/engine/train"
)

// Side is the height and width of every digit Digits writes: the ConvNetJS
// MNIST demo trains on 24x24 windows of the 28x28 digits.
const Side = 24

// Digits picks nTrain training digits and nTest test digits, each set in an
// order drawn from rng, cuts each to a Side x Side window and returns them in
// the MNIST asset format (see data.EncodeMNIST). A training digit's window
// sits at a random offset drawn from rng, once, so that every learner sees
// the same crop; a test digit's window is centred. The same sets and rng
// state give the same bytes.
func Digits(train, test *data.Set, nTrain, nTest int, rng *rand.Rand) ([]byte, error) {
	trainCrops, err := cropSet(train, nTrain, rng, true)
	if err != nil {
		return nil, err
	}
	testCrops, err := cropSet(test, nTest, rng, false)
	if err != nil {
		return nil, err
	}
	return data.EncodeMNIST(trainCrops, testCrops)
}

// cropSet returns n images of s, in an order drawn from rng, cut to
// Side x Side windows: at a random offset if random, else centred.
func cropSet(s *data.Set, n int, rng *rand.Rand, random bool) (*data.Set, error) {
	if s == nil || s.C != 1 || s.H < Side || s.W < Side {
		return nil, errors.New("digits: want single-channel images of at least 24x24")
	}
	if n < 1 || n > s.Len() {
		return nil, fmt.Errorf("digits: %d digits asked of %s's %d", n, s.Name, s.Len())
	}
	out := &data.Set{Name: s.Name, Classes: s.Classes, C: 1, H: Side, W: Side,
		Pixels: make([]uint8, n*Side*Side), Labels: make([]uint8, n)}
	for k, i := range rng.Perm(s.Len())[:n] {
		dy, dx := (s.H-Side)/2, (s.W-Side)/2
		if random {
			dy, dx = rng.Intn(s.H-Side+1), rng.Intn(s.W-Side+1)
		}
		img := s.Pixels[i*s.H*s.W : (i+1)*s.H*s.W] // (H, W)
		dst := out.Pixels[k*Side*Side : (k+1)*Side*Side]
		for y := 0; y < Side; y++ {
			copy(dst[y*Side:(y+1)*Side], img[(y+dy)*s.W+dx:])
		}
		out.Labels[k] = s.Labels[i]
	}
	return out, nil
}

// Session is one reference net learning from the digits of Digits.
type Session struct {
	trainer *train.Trainer
	test    train.Source
}

// NewSession reads digits (as Digits writes them) and builds the reference
// net with He-initialised weights from seed, trained with train.Defaults
// (Adadelta ρ 0.95, ε 1e-6, minibatch 20, ConvNetJS's l2_decay 0.001).
func NewSession(digits []byte, seed int64) (*Session, error) {
	trainSet, testSet, err := data.ParseMNIST(digits)
	if err != nil {
		return nil, err
	}
	if trainSet.H != Side || trainSet.W != Side {
		return nil, fmt.Errorf("session: the digits are %dx%d, the reference net takes %dx%d", trainSet.H, trainSet.W, Side, Side)
	}
	src, err := train.FromSet(trainSet, 0)
	if err != nil {
		return nil, err
	}
	testSrc, err := train.FromSet(testSet, 0)
	if err != nil {
		return nil, err
	}
	net, err := train.NewNet(nn.ReferenceSpec(), seed)
	if err != nil {
		return nil, err
	}
	h := train.Defaults()
	h.Seed = seed
	t, err := train.New(net, src, h)
	if err != nil {
		return nil, err
	}
	return &Session{trainer: t, test: testSrc}, nil
}

// Round is what one call of Train measured.
type Round struct {
	Examples int     `json:"examples"` // training examples seen in the round
	Seconds  float64 `json:"seconds"`  // the round's wall time by Go's clock
	Loss     float64 `json:"loss"`     // the trainer's smoothed loss at the end
	Mallocs  uint64  `json:"mallocs"`  // heap objects allocated during the round
	Bytes    uint64  `json:"bytes"`    // heap bytes allocated during the round
	GCs      uint32  `json:"gcs"`      // garbage collections that ended during the round
}

// Train trains on examples more examples (rounded up to whole minibatches)
// and reports the round.
func (s *Session) Train(examples int) (Round, error) {
	if examples < 1 {
		return Round{}, fmt.Errorf("train: %d examples: want at least 1", examples)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	seen := s.trainer.Stats().Examples
	start := time.Now()
	st, err := s.trainer.Run(train.Budget{Examples: examples})
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	return Round{
		Examples: st.Examples - seen,
		Seconds:  elapsed.Seconds(),
		Loss:     st.Loss,
		Mallocs:  after.Mallocs - before.Mallocs,
		Bytes:    after.TotalAlloc - before.TotalAlloc,
		GCs:      after.NumGC - before.NumGC,
	}, err
}

// Accuracy returns the fraction of the test digits the net classifies
// correctly now.
func (s *Session) Accuracy() (float64, error) {
	ev, err := train.Evaluate(s.trainer.Net, s.test)
	return ev.Accuracy, err
}
