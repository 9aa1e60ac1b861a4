package lesson

import (
	"fmt"
	"image"
	"math/rand"
	"testing"

	"convlab/engine/tensor"
)

func TestReceptiveFieldHandWorked(t *testing.T) {
	for _, tc := range []struct {
		name   string
		layers []Geometry
		i, j   int
		want   image.Rectangle // x0, y0, x1, y1 with x1, y1 exclusive
	}{
		// One 5x5 layer, no padding: unit (3, 7) reads rows 3..7 and columns 7..11.
		{"5x5", []Geometry{{5, 0, 1}}, 3, 7, image.Rect(7, 3, 12, 8)},
		// Padding 2, stride 2: unit (0, 0) starts two pixels into the padding,
		// unit (1, 3) starts at row 1·2 − 2 = 0, column 3·2 − 2 = 4.
		{"5x5 p2 s2 corner", []Geometry{{5, 2, 2}}, 0, 0, image.Rect(-2, -2, 3, 3)},
		{"5x5 p2 s2", []Geometry{{5, 2, 2}}, 1, 3, image.Rect(4, 0, 9, 5)},
		// Slide 23: 5x5, 3x3, 3x3. Unit (10, 4) of layer 3 reads rows 10..12 of
		// layer 2, rows 10..14 of layer 1, rows 10..18 of the input.
		{"slide 23", []Geometry{{5, 0, 1}, {3, 0, 1}, {3, 0, 1}}, 10, 4, image.Rect(4, 10, 13, 19)},
		// Stride 2 then 3x3: unit 2 of layer 2 reads layer-1 rows 1..3, which
		// read input rows 1·2 − 1 = 1 .. 3·2 − 1 + 2 = 7.
		{"stride then 3x3", []Geometry{{3, 1, 2}, {3, 1, 1}}, 2, 2, image.Rect(1, 1, 8, 8)},
		{"no layers", nil, 4, 5, image.Rect(5, 4, 6, 5)},
	} {
		if got := ReceptiveField(tc.layers, tc.i, tc.j); got != tc.want {
			t.Errorf("%s: ReceptiveField(%d, %d) = %v, want %v", tc.name, tc.i, tc.j, got, tc.want)
		}
		if got, want := ReceptiveSize(tc.layers), tc.want.Dx(); got != want {
			t.Errorf("%s: ReceptiveSize = %d, want %d", tc.name, got, want)
		}
	}
}

// TestReceptiveFieldBySensitivity checks the rectangle against what the
// engine says: changing an input pixel outside a unit's field leaves the unit
// as it was, and the unit does respond to pixels inside it.
func TestReceptiveFieldBySensitivity(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	specs := []LayerSpec{{Cout: 2, K: 3, Pad: 1, Stride: 2}, {Cout: 2, K: 3, Pad: 0, Stride: 1}, {Cout: 1, K: 5, Pad: 2, Stride: 1}}
	s, err := NewStack([]int{1, 13, 13}, specs, rng)
	if err != nil {
		t.Fatal(err)
	}
	x := tensor.New(1, 13, 13)
	for k := range x.Data {
		x.Data[k] = rng.Float32()
	}
	if err := s.Forward(x); err != nil {
		t.Fatal(err)
	}
	last := len(specs) - 1
	base := s.Outputs[last].Clone()
	out := base.Shape
	for i := 0; i < out[1]; i++ {
		for j := 0; j < out[2]; j++ {
			field := s.ReceptiveField(last, i, j)
			touched := image.Rectangle{}
			for y := 0; y < 13; y++ {
				for xx := 0; xx < 13; xx++ {
					k := y*13 + xx
					old := x.Data[k]
					x.Data[k] = old + 10
					if err := s.Forward(x); err != nil {
						t.Fatal(err)
					}
					x.Data[k] = old
					if s.Outputs[last].At(0, i, j) != base.At(0, i, j) {
						touched = touched.Union(image.Rect(xx, y, xx+1, y+1))
					}
				}
			}
			visible := field.Intersect(image.Rect(0, 0, 13, 13))
			if !touched.In(visible) {
				t.Errorf("unit (%d, %d): input pixels %v change it, outside its field %v", i, j, touched, field)
			}
			if touched.Empty() {
				t.Errorf("unit (%d, %d): no input pixel changes it", i, j)
			}
		}
	}
}

func ExampleReceptiveField() {
	slide23 := []Geometry{{K: 5, Stride: 1}, {K: 3, Stride: 1}, {K: 3, Stride: 1}}
	for l := 1; l <= 3; l++ {
		r := ReceptiveField(slide23[:l], 0, 0)
		fmt.Printf("layer %d: unit (0, 0) sees input rows %d..%d, a %dx%d field\n", l, r.Min.Y, r.Max.Y-1, r.Dx(), r.Dy())
	}
	// Output:
	// layer 1: unit (0, 0) sees input rows 0..4, a 5x5 field
	// layer 2: unit (0, 0) sees input rows 0..6, a 7x7 field
	// layer 3: unit (0, 0) sees input rows 0..8, a 9x9 field
}
