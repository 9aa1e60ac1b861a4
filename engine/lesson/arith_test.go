package lesson

import (
	"fmt"
	"math"
	"math/rand"
	"reflect"
	"testing"

	"convlab/engine/nn"
	"convlab/engine/tensor"
)

// sobelX is the vertical-edge filter, as a picture.
var sobelX = []float32{
	-1, 0, 1,
	-2, 0, 2,
	-1, 0, 1,
}

func TestDotProductHandWorked(t *testing.T) {
	// A window on the right side of a bar: products by hand
	// 0·(−1)=0 1·0=0 1·1=1 / 0·(−2)=0 2·0=0 0·2=0 / 3·(−1)=−3 1·0=0 0.5·1=0.5
	// sum −1.5, + bias 1 = −0.5.
	x := []float32{
		0, 1, 1,
		0, 2, 0,
		3, 1, 0.5,
	}
	d := DotProduct(1, x, sobelX, nil, 1)
	if d.Sum != -1.5 || d.Value != -0.5 {
		t.Fatalf("sum %v value %v, want −1.5 and −0.5", d.Sum, d.Value)
	}
	wantLine := "0·(−1) + 1·0 + 1·1 + 0·(−2) + 2·0 + 0·2 + 3·(−1) + 1·0 + 0.5·1 = −1.5, + bias 1 = −0.5"
	if got := d.Line(); got != wantLine {
		t.Errorf("Line:\n got %s\nwant %s", got, wantLine)
	}
	if got, want := d.Brief(), "0·(−1) + 1·0 + … + 0.5·1 = −1.5, + bias 1 = −0.5"; got != want {
		t.Errorf("Brief:\n got %s\nwant %s", got, want)
	}
	wantLines := []string{
		"0·(−1) + 1·0 + 1·1",
		"+ 0·(−2) + 2·0 + 0·2",
		"+ 3·(−1) + 1·0 + 0.5·1",
		"= −1.5",
		"+ bias 1 = −0.5",
	}
	if got := d.Lines(); !reflect.DeepEqual(got, wantLines) {
		t.Errorf("Lines:\n got %q\nwant %q", got, wantLines)
	}
	wantQ := []string{wantLines[0], wantLines[1], wantLines[2], "= ?", "+ bias 1 = ?"}
	if got := d.Question(); !reflect.DeepEqual(got, wantQ) {
		t.Errorf("Question:\n got %q\nwant %q", got, wantQ)
	}
	if got, want := d.Reason(), "the sum of the nine products is −1.5, plus bias 1 is −0.5"; got != want {
		t.Errorf("Reason: got %q, want %q", got, want)
	}
	one := DotProduct(1, []float32{3}, []float32{2}, nil, 1)
	if got, want := one.Reason(), "the one product is 6, plus bias 1 is 7"; got != want {
		t.Errorf("Reason of a 1x1 filter: got %q, want %q", got, want)
	}
	prods := make([]string, len(d.Terms))
	for i, tm := range d.Terms {
		prods[i] = tm.ProductText
	}
	if want := []string{"0", "0", "1", "0", "0", "0", "−3", "0", "0.5"}; !reflect.DeepEqual(prods, want) {
		t.Errorf("products %q, want %q", prods, want)
	}
	if tm := d.Terms[5]; tm.C != 0 || tm.U != 1 || tm.V != 2 || tm.W != 2 {
		t.Errorf("term 5 = %+v, want channel 0, row 1, col 2, weight 2", tm)
	}
}

func TestDotProductChannels(t *testing.T) {
	// Three channels of a 1x1 window (K = 1): partial sums are the single
	// products 2·0.5 = 1, 3·(−1) = −3, 4·0.25 = 1; total −1, + bias 0.5.
	d := DotProduct(3, []float32{2, 3, 4}, []float32{0.5, -1, 0.25}, nil, 0.5)
	if got, want := d.PartialText, []string{"1", "−3", "1"}; !reflect.DeepEqual(got, want) {
		t.Errorf("partial sums %q, want %q", got, want)
	}
	if got, want := d.Line(), "(2·0.5) + (3·(−1)) + (4·0.25) = −1, + bias 0.5 = −0.5"; got != want {
		t.Errorf("Line: got %q, want %q", got, want)
	}
	wantLines := []string{
		"channel 0:", "  2·0.5", "  = 1",
		"channel 1:", "  3·(−1)", "  = −3",
		"channel 2:", "  4·0.25", "  = 1",
		"sum over channels: 1 + −3 + 1 = −1",
		"+ bias 0.5 = −0.5",
	}
	if got := d.Lines(); !reflect.DeepEqual(got, wantLines) {
		t.Errorf("Lines:\n got %q\nwant %q", got, wantLines)
	}
	if got, want := d.Reason(), "the three products sum to 1 + −3 + 1 = −1 over the three channels, plus bias 0.5 is −0.5"; got != want {
		t.Errorf("Reason: got %q, want %q", got, want)
	}
}

func TestWindowAtPadding(t *testing.T) {
	// 5x5 input numbered 1..25, K 3, P 1, S 2: output (0, 0) sits on the
	// top-left corner with a padding row and column; output (1, 2) covers
	// rows 1..3 and columns 3..5 of the input, and column 5 is the right
	// padding column.
	x := tensor.New(1, 5, 5)
	for i := range x.Data {
		x.Data[i] = float32(i + 1)
	}
	tests := []struct {
		i, j     int
		row, col int
		values   []float32
		pad      []bool
	}{
		{0, 0, 0, 0, []float32{
			0, 0, 0,
			0, 1, 2,
			0, 6, 7,
		}, []bool{
			true, true, true,
			true, false, false,
			true, false, false,
		}},
		{1, 2, 2, 4, []float32{
			9, 10, 0,
			14, 15, 0,
			19, 20, 0,
		}, []bool{
			false, false, true,
			false, false, true,
			false, false, true,
		}},
	}
	for _, tt := range tests {
		w := WindowAt(x, 3, 1, 2, tt.i, tt.j)
		if w.Row != tt.row || w.Col != tt.col || !reflect.DeepEqual(w.Values, tt.values) || !reflect.DeepEqual(w.Pad, tt.pad) {
			t.Errorf("WindowAt(%d,%d) = %+v, want row %d col %d values %v pad %v", tt.i, tt.j, w, tt.row, tt.col, tt.values, tt.pad)
		}
	}
}

// TestCellDotMatchesEngine checks, for random inputs, shapes and filters,
// that the written arithmetic of every output cell ends in exactly the
// engine's value, and that its sum agrees with a float64 sum.
func TestCellDotMatchesEngine(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	cells := 0
	for trial := 0; trial < 200; trial++ {
		cin, cout := 1+rng.Intn(3), 1+rng.Intn(2)
		n, k, p, s := 5+rng.Intn(5), 1+2*rng.Intn(3), rng.Intn(3), 1+rng.Intn(3)
		ho, err := nn.OutputSize(n, k, p, s)
		if err != nil {
			continue
		}
		x, w := tensor.New(cin, n, n), tensor.New(cout, cin, k, k)
		b := make([]float32, cout)
		for _, buf := range [][]float32{x.Data, w.Data, b} {
			for i := range buf {
				buf[i] = float32(rng.NormFloat64())
			}
		}
		out, err := nn.Conv2DNaive(x, w, b, p, s)
		if err != nil {
			t.Fatal(err)
		}
		for o := 0; o < cout; o++ {
			for i := 0; i < ho; i++ {
				for j := 0; j < ho; j++ {
					d := CellDot(x, w, b, p, s, o, i, j)
					want := out.At(o, i, j)
					if math.Float32bits(d.Value) != math.Float32bits(want) {
						t.Fatalf("cin %d n %d k %d p %d s %d cell (%d,%d,%d): written %v, engine %v", cin, n, k, p, s, o, i, j, d.Value, want)
					}
					var ref float64
					for _, tm := range d.Terms {
						ref += float64(tm.X) * float64(tm.W)
					}
					if math.Abs(ref-float64(d.Sum)) > 1e-4 {
						t.Fatalf("cell (%d,%d,%d): sum %v, float64 sum %v", o, i, j, d.Sum, ref)
					}
					cells++
				}
			}
		}
	}
	if cells < 1000 {
		t.Fatalf("only %d cells checked", cells)
	}
}

func ExampleDotProduct() {
	x := []float32{
		0, 0, 1,
		0, 0, 1,
		0, 0, 1,
	}
	d := DotProduct(1, x, sobelX, nil, 0.5)
	fmt.Println(d.Line())
	for _, l := range d.Lines() {
		fmt.Println(l)
	}
	// Output:
	// 0·(−1) + 0·0 + 1·1 + 0·(−2) + 0·0 + 1·2 + 0·(−1) + 0·0 + 1·1 = 4, + bias 0.5 = 4.5
	// 0·(−1) + 0·0 + 1·1
	// + 0·(−2) + 0·0 + 1·2
	// + 0·(−1) + 0·0 + 1·1
	// = 4
	// + bias 0.5 = 4.5
}
