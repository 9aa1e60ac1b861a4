//go:build !js

package browsertest

import (
	"fmt"
	"image"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp/kb"
)

// slidingDetail is the part of the sliding-filter lesson's state the
// browser tests read.
type slidingDetail struct {
	Size        int             `json:"size"`
	Padding     int             `json:"padding"`
	Stride      int             `json:"stride"`
	Kernel      int             `json:"kernel"`
	Step        int             `json:"step"`
	Steps       int             `json:"steps"`
	OutputSize  int             `json:"outputSize"`
	OutputError string          `json:"outputError"`
	Weights     [][][][]float32 `json:"weights"`
	Bias        []float32       `json:"bias"`
	Channels    int             `json:"channels"`
	Shape       string          `json:"shape"`
	Message     struct {
		Text   string `json:"text"`
		Target string `json:"target"`
		Error  bool   `json:"error"`
	} `json:"message"`
}

func slidingState(p *Page) slidingDetail {
	p.T.Helper()
	var s struct {
		Lesson string        `json:"lesson"`
		Detail slidingDetail `json:"detail"`
	}
	p.State(&s)
	if s.Lesson != "sliding-filter" {
		p.T.Fatalf("lesson %q on show, want sliding-filter", s.Lesson)
	}
	return s.Detail
}

// checkAgainstConv2D compares every revealed output with
// window.convlab.conv2d on the state's input, weights and bias, and
// returns how many were revealed and the output size.
func checkAgainstConv2D(t *testing.T, p *Page, when string) (revealed, size int) {
	t.Helper()
	var r struct {
		Revealed int      `json:"revealed"`
		Hidden   int      `json:"hidden"`
		Size     int      `json:"size"`
		Bad      []string `json:"bad"`
	}
	p.Eval(`(() => {
		const s = window.convlab.state().detail;
		const want = window.convlab.conv2d(s.input, s.weights, s.bias, {stride: s.stride, padding: s.padding});
		const r = {revealed: 0, hidden: 0, size: want[0].length, bad: []};
		if (s.outputs.length !== want.length || s.outputs[0].length !== want[0].length) {
			r.bad.push("output is " + s.outputs[0].length + " wide, conv2d gives " + want[0].length);
			return r;
		}
		want.forEach((m, o) => m.forEach((row, i) => row.forEach((w, j) => {
			const v = s.outputs[o][i][j];
			if (v === null) { r.hidden++; return; }
			r.revealed++;
			if (v !== w) r.bad.push("(" + o + "," + i + "," + j + ") = " + v + ", conv2d " + w);
		})));
		return r;
	})()`, &r)
	for _, b := range r.Bad {
		t.Errorf("%s: output %s", when, b)
	}
	return r.Revealed, r.Size
}

// cellHasClass reports whether the named control has the CSS class.
func cellHasClass(p *Page, name, class string) bool {
	var ok bool
	p.Eval(fmt.Sprintf(`document.querySelector('[data-name=%q]').classList.contains(%q)`, name, class), &ok)
	return ok
}

// TestSlidingFilter uses the lesson as a student does, from disk at
// 1280x800: steps through the whole 7x7 output comparing every value with
// the engine's conv2d, edits a weight by typing, by the wheel and by a
// drag, has a bad entry refused, changes the stride and chooses a shape
// with no output, then reloads the page and finds the work kept.
func TestSlidingFilter(t *testing.T) {
	p := browser.Open(t, browser.FileURL(), View{W: 1280, H: 800})
	p.Click("lesson-sliding-filter")
	p.WaitFor(`window.convlab.state().lesson === "sliding-filter"`, 5*time.Second)
	st := slidingState(p)
	if st.Size != 7 || st.Padding != 1 || st.Stride != 1 || st.Kernel != 3 || st.OutputSize != 7 || st.Step != -1 {
		t.Fatalf("opening state %+v", st)
	}
	p.Frames(2)
	p.Screenshot("sliding-1280x800")

	// Step through all 49 cells by clicking Step.
	for i := 0; i < 10; i++ {
		p.Click("step")
	}
	p.WaitFor(`window.convlab.state().detail.step === 9`, 5*time.Second)
	if n, _ := checkAgainstConv2D(t, p, "after 10 steps"); n != 10 {
		t.Errorf("after 10 steps %d outputs are shown, want 10", n)
	}
	p.Frames(2)
	img := p.Screenshot("sliding-mid-step")
	if n := Colours(img, image.Rect(560, 320, 820, 480)); n < 20 {
		t.Errorf("the arithmetic beside the filter looks blank: %d colours", n)
	}
	for i := 10; i < 49; i++ {
		p.Click("step")
	}
	p.WaitFor(`window.convlab.state().detail.step === 48`, 10*time.Second)
	if n, size := checkAgainstConv2D(t, p, "after 49 steps"); n != 49 || size != 7 {
		t.Errorf("after 49 steps: %d of %dx%d outputs shown", n, size, size)
	}
	// The deck keys step too: ← goes back a cell.
	p.Key(kb.ArrowLeft)
	p.WaitFor(`window.convlab.state().detail.step === 47`, 5*time.Second)

	// Type a weight: click the cell, type, Enter.
	p.Click("weight-0-2")
	p.Key("1.5")
	p.Key("\r")
	p.WaitFor(`window.convlab.state().detail.weights[0][0][0][2] === 1.5`, 5*time.Second)
	checkAgainstConv2D(t, p, "after typing 1.5")
	// The wheel: one notch up is +0.1.
	p.Wheel("weight-0-2", -100)
	p.WaitFor(`Math.abs(window.convlab.state().detail.weights[0][0][0][2] - 1.6) < 1e-6`, 5*time.Second)
	checkAgainstConv2D(t, p, "after the wheel")
	// A drag up the bias by three steps of eight pixels: +0.3.
	b := p.Find("bias")
	x, y := b.X+b.W/2, b.Y+b.H/2
	p.Mouse(input.DispatchMouseEventTypeMousePressed, x, y)
	for _, dy := range []float64{-6, -12, -18, -24} {
		p.Mouse(input.DispatchMouseEventTypeMouseMoved, x, y+dy)
	}
	p.Mouse(input.DispatchMouseEventTypeMouseReleased, x, y-24)
	p.WaitFor(`Math.abs(window.convlab.state().detail.bias[0] - 0.3) < 1e-6`, 5*time.Second)
	checkAgainstConv2D(t, p, "after dragging the bias")

	// "abc" is refused next to the cell; the old value stays.
	p.Click("weight-0-2")
	p.Key("abc")
	p.Key("\r")
	p.WaitFor(`window.convlab.state().detail.message.error === true`, 5*time.Second)
	st = slidingState(p)
	if st.Weights[0][0][0][2] < 1.59 || st.Weights[0][0][0][2] > 1.61 || st.Message.Target != "weight-0-2" || !strings.Contains(st.Message.Text, "not a number") {
		t.Errorf("after typing abc: weight %v, message %+v", st.Weights[0][0][0][2], st.Message)
	}
	var status string
	p.Eval(`document.getElementById("live").textContent`, &status)
	if !strings.Contains(status, "not a number") || !strings.Contains(status, "It stays 1.6") {
		t.Errorf("the live region says %q", status)
	}
	if !cellHasClass(p, "weight-0-2", "err") {
		t.Error("the refused cell is not marked as an error")
	}
	var shown string
	p.Eval(`document.querySelector('[data-name="weight-0-2"]').value`, &shown)
	if shown != "1.6" {
		t.Errorf("the refused cell holds %q, want the old 1.6", shown)
	}
	p.Frames(2)
	p.Screenshot("sliding-refused")

	// Stride 2: a 4x4 output, stepped through and checked.
	p.Click("tab-shape")
	p.Click("stride-2")
	p.WaitFor(`window.convlab.state().detail.outputSize === 4`, 5*time.Second)
	for i := 0; i < 16; i++ {
		p.Click("step")
	}
	p.WaitFor(`window.convlab.state().detail.step === 15`, 5*time.Second)
	if n, size := checkAgainstConv2D(t, p, "stride 2"); n != 16 || size != 4 {
		t.Errorf("stride 2: %d of %dx%d outputs shown, want 16 of 4x4", n, size, size)
	}
	var cells int
	p.Eval(`window.convlab.targets().filter(t => t.name.startsWith("output-")).length`, &cells)
	if cells != 16 {
		t.Errorf("stride 2 shows %d output cells, want 16", cells)
	}

	// An impossible shape: 6x6, kernel 3, no padding, stride 2.
	p.Click("size-6")
	p.Click("padding-0")
	p.WaitFor(`window.convlab.state().detail.padding === 0 && window.convlab.state().detail.outputError !== ""`, 5*time.Second)
	st = slidingState(p)
	if st.Size != 6 || st.Kernel != 3 || st.Padding != 0 || st.Stride != 2 || !strings.Contains(st.OutputError, "not a whole number") {
		t.Errorf("impossible shape: %+v", st)
	}
	p.Eval(`window.convlab.targets().filter(t => t.name.startsWith("output-")).length`, &cells)
	if cells != 0 {
		t.Errorf("an impossible shape still offers %d output cells", cells)
	}
	p.Find("fix-0")
	p.Frames(2)
	img = p.Screenshot("sliding-impossible")
	if n := Colours(img, image.Rect(780, 140, 1200, 300)); n < 20 {
		t.Errorf("the explanation looks blank: %d colours", n)
	}

	// Reload: the edit and the shape are kept.
	p.WaitFor(`location.hash.includes("sliding-filter") && decodeURIComponent(location.hash).includes("n=6")`, 5*time.Second)
	// The old page is marked, so nothing is read from it before it unloads.
	p.Eval(`(window.convlabOldPage = true, setTimeout(() => location.reload(), 10), true)`, nil)
	p.WaitFor(`!window.convlabOldPage && window.convlabGo && window.convlab.state().lesson === "sliding-filter"`, 60*time.Second)
	st = slidingState(p)
	if st.Weights[0][0][0][2] < 1.59 || st.Weights[0][0][0][2] > 1.61 || st.Size != 6 || st.Stride != 2 || st.Bias[0] < 0.29 {
		t.Errorf("after a reload: weight %v, bias %v, size %d, stride %d", st.Weights[0][0][0][2], st.Bias, st.Size, st.Stride)
	}
	p.Click("fix-0")
	p.WaitFor(`window.convlab.state().detail.outputError === ""`, 5*time.Second)
}

// TestSlidingProjector looks at the lesson on a 1024x768 projector: the
// opening screen, a step with its arithmetic, the check tab with a
// prediction, and the channels mode.
func TestSlidingProjector(t *testing.T) {
	p := browser.Open(t, browser.FileURL(), View{W: 1024, H: 768})
	p.Key("2")
	p.WaitFor(`window.convlab.state().lesson === "sliding-filter"`, 5*time.Second)
	for _, tg := range p.Targets() {
		if tg.W < 44 || tg.H < 44 {
			t.Errorf("%s is %.1fx%.1f CSS px on the projector, want at least 44x44", tg.Name, tg.W, tg.H)
		}
	}
	p.Frames(2)
	p.Screenshot("sliding-1024x768")
	p.Click("output-3-3")
	p.WaitFor(`window.convlab.state().detail.step === 24`, 5*time.Second)
	p.Click("input-1-4")
	p.WaitFor(`window.convlab.state().detail.selected !== null`, 5*time.Second)
	p.Frames(2)
	p.Screenshot("sliding-1024x768-step")

	p.Click("tab-check")
	p.Click("predict-mode")
	p.Key(kb.ArrowRight)
	p.WaitFor(`window.convlab.state().detail.asking === true`, 5*time.Second)
	p.Click("predict")
	p.Key("1")
	p.Key("\r")
	p.WaitFor(`window.convlab.state().detail.message.target === "predict"`, 5*time.Second)
	st := slidingState(p)
	if !strings.HasPrefix(st.Message.Text, "Right") && !strings.HasPrefix(st.Message.Text, "Not quite") {
		t.Errorf("the verdict on a prediction: %+v", st.Message)
	}
	p.Frames(2)
	p.Screenshot("sliding-1024x768-check")

	p.Click("predict-mode")
	p.WaitFor(`window.convlab.state().detail.predictMode === false`, 5*time.Second)
	p.Click("channels")
	p.WaitFor(`window.convlab.state().detail.channels === 3`, 5*time.Second)
	p.Click("output-1-2-3")
	p.WaitFor(`window.convlab.state().detail.position !== null && window.convlab.state().detail.position.filter === 1`, 5*time.Second)
	st = slidingState(p)
	if st.Shape != "3 x 7 x 7 -> 2 x 7 x 7" {
		t.Errorf("channels shape %q", st.Shape)
	}
	if n, _ := checkAgainstConv2D(t, p, "channels mode"); n < 1 {
		t.Error("channels mode shows no output")
	}
	p.Frames(2)
	p.Screenshot("sliding-1024x768-channels")
}
