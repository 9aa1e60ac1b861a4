package data

import (
	"bytes"
	"math"
	"math/rand"
	"testing"
)

func TestColourIsDeterministic(t *testing.T) {
	a := Colour(24, rand.New(rand.NewSource(7)))
	b := Colour(24, rand.New(rand.NewSource(7)))
	c := Colour(24, rand.New(rand.NewSource(8)))
	if !bytes.Equal(a.Pixels, b.Pixels) || !bytes.Equal(a.Labels, b.Labels) {
		t.Fatal("the same seed gave different pictures")
	}
	if bytes.Equal(a.Pixels, c.Pixels) {
		t.Fatal("different seeds gave the same pictures")
	}
	if err := a.Check(); err != nil {
		t.Fatal(err)
	}
	if a.C != 3 || a.H != 32 || a.W != 32 || len(a.Classes) != 6 {
		t.Fatalf("shape %dx%dx%d with %d classes, want 3x32x32 with 6", a.C, a.H, a.W, len(a.Classes))
	}
	for i, l := range a.Labels {
		if int(l) != i%6 {
			t.Fatalf("label %d is %d, want %d", i, l, i%6)
		}
	}
}

// TestColourPicturesDiffer checks that pictures of one class are not one
// template: the pattern moves, so pixelwise the pictures differ a lot.
func TestColourPicturesDiffer(t *testing.T) {
	s := Colour(12, rand.New(rand.NewSource(3)))
	n := s.C * s.H * s.W
	for i := 0; i+6 < s.Len(); i++ {
		var d float64
		for k := range n {
			d += math.Abs(float64(s.Pixels[i*n+k]) - float64(s.Pixels[(i+6)*n+k]))
		}
		if d/float64(n) < 10 {
			t.Errorf("pictures %d and %d of class %q differ by only %.1f per value", i, i+6, s.Classes[s.Labels[i]], d/float64(n))
		}
	}
}

// colourFeatures measures, independently of how a picture was drawn, the
// energy of its spatial gradients along the three opponent colour axes
// (light, red-green, yellow-blue; an orthonormal basis, so pixel noise
// weighs the same on each), and the dominant orientation of the light
// axis's gradient from the structure tensor, in degrees in (−90, 90],
// x to the right and y down. The picture is first smoothed with the
// binomial kernel [1 2 1]/4 along each axis, as gradient estimators do,
// so that pixel noise weighs less than patterns a few pixels wide.
func colourFeatures(s *Set, i int) (light, redGreen, yellowBlue, angle float64) {
	h, w := s.H, s.W
	// opp holds the three opponent planes (3, h, w), smoothed; the border
	// repeats the edge pixel.
	opp := make([]float64, 3*h*w)
	at := func(c, y, x int) float64 {
		y, x = min(max(y, 0), h-1), min(max(x, 0), w-1)
		return float64(s.Pixels[((i*3+c)*h+y)*w+x]) / 255
	}
	for y := range h {
		for x := range w {
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					k := float64((2-dy*dy)*(2-dx*dx)) / 16
					r, g, b := at(0, y+dy, x+dx), at(1, y+dy, x+dx), at(2, y+dy, x+dx)
					opp[y*w+x] += k * (r + g + b) / math.Sqrt(3)
					opp[(h+y)*w+x] += k * (r - g) / math.Sqrt2
					opp[(2*h+y)*w+x] += k * (r + g - 2*b) / math.Sqrt(6)
				}
			}
		}
	}
	var energy [3]float64
	var jxx, jyy, jxy float64
	for y := 1; y < h-1; y++ {
		for x := 1; x < w-1; x++ {
			for c := range 3 {
				p := opp[c*h*w:]
				// Central differences: gx and gy share no pixel, so noise
				// adds nothing to jxy and does not tilt the angle.
				gx, gy := (p[y*w+x+1]-p[y*w+x-1])/2, (p[(y+1)*w+x]-p[(y-1)*w+x])/2
				energy[c] += gx*gx + gy*gy
				if c == 0 {
					jxx += gx * gx
					jyy += gy * gy
					jxy += gx * gy
				}
			}
		}
	}
	angle = 0.5 * math.Atan2(2*jxy, jxx-jyy) * 180 / math.Pi
	return energy[0], energy[1], energy[2], angle
}

// TestColourClassesShowTheirFeature checks each class by the feature that
// defines it: orientation classes by the dominant direction of brightness
// change and by light-dark energy exceeding colour energy; colour classes
// by which opponent axis carries the most gradient energy.
func TestColourClassesShowTheirFeature(t *testing.T) {
	const per = 100
	s := Colour(6*per, rand.New(rand.NewSource(1)))
	wantAngle := map[int]float64{ColourVertical: 0, ColourHorizontal: 90, ColourRising: 45, ColourFalling: -45}
	hits := make([]int, 6)
	for i := range s.Len() {
		class := int(s.Labels[i])
		l, rg, yb, angle := colourFeatures(s, i)
		ok := false
		switch class {
		case ColourRedGreen:
			ok = rg > l && rg > yb
		case ColourBlueYellow:
			ok = yb > l && yb > rg
		default:
			d := math.Mod(math.Abs(angle-wantAngle[class]), 180)
			d = math.Min(d, 180-d)
			ok = l > rg && l > yb && d < 15
		}
		if ok {
			hits[class]++
		}
	}
	for class, n := range hits {
		if n < per*9/10 {
			t.Errorf("class %q: %d of %d pictures show its feature, want at least 90%%", s.Classes[class], n, per)
		}
	}
	t.Logf("pictures showing their feature, per class of %d: %v", per, hits)
}
