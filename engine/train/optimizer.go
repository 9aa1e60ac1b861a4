package train

import (
	"math"

	"convlab/engine/nn"
)

// optimizer updates a net's parameters from their gradients. It keeps two
// running averages per parameter value, whose meaning depends on the kind:
//
//	SGD       a: velocity
//	Adam      a: first moment m,   b: second moment v
//	Adadelta  a: mean square of gradients, b: mean square of updates
type optimizer struct {
	kind string
	a, b [][]float32 // per parameter tensor, the same length as its values
	t    int         // Adam steps taken, for bias correction
}

// reset forgets the running averages (after a change of optimizer or a
// divergence).
func (o *optimizer) reset() {
	o.kind = ""
}

// step applies one update to every parameter with gradient
// g = grad + Decay·w (weights only), where grad is the mean minibatch gradient:
//
//	SGD:       v ← μ·v − lr·g;  w ← w + v
//	Adam:      m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;
//	           w ← w − lr·m̂/(√v̂ + ε), m̂ = m/(1−β1ᵗ), v̂ = v/(1−β2ᵗ)
//	Adadelta:  E[g²] ← ρ·E[g²] + (1−ρ)·g²;  Δ = −√((E[Δ²]+ε)/(E[g²]+ε))·g;
//	           E[Δ²] ← ρ·E[Δ²] + (1−ρ)·Δ²;  w ← w + Δ
//
// Adadelta is written as in ConvNetJS, so that the two train alike.
func (o *optimizer) step(params []nn.Param, h Hyper) {
	if o.kind != h.Optimizer || len(o.a) != len(params) {
		o.kind, o.t = h.Optimizer, 0
		o.a = make([][]float32, len(params))
		o.b = make([][]float32, len(params))
		for i, p := range params {
			o.a[i] = make([]float32, len(p.T.Data))
			o.b[i] = make([]float32, len(p.T.Data))
		}
	}
	o.t++
	for i, p := range params {
		w, grad := p.T.Data, p.T.Grad[:len(p.T.Data)]
		a, b := o.a[i][:len(w)], o.b[i][:len(w)]
		var decay float32
		if p.Decay {
			decay = h.Decay
		}
		switch h.Optimizer {
		case SGD:
			for j := range w {
				g := grad[j] + decay*w[j]
				a[j] = h.Momentum*a[j] - h.LR*g
				w[j] += a[j]
			}
		case Adam:
			c1 := float32(1 - math.Pow(float64(h.Beta1), float64(o.t)))
			c2 := float32(1 - math.Pow(float64(h.Beta2), float64(o.t)))
			for j := range w {
				g := grad[j] + decay*w[j]
				a[j] = h.Beta1*a[j] + (1-h.Beta1)*g
				b[j] = h.Beta2*b[j] + (1-h.Beta2)*g*g
				w[j] -= h.LR * (a[j] / c1) / (sqrt32(b[j]/c2) + h.Eps)
			}
		case Adadelta:
			for j := range w {
				g := grad[j] + decay*w[j]
				a[j] = h.Rho*a[j] + (1-h.Rho)*g*g
				d := -sqrt32((b[j]+h.Eps)/(a[j]+h.Eps)) * g
				b[j] = h.Rho*b[j] + (1-h.Rho)*d*d
				w[j] += d
			}
		}
	}
}

func sqrt32(x float32) float32 { return float32(math.Sqrt(float64(x))) }
