package app

import (
	"fmt"
	"image"
	"math/rand"
	"strings"

	"convlab/engine/data"
	"convlab/engine/lesson"
	picfile "convlab/engine/lesson/picture"
	"convlab/engine/ui"
)

// MapsScreen is the activation-maps lesson as the page shows it (slides
// 16–29): a real input on the left, always in view, and on the right one of
// three tabs:
//
//   - "maps": the bank of filters above their activation maps, padding and
//     stride, ReLU, the range of the colour scale, and the probe (hover or
//     click an activation: its value, its receptive field outlined on the
//     input, its dot product written out). Clicking a filter opens it in
//     an editor of typed, dragged and wheeled cells with the presets.
//   - "stack": slide 23's three convolutions with every shape written out.
//   - "compose": slide 25's check that two convolutions without ReLU are
//     one larger convolution.
//
// Every number comes from the lesson model (lesson.Maps); the screen lays
// it out, turns events into model calls and says what changed. After every
// change it rebuilds its widgets, its pictures and its marks (the display
// list the page draws), so Widgets and the page's drawing only read.
//
// The deck keys walk through the tabs: → / PageDown go from the maps to the
// stack to the composition, then on to the next lesson.
type MapsScreen struct {
	info lesson.Info
	m    *lesson.Maps
	src  lesson.Sources
	// loadDigits reads the digits into *src.Digits the first time they
	// are needed; nil once read, or when they came with the sources.
	loadDigits func() (*data.Set, error)
	learned    []mapsLearned
	frame      func() ui.Frame
	r          image.Rectangle // content rectangle from Layout, in units

	tab       string         // MapsTabs: "maps", "stack" or "compose"
	source    string         // the thumbnails shown: "digit", "picture", "colour" or "pad"
	pages     map[string]int // per source, the page of thumbnails shown
	editing   int            // the filter open in the editor, −1 for none
	channel   int            // the editor's channel
	presetAll bool           // presets go on every channel, not only the editor's
	bankPage  int            // which filters the maps tab shows when they do not all fit
	errCell   string         // the widget a refusal belongs to, "" for none
	hover     mapsHover
	drag      mapsDrag
	learnErr  string       // why trained weights could not be read, "" if they all could
	srcErr    string       // why a data set is missing, "" if none is
	reading   *mapsReading // a picture file waiting to be decoded, or nil
	decoded   bool         // the last Tick decoded one

	lay     mapsLayout
	widgets []ui.Widget
	marks   []Mark
	dropped int // lines of text the last paint had no room for (none, the tests check)
	pics    map[string]*Picture
	gen     int // bumped on every rebuild of pictures: their versions
	// limits are the half-widths of the colour scales of pictures that
	// share one: a stack layer's maps ("stack-0"...), the composition's
	// outputs ("comp-two", "comp-one"); "comp-diff" runs from 0.
	limits map[string]float32
}

// mapsHover is the activation under the pointer: map F's (I, J) on the
// maps tab, or unit (I, J) of map F of layer L of the stack.
type mapsHover struct {
	on     bool
	stack  bool
	L, F   int
	I, J   int
	probe  lesson.Probe // the maps tab's probe, computed when the hover changed
	probed bool
}

// mapsReading is a picture file the student chose or dropped, read by the
// page and waiting to be decoded. Decoding a large photo takes a moment, so
// it waits for one frame: the page first shows "Reading photo.jpg…".
type mapsReading struct {
	name string
	size int64
	data []byte
	wait int           // ticks to let pass before decoding
	say  *ui.Announcer // where to say the outcome
}

// mapsDrag follows a vertical drag on an editable cell.
type mapsDrag struct {
	name    string
	startY  float64 // pointer y at the press, CSS px inside the cell
	applied int     // steps already nudged
}

// MapsTabs lists the tabs in the order the page shows them and the deck
// keys walk through them.
var MapsTabs = []string{"maps", "stack", "compose"}

// mapsSources lists the kinds of input, in the order the page offers them.
var mapsSources = []string{"digit", "picture", "pad", "colour"}

// NewMapsScreen returns the activation-maps lesson's screen, on the maps tab
// with the model's first input (lesson.NewMaps). Learned weights that
// cannot be read are left out; the load button's tooltip and the state say
// why.
func NewMapsScreen(cfg MapsConfig) *MapsScreen {
	if cfg.Sources.Digits == nil && cfg.LoadDigits != nil {
		// The model keeps this pointer: ensureDigits fills the set in
		// place when the digits are first needed.
		cfg.Sources.Digits = &data.Set{Name: "digits, not read yet"}
	} else {
		cfg.LoadDigits = nil
	}
	s := &MapsScreen{
		info:       lesson.Catalog()[lesson.Index(lesson.MapsLesson)],
		m:          lesson.NewMaps(cfg.Sources, rand.New(rand.NewSource(cfg.Seed))),
		src:        cfg.Sources,
		loadDigits: cfg.LoadDigits,
		frame:      cfg.Frame,
		tab:        "maps",
		pages:      map[string]int{},
		editing:    -1,
		pics:       map[string]*Picture{},
		limits:     map[string]float32{},
		r:          image.Rect(0, 0, ui.DesignW, ui.DesignH-BarHeight),
	}
	var bad []string
	for _, l := range cfg.Learned {
		w, b, err := LearnedFirstLayer(l.Weights)
		if err != nil {
			bad = append(bad, fmt.Sprintf("the filters learned from %s could not be read (%v)", l.From, err))
			continue
		}
		s.learned = append(s.learned, mapsLearned{from: l.From, w: w, b: b})
	}
	s.learnErr = strings.Join(bad, "; ")
	s.srcErr = cfg.SourceError
	s.source = mapsSourceOf(s.m.InputID())
	s.refresh()
	return s
}

// ensureDigits reads the digits if they are still to be read, and reports
// whether there are any.
func (s *MapsScreen) ensureDigits() bool {
	if load := s.loadDigits; load != nil {
		s.loadDigits = nil
		set, err := load()
		if err != nil {
			s.srcErr = err.Error()
		} else {
			*s.src.Digits = *set
		}
	}
	return s.setLen("digit") > 0
}

// mapsSourceOf returns the kind of an input id: "digit:3" is a "digit",
// either pad is "pad", the student's own picture is a "picture" (it is
// shown first among the pictures).
func mapsSourceOf(id string) string {
	if id == lesson.Upload {
		return "picture"
	}
	kind, _, _ := strings.Cut(id, ":")
	return kind
}

// Info describes the lesson.
func (s *MapsScreen) Info() lesson.Info { return s.info }

// Model returns the lesson model the screen shows. Changes go through Handle.
func (s *MapsScreen) Model() *lesson.Maps { return s.m }

// Tab returns the tab on show, one of MapsTabs.
func (s *MapsScreen) Tab() string { return s.tab }

// Editing returns the filter open in the editor, or −1.
func (s *MapsScreen) Editing() int { return s.editing }

// Marks returns what the page draws for the screen now, in order. It is
// rebuilt after every change and must not be modified.
func (s *MapsScreen) Marks() []Mark { return s.marks }

// Layout places the screen in r (layout units).
func (s *MapsScreen) Layout(r image.Rectangle) {
	s.r = r
	s.refresh()
}

// Widgets appends the screen's controls in tab order.
func (s *MapsScreen) Widgets(dst []ui.Widget) []ui.Widget { return append(dst, s.widgets...) }

// Tick decodes a picture file the student chose, once the page has had a
// frame to say it is reading it. The lesson has no animation.
func (s *MapsScreen) Tick(float64) {
	s.decoded = false
	if s.reading == nil {
		return
	}
	if s.reading.wait > 0 {
		s.reading.wait--
		return
	}
	r := s.reading
	s.reading, s.decoded = nil, true
	r.say.Say(s.usePicture(r.name, r.size, r.data))
	s.refresh()
}

// Animating reports whether the lesson may change without an event
// (app.Animator): while a picture file waits to be decoded, and in the
// frame its decoding changed the input. Otherwise the lesson changes only
// on the student's events.
func (s *MapsScreen) Animating() bool { return s.reading != nil || s.decoded }

// Next shows the next tab; false on the last, so the page moves on.
func (s *MapsScreen) Next(say *ui.Announcer) bool { return s.stepTab(+1, say) }

// Prev shows the previous tab; false on the first.
func (s *MapsScreen) Prev(say *ui.Announcer) bool { return s.stepTab(-1, say) }

func (s *MapsScreen) stepTab(d int, say *ui.Announcer) bool {
	i := mapsTabIndex(s.tab) + d
	if i < 0 || i >= len(MapsTabs) {
		return false
	}
	s.showTab(MapsTabs[i], say)
	return true
}

func mapsTabIndex(t string) int {
	for i, x := range MapsTabs {
		if x == t {
			return i
		}
	}
	return -1
}

// showTab switches to tab t and says what it shows.
func (s *MapsScreen) showTab(t string, say *ui.Announcer) {
	s.tab = t
	s.hover = mapsHover{}
	say.Say(mapsTabWords(t, s.m))
	s.refresh()
}

// MapsScreenState is the lesson's snapshot for window.convlab.state().detail:
// the model's state and what the page shows of it.
type MapsScreenState struct {
	lesson.MapsState
	Tab     string `json:"tab"`
	Source  string `json:"source"`  // the thumbnails shown: digit, picture, colour or pad
	Editing int    `json:"editing"` // the filter open in the editor, −1 for none
	Channel int    `json:"channel"` // the editor's channel
	// PresetAll says presets go on every channel of the filter.
	PresetAll bool `json:"presetAll"`
	// Window is the clicked activation's input window as the filter sees
	// it, (C, K, K) with padding zeros: convolving it with the filter gives
	// the activation before ReLU.
	Window [][][]float32 `json:"window,omitempty"`
	// Hover is the activation under the pointer on the maps tab.
	Hover *lesson.ProbeState `json:"hover,omitempty"`
	// Learned names the trained first layers the page can load.
	Learned []string `json:"learned"`
	// Problems says what could not be loaded: a data set, trained weights.
	Problems string `json:"problems,omitempty"`
	// Reading names a picture file being read, for the frame before it is
	// decoded.
	Reading string `json:"reading,omitempty"`
}

// State returns the snapshot window.convlab.state() reports.
func (s *MapsScreen) State() any {
	st := MapsScreenState{MapsState: s.m.State(), Tab: s.tab, Source: s.source, Editing: s.editing,
		Channel: s.channel, PresetAll: s.presetAll, Learned: []string{}}
	if p, ok := s.m.Selected(); ok {
		st.Window = mapsWindow(p.Dot)
	}
	if h := s.hover; h.on && h.probed {
		st.Hover = mapsProbeState(h.probe)
	}
	for _, l := range s.learned {
		st.Learned = append(st.Learned, l.from)
	}
	st.Problems = strings.TrimPrefix(s.srcErr+"; "+s.learnErr, "; ")
	st.Problems = strings.TrimSuffix(st.Problems, "; ")
	if s.reading != nil {
		st.Reading = picfile.Name(s.reading.name)
	}
	return st
}

// mapsWindow returns the input values of a dot product, (C, K, K).
func mapsWindow(d lesson.Dot) [][][]float32 {
	out := make([][][]float32, d.Channels)
	for c := range out {
		out[c] = make([][]float32, d.K)
		for u := range out[c] {
			out[c][u] = make([]float32, d.K)
			for v := range out[c][u] {
				out[c][u][v] = d.Terms[(c*d.K+u)*d.K+v].X
			}
		}
	}
	return out
}

// mapsProbeState writes a probe as the model's state writes the clicked one.
func mapsProbeState(p lesson.Probe) *lesson.ProbeState {
	return &lesson.ProbeState{Filter: p.F, Row: p.I, Col: p.J, Value: p.Value, PreReLU: p.PreReLU,
		Field: [4]int{p.Field.Min.X, p.Field.Min.Y, p.Field.Max.X, p.Field.Max.Y},
		Sum:   p.Dot.Sum, Bias: p.Dot.Bias, Terms: len(p.Dot.Terms), Dot: p.Dot.Brief()}
}

// Encode returns the lesson's settings (lesson.MapsSettings) and the tab on
// show, for the share link and the browser's storage: "<tab>.<settings>".
func (s *MapsScreen) Encode() string { return s.tab + "." + s.m.Settings().Encode() }

// Decode restores what Encode wrote. A malformed string changes nothing and
// says why.
func (s *MapsScreen) Decode(str string) error {
	tab, settings, ok := strings.Cut(str, ".")
	if !ok || mapsTabIndex(tab) < 0 {
		return fmt.Errorf("the activation-maps part of the link should start with one of %s and a dot", strings.Join(MapsTabs, ", "))
	}
	set, err := lesson.DecodeMapsSettings(settings)
	if err != nil {
		return err
	}
	if mapsSourceOf(set.Input) == "digit" {
		s.ensureDigits()
	}
	if err := s.m.Restore(set); err != nil {
		return err
	}
	s.tab, s.editing, s.channel, s.hover, s.errCell = tab, -1, 0, mapsHover{}, ""
	s.source = mapsSourceOf(s.m.InputID())
	s.refresh()
	return nil
}

// refresh rebuilds the layout, the widgets, the pictures and the marks
// after a change.
func (s *MapsScreen) refresh() {
	if b := s.m.Bank(); s.editing >= b.Filters() {
		s.editing = -1
	}
	if s.channel >= s.m.Bank().Channels() {
		s.channel = 0
	}
	if s.m.Message() == "" {
		s.errCell = ""
	}
	s.reprobe() // the hovered activation may have changed with the model
	s.layout()
	s.pictures()
	s.paint()
}

// SetFrame records the page's frame (app.FrameSetter): pointer positions
// arrive in CSS pixels and the frame turns them into units.
func (s *MapsScreen) SetFrame(f ui.Frame) {
	s.frame = func() ui.Frame { return f }
}

// scale returns CSS pixels per layout unit now.
func (s *MapsScreen) scale() float64 {
	if s.frame == nil {
		return 1
	}
	if f := s.frame(); f.Scale > 0 {
		return f.Scale
	}
	return 1
}
