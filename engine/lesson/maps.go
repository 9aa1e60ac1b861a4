package lesson

import (
	"fmt"
	"image"
	"math"
	"math/rand"
	"strconv"
	"strings"

	"convlab/engine/data"
	"convlab/engine/nn"
	"convlab/engine/tensor"
)

// MapsLesson is the id of the activation-maps lesson.
const MapsLesson = "activation-maps"

// Limits of the activation-maps controls.
const (
	MaxKernel         = 11 // largest kernel (AlexNet's first layer is 11x11)
	MaxFilters        = 64 // most filters in a bank
	MaxPadding        = 5
	MaxStride         = 4
	MaxComposePadding = 2 // most padding of either convolution in the composition check
)

// Input ids of the activation-maps lesson: "digit:<i>", "picture:<i>" and
// "colour:<i>" name image i of Sources.Digits, Sources.Pictures and
// Sources.Colour; PadGrey and PadColour name the drawing pads; Upload names
// the student's own picture (UsePicture).
const (
	PadGrey   = "pad:grey"   // 1 x 28 x 28, white ink on black, like a digit
	PadColour = "pad:colour" // 3 x 32 x 32, coloured ink on white
	Upload    = "upload"     // 3 x PictureSide x PictureSide, the student's picture
)

// Sources are the data sets the activation-maps lesson takes inputs from.
// Any may be nil; the drawing pads are always there.
type Sources struct {
	Digits   *data.Set // 1 x 28 x 28 digits (MNIST)
	Pictures *data.Set // 3 x 32 x 32 photo-like pictures (data.PictureSet(data.Pictures()))
	Colour   *data.Set // 3 x 32 x 32 generated colour patterns (data.Colour)
}

// Maps is the model of the activation-maps lesson (slides 16–29): a real
// input, a bank of filters, one activation map per filter, ReLU, the stack
// of slide 23, and the check that two convolutions without ReLU are one.
// Every number it reports is computed by nn.Conv2DNaive.
//
// The input is held as a (C, H, W) picture with values in [0, 1], as the
// data sets give it, and by default the filters see it as it is, so the
// written-out dot products show the pixel values the student sees. Every
// default filter's weights sum to zero (but the digits' blur), so its map is
// signed anyway, negative where an edge runs the other way, and would not
// change if the picture were shifted. SetCentred(true) makes the filters
// see x − 0.5 instead, as the training lesson feeds its network
// (train.SetSource: p/255 − 0.5): then a blur or an identity filter is
// signed too, ReLU cuts away the dark half of the picture, and zero padding
// reads as mid-grey. LoadFilters sets the centring the filters were trained
// with.
//
// The methods that change something recompute what depends on it at once;
// the accessors only read. The tensors and slices the accessors return
// belong to the model: read them, change them only through its methods.
type Maps struct {
	src  Sources
	rng  *rand.Rand
	seed int64 // makes the stack's weights, per input shape
	// composeSeed makes the composition check's kernels, per channel count
	composeSeed int64

	input    string
	x        *tensor.Tensor // (C, H, W) the picture, in [0, 1]
	xin      *tensor.Tensor // (C, H, W) what the filters see: x, or x − 0.5 when centred
	grey     *Pad           // 1 x 28 x 28
	colour   *Pad           // 3 x 32 x 32
	upload   *UserPicture   // the student's own picture, or nil
	banks    map[int]*Bank  // by input channels
	stacks   map[string]*Stack
	padding  int
	stride   int
	centred  bool
	relu     bool
	shared   bool
	p1, p2   int // the composition check's paddings
	message  string
	selected *[3]int // (f, i, j) clicked, or nil

	pre      *tensor.Tensor // (F, H', W') the maps before ReLU; nil when the shape is impossible
	out      *tensor.Tensor // (F, H', W') the maps shown: pre, after ReLU when on
	shapeErr string         // why there are no maps
	stack    *Stack         // slide 23's stack for the current input's shape
	stackErr string
	comp     *Composition
	compErr  string
}

// NewMaps returns the lesson at its start: the first photo-like picture (or
// colour pattern, or digit, or the colour pad, whichever exists first;
// the pad, with the reason as Message, if that set is malformed), the default bank
// (see DefaultBank), no padding, stride 1, ReLU off. rng seeds everything
// random the lesson makes (the stack's and the composition check's weights,
// the "random" preset); the lesson keeps it.
func NewMaps(src Sources, rng *rand.Rand) *Maps {
	m := &Maps{src: src, rng: rng, seed: rng.Int63() >> 1, composeSeed: rng.Int63() >> 1,
		banks: map[int]*Bank{}, stacks: map[string]*Stack{}, stride: 1}
	var err error
	if m.grey, err = NewPad(1, 28, 28); err != nil {
		panic(err) // fixed sizes: cannot fail
	}
	if m.colour, err = NewPad(3, 32, 32); err != nil {
		panic(err)
	}
	m.colour.Radius = 2
	first := m.firstInput(3)
	if first == PadColour && hasImages(src.Digits) {
		first = "digit:0"
	}
	if err := m.SetInput(first); err != nil {
		m.SetInput(PadColour) // a broken set must not stop the page: start on the pad and say why
		m.message = err.Error()
	}
	return m
}

// firstInput returns the first input with c channels (1 or 3): image 0 of
// a set of that kind, or the pad.
func (m *Maps) firstInput(c int) string {
	switch {
	case c == 1 && hasImages(m.src.Digits):
		return "digit:0"
	case c == 1:
		return PadGrey
	case hasImages(m.src.Pictures):
		return "picture:0"
	case hasImages(m.src.Colour):
		return "colour:0"
	}
	return PadColour
}

func hasImages(s *data.Set) bool { return s != nil && s.Len() > 0 }

// parseInput resolves an input id to its picture source: a set and an
// index, a pad, or (for Upload, with all three zero) the student's picture.
func (m *Maps) parseInput(id string) (set *data.Set, i int, pad *Pad, err error) {
	switch id {
	case PadGrey:
		return nil, 0, m.grey, nil
	case PadColour:
		return nil, 0, m.colour, nil
	case Upload:
		if m.upload == nil {
			return nil, 0, nil, fmt.Errorf("there is no picture of your own yet: press “Your picture…” or drop a picture file on the page")
		}
		return nil, 0, nil, nil
	}
	kind, num, ok := strings.Cut(id, ":")
	switch {
	case !ok:
	case kind == "digit":
		set = m.src.Digits
	case kind == "picture":
		set = m.src.Pictures
	case kind == "colour":
		set = m.src.Colour
	default:
		ok = false
	}
	if !ok {
		return nil, 0, nil, fmt.Errorf("unknown input %q: use digit:<n>, picture:<n>, colour:<n>, %s, %s or %s", id, PadGrey, PadColour, Upload)
	}
	if !hasImages(set) {
		return nil, 0, nil, fmt.Errorf("no %ss are loaded", kind)
	}
	i, err = strconv.Atoi(num)
	if err != nil || i < 0 || i >= set.Len() || strconv.Itoa(i) != num {
		return nil, 0, nil, fmt.Errorf("%q: choose %s 0 to %d", id, kind, set.Len()-1)
	}
	if set.C*set.H*set.W == 0 || len(set.Pixels) < (i+1)*set.C*set.H*set.W {
		return nil, 0, nil, fmt.Errorf("%s set %q has no pixels for image %d", kind, set.Name, i)
	}
	return set, i, nil, nil
}

// SetInput chooses the input by id ("digit:7", "picture:3", "colour:12",
// PadGrey, PadColour, Upload). An unknown id or an image that does not exist is refused
// with a message, keeping the current input. Each channel count has its own
// bank, so switching from a picture to a digit and back keeps the edits.
func (m *Maps) SetInput(id string) error {
	set, i, pad, err := m.parseInput(id)
	if err != nil {
		return m.edited(err)
	}
	m.grey.Up() // a stroke ends when its pad is left
	m.colour.Up()
	m.input = id
	switch {
	case pad != nil:
		m.x = tensor.FromData(pad.Pix, pad.Shape()...)
	case set != nil:
		m.x = tensor.New(set.C, set.H, set.W)
		set.Image(i, m.x.Data)
	default:
		m.x = tensor.New(3, PictureSide, PictureSide)
		for k, v := range m.upload.Pixels {
			m.x.Data[k] = byteValue(v)
		}
	}
	m.selected = nil
	m.inputChanged()
	return m.edited(nil)
}

// inputChanged prepares what the filters see and recomputes the stack and
// the composition check, except while a stroke is under way: then each
// pointer move costs only the maps' convolution, and the stack and the
// check follow when the stroke ends (PadUp).
func (m *Maps) inputChanged() {
	m.xin = m.x.Clone()
	if m.centred {
		for k := range m.xin.Data {
			m.xin.Data[k] -= 0.5
		}
	}
	c := m.x.Shape[0]
	if m.banks[c] == nil {
		m.banks[c] = DefaultBank(c)
	}
	if p := m.Pad(); p != nil && p.Drawing() {
		return
	}
	m.runStack()
	m.runComposition()
}

// runStack runs the input through slide 23's stack for its shape, made
// once per shape from the lesson's seed.
func (m *Maps) runStack() {
	key := tensor.ShapeString(m.x.Shape)
	s := m.stacks[key]
	m.stack, m.stackErr = nil, ""
	if s == nil {
		c, h, w := int64(m.x.Shape[0]), int64(m.x.Shape[1]), int64(m.x.Shape[2])
		var err error
		s, err = NewStack(m.x.Shape, LectureStack(), rand.New(rand.NewSource(m.seed+(c*1000+h)*1000+w)))
		if err != nil {
			m.stackErr = err.Error()
			return
		}
		m.stacks[key] = s
	}
	s.ReLU = m.relu
	if err := s.Forward(m.xin); err != nil {
		m.stackErr = err.Error()
		return
	}
	m.stack = s
}

// runComposition checks the composition of two 3x3 convolutions (two
// filters, then one) on the input, with ReLU between them when on.
func (m *Maps) runComposition() {
	c := m.x.Shape[0]
	rng := rand.New(rand.NewSource(m.composeSeed*31 + int64(c)))
	tenths := func(shape ...int) *tensor.Tensor {
		t := tensor.New(shape...)
		for k := range t.Data {
			t.Data[k] = float32(rng.Intn(21)-10) / 10
		}
		return t
	}
	w1, w2 := tenths(2, c, 3, 3), tenths(1, 2, 3, 3)
	b1, b2 := tenths(2).Data, tenths(1).Data
	m.comp = NewComposition(w1, b1, w2, b2, m.p1, m.p2)
	m.compErr = ""
	if err := m.comp.Check(m.xin, m.relu); err != nil {
		m.compErr = err.Error()
	}
}

// edited records the outcome of a change: a refusal's message, or, on
// success, a clear message and fresh maps. It returns err.
func (m *Maps) edited(err error) error {
	if err != nil {
		m.message = err.Error()
		return err
	}
	m.message = ""
	m.runMaps()
	return nil
}

// runMaps convolves the input with the bank, or explains why it cannot.
func (m *Maps) runMaps() {
	m.pre, m.out, m.shapeErr = nil, nil, ""
	b := m.bank()
	h, w := m.x.Shape[1], m.x.Shape[2]
	_, err := nn.OutputSize(h, b.K(), m.padding, m.stride)
	if err == nil && w != h {
		_, err = nn.OutputSize(w, b.K(), m.padding, m.stride)
	}
	if err == nil {
		m.pre, err = nn.Conv2DNaive(m.xin, b.W, b.B, m.padding, m.stride)
	}
	if err != nil {
		m.shapeErr = err.Error()
		m.selected = nil
		return
	}
	m.out = m.pre
	if m.relu {
		m.out = m.pre.Clone()
		reluInPlace(m.out.Data)
	}
	if s := m.selected; s != nil && (s[0] >= m.out.Shape[0] || s[1] >= m.out.Shape[1] || s[2] >= m.out.Shape[2]) {
		m.selected = nil
	}
}

// bank returns the bank for the current input's channels.
func (m *Maps) bank() *Bank { return m.banks[m.x.Shape[0]] }

// InputID returns the current input's id.
func (m *Maps) InputID() string { return m.input }

// Input returns the picture (C, H, W), values in [0, 1], as drawn on screen.
func (m *Maps) Input() *tensor.Tensor { return m.x }

// InputShape returns the input's shape as the slides write it, "3 x 32 x 32".
func (m *Maps) InputShape() string { return tensor.ShapeString(m.x.Shape) }

// Bank returns the current bank of filters.
func (m *Maps) Bank() *Bank { return m.bank() }

// FilterShape returns the bank's shape as slide 18 writes it, "6 x 3 x 5 x 5".
func (m *Maps) FilterShape() string { return tensor.ShapeString(m.bank().W.Shape) }

// Padding returns the zero padding on every side of the input.
func (m *Maps) Padding() int { return m.padding }

// Stride returns the stride.
func (m *Maps) Stride() int { return m.stride }

// ReLU reports whether the maps are shown after ReLU.
func (m *Maps) ReLU() bool { return m.relu }

// Centred reports whether the filters see x − 0.5 rather than x.
func (m *Maps) Centred() bool { return m.centred }

// SharedRange reports whether all maps share one colour scale.
func (m *Maps) SharedRange() bool { return m.shared }

// Message returns the last refusal's explanation, or "" after an accepted
// change.
func (m *Maps) Message() string { return m.message }

// SetPadding sets the zero padding (0 to MaxPadding). A shape this makes
// impossible is not refused: the maps disappear and ShapeError explains.
func (m *Maps) SetPadding(p int) error {
	if p < 0 || p > MaxPadding {
		return m.edited(fmt.Errorf("padding %d: choose 0 to %d", p, MaxPadding))
	}
	m.padding = p
	return m.edited(nil)
}

// SetStride sets the stride (1 to MaxStride), as SetPadding.
func (m *Maps) SetStride(s int) error {
	if s < 1 || s > MaxStride {
		return m.edited(fmt.Errorf("stride %d: choose 1 to %d", s, MaxStride))
	}
	m.stride = s
	return m.edited(nil)
}

// SetReLU switches ReLU on or off: for the maps, between the layers of the
// stack, and between the two convolutions of the composition check.
func (m *Maps) SetReLU(on bool) {
	m.relu = on
	m.runStack()
	m.runComposition()
	m.edited(nil)
}

// SetCentred chooses whether the filters see x − 0.5 (true) or x.
func (m *Maps) SetCentred(on bool) {
	m.centred = on
	m.inputChanged()
	m.edited(nil)
}

// SetSharedRange chooses one colour scale for all maps (true) or one per map.
func (m *Maps) SetSharedRange(on bool) { m.shared = on }

// OutputShape returns the maps' shape, "6 x 28 x 28", or "" when the
// padding and stride make it impossible.
func (m *Maps) OutputShape() string {
	if m.out == nil {
		return ""
	}
	return tensor.ShapeString(m.out.Shape)
}

// ShapeError explains, in nn.OutputSize's words, why there are no maps, or
// returns "".
func (m *Maps) ShapeError() string { return m.shapeErr }

// Output returns the maps as shown (F, H', W'): after ReLU when it is on;
// nil when the shape is impossible.
func (m *Maps) Output() *tensor.Tensor { return m.out }

// PreReLU returns the maps before ReLU (F, H', W'), or nil.
func (m *Maps) PreReLU() *tensor.Tensor { return m.pre }

// MinMax returns the smallest and largest value of map f as shown. It
// panics if there are no maps or f is out of range (check OutputShape).
func (m *Maps) MinMax(f int) (lo, hi float32) {
	n := m.out.Shape[1] * m.out.Shape[2]
	return minMax(m.out.Data[f*n : (f+1)*n])
}

// Scale returns the half-width of map f's diverging colour scale: the
// legend runs from −Scale (one colour) through 0 (white) to +Scale (the
// other). It is the largest |value| of map f, or of all maps when the range
// is shared, but never less than 1e−4 of the largest value filter f could
// reach on this input (Σ|w|·max|x| + |b|), so that a map of float32
// rounding noise (an edge filter on a flat picture gives values like 7e−8)
// shows as white rather than as full colours; a zero filter on any input
// gets 1. It panics as MinMax.
func (m *Maps) Scale(f int) float32 {
	first, last := f, f
	if m.shared {
		first, last = 0, m.out.Shape[0]-1
	}
	var s, floor float32
	for g := first; g <= last; g++ {
		lo, hi := m.MinMax(g)
		s = max(s, -lo, hi)
		floor = max(floor, 1e-4*m.reach(g))
	}
	switch {
	case s >= floor && s > 0:
		return s
	case floor > 0:
		return floor
	}
	return 1
}

// reach returns the largest |value| filter f can produce on the current
// input: Σ|w|·max|x| + |b|.
func (m *Maps) reach(f int) float32 {
	b := m.bank()
	n := b.Channels() * b.K() * b.K()
	var l1 float64
	for _, w := range b.W.Data[f*n : (f+1)*n] {
		l1 += math.Abs(float64(w))
	}
	lo, hi := minMax(m.xin.Data)
	return float32(l1*math.Max(-float64(lo), float64(hi)) + math.Abs(float64(b.B[f])))
}

// Probe is what the page shows about one activation (f, i, j): map f, row i,
// column j.
type Probe struct {
	F, I, J int
	Value   float32 // as shown: after ReLU when on
	PreReLU float32 // the convolution's output, Dot.Value
	// Field is the input region the filter covers, in input pixels (see
	// ReceptiveField): it reaches into the padding at the border.
	Field image.Rectangle
	// Visible is Field clipped to the input, the rectangle to outline.
	Visible image.Rectangle
	// Dot is the dot product written out, over the values the filters see
	// (x, or x − 0.5 when centred): C·K·K products plus the bias.
	Dot Dot
}

// Probe returns what hovering activation (f, i, j) shows. It refuses an
// activation that does not exist (or no maps at all) without recording a
// message: hovering off the map is not a mistake.
func (m *Maps) Probe(f, i, j int) (Probe, error) {
	if m.out == nil {
		return Probe{}, fmt.Errorf("there are no maps: %s", m.shapeErr)
	}
	F, H, W := m.out.Shape[0], m.out.Shape[1], m.out.Shape[2]
	if f < 0 || f >= F || i < 0 || i >= H || j < 0 || j >= W {
		return Probe{}, fmt.Errorf("there is no activation (%d, %d, %d) in %s maps", f, i, j, m.OutputShape())
	}
	b := m.bank()
	field := ReceptiveField([]Geometry{{K: b.K(), Pad: m.padding, Stride: m.stride}}, i, j)
	return Probe{
		F: f, I: i, J: j,
		Value:   m.out.At(f, i, j),
		PreReLU: m.pre.At(f, i, j),
		Field:   field,
		Visible: field.Intersect(image.Rect(0, 0, m.x.Shape[2], m.x.Shape[1])),
		Dot:     CellDot(m.xin, b.W, b.B, m.padding, m.stride, f, i, j),
	}, nil
}

// Select marks activation (f, i, j) as clicked, so its probe stays shown
// (and appears in State) until another click, Deselect, or a change of shape.
func (m *Maps) Select(f, i, j int) error {
	if _, err := m.Probe(f, i, j); err != nil {
		return m.edited(err)
	}
	m.selected = &[3]int{f, i, j}
	return nil
}

// Deselect clears the clicked activation.
func (m *Maps) Deselect() { m.selected = nil }

// Selected returns the clicked activation's probe, if any.
func (m *Maps) Selected() (Probe, bool) {
	if m.selected == nil {
		return Probe{}, false
	}
	p, err := m.Probe(m.selected[0], m.selected[1], m.selected[2])
	return p, err == nil
}

// Stack returns slide 23's stack run on the current input (after ReLU
// between layers when on), or nil with StackError's explanation.
func (m *Maps) Stack() *Stack { return m.stack }

// StackError explains why there is no stack, or returns "".
func (m *Maps) StackError() string { return m.stackErr }

// Composition returns the check that two 3x3 convolutions without ReLU
// between them are one 5x5 convolution (slide 25), run on the current input:
// the kernels, the composed kernel (W, B), both outputs and their largest
// difference. Check ran with ReLU when ReLU is on.
func (m *Maps) Composition() *Composition { return m.comp }

// CompositionError explains why the composition check could not run
// (padding too small for the input), or returns "".
func (m *Maps) CompositionError() string { return m.compErr }

// SetComposePadding places the composition check's padding: p1 zeros around
// the input of the first convolution and p2 around the second's (each 0 to
// MaxComposePadding). (2, 0) pads only the input and the paths agree
// everywhere; (1, 1) pads each layer and they differ on the border.
func (m *Maps) SetComposePadding(p1, p2 int) error {
	if p1 < 0 || p1 > MaxComposePadding || p2 < 0 || p2 > MaxComposePadding {
		return m.edited(fmt.Errorf("padding (%d, %d): choose 0 to %d for each convolution", p1, p2, MaxComposePadding))
	}
	m.p1, m.p2 = p1, p2
	m.runComposition()
	return m.edited(nil)
}

// RandomizeComposition draws new kernels for the composition check.
func (m *Maps) RandomizeComposition() {
	m.composeSeed = m.rng.Int63() >> 1
	m.runComposition()
}

// Pad returns the drawing pad of the current input, or nil when the input
// is not a pad.
func (m *Maps) Pad() *Pad {
	switch m.input {
	case PadGrey:
		return m.grey
	case PadColour:
		return m.colour
	}
	return nil
}

// PadDown starts a stroke on the current pad at (x, y) in pad pixels and
// recomputes the maps. It does nothing when the input is not a pad.
func (m *Maps) PadDown(x, y float32) { m.drawn(func(p *Pad) { p.Down(x, y) }) }

// PadMove continues the stroke (a hover without a stroke does nothing).
func (m *Maps) PadMove(x, y float32) {
	if p := m.Pad(); p != nil && p.Drawing() {
		m.drawn(func(p *Pad) { p.Move(x, y) })
	}
}

// PadUp ends the stroke and brings the stack and the composition check up
// to date with the drawing.
func (m *Maps) PadUp() {
	if p := m.Pad(); p != nil && p.Drawing() {
		p.Up()
		m.inputChanged()
	}
}

// PadClear clears the current pad.
func (m *Maps) PadClear() { m.drawn((*Pad).Clear) }

// SetInk sets the current pad's ink, one value in [0, 1] per channel.
func (m *Maps) SetInk(v ...float32) error {
	p := m.Pad()
	if p == nil {
		return m.edited(fmt.Errorf("choose a drawing pad first"))
	}
	return m.edited(p.SetInk(v...))
}

// SetBrush sets the current pad's brush radius in pad pixels.
func (m *Maps) SetBrush(r float32) error {
	p := m.Pad()
	if p == nil {
		return m.edited(fmt.Errorf("choose a drawing pad first"))
	}
	return m.edited(p.SetRadius(r))
}

// drawn applies a drawing action to the current pad and recomputes.
func (m *Maps) drawn(act func(*Pad)) {
	p := m.Pad()
	if p == nil {
		return
	}
	act(p)
	m.inputChanged()
	m.edited(nil)
}
