package app

import (
	"encoding/json"
	"fmt"
	"image"
	"math"
	"strings"
	"testing"

	"convlab/engine/lesson"
	"convlab/engine/nn"
	"convlab/engine/ui"
)

// fcApp returns an app showing the fully-connected-vs-convolution screen,
// made from the shipped sources, laid out for a window of w x h CSS px.
func fcApp(t testing.TB, w, h float64) (*App, *FCScreen) {
	t.Helper()
	s := NewFCScreen(ShippedFC())
	if s.Model() == nil {
		t.Fatal(s.err)
	}
	ss := placeholders()
	ss[0] = s
	a := New(ss)
	a.Resize(w, h)
	return a, s
}

// fcSizes are the windows the layout is checked at: a 1024x768 projector,
// a 1280x800 laptop, and the shortest layout, 1280x720, where touch
// targets may shrink.
var fcSizes = []struct {
	w, h  float64
	touch bool
}{{1024, 768, true}, {1280, 800, true}, {1280, 720, false}}

func fcClick(a *App, name string) { a.Handle(ui.Event{Type: ui.Click, Target: name}) }

func fcMessage(a *App) string { msg, _ := a.Announcer().Last(); return msg }

// fcState returns the screen's state as the page's JSON gives it.
func fcState(t *testing.T, s *FCScreen) FCScreenState {
	t.Helper()
	b, err := json.Marshal(s.State())
	if err != nil {
		t.Fatal(err)
	}
	var st FCScreenState
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	return st
}

// checkFCLayout checks the page as it is now (see checkPage).
func checkFCLayout(t *testing.T, a *App, s *FCScreen, touch bool, what string) {
	t.Helper()
	checkPage(t, a, s.Marks(), s.dropped, touch, what)
}

// fcText returns every text mark's words, one a line.
func fcText(s *FCScreen) string {
	var b strings.Builder
	for _, mk := range s.Marks() {
		if mk.Kind == TextMark {
			b.WriteString(mk.Text + "\n")
		}
	}
	return b.String()
}

func TestFCLayout(t *testing.T) {
	for _, sz := range fcSizes {
		a, s := fcApp(t, sz.w, sz.h)
		for _, src := range []string{"digits", "pictures", "shifted"} {
			if src == "shifted" {
				// Long numbers: every score written with its old value.
				for i := 0; i < 8; i++ {
					fcClick(a, "shift-left")
					fcClick(a, "shift-down")
				}
			} else {
				fcClick(a, "source-"+src)
			}
			for _, tab := range FCTabs {
				fcClick(a, "tab-"+tab)
				what := fmt.Sprintf("%vx%v %s %s", sz.w, sz.h, src, tab)
				checkFCLayout(t, a, s, sz.touch, what)
				if !sz.touch {
					continue
				}
				// The caption is written out whole.
				if got := strings.Join(strings.Fields(fcCaptionText(s)), " "); got != fcCaption(tab) {
					t.Errorf("%s: the caption reads %q", what, got)
				}
			}
		}
		// The scores tab writes every line of the dot product.
		fcClick(a, "tab-scores")
		if sz.touch && !strings.Contains(fcText(s), "pushes down most") {
			t.Errorf("%vx%v: the written dot product lost its last lines:\n%s", sz.w, sz.h, fcText(s))
		}
	}
}

// fcCaptionText returns the words written in the caption's box.
func fcCaptionText(s *FCScreen) string {
	var parts []string
	for _, mk := range s.Marks() {
		if mk.Kind == TextMark && mk.Rect.In(s.lay.cap) {
			parts = append(parts, mk.Text)
		}
	}
	return strings.Join(parts, " ")
}

func TestFCTabsAndDeckKeys(t *testing.T) {
	a, s := fcApp(t, 1280, 800)
	if s.Tab() != "stretch" {
		t.Fatalf("opens on %q", s.Tab())
	}
	for _, want := range FCTabs[1:] {
		a.Handle(ui.Event{Type: ui.Key, Key: "ArrowRight"})
		if s.Tab() != want || a.Index() != 0 {
			t.Fatalf("→ shows %q of lesson %d, want %q", s.Tab(), a.Index(), want)
		}
		if !strings.HasPrefix(fcMessage(a), fcCaption(want)[:20]) {
			t.Errorf("moving to %s says %q", want, fcMessage(a))
		}
	}
	a.Handle(ui.Event{Type: ui.Key, Key: "PageDown"})
	if a.Index() != 1 {
		t.Errorf("→ on the last tab stays on lesson %d", a.Index())
	}
	a.Handle(ui.Event{Type: ui.Key, Key: "PageUp"})
	a.Handle(ui.Event{Type: ui.Key, Key: "ArrowLeft"})
	if a.Index() != 0 || s.Tab() != "conv" {
		t.Errorf("back: lesson %d, tab %q", a.Index(), s.Tab())
	}
	fcClick(a, "tab-stretch")
	if s.Tab() != "stretch" || !fcWidget(a, "tab-stretch").On || fcWidget(a, "tab-conv").On {
		t.Errorf("clicking the first tab: %q", s.Tab())
	}
}

// fcWidget returns the widget called name, failing the test if there is none.
func fcWidget(a *App, name string) ui.Widget {
	w, _ := ui.Find(a.Widgets(), name)
	return w
}

// pointAt sends a pointer event at the centre of cell (row, col) of a
// grid of rows x cols drawn over the widget called name.
func pointAt(a *App, typ ui.EventType, name string, row, col, rows, cols int) {
	w := fcWidget(a, name)
	_, _, wd, h := a.Frame().CSS(w.Rect)
	a.Handle(ui.Event{Type: typ, Target: name, X: (float64(col) + 0.5) * wd / float64(cols), Y: (float64(row) + 0.5) * h / float64(rows)})
}

func TestFCStretch(t *testing.T) {
	for _, sz := range fcSizes[:2] {
		a, s := fcApp(t, sz.w, sz.h)
		// Pixel (1, 5, 12) of the green channel is x[(1·32 + 5)·32 + 12] = x[1196].
		pointAt(a, ui.Click, "plane-1", 5, 12, 32, 32)
		st := fcState(t, s)
		if st.Index.I != 1196 || st.Index.C != 1 || st.Index.Y != 5 || st.Index.X != 12 {
			t.Fatalf("%vx%v: clicking green (5, 12) shows %+v", sz.w, sz.h, st.Index)
		}
		if msg := fcMessage(a); !strings.Contains(msg, "(1·32 + 5)·32 + 12 = 1196") {
			t.Errorf("the click says %q", msg)
		}
		if !strings.Contains(fcText(s), "(1·32 + 5)·32 + 12 = 1196") || !strings.Contains(fcText(s), "back: c = 1196 ÷ 1024 = 1") {
			t.Errorf("the formula box does not work out 1196:\n%s", fcText(s))
		}
		// And back: place 2048 + 3·32 + 7 of the column is blue (3, 7).
		pointAt(a, ui.PointerMove, "strip", 0, 2048+3*32+7, 1, lesson.FCLen)
		if st := fcState(t, s); st.Index.I != 2151 || st.Index.C != 2 || st.Index.Y != 3 || st.Index.X != 7 {
			t.Errorf("%vx%v: hovering place 2151 of the column shows %+v", sz.w, sz.h, st.Index)
		}
		if st.Index.Value != s.Model().Picture().Data[1196] {
			t.Errorf("the state's value %v is not x[1196]", st.Index.Value)
		}
		// The picture on the left picks a pixel of the channel shown.
		pointAt(a, ui.PointerMove, "picture", 20, 30, 32, 32)
		if st := fcState(t, s); st.Index.I != lesson.FCIndex(2, 20, 30) {
			t.Errorf("hovering the picture at (20, 30) shows %+v", st.Index)
		}
		// Arrow keys move it when the column has the focus: +1, then a row.
		a.Handle(ui.Event{Type: ui.Focus, Target: "strip"})
		a.Handle(ui.Event{Type: ui.Key, Key: "ArrowRight"})
		a.Handle(ui.Event{Type: ui.Key, Key: "ArrowDown"})
		if st := fcState(t, s); st.Index.I != lesson.FCIndex(2, 21, 31) || s.Tab() != "stretch" {
			t.Errorf("→ and ↓ on the column: %+v, tab %q", st.Index, s.Tab())
		}
		a.Handle(ui.Event{Type: ui.Blur, Target: "strip"})
		a.Handle(ui.Event{Type: ui.Key, Key: "ArrowRight"})
		if s.Tab() != "scores" {
			t.Errorf("without the focus → is a deck key; tab %q", s.Tab())
		}
	}
}

func TestFCStretchPlay(t *testing.T) {
	a, s := fcApp(t, 1280, 800)
	fcClick(a, "stretch-play")
	if st := fcState(t, s); st.StretchFilled != 0 || !fcWidget(a, "stretch-play").On || fcWidget(a, "stretch-play").Label != "Stop" {
		t.Fatalf("playing: %d filled, toggle %+v", st.StretchFilled, fcWidget(a, "stretch-play"))
	}
	v := s.pics["strip"].Version
	a.Tick(0.5)
	if st := fcState(t, s); st.StretchFilled != 12*32 || s.pics["strip"].Version == v {
		t.Errorf("after half a second %d values (want 384), strip version %d -> %d", st.StretchFilled, v, s.pics["strip"].Version)
	}
	// The filled part of the strip is the column, the rest empty.
	img := s.pics["strip"].Img
	c := img.RGBAAt(12*32-1, 0)
	if want := fcValueColour(0, s.Model().Picture().Data[12*32-1]); c != want {
		t.Errorf("place 383 is drawn %v, want %v", c, want)
	}
	if c := img.RGBAAt(12*32, 0); c != fcEmpty {
		t.Errorf("place 384, not filled yet, is drawn %v", c)
	}
	if !strings.Contains(fcText(s), "Row 12 of 96 is in: red row 11 is x[352 … 383].") {
		t.Errorf("the note does not follow the stretch:\n%s", fcText(s))
	}
	a.Tick(10)
	if st := fcState(t, s); st.StretchFilled != 3072 || fcWidget(a, "stretch-play").On {
		t.Errorf("at the end: %d values, still playing %v", st.StretchFilled, fcWidget(a, "stretch-play").On)
	}
}

func TestFCScores(t *testing.T) {
	a, s := fcApp(t, 1024, 768)
	fcClick(a, "tab-scores")
	m := s.Model()
	st := fcState(t, s)
	if st.Row != 0 || st.Predicted != 0 || len(st.Scores) != 10 {
		t.Fatalf("digit 0: row %d, predicted %d, %d scores", st.Row, st.Predicted, len(st.Scores))
	}
	fcClick(a, "row-7")
	st = fcState(t, s)
	if st.Row != 7 || st.Dot.Row != 7 || st.Dot.Terms != 3072 {
		t.Fatalf("clicking row 7: %+v", st.Dot)
	}
	// The score is the engine's: W's row 7 dot x plus b[7], by hand here.
	var want float64
	w := m.Weights().Data[7*3072 : 8*3072]
	for i, x := range m.Picture().Data {
		want += float64(w[i]) * float64(x)
	}
	want += float64(m.Biases()[7])
	if math.Abs(float64(st.Scores[7])-want) > 1e-4 || math.Abs(float64(st.Dot.Value)-want) > 1e-4 {
		t.Errorf("score 7 = %v, written %v, by hand %v", st.Scores[7], st.Dot.Value, want)
	}
	if msg := fcMessage(a); !strings.Contains(msg, "Score 7 = row 7 of W · x + b[7]: 3,072 products sum to") {
		t.Errorf("clicking row 7 says %q", msg)
	}
	if !strings.Contains(fcText(s), "score 7 = row 7 of W · x + b[7]") || !strings.Contains(fcText(s), "= s[7]") {
		t.Errorf("the detail is not row 7's:\n%s", fcText(s))
	}
	fcClick(a, "score-3")
	if fcState(t, s).Row != 3 {
		t.Error("clicking score 3 does not write out row 3")
	}
	// The pointer over W picks a column and a row; a click chooses the
	// row, and a click on x none.
	wx := fcWidget(a, "wx")
	_, _, wCSS, hCSS := a.Frame().CSS(wx.Rect)
	yOf := func(r image.Rectangle) float64 {
		return float64(r.Min.Y-wx.Rect.Min.Y+2) / float64(wx.Rect.Dy()) * hCSS
	}
	a.Handle(ui.Event{Type: ui.Click, Target: "wx", X: (1196 + 0.5) / 3072 * wCSS, Y: yOf(s.lay.xStrip)})
	if st := fcState(t, s); st.Index.I != 1196 || st.Row != 3 {
		t.Errorf("clicking x's column 1196: index %d, row %d", st.Index.I, st.Row)
	}
	a.Handle(ui.Event{Type: ui.Click, Target: "wx", X: 0.01, Y: yOf(s.lay.rows[9].strip)})
	if st := fcState(t, s); st.Row != 9 || st.Index.I != 0 {
		t.Errorf("clicking row 9 at column 0: row %d, index %d", st.Row, st.Index.I)
	}
	if msg := fcMessage(a); !strings.HasPrefix(msg, "W[9, 0]·x[0] = ") {
		t.Errorf("the click says %q", msg)
	}
	a.Handle(ui.Event{Type: ui.PointerLeave, Target: "wx"})
	if s.hoverRow != -1 {
		t.Error("leaving W keeps a row lit")
	}
}

func TestFCConv(t *testing.T) {
	a, s := fcApp(t, 1280, 800)
	fcClick(a, "tab-conv")
	m := s.Model()
	fcClick(a, "filter-1")
	pointAt(a, ui.Click, "conv-map", 9, 14, 28, 28)
	st := fcState(t, s)
	if st.Filter != 1 || st.FilterName != "horizontal edge" || st.Position != [2]int{9, 14} || st.ConvTerms != 75 {
		t.Fatalf("filter 1 at (9, 14): %+v %q %v %d", st.Filter, st.FilterName, st.Position, st.ConvTerms)
	}
	// The value is the engine's convolution, and its dot product by hand.
	want, err := nn.Conv2DNaive(m.Picture(), m.Bank().W, m.Bank().B, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	var hand float64
	for c := 0; c < 3; c++ {
		for u := 0; u < 5; u++ {
			for v := 0; v < 5; v++ {
				hand += float64(m.Bank().W.At(1, c, u, v)) * float64(m.Picture().At(c, 9+u, 14+v))
			}
		}
	}
	if st.MapValue != want.At(1, 9, 14) || math.Abs(hand-float64(st.MapValue)) > 1e-5 {
		t.Errorf("map 1 at (9, 14) = %v; Conv2DNaive %v, by hand %v", st.MapValue, want.At(1, 9, 14), hand)
	}
	if msg := fcMessage(a); !strings.HasPrefix(msg, "Map 1 at row 9, column 14 = ") || !strings.Contains(msg, "the 75 products sum to") {
		t.Errorf("the click says %q", msg)
	}
	// The picture moves the filter's window: its centre goes to the pixel.
	pointAt(a, ui.PointerMove, "picture", 20, 4, 32, 32)
	if st := fcState(t, s); st.Position != [2]int{18, 2} {
		t.Errorf("pointing at pixel (20, 4) puts the filter at %v, want (18, 2)", st.Position)
	}
	pointAt(a, ui.PointerMove, "picture", 31, 31, 32, 32)
	if st := fcState(t, s); st.Position != [2]int{27, 27} {
		t.Errorf("pointing at the corner puts the filter at %v, want (27, 27)", st.Position)
	}
	// Sliding fills the map; the pointer does not move it meanwhile.
	fcClick(a, "slide-play")
	a.Tick(1)
	st = fcState(t, s)
	if st.SlideShown != 57 || st.Position != [2]int{2, 0} {
		t.Errorf("a second of sliding: %d shown at %v", st.SlideShown, st.Position)
	}
	img := s.pics["map"].Img
	if img.RGBAAt(0, 2) == fcEmpty || img.RGBAAt(1, 2) != fcEmpty {
		t.Errorf("while sliding the map shows positions up to (2, 0) only")
	}
	pointAt(a, ui.PointerMove, "conv-map", 20, 20, 28, 28)
	if fcState(t, s).Position != [2]int{2, 0} {
		t.Error("hovering moved the sliding filter")
	}
	pointAt(a, ui.Click, "conv-map", 20, 20, 28, 28)
	if st := fcState(t, s); st.Position != [2]int{20, 20} || st.SlideShown != 784 {
		t.Errorf("a click stops the slide there: %v, %d shown", st.Position, st.SlideShown)
	}
	a.Handle(ui.Event{Type: ui.Focus, Target: "conv-map"})
	a.Handle(ui.Event{Type: ui.Key, Key: "ArrowUp"})
	a.Handle(ui.Event{Type: ui.Key, Key: "ArrowLeft"})
	if st := fcState(t, s); st.Position != [2]int{19, 19} || s.Tab() != "conv" {
		t.Errorf("↑ and ← on the map: %v", st.Position)
	}
}

func TestFCShiftAndCompare(t *testing.T) {
	a, s := fcApp(t, 1280, 800)
	fcClick(a, "tab-compare")
	fcClick(a, "input-digit-4")
	if st := fcState(t, s); st.Input != "digit-4" || st.Label != 4 || st.Predicted != 4 || st.Row != 4 {
		t.Fatalf("digit 4: %+v", st)
	}
	if msg := fcMessage(a); msg != fmt.Sprintf("Digit 4: the highest of the 10 scores is 4 (%s).", lesson.FormatNumber(s.Model().Scores()[4])) {
		t.Errorf("choosing digit 4 says %q", msg)
	}
	for _, b := range []string{"shift-right", "shift-right", "shift-up"} {
		fcClick(a, b)
	}
	st := fcState(t, s)
	if st.Shift != [2]int{2, -1} {
		t.Fatalf("two right and one up: shift %v", st.Shift)
	}
	// The maps moved with the picture, value for value; the scores did not.
	if st.Check.Compared != 6*26*27 || st.Check.Same != st.Check.Compared {
		t.Errorf("check %+v", st.Check)
	}
	if st.Check.MaxScoreChange == 0 || fmt.Sprint(st.Scores) == fmt.Sprint(st.CentredScores) {
		t.Error("the scores did not change")
	}
	msg := fcMessage(a)
	if !strings.HasPrefix(msg, "Picture moved 2 right and 1 up. Highest score: ") || !strings.Contains(msg, "4,212 of 4,212 values the same") {
		t.Errorf("the shift says %q", msg)
	}
	text := strings.Join(strings.Fields(fcText(s)), " ")
	for _, want := range []string{"30,730 parameters", "456 parameters", "4,212 of the 4,212 values", "352,800", "6 x 3 x 5 x 5",
		"tied to pixel places.", "bit for bit."} {
		if !strings.Contains(text, want) {
			t.Errorf("the compare tab does not say %q:\n%s", want, text)
		}
	}
	// The ledger is nn's.
	if len(st.Ledger) != 2 || st.Ledger[0].Params != 30730 || st.Ledger[1].Params != 456 || st.Ledger[1].MultiplyAdds != 352800 {
		t.Errorf("ledger %+v", st.Ledger)
	}
	// The state's picture is the shifted one: pixel (c, y, x) is the
	// centred picture's (c, y + 1, x − 2).
	x0 := s.Model().Centred()
	for _, p := range [][3]int{{0, 10, 12}, {1, 20, 5}, {2, 3, 30}} {
		if got, want := st.X[p[0]][p[1]][p[2]], x0.At(p[0], p[1]+1, p[2]-2); got != want {
			t.Errorf("shifted picture at %v = %v, want %v", p, got, want)
		}
	}
	if st.X[0][5][0] != 0 || st.X[0][5][1] != 0 {
		t.Error("the columns that moved in are not black")
	}
	// Beyond 8 pixels the shift is refused, and nothing changes.
	for i := 0; i < 7; i++ {
		fcClick(a, "shift-right")
	}
	if st := fcState(t, s); st.Shift != [2]int{8, -1} || !strings.Contains(fcMessage(a), "at most 8 pixels") {
		t.Errorf("past the edge: shift %v, says %q", st.Shift, fcMessage(a))
	}
	fcClick(a, "shift-centre")
	if st := fcState(t, s); st.Shift != [2]int{0, 0} || st.Check.MaxScoreChange != 0 || !strings.HasPrefix(fcMessage(a), "Centred again.") {
		t.Errorf("centre: %v, says %q", st.Shift, fcMessage(a))
	}
	fcClick(a, "source-pictures")
	fcClick(a, "input-picture-zebra")
	if st := fcState(t, s); st.Input != "picture-zebra" || st.Label != -1 || st.Source != "pictures" {
		t.Errorf("the zebra: %+v", st)
	}
}

func TestFCPersistence(t *testing.T) {
	a, s := fcApp(t, 1280, 800)
	fcClick(a, "tab-conv")
	fcClick(a, "input-digit-6")
	fcClick(a, "shift-left")
	fcClick(a, "filter-4")
	pointAt(a, ui.Click, "conv-map", 3, 21, 28, 28)
	link := a.Encode()
	b, s2 := fcApp(t, 1024, 768)
	if err := b.Decode(link); err != nil {
		t.Fatal(err)
	}
	if s2.Encode() != s.Encode() || s2.Tab() != "conv" || fcState(t, s2).MapValue != fcState(t, s).MapValue {
		t.Errorf("restored %q, want %q", s2.Encode(), s.Encode())
	}
	for _, bad := range []string{"tab=nope", "tab=conv&shift=99,0", "in=digit-3&row=x", "colour=red"} {
		before := s2.Encode()
		if err := s2.Decode(bad); err == nil {
			t.Errorf("Decode(%q) accepted it", bad)
		}
		if s2.Encode() != before {
			t.Errorf("a refused %q changed the lesson to %q", bad, s2.Encode())
		}
	}
	// A bad part of a page link leaves the rest of the page alone.
	if err := b.Decode("lesson=fc-vs-conv&fc-vs-conv=tab%3Dnope"); err == nil || !strings.Contains(err.Error(), "not a tab") {
		t.Errorf("a bad tab in the page link: %v", err)
	}
}

func TestFCBadSources(t *testing.T) {
	s := NewFCScreen(lesson.FCSources{Weights: []byte("junk")})
	a := New([]Screen{s})
	a.Resize(1280, 800)
	if s.Model() != nil || !strings.Contains(fcText(s), "This lesson could not start") {
		t.Fatalf("with bad weights the screen says:\n%s", fcText(s))
	}
	if st := fcState(t, s); !strings.Contains(st.Error, "weights could not be read") {
		t.Errorf("state error %q", st.Error)
	}
	if s.Next(a.Announcer()) || s.Handle(ui.Event{Type: ui.Click, Target: "shift-left"}, a.Announcer()) {
		t.Error("a screen without a lesson took a step or an event")
	}
	checkFCLayout(t, a, s, true, "bad sources")
}

// TestFCPictureVersions checks that a hover does not remake pictures and
// that a change remakes only those that changed.
func TestFCPictureVersions(t *testing.T) {
	a, s := fcApp(t, 1280, 800)
	fcClick(a, "tab-scores")
	versions := func() map[string]int {
		v := map[string]int{}
		for k, p := range s.pics {
			v[k] = p.Version
		}
		return v
	}
	before := versions()
	pointAt(a, ui.PointerMove, "wx", 0, 100, 1, 3072)
	if fmt.Sprint(versions()) != fmt.Sprint(before) {
		t.Error("a hover remade pictures")
	}
	fcClick(a, "shift-down")
	after := versions()
	if after["input"] == before["input"] || after["strip"] == before["strip"] || after["contrib"] == before["contrib"] {
		t.Error("the shift did not remake the input, the column and the products")
	}
	if after["tmpl-3"] != before["tmpl-3"] || after["wrow-3"] != before["wrow-3"] {
		t.Error("the shift remade W's pictures")
	}
}

func TestFCAnimating(t *testing.T) {
	a, s := fcApp(t, 1280, 800)
	if a.Animating() {
		t.Fatal("the lesson at rest asks to be redrawn")
	}
	fcClick(a, "stretch-play")
	a.Tick(0.1)
	if !a.Animating() {
		t.Error("the stretch plays, but the lesson does not ask to be redrawn")
	}
	a.Tick(10) // the stretch ends in this tick
	if !a.Animating() {
		t.Error("the frame that shows the end of the stretch is not asked for")
	}
	a.Tick(0.1)
	if a.Animating() || s.playing() {
		t.Error("the lesson still asks to be redrawn after the stretch")
	}
}
