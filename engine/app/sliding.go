package app

import (
	"fmt"
	"image"
	"math"
	"strconv"
	"strings"

	"convlab/engine/lesson"
	"convlab/engine/ui"
)

// SlidingScreen is the sliding-filter lesson as the page shows it
// (slides 12–22, 30–37): the zero-padded input, the filter and its bias,
// the output filling cell by cell, the arithmetic of the current cell
// written out, and below them the step controls and a drawer of tabs
// (filter presets, input patterns, shape settings, check yourself).
//
// All numbers come from the lesson model (lesson.Sliding); the screen only
// lays them out, turns events into model calls and says what changed. After
// every change it rebuilds its widgets and its View, so Widgets and the
// page's drawing only read.
type SlidingScreen struct {
	info lesson.Info
	m    *lesson.Sliding
	r    image.Rectangle // content rectangle from Layout, in units
	tab  string          // the open tab ("filter", "input", "shape", "check"), "" when the drawer is closed
	edit int             // channels mode: the filter the presets replace

	predictText string // what the student last typed as the next value
	sizeText    string // what the student last typed as the output size
	drag        slidingDrag

	lay     slidingLayout
	view    SlidingView
	widgets []ui.Widget
	cells   map[string]lesson.Cell // widget name -> the number it shows
}

// slidingDrag follows a vertical drag on an editable cell.
type slidingDrag struct {
	name    string
	cell    lesson.Cell
	startY  float64 // pointer y at the press, CSS px inside the cell
	applied int     // steps already nudged
}

// SlidingTabs lists the drawer's tabs in the order the page shows them.
var SlidingTabs = []string{"filter", "input", "shape", "check"}

// NewSlidingScreen returns the sliding-filter lesson's screen in its opening
// state (lesson.NewSliding): the 7x7 digit, the Sobel x filter, padding 1,
// stride 1, with the filter tab open. seed drives the random presets and
// patterns.
func NewSlidingScreen(seed int64) *SlidingScreen {
	s := &SlidingScreen{
		info: lesson.Catalog()[lesson.Index(lesson.SlidingID)],
		m:    lesson.NewSliding(seed),
		tab:  "filter",
		r:    image.Rect(0, 0, ui.DesignW, ui.DesignH-BarHeight),
	}
	s.refresh()
	return s
}

// Info describes the lesson.
func (s *SlidingScreen) Info() lesson.Info { return s.info }

// Model returns the lesson model the screen shows. The page reads it to
// draw; changes go through Handle.
func (s *SlidingScreen) Model() *lesson.Sliding { return s.m }

// Tab returns the open tab, "" when the drawer is closed.
func (s *SlidingScreen) Tab() string { return s.tab }

// View returns what the page draws now. It is rebuilt after every change
// and must not be modified.
func (s *SlidingScreen) View() *SlidingView { return &s.view }

// Layout places the screen in r (layout units).
func (s *SlidingScreen) Layout(r image.Rectangle) {
	s.r = r
	s.refresh()
}

// Widgets appends the screen's controls in tab order: the step controls,
// the tabs, the open tab's controls, the grids' cells and the fixes.
func (s *SlidingScreen) Widgets(dst []ui.Widget) []ui.Widget { return append(dst, s.widgets...) }

// Tick advances the animation by dt seconds.
func (s *SlidingScreen) Tick(dt float64) {
	playing := s.m.Playing()
	if s.m.Tick(dt) || playing != s.m.Playing() {
		s.refresh()
	}
}

// Animating reports whether the filter is playing: it then moves without
// an event (app.Animator).
func (s *SlidingScreen) Animating() bool { return s.m.Playing() }

// Next takes one step, as the → key and a presenter's clicker do. It
// reports false, changing nothing, at the last cell or when the shape has
// no output, so the page moves on to the next lesson.
func (s *SlidingScreen) Next(say *ui.Announcer) bool { return s.deck(s.m.Step(), say) }

// Prev steps back one cell; false before the first cell.
func (s *SlidingScreen) Prev(say *ui.Announcer) bool { return s.deck(s.m.Back(), say) }

// deck finishes a step the deck keys took: it says what the step did, or
// reports false when there was nowhere to go.
func (s *SlidingScreen) deck(mv lesson.Move, say *ui.Announcer) bool {
	if mv == lesson.AtEnd || mv == lesson.AtStart || mv == lesson.NoOutput {
		return false
	}
	s.predictText = ""
	say.Say(s.moveWords(mv))
	s.refresh()
	return true
}

// Handle acts on one event aimed at the screen's widgets, or a key.
func (s *SlidingScreen) Handle(ev ui.Event, say *ui.Announcer) bool {
	used := s.handle(ev, say)
	if used {
		s.refresh()
	}
	return used
}

func (s *SlidingScreen) handle(ev ui.Event, say *ui.Announcer) bool {
	if ev.Type == ui.Key {
		return s.key(ev, say)
	}
	if c, ok := s.cells[ev.Target]; ok {
		return s.cellEvent(ev, c, say)
	}
	switch ev.Target {
	case "speed":
		if ev.Type != ui.Change {
			return false
		}
		s.m.SetSpeed(math.Pow(2, ev.Value))
		say.Say("Speed: " + speedWords(s.m.Speed()) + ".")
		return true
	case "predict", "predict-size":
		return s.predictEvent(ev, say)
	}
	if ev.Type != ui.Click {
		return false
	}
	return s.click(ev.Target, say)
}

// click acts on a button, toggle or choice.
func (s *SlidingScreen) click(name string, say *ui.Announcer) bool {
	m := s.m
	switch name {
	case "step":
		mv := m.Step()
		s.predictText = ""
		say.Say(s.moveWords(mv))
		return true
	case "back":
		mv := m.Back()
		s.predictText = ""
		say.Say(s.moveWords(mv))
		return true
	case "play":
		switch {
		case m.Playing():
			m.Pause()
			say.Say("Paused.")
		case m.Steps() == 0:
			say.Say(s.moveWords(lesson.NoOutput))
		default:
			m.Play()
			say.Say("Playing at " + speedWords(m.Speed()) + ".")
		}
		return true
	case "reset":
		m.Reset()
		m.ClearSelection()
		s.predictText = ""
		say.Say("Reset: the output is cleared and the filter waits before output (0,0).")
		return true
	case "channels":
		m.SetChannels(!m.ChannelsMode())
		s.edit = 0
		if m.ChannelsMode() {
			say.Say(fmt.Sprintf("Channels: %s; weights %s; bias %s. Filters always extend the full depth of the input.",
				m.ShapeText(), m.WeightShapeText(), m.BiasShapeText()))
		} else {
			say.Say("One channel and one filter: " + m.ShapeText() + ".")
		}
		return true
	case "predict-mode":
		m.SetPredictMode(!m.PredictMode())
		if m.PredictMode() {
			s.tab = "check"
			say.Say("Predict mode on: each step waits for your value. Type it in Next value, or press Step to see it.")
		} else {
			say.Say("Predict mode off.")
		}
		return true
	}
	switch {
	case strings.HasPrefix(name, "tab-"):
		t := strings.TrimPrefix(name, "tab-")
		if !validTab(t) {
			return false
		}
		if s.tab == t {
			s.tab = "" // a second click closes the drawer, leaving more room
			say.Say("Controls hidden: click a tab to show them again.")
		} else {
			s.tab = t
			say.Say(tabTitle(t) + " tab.")
		}
		return true
	case strings.HasPrefix(name, "edit-filter-"):
		o, err := strconv.Atoi(strings.TrimPrefix(name, "edit-filter-"))
		if err != nil || o < 0 || o >= m.Filters() {
			return false
		}
		s.edit = o
		say.Say(fmt.Sprintf("Presets now replace filter %d.", o))
		return true
	case strings.HasPrefix(name, "preset-"):
		p := presetByName(strings.TrimPrefix(name, "preset-"), lesson.KernelPresets)
		if p == "" {
			return false
		}
		o := min(s.edit, m.Filters()-1)
		if err := m.SetPreset(o, p); err != nil {
			say.Say(err.Error())
			return true
		}
		who := "Filter"
		if m.ChannelsMode() {
			who = fmt.Sprintf("Filter %d", o)
		}
		say.Say(who + ": " + p + " preset. " + s.currentWords())
		return true
	case strings.HasPrefix(name, "pattern-"):
		p := presetByName(strings.TrimPrefix(name, "pattern-"), lesson.InputPatterns)
		if p == "" {
			return false
		}
		if err := m.SetPattern(p); err != nil {
			say.Say(err.Error())
			return true
		}
		m.ClearSelection()
		say.Say("Input: " + p + " pattern. " + s.currentWords())
		return true
	case strings.HasPrefix(name, "fix-"):
		i, err := strconv.Atoi(strings.TrimPrefix(name, "fix-"))
		fixes := m.Fixes()
		if err != nil || i < 0 || i >= len(fixes) {
			return false
		}
		if err := m.Apply(fixes[i]); err != nil {
			say.Say(err.Error())
			return true
		}
		say.Say(capitalize(fixes[i].Setting) + " " + strconv.Itoa(fixes[i].Value) + ": " + s.shapeWords())
		return true
	}
	for _, set := range slidingSettings {
		v, ok := strings.CutPrefix(name, set.name+"-")
		if !ok {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			return false
		}
		if err := set.apply(m, n); err != nil {
			say.Say(err.Error())
			return true
		}
		say.Say(set.title + " " + v + ": " + s.shapeWords())
		return true
	}
	return false
}

// slidingSettings are the shape choices: their target prefix, the values
// offered and how to apply one.
var slidingSettings = []struct {
	name, title string
	values      []int
	apply       func(m *lesson.Sliding, v int) error
}{
	{"padding", "Padding", []int{0, 1, 2}, (*lesson.Sliding).SetPadding},
	{"stride", "Stride", []int{1, 2, 3}, (*lesson.Sliding).SetStride},
	{"kernel", "Kernel", []int{1, 3, 5}, (*lesson.Sliding).SetKernel},
	{"size", "Input size", []int{5, 6, 7, 8, 9}, (*lesson.Sliding).SetSize},
}

// settingValue returns the model's current value of a shape setting.
func settingValue(m *lesson.Sliding, name string) int {
	switch name {
	case "padding":
		return m.Padding()
	case "stride":
		return m.Stride()
	case "kernel":
		return m.Kernel()
	}
	return m.Size()
}

// cellEvent acts on an event aimed at a grid cell.
func (s *SlidingScreen) cellEvent(ev ui.Event, c lesson.Cell, say *ui.Announcer) bool {
	m := s.m
	name := m.Name(c)
	switch ev.Type {
	case ui.Click:
		switch c.Kind {
		case lesson.OutputCell:
			mv, err := m.JumpTo(c.O, c.Y, c.X)
			if err != nil {
				say.Say(err.Error())
				return true
			}
			s.predictText = ""
			say.Say(s.moveWords(mv))
		case lesson.InputCell:
			if sel, ok := m.Selected(); ok && sel == c {
				return true // already selected: this click starts typing
			}
			m.Select(c.C, c.Y, c.X)
			say.Say(s.feedsWords(c))
		default:
			return false // a weight or the bias: the click only focuses it for typing
		}
		return true
	case ui.Commit:
		if err := m.Set(c, ev.Text); err != nil {
			say.Say(capitalize(cellWords(m, c)) + ": " + sentence(err.Error()) + " It stays " + valueText(m, c) + ".")
			return true
		}
		say.Say(capitalize(cellWords(m, c)) + " = " + valueText(m, c) + ". " + s.currentWords())
		return true
	case ui.Cancel:
		if msg := m.LastMessage(); msg.Target == name {
			m.ClearMessage()
		}
		say.Say("Edit cancelled: " + cellWords(m, c) + " stays " + valueText(m, c) + ".")
		return true
	case ui.Wheel:
		return s.nudge(c, float64(ev.Delta), say)
	case ui.PointerDown:
		s.drag = slidingDrag{name: ev.Target, cell: c, startY: ev.Y}
		return true
	case ui.PointerMove:
		if s.drag.name != ev.Target {
			return false // hovering
		}
		steps := ui.DragSteps(ev.Y - s.drag.startY)
		if steps == s.drag.applied {
			return false
		}
		d := steps - s.drag.applied
		s.drag.applied = steps
		return s.nudge(c, float64(d), say)
	case ui.PointerUp:
		used := s.drag.name == ev.Target
		s.drag = slidingDrag{}
		return used
	}
	return false
}

// nudge changes an editable cell by steps notches and says so.
func (s *SlidingScreen) nudge(c lesson.Cell, steps float64, say *ui.Announcer) bool {
	if c.Kind == lesson.OutputCell || steps == 0 {
		return false
	}
	if err := s.m.Nudge(c, steps); err != nil {
		say.Say(err.Error())
		return true
	}
	say.Say(capitalize(cellWords(s.m, c)) + " = " + valueText(s.m, c) + ". " + s.currentWords())
	return true
}

// predictEvent acts on the two prediction fields.
func (s *SlidingScreen) predictEvent(ev ui.Event, say *ui.Announcer) bool {
	m := s.m
	switch ev.Type {
	case ui.Commit:
		var v lesson.Verdict
		var err error
		if ev.Target == "predict" {
			s.predictText = ev.Text
			v, err = m.Predict(ev.Text)
		} else {
			s.sizeText = ev.Text
			v, err = m.PredictSize(ev.Text)
		}
		if err != nil {
			say.Say(err.Error())
		} else {
			say.Say(withoutTry(v.Text))
		}
		return true
	case ui.Cancel:
		if m.LastMessage().Target == ev.Target && m.LastMessage().Error {
			m.ClearMessage()
		}
		return true
	}
	return false
}

// key handles Escape, which forgets the clicked input cell and a message;
// every other key is left to the page (the deck keys call Next and Prev).
func (s *SlidingScreen) key(ev ui.Event, say *ui.Announcer) bool {
	if ev.Key != "Escape" {
		return false
	}
	_, sel := s.m.Selected()
	msg := s.m.LastMessage().Text != ""
	if !sel && !msg {
		return false
	}
	s.m.ClearSelection()
	s.m.ClearMessage()
	say.Say("Selection cleared.")
	return true
}

// State is the lesson's snapshot for window.convlab.state().detail: the
// model's state and the open tab.
func (s *SlidingScreen) State() any {
	return struct {
		lesson.SlidingState
		Tab      string `json:"tab"`
		CellSize int    `json:"cellSize"` // side of a grid cell in layout units
	}{s.m.State(), s.tab, s.lay.cell}
}

// Encode writes the lesson for the page's link and storage: the model's
// link (lesson.Sliding.Encode) and the open tab.
func (s *SlidingScreen) Encode() string { return s.m.Encode() + "&tab=" + s.tab }

// Decode restores a state Encode wrote. On an error it changes nothing. A
// tab this page does not have is ignored: it costs the student nothing.
func (s *SlidingScreen) Decode(link string) error {
	var keep []string
	tab, hasTab := "", false
	for _, kv := range strings.Split(strings.TrimPrefix(link, "#"), "&") {
		if v, ok := strings.CutPrefix(kv, "tab="); ok {
			tab, hasTab = v, true
			continue
		}
		keep = append(keep, kv)
	}
	m, err := lesson.DecodeSliding(strings.Join(keep, "&"))
	if err != nil {
		return err
	}
	s.m, s.edit, s.predictText, s.sizeText, s.drag = m, 0, "", "", slidingDrag{}
	if hasTab && (tab == "" || validTab(tab)) {
		s.tab = tab
	}
	s.refresh()
	return nil
}

func validTab(t string) bool {
	for _, v := range SlidingTabs {
		if v == t {
			return true
		}
	}
	return false
}

func tabTitle(t string) string {
	switch t {
	case "check":
		return "Check yourself"
	case "input":
		return "Input"
	}
	return capitalize(t)
}

// presetByName finds the name in names whose target form (spaces as '-')
// is key.
func presetByName(key string, names []string) string {
	for _, n := range names {
		if targetForm(n) == key {
			return n
		}
	}
	return ""
}

// targetForm writes a preset or pattern name as a target name: "sobel x" ->
// "sobel-x".
func targetForm(name string) string { return strings.ReplaceAll(name, " ", "-") }

// capitalize upper-cases the first letter of an ASCII word.
func capitalize(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// speedWords writes a play speed: "2 steps a second".
func speedWords(v float64) string {
	return lesson.FormatNumber(float32(roundTo(v, 2))) + " steps a second"
}

// roundTo rounds v to the given number of significant digits.
func roundTo(v float64, digits int) float64 {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return v
	}
	p := math.Pow(10, float64(digits-1)-math.Floor(math.Log10(math.Abs(v))))
	return math.Round(v*p) / p
}

// cellWords names a cell in a sentence: "weight (0,2)", "input (3,4)",
// "the bias", "output (1,1)"; in the channels mode with every index:
// "channel 1 input (3,4)", "filter 1 weight (channel 2, 0,2)".
func cellWords(m *lesson.Sliding, c lesson.Cell) string {
	multi := m.ChannelsMode()
	switch c.Kind {
	case lesson.InputCell:
		if multi {
			return fmt.Sprintf("channel %d input (%d,%d)", c.C, c.Y, c.X)
		}
		return fmt.Sprintf("input (%d,%d)", c.Y, c.X)
	case lesson.WeightCell:
		if multi {
			return fmt.Sprintf("filter %d weight (channel %d, %d,%d)", c.O, c.C, c.Y, c.X)
		}
		return fmt.Sprintf("weight (%d,%d)", c.Y, c.X)
	case lesson.BiasCell:
		if multi {
			return fmt.Sprintf("filter %d's bias", c.O)
		}
		return "the bias"
	}
	if multi {
		return fmt.Sprintf("map %d output (%d,%d)", c.O, c.Y, c.X)
	}
	return fmt.Sprintf("output (%d,%d)", c.Y, c.X)
}

// value returns the number a cell shows now.
func value(m *lesson.Sliding, c lesson.Cell) float32 {
	switch c.Kind {
	case lesson.InputCell:
		return m.Input(c.C, c.Y, c.X)
	case lesson.WeightCell:
		return m.Weight(c.O, c.C, c.Y, c.X)
	case lesson.BiasCell:
		return m.Bias(c.O)
	}
	v, _ := m.Output(c.O, c.Y, c.X)
	return v
}

// valueText writes the number a cell shows, as the page writes it.
func valueText(m *lesson.Sliding, c lesson.Cell) string { return lesson.FormatNumber(value(m, c)) }

// moveWords says what a step did.
func (s *SlidingScreen) moveWords(mv lesson.Move) string {
	m := s.m
	switch mv {
	case lesson.NoOutput:
		_, err := m.OutputSize()
		return fmt.Sprintf("Nothing to step through: %v. Pick one of the fixes beside the input.", err)
	case lesson.AtEnd:
		return fmt.Sprintf("All %d outputs are computed. Press Reset to start again, or → to move on.", m.Steps())
	case lesson.AtStart:
		return "The filter is back before the first output cell."
	}
	o, i, j, ok := m.Position()
	if !ok {
		return "The filter waits before the first output cell."
	}
	where := cellWords(m, lesson.OutputAt(o, i, j))
	if mv == lesson.Asked {
		return capitalize(where) + ": predict its value, then press Step to see it."
	}
	d, _ := m.Arithmetic()
	if len(d.Terms) == 1 {
		return capitalize(where) + " = " + d.ValueText + ": " + d.Line() + "."
	}
	return capitalize(where) + " = " + d.ValueText + ": " + d.Reason() + "."
}

// currentWords says the current cell's value after an edit, or that every
// output was recomputed.
func (s *SlidingScreen) currentWords() string {
	m := s.m
	if m.Steps() == 0 {
		return "There is no output for this shape."
	}
	o, i, j, ok := m.Position()
	if !ok || m.Asking() {
		return "Every output is recomputed."
	}
	d, _ := m.Arithmetic()
	return capitalize(cellWords(m, lesson.OutputAt(o, i, j))) + " is now " + d.ValueText + "."
}

// shapeWords says the output size of the current shape, or why there is none.
func (s *SlidingScreen) shapeWords() string {
	m := s.m
	h, err := m.OutputSize()
	if err != nil {
		return fmt.Sprintf("no output, because %v. The fixes are beside the input.", err)
	}
	return fmt.Sprintf("%s, so the output is %dx%d (%s).", m.Formula(), h, h, m.ShapeText())
}

// feedsWords says which outputs an input cell feeds.
func (s *SlidingScreen) feedsWords(c lesson.Cell) string {
	feeds := s.m.Feeds(c.Y, c.X)
	if len(feeds) == 0 {
		return capitalize(cellWords(s.m, c)) + " feeds no output."
	}
	return fmt.Sprintf("%s feeds %d output cells, highlighted in blue.", capitalize(cellWords(s.m, c)), len(feeds))
}

// sentence ends s with a full stop unless it already ends a sentence.
func sentence(s string) string {
	if s == "" || strings.HasSuffix(s, ".") || strings.HasSuffix(s, "?") || strings.HasSuffix(s, "!") {
		return s
	}
	return s + "."
}

// withoutTry drops the suggestions a verdict on a shape with no output
// ends with ("… Try: use stride 1 (4x4 output) …"): the page shows them as
// fix buttons beside the input.
func withoutTry(text string) string {
	if i := strings.Index(text, " Try: "); i >= 0 {
		return text[:i]
	}
	return text
}
