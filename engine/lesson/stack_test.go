package lesson

import (
	"math/rand"
	"strings"
	"testing"

	"convlab/engine/tensor"
)

// TestStackSlide23 checks every shape slide 23 writes.
func TestStackSlide23(t *testing.T) {
	s, err := NewStack([]int{3, 32, 32}, LectureStack(), rand.New(rand.NewSource(1)))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		weight, bias, out, batch string
		field                    int
	}{
		{"6 x 3 x 5 x 5", "6", "6 x 28 x 28", "N x 3 x 32 x 32 -> N x 6 x 28 x 28", 5},
		{"10 x 6 x 3 x 3", "10", "10 x 26 x 26", "N x 6 x 28 x 28 -> N x 10 x 26 x 26", 7},
		{"12 x 10 x 3 x 3", "12", "12 x 24 x 24", "N x 10 x 26 x 26 -> N x 12 x 24 x 24", 9},
	}
	if len(s.Layers) != len(want) {
		t.Fatalf("%d layers, want %d", len(s.Layers), len(want))
	}
	for l, w := range want {
		got := []string{s.WeightShape(l), s.BiasShape(l), s.OutputShape(l), s.BatchForm(l)}
		exp := []string{w.weight, w.bias, w.out, w.batch}
		for k := range got {
			if got[k] != exp[k] {
				t.Errorf("layer %d: %q, want %q", l+1, got[k], exp[k])
			}
		}
		if f := s.ReceptiveSize(l); f != w.field {
			t.Errorf("layer %d: receptive field %d, want %d", l+1, f, w.field)
		}
	}
	x := tensor.New(3, 32, 32)
	for k := range x.Data {
		x.Data[k] = float32(k%7) / 7
	}
	s.ReLU = true
	if err := s.Forward(x); err != nil {
		t.Fatal(err)
	}
	for l, y := range s.Outputs {
		if got := tensor.ShapeString(y.Shape); got != want[l].out {
			t.Errorf("layer %d output %s, want %s", l+1, got, want[l].out)
		}
		lo, hi := minMax(y.Data)
		if lo < 0 || hi <= 0 {
			t.Errorf("layer %d after ReLU spans [%v, %v], want non-negative and not all zero", l+1, lo, hi)
		}
	}
	if err := s.Forward(tensor.New(1, 28, 28)); err == nil || !strings.Contains(err.Error(), "3 x 32 x 32") {
		t.Errorf("a 1 x 28 x 28 input: error %v, want one naming 3 x 32 x 32", err)
	}
}

func TestStackSeeded(t *testing.T) {
	a, _ := NewStack([]int{3, 32, 32}, LectureStack(), rand.New(rand.NewSource(9)))
	b, _ := NewStack([]int{3, 32, 32}, LectureStack(), rand.New(rand.NewSource(9)))
	for l := range a.Layers {
		for k, v := range a.Layers[l].W.Data {
			if b.Layers[l].W.Data[k] != v {
				t.Fatalf("layer %d weight %d: %v and %v from the same seed", l+1, k, v, b.Layers[l].W.Data[k])
			}
		}
	}
	// He's bound for the 3x3 layer over 6 channels: √(6/54) = 1/3.
	lo, hi := minMax(a.Layers[1].W.Data)
	if lo < -1.0/3 || hi > 1.0/3 || hi-lo < 0.5 {
		t.Errorf("layer 2 weights span [%v, %v], want most of ±1/3", lo, hi)
	}
}

func TestStackImpossibleShape(t *testing.T) {
	_, err := NewStack([]int{3, 8, 8}, []LayerSpec{{Cout: 2, K: 5, Stride: 1}, {Cout: 2, K: 5, Stride: 1}}, rand.New(rand.NewSource(1)))
	if err == nil || !strings.HasPrefix(err.Error(), "layer 2: ") || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("8 -> 4 -> 5x5: error %v, want layer 2's explanation", err)
	}
}
