package lesson

import (
	"math/rand"
	"sort"

	"convlab/engine/nn"
	"convlab/engine/tensor"
	"convlab/engine/train"
)

// Sizes of what a model keeps about its training.
const (
	// TrainCurveMax bounds a curve: when it would grow beyond, every other
	// point is dropped and points are recorded half as often.
	TrainCurveMax = 256
	// TrainCurveFirst is the number of examples between curve points at the start.
	TrainCurveFirst = 100
	// TrainTestWindow is how many of the latest test predictions the
	// rolling test accuracy averages while training.
	TrainTestWindow = 500
	// TrainTestShare sets the rolling evaluation's pace while training:
	// one test example for every TrainTestShare training examples (rounded
	// up per step), about 5% of the training time.
	TrainTestShare = 8
	// trainEvalBatch is the most test examples run through a net at once.
	trainEvalBatch = 50
	// TrainMistakes is how many of the latest wrong test predictions are kept.
	TrainMistakes = 12
	// TrainSnapshotsMax bounds the filter time-lapse; so does
	// TrainSnapshotFloats, the most filter values it keeps in all.
	TrainSnapshotsMax   = 64
	TrainSnapshotFloats = 1 << 17
)

// TrainPoint is one point of a model's curves.
type TrainPoint struct {
	Examples int     `json:"n"`     // training examples seen
	Loss     float32 `json:"loss"`  // training loss, smoothed over the last 50 steps
	Train    float32 `json:"train"` // training accuracy, smoothed likewise
	Test     float32 `json:"test"`  // rolling test accuracy (see TrainModelReport), −1 before any test
}

// TrainGuess is a model's answer for one test example.
type TrainGuess struct {
	Index int      `json:"index"` // into the test set
	Label int      `json:"label"` // the true class
	Top   [3]int   `json:"top"`   // the three most probable classes, most probable first
	Probs Float32s `json:"probs"` // (3) their probabilities (NaN when the net overflows)
	Wrong bool     `json:"wrong"` // Top[0] != Label
	// Examples is the number of training examples the model had seen
	// when it answered.
	Examples int `json:"examples"`
}

// trainModel is one of the lesson's models: its net and trainer, the
// rolling evaluation on the test set, and its curve.
type trainModel struct {
	name string
	net  *nn.Net
	tr   *train.Trainer
	test *train.SetSource
	gen  int // the weights' version: every step, load and reset changes it

	labels  []int8 // (N) the test labels
	order   []int  // a fixed shuffled order of the test examples, walked round
	next    int    // position in order
	pred    []int8 // (N) the latest predicted class of each test example, −1 before any
	predGen []int  // (N) gen when pred was made
	stale   int    // test examples whose prediction is older than gen
	correct int    // test examples whose latest prediction is right
	win     []bool // the last TrainTestWindow evaluations, right or wrong (a ring)
	winPos  int
	winN    int
	winOK   int
	evals   int            // evaluations made: changes when the confusion matrix may have
	x       *tensor.Tensor // (trainEvalBatch, C, H, W)
	idx     []int          // (trainEvalBatch) test examples in x

	mistakes []TrainGuess // the latest wrong answers, oldest first

	curve      []TrainPoint
	curveEvery int  // examples between points
	curveNext  int  // examples at which the next point is due
	curveSent  int  // points already reported
	curveReset bool // the next report sends the whole curve

	pretrained bool // the weights came from a pretrained file, not from training here
}

// newTrainModel builds the named model for s with weights from the seed.
func newTrainModel(name string, s TrainSettings, trainSrc, testSrc *train.SetSource) (*trainModel, error) {
	spec, err := s.Spec(name)
	if err != nil {
		return nil, err
	}
	net, err := train.NewNet(spec, s.Hyper.Seed)
	if err != nil {
		return nil, err
	}
	return newTrainModelNet(name, net, s, trainSrc, testSrc)
}

// newTrainModelNet wraps a built net.
func newTrainModelNet(name string, net *nn.Net, s TrainSettings, trainSrc, testSrc *train.SetSource) (*trainModel, error) {
	tr, err := train.New(net, trainSrc, s.Hyper.Hyper())
	if err != nil {
		return nil, err
	}
	n := testSrc.Len()
	m := &trainModel{name: name, net: net, tr: tr, test: testSrc,
		labels: make([]int8, n), pred: make([]int8, n), predGen: make([]int, n), stale: n,
		win: make([]bool, min(TrainTestWindow, n)), curveEvery: TrainCurveFirst, curveNext: TrainCurveFirst,
		curveReset: true} // a new model's curve replaces the old one's
	for i := range n {
		m.labels[i] = int8(testSrc.Set.Labels[i])
		m.pred[i] = -1
		m.predGen[i] = -1
	}
	// The walk through the test set is shuffled once, with a fixed seed,
	// so that a window of it holds every class.
	m.order = rand.New(rand.NewSource(1)).Perm(n)
	sh := testSrc.Shape()
	m.x = tensor.New(trainEvalBatch, sh[0], sh[1], sh[2])
	m.idx = make([]int, trainEvalBatch)
	return m, nil
}

// changed notes that the weights changed.
func (m *trainModel) changed() {
	m.gen++
	m.stale = len(m.pred)
}

// stats returns the trainer's statistics.
func (m *trainModel) stats() train.Stats { return m.tr.Stats() }

// testAccuracy returns the rolling test accuracy, over how many test
// examples it is measured, and whether it is exact: the whole test set at
// the current weights. Before any test it returns −1.
func (m *trainModel) testAccuracy() (acc float64, count int, exact bool) {
	if m.stale == 0 && len(m.pred) > 0 {
		return float64(m.correct) / float64(len(m.pred)), len(m.pred), true
	}
	if m.winN == 0 {
		return -1, 0, false
	}
	return float64(m.winOK) / float64(m.winN), m.winN, false
}

// evaluate runs up to n test examples through the net, walking round the
// test set. With staleOnly it passes over examples already predicted at the
// current weights and stops when there are none left.
func (m *trainModel) evaluate(n int, staleOnly bool) {
	sh := m.test.Shape()
	per := sh[0] * sh[1] * sh[2]
	for n > 0 && (!staleOnly || m.stale > 0) {
		b := 0
		for b < min(n, trainEvalBatch) && (!staleOnly || m.stale > b) {
			i := m.order[m.next]
			m.next = (m.next + 1) % len(m.order)
			if staleOnly && m.predGen[i] == m.gen {
				continue
			}
			m.test.Example(i, m.x.Data[b*per:(b+1)*per], nil)
			m.idx[b] = i
			b++
		}
		if b == 0 {
			return
		}
		x := &tensor.Tensor{Shape: []int{b, sh[0], sh[1], sh[2]}, Data: m.x.Data[:b*per]}
		probs := m.net.Predict(x)
		k := m.net.Classes()
		for e := 0; e < b; e++ {
			m.record(m.idx[e], probs.Data[e*k:(e+1)*k])
		}
		n -= b
		m.evals++
	}
}

// record notes the net's probabilities p for test example i.
func (m *trainModel) record(i int, p []float32) {
	label := int(m.labels[i])
	pred := nn.Argmax(p)
	if m.pred[i] >= 0 && int(m.pred[i]) == label {
		m.correct--
	}
	if pred == label {
		m.correct++
	}
	m.pred[i] = int8(pred)
	if m.predGen[i] != m.gen {
		m.stale--
		m.predGen[i] = m.gen
	}
	ok := pred == label
	if m.winN == len(m.win) {
		if m.win[m.winPos] {
			m.winOK--
		}
	} else {
		m.winN++
	}
	m.win[m.winPos] = ok
	if ok {
		m.winOK++
	}
	m.winPos = (m.winPos + 1) % len(m.win)
	if !ok {
		m.mistakes = slicesDeleteIndex(m.mistakes, i)
		if len(m.mistakes) == TrainMistakes {
			m.mistakes = append(m.mistakes[:0], m.mistakes[1:]...)
		}
		m.mistakes = append(m.mistakes, guess(i, label, p, m.stats().Examples))
	}
}

// slicesDeleteIndex removes the guess about test example i, if any.
func slicesDeleteIndex(gs []TrainGuess, i int) []TrainGuess {
	for k, g := range gs {
		if g.Index == i {
			return append(gs[:k], gs[k+1:]...)
		}
	}
	return gs
}

// guess describes the probabilities p (one per class) for test example i.
func guess(i, label int, p []float32, examples int) TrainGuess {
	g := TrainGuess{Index: i, Label: label, Examples: examples, Probs: make(Float32s, 3)}
	top := topClasses(p, 3)
	for r := range g.Top {
		g.Top[r] = -1
		if r < len(top) {
			g.Top[r], g.Probs[r] = top[r], p[top[r]]
		}
	}
	g.Wrong = g.Top[0] != label
	return g
}

// topClasses returns the indices of the n largest values of p, largest
// first (ties: the lower index first).
func topClasses(p []float32, n int) []int {
	idx := make([]int, len(p))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return p[idx[a]] > p[idx[b]] })
	return idx[:min(n, len(idx))]
}

// confusion returns the confusion matrix of the latest predictions:
// [t][p] counts the test examples of class t last predicted as p.
func (m *trainModel) confusion() [][]int {
	k := m.net.Classes()
	c := make([][]int, k)
	for i := range c {
		c[i] = make([]int, k)
	}
	for i, p := range m.pred {
		if p >= 0 {
			c[m.labels[i]][p]++
		}
	}
	return c
}

// point records a curve point if one is due, thinning the curve when it
// is full.
func (m *trainModel) point() {
	st := m.stats()
	if st.Examples < m.curveNext {
		return
	}
	acc, _, _ := m.testAccuracy()
	m.curve = append(m.curve, TrainPoint{Examples: st.Examples, Loss: float32(st.Loss), Train: float32(st.Accuracy), Test: float32(acc)})
	m.curveNext = st.Examples + m.curveEvery
	if len(m.curve) > TrainCurveMax {
		kept := m.curve[:0]
		for i := 0; i < len(m.curve); i += 2 {
			kept = append(kept, m.curve[i])
		}
		m.curve = kept
		m.curveEvery *= 2
		m.curveNext = m.curve[len(m.curve)-1].Examples + m.curveEvery
		m.curveReset = true
	}
}
