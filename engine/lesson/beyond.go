package lesson

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"convlab/engine/data"
	"convlab/engine/nn"
	"convlab/engine/tensor"
)

// Beyond is the model of lesson 5, the parts of Lecture 7 after slide 37,
// one value per part: receptive fields (and strided convolution and
// pooling as downsampling), 1x1 convolution, pooling, a LeNet-5 style
// table, and batch normalization.
type Beyond struct {
	Field *FieldStack
	Mix   *ColourMixer
	Pool  *PoolGrid
	Net   *NetTable
	Norm  *NormLab
}

// NewBeyond returns every part in its opening state; pics are the pictures
// the 1x1 convolution mixes (at least one), seed drives the random grids,
// batches and weights.
func NewBeyond(pics []data.Picture, seed int64) *Beyond {
	return &Beyond{
		Field: NewFieldStack(),
		Mix:   NewColourMixer(pics),
		Pool:  NewPoolGrid(seed),
		Net:   NewNetTable(seed + 1),
		Norm:  NewNormLab(seed + 2),
	}
}

// Encode writes every part's settings for a link, as URL query pairs:
//
//	f   receptive-field layers, "c3.1.1" (conv K.Pad.Stride) or "p2.2"
//	    (max pool K.Stride), joined by "_"; fu the chosen unit "i.j"
//	mp  the picture; mw the mixer's weights and biases, 12 numbers
//	    (row o: three weights, then b[o]) joined by ","
//	pv  the pooled grid, row-major; pw window and stride "2.2"; ps the
//	    chosen output "i.j" or empty
//	nb  the seed of batch norm's batch; nn training steps run; nr the
//	    running means and variances; ng the scales and shifts; nt "1" in
//	    test mode
//	l   the network's layers: "c20.5.2.1" (conv filters.K.Pad.Stride),
//	    "r", "m2.2" (max pool), "a2.2" (average pool), "f", "l500"
//	    (linear), "b" (batch norm), joined by "_"
func (b *Beyond) Encode() string {
	v := url.Values{}
	var ls []string
	for _, l := range b.Field.Layers() {
		if l.Pool {
			ls = append(ls, fmt.Sprintf("p%d.%d", l.K, l.Stride))
		} else {
			ls = append(ls, fmt.Sprintf("c%d.%d.%d", l.K, l.Pad, l.Stride))
		}
	}
	v.Set("f", strings.Join(ls, "_"))
	i, j := b.Field.Unit()
	v.Set("fu", fmt.Sprintf("%d.%d", i, j))

	m := b.Mix
	v.Set("mp", strconv.Itoa(m.Picture()))
	var mw []float32
	for o := 0; o < 3; o++ {
		mw = append(mw, m.Weight(o, 0), m.Weight(o, 1), m.Weight(o, 2), m.Bias(o))
	}
	v.Set("mw", floats(mw))

	p := b.Pool
	v.Set("pv", floats(p.Input().Data))
	size, stride := p.Window()
	v.Set("pw", fmt.Sprintf("%d.%d", size, stride))
	if i, j, ok := p.Selected(); ok {
		v.Set("ps", fmt.Sprintf("%d.%d", i, j))
	}

	n := b.Norm
	v.Set("nb", strconv.FormatInt(n.batchSeed, 10))
	v.Set("nn", strconv.Itoa(n.Steps()))
	var run, gb []float32
	for c := 0; c < NormChannels; c++ {
		mu, va := n.Running(c)
		run = append(run, mu, va)
		gb = append(gb, n.Gamma(c), n.Beta(c))
	}
	v.Set("nr", floats(run))
	v.Set("ng", floats(gb))
	if n.Test() {
		v.Set("nt", "1")
	}

	ls = ls[:0]
	for _, l := range b.Net.Spec().Layers {
		ls = append(ls, netLayerCode(l))
	}
	v.Set("l", strings.Join(ls, "_"))
	return v.Encode()
}

// floats writes values in the shortest form that reads back exactly.
func floats(vs []float32) string {
	s := make([]string, len(vs))
	for i, x := range vs {
		s[i] = strconv.FormatFloat(float64(x), 'g', -1, 32)
	}
	return strings.Join(s, ",")
}

// parseFloats reads n values written by floats (any count when n < 0).
func parseFloats(s string, n int) ([]float32, error) {
	parts := strings.Split(s, ",")
	if n >= 0 && len(parts) != n {
		return nil, fmt.Errorf("%d numbers where %d belong", len(parts), n)
	}
	out := make([]float32, len(parts))
	for i, p := range parts {
		f, err := strconv.ParseFloat(p, 32)
		if err != nil || f != f || f > 1e6 || f < -1e6 {
			return nil, fmt.Errorf("%q is not a number between −1e6 and 1e6", p)
		}
		out[i] = float32(f)
	}
	return out, nil
}

// parseInts reads "a.b.c" into exactly n whole numbers.
func parseInts(s string, n int) ([]int, error) {
	parts := strings.Split(s, ".")
	if len(parts) != n {
		return nil, fmt.Errorf("%q should be %d whole numbers joined by dots", s, n)
	}
	out := make([]int, n)
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 || v > 4096 {
			return nil, fmt.Errorf("%q is not a whole number from 0 to 4096", p)
		}
		out[i] = v
	}
	return out, nil
}

// netLayerCode writes one layer of the network for a link.
func netLayerCode(l nn.LayerSpec) string {
	switch l.Type {
	case nn.TypeConv:
		return fmt.Sprintf("c%d.%d.%d.%d", l.Filters, l.Kernel, l.Pad, l.Stride)
	case nn.TypeMaxPool:
		return fmt.Sprintf("m%d.%d", l.Size, l.Stride)
	case nn.TypeAvgPool:
		return fmt.Sprintf("a%d.%d", l.Size, l.Stride)
	case nn.TypeLinear:
		return fmt.Sprintf("l%d", l.Out)
	case nn.TypeReLU:
		return "r"
	case nn.TypeFlatten:
		return "f"
	}
	return "b"
}

// parseNetLayer reads a layer netLayerCode wrote.
func parseNetLayer(s string) (nn.LayerSpec, error) {
	if s == "" {
		return nn.LayerSpec{}, fmt.Errorf("an empty layer")
	}
	rest := s[1:]
	switch s[0] {
	case 'r', 'f', 'b':
		if rest != "" {
			break
		}
		return nn.LayerSpec{Type: map[byte]string{'r': nn.TypeReLU, 'f': nn.TypeFlatten, 'b': nn.TypeBatchNorm}[s[0]]}, nil
	case 'c':
		v, err := parseInts(rest, 4)
		if err != nil {
			return nn.LayerSpec{}, err
		}
		return nn.LayerSpec{Type: nn.TypeConv, Filters: v[0], Kernel: v[1], Pad: v[2], Stride: v[3]}, nil
	case 'm', 'a':
		v, err := parseInts(rest, 2)
		if err != nil {
			return nn.LayerSpec{}, err
		}
		typ := nn.TypeMaxPool
		if s[0] == 'a' {
			typ = nn.TypeAvgPool
		}
		return nn.LayerSpec{Type: typ, Size: v[0], Stride: v[1]}, nil
	case 'l':
		v, err := parseInts(rest, 1)
		if err != nil {
			return nn.LayerSpec{}, err
		}
		return nn.LayerSpec{Type: nn.TypeLinear, Out: v[0]}, nil
	}
	return nn.LayerSpec{}, fmt.Errorf("%q is not a layer", s)
}

// Decode restores what Encode wrote onto a copy of b and returns it; b is
// not changed, so a link that cannot be read loses nothing. Parts missing
// from the link keep b's state; the error names the first part that is
// wrong.
func (b *Beyond) Decode(link string) (*Beyond, error) {
	v, err := url.ParseQuery(strings.TrimPrefix(link, "#"))
	if err != nil {
		return nil, fmt.Errorf("the lesson's link is damaged: %v", err)
	}
	nb := NewBeyond(b.Mix.Pictures(), b.Pool.seed)
	nb.Net.digit = b.Net.Digit()
	fail := func(part string, err error) (*Beyond, error) {
		return nil, fmt.Errorf("%s: %w", part, err)
	}
	if err := decodeField(nb.Field, v); err != nil {
		return fail("receptive fields", err)
	}
	if err := decodeMix(nb.Mix, v); err != nil {
		return fail("1x1 convolution", err)
	}
	if err := decodePool(nb.Pool, v); err != nil {
		return fail("pooling", err)
	}
	if err := decodeNorm(nb.Norm, v); err != nil {
		return fail("batch normalization", err)
	}
	if s, ok := v["l"]; ok {
		spec := nn.Spec{Input: [3]int{1, 28, 28}}
		for _, code := range strings.Split(s[0], "_") {
			l, err := parseNetLayer(code)
			if err != nil {
				return fail("LeNet table", err)
			}
			spec.Layers = append(spec.Layers, l)
		}
		preset := ""
		for _, p := range NetPresets {
			if ps, _ := presetSpec(p); slices.Equal(ps.Layers, spec.Layers) {
				preset = p
			}
		}
		if err := nb.Net.SetSpec(spec); err != nil {
			return fail("LeNet table", err)
		}
		nb.Net.preset = preset
	} else {
		nb.Net = b.Net
	}
	return nb, nil
}

func decodeField(f *FieldStack, v url.Values) error {
	if s, ok := v["f"]; ok {
		*f = FieldStack{sides: []int{FieldInput}}
		if err := decodeFieldLayers(f, s[0]); err != nil {
			return err
		}
	}
	if u, ok := v["fu"]; ok {
		n, err := parseInts(u[0], 2)
		if err != nil {
			return err
		}
		return f.Choose(n[0], n[1])
	}
	return nil
}

// decodeFieldLayers adds the layers of a link's "f" to f.
func decodeFieldLayers(f *FieldStack, s string) error {
	if s != "" {
		for _, code := range strings.Split(s, "_") {
			var l FieldLayer
			switch {
			case strings.HasPrefix(code, "c"):
				n, err := parseInts(code[1:], 3)
				if err != nil {
					return err
				}
				l = FieldLayer{K: n[0], Pad: n[1], Stride: n[2]}
			case strings.HasPrefix(code, "p"):
				n, err := parseInts(code[1:], 2)
				if err != nil {
					return err
				}
				l = FieldLayer{Pool: true, K: n[0], Stride: n[1]}
			default:
				return fmt.Errorf("%q is not a layer", code)
			}
			if err := f.Add(l); err != nil {
				return err
			}
		}
	}
	return nil
}

func decodeMix(m *ColourMixer, v url.Values) error {
	if s, ok := v["mp"]; ok {
		i, err := strconv.Atoi(s[0])
		if err != nil {
			return fmt.Errorf("%q is not a picture number", s[0])
		}
		if err := m.SetPicture(i); err != nil {
			return err
		}
	}
	s, ok := v["mw"]
	if !ok {
		return nil
	}
	w, err := parseFloats(s[0], 12)
	if err != nil {
		return err
	}
	for o := 0; o < 3; o++ {
		copy(m.w.Data[o*3:o*3+3], w[o*4:o*4+3])
		m.b[o] = w[o*4+3]
	}
	m.preset = ""
	for _, p := range MixPresets {
		if pw, _ := mixPreset(p); [9]float32(m.w.Data) == pw && m.b[0] == 0 && m.b[1] == 0 && m.b[2] == 0 {
			m.preset = p
		}
	}
	m.compute()
	return nil
}

func decodePool(g *PoolGrid, v url.Values) error {
	if s, ok := v["pv"]; ok {
		vals, err := parseFloats(s[0], -1)
		if err != nil {
			return err
		}
		n := 0
		for _, side := range PoolSides {
			if side*side == len(vals) {
				n = side
			}
		}
		if n == 0 {
			return fmt.Errorf("%d values do not make a %s grid", len(vals), ints(PoolSides))
		}
		g.setValues(n, vals)
	}
	if s, ok := v["pw"]; ok {
		n, err := parseInts(s[0], 2)
		if err != nil {
			return err
		}
		if err := g.SetWindow(n[0], n[1]); err != nil {
			return err
		}
	}
	if s, ok := v["ps"]; ok && s[0] != "" {
		n, err := parseInts(s[0], 2)
		if err != nil {
			return err
		}
		return g.Select(n[0], n[1])
	}
	return nil
}

func decodeNorm(n *NormLab, v url.Values) error {
	if s, ok := v["nb"]; ok {
		seed, err := strconv.ParseInt(s[0], 10, 64)
		if err != nil {
			return fmt.Errorf("%q is not a seed", s[0])
		}
		n.seed = seed
		n.NewBatch()
	}
	if s, ok := v["nn"]; ok {
		k, err := strconv.Atoi(s[0])
		if err != nil || k < 0 {
			return fmt.Errorf("%q is not a number of training steps", s[0])
		}
		n.steps = k
	}
	b := n.bn()
	if s, ok := v["nr"]; ok {
		r, err := parseFloats(s[0], 2*NormChannels)
		if err != nil {
			return err
		}
		for c := 0; c < NormChannels; c++ {
			if r[2*c+1] < 0 {
				return fmt.Errorf("a running variance of %v: variances are never negative", r[2*c+1])
			}
			b.RunMean.Data[c], b.RunVar.Data[c] = r[2*c], r[2*c+1]
		}
	}
	if s, ok := v["ng"]; ok {
		g, err := parseFloats(s[0], 2*NormChannels)
		if err != nil {
			return err
		}
		for c := 0; c < NormChannels; c++ {
			b.Gamma.Data[c], b.Beta.Data[c] = g[2*c], g[2*c+1]
		}
	}
	n.test = v.Get("nt") == "1"
	n.compute()
	return nil
}

// BeyondState is lesson 5's model as window.convlab.state() reports it.
type BeyondState struct {
	Receptive ReceptiveState `json:"receptive"`
	Mix       MixState       `json:"mix"`
	Pool      PoolState      `json:"pool"`
	Net       NetState       `json:"net"`
	Norm      NormState      `json:"norm"`
}

// ReceptiveState is the receptive-field part.
type ReceptiveState struct {
	Layers      []string `json:"layers"` // e.g. "conv 3x3, pad 1"
	Sides       []int    `json:"sides"`  // the input's side, then each layer's output side
	Unit        [2]int   `json:"unit"`   // row, column of the last grid
	Field       [4]int   `json:"field"`  // the unit's region of the input: x0, y0, x1, y1 (x1, y1 exclusive)
	Seen        []int    `json:"seen"`   // per grid, the side of input a unit sees
	MoreToCover int      `json:"moreToCover"`
}

// MixState is the 1x1-convolution part.
type MixState struct {
	Picture string      `json:"picture"`
	Preset  string      `json:"preset"`
	Weights [][]float32 `json:"weights"` // (3, 3): row o weighs red, green, blue
	Bias    []float32   `json:"bias"`
	Probe   [2]int      `json:"probe"` // row, column
	Pixel   []float32   `json:"pixel"` // the probed pixel's red, green, blue
	Out     []float32   `json:"out"`   // the output there, per channel
	Params  int         `json:"params"`
}

// PoolState is the pooling part.
type PoolState struct {
	Side     int         `json:"side"`
	Size     int         `json:"size"`
	Stride   int         `json:"stride"`
	Input    [][]float32 `json:"input"`
	Max      [][]float32 `json:"max,omitempty"`
	Avg      [][]float32 `json:"avg,omitempty"`
	Winners  [][2]int    `json:"winners,omitempty"` // per max output (row-major), the input cell that won
	Error    string      `json:"error,omitempty"`
	Selected *[2]int     `json:"selected,omitempty"`
}

// NetState is the LeNet table.
type NetState struct {
	Preset       string        `json:"preset"`
	Rows         []NetRowState `json:"rows"`
	Params       int           `json:"params"`
	MultiplyAdds int           `json:"multiplyAdds"`
	Error        string        `json:"error,omitempty"`
	Failing      int           `json:"failing"`
	Built        int           `json:"built"` // parameters of the built net, 0 if not built
	Ran          []string      `json:"ran"`   // the shapes of the digit's activations, if run
	RunError     string        `json:"runError,omitempty"`
}

// NetRowState is one row of the LeNet table.
type NetRowState struct {
	Name         string `json:"name"`
	Output       string `json:"output"`
	Weight       string `json:"weight"`
	Params       int    `json:"params"`
	MultiplyAdds int    `json:"multiplyAdds"`
}

// NormState is the batch-norm part.
type NormState struct {
	Test     bool          `json:"test"`
	Steps    int           `json:"steps"`
	X        [][][]float32 `json:"x"` // (N, C, 4): the conv's output, positions row-major
	Y        [][][]float32 `json:"y"` // the same for batch norm's output in the current mode
	Mean     []float32     `json:"mean"`
	Var      []float32     `json:"var"`
	Gamma    []float32     `json:"gamma"`
	Beta     []float32     `json:"beta"`
	RunMean  []float32     `json:"runMean"`
	RunVar   []float32     `json:"runVar"`
	FoldDiff float32       `json:"foldDiff"`
}

// State returns the snapshot of every part.
func (b *Beyond) State() BeyondState {
	var st BeyondState
	f := b.Field
	r := &st.Receptive
	for _, l := range f.Layers() {
		r.Layers = append(r.Layers, l.Name())
	}
	r.Layers = append([]string{}, r.Layers...)
	r.Sides = append([]int(nil), f.Sides()...)
	r.Unit[0], r.Unit[1] = f.Unit()
	fr := f.Region(0)
	r.Field = [4]int{fr.Min.X, fr.Min.Y, fr.Max.X, fr.Max.Y}
	for g := range f.Sides() {
		r.Seen = append(r.Seen, f.Seen(g))
	}
	r.MoreToCover = f.MoreToCover()

	m := b.Mix
	ms := &st.Mix
	ms.Picture, ms.Preset = m.Pictures()[m.Picture()].Name, m.Preset()
	ms.Probe[0], ms.Probe[1] = m.Probe()
	for o := 0; o < 3; o++ {
		ms.Weights = append(ms.Weights, []float32{m.Weight(o, 0), m.Weight(o, 1), m.Weight(o, 2)})
		ms.Bias = append(ms.Bias, m.Bias(o))
		d := m.Dot(o)
		ms.Out = append(ms.Out, m.Output().At(o, ms.Probe[0], ms.Probe[1]))
		if o == 0 {
			for _, t := range d.Terms {
				ms.Pixel = append(ms.Pixel, t.X)
			}
		}
	}
	ms.Params = m.MixLedger()[0].Row.Params

	p := b.Pool
	ps := &st.Pool
	ps.Side = p.Side()
	ps.Size, ps.Stride = p.Window()
	ps.Input = rows2(p.Input().Data, p.Side())
	if p.Err() != nil {
		ps.Error = p.Err().Error()
	} else {
		h := p.OutSide()
		ps.Max, ps.Avg = rows2(p.Max().Data, h), rows2(p.Avg().Data, h)
		for q := 0; q < h*h; q++ {
			y, x := p.Winner(q)
			ps.Winners = append(ps.Winners, [2]int{y, x})
		}
		if i, j, ok := p.Selected(); ok {
			ps.Selected = &[2]int{i, j}
		}
	}

	t := b.Net
	ns := &st.Net
	ns.Preset, ns.Failing, ns.Built, ns.RunError = t.Preset(), t.Failing(), t.Built(), t.RunError()
	for _, row := range t.Rows() {
		ns.Rows = append(ns.Rows, NetRowState{Name: row.Name, Output: tensor.ShapeString(row.Output),
			Weight: tensor.ShapeString(row.Weight), Params: row.Params, MultiplyAdds: row.MultiplyAdds})
	}
	ns.Params, ns.MultiplyAdds = t.Totals()
	if t.Err() != nil {
		ns.Error = t.Err().Error()
	}
	ns.Ran = []string{}
	for _, a := range t.Activations() {
		ns.Ran = append(ns.Ran, tensor.ShapeString(a.Out.Shape))
	}

	n := b.Norm
	no := &st.Norm
	no.Test, no.Steps, no.FoldDiff = n.Test(), n.Steps(), n.FoldDiff()
	no.X, no.Y = perExample(n.X()), perExample(n.Y())
	for c := 0; c < NormChannels; c++ {
		no.Mean = append(no.Mean, n.Mean(c))
		no.Var = append(no.Var, n.Var(c))
		no.Gamma = append(no.Gamma, n.Gamma(c))
		no.Beta = append(no.Beta, n.Beta(c))
		mu, va := n.Running(c)
		no.RunMean = append(no.RunMean, mu)
		no.RunVar = append(no.RunVar, va)
	}
	return st
}

// rows2 cuts a square grid's values into rows of side n.
func rows2(v []float32, n int) [][]float32 {
	out := make([][]float32, 0, n)
	for y := 0; y < n; y++ {
		out = append(out, append([]float32(nil), v[y*n:(y+1)*n]...))
	}
	return out
}

// perExample cuts t (N, C, H, W) into (N, C, H·W).
func perExample(t *tensor.Tensor) [][][]float32 {
	nb, c, hw := t.Shape[0], t.Shape[1], t.Shape[2]*t.Shape[3]
	out := make([][][]float32, nb)
	for e := range out {
		for ch := 0; ch < c; ch++ {
			off := (e*c + ch) * hw
			out[e] = append(out[e], append([]float32(nil), t.Data[off:off+hw]...))
		}
	}
	return out
}
