package lesson

import (
	"fmt"
	"math"
	"math/rand"
	"strings"
	"testing"

	"convlab/engine/nn"
	"convlab/engine/tensor"
)

// printGrid writes a (K, K) slice of numbers, one row a line.
func printGrid(v []float32, k int) {
	for u := 0; u < k; u++ {
		row := make([]string, k)
		for j := range row {
			row[j] = fmt.Sprintf("%3s", FormatNumber(v[u*k+j]))
		}
		fmt.Println(strings.Join(row, " "))
	}
}

// Two 3x3 box filters of ones make one 5x5 filter: the number of ways two
// offsets 0..2 add up to each offset 0..4 (1 2 3 2 1) in each direction.
// The first bias, 1, passes through the nine ones of the second filter.
func ExampleComposeKernels() {
	ones := tensor.FromData([]float32{
		1, 1, 1,
		1, 1, 1,
		1, 1, 1,
	}, 1, 1, 3, 3)
	w, b := ComposeKernels(ones, []float32{1}, ones, []float32{0.5})
	fmt.Println(tensor.ShapeString(w.Shape), "bias", FormatNumber(b[0]))
	printGrid(w.Data, 5)
	// Output:
	// 1 x 1 x 5 x 5 bias 9.5
	//   1   2   3   2   1
	//   2   4   6   4   2
	//   3   6   9   6   3
	//   2   4   6   4   2
	//   1   2   3   2   1
}

// TestComposeKernelsHandWorked composes a 1x1 and a 3x3 over two channels:
// w[o][c] = Σ_m w2[o][m] · w1[m][c], with shifts of the second kernel.
func TestComposeKernelsHandWorked(t *testing.T) {
	// First layer: two 1x1 filters over two channels, [[2, 0], [1, −1]].
	w1 := tensor.FromData([]float32{2, 0, 1, -1}, 2, 2, 1, 1)
	// Second layer: one 3x3 filter over the two intermediate channels.
	w2 := tensor.FromData([]float32{
		0, 1, 0, // channel 0
		0, 0, 0,
		0, 0, 0,

		0, 0, 0, // channel 1
		0, 0, 0,
		0, 0, 3,
	}, 1, 2, 3, 3)
	w, b := ComposeKernels(w1, []float32{1, 2}, w2, []float32{0})
	want := []float32{
		// input channel 0: 1·2 at (0,1) from m=0; 3·1 at (2,2) from m=1
		0, 2, 0,
		0, 0, 0,
		0, 0, 3,
		// input channel 1: 3·(−1) at (2,2)
		0, 0, 0,
		0, 0, 0,
		0, 0, -3,
	}
	if got := tensor.ShapeString(w.Shape); got != "1 x 2 x 3 x 3" {
		t.Fatalf("shape %s, want 1 x 2 x 3 x 3", got)
	}
	for k := range want {
		if w.Data[k] != want[k] {
			t.Errorf("w[%d] = %v, want %v", k, w.Data[k], want[k])
		}
	}
	// b = 0 + 1·(0+1+0) + 2·(3) = 7
	if b[0] != 7 {
		t.Errorf("bias %v, want 7", b[0])
	}
}

func randomTensor(rng *rand.Rand, shape ...int) *tensor.Tensor {
	t := tensor.New(shape...)
	for k := range t.Data {
		t.Data[k] = float32(rng.NormFloat64())
	}
	return t
}

// TestCompositionMatchesTwoSteps composes random kernels of random sizes
// and checks the one-step path against the engine's two-step path: equal to
// rounding everywhere when all padding is on the input, equal on the
// interior and different on the border when each layer pads.
func TestCompositionMatchesTwoSteps(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	for trial := 0; trial < 40; trial++ {
		c0, c1, c2 := 1+rng.Intn(3), 1+rng.Intn(4), 1+rng.Intn(3)
		k1, k2 := 1+2*rng.Intn(3), 1+2*rng.Intn(3) // 1, 3 or 5
		if trial < 10 {
			k1, k2 = 3, 3
		}
		w1, w2 := randomTensor(rng, c1, c0, k1, k1), randomTensor(rng, c2, c1, k2, k2)
		b1, b2 := randomTensor(rng, c1).Data, randomTensor(rng, c2).Data
		x := randomTensor(rng, c0, 9+rng.Intn(4), 9+rng.Intn(4))
		p1, p2 := rng.Intn(3), rng.Intn(3)
		name := fmt.Sprintf("trial %d: %dx%d then %dx%d, C %d->%d->%d, padding %d then %d", trial, k1, k1, k2, k2, c0, c1, c2, p1, p2)

		c := NewComposition(w1, b1, w2, b2, p1, p2)
		if got, want := tensor.ShapeString(c.W.Shape), tensor.ShapeString([]int{c2, c0, k1 + k2 - 1, k1 + k2 - 1}); got != want {
			t.Fatalf("%s: composed kernel %s, want %s", name, got, want)
		}
		if err := c.Check(x, false); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		// The two-step path straight from the engine, and the tolerance:
		// about 16 float32 ulps of the output's largest value (the paths
		// differ only in the order of their roundings, measured at most 4).
		mid, _ := nn.Conv2DNaive(x, w1, b1, p1, 1)
		two, _ := nn.Conv2DNaive(mid, w2, b2, p2, 1)
		for k := range two.Data {
			if two.Data[k] != c.TwoStep.Data[k] {
				t.Fatalf("%s: Check's two-step output differs from the engine's", name)
			}
		}
		tol := 2e-6 * (1 + maxAbsTest(two.Data))
		if p2 == 0 && c.MaxDiff > tol {
			t.Errorf("%s: all padding on the input, yet the paths differ by %v (tolerance %v)", name, c.MaxDiff, tol)
		}
		if c.MaxDiffInterior > tol {
			t.Errorf("%s: the interior differs by %v (tolerance %v)", name, c.MaxDiffInterior, tol)
		}
		if p2 > 0 && c.MaxDiff < 1000*tol {
			t.Errorf("%s: padding between the layers, yet the border differs by only %v", name, c.MaxDiff)
		}
		// Moving all the padding onto the input makes the paths agree.
		all := NewComposition(w1, b1, w2, b2, p1+p2, 0)
		if err := all.Check(x, false); err != nil {
			t.Fatal(err)
		}
		if all.MaxDiff > tol {
			t.Errorf("%s: padding %d on the input alone, the paths differ by %v", name, p1+p2, all.MaxDiff)
		}
		// A ReLU between the layers breaks the equality.
		if err := all.Check(x, true); err != nil {
			t.Fatal(err)
		}
		if all.MaxDiff < 1000*tol {
			t.Errorf("%s: with ReLU the paths differ by only %v", name, all.MaxDiff)
		}
	}
}

func maxAbsTest(v []float32) float32 {
	var s float64
	for _, a := range v {
		s = math.Max(s, math.Abs(float64(a)))
	}
	return float32(s)
}

func TestComposeKernelsRefusesMismatch(t *testing.T) {
	defer func() {
		r := recover()
		if r == nil || !strings.Contains(fmt.Sprint(r), "[2 1 3 3]") || !strings.Contains(fmt.Sprint(r), "[1 3 3 3]") {
			t.Errorf("panic %v, want one naming both shapes", r)
		}
	}()
	ComposeKernels(tensor.New(2, 1, 3, 3), make([]float32, 2), tensor.New(1, 3, 3, 3), make([]float32, 1))
}
