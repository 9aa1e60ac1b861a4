//go:build !js

package browsertest

import (
	"fmt"
	"image"
	"math"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp/kb"
)

// mapsState is the part of the activation-maps lesson's state the browser
// tests read.
type mapsState struct {
	Lesson string `json:"lesson"`
	Detail struct {
		Tab         string `json:"tab"`
		Input       string `json:"input"`
		InputShape  string `json:"inputShape"`
		OutputShape string `json:"outputShape"`
		ReLU        bool   `json:"relu"`
		Editing     int    `json:"editing"`
		Message     string `json:"message"`
		Filters     []struct {
			Weights [][][]float32 `json:"weights"`
			Bias    float32       `json:"bias"`
		} `json:"filters"`
		Maps []struct {
			Shape string  `json:"shape"`
			Min   float32 `json:"min"`
			Max   float32 `json:"max"`
		} `json:"maps"`
		Selected *struct {
			Filter  int     `json:"filter"`
			Row     int     `json:"row"`
			Col     int     `json:"col"`
			Value   float32 `json:"value"`
			PreReLU float32 `json:"preRelu"`
		} `json:"selected"`
		Window [][][]float32 `json:"window"`
		Stack  struct {
			Layers []struct{ Output, Batch string }
		} `json:"stack"`
		Compose struct {
			MaxDiff float32 `json:"maxDiff"`
			ReLU    bool    `json:"relu"`
		} `json:"compose"`
	} `json:"detail"`
}

func (p *Page) mapsState() mapsState {
	var st mapsState
	p.State(&st)
	return st
}

// clickMap clicks activation (i, j) of a map of h x w shown as target name.
func (p *Page) clickMap(name string, i, j, h, w int) {
	p.T.Helper()
	tg := p.Find(name)
	p.ClickAt(tg.X+(float64(j)+0.5)/float64(w)*tg.W, tg.Y+(float64(i)+0.5)/float64(h)*tg.H)
}

// TestMapsLesson works through the activation-maps lesson from disk at
// 1280x800 as a student does: picks inputs, edits a filter by typing and
// the wheel, is refused, toggles ReLU, clicks an activation and checks it
// against the page's conv2d, draws on the pad with the mouse, and visits
// the stack and the composition check.
func TestMapsLesson(t *testing.T) {
	p := browser.Open(t, browser.FileURL()+"#lesson=activation-maps", View{W: 1280, H: 800})
	st := p.mapsState()
	if st.Lesson != "activation-maps" || st.Detail.InputShape != "3 x 32 x 32" || st.Detail.OutputShape != "6 x 28 x 28" || len(st.Detail.Maps) != 6 {
		t.Fatalf("the lesson opens on %s %q -> %q with %d maps", st.Lesson, st.Detail.InputShape, st.Detail.OutputShape, len(st.Detail.Maps))
	}
	m := p.Find("map-1")
	p.Mouse(input.DispatchMouseEventTypeMouseMoved, m.X+m.W*0.3, m.Y+m.H*0.6)
	p.WaitFor(`window.convlab.state().detail.hover && window.convlab.state().detail.hover.filter === 1`, 5*time.Second)
	img := p.Screenshot("maps-1280x800")
	mapsLooksDrawn(t, img, p, "map-0", "map-5", "filter-0")

	// Inputs.
	p.Click("source-digit")
	p.WaitFor(`window.convlab.state().detail.input === "digit:0"`, 5*time.Second)
	p.Click("input-digit-3")
	p.WaitFor(`window.convlab.state().detail.input === "digit:3"`, 5*time.Second)
	st = p.mapsState()
	if st.Detail.InputShape != "1 x 28 x 28" || st.Detail.OutputShape != "6 x 24 x 24" || st.Detail.Maps[0].Shape != "24 x 24" {
		t.Errorf("a digit gives %q -> %q", st.Detail.InputShape, st.Detail.OutputShape)
	}

	// A filter: open it, type a weight, turn the wheel, be refused.
	p.Click("filter-0")
	p.WaitFor(`window.convlab.state().detail.editing === 0`, 5*time.Second)
	p.Click("weight-0-0-2-2")
	p.Key("0.5\r")
	p.WaitFor(`window.convlab.state().detail.filters[0].weights[0][2][2] === 0.5`, 5*time.Second)
	p.Wheel("weight-0-0-2-2", -100)
	p.WaitFor(`Math.abs(window.convlab.state().detail.filters[0].weights[0][2][2] - 0.6) < 1e-6`, 5*time.Second)
	p.Click("weight-0-0-0-4")
	p.Key("abc\r")
	p.WaitFor(`(window.convlab.state().detail.message || "").includes("abc")`, 5*time.Second)
	if w := p.mapsState().Detail.Filters[0].Weights[0][0][4]; w != 0.1 {
		t.Errorf("after abc the weight is %v, want the old 0.1", w)
	}
	p.Screenshot("maps-editor-1280x800")

	// ReLU, and one activation checked against conv2d on its window.
	p.Click("relu")
	p.WaitFor(`window.convlab.state().detail.relu`, 5*time.Second)
	for f, mp := range p.mapsState().Detail.Maps {
		if mp.Min < 0 {
			t.Errorf("map %d after ReLU reaches %v", f, mp.Min)
		}
	}
	p.clickMap("map-0", 10, 13, 24, 24)
	p.WaitFor(`window.convlab.state().detail.selected`, 5*time.Second)
	st = p.mapsState()
	sel := st.Detail.Selected
	if sel.Filter != 0 || sel.Row != 10 || sel.Col != 13 {
		t.Errorf("clicked activation (%d, %d, %d), want (0, 10, 13)", sel.Filter, sel.Row, sel.Col)
	}
	var out [][][]float32
	p.Eval(fmt.Sprintf(`(() => { const d = window.convlab.state().detail;
		return window.convlab.conv2d(d.window, [d.filters[0].weights], [d.filters[0].bias], {stride: 1, padding: 0}); })()`), &out)
	if len(out) != 1 || len(out[0]) != 1 || math.Abs(float64(out[0][0][0]-sel.PreReLU)) > 1e-5 {
		t.Errorf("conv2d of the window gives %v; the lesson says %v before ReLU", out, sel.PreReLU)
	}
	if want := float32(math.Max(0, float64(sel.PreReLU))); sel.Value != want {
		t.Errorf("after ReLU the activation is %v, want %v", sel.Value, want)
	}
	p.Click("relu")
	p.Key(kb.Escape) // let go of the activation
	p.Click("close-editor")

	// Draw on the grey pad with the mouse: a stroke along pad row 14,
	// columns 5 to 22.
	p.Click("source-pad")
	p.WaitFor(`window.convlab.state().detail.input === "pad:grey"`, 5*time.Second)
	if mp := p.mapsState().Detail.Maps[5]; mp.Max != 0 {
		t.Errorf("the blank pad's blur map reaches %v", mp.Max)
	}
	pad := p.Find("pad")
	at := func(x, y float64) (float64, float64) { return pad.X + x/28*pad.W, pad.Y + y/28*pad.H }
	x, y := at(5.5, 14.5)
	p.Mouse(input.DispatchMouseEventTypeMousePressed, x, y)
	for c := 6.5; c <= 22.5; c += 2 {
		x, y = at(c, 14.5)
		p.Mouse(input.DispatchMouseEventTypeMouseMoved, x, y)
	}
	p.Mouse(input.DispatchMouseEventTypeMouseReleased, x, y)
	p.WaitFor(`window.convlab.state().detail.maps[5].max > 0.3`, 5*time.Second)
	// The blur's activation (12, 11) sees pad rows 12..16, columns 11..15:
	// its middle row is the stroke.
	p.clickMap("map-5", 12, 11, 24, 24)
	p.WaitFor(`window.convlab.state().detail.selected && window.convlab.state().detail.selected.row === 12`, 5*time.Second)
	win := p.mapsState().Detail.Window
	if len(win) != 1 || win[0][2][2] != 1 || win[0][2][0] != 1 || win[0][0][2] > 0.2 || win[0][4][2] > 0.2 {
		t.Errorf("the window on the stroke is %v: want 1 along its middle row, dark two rows away", win)
	}
	p.clickMap("map-5", 2, 11, 24, 24)
	p.WaitFor(`window.convlab.state().detail.selected && window.convlab.state().detail.selected.row === 2`, 5*time.Second)
	if v := p.mapsState().Detail.Selected.Value; v != 0 {
		t.Errorf("the blur far above the stroke is %v, want 0", v)
	}
	p.Screenshot("maps-pad-1280x800")

	// The stack and the composition.
	p.Click("source-picture")
	p.Key(kb.PageDown)
	p.WaitFor(`window.convlab.state().detail.tab === "stack"`, 5*time.Second)
	st = p.mapsState()
	var shapes []string
	for _, l := range st.Detail.Stack.Layers {
		shapes = append(shapes, l.Output)
	}
	if fmt.Sprint(shapes) != "[6 x 28 x 28 10 x 26 x 26 12 x 24 x 24]" {
		t.Errorf("the stack's shapes are %v", shapes)
	}
	img = p.Screenshot("maps-stack-1280x800")
	mapsLooksDrawn(t, img, p, "stack-0", "stack-2")
	p.Key(kb.PageDown)
	p.WaitFor(`window.convlab.state().detail.tab === "compose"`, 5*time.Second)
	if d := p.mapsState().Detail.Compose.MaxDiff; d > 1e-4 {
		t.Errorf("without ReLU two convolutions and one differ by %v", d)
	}
	p.Screenshot("maps-compose-1280x800")
	p.Click("relu")
	p.WaitFor(`window.convlab.state().detail.compose.relu && window.convlab.state().detail.compose.maxDiff > 1e-3`, 5*time.Second)
	p.Screenshot("maps-compose-relu-1280x800")
}

// mapsLooksDrawn checks the named targets show pictures, not blank canvas.
func mapsLooksDrawn(t *testing.T, img image.Image, p *Page, names ...string) {
	t.Helper()
	for _, n := range names {
		tg := p.Find(n)
		r := image.Rect(int(tg.X)+2, int(tg.Y)+2, int(tg.X+tg.W)-2, int(tg.Y+tg.H)-2)
		if c := Colours(img, r); c < 4 {
			t.Errorf("%s shows %d colours: not drawn?", n, c)
		}
	}
}

// TestMapsProjector opens the lesson at 1024x768: every target is at least
// 44 CSS px and on screen on each tab, and the screenshots are saved.
func TestMapsProjector(t *testing.T) {
	p := browser.Open(t, browser.FileURL()+"#lesson=activation-maps", View{W: 1024, H: 768})
	check := func(tab string) {
		t.Helper()
		for _, tg := range p.Targets() {
			if tg.X < 0 || tg.Y < 0 || tg.X+tg.W > 1024.5 || tg.Y+tg.H > 768.5 {
				t.Errorf("%s: %s at %v,%v %vx%v is off screen", tab, tg.Name, tg.X, tg.Y, tg.W, tg.H)
			}
			if tg.W < 44 || tg.H < 44 {
				t.Errorf("%s: %s is %.1fx%.1f CSS px", tab, tg.Name, tg.W, tg.H)
			}
		}
	}
	check("maps")
	img := p.Screenshot("maps-1024x768")
	mapsLooksDrawn(t, img, p, "map-0", "map-5")
	p.Click("filter-5")
	p.WaitFor(`window.convlab.state().detail.editing === 5`, 5*time.Second)
	check("editor")
	p.Screenshot("maps-editor-1024x768")
	for _, tab := range []string{"stack", "compose"} {
		p.Click("tab-" + tab)
		p.WaitFor(`window.convlab.state().detail.tab === "`+tab+`"`, 5*time.Second)
		check(tab)
		p.Screenshot("maps-" + tab + "-1024x768")
	}
}
