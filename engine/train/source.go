package train

import (
	"fmt"
	"math/rand"

	"convlab/engine/data"
)

// Source is a labelled set of examples that a Trainer draws minibatches
// from and Evaluate runs through.
type Source interface {
	// Len returns the number of examples.
	Len() int
	// Shape returns (C, H, W) of one example as the net takes it.
	Shape() [3]int
	// Classes returns the number of classes; labels are 0..Classes()−1.
	Classes() int
	// Example writes example i (0 ≤ i < Len()) into dst, which holds
	// C·H·W values in (C, H, W) order, and returns its label. A non-nil rng
	// asks for a training view (augmented, e.g. a random crop, drawn from
	// rng); nil asks for the fixed view used for testing.
	Example(i int, dst []float32, rng *rand.Rand) int
}

// SetSource adapts a data.Set to a Source, optionally cropping: with Crop
// c > 0, each example is a c x c window of the image, placed at random
// (each offset equally likely) for training and centred for testing, as
// ConvNetJS crops 24x24 windows from 28x28 digits. Pixel p (0..255)
// becomes p/255 − 0.5, so values lie in [−0.5, 0.5] as in ConvNetJS.
type SetSource struct {
	Set  *data.Set
	Crop int // side of the square window; 0 takes the whole image
}

// FromSet returns a Source over s with crop c (0 for none), checking that
// the window fits and that the set is consistent.
func FromSet(s *data.Set, crop int) (*SetSource, error) {
	if s == nil || s.Len() == 0 {
		return nil, fmt.Errorf("source: the data set is empty")
	}
	if len(s.Pixels) != s.Len()*s.C*s.H*s.W {
		return nil, fmt.Errorf("source: %s has %d pixels for %d images of %dx%dx%d", s.Name, len(s.Pixels), s.Len(), s.C, s.H, s.W)
	}
	if crop < 0 || crop > s.H || crop > s.W {
		return nil, fmt.Errorf("source: a %dx%d crop does not fit %s's %dx%d images", crop, crop, s.Name, s.H, s.W)
	}
	for i, l := range s.Labels {
		if int(l) >= len(s.Classes) {
			return nil, fmt.Errorf("source: label %d of image %d is not one of %s's %d classes", l, i, s.Name, len(s.Classes))
		}
	}
	return &SetSource{Set: s, Crop: crop}, nil
}

// Len returns the number of images.
func (s *SetSource) Len() int { return s.Set.Len() }

// Classes returns the number of class names of the set.
func (s *SetSource) Classes() int { return len(s.Set.Classes) }

// Shape returns (C, Crop, Crop), or the image shape without a crop.
func (s *SetSource) Shape() [3]int {
	if s.Crop == 0 {
		return [3]int{s.Set.C, s.Set.H, s.Set.W}
	}
	return [3]int{s.Set.C, s.Crop, s.Crop}
}

// Example writes the (cropped, scaled) image i into dst and returns its label.
func (s *SetSource) Example(i int, dst []float32, rng *rand.Rand) int {
	set := s.Set
	sh := s.Shape()
	h, w := sh[1], sh[2]
	dy, dx := (set.H-h)/2, (set.W-w)/2
	if rng != nil {
		dy, dx = rng.Intn(set.H-h+1), rng.Intn(set.W-w+1)
	}
	img := set.Pixels[i*set.C*set.H*set.W : (i+1)*set.C*set.H*set.W]
	dst = dst[:set.C*h*w]
	for c := 0; c < set.C; c++ {
		for y := 0; y < h; y++ {
			src := img[(c*set.H+y+dy)*set.W+dx : (c*set.H+y+dy)*set.W+dx+w]
			out := dst[(c*h+y)*w : (c*h+y+1)*w]
			for x, p := range src {
				out[x] = float32(p)*(1.0/255) - 0.5
			}
		}
	}
	return int(set.Labels[i])
}
