package app

import (
	"fmt"
	"image"
	"net/url"
	"strings"

	"convlab/engine/data"
	"convlab/engine/lesson"
	"convlab/engine/tensor"
	"convlab/engine/ui"
)

// BeyondScreen is lesson 5, "Beyond slide 37", as the page shows it: the
// parts of Lecture 7 after the slide text ends, one tab each, in the
// lecture's order:
//
//   - "receptive": a stack of common conv layers (and a stride-2 conv or
//     2x2 pooling) over a 15x15 input; one chosen unit of the last layer and
//     the region of every earlier grid it depends on, growing by K − 1 a
//     layer, faster after downsampling.
//   - "1x1": a picture through three 1x1 filters, typed or dragged: each
//     output pixel a weighted sum of the pixel's red, green and blue;
//     the parameters against a 3x3 convolution and the lecture's examples.
//   - "pool": max and average pooling of a small grid of numbers, the
//     winners marked, one output's window outlined, the shape formula.
//   - "lenet": the LeNet-5 table from nn's ledger, every setting editable,
//     the network built and run on a digit.
//   - "batchnorm": a conv layer's output for a batch normalised per
//     channel, γ and β editable, training and test mode, running averages,
//     and the fold into the conv checked on the batch.
//
// Every number comes from the lesson model (lesson.Beyond), which asks the
// engine. After every change the screen rebuilds its widgets and its marks
// (the display list the page draws), so Widgets and drawing only read. The
// deck keys walk through the tabs.
type BeyondScreen struct {
	info      lesson.Info
	m         *lesson.Beyond
	r         image.Rectangle
	frame     ui.Frame
	tab       string
	loadDigit func() (*tensor.Tensor, error) // nil once asked
	digitErr  string
	errCell   string // the widget a refusal belongs to, "" for none
	drag      beyondDrag

	widgets []ui.Widget
	marks   []Mark
	dropped int // lines of text the last layout had no room for (none, the tests check)
	pics    map[string]*Picture
	gen     int
	// areas maps an area widget's name to where its grid of cells lies
	// and how many cells it has a side, for turning pointer positions into
	// cells.
	areas map[string]beyondArea
}

// beyondArea is a grid of n x n cells drawn in grid, taking clicks in a
// (possibly larger) widget rectangle.
type beyondArea struct {
	grid image.Rectangle
	n    int
}

// beyondDrag follows a vertical drag on an editable cell.
type beyondDrag struct {
	name    string
	startY  float64
	applied int
}

// BeyondTabs lists the tabs in the order the page shows them and the deck
// keys walk through them: the lecture's order.
var BeyondTabs = []string{"receptive", "1x1", "pool", "lenet", "batchnorm"}

// BeyondConfig is what lesson 5's screen is made from.
type BeyondConfig struct {
	Pictures []data.Picture // the pictures the 1x1 convolution mixes, at least one
	Seed     int64          // seeds the random grids, batches and weights
	// Digit returns the image (1, 28, 28) the LeNet table's network runs
	// on; it is called the first time the LeNet tab opens. Nil leaves the
	// network unrun.
	Digit func() (*tensor.Tensor, error)
}

// ShippedBeyond returns the configuration the page starts the lesson with:
// the photo-like pictures at 32 x 32 and the first MNIST test digit.
func ShippedBeyond() BeyondConfig {
	return BeyondConfig{Pictures: data.Pictures(), Seed: 1, Digit: func() (*tensor.Tensor, error) {
		set, err := ShippedDigits()
		if err != nil {
			return nil, err
		}
		x := tensor.New(1, set.H, set.W)
		set.Image(0, x.Data)
		return x, nil
	}}
}

// NewBeyondScreen returns lesson 5's screen on its first tab.
func NewBeyondScreen(cfg BeyondConfig) *BeyondScreen {
	s := &BeyondScreen{
		info:      lesson.Catalog()[lesson.Index(lesson.BeyondID)],
		m:         lesson.NewBeyond(cfg.Pictures, cfg.Seed),
		tab:       BeyondTabs[0],
		loadDigit: cfg.Digit,
		pics:      map[string]*Picture{},
		frame:     ui.Fit(ui.DesignW, ui.DesignH),
		r:         image.Rect(0, 0, ui.DesignW, ui.DesignH-BarHeight),
	}
	s.refresh()
	return s
}

// Info describes the lesson.
func (s *BeyondScreen) Info() lesson.Info { return s.info }

// Model returns the lesson model. Changes go through Handle.
func (s *BeyondScreen) Model() *lesson.Beyond { return s.m }

// Tab returns the tab on show, one of BeyondTabs.
func (s *BeyondScreen) Tab() string { return s.tab }

// Marks returns what the page draws now, in order. It is rebuilt after
// every change and must not be modified.
func (s *BeyondScreen) Marks() []Mark { return s.marks }

// SetFrame records the page's frame (FrameSetter): pointer positions come
// in CSS pixels, and touch targets must stay 44 CSS pixels at its scale.
func (s *BeyondScreen) SetFrame(f ui.Frame) { s.frame = f }

// Layout places the screen in r.
func (s *BeyondScreen) Layout(r image.Rectangle) {
	s.r = r
	s.refresh()
}

// Widgets appends the screen's controls in tab order.
func (s *BeyondScreen) Widgets(dst []ui.Widget) []ui.Widget { return append(dst, s.widgets...) }

// Tick does nothing: the lesson has no animation.
func (s *BeyondScreen) Tick(float64) {}

// Animating reports false (Animator): the lesson changes only on events.
func (s *BeyondScreen) Animating() bool { return false }

// Next shows the next tab; false on the last.
func (s *BeyondScreen) Next(say *ui.Announcer) bool { return s.stepTab(+1, say) }

// Prev shows the previous tab; false on the first.
func (s *BeyondScreen) Prev(say *ui.Announcer) bool { return s.stepTab(-1, say) }

func (s *BeyondScreen) stepTab(d int, say *ui.Announcer) bool {
	i := beyondTabIndex(s.tab) + d
	if i < 0 || i >= len(BeyondTabs) {
		return false
	}
	s.showTab(BeyondTabs[i], say)
	return true
}

func beyondTabIndex(t string) int {
	for i, x := range BeyondTabs {
		if x == t {
			return i
		}
	}
	return -1
}

// showTab opens tab t and says what it shows.
func (s *BeyondScreen) showTab(t string, say *ui.Announcer) {
	s.tab, s.errCell = t, ""
	if t == "lenet" {
		s.ensureDigit()
	}
	say.Say(beyondTabWords(t, s.m))
	s.refresh()
}

// ensureDigit gives the LeNet table its digit the first time it is needed.
func (s *BeyondScreen) ensureDigit() {
	load := s.loadDigit
	if load == nil {
		return
	}
	s.loadDigit = nil
	x, err := load()
	if err != nil {
		s.digitErr = err.Error()
		return
	}
	s.m.Net.SetDigit(x)
}

// beyondTabLabel is a tab's button text.
func beyondTabLabel(t string) string {
	switch t {
	case "receptive":
		return "Receptive fields"
	case "1x1":
		return "1x1 convolution"
	case "pool":
		return "Pooling"
	case "lenet":
		return "LeNet-5"
	}
	return "Batch norm"
}

func beyondTabTip(t string) string {
	switch t {
	case "receptive":
		return "Which input pixels one unit sees, through a stack of conv layers, strided convolution and pooling."
	case "1x1":
		return "1x1 convolution: a fully connected layer across channels at every pixel."
	case "pool":
		return "Max and average pooling: downsampling with no learnable parameters."
	case "lenet":
		return "LeNet-5: every layer's output shape, weights, parameters and multiply-adds."
	}
	return "Batch normalization: per-channel mean and variance, γ and β, training and test mode."
}

// beyondTabWords says what a tab shows when it opens.
func beyondTabWords(t string, m *lesson.Beyond) string {
	switch t {
	case "receptive":
		f := m.Field
		g := len(f.Sides()) - 1
		return fmt.Sprintf("Receptive fields: after %d layers one unit sees %dx%d of the %dx%d input.", g, f.Seen(g), f.Seen(g), lesson.FieldInput, lesson.FieldInput)
	case "1x1":
		return "1x1 convolution: each output pixel is a weighted sum of the same pixel's red, green and blue, plus a bias."
	case "pool":
		return "Pooling: " + m.Pool.Formula() + "; pooling has no learnable parameters."
	case "lenet":
		p, _ := m.Net.Totals()
		return "LeNet-5: " + lesson.Thousands(p) + " parameters, built from the engine's ledger."
	}
	mode := "training mode: each channel is normalised with this batch's mean and variance"
	if m.Norm.Test() {
		mode = "test mode: each channel uses the running averages"
	}
	return "Batch normalization in " + mode + "."
}

// BeyondScreenState is the lesson's snapshot for window.convlab.state().detail.
type BeyondScreenState struct {
	Tab string `json:"tab"`
	lesson.BeyondState
	Refused string `json:"refused,omitempty"` // the control showing a refused entry, if any
	Problem string `json:"problem,omitempty"` // what could not be loaded
}

// State returns the snapshot window.convlab.state() reports.
func (s *BeyondScreen) State() any {
	return BeyondScreenState{Tab: s.tab, BeyondState: s.m.State(), Refused: s.errCell, Problem: s.digitErr}
}

// Encode returns the lesson's state for the share link and storage: the
// model's link (lesson.Beyond.Encode) and the tab on show.
func (s *BeyondScreen) Encode() string { return s.m.Encode() + "&t=" + s.tab }

// Decode restores what Encode wrote. A malformed string changes nothing
// and says why.
func (s *BeyondScreen) Decode(str string) error {
	tab := s.tab
	if v, err := url.ParseQuery(str); err == nil && v.Has("t") {
		tab = v.Get("t")
		if beyondTabIndex(tab) < 0 {
			return fmt.Errorf("lesson 5 has no tab %q", tab)
		}
	}
	if tab == "lenet" {
		s.ensureDigit()
	}
	m, err := s.m.Decode(str)
	if err != nil {
		return err
	}
	s.m, s.tab, s.errCell, s.drag = m, tab, "", beyondDrag{}
	s.refresh()
	return nil
}

// refresh rebuilds the widgets and the marks after a change.
func (s *BeyondScreen) refresh() {
	s.widgets = s.widgets[:0]
	s.areas = map[string]beyondArea{}
	p := &painter{marks: s.marks[:0]}
	body := s.layoutTabs()
	switch s.tab {
	case "receptive":
		s.paintField(p, body)
	case "1x1":
		s.paintMix(p, body)
	case "pool":
		s.paintPool(p, body)
	case "lenet":
		s.paintNet(p, body)
	case "batchnorm":
		s.paintNorm(p, body)
	}
	s.marks, s.dropped = p.marks, p.dropped
}

// layoutTabs places the tab row and returns the body below it.
func (s *BeyondScreen) layoutTabs() image.Rectangle {
	r := s.r
	x := r.Min.X
	for _, t := range BeyondTabs {
		label := beyondTabLabel(t)
		w := beyondBtnW(label) + 2*ui.U
		s.add(ui.Widget{Name: "tab-" + t, Kind: ui.Choice, Group: "by-tab", Label: label, On: s.tab == t,
			Rect: image.Rect(x, r.Min.Y, x+w, r.Min.Y+ui.Control), Tooltip: beyondTabTip(t)})
		x += w + ui.Gap
	}
	return image.Rect(r.Min.X, r.Min.Y+ui.Control+2*ui.U, r.Max.X, r.Max.Y-beyondStat)
}

// add appends a widget, marking it when it shows a refusal.
func (s *BeyondScreen) add(w ui.Widget) {
	if w.Name == s.errCell && w.Name != "" {
		w.Error = true
	}
	s.widgets = append(s.widgets, w)
}

// touch returns the least side, in units, of a target of 44 CSS pixels at
// the page's scale, rounded up to whole units.
func (s *BeyondScreen) touch() int {
	sc := s.frame.Scale
	if sc <= 0 {
		sc = 1
	}
	t := int(44/sc + 0.999)
	return max(t, 5*ui.U)
}

// Handle acts on one event.
func (s *BeyondScreen) Handle(ev ui.Event, say *ui.Announcer) bool {
	used := s.handle(ev, say)
	if used {
		s.refresh()
	}
	return used
}

func (s *BeyondScreen) handle(ev ui.Event, say *ui.Announcer) bool {
	if ev.Type == ui.Key {
		if ev.Key == "Escape" && s.tab == "pool" {
			if _, _, ok := s.m.Pool.Selected(); ok {
				_ = s.m.Pool.Select(-1, 0)
				say.Say("Pooling: no output chosen.")
				return true
			}
		}
		return false
	}
	if t, ok := strings.CutPrefix(ev.Target, "tab-"); ok && ev.Type == ui.Click && beyondTabIndex(t) >= 0 {
		s.showTab(t, say)
		return true
	}
	switch s.tab {
	case "receptive":
		return s.fieldEvent(ev, say)
	case "1x1":
		return s.mixEvent(ev, say)
	case "pool":
		return s.poolEvent(ev, say)
	case "lenet":
		return s.netEvent(ev, say)
	case "batchnorm":
		return s.normEvent(ev, say)
	}
	return false
}

// areaCell returns the cell (row, column) of an area's grid under a
// pointer event, clamped to the grid.
func (s *BeyondScreen) areaCell(name string, ev ui.Event) (i, j int, ok bool) {
	a, ok := s.areas[name]
	if !ok || a.n <= 0 {
		return 0, 0, false
	}
	var wr image.Rectangle
	for _, w := range s.widgets {
		if w.Name == name {
			wr = w.Rect
		}
	}
	sc := s.frame.Scale
	if sc <= 0 {
		sc = 1
	}
	ux, uy := float64(wr.Min.X)+ev.X/sc, float64(wr.Min.Y)+ev.Y/sc
	cell := float64(a.grid.Dx()) / float64(a.n)
	j = int((ux - float64(a.grid.Min.X)) / cell)
	i = int((uy - float64(a.grid.Min.Y)) / cell)
	return min(max(i, 0), a.n-1), min(max(j, 0), a.n-1), true
}

// editable handles the events every editable number cell takes: a typed
// commit (set), the wheel and a vertical drag (nudge by whole steps), a
// cancel. It reports whether the event was one of them and used.
func (s *BeyondScreen) editable(ev ui.Event, say *ui.Announcer, what string, set func(string) error, nudge func(int) error, now func() string) bool {
	refuse := func(err error) {
		s.errCell = ev.Target
		say.Say(capitalize(what) + ": " + sentence(err.Error()) + " It stays " + now() + ".")
	}
	done := func() {
		if s.errCell == ev.Target {
			s.errCell = ""
		}
		say.Say(capitalize(what) + " = " + now() + ".")
	}
	step := func(n int) bool {
		if n == 0 {
			return false
		}
		if err := nudge(n); err != nil {
			refuse(err)
		} else {
			done()
		}
		return true
	}
	switch ev.Type {
	case ui.Commit:
		if err := set(ev.Text); err != nil {
			refuse(err)
		} else {
			done()
		}
		return true
	case ui.Cancel:
		if s.errCell == ev.Target {
			s.errCell = ""
		}
		say.Say("Edit cancelled: " + what + " stays " + now() + ".")
		return true
	case ui.Wheel:
		return step(ev.Delta)
	case ui.PointerDown:
		s.drag = beyondDrag{name: ev.Target, startY: ev.Y}
		return true
	case ui.PointerMove:
		if s.drag.name != ev.Target {
			return false
		}
		n := ui.DragSteps(ev.Y - s.drag.startY)
		d := n - s.drag.applied
		s.drag.applied = n
		return step(d)
	case ui.PointerUp, ui.PointerLeave:
		// A drag ends when the button comes up; a pointer that leaves
		// without it (the button released where the page did not see it)
		// ends it too, so a later hover is not taken for a drag.
		used := s.drag.name == ev.Target
		if used {
			s.drag = beyondDrag{}
		}
		return used && ev.Type == ui.PointerUp
	}
	return false
}
