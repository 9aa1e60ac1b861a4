package data

import (
	"bytes"
	"math"
	"strings"
	"testing"
)

func TestPicturesShapesAndRepeatability(t *testing.T) {
	a, b := Pictures(), Pictures()
	if len(a) < 6 {
		t.Fatalf("%d pictures, want at least 6", len(a))
	}
	names := map[string]bool{}
	for i, p := range a {
		if p.Side != 32 || len(p.Pixels) != 3*32*32 {
			t.Errorf("%q: side %d with %d bytes, want 32 and 3072", p.Name, p.Side, len(p.Pixels))
		}
		if !strings.Contains(p.Licence, "no photograph") || p.Name == "" || names[p.Name] {
			t.Errorf("picture %d: name %q, licence %q", i, p.Name, p.Licence)
		}
		names[p.Name] = true
		if !bytes.Equal(p.Pixels, b[i].Pixels) {
			t.Errorf("%q differs between two calls", p.Name)
		}
	}
}

// TestPicturesAtTwoSizesAgree checks that the 64-pixel pictures, averaged
// over 2 x 2 blocks, are the 32-pixel ones: one scene at two resolutions.
func TestPicturesAtTwoSizesAgree(t *testing.T) {
	small, large := Pictures(), PicturesAt(64)
	for i, p := range small {
		q := large[i]
		var diff float64
		for c := range 3 {
			for y := range 32 {
				for x := range 32 {
					sum := 0.0
					for _, d := range [][2]int{{0, 0}, {0, 1}, {1, 0}, {1, 1}} {
						sum += float64(q.Pixels[(c*64+2*y+d[0])*64+2*x+d[1]])
					}
					diff += math.Abs(sum/4 - float64(p.Pixels[(c*32+y)*32+x]))
				}
			}
		}
		// Grain, rounding and sample positions differ (fine detail such as
		// far checkers most); the scene does not. Different scenes differ
		// by more than 30 (TestPicturesHaveEdges).
		if mean := diff / (3 * 32 * 32); mean > 8 {
			t.Errorf("%q: 64-pixel picture averaged to 32 differs by %.1f per value", p.Name, mean)
		}
	}
}

// TestPicturesHaveEdges checks that every picture gives an edge filter
// something to find, and that no two pictures are alike.
func TestPicturesHaveEdges(t *testing.T) {
	pics := Pictures()
	grey := func(p Picture, y, x int) float64 {
		n := p.Side * p.Side
		k := y*p.Side + x
		return (float64(p.Pixels[k]) + float64(p.Pixels[n+k]) + float64(p.Pixels[2*n+k])) / 3
	}
	for i, p := range pics {
		// Fraction of pixels on a strong edge (central difference over 40 of 255).
		strong := 0
		for y := 1; y < 31; y++ {
			for x := 1; x < 31; x++ {
				gx := grey(p, y, x+1) - grey(p, y, x-1)
				gy := grey(p, y+1, x) - grey(p, y-1, x)
				if math.Hypot(gx, gy) > 40 {
					strong++
				}
			}
		}
		if f := float64(strong) / (30 * 30); f < 0.05 {
			t.Errorf("%q: only %.1f%% of pixels lie on strong edges", p.Name, 100*f)
		}
		for j := range i {
			var d float64
			for k := range p.Pixels {
				d += math.Abs(float64(p.Pixels[k]) - float64(pics[j].Pixels[k]))
			}
			if d/float64(len(p.Pixels)) < 30 {
				t.Errorf("%q and %q differ by only %.1f per value", p.Name, pics[j].Name, d/float64(len(p.Pixels)))
			}
		}
	}
}

// TestSunsetHorizon checks one scene against its drawing: in the sunset
// the strongest change of brightness from one row to the next, away from
// the sun, is at the horizon (v = 0.58, between rows 18 and 19 of 32).
func TestSunsetHorizon(t *testing.T) {
	var p Picture
	for _, q := range Pictures() {
		if q.Name == "sunset" {
			p = q
		}
	}
	row := func(y int) float64 { // mean brightness of the left quarter
		s := 0.0
		for c := range 3 {
			for x := range 8 {
				s += float64(p.Pixels[(c*32+y)*32+x])
			}
		}
		return s / 24
	}
	best, at := 0.0, -1
	for y := range 31 {
		if d := math.Abs(row(y+1) - row(y)); d > best {
			best, at = d, y
		}
	}
	if at != 18 {
		t.Errorf("largest row-to-row change between rows %d and %d, want 18 and 19", at, at+1)
	}
}

func TestPictureSet(t *testing.T) {
	pics := Pictures()
	s := PictureSet(pics)
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
	if s.Len() != len(pics) || s.C != 3 || s.H != 32 || s.W != 32 || s.Classes[1] != pics[1].Name || s.Labels[1] != 1 {
		t.Fatalf("set %q: %d images %dx%dx%d, classes %v", s.Name, s.Len(), s.C, s.H, s.W, s.Classes)
	}
	img := make([]float32, 3*32*32)
	s.Image(2, img)
	if got, want := img[5], float32(pics[2].Pixels[5])*(1.0/255); got != want {
		t.Errorf("picture 2 value 5 is %v, want %v", got, want)
	}
}
