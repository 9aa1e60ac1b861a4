//go:build !js

package browsertest

import (
	"fmt"
	"image"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp/kb"
)

var browser *Browser

func TestMain(m *testing.M) {
	b, err := Start()
	if err != nil {
		fmt.Fprintln(os.Stderr, "browser tests:", err)
		os.Exit(1)
	}
	browser = b
	code := m.Run()
	b.Close()
	os.Exit(code)
}

// TestShell opens the page from disk and over http, checks it draws, and
// moves between lessons with instant clicks and the deck keys.
func TestShell(t *testing.T) {
	for _, c := range []struct {
		name string
		url  func() string
	}{
		{"file", browser.FileURL},
		{"http", browser.HTTPURL},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := browser.Open(t, c.url(), View{W: 1280, H: 800})
			t.Logf("%s: first frame after %v", c.name, p.Loaded)
			if got := p.Lesson(); got != "fc-vs-conv" {
				t.Errorf("first lesson = %q, want fc-vs-conv", got)
			}
			img := p.Screenshot("shell-" + c.name)
			if n := Colours(img, image.Rect(0, 0, 1280, 800)); n < 50 {
				t.Errorf("the page looks blank: %d colours", n)
			}
			var st struct {
				Lessons []string `json:"lessons"`
			}
			p.State(&st)
			want := []string{"fc-vs-conv", "sliding-filter", "activation-maps", "training", "beyond"}
			if fmt.Sprint(st.Lessons) != fmt.Sprint(want) {
				t.Errorf("lessons = %v, want %v", st.Lessons, want)
			}

			p.Click("lesson-training")
			p.WaitFor(`window.convlab.state().lesson === "training"`, 5e9)
			p.Click("tab-try") // the deck keys walk the training lesson's tabs before the next lesson
			p.Key(kb.PageDown)
			p.WaitFor(`window.convlab.state().lesson === "beyond"`, 5e9)
			p.Key(kb.PageUp)
			p.WaitFor(`window.convlab.state().lesson === "training"`, 5e9)
			p.Key("2")
			p.WaitFor(`window.convlab.state().lesson === "sliding-filter"`, 5e9)
			p.Key(kb.ArrowLeft)
			p.WaitFor(`window.convlab.state().lesson === "fc-vs-conv"`, 5e9)
		})
	}
}

// TestNoClickLost sends twenty instant clicks in a row, alternating between
// two lessons, while the page is slowed to about ten frames a second: every
// click must count.
func TestNoClickLost(t *testing.T) {
	// Every frame does ~100 ms of extra busy work, as on an old laptop: the
	// page draws at under ten frames a second and a press and release land
	// inside one frame.
	slow := `(() => { const raf = window.requestAnimationFrame.bind(window);
		window.requestAnimationFrame = (f) => raf((ts) => { const t0 = performance.now(); while (performance.now() - t0 < 100) {} f(ts); }); })();`
	p := browser.Open(t, browser.HTTPURL(), View{W: 1280, H: 800, Init: slow})
	p.Frames(15)
	var fps struct {
		FPS float64 `json:"fps"`
	}
	p.State(&fps)
	if fps.FPS > 11 {
		t.Fatalf("the page draws at %.1f fps; the test needs it slowed to 10 or less", fps.FPS)
	}
	var before struct {
		Messages int `json:"messages"`
	}
	p.State(&before)
	a, b := p.Find("lesson-training"), p.Find("lesson-beyond")
	for i := 0; i < 20; i++ {
		tg := a
		if i%2 == 1 {
			tg = b
		}
		p.ClickAt(tg.X+tg.W/2, tg.Y+tg.H/2)
	}
	// Each click switches lesson and says so: twenty clicks, twenty messages.
	p.WaitFor(fmt.Sprintf(`window.convlab.state().messages >= %d`, before.Messages+20), 20e9)
	p.Frames(3)
	var after struct {
		Lesson   string `json:"lesson"`
		Messages int    `json:"messages"`
	}
	p.State(&after)
	if after.Messages != before.Messages+20 || after.Lesson != "beyond" {
		t.Errorf("after 20 instant clicks: %d messages (want %d), lesson %q (want beyond)",
			after.Messages-before.Messages, 20, after.Lesson)
	}
}

// TestTargetsAtProjectorSize checks every target is on screen and at least
// 44 CSS px on a 1024x768 projector, and that the page is crisp at DPR 2.
func TestTargetsAtProjectorSize(t *testing.T) {
	p := browser.Open(t, browser.FileURL(), View{W: 1024, H: 768})
	for _, tg := range p.Targets() {
		if tg.X < 0 || tg.Y < 0 || tg.X+tg.W > 1024.5 || tg.Y+tg.H > 768.5 {
			t.Errorf("%s at %v,%v %vx%v is off screen", tg.Name, tg.X, tg.Y, tg.W, tg.H)
		}
		if tg.W < 44 || tg.H < 44 {
			t.Errorf("%s is %.1fx%.1f CSS px, want at least 44x44", tg.Name, tg.W, tg.H)
		}
	}
	p.Screenshot("shell-1024x768")
	hi := browser.Open(t, browser.FileURL(), View{W: 1280, H: 800, DPR: 2})
	img := hi.Screenshot("shell-1280x800-dpr2")
	if img.Bounds().Dx() != 2560 {
		t.Errorf("DPR 2 screenshot is %d px wide, want 2560", img.Bounds().Dx())
	}
}

// TestUnsupportedBrowser checks that a browser without WebAssembly or
// without WebGL 2 is told so in plain words instead of a blank page.
func TestUnsupportedBrowser(t *testing.T) {
	cases := []struct{ name, init, want string }{
		{"no-wasm", `delete window.WebAssembly;`, "cannot run WebAssembly"},
		{"no-webgl", `(() => { const get = HTMLCanvasElement.prototype.getContext;
			HTMLCanvasElement.prototype.getContext = function (kind, ...rest) {
				return kind === "webgl2" || kind === "webgl" ? null : get.call(this, kind, ...rest); }; })();`, "WebGL"},
	}
	for _, c := range cases {
		p := browser.OpenRaw(t, browser.FileURL(), View{W: 1024, H: 768, Init: c.init})
		deadline := time.Now().Add(10 * time.Second)
		for !strings.Contains(p.LoadingMessage(), c.want) {
			if time.Now().After(deadline) {
				t.Fatalf("%s: the page says %q, want it to mention %q", c.name, p.LoadingMessage(), c.want)
			}
			time.Sleep(50 * time.Millisecond)
		}
		p.Screenshot("unsupported-" + c.name)
	}
}
