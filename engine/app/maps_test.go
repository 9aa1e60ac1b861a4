package app

import (
	"encoding/json"
	"fmt"
	"image"
	"math"
	"math/rand"
	"strings"
	"testing"

	"convlab/engine/data"
	"convlab/engine/lesson"
	"convlab/engine/nn"
	"convlab/engine/tensor"
	"convlab/engine/ui"
)

// mapsTestPixel is the value, in 255ths, of pixel (c, y, x) of picture i
// of the test pictures: every pixel differs from its neighbours, so a
// filter that picks one pixel gives away which one it picked.
func mapsTestPixel(i, c, y, x int) uint8 { return uint8((i*7 + c*50 + y*5 + x*3) % 256) }

// mapsTestSources returns small sets: three colour pictures made of
// mapsTestPixel, two digits (a vertical bar of 255 in columns 12..15, and
// a blank one) and twelve colour patterns.
func mapsTestSources() lesson.Sources {
	pics := &data.Set{Name: "test pictures", Classes: []string{"a", "b", "c"}, C: 3, H: 32, W: 32,
		Pixels: make([]uint8, 3*3*32*32), Labels: []uint8{0, 1, 2}}
	for i := 0; i < 3; i++ {
		for c := 0; c < 3; c++ {
			for y := 0; y < 32; y++ {
				for x := 0; x < 32; x++ {
					pics.Pixels[((i*3+c)*32+y)*32+x] = mapsTestPixel(i, c, y, x)
				}
			}
		}
	}
	digits := &data.Set{Name: "test digits", Classes: []string{"0", "1"}, C: 1, H: 28, W: 28,
		Pixels: make([]uint8, 2*28*28), Labels: []uint8{1, 0}}
	for y := 0; y < 28; y++ {
		for x := 12; x < 16; x++ {
			digits.Pixels[y*28+x] = 255
		}
	}
	return lesson.Sources{Digits: digits, Pictures: pics, Colour: data.Colour(12, rand.New(rand.NewSource(3)))}
}

// mapsApp returns an app showing the activation-maps screen, laid out for
// a window of w x h CSS pixels, the screen's frame being the app's.
func mapsApp(t testing.TB, w, h float64, learned ...LearnedWeights) (*App, *MapsScreen) {
	t.Helper()
	var a *App
	s := NewMapsScreen(MapsConfig{Sources: mapsTestSources(), Learned: learned, Seed: 1,
		Frame: func() ui.Frame { return a.Frame() }})
	ss := placeholders()
	ss[2] = s
	a = New(ss)
	a.Show(2)
	a.Resize(w, h)
	return a, s
}

// mapsSizes are the windows every layout must fit: a 1024x768 projector
// and a 1280x800 laptop.
var mapsSizes = [][2]float64{{1024, 768}, {1280, 800}, {1280, 720}}

// checkMapsLayout checks the page as it is now (see checkPage).
func checkMapsLayout(t *testing.T, a *App, s *MapsScreen, what string) {
	t.Helper()
	checkPage(t, a, s.Marks(), s.dropped, true, what)
}

// mapsClick sends a click and fails if the screen did not use it.
func mapsClick(t *testing.T, a *App, name string) {
	t.Helper()
	if _, ok := ui.Find(a.Widgets(), name); !ok {
		t.Fatalf("no widget %q", name)
	}
	a.Handle(ui.Event{Type: ui.Click, Target: name})
}

// TestMapsLayout lays out every tab and state at both window sizes.
func TestMapsLayout(t *testing.T) {
	for _, size := range mapsSizes {
		a, s := mapsApp(t, size[0], size[1])
		at := fmt.Sprintf("%vx%v", size[0], size[1])
		checkMapsLayout(t, a, s, at+" maps")
		if len(s.lay.cols) != 6 {
			t.Errorf("%s: %d filters shown, want all 6", at, len(s.lay.cols))
		}
		mapsClick(t, a, "filter-4")
		checkMapsLayout(t, a, s, at+" editor, colour")
		for _, k := range []string{"kernel-3", "kernel-1", "kernel-5"} {
			mapsClick(t, a, k)
			checkMapsLayout(t, a, s, at+" editor, "+k)
		}
		mapsClick(t, a, "padding-3")
		mapsClick(t, a, "stride-2") // no maps: the editor explains
		checkMapsLayout(t, a, s, at+" editor, no maps")
		mapsClick(t, a, "close-editor")
		checkMapsLayout(t, a, s, at+" no maps")
		mapsClick(t, a, "stride-1")
		mapsClick(t, a, "source-digit")
		checkMapsLayout(t, a, s, at+" digits")
		mapsClick(t, a, "filter-0")
		checkMapsLayout(t, a, s, at+" editor, grey")
		mapsClick(t, a, "source-pad")
		checkMapsLayout(t, a, s, at+" grey pad")
		mapsClick(t, a, "input-pad-colour")
		checkMapsLayout(t, a, s, at+" colour pad")
		mapsClick(t, a, "source-colour")
		mapsClick(t, a, "tab-stack")
		checkMapsLayout(t, a, s, at+" stack")
		mapsClick(t, a, "source-digit")
		checkMapsLayout(t, a, s, at+" stack, digits")
		mapsClick(t, a, "tab-compose")
		checkMapsLayout(t, a, s, at+" compose, digits")
		mapsClick(t, a, "source-picture")
		mapsClick(t, a, "compose-pad-1-1")
		checkMapsLayout(t, a, s, at+" compose")
	}
}

// TestMapsManyFilters loads banks of 20 filters and of the most the lesson
// takes: the maps tab pages through them, and every page fits at every
// window size.
func TestMapsManyFilters(t *testing.T) {
	for _, n := range []int{20, lesson.MaxFilters} {
		for _, size := range mapsSizes {
			at := fmt.Sprintf("%d filters, %vx%v", n, size[0], size[1])
			a, s := mapsApp(t, size[0], size[1])
			w := tensor.New(n, 3, 5, 5)
			for i := range w.Data {
				w.Data[i] = float32(i%7) - 3
			}
			if err := s.m.LoadFilters(w, make([]float32, n), false); err != nil {
				t.Fatal(err)
			}
			s.refresh()
			checkMapsLayout(t, a, s, at)
			shown := len(s.lay.cols)
			if shown >= n || shown < 8 {
				t.Fatalf("%s: %d shown on the first page", at, shown)
			}
			seen := map[int]bool{}
			for page := 0; ; page++ {
				for _, c := range s.lay.cols {
					seen[c.f] = true
				}
				if next, _ := ui.Find(a.Widgets(), "maps-next"); next.Disabled {
					break
				}
				mapsClick(t, a, "maps-next")
				checkMapsLayout(t, a, s, fmt.Sprintf("%s, page %d", at, page+2))
			}
			if len(seen) != n {
				t.Errorf("%s: the pages showed %d different filters, want %d", at, len(seen), n)
			}
		}
	}
}

// TestMapsProbeWordiest clicks the activation whose probe says the most
// (trained filters that see pixels minus 0.5, ReLU on, the window on the
// padding) in the grid and in the editor: every page fits, the value and
// the dot product that makes it are always written, and with room to
// spare every remark is.
func TestMapsProbeWordiest(t *testing.T) {
	for _, size := range mapsSizes {
		at := fmt.Sprintf("%vx%v", size[0], size[1])
		a, s := mapsApp(t, size[0], size[1])
		w := tensor.New(6, 3, 5, 5)
		for i := range w.Data {
			w.Data[i] = (float32(i%7) - 3) / 7
		}
		if err := s.m.LoadFilters(w, make([]float32, 6), true); err != nil {
			t.Fatal(err)
		}
		s.refresh()
		mapsClick(t, a, "padding-1")
		mapsClick(t, a, "relu")
		r := mapsWidgetRect(a, "map-5")
		sc := a.Frame().Scale
		// Row 1, column 30 of 30: a corner, the window on the padding.
		a.Handle(ui.Event{Type: ui.Click, Target: "map-5", X: (29.5 / 30) * float64(r.Dx()) * sc, Y: (0.5 / 30) * float64(r.Dy()) * sc})
		pr, ok := s.m.Selected()
		if !ok || pr.I != 0 || pr.J != 29 {
			t.Fatalf("%s: selected %+v, want map 6 (0, 29)", at, pr)
		}
		head := "Map 6 (learned 6), row 1 of 30, column 30 of 30: " + lesson.FormatNumber(pr.Value)
		for _, view := range []string{"grid", "editor"} {
			if view == "editor" {
				mapsClick(t, a, "filter-5")
			}
			checkMapsLayout(t, a, s, at+" wordiest probe, "+view)
			if !mapsHasText(s, head) || !mapsHasText(s, pr.Dot.Brief()) {
				t.Errorf("%s, %s: the probe does not say %q and %q", at, view, head, pr.Dot.Brief())
			}
			if size == mapsSizes[0] && view == "grid" {
				for _, want := range []string{"max(0, ", "over the three channels", "zero padding", "minus 0.5", "Clicked"} {
					if !mapsHasText(s, want) {
						t.Errorf("%s, %s: the probe leaves out %q", at, view, want)
					}
				}
			}
		}
	}
}

// TestMapsChooseInput picks inputs by their thumbnails, kinds and pages.
func TestMapsChooseInput(t *testing.T) {
	a, s := mapsApp(t, 1280, 800)
	m := s.Model()
	if m.InputID() != "picture:0" || s.source != "picture" {
		t.Fatalf("starts on %q (%s), want picture:0", m.InputID(), s.source)
	}
	mapsClick(t, a, "input-picture-2")
	if m.InputID() != "picture:2" || m.InputShape() != "3 x 32 x 32" || m.OutputShape() != "6 x 28 x 28" {
		t.Errorf("after input-picture-2: %s %s -> %s", m.InputID(), m.InputShape(), m.OutputShape())
	}
	// Pixel (1, 4, 9) of picture 2, as the lesson sees it.
	if got, want := m.Input().At(1, 4, 9), float32(mapsTestPixel(2, 1, 4, 9))*(1.0/255); got != want {
		t.Errorf("input (1, 4, 9) = %v, want %v", got, want)
	}
	mapsClick(t, a, "source-digit")
	if m.InputID() != "digit:0" || m.InputShape() != "1 x 28 x 28" || m.OutputShape() != "6 x 24 x 24" {
		t.Errorf("digits: %s %s -> %s", m.InputID(), m.InputShape(), m.OutputShape())
	}
	if msg := a.State().Message; !strings.Contains(msg, "a handwritten 1") || !strings.Contains(msg, "6 x 24 x 24") {
		t.Errorf("choosing a digit said %q", msg)
	}
	mapsClick(t, a, "source-colour")
	if m.InputID() != "colour:0" {
		t.Errorf("colour patterns start at %q", m.InputID())
	}
	if _, ok := ui.Find(a.Widgets(), "input-colour-10"); ok {
		t.Error("the first page of patterns shows the eleventh")
	}
	mapsClick(t, a, "input-more")
	mapsClick(t, a, "input-colour-10")
	if m.InputID() != "colour:10" {
		t.Errorf("after More and input-colour-10: %q", m.InputID())
	}
	mapsClick(t, a, "input-more") // back to the first page
	if _, ok := ui.Find(a.Widgets(), "input-colour-0"); !ok {
		t.Error("More does not wrap round to the first page")
	}
	mapsClick(t, a, "source-pad")
	if m.InputID() != lesson.PadGrey || m.Pad() == nil {
		t.Errorf("Draw chose %q", m.InputID())
	}
}

// mapsEditApp opens filter f of the first test picture in the editor.
func mapsEditApp(t *testing.T, f int) (*App, *MapsScreen) {
	a, s := mapsApp(t, 1280, 800)
	mapsClick(t, a, fmt.Sprintf("filter-%d", f))
	if s.Editing() != f {
		t.Fatalf("editing %d, want %d", s.Editing(), f)
	}
	return a, s
}

// TestMapsEditWeight edits weight (0, 0, 1, 2) by typing, the wheel and
// dragging, and checks a refusal keeps the old value and shows next to the
// cell.
func TestMapsEditWeight(t *testing.T) {
	a, s := mapsEditApp(t, 0)
	m := s.Model()
	const cell = "weight-0-0-1-2"
	w := func() float32 { return m.Bank().W.At(0, 0, 1, 2) }
	// The vertical edge's profile is −1 −2 0 2 1 tenths: (1, 2) is 0.
	if w() != 0 {
		t.Fatalf("starting weight %v", w())
	}
	a.Handle(ui.Event{Type: ui.PointerMove, Target: "map-0", X: 30, Y: 40}) // hover the open filter's map
	a.Handle(ui.Event{Type: ui.Commit, Target: cell, Text: "0.5"})
	if w() != 0.5 {
		t.Errorf("after typing 0.5: %v", w())
	}
	var st MapsScreenState
	mapsStateJSON(t, s, &st)
	if h := st.Hover; h == nil || h.Value != m.Output().At(0, h.Row, h.Col) {
		t.Errorf("the hovered activation %+v does not follow the edit", h)
	}
	got, _ := ui.Find(a.Widgets(), cell)
	if got.Text != "0.5" || got.Error {
		t.Errorf("the cell shows %q (error %v)", got.Text, got.Error)
	}
	a.Handle(ui.Event{Type: ui.Wheel, Target: cell, Delta: 2})
	if !near32(w(), 0.7) {
		t.Errorf("after two notches up: %v, want 0.7", w())
	}
	// Dragging up 16 CSS px is two steps of 0.1; back down 8 px is one.
	a.Handle(ui.Event{Type: ui.PointerDown, Target: cell, Y: 30})
	a.Handle(ui.Event{Type: ui.PointerMove, Target: cell, Y: 14})
	if !near32(w(), 0.9) {
		t.Errorf("after dragging up 16 px: %v, want 0.9", w())
	}
	a.Handle(ui.Event{Type: ui.PointerMove, Target: cell, Y: 22})
	a.Handle(ui.Event{Type: ui.PointerUp, Target: cell, Y: 22})
	if !near32(w(), 0.8) {
		t.Errorf("after dragging back 8 px: %v, want 0.8", w())
	}
	a.Handle(ui.Event{Type: ui.PointerMove, Target: cell, Y: 50}) // hovering after the drag: no change
	if !near32(w(), 0.8) {
		t.Errorf("hovering changed the weight to %v", w())
	}

	// A refusal: the old value stays, the cell shows the error, the
	// message is next to the cell, and the status line says it.
	a.Handle(ui.Event{Type: ui.Commit, Target: cell, Text: "abc"})
	if !near32(w(), 0.8) {
		t.Errorf("abc changed the weight to %v", w())
	}
	got, _ = ui.Find(a.Widgets(), cell)
	if !got.Error || got.Text != "0.8" {
		t.Errorf("after abc the cell shows %q, error %v", got.Text, got.Error)
	}
	msg := a.State().Message
	if !strings.Contains(msg, "abc") || !strings.Contains(msg, "stays 0.8") {
		t.Errorf("the refusal said %q", msg)
	}
	if box, ok := mapsRefusalBox(s); !ok {
		t.Error("no refusal is drawn")
	} else if c := mapsWidgetRect(a, cell); box.Min.Y < c.Max.Y || box.Min.Y > c.Max.Y+ui.U {
		t.Errorf("the refusal at %v is not just below the cell %v", box, c)
	}
	// Esc on the cell clears the error; the next accepted edit too.
	a.Handle(ui.Event{Type: ui.Cancel, Target: cell})
	if got, _ = ui.Find(a.Widgets(), cell); got.Error {
		t.Error("the error stays after Esc")
	}
	a.Handle(ui.Event{Type: ui.Commit, Target: "bias-0", Text: "1e999"})
	if got, _ = ui.Find(a.Widgets(), "bias-0"); !got.Error || m.Bank().B[0] != 0 {
		t.Errorf("bias 1e999: error %v, bias %v", got.Error, m.Bank().B[0])
	}
	a.Handle(ui.Event{Type: ui.Commit, Target: "bias-0", Text: "−0.25"})
	if got, _ = ui.Find(a.Widgets(), "bias-0"); got.Error || m.Bank().B[0] != -0.25 {
		t.Errorf("bias −0.25: error %v, bias %v", got.Error, m.Bank().B[0])
	}
}

func near32(a, b float32) bool { return math.Abs(float64(a-b)) < 1e-6 }

// mapsRefusalBox returns the box the refusal is drawn in: the filled
// rectangle just before the error text.
func mapsRefusalBox(s *MapsScreen) (image.Rectangle, bool) {
	ms := s.Marks()
	for i, mk := range ms {
		if mk.Kind == TextMark && mk.Ink == InkError && i >= 2 && ms[i-2].Kind == FillMark {
			return ms[i-2].Rect, true
		}
	}
	return image.Rectangle{}, false
}

func mapsWidgetRect(a *App, name string) image.Rectangle {
	w, _ := ui.Find(a.Widgets(), name)
	return w.Rect
}

// TestMapsPresetMakesMapOfInput puts the identity preset on every channel
// of filter 2: each activation is then the sum over the channels of the
// input pixel under the kernel's centre, (i+2, j+2) with a 5x5 kernel and
// no padding, worked out here from the test pictures' formula.
func TestMapsPresetMakesMapOfInput(t *testing.T) {
	a, s := mapsEditApp(t, 2)
	m := s.Model()
	mapsClick(t, a, "preset-all")
	mapsClick(t, a, "preset-identity")
	out := m.Output()
	for _, ij := range [][2]int{{0, 0}, {5, 17}, {27, 27}} {
		i, j := ij[0], ij[1]
		var want float32
		for c := 0; c < 3; c++ {
			want += float32(mapsTestPixel(0, c, i+2, j+2)) / 255
		}
		if got := out.At(2, i, j); !near32(got, want) {
			t.Errorf("map 2 at (%d, %d) = %v, want %v", i, j, got, want)
		}
	}
	// On one channel only: the green channel's pixel.
	mapsClick(t, a, "preset-all")
	mapsClick(t, a, "channel-1")
	mapsClick(t, a, "preset-box-blur") // green: box blur; red and blue keep identity
	var want float32
	for u := 0; u < 5; u++ {
		for v := 0; v < 5; v++ {
			want += float32(mapsTestPixel(0, 1, 3+u, 4+v)) / 255 / 25
		}
	}
	want += float32(mapsTestPixel(0, 0, 5, 6))/255 + float32(mapsTestPixel(0, 2, 5, 6))/255
	if got := m.Output().At(2, 3, 4); math.Abs(float64(got-want)) > 1e-5 {
		t.Errorf("identity, blur, identity at (3, 4) = %v, want %v", got, want)
	}
	if name := m.Bank().Names[2]; name != "box blur (channel 1)" {
		t.Errorf("filter 2 is called %q", name)
	}
}

// TestMapsReLU toggles ReLU: the maps lose their negative values, the
// values before ReLU stay, and the state says so.
func TestMapsReLU(t *testing.T) {
	a, s := mapsApp(t, 1280, 800)
	m := s.Model()
	if lo, _ := m.MinMax(0); lo >= 0 {
		t.Fatalf("the vertical edge's map has no negative values (%v) to cut", lo)
	}
	mapsClick(t, a, "relu")
	if !m.ReLU() {
		t.Fatal("ReLU is off after the click")
	}
	for f := 0; f < 6; f++ {
		if lo, _ := m.MinMax(f); lo < 0 {
			t.Errorf("map %d after ReLU has %v", f, lo)
		}
	}
	pre, out := m.PreReLU(), m.Output()
	for k, v := range pre.Data {
		if want := float32(math.Max(0, float64(v))); out.Data[k] != want {
			t.Fatalf("value %d: %v after ReLU of %v", k, out.Data[k], v)
		}
	}
	if w, _ := ui.Find(a.Widgets(), "relu"); !w.On || w.Label != "ReLU on" {
		t.Errorf("the toggle shows %q, on %v", w.Label, w.On)
	}
	var st struct {
		ReLU    bool `json:"relu"`
		Compose struct {
			ReLU    bool    `json:"relu"`
			MaxDiff float32 `json:"maxDiff"`
		} `json:"compose"`
	}
	mapsStateJSON(t, s, &st)
	if !st.ReLU || !st.Compose.ReLU || st.Compose.MaxDiff < 1e-3 {
		t.Errorf("state with ReLU: %+v", st)
	}
	mapsClick(t, a, "relu")
	mapsStateJSON(t, s, &st)
	if st.ReLU || st.Compose.MaxDiff > 1e-4 {
		t.Errorf("state without ReLU: %+v", st)
	}
}

func mapsStateJSON(t *testing.T, s *MapsScreen, out any) []byte {
	t.Helper()
	js, err := json.Marshal(s.State())
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(js, out); err != nil {
		t.Fatal(err)
	}
	return js
}

// TestMapsPadStrokes draws on the grey pad with pointer events at both
// scales: the ink lands on the pad pixels under the pointer.
func TestMapsPadStrokes(t *testing.T) {
	for _, size := range mapsSizes {
		a, s := mapsApp(t, size[0], size[1])
		mapsClick(t, a, "source-pad")
		m := s.Model()
		pad := m.Pad()
		if pad == nil || pad.C != 1 {
			t.Fatalf("%v: no grey pad", size)
		}
		r := mapsWidgetRect(a, "pad")
		sc := a.Frame().Scale
		// CSS px inside the pad of pad point (x, y).
		css := func(x, y float64) (float64, float64) {
			return x / 28 * float64(r.Dx()) * sc, y / 28 * float64(r.Dy()) * sc
		}
		x0, y0 := css(4.5, 20.5)
		x1, y1 := css(20.5, 20.5)
		a.Handle(ui.Event{Type: ui.PointerDown, Target: "pad", X: x0, Y: y0})
		a.Handle(ui.Event{Type: ui.PointerMove, Target: "pad", X: x1, Y: y1})
		a.Handle(ui.Event{Type: ui.PointerUp, Target: "pad", X: x1, Y: y1})
		a.Handle(ui.Event{Type: ui.Click, Target: "pad", X: x1, Y: y1})
		at := func(y, x int) float32 { return pad.Pix[y*28+x] }
		// The stroke runs along row 20 from column 4 to 20, 1.5 px wide
		// with a soft edge: full ink on the row, none four rows away.
		for _, x := range []int{4, 12, 20} {
			if at(20, x) != 1 {
				t.Errorf("%v: pad (20, %d) = %v, want 1 under the stroke", size, x, at(20, x))
			}
		}
		for _, p := range [][2]int{{16, 12}, {24, 12}, {20, 0}, {20, 24}, {5, 5}} {
			if v := at(p[0], p[1]); v != 0 {
				t.Errorf("%v: pad %v = %v, want 0 away from the stroke", size, p, v)
			}
		}
		if m.Input().At(0, 20, 12) != 1 {
			t.Errorf("%v: the input does not follow the pad", size)
		}
		// A hover without a press draws nothing.
		hx, hy := css(10.5, 5.5)
		a.Handle(ui.Event{Type: ui.PointerMove, Target: "pad", X: hx, Y: hy})
		if at(5, 10) != 0 {
			t.Errorf("%v: hovering drew", size)
		}
		// The colour pad, red ink, thick brush.
		mapsClick(t, a, "input-pad-colour")
		mapsClick(t, a, "ink-red")
		mapsClick(t, a, "brush-3")
		pad = m.Pad()
		if pad.C != 3 || pad.Radius != 3 {
			t.Fatalf("%v: colour pad %d channels, radius %v", size, pad.C, pad.Radius)
		}
		r = mapsWidgetRect(a, "pad")
		cx, cy := 16.5/32*float64(r.Dx())*sc, 8.5/32*float64(r.Dy())*sc
		a.Handle(ui.Event{Type: ui.PointerDown, Target: "pad", X: cx, Y: cy})
		a.Handle(ui.Event{Type: ui.PointerUp, Target: "pad", X: cx, Y: cy})
		red := []float32{0.85, 0.1, 0.1}
		for c := 0; c < 3; c++ {
			if v := pad.Pix[(c*32+8)*32+16]; math.Abs(float64(v-red[c])) > 1.0/255 {
				t.Errorf("%v: colour pad (%d, 8, 16) = %v, want %v", size, c, v, red[c])
			}
			if v := pad.Pix[(c*32+8)*32+23]; v != 1 {
				t.Errorf("%v: colour pad (%d, 8, 23) = %v, want the white paper", size, c, v)
			}
		}
		mapsClick(t, a, "pad-clear")
		if pad.Pix[(0*32+8)*32+16] != 1 {
			t.Errorf("%v: clear left ink", size)
		}
	}
}

// TestMapsProbe hovers over a map at both scales: the probe names the
// activation under the pointer, its value is the map's, its receptive
// field is outlined on the input, and a click keeps it with its window,
// whose convolution with the filter gives the value.
func TestMapsProbe(t *testing.T) {
	for _, size := range mapsSizes {
		a, s := mapsApp(t, size[0], size[1])
		m := s.Model()
		mapsClick(t, a, "padding-1")
		r := mapsWidgetRect(a, "map-3")
		sc := a.Frame().Scale
		out := m.Output() // (6, 30, 30)
		h := out.Shape[1]
		// The centre of activation (row 0, column 29): a corner, so the
		// field reaches into the padding.
		x := (29.5 / float64(h)) * float64(r.Dx()) * sc
		y := (0.5 / float64(h)) * float64(r.Dy()) * sc
		a.Handle(ui.Event{Type: ui.PointerMove, Target: "map-3", X: x, Y: y})
		var st MapsScreenState
		mapsStateJSON(t, s, &st)
		if st.Hover == nil || st.Hover.Filter != 3 || st.Hover.Row != 0 || st.Hover.Col != 29 {
			t.Fatalf("%v: hover %+v, want map 3 (0, 29)", size, st.Hover)
		}
		if st.Hover.Value != out.At(3, 0, 29) {
			t.Errorf("%v: hover value %v, map has %v", size, st.Hover.Value, out.At(3, 0, 29))
		}
		// Field: columns 28..32, rows −1..3 of the input (padding 1).
		if st.Hover.Field != [4]int{28, -1, 33, 4} {
			t.Errorf("%v: field %v, want [28 -1 33 4]", size, st.Hover.Field)
		}
		want := s.inputRect(image.Rect(28, -1, 33, 4))
		if !mapsHasStroke(s, want, InkWindow) {
			t.Errorf("%v: the receptive field %v is not outlined on the input", size, want)
		}
		if !mapsHasText(s, "It sees input rows 0–4, columns 29–33") || !mapsHasText(s, "zero padding") {
			t.Errorf("%v: the probe does not say where the field is", size)
		}
		a.Handle(ui.Event{Type: ui.PointerLeave, Target: "map-3"})
		st = MapsScreenState{}
		mapsStateJSON(t, s, &st)
		if st.Hover != nil || mapsHasStroke(s, want, InkWindow) {
			t.Errorf("%v: the probe stays after the pointer left", size)
		}

		// A click keeps an activation, with its window.
		x = (7.5 / float64(h)) * float64(r.Dx()) * sc
		y = (12.5 / float64(h)) * float64(r.Dy()) * sc
		a.Handle(ui.Event{Type: ui.Click, Target: "map-3", X: x, Y: y})
		st = MapsScreenState{}
		mapsStateJSON(t, s, &st)
		if st.Selected == nil || st.Selected.Row != 12 || st.Selected.Col != 7 || len(st.Window) != 3 {
			t.Fatalf("%v: selected %+v, window %d channels", size, st.Selected, len(st.Window))
		}
		win := tensor.New(3, 5, 5)
		for c := range st.Window {
			for u := range st.Window[c] {
				for v := range st.Window[c][u] {
					win.Set(st.Window[c][u][v], c, u, v)
					// The window is the input at rows 11..15, columns 6..10.
					if want := m.Input().At(c, 11+u, 6+v); st.Window[c][u][v] != want {
						t.Fatalf("%v: window (%d, %d, %d) = %v, input has %v", size, c, u, v, st.Window[c][u][v], want)
					}
				}
			}
		}
		fw := tensor.FromData(m.Bank().W.Data[3*75:4*75], 1, 3, 5, 5)
		one, err := nn.Conv2DNaive(win, fw, []float32{m.Bank().B[3]}, 0, 1)
		if err != nil {
			t.Fatal(err)
		}
		if !near32(one.Data[0], st.Selected.PreReLU) || st.Selected.PreReLU != out.At(3, 12, 7) {
			t.Errorf("%v: the window convolved with filter 3 gives %v; the probe says %v, the map %v",
				size, one.Data[0], st.Selected.PreReLU, out.At(3, 12, 7))
		}
		a.Handle(ui.Event{Type: ui.Click, Target: "map-3", X: x, Y: y}) // again: let go
		if _, ok := m.Selected(); ok {
			t.Errorf("%v: a second click did not let go", size)
		}
	}
}

func mapsHasStroke(s *MapsScreen, r image.Rectangle, ink Ink) bool {
	for _, mk := range s.Marks() {
		if mk.Kind == StrokeMark && mk.Ink == ink && mk.Rect == r {
			return true
		}
	}
	return false
}

func mapsHasText(s *MapsScreen, sub string) bool {
	var all strings.Builder
	for _, mk := range s.Marks() {
		if mk.Kind == TextMark {
			all.WriteString(strings.TrimSuffix(mk.Text, "…"))
			all.WriteString(" ")
		}
	}
	return strings.Contains(all.String(), sub)
}

// TestMapsStackAndCompose checks the other two tabs: the stack's shapes
// and a hovered unit's receptive field; the composition's verdict with
// and without ReLU.
func TestMapsStackAndCompose(t *testing.T) {
	a, s := mapsApp(t, 1280, 800)
	m := s.Model()
	a.Handle(ui.Event{Type: ui.Key, Key: "ArrowRight"})
	if s.Tab() != "stack" {
		t.Fatalf("→ shows %q", s.Tab())
	}
	for _, want := range []string{"6 x 28 x 28", "10 x 26 x 26", "12 x 24 x 24", "12 x 10 x 3 x 3",
		"N x 10 x 26 x 26 -> N x 12 x 24 x 24", "9 x 9"} {
		if !mapsHasText(s, want) {
			t.Errorf("the stack does not show %q", want)
		}
	}
	// Unit (2, 3) of map 5 of layer 3: its tile is in row 5 / cols of
	// the mosaic; it depends on input rows 2..10, columns 3..11.
	c := s.lay.stackCols[2]
	cell := s.mosaicCell(2, 5, 2, 3)
	sc := a.Frame().Scale
	x := (float64(cell.Min.X+cell.Max.X)/2 - float64(c.mosaic.Min.X)) * sc
	y := (float64(cell.Min.Y+cell.Max.Y)/2 - float64(c.mosaic.Min.Y)) * sc
	a.Handle(ui.Event{Type: ui.PointerMove, Target: "stack-2", X: x, Y: y})
	if h := s.hover; !h.on || !h.stack || h.L != 2 || h.F != 5 || h.I != 2 || h.J != 3 {
		t.Fatalf("hover %+v, want layer 2 map 5 (2, 3)", h)
	}
	if !mapsHasStroke(s, s.inputRect(image.Rect(3, 2, 12, 11)), InkWindow) || !mapsHasText(s, "9 x 9 pixels") {
		t.Error("the stack's unit does not outline its 9 x 9 field")
	}
	a.Handle(ui.Event{Type: ui.Key, Key: "PageDown"})
	if s.Tab() != "compose" {
		t.Fatalf("PageDown shows %q", s.Tab())
	}
	if !mapsHasText(s, "The same up to float32 rounding") {
		t.Error("without ReLU the verdict is not 'the same'")
	}
	if d := m.Composition().MaxDiff; d > 1e-4 || !mapsHasText(s, lesson.FormatNumber(d)) {
		t.Errorf("max difference %v, or not shown", d)
	}
	mapsClick(t, a, "relu")
	if !mapsHasText(s, "Not the same") || m.Composition().MaxDiff < 1e-3 {
		t.Errorf("with ReLU: max difference %v", m.Composition().MaxDiff)
	}
	mapsClick(t, a, "relu")
	mapsClick(t, a, "compose-pad-1-1")
	if c := m.Composition(); c.Pad1 != 1 || c.Pad2 != 1 || !mapsHasText(s, "not on the border") {
		t.Errorf("padding 1 then 1: %d, %d", c.Pad1, c.Pad2)
	}
	w1 := m.Composition().W1.Clone()
	mapsClick(t, a, "compose-random")
	if fmt.Sprint(w1.Data) == fmt.Sprint(m.Composition().W1.Data) {
		t.Error("new random kernels are the old ones")
	}
	// The last tab: → moves on to the next lesson.
	a.Handle(ui.Event{Type: ui.Key, Key: "ArrowRight"})
	if a.State().Lesson != "training" {
		t.Errorf("→ on the last tab shows %q", a.State().Lesson)
	}
	a.Handle(ui.Event{Type: ui.Key, Key: "ArrowLeft"})
	for _, want := range []string{"compose", "stack", "maps"} {
		if s.Tab() != want {
			t.Errorf("going back: %q, want %q", s.Tab(), want)
		}
		a.Handle(ui.Event{Type: ui.Key, Key: "ArrowLeft"})
	}
	if a.State().Lesson != "sliding-filter" {
		t.Errorf("← on the first tab shows %q", a.State().Lesson)
	}
}

// TestMapsStateAndLink checks the state's JSON and that the link restores
// everything, tab included, and refuses a damaged one.
func TestMapsStateAndLink(t *testing.T) {
	a, s := mapsApp(t, 1280, 800)
	mapsClick(t, a, "input-picture-1")
	mapsClick(t, a, "filter-1")
	a.Handle(ui.Event{Type: ui.Commit, Target: "weight-1-2-0-0", Text: "0.75"})
	mapsClick(t, a, "padding-2")
	mapsClick(t, a, "shared-range")
	mapsClick(t, a, "tab-stack")
	var st struct {
		Lesson      string `json:"lesson"`
		Tab         string `json:"tab"`
		Input       string `json:"input"`
		InputShape  string `json:"inputShape"`
		OutputShape string `json:"outputShape"`
		Padding     int    `json:"padding"`
		SharedRange bool   `json:"sharedRange"`
		Editing     int    `json:"editing"`
		Filters     []struct {
			Weights [][][]float32 `json:"weights"`
		} `json:"filters"`
		Maps []struct {
			Shape string  `json:"shape"`
			Min   float32 `json:"min"`
			Max   float32 `json:"max"`
		} `json:"maps"`
		Learned []string `json:"learned"`
	}
	js := mapsStateJSON(t, s, &st)
	if st.Lesson != lesson.MapsLesson || st.Tab != "stack" || st.Input != "picture:1" || st.InputShape != "3 x 32 x 32" ||
		st.OutputShape != "6 x 32 x 32" || st.Padding != 2 || !st.SharedRange || st.Editing != 1 || st.Learned == nil {
		t.Errorf("state: %s", js)
	}
	if len(st.Filters) != 6 || st.Filters[1].Weights[2][0][0] != 0.75 || len(st.Maps) != 6 || st.Maps[0].Shape != "32 x 32" {
		t.Errorf("filters and maps in the state: %s", js)
	}
	lo, hi := s.Model().MinMax(4)
	if st.Maps[4].Min != lo || st.Maps[4].Max != hi {
		t.Errorf("map 4's range %v..%v, the model has %v..%v", st.Maps[4].Min, st.Maps[4].Max, lo, hi)
	}

	link := s.Encode()
	_, fresh := mapsApp(t, 1024, 768)
	if err := fresh.Decode(link); err != nil {
		t.Fatal(err)
	}
	a1, _ := json.Marshal(s.Model().State())
	b1, _ := json.Marshal(fresh.Model().State())
	if string(a1) != string(b1) || fresh.Tab() != "stack" {
		t.Errorf("restored:\n%s\n%s\ntab %q", a1, b1, fresh.Tab())
	}
	for _, bad := range []string{"", "stack", "nowhere." + strings.SplitN(link, ".", 2)[1], "maps.!!!"} {
		before, _ := json.Marshal(fresh.Model().State())
		if err := fresh.Decode(bad); err == nil {
			t.Errorf("Decode(%q) took it", bad)
		}
		after, _ := json.Marshal(fresh.Model().State())
		if string(before) != string(after) || fresh.Tab() != "stack" {
			t.Errorf("Decode(%q) changed the lesson", bad)
		}
	}
	// Through the app, as the page saves and restores it.
	_, again := mapsApp(t, 1280, 800)
	ss := placeholders()
	ss[2] = again
	b := New(ss)
	if err := b.Decode(a.Encode()); err != nil || again.Tab() != "stack" || again.Model().Padding() != 2 {
		t.Errorf("the app's link: %v, tab %q, padding %d", err, again.Tab(), again.Model().Padding())
	}
}

// TestMapsLoadTrained loads the first layer of a weights file made here:
// the bank becomes its filters, the lesson centres the input as training
// does, and a digit is shown.
func TestMapsLoadTrained(t *testing.T) {
	spec := nn.Spec{Input: [3]int{1, 28, 28}, Layers: []nn.LayerSpec{
		{Type: nn.TypeConv, Filters: 4, Kernel: 5, Pad: 2}, {Type: nn.TypeReLU},
		{Type: nn.TypeMaxPool, Size: 2}, {Type: nn.TypeLinear, Out: 10}}}
	net, err := nn.Build(spec, rand.New(rand.NewSource(5)))
	if err != nil {
		t.Fatal(err)
	}
	conv := net.Layers[0].(*nn.Conv)
	for i := range conv.B.Data {
		conv.B.Data[i] = float32(i) / 10
	}
	a, s := mapsApp(t, 1280, 800, LearnedWeights{From: "test digits", Weights: net.Marshal()})
	if w, _ := ui.Find(a.Widgets(), "load-pretrained"); w.Disabled {
		t.Fatal("the load button is disabled")
	}
	mapsClick(t, a, "load-pretrained")
	m := s.Model()
	if m.InputShape() != "1 x 28 x 28" || m.FilterShape() != "4 x 1 x 5 x 5" || !m.Centred() {
		t.Errorf("after loading: input %s, filters %s, centred %v", m.InputShape(), m.FilterShape(), m.Centred())
	}
	for i, v := range conv.W.Data {
		if m.Bank().W.Data[i] != v {
			t.Fatalf("weight %d is %v, the file has %v", i, m.Bank().W.Data[i], v)
		}
	}
	if m.Bank().B[3] != 0.3 || m.Bank().Names[0] != "learned 1" {
		t.Errorf("bias %v, name %q", m.Bank().B[3], m.Bank().Names[0])
	}
	if msg := a.State().Message; !strings.Contains(msg, "Loaded 4 filters") || !strings.Contains(msg, "test digits") {
		t.Errorf("loading said %q", msg)
	}
	checkMapsLayout(t, a, s, "learned filters")

	// A network that does not start with a convolution, and a damaged
	// file: left out, and said once.
	flat, _ := nn.Build(nn.Spec{Input: [3]int{1, 4, 4}, Layers: []nn.LayerSpec{{Type: nn.TypeLinear, Out: 2}}}, nil)
	a, _ = mapsApp(t, 1280, 800, LearnedWeights{From: "a linear net", Weights: flat.Marshal()},
		LearnedWeights{From: "a broken file", Weights: []byte("CLWEIGHT")})
	if w, _ := ui.Find(a.Widgets(), "load-pretrained"); !w.Disabled {
		t.Error("the load button is enabled with nothing to load")
	}
	w, _ := ui.Find(a.Widgets(), "load-pretrained")
	for _, tell := range []string{w.Tooltip, a.State().Detail.(MapsScreenState).Problems} {
		if !strings.Contains(tell, "a linear net") || !strings.Contains(tell, "not a convolution") || !strings.Contains(tell, "a broken file") {
			t.Errorf("the unreadable weights were reported as %q", tell)
		}
	}
}

// TestMapsShippedData runs the screen on the shipped data sets: the digits
// are read only when first chosen; the digits, the pictures and the
// colour patterns all show, with their shapes.
func TestMapsShippedData(t *testing.T) {
	var a *App
	cfg := ShippedMaps(func() ui.Frame { return a.Frame() })
	reads := 0
	load := cfg.LoadDigits
	cfg.LoadDigits = func() (*data.Set, error) { reads++; return load() }
	s := NewMapsScreen(cfg)
	ss := placeholders()
	ss[2] = s
	a = New(ss)
	a.Show(2)
	a.Resize(1024, 768)
	if reads != 0 || !s.hasSource("digit") {
		t.Errorf("the digits were read %d times before they were needed", reads)
	}
	if w, _ := ui.Find(a.Widgets(), "source-digit"); w.Disabled {
		t.Error("the digits' button is disabled before they are read")
	}
	for _, c := range []struct{ source, first, shape string }{
		{"digit", "digit:0", "1 x 28 x 28"}, {"picture", "picture:0", "3 x 32 x 32"}, {"colour", "colour:0", "3 x 32 x 32"},
	} {
		mapsClick(t, a, "source-"+c.source)
		if s.Model().InputID() != c.first || s.Model().InputShape() != c.shape {
			t.Errorf("%s: %s %s", c.source, s.Model().InputID(), s.Model().InputShape())
		}
		checkMapsLayout(t, a, s, c.source)
	}
	if reads != 1 || s.setLen("digit") != 2000 || s.setLen("picture") != 6 || s.setLen("colour") != 60 {
		t.Errorf("read the digits %d times; %d digits, %d pictures, %d patterns", reads, s.setLen("digit"), s.setLen("picture"), s.setLen("colour"))
	}
	// The first test digit is a 7.
	mapsClick(t, a, "source-digit")
	if msg := a.State().Message; !strings.Contains(msg, "a handwritten 7") {
		t.Errorf("digit 0 is announced as %q", msg)
	}
	// A link to a digit reads the digits in a fresh page.
	link := s.Encode()
	reads = 0
	fresh := NewMapsScreen(cfg)
	if err := fresh.Decode(link); err != nil || fresh.Model().InputID() != "digit:0" || reads != 1 {
		t.Errorf("a link to digit:0: %v, input %q, %d reads", err, fresh.Model().InputID(), reads)
	}
	// Digits that cannot be read: the button is disabled and says why.
	cfg.LoadDigits = func() (*data.Set, error) { return nil, fmt.Errorf("no digits here") }
	broken := NewMapsScreen(cfg)
	var say ui.Announcer
	broken.Handle(ui.Event{Type: ui.Click, Target: "source-digit"}, &say)
	w, _ := ui.Find(broken.Widgets(nil), "source-digit")
	if msg, _ := say.Last(); !w.Disabled || !strings.Contains(w.Tooltip, "No digits here") || broken.Model().InputID() != "picture:0" ||
		!strings.Contains(msg, "No digits here") {
		t.Errorf("unreadable digits: disabled %v, tooltip %q, input %q, said %q", w.Disabled, w.Tooltip, broken.Model().InputID(), msg)
	}
}

func TestMapsShort(t *testing.T) {
	for _, c := range []struct {
		v    float32
		want string
	}{
		{0, "0"}, {1.8, "1.8"}, {-2.04, "−2"}, {0.571, "0.57"}, {-0.0456, "−0.046"}, {0.0076, "0.008"},
		{0.00075, "8e−4"}, {-3e-7, "−3e−7"}, {16.65, "17"}, {123.4, "123"},
	} {
		if got := mapsShort(c.v); got != c.want {
			t.Errorf("mapsShort(%v) = %q, want %q", c.v, got, c.want)
		}
	}
}

// TestMapsPictureVersions checks that a picture's version changes when,
// and only when, its pixels do, so the page uploads only what changed.
func TestMapsPictureVersions(t *testing.T) {
	a, s := mapsApp(t, 1280, 800)
	version := func(key string) int {
		p := s.pics[key]
		if p == nil {
			t.Fatalf("no picture %q", key)
		}
		return p.Version
	}
	keys := []string{"input", "filter-0", "filter-1", "map-0", "map-1"}
	before := map[string]int{}
	for _, k := range keys {
		before[k] = version(k)
	}
	mapsClick(t, a, "filter-0") // opens the editor: no picture changes
	mapsClick(t, a, "preset-all")
	a.Handle(ui.Event{Type: ui.PointerMove, Target: "map-0", X: 20, Y: 20})
	for _, k := range keys {
		if version(k) != before[k] {
			t.Errorf("%s was remade (version %d -> %d) though it did not change", k, before[k], version(k))
		}
	}
	a.Handle(ui.Event{Type: ui.Commit, Target: "weight-0-0-0-0", Text: "0.9"})
	for k, changed := range map[string]bool{"input": false, "filter-0": true, "filter-1": false, "map-0": true, "map-1": false} {
		if (version(k) != before[k]) != changed {
			t.Errorf("after editing filter 0, %s version %d -> %d, changed should be %v", k, before[k], version(k), changed)
		}
	}
	// One colour scale for all maps recolours the maps whose own range
	// was narrower than the widest.
	mapsClick(t, a, "close-editor")
	m := s.Model()
	widest := 0
	own := map[int]int{}
	for f := 0; f < 6; f++ {
		own[f] = version(fmt.Sprintf("map-%d", f))
		if m.Scale(f) > m.Scale(widest) {
			widest = f
		}
	}
	mapsClick(t, a, "shared-range")
	for f := 0; f < 6; f++ { // every map takes the widest map's scale
		if changed := version(fmt.Sprintf("map-%d", f)) != own[f]; changed == (f == widest) {
			t.Errorf("on the shared scale map %d changed: %v (the widest is map %d)", f, changed, widest)
		}
	}
}

// TestMapsShippedTrainedFilters loads the first layers of the shipped
// trained networks: on a colour picture the colour network's 3-channel
// filters, on a digit the digit network's 1-channel filters, each with
// the activation of a cell equal to the engine's convolution.
func TestMapsShippedTrainedFilters(t *testing.T) {
	var a *App
	s := NewMapsScreen(ShippedMaps(func() ui.Frame { return a.Frame() }))
	ss := placeholders()
	ss[2] = s
	a = New(ss)
	a.Show(2)
	a.Resize(1280, 800)
	for _, c := range []struct {
		source, from string
		channels     int
	}{
		{"picture", "colour patterns", 3}, {"digit", "digits", 1},
	} {
		mapsClick(t, a, "source-"+c.source)
		if w, _ := ui.Find(a.Widgets(), "load-pretrained"); w.Disabled {
			t.Fatalf("%s: the trained filters' button is disabled", c.source)
		}
		mapsClick(t, a, "load-pretrained")
		if msg := a.State().Message; !strings.Contains(msg, "learned from "+c.from) {
			t.Errorf("%s: loading said %q", c.source, msg)
		}
		bank := s.Model().Bank()
		if bank.W.Shape[1] != c.channels {
			t.Errorf("%s: loaded filters are %v, want %d channels", c.source, bank.W.Shape, c.channels)
		}
		// The trained nets saw p/255 − 0.5: the loaded bank acts on the
		// centred input, exactly as the engine's convolution computes it.
		x := s.Model().Input().Clone()
		for i := range x.Data {
			x.Data[i] -= 0.5
		}
		want, err := nn.Conv2DNaive(x, bank.W, bank.B, 0, 1)
		if err != nil {
			t.Fatal(err)
		}
		pre := s.Model().PreReLU()
		for f := 0; f < bank.W.Shape[0]; f++ {
			pr, err := s.Model().Probe(f, 3, 4)
			if err != nil {
				t.Fatal(err)
			}
			if w := want.At(f, 3, 4); pr.PreReLU != w || pre.At(f, 3, 4) != w || pr.Dot.Value != w {
				t.Errorf("%s filter %d: probe %v, map %v, written %v, engine %v", c.source, f, pr.PreReLU, pre.At(f, 3, 4), pr.Dot.Value, w)
			}
		}
	}
}
