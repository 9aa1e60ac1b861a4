//go:build !js

package browsertest

import (
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// beyondState is the part of lesson 5's state the browser tests read.
type beyondState struct {
	Lesson  string `json:"lesson"`
	Message string `json:"message"`
	Detail  struct {
		Tab       string `json:"tab"`
		Receptive struct {
			Sides []int  `json:"sides"`
			Seen  []int  `json:"seen"`
			Unit  [2]int `json:"unit"`
			Field [4]int `json:"field"`
		} `json:"receptive"`
		Mix struct {
			Weights [][]float32 `json:"weights"`
			Bias    []float32   `json:"bias"`
			Probe   [2]int      `json:"probe"`
		} `json:"mix"`
		Pool struct {
			Max      [][]float32 `json:"max"`
			Winners  [][2]int    `json:"winners"`
			Selected *[2]int     `json:"selected"`
		} `json:"pool"`
		Net struct {
			Params  int      `json:"params"`
			Error   string   `json:"error"`
			Failing int      `json:"failing"`
			Ran     []string `json:"ran"`
		} `json:"net"`
		Norm struct {
			Test     bool      `json:"test"`
			Steps    int       `json:"steps"`
			RunMean  []float32 `json:"runMean"`
			FoldDiff float32   `json:"foldDiff"`
		} `json:"norm"`
	} `json:"detail"`
}

// dragTo moves the mouse to (x, y) with the left button held, as a drag
// does (a move without the button would end the drag).
func (p *Page) dragTo(x, y float64) {
	p.T.Helper()
	held := func(e *input.DispatchMouseEventParams) { e.Buttons = 1 }
	if err := chromedp.Do(p.ctx, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, x, y, chromedp.ButtonLeft, held)); err != nil {
		p.T.Fatalf("drag to %v,%v: %v", x, y, err)
	}
}

func (p *Page) beyondState() beyondState {
	var st beyondState
	p.State(&st)
	return st
}

// TestBeyondLesson works through lesson 5 from disk at 1280x800 with real
// clicks, typing, the wheel, a drag and the deck keys: a stride-2 layer and
// a chosen unit, a refused and an accepted 1x1 weight and a probed pixel,
// a chosen pooling output and a typed input, the LeNet presets and a
// kernel that breaks the network, and batch norm trained and in test mode.
func TestBeyondLesson(t *testing.T) {
	p := browser.Open(t, browser.FileURL()+"#lesson=beyond", View{W: 1280, H: 800})
	const wait = 10 * time.Second
	st := p.beyondState()
	if st.Lesson != "beyond" || st.Detail.Tab != "receptive" || fmt.Sprint(st.Detail.Receptive.Seen) != "[1 3 5 7]" {
		t.Fatalf("the lesson opens on %s, tab %q, seen %v", st.Lesson, st.Detail.Tab, st.Detail.Receptive.Seen)
	}
	p.Click("field-add-3")
	p.WaitFor(`window.convlab.state().detail.receptive.sides.length === 5`, wait)
	// Unit (1, 6) of the 8x8 output of the stride-2 layer.
	pick := p.Find("field-pick")
	p.ClickAt(pick.X+6.5/8*pick.W, pick.Y+1.5/8*pick.H)
	p.WaitFor(`window.convlab.state().detail.receptive.unit[1] === 6`, wait)
	if st := p.beyondState(); st.Detail.Receptive.Unit != [2]int{1, 6} || st.Detail.Receptive.Field != [4]int{8, -2, 17, 7} {
		t.Errorf("unit %v sees %v", st.Detail.Receptive.Unit, st.Detail.Receptive.Field)
	}
	p.Screenshot("beyond-receptive-1280x800")

	p.Key(kb.PageDown)
	p.WaitFor(`window.convlab.state().detail.tab === "1x1"`, wait)
	p.Click("mix-w-0-0")
	p.Key("abc\r")
	p.WaitFor(`window.convlab.state().message.includes("abc")`, wait)
	if w := p.beyondState().Detail.Mix.Weights[0][0]; w != 0.299 {
		t.Errorf("after abc the weight is %v, want the old 0.299", w)
	}
	p.Click("mix-w-0-0")
	p.Key("1\r")
	p.WaitFor(`window.convlab.state().detail.mix.weights[0][0] === 1`, wait)
	p.Wheel("mix-b-2", -100)
	p.WaitFor(`Math.abs(window.convlab.state().detail.mix.bias[2] - 0.1) < 1e-6`, wait)
	c := p.Find("mix-w-1-2")
	x, y := c.X+c.W/2, c.Y+c.H/2
	p.Mouse(input.DispatchMouseEventTypeMousePressed, x, y)
	p.dragTo(x, y-10)
	p.dragTo(x, y-24)
	p.Mouse(input.DispatchMouseEventTypeMouseReleased, x, y-24)
	p.WaitFor(`Math.abs(window.convlab.state().detail.mix.weights[1][2] - 0.414) < 1e-6`, wait)
	in := p.Find("mix-input")
	p.ClickAt(in.X+20.5/32*in.W, in.Y+5.5/32*in.H)
	p.WaitFor(`window.convlab.state().detail.mix.probe[0] === 5`, wait)
	if pr := p.beyondState().Detail.Mix.Probe; pr != [2]int{5, 20} {
		t.Errorf("probed pixel %v, want (5, 20)", pr)
	}
	p.Screenshot("beyond-1x1-1280x800")

	p.Key(kb.PageDown)
	p.WaitFor(`window.convlab.state().detail.tab === "pool"`, wait)
	if st := p.beyondState(); fmt.Sprint(st.Detail.Pool.Max) != "[[6 8] [3 4]]" {
		t.Errorf("max pooling the lecture's slice gives %v", st.Detail.Pool.Max)
	}
	p.Click("pool-avg-0-1")
	p.WaitFor(`window.convlab.state().detail.pool.selected`, wait)
	p.Click("pool-in-0-3")
	p.Key("9\r")
	p.WaitFor(`window.convlab.state().detail.pool.max[0][1] === 9`, wait)
	if w := p.beyondState().Detail.Pool.Winners[1]; w != [2]int{0, 3} {
		t.Errorf("the 9 at (0, 3) should win its window; the winner is %v", w)
	}
	p.Screenshot("beyond-pool-1280x800")

	p.Key(kb.PageDown)
	p.WaitFor(`window.convlab.state().detail.tab === "lenet" && window.convlab.state().detail.net.ran.length === 10`, 20*time.Second)
	if st := p.beyondState(); st.Detail.Net.Params != 1256080 || st.Detail.Net.Ran[6] != "2450" {
		t.Errorf("the lecture's LeNet: %d parameters, ran %v", st.Detail.Net.Params, st.Detail.Net.Ran)
	}
	p.Click("net-preset-no-padding")
	p.WaitFor(`window.convlab.state().detail.net.params === 431080`, wait)
	p.Click("net-3-kernel")
	p.Key("13\r")
	p.WaitFor(`window.convlab.state().detail.net.failing === 3`, wait)
	p.Screenshot("beyond-lenet-broken-1280x800")
	p.Click("net-3-kernel")
	p.Key("5\r")
	p.WaitFor(`window.convlab.state().detail.net.failing === -1 && window.convlab.state().detail.net.ran.length === 10`, wait)
	p.Screenshot("beyond-lenet-1280x800")

	p.Key(kb.PageDown)
	p.WaitFor(`window.convlab.state().detail.tab === "batchnorm"`, wait)
	p.Click("norm-train-20")
	p.WaitFor(`window.convlab.state().detail.norm.steps === 20`, wait)
	p.Click("norm-test")
	p.WaitFor(`window.convlab.state().detail.norm.test`, wait)
	if st := p.beyondState(); st.Detail.Norm.RunMean[0] < 5 || st.Detail.Norm.FoldDiff > 1e-5 {
		t.Errorf("after 20 batches: running mean %v, fold difference %v", st.Detail.Norm.RunMean, st.Detail.Norm.FoldDiff)
	}
	p.Screenshot("beyond-batchnorm-1280x800")
	p.Key(kb.PageUp)
	p.WaitFor(`window.convlab.state().detail.tab === "lenet"`, wait)
}

// TestBeyondProjector opens every tab of lesson 5 at 1024x768: every
// target is on screen and at least 44 CSS px, and the screenshots are
// saved.
func TestBeyondProjector(t *testing.T) {
	p := browser.Open(t, browser.FileURL()+"#lesson=beyond", View{W: 1024, H: 768})
	for _, tab := range []string{"receptive", "1x1", "pool", "lenet", "batchnorm"} {
		p.Click("tab-" + tab)
		p.WaitFor(`window.convlab.state().detail.tab === "`+tab+`"`, 20*time.Second)
		for _, tg := range p.Targets() {
			if tg.X < 0 || tg.Y < 0 || tg.X+tg.W > 1024.5 || tg.Y+tg.H > 768.5 {
				t.Errorf("%s: %s at %v,%v %vx%v is off screen", tab, tg.Name, tg.X, tg.Y, tg.W, tg.H)
			}
			if tg.W < 44 || tg.H < 44 {
				t.Errorf("%s: %s is %.1fx%.1f CSS px", tab, tg.Name, tg.W, tg.H)
			}
		}
		p.Screenshot("beyond-" + tab + "-1024x768")
	}
}
