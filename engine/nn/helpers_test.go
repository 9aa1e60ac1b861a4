package nn

import (
	"fmt"
	"math"
	"math/rand"
	"strconv"
	"strings"
	"testing"

	"convlab/engine/tensor"
)

// picture reads a grid written as rows of numbers into an (H, W) tensor.
// Blank lines, "|" separators and rules of "-" and "+" (to mark windows)
// are ignored; every row must have the same width.
func picture(t testing.TB, s string) *tensor.Tensor {
	t.Helper()
	var data []float32
	h, w := 0, -1
	for _, line := range strings.Split(s, "\n") {
		var f []string
		for _, v := range strings.Fields(line) {
			if strings.Trim(v, "-+|") != "" {
				f = append(f, v)
			}
		}
		if len(f) == 0 {
			continue
		}
		if w >= 0 && len(f) != w {
			t.Fatalf("picture row %d has %d values, want %d", h+1, len(f), w)
		}
		w = len(f)
		for _, v := range f {
			x, err := strconv.ParseFloat(v, 32)
			if err != nil {
				t.Fatalf("picture: %v", err)
			}
			data = append(data, float32(x))
		}
		h++
	}
	return tensor.FromData(data, h, w)
}

// reshape returns t's values (shared) under another shape.
func reshape(t *tensor.Tensor, shape ...int) *tensor.Tensor { return tensor.FromData(t.Data, shape...) }

// drawGrid writes an (H, W) block of values as rows, the way pictures are written.
func drawGrid(v []float32, h, w int) string {
	var b strings.Builder
	for i := 0; i < h; i++ {
		for j := 0; j < w; j++ {
			if j > 0 {
				b.WriteByte(' ')
			}
			fmt.Fprintf(&b, "%3g", v[i*w+j])
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// randTensor fills a tensor of the given shape with uniform values in [−1, 1).
func randTensor(rng *rand.Rand, shape ...int) *tensor.Tensor {
	t := tensor.New(shape...)
	for i := range t.Data {
		t.Data[i] = float32(rng.Float64()*2 - 1)
	}
	return t
}

// assertClose fails if any |got − want| > tol·max(1, |want|).
func assertClose(t testing.TB, what string, got, want []float32, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	for i := range got {
		g, w := float64(got[i]), float64(want[i])
		if math.IsNaN(g) || math.Abs(g-w) > tol*math.Max(1, math.Abs(w)) {
			t.Fatalf("%s[%d] = %v, want %v (tolerance %g)", what, i, got[i], want[i], tol)
		}
	}
}

// buildLayer builds the single layer ls over per-example input shape in.
func buildLayer(t testing.TB, ls LayerSpec, in []int, rng *rand.Rand) Layer {
	t.Helper()
	pl, err := planOne(ls.normalized(), in)
	if err != nil {
		t.Fatalf("%s over %v: %v", ls.Describe(), in, err)
	}
	return newLayer(pl, rng)
}

// batchOf returns a batch tensor (N, shape...) with values from rng.
func batchOf(rng *rand.Rand, n int, shape []int) *tensor.Tensor {
	return randTensor(rng, append([]int{n}, shape...)...)
}

// outFor returns a zero output batch for layer l and batch size n.
func outFor(l Layer, n int) *tensor.Tensor { return tensor.New(append([]int{n}, l.OutShape()...)...) }
