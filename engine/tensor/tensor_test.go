package tensor

import (
	"strings"
	"testing"
)

func TestIndexFormula(t *testing.T) {
	// A (2, 3, 4) tensor numbered in storage order: element (c, h, w) must
	// sit at (c*3+h)*4+w, the formula stated on Tensor.
	x := New(2, 3, 4)
	for i := range x.Data {
		x.Data[i] = float32(i)
	}
	for c := 0; c < 2; c++ {
		for h := 0; h < 3; h++ {
			for w := 0; w < 4; w++ {
				if got, want := x.At(c, h, w), float32((c*3+h)*4+w); got != want {
					t.Errorf("At(%d,%d,%d) = %v, want %v", c, h, w, got, want)
				}
			}
		}
	}
	x.Set(-1, 1, 2, 3)
	if x.Data[23] != -1 {
		t.Errorf("Set(1,2,3) wrote elsewhere: Data[23] = %v", x.Data[23])
	}
	if got := ShapeString(x.Shape); got != "2 x 3 x 4" {
		t.Errorf("ShapeString = %q", got)
	}
}

func TestMisuse(t *testing.T) {
	mustPanic := func(name, want string, f func()) {
		t.Helper()
		defer func() {
			r := recover()
			if r == nil || !strings.Contains(r.(string), want) {
				t.Errorf("%s: panic %v, want one mentioning %q", name, r, want)
			}
		}()
		f()
	}
	x := New(2, 2)
	mustPanic("rank", "rank", func() { x.At(1) })
	mustPanic("range", "out of range", func() { x.At(2, 0) })
	mustPanic("fill", "do not fill", func() { FromData(make([]float32, 3), 2, 2) })
	mustPanic("negative", "negative", func() { New(2, -1) })
}

func TestCloneAndGrad(t *testing.T) {
	x := FromData([]float32{1, 2, 3, 4}, 2, 2)
	g := x.EnsureGrad()
	g[3] = 5
	c := x.Clone()
	c.Data[0], c.Grad[3] = 9, 7
	if x.Data[0] != 1 || x.Grad[3] != 5 {
		t.Errorf("Clone shares storage: %v %v", x.Data, x.Grad)
	}
	x.ZeroGrad()
	if x.Grad[3] != 0 {
		t.Errorf("ZeroGrad left %v", x.Grad)
	}
	if !SameShape(x.Shape, c.Shape) || SameShape(x.Shape, []int{4}) {
		t.Error("SameShape is wrong")
	}
}
