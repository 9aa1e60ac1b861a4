package app

import (
	"encoding/json"
	"fmt"

	"convlab/engine/nn"
	"convlab/engine/tensor"
)

// Conv2DJSON answers window.convlab.conv2d(x, w, b, {stride, padding}):
// its input is the JSON array [x, w, b, options] with x nested as
// C x H x W, w as Cout x C x K x K and b as Cout numbers (or null for no
// bias); its output is Cout x H' x W' nested the same way. The convolution is
// the engine's (nn.Conv2DNaive), so the page and its tests check the same
// arithmetic the lessons show. Options default to stride 1, padding 0.
func Conv2DJSON(in []byte) ([]byte, error) {
	var args []json.RawMessage
	if err := json.Unmarshal(in, &args); err != nil {
		return nil, fmt.Errorf("conv2d: arguments are not a JSON array: %v", err)
	}
	if len(args) < 2 || len(args) > 4 {
		return nil, fmt.Errorf("conv2d: want (x, w, b, {stride, padding}), got %d arguments", len(args))
	}
	var x [][][]float32
	var w [][][][]float32
	var b []float32
	opt := struct {
		Stride  *int `json:"stride"`
		Padding *int `json:"padding"`
	}{}
	if err := json.Unmarshal(args[0], &x); err != nil {
		return nil, fmt.Errorf("conv2d: x must be nested C x H x W numbers: %v", err)
	}
	if err := json.Unmarshal(args[1], &w); err != nil {
		return nil, fmt.Errorf("conv2d: w must be nested Cout x C x K x K numbers: %v", err)
	}
	if len(args) > 2 && string(args[2]) != "null" {
		if err := json.Unmarshal(args[2], &b); err != nil {
			return nil, fmt.Errorf("conv2d: b must be Cout numbers: %v", err)
		}
	}
	if len(args) > 3 && string(args[3]) != "null" {
		if err := json.Unmarshal(args[3], &opt); err != nil {
			return nil, fmt.Errorf("conv2d: options must be {stride, padding}: %v", err)
		}
	}
	stride, pad := 1, 0
	if opt.Stride != nil {
		stride = *opt.Stride
	}
	if opt.Padding != nil {
		pad = *opt.Padding
	}
	xt, err := pack3(x)
	if err != nil {
		return nil, fmt.Errorf("conv2d: x: %v", err)
	}
	wt, err := pack4(w)
	if err != nil {
		return nil, fmt.Errorf("conv2d: w: %v", err)
	}
	out, err := nn.Conv2DNaive(xt, wt, b, pad, stride)
	if err != nil {
		return nil, fmt.Errorf("conv2d: %v", err)
	}
	co, ho, wo := out.Shape[0], out.Shape[1], out.Shape[2]
	res := make([][][]float32, co)
	for o := range res {
		res[o] = make([][]float32, ho)
		for i := range res[o] {
			res[o][i] = out.Data[(o*ho+i)*wo : (o*ho+i+1)*wo]
		}
	}
	return json.Marshal(res)
}

// pack3 turns a nested C x H x W array into a tensor, refusing ragged or empty input.
func pack3(a [][][]float32) (*tensor.Tensor, error) {
	if len(a) == 0 || len(a[0]) == 0 || len(a[0][0]) == 0 {
		return nil, fmt.Errorf("empty")
	}
	c, h, w := len(a), len(a[0]), len(a[0][0])
	t := tensor.New(c, h, w)
	for i := range a {
		if len(a[i]) != h {
			return nil, fmt.Errorf("channel %d has %d rows, channel 0 has %d", i, len(a[i]), h)
		}
		for j := range a[i] {
			if len(a[i][j]) != w {
				return nil, fmt.Errorf("channel %d row %d has %d values, want %d", i, j, len(a[i][j]), w)
			}
			copy(t.Data[(i*h+j)*w:], a[i][j])
		}
	}
	return t, nil
}

// pack4 turns a nested Cout x C x K x K array into a tensor.
func pack4(a [][][][]float32) (*tensor.Tensor, error) {
	if len(a) == 0 {
		return nil, fmt.Errorf("empty")
	}
	first, err := pack3(a[0])
	if err != nil {
		return nil, fmt.Errorf("filter 0: %v", err)
	}
	n := first.Len()
	t := tensor.New(append([]int{len(a)}, first.Shape...)...)
	for o := range a {
		f, err := pack3(a[o])
		if err != nil {
			return nil, fmt.Errorf("filter %d: %v", o, err)
		}
		if !tensor.SameShape(f.Shape, first.Shape) {
			return nil, fmt.Errorf("filter %d is %v, filter 0 is %v", o, f.Shape, first.Shape)
		}
		copy(t.Data[o*n:], f.Data)
	}
	return t, nil
}
