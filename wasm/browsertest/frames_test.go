//go:build !js

package browsertest

import (
	"image"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// TestFramesOnlyOnChange: the page runs a frame only when something may
// have changed. Left alone it draws nothing while the display goes on at
// its own rate; a pointer resting on a control brings, with no further
// event, the frame that shows its tooltip after the delay; leaving the
// control takes it away.
func TestFramesOnlyOnChange(t *testing.T) {
	p := browser.Open(t, browser.FileURL(), View{W: 1280, H: 800})
	time.Sleep(1500 * time.Millisecond)
	var st struct {
		FPS      float64 `json:"fps"`
		Pictures float64 `json:"pictures"`
		Tooltip  string  `json:"tooltip"`
	}
	p.State(&st)
	if st.Pictures != 0 || st.FPS < 10 {
		t.Errorf("left alone for 1.5 s: %v pictures a second (want 0) at %.1f display frames a second", st.Pictures, st.FPS)
	}

	tg := p.Find("lesson-beyond")
	x, y := tg.X+tg.W/2, tg.Y+tg.H/2
	before := p.Screenshot("frames-before-tooltip")
	p.Mouse(input.DispatchMouseEventTypeMouseMoved, x, y)
	p.Frames(3)
	if p.State(&st); st.Tooltip != "" {
		t.Errorf("tooltip %q shows at once; it waits for the pointer to rest", st.Tooltip)
	}
	p.WaitFor(`window.convlab.state().tooltip === "lesson-beyond"`, 3*time.Second)
	p.Frames(3)
	shown := p.Screenshot("frames-tooltip")
	if differ(before, shown) == 0 {
		t.Errorf("the tooltip of lesson-beyond is in the state but not on the screen")
	}
	// The tooltip is drawn above the controls, inside the window, and
	// describes its control to screen readers.
	var tip struct {
		Text              string
		X, Y, W, H        float64
		Described, Hidden bool
	}
	p.Eval(`(() => { const e = document.getElementById("tip"), r = e.getBoundingClientRect();
		return { Text: e.textContent, X: r.left, Y: r.top, W: r.width, H: r.height, Hidden: e.hidden,
			Described: document.querySelector('[data-name="lesson-beyond"]').getAttribute("aria-describedby") === "tip" }; })()`, &tip)
	if tip.Hidden || !strings.Contains(tip.Text, "Beyond") || !tip.Described {
		t.Errorf("tooltip element: %+v; want the lesson's tooltip, shown, describing lesson-beyond", tip)
	}
	if tip.X < 0 || tip.Y < tg.Y+tg.H || tip.X+tip.W > 1280 || tip.Y+tip.H > 800 {
		t.Errorf("tooltip at %.0f,%.0f size %.0fx%.0f: want below lesson-beyond (bottom %.0f), inside the 1280x800 window", tip.X, tip.Y, tip.W, tip.H, tg.Y+tg.H)
	}
	p.Mouse(input.DispatchMouseEventTypeMouseMoved, 640, 500)
	p.WaitFor(`window.convlab.state().tooltip === undefined && document.getElementById("tip").hidden`, 3*time.Second)
}

// differ counts the pixels that differ between two screenshots of the same size.
func differ(a, b image.Image) int {
	n := 0
	r := a.Bounds().Intersect(b.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if a.At(x, y) != b.At(x, y) {
				n++
			}
		}
	}
	return n
}

// TestFramesFollowResize: a window resized while the page is idle gets a
// frame of its own: the controls move to the new layout and the canvas
// is drawn again at the new size.
func TestFramesFollowResize(t *testing.T) {
	p := browser.Open(t, browser.FileURL(), View{W: 1280, H: 800})
	time.Sleep(time.Second)
	wide := p.Find("lesson-beyond")
	if err := chromedp.Do(p.ctx, chromedp.EmulateViewport(1024, 768)); err != nil {
		t.Fatal(err)
	}
	p.WaitFor(`(() => { const r = document.querySelector('[data-name="lesson-beyond"]').getBoundingClientRect(); return r.right <= 1024 && r.right > 1000; })()`, 5*time.Second)
	p.Frames(3)
	img := p.Screenshot("frames-resized-1024x768")
	if b := img.Bounds(); b.Dx() != 1024 || b.Dy() != 768 {
		t.Fatalf("screenshot is %v after resizing to 1024x768", b)
	}
	narrow := p.Find("lesson-beyond")
	if narrow.W >= wide.W {
		t.Errorf("lesson-beyond is %.0f px wide at 1024 and %.0f at 1280: the layout did not follow", narrow.W, wide.W)
	}
	// The same page opened at 1024x768 looks the same.
	q := browser.Open(t, browser.FileURL(), View{W: 1024, H: 768})
	q.Frames(3)
	fresh := q.Screenshot("frames-fresh-1024x768")
	if n := differ(img, fresh); n > 1024*768/1000 {
		t.Errorf("resized to 1024x768 the page differs from one opened at that size in %d pixels", n)
	}
}
