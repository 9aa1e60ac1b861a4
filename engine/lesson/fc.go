package lesson

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"convlab/engine/data"
	"convlab/engine/nn"
	"convlab/engine/tensor"
)

// FCMaxShift is the most pixels the picture may be shifted in x or in y.
const FCMaxShift = 8

// FCSources is what the lesson is made from.
type FCSources struct {
	// Weights is the trained linear classifier, a weights file of FCSpec
	// (engine/nn's format): assets.FCLinear.
	Weights []byte
	// Digits is one colour digit per class, the PNG strip EncodeFCDigits
	// writes: assets.FCDigits.
	Digits []byte
	// Pictures are photo-like 32 x 32 pictures to offer beside the digits
	// (data.Pictures); nil for none.
	Pictures []data.Picture
}

// FCInput is one picture the lesson can show.
type FCInput struct {
	ID    string         // "digit-3", "picture-house": stable, used in links and targets
	Name  string         // as the page writes it: "digit 3", "house"
	Label int            // the digit's class, −1 for a picture that is not a digit
	X     *tensor.Tensor // (3, 32, 32), values in [0, 1]
}

// FC is the model of the fully-connected-vs-convolution lesson (slides
// 5–19): one 3 x 32 x 32 picture, optionally shifted, seen two ways.
//
//   - Fully connected (slides 5, 10, 11): the picture stretched into a
//     3072-long column x (FCIndex), a trained 10 x 3072 weight matrix W and
//     10 biases b, and the 10 class scores s = Wx + b. Each score is one
//     3072-dimensional dot product of a row of W with x (RowDot).
//   - Convolution (slides 12–19): six 3 x 5 x 5 filters (DefaultBank(3))
//     slid over the picture, keeping its layout: six 28 x 28 activation
//     maps, each value a 75-dimensional dot product plus a bias (ConvDot).
//
// Shifting the picture (SetShift) shows the difference: the maps move
// with the picture, value for value (ShiftCheck), while the scores change
// in no simple way. Every number comes from the engine: the scores from
// the linear layer's forward pass, the maps from nn.Conv2DNaive.
type FC struct {
	inputs  []FCInput
	classes []string
	net     *nn.Net    // FCSpec: the linear classifier
	lin     *nn.Linear // net's one layer: W (10, 3072), B (10)
	bank    *Bank      // (6, 3, 5, 5) filters, (6) biases

	in     int // the input on show
	dx, dy int // shift in pixels: right and down are positive
	row    int // the row of W whose dot product is written out
	filter int // the filter whose map and dot product are shown
	pi, pj int // the filter's position: top-left of its window, row and column of the map

	x       *tensor.Tensor // (3, 32, 32): the input shifted
	batch   *tensor.Tensor // (1, 3, 32, 32): x as the net takes it
	scores  []float32      // (10): s = Wx + b
	scores0 []float32      // (10): the scores of the centred input
	maps    *tensor.Tensor // (6, 28, 28): the filters over x
	maps0   *tensor.Tensor // (6, 28, 28): the filters over the centred input

	stretch fcPlay // the stretch into a column, row by row of the picture (96 rows)
	slide   fcPlay // the filter sliding over the map's 784 positions
}

// fcPlay is an animation that reveals n items at rate items a second.
type fcPlay struct {
	on   bool
	at   float64 // items revealed, fractional
	n    int     // items in all
	rate float64 // items a second
}

// shown returns how many items are revealed: all of them when not playing.
func (p *fcPlay) shown() int {
	if !p.on {
		return p.n
	}
	return min(p.n, int(p.at))
}

// tick advances the animation by dt seconds and reports whether what is
// revealed changed; it stops at the end.
func (p *fcPlay) tick(dt float64) bool {
	if !p.on {
		return false
	}
	before := p.shown()
	p.at += dt * p.rate
	if p.at >= float64(p.n) {
		p.on = false
	}
	return p.shown() != before || !p.on
}

// Rates of the animations: the stretch copies 24 picture rows a second
// (4 seconds for all 96), the filter visits 56 positions a second (two
// rows of the map, 14 seconds for all 784).
const (
	fcStretchRate = 24
	fcSlideRate   = 56
)

// NewFC returns the lesson on the first digit, centred, with the row of
// its predicted class and the first filter at the middle of the picture.
// It refuses weights that are not FCSpec's and a digits strip that
// DecodeFCDigits refuses.
func NewFC(src FCSources) (*FC, error) {
	net, err := nn.Unmarshal(src.Weights)
	if err != nil {
		return nil, fmt.Errorf("the classifier's weights could not be read: %w", err)
	}
	lin, ok := net.Layers[0].(*nn.Linear)
	if len(net.Layers) != 1 || !ok || net.Spec.Input != FCSpec().Input || net.Classes() != FCClasses {
		return nil, fmt.Errorf("the classifier's weights are for %d layers on %s inputs, want one linear layer of 10 on 3 x 32 x 32",
			len(net.Layers), tensor.ShapeString(net.Spec.Input[:]))
	}
	digits, err := DecodeFCDigits(src.Digits)
	if err != nil {
		return nil, err
	}
	m := &FC{net: net, lin: lin, classes: data.MNISTClasses(), bank: DefaultBank(FCChannels),
		x: tensor.New(FCChannels, FCSide, FCSide), batch: tensor.New(1, FCChannels, FCSide, FCSide),
		scores: make([]float32, FCClasses), scores0: make([]float32, FCClasses),
		stretch: fcPlay{n: FCChannels * FCSide, rate: fcStretchRate},
		slide:   fcPlay{n: FCMapSide * FCMapSide, rate: fcSlideRate},
		pi:      FCMapSide/2 - 2, pj: FCMapSide/2 - 2,
	}
	for i := 0; i < digits.Len(); i++ {
		x := tensor.New(FCChannels, FCSide, FCSide)
		digits.Image(i, x.Data)
		l := int(digits.Labels[i])
		m.inputs = append(m.inputs, FCInput{ID: fmt.Sprintf("digit-%d", l), Name: fmt.Sprintf("digit %d", l), Label: l, X: x})
	}
	for _, p := range src.Pictures {
		if p.Side != FCSide || len(p.Pixels) != FCLen {
			return nil, fmt.Errorf("picture %q is %d x %d, want 32 x 32", p.Name, p.Side, p.Side)
		}
		x := tensor.New(FCChannels, FCSide, FCSide)
		for i, v := range p.Pixels {
			x.Data[i] = float32(v) / 255
		}
		m.inputs = append(m.inputs, FCInput{ID: "picture-" + strings.ReplaceAll(p.Name, " ", "-"), Name: p.Name, Label: -1, X: x})
	}
	m.compute()
	m.row = nn.Argmax(m.scores)
	return m, nil
}

// compute shifts the input and runs both layers on it and on the centred
// input.
func (m *FC) compute() {
	x0 := m.inputs[m.in].X
	ShiftPicture(x0, m.x, m.dx, m.dy)
	m.scores0 = m.forward(x0, m.scores0)
	m.scores = m.forward(m.x, m.scores)
	m.maps0 = m.convolve(x0)
	m.maps = m.convolve(m.x)
}

// forward runs the linear classifier on x (3, 32, 32) and writes the 10
// scores into dst.
func (m *FC) forward(x *tensor.Tensor, dst []float32) []float32 {
	copy(m.batch.Data, x.Data)
	return append(dst[:0], m.net.Forward(m.batch, false).Data...)
}

// convolve runs the six filters over x (3, 32, 32): (6, 28, 28).
func (m *FC) convolve(x *tensor.Tensor) *tensor.Tensor {
	out, err := nn.Conv2DNaive(x, m.bank.W, m.bank.B, 0, 1)
	if err != nil {
		panic("lesson: the lesson's own filters do not fit its picture: " + err.Error())
	}
	return out
}

// ShiftPicture writes src (C, H, W) moved dx pixels right and dy pixels
// down into dst (same shape): dst(c, y, x) = src(c, y − dy, x − dx), and 0
// (black) where that falls outside src, as pixels that move in from
// beyond the frame. Negative shifts move left and up.
func ShiftPicture(src, dst *tensor.Tensor, dx, dy int) {
	if !tensor.SameShape(src.Shape, dst.Shape) || len(src.Shape) != 3 {
		panic(fmt.Sprintf("lesson: shift %v into %v", src.Shape, dst.Shape))
	}
	c, h, w := src.Shape[0], src.Shape[1], src.Shape[2]
	for k := 0; k < c; k++ {
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				sy, sx := y-dy, x-dx
				var v float32
				if sy >= 0 && sy < h && sx >= 0 && sx < w {
					v = src.Data[(k*h+sy)*w+sx]
				}
				dst.Data[(k*h+y)*w+x] = v
			}
		}
	}
}

// Inputs returns the pictures the lesson offers, digits first.
func (m *FC) Inputs() []FCInput { return m.inputs }

// Input returns the index in Inputs of the picture on show.
func (m *FC) Input() int { return m.in }

// Classes returns the class names of the scores: "0".."9".
func (m *FC) Classes() []string { return m.classes }

// SetInput shows the input with the given id, keeping the shift, and
// writes out the row of its predicted class.
func (m *FC) SetInput(id string) error {
	for i, in := range m.inputs {
		if in.ID == id {
			m.in = i
			m.compute()
			m.row = nn.Argmax(m.scores)
			return nil
		}
	}
	return fmt.Errorf("there is no picture called %q", id)
}

// Shift returns the shift in pixels, right and down positive.
func (m *FC) Shift() (dx, dy int) { return m.dx, m.dy }

// SetShift moves the picture dx pixels right and dy down from the centre.
// It refuses shifts beyond FCMaxShift either way, changing nothing.
func (m *FC) SetShift(dx, dy int) error {
	if dx < -FCMaxShift || dx > FCMaxShift || dy < -FCMaxShift || dy > FCMaxShift {
		return fmt.Errorf("the picture moves at most %d pixels each way (asked for %d across, %d down)", FCMaxShift, dx, dy)
	}
	m.dx, m.dy = dx, dy
	m.compute()
	return nil
}

// Picture returns the input as the layers see it: shifted, (3, 32, 32).
// It must not be modified.
func (m *FC) Picture() *tensor.Tensor { return m.x }

// Centred returns the input before the shift, (3, 32, 32). It must not be
// modified.
func (m *FC) Centred() *tensor.Tensor { return m.inputs[m.in].X }

// Weights returns the weight matrix W, (10, 3072): row k, column i at
// k·3072 + i. It must not be modified.
func (m *FC) Weights() *tensor.Tensor { return m.lin.W }

// Biases returns b, (10). It must not be modified.
func (m *FC) Biases() []float32 { return m.lin.B.Data }

// Scores returns the 10 class scores s = Wx + b of the shifted picture,
// from the linear layer's forward pass. It must not be modified.
func (m *FC) Scores() []float32 { return m.scores }

// CentredScores returns the scores of the picture before the shift.
func (m *FC) CentredScores() []float32 { return m.scores0 }

// Predicted returns the class with the highest score now.
func (m *FC) Predicted() int { return nn.Argmax(m.scores) }

// CentredPredicted returns the class with the highest score before the shift.
func (m *FC) CentredPredicted() int { return nn.Argmax(m.scores0) }

// Row returns the row of W whose dot product is written out.
func (m *FC) Row() int { return m.row }

// SetRow chooses the row of W (the class) whose dot product is written out.
func (m *FC) SetRow(k int) error {
	if k < 0 || k >= FCClasses {
		return fmt.Errorf("W has rows 0 to 9, not %d", k)
	}
	m.row = k
	return nil
}

// FCTerm is one product W[k, i]·x[i] of a row's dot product.
type FCTerm struct {
	I       int     // index in the column
	C, Y, X int     // the pixel: FCPixel(I)
	XV, WV  float32 // x[i] and W[k, i]
	Product float32 // WV·XV in float32
}

// FCDot is one class score written out: the 3072-dimensional dot product
// of row K of W with x, plus the bias (slide 11: "1 number: the result of
// taking a dot product between a row of W and the input").
//
// Sum is the running float32 sum of the products in column order; the
// linear layer adds in another order, so Score (the engine's value) may
// differ from Value = Sum + Bias in the last bits, far below the three
// decimals the page shows.
type FCDot struct {
	K       int
	Terms   int        // products in all: 3072
	Zero    int        // products whose x[i] is 0 (black pixels)
	Partial [3]float32 // sum of the products of each channel's 1024
	Sum     float32
	Bias    float32
	Value   float32 // Sum + Bias
	Score   float32 // the engine's score s[K]
	// Largest and Smallest are the products that push the score up most
	// and down most, up to FCTopTerms each, largest magnitude first
	// (Smallest holds only negative products, Largest only positive ones).
	Largest, Smallest []FCTerm
	// Contribution is (32, 32): pixel (y, x) holds the sum over the three
	// channels of its products, where on the picture the score comes from.
	Contribution []float32
}

// FCTopTerms is how many of the largest and of the most negative products
// RowDot lists.
const FCTopTerms = 4

// RowDot writes out score k of the shifted picture.
func (m *FC) RowDot(k int) FCDot {
	if k < 0 || k >= FCClasses {
		panic(fmt.Sprintf("lesson: row %d of W, which has 10", k))
	}
	w := m.lin.W.Data[k*FCLen : (k+1)*FCLen] // (3072)
	d := FCDot{K: k, Terms: FCLen, Bias: m.lin.B.Data[k], Score: m.scores[k], Contribution: make([]float32, FCSide*FCSide)}
	terms := make([]FCTerm, 0, FCLen)
	for i, x := range m.x.Data {
		p := w[i] * x
		d.Sum += p
		c, y, xx := FCPixel(i)
		d.Partial[c] += p
		d.Contribution[y*FCSide+xx] += p
		if x == 0 {
			d.Zero++
		}
		terms = append(terms, FCTerm{I: i, C: c, Y: y, X: xx, XV: x, WV: w[i], Product: p})
	}
	d.Value = d.Sum + d.Bias
	sort.SliceStable(terms, func(a, b int) bool { return terms[a].Product > terms[b].Product })
	for _, t := range terms[:FCTopTerms] {
		if t.Product > 0 {
			d.Largest = append(d.Largest, t)
		}
	}
	for i := len(terms) - 1; i >= len(terms)-FCTopTerms; i-- {
		if terms[i].Product < 0 {
			d.Smallest = append(d.Smallest, terms[i])
		}
	}
	return d
}

// Bank returns the convolution's filters (6, 3, 5, 5), biases and names.
// It must not be modified.
func (m *FC) Bank() *Bank { return m.bank }

// Maps returns the activation maps of the shifted picture, (6, 28, 28).
// It must not be modified.
func (m *FC) Maps() *tensor.Tensor { return m.maps }

// CentredMaps returns the activation maps of the picture before the shift.
func (m *FC) CentredMaps() *tensor.Tensor { return m.maps0 }

// Filter returns the filter whose map and dot product are shown.
func (m *FC) Filter() int { return m.filter }

// SetFilter chooses the filter whose map and dot product are shown.
func (m *FC) SetFilter(f int) error {
	if f < 0 || f >= FCFilters {
		return fmt.Errorf("there are filters 0 to %d, not %d", FCFilters-1, f)
	}
	m.filter = f
	return nil
}

// Position returns the filter's position: the row and column of the map,
// which are also the top-left pixel of its 5 x 5 window on the picture.
func (m *FC) Position() (i, j int) { return m.pi, m.pj }

// SetPosition puts the filter at row i, column j of the map, stopping the
// slide if it is playing.
func (m *FC) SetPosition(i, j int) error {
	if i < 0 || i >= FCMapSide || j < 0 || j >= FCMapSide {
		return fmt.Errorf("the map is 28 x 28: rows and columns 0 to 27, not (%d, %d)", i, j)
	}
	m.pi, m.pj = i, j
	m.slide.on = false
	return nil
}

// ConvDot writes out the value of the shown filter's map at its position:
// the 75 products of the filter with the 3 x 5 x 5 chunk of the picture
// under it, plus the bias (slide 15). Its Value is the map's value bit
// for bit.
func (m *FC) ConvDot() Dot {
	return CellDot(m.x, m.bank.W, m.bank.B, 0, 1, m.filter, m.pi, m.pj)
}

// FCShiftCheck compares the maps and the scores of the shifted picture
// with those of the centred one.
type FCShiftCheck struct {
	// Compared counts the map values (over all six maps) whose window, moved
	// back by the shift, still lies on the map: value (o, i, j) is compared
	// with the centred map's (o, i − dy, j − dx). Same counts those equal
	// bit for bit: all of them, as the filter sees the same 75 numbers.
	Compared int `json:"compared"`
	Same     int `json:"same"`
	Total    int `json:"total"` // 6 · 28 · 28 = 4,704 map values
	// MaxScoreChange is the largest |s_k − s0_k| over the ten scores.
	MaxScoreChange float32 `json:"maxScoreChange"`
	// Predicted and CentredPredicted are the classes with the highest
	// score now and before the shift.
	Predicted        int `json:"predicted"`
	CentredPredicted int `json:"centredPredicted"`
}

// ShiftCheck compares the shifted picture's maps and scores with the
// centred picture's.
func (m *FC) ShiftCheck() FCShiftCheck {
	ck := FCShiftCheck{Total: m.maps.Len(), Predicted: m.Predicted(), CentredPredicted: m.CentredPredicted()}
	n := FCMapSide
	for o := 0; o < FCFilters; o++ {
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				si, sj := i-m.dy, j-m.dx
				if si < 0 || si >= n || sj < 0 || sj >= n {
					continue
				}
				ck.Compared++
				if m.maps.Data[(o*n+i)*n+j] == m.maps0.Data[(o*n+si)*n+sj] {
					ck.Same++
				}
			}
		}
	}
	for k := range m.scores {
		ck.MaxScoreChange = max(ck.MaxScoreChange, float32(math.Abs(float64(m.scores[k]-m.scores0[k]))))
	}
	return ck
}

// FCLedger returns the ledger rows of the two layers (nn's ledger): the
// fully connected layer (weights 10 x 3072, 30,730 parameters, output 10)
// and the convolution layer (weights 6 x 3 x 5 x 5, 456 parameters,
// output 6 x 28 x 28).
func FCLedger() (fc, conv nn.LedgerRow) {
	a, err := FCSpec().Ledger()
	if err != nil {
		panic("lesson: " + err.Error())
	}
	b, err := FCConvSpec().Ledger()
	if err != nil {
		panic("lesson: " + err.Error())
	}
	return a[0], b[0]
}

// PlayStretch starts the stretch into a column from the first row, or
// stops it if it is playing.
func (m *FC) PlayStretch() {
	m.stretch.on = !m.stretch.on
	m.stretch.at = 0
}

// StretchPlaying reports whether the stretch is playing.
func (m *FC) StretchPlaying() bool { return m.stretch.on }

// StretchFilled returns how many values of the column are filled: 3072
// unless the stretch is playing, when it fills one picture row (32
// values) at a time.
func (m *FC) StretchFilled() int { return m.stretch.shown() * FCSide }

// PlaySlide starts the filter sliding over every position of the map from
// (0, 0), or stops it where it is if it is playing.
func (m *FC) PlaySlide() {
	if m.slide.on {
		m.slide.on = false
		return
	}
	m.slide.on, m.slide.at = true, 0
	m.pi, m.pj = 0, 0
}

// SlidePlaying reports whether the filter is sliding.
func (m *FC) SlidePlaying() bool { return m.slide.on }

// SlideShown returns how many positions of the map are computed: 784
// unless the slide is playing, when the map fills row by row up to the
// filter's position.
func (m *FC) SlideShown() int {
	if !m.slide.on {
		return m.slide.n
	}
	return m.pi*FCMapSide + m.pj + 1
}

// Tick advances the animations by dt seconds and reports whether anything
// on show changed.
func (m *FC) Tick(dt float64) bool {
	changed := m.stretch.tick(dt)
	if m.slide.tick(dt) {
		k := min(m.slide.shown(), m.slide.n-1)
		m.pi, m.pj = k/FCMapSide, k%FCMapSide
		changed = true
	}
	return changed
}
