package nn

import (
	"fmt"
	"math"
)

// Softmax writes the class probabilities of each example into probs:
// for scores (N, K), probs[n][k] = exp(s[n][k] − max) / Σ_j exp(s[n][j] − max).
// scores and probs are (N, K) and may be the same slice.
func Softmax(scores, probs []float32, k int) {
	if len(scores)%k != 0 || len(probs) != len(scores) {
		panic(fmt.Sprintf("nn: softmax of %d scores into %d probabilities in rows of %d", len(scores), len(probs), k))
	}
	for e := 0; e < len(scores)/k; e++ {
		s := scores[e*k : (e+1)*k]
		p := probs[e*k : (e+1)*k]
		mx := s[0]
		for _, v := range s {
			if v > mx {
				mx = v
			}
		}
		var sum float64
		for j, v := range s {
			ex := math.Exp(float64(v - mx))
			p[j] = float32(ex)
			sum += ex
		}
		inv := float32(1 / sum)
		for j := range p {
			p[j] *= inv
		}
	}
}

// SoftmaxCrossEntropy returns the mean over the batch of −log p[n][label[n]],
// where p = Softmax(scores), and the number of examples whose largest score
// is their label. It writes the probabilities into probs (N, K) and, if
// dscores is not nil, the gradient of the mean loss with respect to the
// scores into dscores (N, K): (p[n][k] − [k = label[n]]) / N.
func SoftmaxCrossEntropy(scores, probs, dscores []float32, labels []int, k int) (loss float32, correct int) {
	n := len(labels)
	if len(scores) != n*k {
		panic(fmt.Sprintf("nn: %d scores for %d labels of %d classes", len(scores), n, k))
	}
	Softmax(scores, probs, k)
	var total float64
	for e, lab := range labels {
		if lab < 0 || lab >= k {
			panic(fmt.Sprintf("nn: label %d of example %d is not one of %d classes", lab, e, k))
		}
		p := probs[e*k : (e+1)*k]
		total -= math.Log(math.Max(float64(p[lab]), math.SmallestNonzeroFloat64))
		if Argmax(scores[e*k:(e+1)*k]) == lab {
			correct++
		}
		if dscores != nil {
			d := dscores[e*k : (e+1)*k]
			for j, pj := range p {
				d[j] = pj / float32(n)
			}
			d[lab] -= 1 / float32(n)
		}
	}
	return float32(total / float64(n)), correct
}

// Argmax returns the index of the largest value (the first, on ties).
func Argmax(v []float32) int {
	best := 0
	for i, x := range v {
		if x > v[best] {
			best = i
		}
	}
	return best
}
