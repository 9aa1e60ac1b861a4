package nn

import "fmt"

// FoldBatchNorm returns a copy of the net for inference in which every
// batch-norm layer is merged into the conv or linear layer before it: with
// the layer's inference form y = a[c]·x + b[c] (see BatchNorm.Affine), the
// filter or row c of the weights is multiplied by a[c] and its bias becomes
// a[c]·bias[c] + b[c]. The folded net computes the same outputs at inference
// with fewer layers. A batch-norm layer that does not directly follow a conv
// or linear layer cannot be folded; the error names it.
func (n *Net) FoldBatchNorm() (*Net, error) {
	spec := Spec{Input: n.Spec.Input}
	var keep []int // indices of the layers the folded net keeps
	for i, l := range n.Layers {
		if _, ok := l.(*BatchNorm); ok {
			prev := "the input"
			if i > 0 {
				switch n.Layers[i-1].(type) {
				case *Conv, *Linear:
					continue
				}
				prev = fmt.Sprintf("layer %d (%s)", i, n.Layers[i-1].Name())
			}
			return nil, fmt.Errorf("layer %d (%s) follows %s, not a conv or linear layer: it cannot be folded", i+1, l.Name(), prev)
		}
		spec.Layers = append(spec.Layers, n.Spec.Layers[i])
		keep = append(keep, i)
	}
	f, err := Build(spec, nil)
	if err != nil {
		return nil, fmt.Errorf("folded spec: %w", err)
	}
	for j, i := range keep {
		src, dst := n.Layers[i].Params(), f.Layers[j].Params()
		for k := range src {
			copy(dst[k].Data, src[k].Data)
		}
		if i+1 >= len(n.Layers) {
			continue
		}
		bn, ok := n.Layers[i+1].(*BatchNorm)
		if !ok {
			continue
		}
		a, b := bn.Affine()
		w, bias := dst[0].Data, dst[1].Data // (C, ...) and (C)
		per := len(w) / len(bias)
		for c := range bias {
			for k := range w[c*per : (c+1)*per] {
				w[c*per+k] *= a[c]
			}
			bias[c] = a[c]*bias[c] + b[c]
		}
	}
	return f, nil
}
