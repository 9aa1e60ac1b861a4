// Package lesson holds the model of each ConvLab lesson: what the student
// sees and can change, independent of how it is drawn.
package lesson

import (
	"fmt"
	"math/rand"
)

// KernelPresets lists the filter presets in the order the page offers them.
var KernelPresets = []string{"identity", "box blur", "sharpen", "sobel x", "sobel y", "laplacian", "random"}

// KernelPreset returns the named k x k filter (row-major, w[u*k+v]) for an
// odd k (1, 3 or 5). Presets larger than their 3x3 form are centred and
// zero-padded, except box blur, which averages the whole window. "random"
// draws from rng uniformly in [−1, 1] rounded to one decimal so the
// arithmetic stays readable.
func KernelPreset(name string, k int, rng *rand.Rand) ([]float32, error) {
	if k < 1 || k%2 == 0 {
		return nil, fmt.Errorf("preset %q needs an odd kernel size, not %d", name, k)
	}
	w := make([]float32, k*k)
	c := k / 2
	put3 := func(g [3][3]float32) {
		for u := -1; u <= 1; u++ {
			for v := -1; v <= 1; v++ {
				if c+u >= 0 && c+u < k && c+v >= 0 && c+v < k {
					w[(c+u)*k+c+v] = g[u+1][v+1]
				}
			}
		}
	}
	switch name {
	case "identity":
		w[c*k+c] = 1
	case "box blur":
		for i := range w {
			w[i] = 1 / float32(k*k)
		}
	case "sharpen":
		put3([3][3]float32{
			{0, -1, 0},
			{-1, 5, -1},
			{0, -1, 0},
		})
	case "sobel x": // responds to vertical edges: dark on the left, bright on the right
		put3([3][3]float32{
			{-1, 0, 1},
			{-2, 0, 2},
			{-1, 0, 1},
		})
	case "sobel y": // responds to horizontal edges: dark above, bright below
		put3([3][3]float32{
			{-1, -2, -1},
			{0, 0, 0},
			{1, 2, 1},
		})
	case "laplacian":
		put3([3][3]float32{
			{0, 1, 0},
			{1, -4, 1},
			{0, 1, 0},
		})
	case "random":
		if rng == nil {
			return nil, fmt.Errorf("preset random needs a random source")
		}
		for i := range w {
			w[i] = float32(rng.Intn(21)-10) / 10
		}
	default:
		return nil, fmt.Errorf("unknown preset %q (have %v)", name, KernelPresets)
	}
	return w, nil
}
