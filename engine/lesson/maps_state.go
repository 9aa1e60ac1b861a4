package lesson

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"

	"convlab/engine/data"
	"convlab/engine/tensor"
)

// MapsState is the activation-maps lesson as window.convlab.state() reports
// it: JSON with lowerCamelCase names.
type MapsState struct {
	Lesson      string        `json:"lesson"` // MapsLesson
	Input       string        `json:"input"`  // e.g. "picture:3", "pad:grey", "upload"
	InputShape  string        `json:"inputShape"`
	Upload      *UploadState  `json:"upload,omitempty"` // the student's own picture, if any (the input only when Input is "upload")
	Centred     bool          `json:"centred"`
	KernelSize  int           `json:"kernelSize"`
	Padding     int           `json:"padding"`
	Stride      int           `json:"stride"`
	ReLU        bool          `json:"relu"`
	SharedRange bool          `json:"sharedRange"`
	FilterShape string        `json:"filterShape"` // "6 x 3 x 5 x 5"
	Filters     []FilterState `json:"filters"`
	OutputShape string        `json:"outputShape"` // "6 x 28 x 28", or "" with ShapeError
	ShapeError  string        `json:"shapeError,omitempty"`
	Maps        []MapState    `json:"maps"`
	Selected    *ProbeState   `json:"selected,omitempty"`
	Message     string        `json:"message,omitempty"`
	Brush       *BrushState   `json:"brush,omitempty"` // when the input is a pad
	Stack       StackState    `json:"stack"`
	Compose     ComposeState  `json:"compose"`
	Link        string        `json:"link"` // Settings().Encode()
}

// FilterState is one filter of the bank.
type FilterState struct {
	Name    string        `json:"name"`
	Weights [][][]float32 `json:"weights"` // (C, K, K)
	Bias    float32       `json:"bias"`
}

// MapState is one activation map's shape and values.
type MapState struct {
	Shape string  `json:"shape"` // "28 x 28"
	Min   float32 `json:"min"`
	Max   float32 `json:"max"`
	Scale float32 `json:"scale"` // the legend runs from −scale to +scale
}

// ProbeState is the clicked activation.
type ProbeState struct {
	Filter  int     `json:"filter"`
	Row     int     `json:"row"`
	Col     int     `json:"col"`
	Value   float32 `json:"value"`
	PreReLU float32 `json:"preRelu"`
	Field   [4]int  `json:"field"` // receptive field: x0, y0, x1, y1 (x1, y1 exclusive), may reach into padding
	Sum     float32 `json:"sum"`   // the sum of the products, before the bias
	Bias    float32 `json:"bias"`
	Terms   int     `json:"terms"` // how many products: C·K·K
	Dot     string  `json:"dot"`   // the dot product in brief, "0.2·(−0.1) + … = 0.3, + bias 0 = 0.3"
}

// BrushState is the current pad's brush.
type BrushState struct {
	Radius float32   `json:"radius"`
	Ink    []float32 `json:"ink"` // (C)
}

// StackState is slide 23's stack on the current input.
type StackState struct {
	Layers []StackLayerState `json:"layers"`
	Error  string            `json:"error,omitempty"`
}

// StackLayerState is one layer of the stack.
type StackLayerState struct {
	Weight         string  `json:"weight"` // "6 x 3 x 5 x 5"
	Bias           string  `json:"bias"`   // "6"
	Output         string  `json:"output"` // "6 x 28 x 28"
	Batch          string  `json:"batch"`  // "N x 3 x 32 x 32 -> N x 6 x 28 x 28"
	ReceptiveField int     `json:"receptiveField"`
	Min            float32 `json:"min"`
	Max            float32 `json:"max"`
}

// ComposeState is the check that two convolutions are one.
type ComposeState struct {
	W1              string        `json:"w1"`     // "2 x 3 x 3 x 3"
	W2              string        `json:"w2"`     // "1 x 2 x 3 x 3"
	Kernel          string        `json:"kernel"` // "1 x 3 x 5 x 5"
	Weights         [][][]float32 `json:"weights"`
	Bias            float32       `json:"bias"`
	Pad1            int           `json:"pad1"`
	Pad2            int           `json:"pad2"`
	ReLU            bool          `json:"relu"`
	Output          string        `json:"output"` // "1 x 28 x 28"
	MaxDiff         float32       `json:"maxDiff"`
	MaxDiffInterior float32       `json:"maxDiffInterior"`
	Error           string        `json:"error,omitempty"`
}

// State returns the snapshot window.convlab.state() reports.
func (m *Maps) State() MapsState {
	b := m.bank()
	s := MapsState{
		Lesson: MapsLesson, Input: m.input, InputShape: m.InputShape(), Centred: m.centred,
		KernelSize: b.K(), Padding: m.padding, Stride: m.stride, ReLU: m.relu, SharedRange: m.shared,
		FilterShape: m.FilterShape(), OutputShape: m.OutputShape(), ShapeError: m.shapeErr,
		Message: m.message, Maps: []MapState{},
	}
	for f := 0; f < b.Filters(); f++ {
		s.Filters = append(s.Filters, FilterState{Name: b.Names[f], Weights: nested(b.W, f), Bias: b.B[f]})
	}
	if m.out != nil {
		for f := 0; f < m.out.Shape[0]; f++ {
			lo, hi := m.MinMax(f)
			s.Maps = append(s.Maps, MapState{Shape: tensor.ShapeString(m.out.Shape[1:]), Min: lo, Max: hi, Scale: m.Scale(f)})
		}
	}
	if p, ok := m.Selected(); ok {
		s.Selected = &ProbeState{Filter: p.F, Row: p.I, Col: p.J, Value: p.Value, PreReLU: p.PreReLU,
			Field: [4]int{p.Field.Min.X, p.Field.Min.Y, p.Field.Max.X, p.Field.Max.Y},
			Sum:   p.Dot.Sum, Bias: p.Dot.Bias, Terms: len(p.Dot.Terms), Dot: p.Dot.Brief()}
	}
	if p := m.Pad(); p != nil {
		s.Brush = &BrushState{Radius: p.Radius, Ink: append([]float32(nil), p.Ink...)}
	}
	if u := m.upload; u != nil {
		s.Upload = &UploadState{Name: u.Name, Format: u.Format, Width: u.W, Height: u.H}
	}
	s.Stack.Error = m.stackErr
	if st := m.stack; st != nil {
		for l := range st.Layers {
			lo, hi := minMax(st.Outputs[l].Data)
			s.Stack.Layers = append(s.Stack.Layers, StackLayerState{Weight: st.WeightShape(l), Bias: st.BiasShape(l),
				Output: st.OutputShape(l), Batch: st.BatchForm(l), ReceptiveField: st.ReceptiveSize(l), Min: lo, Max: hi})
		}
	}
	c := m.comp
	s.Compose = ComposeState{W1: tensor.ShapeString(c.W1.Shape), W2: tensor.ShapeString(c.W2.Shape),
		Kernel: tensor.ShapeString(c.W.Shape), Weights: nested(c.W, 0), Bias: c.B[0], Pad1: c.Pad1, Pad2: c.Pad2,
		ReLU: c.ReLU, MaxDiff: c.MaxDiff, MaxDiffInterior: c.MaxDiffInterior, Error: m.compErr}
	if c.OneStep != nil {
		s.Compose.Output = tensor.ShapeString(c.OneStep.Shape)
	}
	s.Link = m.Settings().Encode()
	return s
}

// nested returns filter f of w (F, C, K, K) as nested slices [c][u][v].
func nested(w *tensor.Tensor, f int) [][][]float32 {
	c, k := w.Shape[1], w.Shape[2]
	out := make([][][]float32, c)
	for ch := range out {
		out[ch] = make([][]float32, k)
		for u := range out[ch] {
			off := ((f*c+ch)*k + u) * k
			out[ch][u] = append([]float32(nil), w.Data[off:off+k]...)
		}
	}
	return out
}

// minMax returns the smallest and largest of v (zeros for none).
func minMax(v []float32) (lo, hi float32) {
	if len(v) == 0 {
		return 0, 0
	}
	lo, hi = v[0], v[0]
	for _, a := range v {
		lo, hi = min(lo, a), max(hi, a)
	}
	return lo, hi
}

// MapsSettingsVersion is the version Encode writes and Decode accepts.
const MapsSettingsVersion = 1

// MapsSettings is what a share link or localStorage keeps of the lesson:
// everything the student chose, from which Restore rebuilds the rest.
type MapsSettings struct {
	V           int         `json:"v"`
	Input       string      `json:"input"`
	Centred     bool        `json:"centred,omitempty"`
	Padding     int         `json:"padding"`
	Stride      int         `json:"stride"`
	ReLU        bool        `json:"relu,omitempty"`
	SharedRange bool        `json:"sharedRange,omitempty"`
	K           int         `json:"k"`
	Names       []string    `json:"names"`
	Weights     [][]float32 `json:"weights"` // (F) filters, each (C, K, K) flattened
	Bias        []float32   `json:"bias"`    // (F)
	Seed        int64       `json:"seed"`    // makes the stack's weights
	ComposeSeed int64       `json:"composeSeed"`
	ComposePad  [2]int      `json:"composePad"`
	// Drawing is the pad's picture as bytes (value·255, (C, H, W)) when the
	// input is a pad; Brush and Ink are its brush.
	Drawing []byte    `json:"drawing,omitempty"`
	Brush   float32   `json:"brush,omitempty"`
	Ink     []float32 `json:"ink,omitempty"`
	// Upload is the student's own picture, kept whichever input is shown,
	// so that it survives a reload.
	Upload *UploadSettings `json:"upload,omitempty"`
}

// UploadSettings is the student's own picture as settings keep it.
type UploadSettings struct {
	Name   string `json:"name"`
	Format string `json:"format,omitempty"`
	W      int    `json:"w,omitempty"`
	H      int    `json:"h,omitempty"`
	Pixels []byte `json:"pixels"` // (3, PictureSide, PictureSide) value·255
}

// picture returns the settings' picture.
func (u *UploadSettings) picture() UserPicture {
	return UserPicture{Name: u.Name, Format: u.Format, W: u.W, H: u.H, Pixels: append([]uint8(nil), u.Pixels...)}
}

// Settings returns what Encode keeps of the lesson.
func (m *Maps) Settings() MapsSettings {
	b := m.bank()
	s := MapsSettings{V: MapsSettingsVersion, Input: m.input, Centred: m.centred, Padding: m.padding,
		Stride: m.stride, ReLU: m.relu, SharedRange: m.shared, K: b.K(),
		Names: append([]string(nil), b.Names...), Bias: append([]float32(nil), b.B...),
		Seed: m.seed, ComposeSeed: m.composeSeed, ComposePad: [2]int{m.p1, m.p2}}
	n := b.Channels() * b.K() * b.K()
	for f := 0; f < b.Filters(); f++ {
		s.Weights = append(s.Weights, append([]float32(nil), b.W.Data[f*n:(f+1)*n]...))
	}
	if p := m.Pad(); p != nil {
		s.Drawing = make([]byte, len(p.Pix))
		for k, v := range p.Pix {
			s.Drawing[k] = toByte(v)
		}
		s.Brush, s.Ink = p.Radius, append([]float32(nil), p.Ink...)
	}
	if u := m.upload; u != nil {
		s.Upload = &UploadSettings{Name: u.Name, Format: u.Format, W: u.W, H: u.H, Pixels: append([]byte(nil), u.Pixels...)}
	}
	return s
}

// Longest encoded settings Decode reads, and longest JSON it inflates.
const (
	maxEncoded = 1 << 16
	maxJSON    = 1 << 18
)

// Encode writes settings as a short URL-safe string: JSON, deflated, in
// unpadded base64url.
func (s MapsSettings) Encode() string {
	js, err := json.Marshal(s)
	if err != nil {
		panic(fmt.Sprintf("lesson: settings do not encode: %v", err)) // only finite numbers and plain types
	}
	var buf bytes.Buffer
	zw, _ := flate.NewWriter(&buf, flate.BestCompression)
	zw.Write(js)
	zw.Close()
	return base64.RawURLEncoding.EncodeToString(buf.Bytes())
}

// DecodeMapsSettings reads what Encode wrote. It checks everything that can
// be checked without the data sets (version, sizes, ranges, finite
// numbers) and returns an error, never a panic, for any malformed input;
// Restore checks the rest.
func DecodeMapsSettings(str string) (MapsSettings, error) {
	var s MapsSettings
	if len(str) > maxEncoded {
		return s, fmt.Errorf("settings of %d characters are too long", len(str))
	}
	z, err := base64.RawURLEncoding.DecodeString(str)
	if err != nil {
		return s, fmt.Errorf("settings are not base64url: %w", err)
	}
	js, err := io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(z)), maxJSON+1))
	if err != nil {
		return s, fmt.Errorf("settings do not inflate: %w", err)
	}
	if len(js) > maxJSON {
		return s, fmt.Errorf("settings inflate past %d bytes", maxJSON)
	}
	if err := json.Unmarshal(js, &s); err != nil {
		return MapsSettings{}, fmt.Errorf("settings are not valid: %w", err)
	}
	if err := s.check(); err != nil {
		return MapsSettings{}, err
	}
	return s, nil
}

// check validates the settings on their own.
func (s *MapsSettings) check() error {
	switch {
	case s.V != MapsSettingsVersion:
		return fmt.Errorf("settings version %d: this page reads version %d", s.V, MapsSettingsVersion)
	case s.K < 1 || s.K > MaxKernel || s.K%2 == 0:
		return fmt.Errorf("kernel size %d is not an odd size up to %d", s.K, MaxKernel)
	case s.Padding < 0 || s.Padding > MaxPadding:
		return fmt.Errorf("padding %d is outside 0 to %d", s.Padding, MaxPadding)
	case s.Stride < 1 || s.Stride > MaxStride:
		return fmt.Errorf("stride %d is outside 1 to %d", s.Stride, MaxStride)
	case s.ComposePad[0] < 0 || s.ComposePad[0] > MaxComposePadding || s.ComposePad[1] < 0 || s.ComposePad[1] > MaxComposePadding:
		return fmt.Errorf("composition padding %v is outside 0 to %d", s.ComposePad, MaxComposePadding)
	case s.Seed < 0 || s.ComposeSeed < 0:
		return fmt.Errorf("seeds must not be negative")
	case len(s.Weights) < 1 || len(s.Weights) > MaxFilters:
		return fmt.Errorf("%d filters: between 1 and %d", len(s.Weights), MaxFilters)
	case len(s.Bias) != len(s.Weights) || len(s.Names) != len(s.Weights):
		return fmt.Errorf("%d filters with %d biases and %d names", len(s.Weights), len(s.Bias), len(s.Names))
	}
	n := len(s.Weights[0])
	if c := n / (s.K * s.K); (c != 1 && c != 3) || c*s.K*s.K != n {
		return fmt.Errorf("a filter of %d weights is not 1 or 3 channels of %dx%d", n, s.K, s.K)
	}
	for _, w := range s.Weights {
		if len(w) != n {
			return fmt.Errorf("filters of %d and %d weights", n, len(w))
		}
		if err := checkValues(w); err != nil {
			return err
		}
	}
	if err := checkValues(s.Bias, s.Ink); err != nil {
		return err
	}
	for _, name := range s.Names {
		if len(name) > 64 {
			return fmt.Errorf("a filter name of %d bytes is too long", len(name))
		}
	}
	if s.Upload != nil {
		if p := s.Upload.picture(); p.check() != nil {
			return fmt.Errorf("the picture of your own: %w", p.check())
		}
	}
	return nil
}

// Restore sets the lesson from settings (from DecodeMapsSettings, or made
// by Settings). It checks them against the loaded data sets (the input
// exists, the filters fit its channels, a drawing fits its pad) and
// refuses, changing nothing, if anything does not fit. Settings without a
// picture of the student's own leave the one the lesson has.
func (m *Maps) Restore(s MapsSettings) error {
	if err := s.check(); err != nil {
		return m.edited(err)
	}
	var set *data.Set
	var pad *Pad
	var err error
	c := 3 // the input's channels
	if s.Input != Upload || s.Upload == nil {
		if set, _, pad, err = m.parseInput(s.Input); err != nil {
			return m.edited(err)
		}
	}
	switch {
	case pad != nil:
		c = pad.C
	case set != nil:
		c = set.C
	}
	if n := c * s.K * s.K; len(s.Weights[0]) != n {
		return m.edited(fmt.Errorf("filters of %d weights do not fit a %d-channel input with %dx%d kernels", len(s.Weights[0]), c, s.K, s.K))
	}
	if pad != nil {
		if len(s.Drawing) != 0 && len(s.Drawing) != len(pad.Pix) {
			return m.edited(fmt.Errorf("a drawing of %d values does not fit the %s pad", len(s.Drawing), tensor.ShapeString(pad.Shape())))
		}
		if len(s.Ink) != 0 && len(s.Ink) != pad.C {
			return m.edited(fmt.Errorf("%d ink values for a %d-channel pad", len(s.Ink), pad.C))
		}
		for _, v := range s.Ink {
			if v < 0 || v > 1 {
				return m.edited(fmt.Errorf("ink %v is outside [0, 1]", v))
			}
		}
		if s.Brush != 0 && !(s.Brush >= MinBrushRadius && s.Brush <= MaxBrushRadius) {
			return m.edited(fmt.Errorf("brush radius %v is outside %v to %v", s.Brush, MinBrushRadius, MaxBrushRadius))
		}
	}
	// Everything fits: apply.
	b := &Bank{W: tensor.New(len(s.Weights), c, s.K, s.K), B: append([]float32(nil), s.Bias...), Names: append([]string(nil), s.Names...)}
	for f, w := range s.Weights {
		copy(b.W.Data[f*len(w):], w)
	}
	m.banks[c] = b
	if pad != nil {
		if len(s.Drawing) != 0 {
			pad.Up()
			for k, v := range s.Drawing {
				pad.Pix[k] = byteValue(v)
			}
		}
		if len(s.Ink) != 0 {
			copy(pad.Ink, s.Ink)
		}
		if s.Brush != 0 {
			pad.Radius = s.Brush
		}
	}
	if s.Seed != m.seed {
		m.seed, m.stacks = s.Seed, map[string]*Stack{}
	}
	if s.Upload != nil {
		p := s.Upload.picture()
		m.upload = &p
	}
	m.composeSeed, m.p1, m.p2 = s.ComposeSeed, s.ComposePad[0], s.ComposePad[1]
	m.centred, m.relu, m.shared, m.padding, m.stride = s.Centred, s.ReLU, s.SharedRange, s.Padding, s.Stride
	return m.SetInput(s.Input)
}
