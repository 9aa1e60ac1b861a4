package train

import (
	"fmt"
	"math"

	"convlab/engine/nn"
	"convlab/engine/tensor"
)

// Eval is the result of running a net over a test source at inference.
type Eval struct {
	Accuracy  float64   // fraction of examples whose most probable class is their label
	Loss      float64   // mean cross-entropy
	Labels    []int     // (N), the true classes
	Predicted []int     // (N), the most probable class of each example
	Probs     []float32 // (N, K), class probabilities: example n, class k at Probs[n·K+k]
	Classes   int       // K
	// Confusion[t][p] counts the examples of true class t predicted as p.
	Confusion [][]int // (K, K)
}

// evalBatch is how many examples Evaluate runs through the net at once.
const evalBatch = 100

// Evaluate runs every example of src (its test view) through net at
// inference and gathers predictions, probabilities and the confusion matrix.
func Evaluate(net *nn.Net, src Source) (Eval, error) {
	if src.Shape() != net.Spec.Input {
		return Eval{}, fmt.Errorf("evaluate: the source gives %s examples, the net takes %s",
			tensor.ShapeString(sliceOf(src.Shape())), tensor.ShapeString(sliceOf(net.Spec.Input)))
	}
	n, k := src.Len(), net.Classes()
	if n == 0 {
		return Eval{}, fmt.Errorf("evaluate: the source has no examples")
	}
	ev := Eval{Labels: make([]int, n), Predicted: make([]int, n), Probs: make([]float32, n*k), Classes: k,
		Confusion: make([][]int, k)}
	for i := range ev.Confusion {
		ev.Confusion[i] = make([]int, k)
	}
	sh := src.Shape()
	per := sh[0] * sh[1] * sh[2]
	x := tensor.New(min(n, evalBatch), sh[0], sh[1], sh[2])
	correct := 0
	for start := 0; start < n; start += evalBatch {
		m := min(evalBatch, n-start)
		x.Shape[0], x.Data = m, x.Data[:m*per]
		for e := 0; e < m; e++ {
			lab := src.Example(start+e, x.Data[e*per:(e+1)*per], nil)
			if lab < 0 || lab >= k {
				return Eval{}, fmt.Errorf("evaluate: example %d has label %d, the net has %d classes", start+e, lab, k)
			}
			ev.Labels[start+e] = lab
		}
		probs := net.Predict(x)
		copy(ev.Probs[start*k:], probs.Data)
		for e := 0; e < m; e++ {
			p := probs.Data[e*k : (e+1)*k]
			lab, pred := ev.Labels[start+e], nn.Argmax(p)
			ev.Predicted[start+e] = pred
			ev.Confusion[lab][pred]++
			if pred == lab {
				correct++
			}
			ev.Loss -= math.Log(math.Max(float64(p[lab]), math.SmallestNonzeroFloat64))
		}
	}
	ev.Accuracy = float64(correct) / float64(n)
	ev.Loss /= float64(n)
	return ev, nil
}
