package lesson

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"math/rand"

	"convlab/engine/data"
	"convlab/engine/nn"
)

// FCID is the id of the fully-connected-vs-convolution lesson.
const FCID = "fc-vs-conv"

// The shapes of the lesson, those of slides 10–18.
const (
	FCSide     = 32                           // height and width of a picture
	FCChannels = 3                            // red, green, blue
	FCLen      = FCChannels * FCSide * FCSide // 3072: the length of the stretched column
	FCClasses  = 10                           // class scores of the fully connected layer
	FCFilters  = 6                            // filters of the convolution layer (slide 18)
	FCKernel   = 5                            // each filter is 3 x 5 x 5
	FCMapSide  = FCSide - FCKernel + 1        // 28: each activation map is 28 x 28
)

// FCIndex returns where pixel (c, y, x) of a 3 x 32 x 32 picture lands when
// the picture is stretched into one column: (c·32 + y)·32 + x. The column
// holds channel 0's rows top to bottom, then channel 1's, then channel 2's,
// as tensor.Tensor stores a (C, H, W) picture.
func FCIndex(c, y, x int) int {
	if c < 0 || c >= FCChannels || y < 0 || y >= FCSide || x < 0 || x >= FCSide {
		panic(fmt.Sprintf("lesson: pixel (%d, %d, %d) is outside a 3 x 32 x 32 picture", c, y, x))
	}
	return (c*FCSide+y)*FCSide + x
}

// FCPixel returns the pixel (c, y, x) at index i of the stretched column,
// the inverse of FCIndex: c = i / 1024, y = i / 32 mod 32, x = i mod 32.
func FCPixel(i int) (c, y, x int) {
	if i < 0 || i >= FCLen {
		panic(fmt.Sprintf("lesson: index %d is outside the 3072-long column", i))
	}
	return i / (FCSide * FCSide), i / FCSide % FCSide, i % FCSide
}

// FCSpec returns the fully connected layer of slide 10 as a network spec:
// a 3 x 32 x 32 input and one linear layer with 10 outputs, whose weights
// are the 10 x 3072 matrix W.
func FCSpec() nn.Spec {
	return nn.Spec{Input: [3]int{FCChannels, FCSide, FCSide}, Layers: []nn.LayerSpec{{Type: nn.TypeLinear, Out: FCClasses}}}
}

// FCConvSpec returns the convolution layer of slide 18 as a network spec:
// six 3 x 5 x 5 filters over a 3 x 32 x 32 input, no padding, stride 1.
// (A spec must end in class scores; its ledger is what the lesson reads.)
func FCConvSpec() nn.Spec {
	return nn.Spec{Input: [3]int{FCChannels, FCSide, FCSide},
		Layers: []nn.LayerSpec{{Type: nn.TypeConv, Filters: FCFilters, Kernel: FCKernel}}}
}

// fcInk returns the colour of hue h (in [0, 6): red, yellow, green, cyan,
// blue, magenta) at saturation 0.7 and full value: its brightest channel
// is 1 and its dimmest 0.3, so a digit in any ink shows on every channel.
func fcInk(h float64) [3]float64 {
	ch := func(n float64) float64 {
		k := math.Mod(n+h, 6)
		return 1 - 0.7*math.Max(0, math.Min(math.Min(k, 4-k), 1))
	}
	return [3]float64{ch(5), ch(3), ch(1)}
}

// ColourDigits draws 1 x 28 x 28 digits as 3 x 32 x 32 colour pictures, the
// lecture's input shape: each digit sits in the middle of a black 32 x 32
// frame (2 pixels on every side) and its ink takes a random bright colour
// (a hue drawn from rng, saturation 0.7): pixel p of the digit becomes
// p·ink[c] on channel c, rounded. The same rng state gives the same set.
func ColourDigits(digits *data.Set, rng *rand.Rand) (*data.Set, error) {
	if digits.C != 1 || digits.H != 28 || digits.W != 28 {
		return nil, fmt.Errorf("colour digits: %s holds %dx%dx%d images, want 1x28x28", digits.Name, digits.C, digits.H, digits.W)
	}
	const pad = (FCSide - 28) / 2
	n := digits.Len()
	out := &data.Set{Name: digits.Name + "-colour", Classes: digits.Classes, C: FCChannels, H: FCSide, W: FCSide,
		Pixels: make([]uint8, n*FCLen), Labels: append([]uint8(nil), digits.Labels...)}
	for i := 0; i < n; i++ {
		ink := fcInk(6 * rng.Float64())
		src := digits.Pixels[i*28*28 : (i+1)*28*28] // (28, 28)
		dst := out.Pixels[i*FCLen : (i+1)*FCLen]    // (3, 32, 32)
		for c := 0; c < FCChannels; c++ {
			for y := 0; y < 28; y++ {
				for x := 0; x < 28; x++ {
					dst[FCIndex(c, y+pad, x+pad)] = uint8(float64(src[y*28+x])*ink[c] + 0.5)
				}
			}
		}
	}
	return out, nil
}

// FCSource is a train.Source over a set of 3 x 32 x 32 pictures with each
// pixel p (0..255) scaled to p/255, in [0, 1]: the values the page shows
// and multiplies, so the classifier is trained on exactly what the lesson
// writes out. There is no augmentation: the digits are always centred,
// which is why a shifted digit confuses the classifier.
type FCSource struct{ Set *data.Set }

// Len returns the number of pictures.
func (s FCSource) Len() int { return s.Set.Len() }

// Shape returns (3, 32, 32).
func (s FCSource) Shape() [3]int { return [3]int{s.Set.C, s.Set.H, s.Set.W} }

// Classes returns the number of classes of the set.
func (s FCSource) Classes() int { return len(s.Set.Classes) }

// Example writes picture i, scaled to [0, 1], into dst and returns its label.
func (s FCSource) Example(i int, dst []float32, _ *rand.Rand) int {
	s.Set.Image(i, dst)
	return int(s.Set.Labels[i])
}

// EncodeFCDigits writes a set of 3 x 32 x 32 pictures as one PNG strip,
// picture i at columns 32i to 32i + 31, so the shipped digits can be seen
// in any image viewer. Labels are not stored: DecodeFCDigits gives picture
// i label i, so the set must hold one picture per class in class order.
func EncodeFCDigits(s *data.Set) ([]byte, error) {
	if s.C != FCChannels || s.H != FCSide || s.W != FCSide {
		return nil, fmt.Errorf("fc digits: %dx%dx%d pictures, want 3x32x32", s.C, s.H, s.W)
	}
	for i, l := range s.Labels {
		if int(l) != i {
			return nil, fmt.Errorf("fc digits: picture %d has label %d; the strip holds one picture per class in class order", i, l)
		}
	}
	n := s.Len()
	img := image.NewNRGBA(image.Rect(0, 0, n*FCSide, FCSide))
	for i := 0; i < n; i++ {
		p := s.Pixels[i*FCLen : (i+1)*FCLen]
		for y := 0; y < FCSide; y++ {
			for x := 0; x < FCSide; x++ {
				img.SetNRGBA(i*FCSide+x, y, color.NRGBA{p[FCIndex(0, y, x)], p[FCIndex(1, y, x)], p[FCIndex(2, y, x)], 255})
			}
		}
	}
	var b bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&b, img); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// DecodeFCDigits reads a strip EncodeFCDigits wrote: 32 pixels high and a
// multiple of 32 wide, at most 10 pictures, fully opaque. Picture i has
// label i of classes "0".."9".
func DecodeFCDigits(b []byte) (*data.Set, error) {
	cfg, err := png.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("fc digits: %w", err)
	}
	if cfg.Height != FCSide || cfg.Width%FCSide != 0 || cfg.Width == 0 || cfg.Width > FCClasses*FCSide {
		return nil, fmt.Errorf("fc digits: the strip is %dx%d; want 32 high and 32 to 320 wide in steps of 32", cfg.Width, cfg.Height)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("fc digits: %w", err)
	}
	n := cfg.Width / FCSide
	s := &data.Set{Name: "fc-digits", Classes: data.MNISTClasses(), C: FCChannels, H: FCSide, W: FCSide,
		Pixels: make([]uint8, n*FCLen), Labels: make([]uint8, n)}
	o := img.Bounds().Min
	for i := 0; i < n; i++ {
		s.Labels[i] = uint8(i)
		p := s.Pixels[i*FCLen : (i+1)*FCLen]
		for y := 0; y < FCSide; y++ {
			for x := 0; x < FCSide; x++ {
				c := color.NRGBAModel.Convert(img.At(o.X+i*FCSide+x, o.Y+y)).(color.NRGBA)
				if c.A != 255 {
					return nil, fmt.Errorf("fc digits: pixel (%d, %d) is not opaque", i*FCSide+x, y)
				}
				p[FCIndex(0, y, x)], p[FCIndex(1, y, x)], p[FCIndex(2, y, x)] = c.R, c.G, c.B
			}
		}
	}
	return s, nil
}
