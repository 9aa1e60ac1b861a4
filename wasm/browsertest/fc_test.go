//go:build !js

package browsertest

import (
	"fmt"
	"image"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp/kb"
)

// fcDetail is the part of the fully-connected-vs-convolution lesson's
// state the browser tests read.
type fcDetail struct {
	Tab    string        `json:"tab"`
	Source string        `json:"source"`
	Input  string        `json:"input"`
	Shift  [2]int        `json:"shift"`
	X      [][][]float32 `json:"x"`
	Index  struct{ I, C, Y, X int }
	Filled int       `json:"stretchFilled"`
	Scores []float32 `json:"scores"`
	Was    []float32 `json:"centredScores"`
	Pred   int       `json:"predicted"`
	Row    int       `json:"row"`
	Dot    struct{ Value, Score float32 }
	Filter int             `json:"filter"`
	Ws     [][][][]float32 `json:"filters"`
	Bs     []float32       `json:"filterBias"`
	At     [2]int          `json:"position"`
	Value  float32         `json:"mapValue"`
	Check  struct{ Compared, Same int }
	Ledger []struct{ Params int }
}

type fcPage struct{ *Page }

func (p fcPage) state() fcDetail {
	p.T.Helper()
	var s struct {
		Lesson string   `json:"lesson"`
		Detail fcDetail `json:"detail"`
	}
	p.State(&s)
	if s.Lesson != "fc-vs-conv" {
		p.T.Fatalf("lesson %q on show, want fc-vs-conv", s.Lesson)
	}
	return s.Detail
}

// at returns the CSS point at the centre of cell (row, col) of a rows x
// cols grid drawn over the named target.
func (p fcPage) at(name string, row, col, rows, cols int) (x, y float64) {
	tg := p.Find(name)
	return tg.X + (float64(col)+0.5)/float64(cols)*tg.W, tg.Y + (float64(row)+0.5)/float64(rows)*tg.H
}

func (p fcPage) tab(t string) {
	p.T.Helper()
	p.Click("tab-" + t)
	p.WaitFor(`window.convlab.state().detail.tab === "`+t+`"`, 5*time.Second)
}

// TestFCLesson works through the first lesson from disk at 1280x800 as a
// student does: points at pixels and at the column, plays the stretch,
// writes out a score, moves the filter and checks the map against the
// page's conv2d, shifts the picture, and finds the work kept on a reload.
func TestFCLesson(t *testing.T) {
	p := fcPage{browser.Open(t, browser.FileURL(), View{W: 1280, H: 800})}
	st := p.state()
	if st.Tab != "stretch" || st.Input != "digit-0" || len(st.X) != 3 || len(st.X[0]) != 32 || st.Filled != 3072 {
		t.Fatalf("the lesson opens on %q with %q, x %dx%d, %d filled", st.Tab, st.Input, len(st.X), len(st.X[0]), st.Filled)
	}

	// Pointing at green pixel (5, 12) shows place (1·32 + 5)·32 + 12 = 1196.
	x, y := p.at("plane-1", 5, 12, 32, 32)
	p.Mouse(input.DispatchMouseEventTypeMouseMoved, x, y)
	p.WaitFor(`window.convlab.state().detail.index.i === 1196`, 5*time.Second)
	p.ClickAt(x, y)
	p.WaitFor(`window.convlab.state().message.includes("(1·32 + 5)·32 + 12 = 1196")`, 5*time.Second)
	// And back: the column's place 2151 is blue (3, 7).
	x, y = p.at("strip", 0, 2151, 1, 3072)
	p.Mouse(input.DispatchMouseEventTypeMouseMoved, x, y)
	p.WaitFor(`window.convlab.state().detail.index.i >= 2150 && window.convlab.state().detail.index.i <= 2152`, 5*time.Second)
	if st := p.state(); st.Index.C != 2 || st.Index.Y != 3 {
		t.Errorf("place %d of the column is pixel (%d, %d, %d)", st.Index.I, st.Index.C, st.Index.Y, st.Index.X)
	}
	p.Frames(2)
	p.Screenshot("fc-stretch-1280x800")

	p.Click("stretch-play")
	p.WaitFor(`window.convlab.state().detail.stretchFilled > 1024 && window.convlab.state().detail.stretchFilled < 2048`, 10*time.Second)
	p.Frames(1)
	img := p.Screenshot("fc-stretch-playing")
	if n := Colours(img, image.Rect(392, 420, 1270, 480)); n < 4 {
		t.Errorf("the column being filled looks blank: %d colours", n)
	}
	p.WaitFor(`window.convlab.state().detail.stretchFilled === 3072`, 10*time.Second)

	// Scores: click the template of row 7; its score is its dot product.
	p.tab("scores")
	p.Click("row-7")
	p.WaitFor(`window.convlab.state().detail.row === 7`, 5*time.Second)
	st = p.state()
	if math.Abs(float64(st.Dot.Value-st.Scores[7])) > 1e-4 || st.Dot.Score != st.Scores[7] {
		t.Errorf("row 7 written out gives %v, score %v", st.Dot.Value, st.Scores[7])
	}
	if !strings.Contains(p.message(), "Score 7 = row 7 of W · x + b[7]: 3,072 products") {
		t.Errorf("clicking row 7 says %q", p.message())
	}
	x, y = p.at("wx", 3, 1500, 4, 3072)
	p.Mouse(input.DispatchMouseEventTypeMouseMoved, x, y)
	p.WaitFor(`Math.abs(window.convlab.state().detail.index.i - 1500) < 20`, 5*time.Second)
	p.Frames(2)
	p.Screenshot("fc-scores-1280x800")

	// Convolution: filter 1 at (9, 14), checked against the page's conv2d.
	p.tab("conv")
	p.Click("filter-1")
	p.WaitFor(`window.convlab.state().detail.filter === 1`, 5*time.Second)
	p.ClickAt(p.at("conv-map", 9, 14, 28, 28))
	p.WaitFor(`window.convlab.state().detail.position[0] === 9 && window.convlab.state().detail.position[1] === 14`, 5*time.Second)
	var want float32
	p.Eval(`(() => { const s = window.convlab.state().detail;
		return window.convlab.conv2d(s.x, s.filters, s.filterBias, {stride: 1, padding: 0})[1][9][14]; })()`, &want)
	if st := p.state(); st.Value != want {
		t.Errorf("map 1 at (9, 14) shows %v, conv2d gives %v", st.Value, want)
	}
	p.Click("slide-play")
	p.WaitFor(`window.convlab.state().detail.slideShown > 100`, 10*time.Second)
	p.Frames(1)
	p.Screenshot("fc-conv-sliding")
	p.Click("slide-play")
	p.WaitFor(`window.convlab.state().detail.slideShown === 784`, 5*time.Second)
	p.ClickAt(p.at("conv-map", 12, 12, 28, 28))
	p.Frames(2)
	p.Screenshot("fc-conv-1280x800")

	// Compare: shift two right and one up.
	p.tab("compare")
	p.Click("input-digit-4")
	p.WaitFor(`window.convlab.state().detail.input === "digit-4"`, 5*time.Second)
	centred := p.state()
	for _, b := range []string{"shift-right", "shift-right", "shift-up"} {
		p.Click(b)
	}
	p.WaitFor(`window.convlab.state().detail.shift[0] === 2 && window.convlab.state().detail.shift[1] === -1`, 5*time.Second)
	st = p.state()
	if st.Check.Compared != 4212 || st.Check.Same != 4212 {
		t.Errorf("after the shift %d of %d map values are the same, want all 4,212", st.Check.Same, st.Check.Compared)
	}
	if fmt.Sprint(st.Scores) == fmt.Sprint(st.Was) || fmt.Sprint(st.Was) != fmt.Sprint(centred.Scores) {
		t.Error("the scores did not change with the shift")
	}
	for _, q := range [][3]int{{0, 10, 12}, {1, 20, 5}, {2, 3, 30}} {
		if got, want := st.X[q[0]][q[1]][q[2]], centred.X[q[0]][q[1]+1][q[2]-2]; got != want {
			t.Errorf("the shifted picture at %v is %v, want the centred picture's %v", q, got, want)
		}
	}
	// conv2d agrees that a map value moved with the picture.
	var moved [2]float32
	p.Eval(`(() => { const s = window.convlab.state().detail;
		const m = window.convlab.conv2d(s.x, s.filters, s.filterBias, {stride: 1, padding: 0});
		return [m[3][10][12], m[3][11][10]]; })()`, &moved)
	var before float32
	p.Eval(fmt.Sprintf(`window.convlab.conv2d(%s, window.convlab.state().detail.filters, window.convlab.state().detail.filterBias, {stride: 1, padding: 0})[3][11][10]`,
		jsonOf(centred.X)), &before)
	if moved[0] != before {
		t.Errorf("map 3 at (10, 12) after the shift is %v; before, at (11, 10), %v", moved[0], before)
	}
	if len(st.Ledger) != 2 || st.Ledger[0].Params != 30730 || st.Ledger[1].Params != 456 {
		t.Errorf("ledger %+v", st.Ledger)
	}
	p.Frames(2)
	img = p.Screenshot("fc-compare-shifted")
	if n := Colours(img, image.Rect(844, 260, 1270, 540)); n < 20 {
		t.Errorf("the maps look blank: %d colours", n)
	}

	// The deck keys: → leaves for the next lesson, ← comes back.
	p.Key(kb.ArrowRight)
	p.WaitFor(`window.convlab.state().lesson === "sliding-filter"`, 5*time.Second)
	p.Key(kb.ArrowLeft)
	p.WaitFor(`window.convlab.state().lesson === "fc-vs-conv"`, 5*time.Second)

	// Reload: the tab, the picture and its shift are kept.
	p.WaitFor(`location.hash.includes("lesson=fc-vs-conv") && decodeURIComponent(location.hash).includes("shift=2,-1")`, 5*time.Second)
	p.Eval(`(window.convlabOldPage = true, setTimeout(() => location.reload(), 10), true)`, nil)
	p.WaitFor(`!window.convlabOldPage && window.convlabGo && window.convlab.state().lesson === "fc-vs-conv"`, 60*time.Second)
	if st := p.state(); st.Tab != "compare" || st.Input != "digit-4" || st.Shift != [2]int{2, -1} {
		t.Errorf("after a reload: tab %q, input %q, shift %v", st.Tab, st.Input, st.Shift)
	}
}

func (p fcPage) message() string {
	var s struct {
		Message string `json:"message"`
	}
	p.State(&s)
	return s.Message
}

func jsonOf(v [][][]float32) string {
	var b strings.Builder
	b.WriteString("[")
	for c, plane := range v {
		if c > 0 {
			b.WriteString(",")
		}
		b.WriteString("[")
		for y, row := range plane {
			if y > 0 {
				b.WriteString(",")
			}
			b.WriteString(strings.ReplaceAll(fmt.Sprint(row), " ", ","))
		}
		b.WriteString("]")
	}
	return b.String() + "]"
}

// TestFCProjector looks at every tab on a 1024x768 projector with a
// photo-like picture, checking every target's size.
func TestFCProjector(t *testing.T) {
	p := fcPage{browser.Open(t, browser.FileURL(), View{W: 1024, H: 768})}
	p.Click("source-pictures")
	p.Click("input-picture-house")
	p.WaitFor(`window.convlab.state().detail.input === "picture-house"`, 5*time.Second)
	for _, tab := range []string{"stretch", "scores", "conv", "compare"} {
		p.tab(tab)
		for _, tg := range p.Targets() {
			if tg.W < 44 || tg.H < 44 {
				t.Errorf("%s: %s is %.1fx%.1f CSS px on the projector, want at least 44x44", tab, tg.Name, tg.W, tg.H)
			}
		}
		if tab == "compare" {
			p.Click("shift-left")
			p.Click("shift-down")
			p.WaitFor(`window.convlab.state().detail.shift[1] === 1`, 5*time.Second)
		}
		p.Frames(2)
		p.Screenshot("fc-" + tab + "-1024x768")
	}
}
