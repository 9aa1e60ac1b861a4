package app

import (
	"fmt"
	"image"
	"strings"

	"convlab/assets"
	"convlab/engine/data"
	"convlab/engine/lesson"
	"convlab/engine/nn"
	"convlab/engine/ui"
)

// FCScreen is the fully-connected-vs-convolution lesson as the page shows
// it (slides 5–19): the input picture on the left, always in view, with
// the controls that choose it and shift it, and on the right one of four
// tabs, in the order of the lecture:
//
//   - "stretch": the picture's three channels stretched into a column of
//     3072 numbers, with the index formula (c·32 + y)·32 + x worked out for
//     the pixel under the pointer, both ways (slides 5, 10);
//   - "scores": the 10 x 3072 weight matrix W, the column x lying above it,
//     the biases and the 10 scores; each row of W reshaped to 3 x 32 x 32
//     is a template, and clicking one writes out its 3072-term dot product
//     (slides 10–11);
//   - "conv": six 3 x 5 x 5 filters sliding over the picture, keeping its
//     layout: one 28 x 28 activation map per filter, each value a
//     75-dimensional dot product plus a bias (slides 12–16);
//   - "compare": both layers side by side with nn's ledger of their
//     parameters (30,730 against 456), and what shifting the picture does:
//     the maps move with it, value for value; the scores change
//     (slides 6, 18–19).
//
// Every number comes from the lesson model (lesson.FC): the scores from
// the linear layer's forward pass, the maps from the engine's convolution.
// After every change the screen rebuilds its widgets, its pictures and its
// marks (the display list the page draws), so Widgets and the page's
// drawing only read. The deck keys walk through the tabs.
type FCScreen struct {
	info  lesson.Info
	m     *lesson.FC
	err   string // why the lesson could not be made; the screen then shows only this
	frame ui.Frame
	r     image.Rectangle // content rectangle from Layout, in units

	tab      string // one of FCTabs
	source   string // the thumbnails shown: "digits" or "pictures"
	index    int    // the place of the column pointed at last (stretch and scores tabs)
	hoverRow int    // the row of W under the pointer on the scores tab, −1 for none
	focus    string // the area with keyboard focus, whose arrow keys move what it shows
	stopped  bool   // the last Tick ended an animation: its last frame is still to be drawn

	lay     fcLayout
	widgets []ui.Widget
	marks   []Mark
	dropped int // lines of text the last paint had no room for (none, the tests check)
	pics    map[string]*Picture
	gen     int // bumped on every rebuild of pictures: their versions
}

// FCTabs lists the tabs in the order the page shows them and the deck
// keys walk through them.
var FCTabs = []string{"stretch", "scores", "conv", "compare"}

// fcTabLabels are the tabs' buttons.
var fcTabLabels = map[string]string{
	"stretch": "1 Stretch to 3072",
	"scores":  "2 Scores: Wx + b",
	"conv":    "3 Convolution",
	"compare": "4 FC vs. conv",
}

// ShippedFC returns what the page starts the lesson with: the classifier
// and digits of assets.FCLinear and assets.FCDigits (written by
// go run ./engine/cmd/fctrain) and the photo-like pictures at 32 x 32.
func ShippedFC() lesson.FCSources {
	return lesson.FCSources{Weights: []byte(assets.FCLinear), Digits: []byte(assets.FCDigits), Pictures: data.Pictures()}
}

// NewFCScreen returns the lesson's screen on its first tab with the first
// digit. Sources that cannot be read leave a screen that says why.
func NewFCScreen(src lesson.FCSources) *FCScreen {
	s := &FCScreen{
		info:     lesson.Catalog()[lesson.Index(lesson.FCID)],
		tab:      FCTabs[0],
		source:   "digits",
		hoverRow: -1,
		pics:     map[string]*Picture{},
		frame:    ui.Frame{Scale: 1, W: ui.DesignW, H: ui.DesignH},
		r:        image.Rect(0, 0, ui.DesignW, ui.DesignH-BarHeight),
	}
	m, err := lesson.NewFC(src)
	if err != nil {
		s.err = "This lesson could not start: " + err.Error()
	} else {
		s.m = m
		s.index = s.defaultIndex()
	}
	s.refresh()
	return s
}

// defaultIndex returns the place of the column first shown for the current
// picture: the first lit pixel of the red channel's middle row, so the
// written value is not a black 0, else the middle of that row.
func (s *FCScreen) defaultIndex() int {
	x := s.m.Picture()
	for xx := 0; xx < lesson.FCSide; xx++ {
		if i := lesson.FCIndex(0, lesson.FCSide/2, xx); x.Data[i] > 0.2 {
			return i
		}
	}
	return lesson.FCIndex(0, lesson.FCSide/2, lesson.FCSide/2)
}

// Info describes the lesson.
func (s *FCScreen) Info() lesson.Info { return s.info }

// Model returns the lesson model, nil if the lesson could not start.
// Changes go through Handle.
func (s *FCScreen) Model() *lesson.FC { return s.m }

// Tab returns the tab on show, one of FCTabs.
func (s *FCScreen) Tab() string { return s.tab }

// Marks returns what the page draws for the screen now, in order. It is
// rebuilt after every change and must not be modified.
func (s *FCScreen) Marks() []Mark { return s.marks }

// SetFrame records the page's frame (app.FrameSetter): pointer positions
// arrive in CSS pixels, and touch targets must be 44 CSS pixels at its scale.
func (s *FCScreen) SetFrame(f ui.Frame) {
	if f.Scale > 0 {
		s.frame = f
	}
}

// Layout places the screen in r (layout units).
func (s *FCScreen) Layout(r image.Rectangle) {
	s.r = r
	s.refresh()
}

// Widgets appends the screen's controls in tab order.
func (s *FCScreen) Widgets(dst []ui.Widget) []ui.Widget { return append(dst, s.widgets...) }

// Tick advances the stretch and the sliding filter.
func (s *FCScreen) Tick(dt float64) {
	s.stopped = false
	if s.m == nil {
		return
	}
	playing := s.playing()
	switch {
	case !s.m.Tick(dt):
	case playing != s.playing():
		s.refresh() // a toggle's label changes too
		s.stopped = true
	default:
		s.refreshPictures()
	}
}

// playing reports whether the stretch or the slide plays.
func (s *FCScreen) playing() bool { return s.m.StretchPlaying() || s.m.SlidePlaying() }

// Animating reports whether the lesson changes without an event: while
// the stretch or the slide plays, and for the frame that shows its end.
func (s *FCScreen) Animating() bool { return s.m != nil && (s.playing() || s.stopped) }

// Next shows the next tab; false on the last, so the page moves on.
func (s *FCScreen) Next(say *ui.Announcer) bool { return s.stepTab(+1, say) }

// Prev shows the previous tab; false on the first.
func (s *FCScreen) Prev(say *ui.Announcer) bool { return s.stepTab(-1, say) }

func (s *FCScreen) stepTab(d int, say *ui.Announcer) bool {
	i := fcTabIndex(s.tab) + d
	if s.m == nil || i < 0 || i >= len(FCTabs) {
		return false
	}
	s.showTab(FCTabs[i], say)
	return true
}

func fcTabIndex(t string) int {
	for i, x := range FCTabs {
		if x == t {
			return i
		}
	}
	return -1
}

// showTab switches to tab t and says what it shows.
func (s *FCScreen) showTab(t string, say *ui.Announcer) {
	s.tab = t
	s.hoverRow = -1
	say.Say(fcCaption(t))
	s.refresh()
}

// FCScreenState is the lesson's snapshot for window.convlab.state().detail.
type FCScreenState struct {
	Tab    string `json:"tab"`
	Source string `json:"source"`
	Error  string `json:"error,omitempty"`
	Input  string `json:"input"`
	Label  int    `json:"label"` // the digit shown, −1 for a picture
	Shift  [2]int `json:"shift"` // right and down, in pixels
	Shape  [3]int `json:"shape"` // (3, 32, 32)
	// X is the picture as the layers see it (shifted), (3, 32, 32).
	X [][][]float32 `json:"x"`
	// Index is the place of the column pointed at last and the pixel it
	// holds.
	Index fcIndexState `json:"index"`
	// StretchFilled counts the values in the column: 3072 unless the
	// stretch is playing.
	StretchFilled int       `json:"stretchFilled"`
	Scores        []float32 `json:"scores"`
	CentredScores []float32 `json:"centredScores"`
	Predicted     int       `json:"predicted"`
	// CentredPredicted is the class with the highest score before the shift.
	CentredPredicted int        `json:"centredPredicted"`
	Row              int        `json:"row"`
	Dot              fcDotState `json:"dot"`
	Filter           int        `json:"filter"`
	FilterName       string     `json:"filterName"`
	// Filters are the six filters (6, 3, 5, 5) and FilterBias their biases.
	Filters    [][][][]float32     `json:"filters"`
	FilterBias []float32           `json:"filterBias"`
	Position   [2]int              `json:"position"` // row and column of the map
	MapShape   [3]int              `json:"mapShape"` // (6, 28, 28)
	MapValue   float32             `json:"mapValue"` // the shown map's value at Position
	ConvDot    string              `json:"convDot"`  // its 75-term dot product, briefly
	ConvTerms  int                 `json:"convTerms"`
	SlideShown int                 `json:"slideShown"` // positions computed: 784 unless the filter is sliding
	Check      lesson.FCShiftCheck `json:"check"`
	Ledger     []fcLedgerState     `json:"ledger"` // the fully connected layer, then the convolution
}

type fcIndexState struct {
	I     int     `json:"i"`
	C     int     `json:"c"`
	Y     int     `json:"y"`
	X     int     `json:"x"`
	Value float32 `json:"value"`
}

type fcDotState struct {
	Row      int        `json:"row"`
	Terms    int        `json:"terms"`
	Zero     int        `json:"zero"`
	Partial  [3]float32 `json:"partial"`
	Sum      float32    `json:"sum"`
	Bias     float32    `json:"bias"`
	Value    float32    `json:"value"`
	Score    float32    `json:"score"`
	Largest  []int      `json:"largest"` // places of the column
	Smallest []int      `json:"smallest"`
}

type fcLedgerState struct {
	Name         string `json:"name"`
	Weight       []int  `json:"weight"`
	Params       int    `json:"params"`
	Output       []int  `json:"output"`
	MultiplyAdds int    `json:"multiplyAdds"`
}

// State returns the snapshot window.convlab.state() reports.
func (s *FCScreen) State() any {
	st := FCScreenState{Tab: s.tab, Source: s.source, Error: s.err}
	m := s.m
	if m == nil {
		return st
	}
	in := m.Inputs()[m.Input()]
	st.Input, st.Label = in.ID, in.Label
	st.Shift[0], st.Shift[1] = m.Shift()
	st.Shape = [3]int{lesson.FCChannels, lesson.FCSide, lesson.FCSide}
	st.X = nested3(m.Picture().Data, lesson.FCChannels, lesson.FCSide, lesson.FCSide)
	i := s.index
	c, y, x := lesson.FCPixel(i)
	st.Index = fcIndexState{I: i, C: c, Y: y, X: x, Value: m.Picture().Data[i]}
	st.StretchFilled = m.StretchFilled()
	st.Scores, st.CentredScores = m.Scores(), m.CentredScores()
	st.Predicted, st.CentredPredicted, st.Row = m.Predicted(), m.CentredPredicted(), m.Row()
	d := m.RowDot(m.Row())
	st.Dot = fcDotState{Row: d.K, Terms: d.Terms, Zero: d.Zero, Partial: d.Partial, Sum: d.Sum, Bias: d.Bias,
		Value: d.Value, Score: d.Score, Largest: []int{}, Smallest: []int{}}
	for _, t := range d.Largest {
		st.Dot.Largest = append(st.Dot.Largest, t.I)
	}
	for _, t := range d.Smallest {
		st.Dot.Smallest = append(st.Dot.Smallest, t.I)
	}
	b := m.Bank()
	st.Filter, st.FilterName = m.Filter(), b.Names[m.Filter()]
	n := lesson.FCChannels * lesson.FCKernel * lesson.FCKernel
	for f := 0; f < b.Filters(); f++ {
		st.Filters = append(st.Filters, nested3(b.W.Data[f*n:(f+1)*n], lesson.FCChannels, lesson.FCKernel, lesson.FCKernel))
	}
	st.FilterBias = b.B
	st.Position[0], st.Position[1] = m.Position()
	st.MapShape = [3]int{lesson.FCFilters, lesson.FCMapSide, lesson.FCMapSide}
	st.MapValue = m.Maps().At(m.Filter(), st.Position[0], st.Position[1])
	cd := m.ConvDot()
	st.ConvDot, st.ConvTerms = cd.Brief(), len(cd.Terms)
	st.SlideShown = m.SlideShown()
	st.Check = m.ShiftCheck()
	fc, conv := lesson.FCLedger()
	for _, r := range []nn.LedgerRow{fc, conv} {
		st.Ledger = append(st.Ledger, fcLedgerState{Name: r.Name, Weight: r.Weight, Params: r.Params, Output: r.Output,
			MultiplyAdds: r.MultiplyAdds})
	}
	return st
}

// nested3 writes v (a, b, c) as nested slices.
func nested3(v []float32, a, b, c int) [][][]float32 {
	out := make([][][]float32, a)
	for i := range out {
		out[i] = make([][]float32, b)
		for j := range out[i] {
			out[i][j] = v[(i*b+j)*c : (i*b+j+1)*c]
		}
	}
	return out
}

// Encode returns the tab on show and the lesson's settings
// (lesson.FCSettings) for the share link and the browser's storage:
// "tab=scores&in=digit-3&shift=2,-1&row=3&filter=0&at=12,12".
func (s *FCScreen) Encode() string {
	if s.m == nil {
		return "tab=" + s.tab
	}
	return "tab=" + s.tab + "&" + s.m.Settings().Encode()
}

// Decode restores what Encode wrote. A malformed string changes nothing and
// says why.
func (s *FCScreen) Decode(str string) error {
	if s.m == nil {
		return fmt.Errorf("the lesson could not start, so there is nothing to restore")
	}
	tab := s.tab
	var rest []string
	for _, kv := range strings.Split(str, "&") {
		if v, ok := strings.CutPrefix(kv, "tab="); ok {
			if fcTabIndex(v) < 0 {
				return fmt.Errorf("%q is not a tab of this lesson (%s)", v, strings.Join(FCTabs, ", "))
			}
			tab = v
			continue
		}
		rest = append(rest, kv)
	}
	set, err := lesson.DecodeFCSettings(strings.Join(rest, "&"), s.m.Settings())
	if err != nil {
		return err
	}
	inputChanged := set.Input != s.m.Settings().Input
	if err := s.m.Restore(set); err != nil {
		return err
	}
	s.tab, s.hoverRow = tab, -1
	s.source = "digits"
	if strings.HasPrefix(set.Input, "picture-") {
		s.source = "pictures"
	}
	if inputChanged {
		s.index = s.defaultIndex()
	}
	s.refresh()
	return nil
}
