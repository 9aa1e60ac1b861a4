package lesson

import (
	"fmt"
	"math"
	"math/rand"
	"testing"

	"convlab/assets"
	"convlab/engine/data"
)

// TestDefaultBankDetectsColourClasses runs the default colour bank over the
// generated Colour set, whose six classes are the six things the bank looks
// for (oriented light-dark edges and stripes, red-green and blue-yellow
// patterns): filter f's maps are strongest, by root mean square, on the
// pictures of class f, at least 1.4 times any other class's.
func TestDefaultBankDetectsColourClasses(t *testing.T) {
	set := data.Colour(120, rand.New(rand.NewSource(5)))
	m := NewMaps(Sources{Colour: set}, rand.New(rand.NewSource(1)))
	classes := data.ColourClasses()
	var rms [6][6]float64 // filter, class: mean over pictures
	for i := 0; i < set.Len(); i++ {
		if err := m.SetInput(fmt.Sprint("colour:", i)); err != nil {
			t.Fatal(err)
		}
		out := m.Output()
		n := out.Shape[1] * out.Shape[2]
		for f := range 6 {
			var s float64
			for _, v := range out.Data[f*n : (f+1)*n] {
				s += float64(v) * float64(v)
			}
			rms[f][set.Labels[i]] += math.Sqrt(s/float64(n)) / float64(set.Len()/6)
		}
	}
	for f := range 6 {
		other := 0.0
		for c := range 6 {
			if c != f {
				other = max(other, rms[f][c])
			}
		}
		t.Logf("%-16s on %-12s %.3f, at most %.3f on the others", m.Bank().Names[f], classes[f], rms[f][f], other)
		if rms[f][f] < 1.4*other {
			t.Errorf("%s: %.3f on %s pictures, %.3f on another class", m.Bank().Names[f], rms[f][f], classes[f], other)
		}
	}
}

// TestMapsOnRealInputs goes through the shipped digits, the photo-like
// pictures and the colour patterns: every input has its lecture shape, and
// the blur of a digit stays within [0, 1] (it averages values in [0, 1]).
func TestMapsOnRealInputs(t *testing.T) {
	digits, _, err := data.ParseMNIST([]byte(assets.MNIST))
	if err != nil {
		t.Fatal(err)
	}
	src := Sources{Digits: digits, Pictures: data.PictureSet(data.Pictures()), Colour: data.Colour(12, rand.New(rand.NewSource(1)))}
	m := NewMaps(src, rand.New(rand.NewSource(1)))
	for _, tc := range []struct {
		kind          string
		n             int
		input, output string
	}{
		{"digit", 20, "1 x 28 x 28", "6 x 24 x 24"},
		{"picture", src.Pictures.Len(), "3 x 32 x 32", "6 x 28 x 28"},
		{"colour", 12, "3 x 32 x 32", "6 x 28 x 28"},
	} {
		for i := 0; i < tc.n; i++ {
			id := fmt.Sprintf("%s:%d", tc.kind, i)
			if err := m.SetInput(id); err != nil {
				t.Fatal(err)
			}
			if m.InputShape() != tc.input || m.OutputShape() != tc.output {
				t.Errorf("%s: %s -> %s, want %s -> %s", id, m.InputShape(), m.OutputShape(), tc.input, tc.output)
			}
			if tc.kind == "digit" {
				if lo, hi := m.MinMax(5); lo < 0 || hi > 1+1e-6 || hi < 0.3 {
					t.Errorf("%s: blur spans [%v, %v], want within [0, 1] and reaching the strokes", id, lo, hi)
				}
			}
		}
	}
}

// Slide 18: a 3x32x32 picture and six 3x5x5 filters give six 28x28
// activation maps; padding and stride change the shape by
// (W − K + 2P)/S + 1, or explain why they cannot.
func ExampleMaps() {
	m := NewMaps(Sources{Pictures: data.PictureSet(data.Pictures())}, rand.New(rand.NewSource(1)))
	fmt.Println(m.InputShape(), "image,", m.FilterShape(), "filters ->", m.OutputShape())
	m.SetPadding(2)
	fmt.Println("padding 2:", m.OutputShape())
	m.SetStride(2)
	fmt.Println("stride 2:", m.ShapeError())
	m.SetPadding(0)
	m.SetStride(3)
	fmt.Println("padding 0, stride 3:", m.OutputShape())
	s := m.Stack()
	for l := range s.Layers {
		fmt.Printf("W%d: %s, %s\n", l+1, s.WeightShape(l), s.BatchForm(l))
	}
	// Output:
	// 3 x 32 x 32 image, 6 x 3 x 5 x 5 filters -> 6 x 28 x 28
	// padding 2: 6 x 32 x 32
	// stride 2: (32 − 5 + 4)/2 + 1 = 16.5 is not a whole number: change padding or stride
	// padding 0, stride 3: 6 x 10 x 10
	// W1: 6 x 3 x 5 x 5, N x 3 x 32 x 32 -> N x 6 x 28 x 28
	// W2: 10 x 6 x 3 x 3, N x 6 x 28 x 28 -> N x 10 x 26 x 26
	// W3: 12 x 10 x 3 x 3, N x 10 x 26 x 26 -> N x 12 x 24 x 24
}
