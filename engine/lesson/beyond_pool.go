package lesson

import (
	"fmt"
	"math/rand"
	"slices"
	"strings"

	"convlab/engine/nn"
	"convlab/engine/tensor"
	"convlab/engine/ui"
)

// Choices of the pooling part.
var (
	PoolSides   = []int{4, 6} // input sides
	PoolSizes   = []int{2, 3} // window sides
	PoolStrides = []int{1, 2, 3}
)

// PoolExample is the lecture's single depth slice: max pooling it with a
// 2x2 window and stride 2 gives 6 8 / 3 4.
var PoolExample = []float32{
	1, 1, 2, 4,
	5, 6, 7, 8,
	3, 2, 1, 0,
	1, 2, 3, 4,
}

// PoolGrid is the pooling part of lesson 5: a small grid of numbers, max
// pooling and average pooling of it with the same window and stride, and
// one chosen output whose window the page outlines. Both outputs and the
// winner of every max come from nn's MaxPool and AvgPool layers; a window
// and stride that do not fit the grid give nn.OutputSize's explanation.
type PoolGrid struct {
	n            int
	x            *tensor.Tensor // (1, n, n)
	size, stride int
	max, avg     *tensor.Tensor // (1, h, h), nil with err
	winners      []int32        // (h·h): for each max output, its input index y·n+x
	err          error          // why there is no output
	sel          int            // the chosen output, row·h+col, or −1
	seed         int64          // for the next random grid
}

// NewPoolGrid returns the lecture's example: the 4x4 slice, a 2x2 window,
// stride 2.
func NewPoolGrid(seed int64) *PoolGrid {
	g := &PoolGrid{size: 2, stride: 2, sel: -1, seed: seed}
	g.setValues(4, PoolExample)
	return g
}

// setValues sets an n x n grid (values row-major) and recomputes.
func (g *PoolGrid) setValues(n int, values []float32) {
	g.n = n
	g.x = tensor.FromData(append([]float32(nil), values...), 1, n, n)
	g.compute()
}

// compute pools the grid with nn's layers.
func (g *PoolGrid) compute() {
	g.max, g.avg, g.winners, g.err = nil, nil, nil, nil
	mx, win, err := poolWith(nn.TypeMaxPool, g.x, g.size, g.stride)
	if err != nil {
		g.err, g.sel = err, -1
		return
	}
	av, _, err := poolWith(nn.TypeAvgPool, g.x, g.size, g.stride)
	if err != nil {
		panic("lesson: average pooling fails where max pooling works: " + err.Error())
	}
	g.max, g.avg, g.winners = mx, av, win
	if g.sel >= len(g.max.Data) {
		g.sel = -1
	}
}

// poolWith runs x (1, n, n) through a one-layer net of the given pooling
// type and returns the output (1, h, h) and, for max pooling, the winners.
func poolWith(typ string, x *tensor.Tensor, size, stride int) (*tensor.Tensor, []int32, error) {
	spec := nn.Spec{Input: [3]int{1, x.Shape[1], x.Shape[2]}, Layers: []nn.LayerSpec{{Type: typ, Size: size, Stride: stride}}}
	net, err := nn.Build(spec, nil)
	if err != nil {
		return nil, nil, err
	}
	a := net.Activations(x)[0]
	return a.Out, a.Winners, nil
}

// Side returns the grid's side.
func (g *PoolGrid) Side() int { return g.n }

// Input returns the grid (1, n, n).
func (g *PoolGrid) Input() *tensor.Tensor { return g.x }

// Window returns the window side and the stride.
func (g *PoolGrid) Window() (size, stride int) { return g.size, g.stride }

// Max returns the max-pooled grid (1, h, h), nil when the shape has no output.
func (g *PoolGrid) Max() *tensor.Tensor { return g.max }

// Avg returns the average-pooled grid (1, h, h), nil when the shape has no output.
func (g *PoolGrid) Avg() *tensor.Tensor { return g.avg }

// Winner returns the input cell (row, column) whose value max output q
// took; the first of equal values wins, as in nn.MaxPool.
func (g *PoolGrid) Winner(q int) (y, x int) {
	w := int(g.winners[q])
	return w / g.n, w % g.n
}

// Err returns why the grid has no pooled output, nil when it has one.
func (g *PoolGrid) Err() error { return g.err }

// OutSide returns the pooled side, 0 when there is none.
func (g *PoolGrid) OutSide() int {
	if g.max == nil {
		return 0
	}
	return g.max.Shape[1]
}

// Formula writes the output size with the numbers in place (SizeFormula,
// no padding).
func (g *PoolGrid) Formula() string { return SizeFormula(g.n, g.size, 0, g.stride) }

// SetSide makes the grid n x n, keeping the values that still fit and
// filling new cells with random digits.
func (g *PoolGrid) SetSide(n int) error {
	if !slices.Contains(PoolSides, n) {
		return fmt.Errorf("the grid can be %s on a side, not %d", ints(PoolSides), n)
	}
	rng := rand.New(rand.NewSource(g.seed))
	g.seed = rng.Int63()
	v := make([]float32, n*n)
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			if y < g.n && x < g.n {
				v[y*n+x] = g.x.Data[y*g.n+x]
			} else {
				v[y*n+x] = float32(rng.Intn(10))
			}
		}
	}
	g.sel = -1
	g.setValues(n, v)
	return nil
}

// SetWindow sets the window side and the stride. A shape with no output is
// kept, and Err says why.
func (g *PoolGrid) SetWindow(size, stride int) error {
	if !slices.Contains(PoolSizes, size) {
		return fmt.Errorf("the window can be %s on a side, not %d", ints(PoolSizes), size)
	}
	if !slices.Contains(PoolStrides, stride) {
		return fmt.Errorf("the stride can be %s, not %d", ints(PoolStrides), stride)
	}
	g.size, g.stride, g.sel = size, stride, -1
	g.compute()
	return nil
}

// Example returns to the lecture's example.
func (g *PoolGrid) Example() {
	g.size, g.stride, g.sel = 2, 2, -1
	g.setValues(4, PoolExample)
}

// Random fills the grid with random digits 0..9.
func (g *PoolGrid) Random() {
	rng := rand.New(rand.NewSource(g.seed))
	g.seed = rng.Int63()
	v := make([]float32, g.n*g.n)
	for i := range v {
		v[i] = float32(rng.Intn(10))
	}
	g.setValues(g.n, v)
}

// Value returns input cell (y, x).
func (g *PoolGrid) Value(y, x int) float32 { return g.x.Data[y*g.n+x] }

// Set sets input cell (y, x) to the number typed; a refusal changes nothing.
func (g *PoolGrid) Set(y, x int, text string) error {
	if y < 0 || x < 0 || y >= g.n || x >= g.n {
		return fmt.Errorf("there is no cell (%d, %d) in the %dx%d grid", y, x, g.n, g.n)
	}
	v, err := ui.ParseNumber(text)
	if err != nil {
		return err
	}
	g.x.Data[y*g.n+x] = v
	g.compute()
	return nil
}

// Nudge moves input cell (y, x) by steps·InputStep.
func (g *PoolGrid) Nudge(y, x, steps int) error {
	if y < 0 || x < 0 || y >= g.n || x >= g.n {
		return fmt.Errorf("there is no cell (%d, %d) in the %dx%d grid", y, x, g.n, g.n)
	}
	g.x.Data[y*g.n+x] = nudged(g.x.Data[y*g.n+x], float64(steps)*InputStep/WeightStep)
	g.compute()
	return nil
}

// Selected returns the chosen output (row, column), false when none is.
func (g *PoolGrid) Selected() (i, j int, ok bool) {
	if g.sel < 0 || g.max == nil {
		return 0, 0, false
	}
	h := g.max.Shape[1]
	return g.sel / h, g.sel % h, true
}

// Select chooses output (i, j), or none with i < 0.
func (g *PoolGrid) Select(i, j int) error {
	if i < 0 {
		g.sel = -1
		return nil
	}
	h := g.OutSide()
	if i >= h || j < 0 || j >= h {
		return fmt.Errorf("there is no output (%d, %d): the pooled grid is %dx%d", i, j, h, h)
	}
	g.sel = i*h + j
	return nil
}

// InWindow reports whether input cell (y, x) lies in the window of output
// (i, j).
func (g *PoolGrid) InWindow(i, j, y, x int) bool {
	return y >= i*g.stride && y < i*g.stride+g.size && x >= j*g.stride && x < j*g.stride+g.size
}

// Candidates returns the values of output (i, j)'s window, row by row.
func (g *PoolGrid) Candidates(i, j int) []float32 {
	var v []float32
	for u := 0; u < g.size; u++ {
		for w := 0; w < g.size; w++ {
			v = append(v, g.Value(i*g.stride+u, j*g.stride+w))
		}
	}
	return v
}

// MaxWords writes output (i, j) of max pooling: "max(1, 1, 5, 6) = 6".
func (g *PoolGrid) MaxWords(i, j int) string {
	h := g.OutSide()
	return "max(" + joinNumbers(g.Candidates(i, j), ", ") + ") = " + FormatNumber(g.max.Data[i*h+j])
}

// AvgWords writes output (i, j) of average pooling:
// "(1 + 1 + 5 + 6)/4 = 3.25".
func (g *PoolGrid) AvgWords(i, j int) string {
	h := g.OutSide()
	terms := joinNumbers(g.Candidates(i, j), " + ")
	terms = strings.ReplaceAll(terms, "+ "+Minus, "− ")
	return fmt.Sprintf("(%s)/%d = %s", terms, g.size*g.size, FormatNumber(g.avg.Data[i*h+j]))
}

// Ledger returns nn's ledger of max pooling the lecture's 64x224x224
// volume with this window and stride, or its error.
func (g *PoolGrid) Ledger() (LedgerLine, error) {
	in := [3]int{64, 224, 224}
	layer := nn.LayerSpec{Type: nn.TypeMaxPool, Size: g.size, Stride: g.stride}
	rows, err := nn.Spec{Input: in, Layers: []nn.LayerSpec{layer}}.Ledger()
	if err != nil {
		return LedgerLine{}, err
	}
	return LedgerLine{What: "a 64x224x224 volume", Input: in, Row: rows[0]}, nil
}

// joinNumbers writes values with FormatNumber, separated by sep.
func joinNumbers(v []float32, sep string) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = FormatNumber(x)
	}
	return strings.Join(s, sep)
}

// ints writes choices as "4 or 6", "1, 2 or 3".
func ints(vs []int) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = fmt.Sprint(v)
	}
	if len(s) == 1 {
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}
