package lesson

import (
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"convlab/engine/ui"
)

// SlidingState is the sliding-filter lesson's snapshot for
// window.convlab.state(): plain data, JSON field names in lowerCamelCase.
type SlidingState struct {
	Lesson         string          `json:"lesson"`         // SlidingID
	Channels       int             `json:"channels"`       // Cin
	Filters        int             `json:"filters"`        // Cout
	Size           int             `json:"size"`           // N
	Kernel         int             `json:"kernel"`         // K
	Padding        int             `json:"padding"`        // P
	Stride         int             `json:"stride"`         // S
	PaddedSize     int             `json:"paddedSize"`     // N + 2P
	Input          [][][]float32   `json:"input"`          // (Cin, N, N)
	Weights        [][][][]float32 `json:"weights"`        // (Cout, Cin, K, K)
	Bias           []float32       `json:"bias"`           // (Cout)
	Shape          string          `json:"shape"`          // "3 x 7 x 7 -> 2 x 7 x 7"
	WeightShape    string          `json:"weightShape"`    // "2 x 3 x 3 x 3"
	BiasShape      string          `json:"biasShape"`      // "2"
	OutputSize     int             `json:"outputSize"`     // H' = W', 0 when there is no output
	OutputError    string          `json:"outputError"`    // why there is no output, "" when there is
	Suggestion     string          `json:"suggestion"`     // fixes for a shape with no output
	Fixes          []Fix           `json:"fixes"`          // the same as data
	Formula        string          `json:"formula"`        // "(7 − 3 + 2·1)/1 + 1 = 7"
	FormulaSymbols string          `json:"formulaSymbols"` // "(W − K + 2P)/S + 1"
	Step           int             `json:"step"`           // current cell in output order, -1 before the first
	Steps          int             `json:"steps"`          // Cout·H'·W'
	Position       *StatePosition  `json:"position"`       // current cell, null before the first
	Window         *StateWindow    `json:"window"`         // the filter's window, null before the first
	Outputs        [][][]*float32  `json:"outputs"`        // (Cout, H', W'), null where not yet shown; null without output
	AtStart        bool            `json:"atStart"`
	AtEnd          bool            `json:"atEnd"`
	Asking         bool            `json:"asking"` // the current cell waits for a prediction
	PredictMode    bool            `json:"predictMode"`
	Playing        bool            `json:"playing"`
	Speed          float64         `json:"speed"`      // steps per second
	Arithmetic     string          `json:"arithmetic"` // the current cell's dot product on one line, "" before the first
	Written        []string        `json:"written"`    // the same over several lines
	Caption        string          `json:"caption"`
	Slides         []int           `json:"slides"`
	Selected       *StateInputCell `json:"selected"` // the clicked input cell, or null
	Feeds          [][3]int        `json:"feeds"`    // (o, i, j) of the outputs it feeds
	Message        Message         `json:"message"`
	Link           string          `json:"link"` // Encode()
}

// StatePosition is an output cell in SlidingState.
type StatePosition struct {
	Filter int `json:"filter"`
	Row    int `json:"row"`
	Col    int `json:"col"`
}

// StateWindow is the filter's window in padded coordinates.
type StateWindow struct {
	Row  int `json:"row"`
	Col  int `json:"col"`
	Size int `json:"size"`
}

// StateInputCell is an input cell; Row and Col may lie in the padding ring
// (−P to N+P−1).
type StateInputCell struct {
	Channel int `json:"channel"`
	Row     int `json:"row"`
	Col     int `json:"col"`
}

// State returns the lesson's snapshot.
func (m *Sliding) State() SlidingState {
	cin, cout, n, k := m.Channels(), m.Filters(), m.n, m.k
	st := SlidingState{
		Lesson: SlidingID, Channels: cin, Filters: cout,
		Size: n, Kernel: k, Padding: m.p, Stride: m.s, PaddedSize: m.PaddedSize(),
		Input: make([][][]float32, cin), Weights: make([][][][]float32, cout),
		Bias:  append([]float32(nil), m.b...),
		Shape: m.ShapeText(), WeightShape: m.WeightShapeText(), BiasShape: m.BiasShapeText(),
		Suggestion: m.Suggestion(), Fixes: m.Fixes(),
		Formula: m.Formula(), FormulaSymbols: m.FormulaSymbols(),
		Step: m.pos, Steps: m.Steps(),
		AtStart: m.AtStart(), AtEnd: m.AtEnd(), Asking: m.asking, PredictMode: m.predict,
		Playing: m.playing, Speed: m.speed,
		Written: m.Written(), Message: m.msg, Link: m.Encode(),
	}
	for c := range st.Input {
		st.Input[c] = rows(m.x.Data[c*n*n:], n)
	}
	for o := range st.Weights {
		st.Weights[o] = make([][][]float32, cin)
		for c := range st.Weights[o] {
			st.Weights[o][c] = rows(m.w.Data[(o*cin+c)*k*k:], k)
		}
	}
	if h, err := m.OutputSize(); err != nil {
		st.OutputError = err.Error()
	} else {
		st.OutputSize = h
		st.Outputs = make([][][]*float32, cout)
		for o := range st.Outputs {
			st.Outputs[o] = make([][]*float32, h)
			for i := range st.Outputs[o] {
				st.Outputs[o][i] = make([]*float32, h)
				for j := range st.Outputs[o][i] {
					if v, shown := m.Output(o, i, j); shown {
						st.Outputs[o][i][j] = &v
					}
				}
			}
		}
	}
	if o, i, j, ok := m.Position(); ok {
		st.Position = &StatePosition{Filter: o, Row: i, Col: j}
		st.Window = &StateWindow{Row: i * m.s, Col: j * m.s, Size: k}
	}
	if d, ok := m.Arithmetic(); ok {
		st.Arithmetic = d.Line()
		if m.asking {
			st.Arithmetic = d.QuestionLine()
		}
	}
	c := m.Caption()
	st.Caption, st.Slides = c.Text, c.Slides
	if sel, ok := m.Selected(); ok {
		st.Selected = &StateInputCell{Channel: sel.C, Row: sel.Y, Col: sel.X}
		for _, f := range m.Feeds(sel.Y, sel.X) {
			st.Feeds = append(st.Feeds, [3]int{f.O, f.Y, f.X})
		}
	}
	return st
}

// rows copies the first n·n values of data as n rows.
func rows(data []float32, n int) [][]float32 {
	g := make([][]float32, n)
	for y := range g {
		g[y] = append([]float32(nil), data[y*n:(y+1)*n]...)
	}
	return g
}

// linkVersion is the version of the link format Encode writes.
const linkVersion = "1"

// maxLink bounds the length of a link Decode reads.
const maxLink = 20000

// Encode writes the lesson's state as a short link for a URL fragment or
// localStorage: "v=1&c=1&n=7&k=3&p=1&s=1&x=…&w=…&b=…&seed=…", then, when they
// differ from the opening state, "at" (the current cell), "seen" (the shown
// cells as a bitset in unpadded base64url), "speed" and "ask=1" (predict
// mode). Values are shortest float32 decimals, separated by commas, a run
// of three or more equal values written once with "*count": "0*12". The
// last message, the selection and playing are not kept. DecodeSliding
// reads it back.
func (m *Sliding) Encode() string {
	var b strings.Builder
	fmt.Fprintf(&b, "v=%s&c=%d&n=%d&k=%d&p=%d&s=%d", linkVersion, m.Channels(), m.n, m.k, m.p, m.s)
	b.WriteString("&x=" + encodeValues(m.x.Data))
	b.WriteString("&w=" + encodeValues(m.w.Data))
	b.WriteString("&b=" + encodeValues(m.b))
	fmt.Fprintf(&b, "&seed=%d", m.seed)
	if m.pos >= 0 {
		fmt.Fprintf(&b, "&at=%d", m.pos)
	}
	bits := make([]byte, (len(m.seen)+7)/8)
	some := false
	for i, s := range m.seen {
		if s {
			bits[i/8] |= 1 << (i % 8)
			some = true
		}
	}
	if some {
		b.WriteString("&seen=" + base64.RawURLEncoding.EncodeToString(bits))
	}
	if m.speed != DefaultPlaySpeed {
		b.WriteString("&speed=" + strconv.FormatFloat(m.speed, 'g', -1, 64))
	}
	if m.predict {
		b.WriteString("&ask=1")
	}
	return b.String()
}

// encodeValues writes values as Encode describes.
func encodeValues(vs []float32) string {
	var b strings.Builder
	for i := 0; i < len(vs); {
		run := 1
		for i+run < len(vs) && math.Float32bits(vs[i+run]) == math.Float32bits(vs[i]) {
			run++
		}
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strings.Replace(strconv.FormatFloat(float64(vs[i]), 'g', -1, 32), "e+", "e", 1))
		switch {
		case run >= 3:
			fmt.Fprintf(&b, "*%d", run)
		case run == 2:
			b.WriteByte(',')
			b.WriteString(strings.Replace(strconv.FormatFloat(float64(vs[i]), 'g', -1, 32), "e+", "e", 1))
		}
		i += run
	}
	return b.String()
}

// decodeValues reads exactly len(dst) values written by encodeValues.
func decodeValues(field, s string, dst []float32) error {
	n := 0
	for _, tok := range strings.Split(s, ",") {
		num, count, hasCount := strings.Cut(tok, "*")
		run := 1
		if hasCount {
			r, err := strconv.Atoi(count)
			if err != nil || r < 1 {
				return fmt.Errorf("link field %s: %q is not a run of values", field, tok)
			}
			run = r
		}
		v, err := strconv.ParseFloat(num, 32)
		if err != nil || math.IsNaN(v) || math.Abs(v) > ui.MaxValue {
			return fmt.Errorf("link field %s: %q is not a number between −1e6 and 1e6", field, num)
		}
		if run > len(dst)-n {
			return fmt.Errorf("link field %s: more than the %d values it should hold", field, len(dst))
		}
		for range run {
			dst[n] = float32(v)
			n++
		}
	}
	if n != len(dst) {
		return fmt.Errorf("link field %s: %d values, want %d", field, n, len(dst))
	}
	return nil
}

// DecodeSliding reads a link written by Encode (a leading "#" is allowed)
// and returns the lesson in that state. Fields other than v may be left
// out: the shape settings then keep the opening values, a missing input is
// the digit pattern at the link's size, and missing filters are the
// opening filters fitted to the link's kernel. A malformed link gives an
// error that says what is wrong; Decode never panics.
func DecodeSliding(link string) (*Sliding, error) {
	link = strings.TrimPrefix(link, "#")
	if len(link) > maxLink {
		return nil, fmt.Errorf("link is %d characters long, more than %d", len(link), maxLink)
	}
	f := map[string]string{}
	for i, kv := range strings.Split(link, "&") {
		key, val, ok := strings.Cut(kv, "=")
		switch {
		case !ok:
			return nil, fmt.Errorf("link field %q has no value (want name=value)", kv)
		case i == 0 && key != "v":
			return nil, errors.New("a sliding-filter link starts with its version, v=1")
		}
		switch key {
		case "v", "c", "n", "k", "p", "s", "x", "w", "b", "seed", "at", "seen", "speed", "ask":
		default:
			return nil, fmt.Errorf("link has an unknown field %q", key)
		}
		if _, dup := f[key]; dup {
			return nil, fmt.Errorf("link has field %q twice", key)
		}
		f[key] = val
	}
	if f["v"] != linkVersion {
		return nil, fmt.Errorf("link version %q is not one this page reads (want %s)", f["v"], linkVersion)
	}
	num := func(key string, def int) (int, error) {
		s, ok := f[key]
		if !ok {
			return def, nil
		}
		v, err := strconv.Atoi(s)
		if err != nil {
			return 0, fmt.Errorf("link field %s: %q is not a whole number", key, s)
		}
		return v, nil
	}
	var seed int64
	if s, ok := f["seed"]; ok {
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("link field seed: %q is not a whole number", s)
		}
		seed = v
	}
	m := NewSliding(seed)
	var sh [5]int
	for i, key := range []string{"c", "k", "n", "p", "s"} {
		def := []int{1, m.k, m.n, m.p, m.s}[i]
		v, err := num(key, def)
		if err != nil {
			return nil, err
		}
		sh[i] = v
	}
	if sh[0] != 1 && sh[0] != 3 {
		return nil, fmt.Errorf("link field c: %d channels, want 1 or 3", sh[0])
	}
	m.SetChannels(sh[0] == 3)
	for i, set := range []func(int) error{m.SetKernel, m.SetSize, m.SetPadding, m.SetStride} {
		if err := set(sh[i+1]); err != nil {
			return nil, fmt.Errorf("link: %w", err)
		}
	}
	if _, ok := f["x"]; !ok {
		if err := m.SetPattern(m.pattern); err != nil {
			return nil, err
		}
	}
	for _, fld := range []struct {
		key string
		dst []float32
	}{{"x", m.x.Data}, {"w", m.w.Data}, {"b", m.b}} {
		if s, ok := f[fld.key]; ok {
			if err := decodeValues(fld.key, s, fld.dst); err != nil {
				return nil, err
			}
		}
	}
	m.seed = seed
	m.edited()
	if err := m.decodeSteps(f); err != nil {
		return nil, err
	}
	return m, nil
}

// decodeSteps restores the stepping fields of a link: at, seen, speed and
// ask. The cell the filter stands on is shown, unless predict mode is on
// and it was not yet shown: then it waits for a prediction, as it did.
func (m *Sliding) decodeSteps(f map[string]string) error {
	_, hasAt := f["at"]
	_, hasSeen := f["seen"]
	if m.out == nil && (hasAt || hasSeen) {
		return fmt.Errorf("link has a step but its shape has no output: %v", m.sizeErr)
	}
	if hasAt {
		at, err := strconv.Atoi(f["at"])
		if err != nil || at < -1 || at >= len(m.seen) {
			return fmt.Errorf("link field at: %q is not a cell from -1 to %d", f["at"], len(m.seen)-1)
		}
		m.pos = at
	}
	if hasSeen {
		bits, err := base64.RawURLEncoding.DecodeString(f["seen"])
		if err != nil || len(bits) != (len(m.seen)+7)/8 {
			return fmt.Errorf("link field seen: %q is not a set of %d cells", f["seen"], len(m.seen))
		}
		for i := range m.seen {
			m.seen[i] = bits[i/8]&(1<<(i%8)) != 0
		}
	}
	if s, ok := f["speed"]; ok {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(v) {
			return fmt.Errorf("link field speed: %q is not a number", s)
		}
		m.SetSpeed(v)
	}
	switch f["ask"] {
	case "", "0":
	case "1":
		m.predict = true
	default:
		return fmt.Errorf("link field ask: %q, want 0 or 1", f["ask"])
	}
	if m.pos >= 0 && !m.seen[m.pos] {
		if m.predict {
			m.asking = true
		} else {
			m.seen[m.pos] = true
		}
	}
	return nil
}
