//go:build !js

// Package browsertest drives ConvLab's built page in Debian's Chromium,
// headless, the way a student uses it: real mouse and key events at the
// rectangles window.convlab.targets() reports, answers read from
// window.convlab.state(). Screenshots go to out/screenshots/ (git-ignored).
//
// The tests need the page built (./build.sh) and Chromium; ./build.sh test
// does both. Set CONVLAB_CHROMIUM to use another Chromium binary.
package browsertest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"convlab/wasm/devserver"
)

// Root returns the repository's top folder.
func Root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// Browser is one headless Chromium shared by a test binary, and the http
// server that serves web/.
type Browser struct {
	ctx    context.Context
	cancel context.CancelFunc
	srv    *httptest.Server
	web    string
}

// Start launches Chromium and the server. It fails with a clear message
// when the page is not built or Chromium is missing.
func Start() (*Browser, error) {
	web := filepath.Join(Root(), "web")
	if _, err := os.Stat(filepath.Join(web, "main.wasm.js")); err != nil {
		return nil, fmt.Errorf("the page is not built (%v): run ./build.sh first", err)
	}
	exe := os.Getenv("CONVLAB_CHROMIUM")
	if exe == "" {
		exe = "/usr/bin/chromium"
	}
	if _, err := os.Stat(exe); err != nil {
		return nil, fmt.Errorf("chromium not found at %s: install Debian's chromium or set CONVLAB_CHROMIUM", exe)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.NoSandbox,
		chromedp.Flag("enable-unsafe-swiftshader", true),
		chromedp.Flag("use-angle", "swiftshader"),
		chromedp.Flag("ignore-gpu-blocklist", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("allow-file-access-from-files", false),
		chromedp.WindowSize(1280, 800),
	)
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	if err := chromedp.Do(bctx); err != nil {
		bcancel()
		acancel()
		return nil, fmt.Errorf("starting chromium: %v", err)
	}
	b := &Browser{ctx: bctx, web: web, srv: httptest.NewServer(devserver.Handler(web))}
	b.cancel = func() { bcancel(); acancel() }
	return b, nil
}

// Close stops the browser and the server.
func (b *Browser) Close() {
	b.srv.Close()
	b.cancel()
}

// FileURL returns the file:// address of web/index.html, as a student's
// double-click opens it.
func (b *Browser) FileURL() string { return "file://" + filepath.Join(b.web, "index.html") }

// HTTPURL returns the address of the page served over http.
func (b *Browser) HTTPURL() string { return b.srv.URL + "/index.html" }

// View is a window size and device pixel ratio, and optionally a script
// to run in the page before any of its own.
type View struct {
	W, H int
	DPR  float64
	Init string
}

// Page is one tab showing ConvLab.
type Page struct {
	T      testing.TB
	ctx    context.Context
	cancel context.CancelFunc
	mu     sync.Mutex
	errs   []string
	// Loaded is how long the page took from navigation to its first frame.
	Loaded time.Duration
}

// Open opens url (with an optional fragment or query) in a new tab of the
// given size, waits for window.convlab.ready, and fails the test on a
// console error or exception at any time until the page is closed.
func (b *Browser) Open(t testing.TB, url string, v View) *Page {
	t.Helper()
	p := b.OpenRaw(t, url, v)
	start := time.Now()
	if _, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](`(async () => {
		const t0 = performance.now();
		while (!window.convlab) {
			if (performance.now() - t0 > 60000) throw new Error("window.convlab never appeared");
			await new Promise(r => setTimeout(r, 20));
		}
		await window.convlab.ready;
		return true;
	})()`, chromedp.EvalAwaitPromise)); err != nil {
		t.Fatalf("page never became ready: %v (loading screen says %q)", err, p.LoadingMessage())
	}
	p.Loaded += time.Since(start)
	return p
}

// OpenRaw opens url like Open but does not wait for the page to start: for
// testing what a browser that cannot run ConvLab shows.
func (b *Browser) OpenRaw(t testing.TB, url string, v View) *Page {
	t.Helper()
	p := &Page{T: t}
	// A new browser context per page: its own storage, as a fresh visitor.
	tctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext(), chromedp.WithListener(func(ev any) {
		switch e := ev.(type) {
		case *cdpruntime.EventExceptionThrown:
			p.addErr("exception: " + e.ExceptionDetails.Text + describe(e.ExceptionDetails.Exception))
		case *cdpruntime.EventConsoleAPICalled:
			if e.Type == cdpruntime.ConsoleAPICalledTypeError {
				var parts []string
				for _, a := range e.Args {
					if len(a.Value) > 0 {
						parts = append(parts, string(a.Value))
					} else {
						parts = append(parts, a.Description)
					}
				}
				p.addErr("console.error: " + strings.Join(parts, " "))
			}
		}
	}))
	p.ctx, p.cancel = context.WithTimeout(tctx, 3*time.Minute)
	t.Cleanup(func() {
		p.CheckNoErrors()
		p.cancel()
		cancel()
	})
	if v.DPR == 0 {
		v.DPR = 1
	}
	start := time.Now()
	err := chromedp.Do(p.ctx,
		chromedp.EmulateViewport(int64(v.W), int64(v.H), chromedp.EmulateScale(v.DPR)),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			if v.Init == "" {
				return nil
			}
			_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: v.Init})
			return err
		}),
		chromedp.Navigate(url),
	)
	if err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
	p.Loaded = time.Since(start)
	return p
}

// LoadingMessage returns what the loading screen says now.
func (p *Page) LoadingMessage() string {
	msg, _ := chromedp.Run(p.ctx, chromedp.Evaluate[string](`document.getElementById("load-msg") ? document.getElementById("load-msg").textContent : ""`))
	return msg
}

func describe(o *cdpruntime.RemoteObject) string {
	if o == nil {
		return ""
	}
	return " " + o.Description
}

func (p *Page) addErr(s string) {
	p.mu.Lock()
	p.errs = append(p.errs, s)
	p.mu.Unlock()
}

// CheckNoErrors fails the test if the page logged an error or threw.
func (p *Page) CheckNoErrors() {
	p.T.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, e := range p.errs {
		p.T.Errorf("page error: %s", e)
	}
	p.errs = nil
}

// Eval evaluates a JavaScript expression (awaiting a promise) and decodes
// its JSON value into out (which may be nil).
func (p *Page) Eval(expr string, out any) {
	p.T.Helper()
	raw, err := chromedp.Run(p.ctx, chromedp.Evaluate[json.RawMessage](`(async () => JSON.stringify(await (`+expr+`)))()`, chromedp.EvalAwaitPromise))
	if err != nil {
		p.T.Fatalf("eval %s: %v", expr, err)
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		p.T.Fatalf("eval %s: %v", expr, err)
	}
	if out != nil && s != "" {
		if err := json.Unmarshal([]byte(s), out); err != nil {
			p.T.Fatalf("eval %s: decoding %s: %v", expr, s, err)
		}
	}
}

// State decodes window.convlab.state() into out.
func (p *Page) State(out any) {
	p.T.Helper()
	p.Eval(`window.convlab.state()`, out)
}

// Lesson returns the id of the lesson on show.
func (p *Page) Lesson() string {
	p.T.Helper()
	var s struct {
		Lesson string `json:"lesson"`
	}
	p.State(&s)
	return s.Lesson
}

// Target is a clickable thing on the page, in CSS pixels.
type Target struct {
	Name string  `json:"name"`
	X    float64 `json:"x"`
	Y    float64 `json:"y"`
	W    float64 `json:"w"`
	H    float64 `json:"h"`
	Kind string  `json:"kind"`
}

// Targets returns window.convlab.targets().
func (p *Page) Targets() []Target {
	p.T.Helper()
	var ts []Target
	p.Eval(`window.convlab.targets()`, &ts)
	return ts
}

// Find returns the target with the given name, waiting up to two seconds
// for it to appear.
func (p *Page) Find(name string) Target {
	p.T.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for {
		for _, t := range p.Targets() {
			if t.Name == name {
				return t
			}
		}
		if time.Now().After(deadline) {
			p.T.Fatalf("no target named %q", name)
		}
		time.Sleep(30 * time.Millisecond)
	}
}

// Click presses and releases the left mouse button at the centre of the
// named target, back to back, as an instant click.
func (p *Page) Click(name string) {
	p.T.Helper()
	t := p.Find(name)
	p.ClickAt(t.X+t.W/2, t.Y+t.H/2)
}

// ClickAt clicks at a point in CSS pixels.
func (p *Page) ClickAt(x, y float64) {
	p.T.Helper()
	if err := chromedp.Do(p.ctx, chromedp.MouseClickXY(x, y)); err != nil {
		p.T.Fatalf("click at %v,%v: %v", x, y, err)
	}
}

// Mouse sends one mouse event (pressed, released, moved) at a point.
func (p *Page) Mouse(typ input.DispatchMouseEventType, x, y float64) {
	p.T.Helper()
	opts := []chromedp.MouseOption{chromedp.ButtonLeft}
	if typ == input.DispatchMouseEventTypeMouseMoved {
		opts = []chromedp.MouseOption{chromedp.ButtonNone}
	}
	if err := chromedp.Do(p.ctx, chromedp.MouseEvent(typ, x, y, opts...)); err != nil {
		p.T.Fatalf("mouse %s at %v,%v: %v", typ, x, y, err)
	}
}

// Wheel turns the mouse wheel over the named target by deltaY pixels
// (Chrome sends -100 for one notch up).
func (p *Page) Wheel(name string, deltaY float64) {
	p.T.Helper()
	t := p.Find(name)
	x, y := t.X+t.W/2, t.Y+t.H/2
	err := chromedp.Do(p.ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, wheelEvent, wheelParams{Type: "mouseWheel", X: x, Y: y, DeltaY: deltaY})
		return err
	}))
	if err != nil {
		p.T.Fatalf("wheel on %s: %v", name, err)
	}
}

// wheelParams is Input.dispatchMouseEvent for a wheel turn, with deltaX
// always sent: Chrome refuses a wheel event without it, and cdproto's own
// parameters leave a zero out.
type wheelParams struct {
	Type   string  `json:"type"`
	X      float64 `json:"x"`
	Y      float64 `json:"y"`
	DeltaX float64 `json:"deltaX"`
	DeltaY float64 `json:"deltaY"`
}

var wheelEvent = cdp.Command[wheelParams, cdp.Empty]{Method: input.CommandDispatchMouseEvent}

// Key presses and releases keys (see chromedp/kb for names like kb.PageDown).
func (p *Page) Key(keys string) {
	p.T.Helper()
	if err := chromedp.Do(p.ctx, chromedp.KeyEvent(keys)); err != nil {
		p.T.Fatalf("key %q: %v", keys, err)
	}
}

// WaitFor polls the JavaScript condition until it is true or the timeout
// passes, and fails the test with what it last saw.
func (p *Page) WaitFor(cond string, timeout time.Duration) {
	p.T.Helper()
	deadline := time.Now().Add(timeout)
	for {
		var ok bool
		p.Eval(`(() => { try { return !!(`+cond+`); } catch (e) { return false; } })()`, &ok)
		if ok {
			return
		}
		if time.Now().After(deadline) {
			var st json.RawMessage
			p.Eval(`window.convlab.state()`, &st)
			p.T.Fatalf("waited %v for %s; state is %s", timeout, cond, st)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Frames waits for n animation frames to pass.
func (p *Page) Frames(n int) {
	p.T.Helper()
	p.Eval(fmt.Sprintf(`new Promise(r => { let n = %d; const f = () => (--n <= 0 ? r(true) : requestAnimationFrame(f)); requestAnimationFrame(f); })`, n), nil)
}

// Screenshot captures the page, saves it as out/screenshots/<name>.png
// for people to look at, and returns it.
func (p *Page) Screenshot(name string) image.Image {
	p.T.Helper()
	buf, err := chromedp.Run(p.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		p.T.Fatalf("screenshot: %v", err)
	}
	dir := filepath.Join(Root(), "out", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err == nil {
		_ = os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o644)
	}
	img, err := png.Decode(bytes.NewReader(buf))
	if err != nil {
		p.T.Fatalf("screenshot: %v", err)
	}
	return img
}

// Colours counts the distinct colours in r of img (a blank canvas has one
// or two; drawn text and grids have hundreds).
func Colours(img image.Image, r image.Rectangle) int {
	seen := map[[3]uint32]bool{}
	r = r.Intersect(img.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y += 2 {
		for x := r.Min.X; x < r.Max.X; x += 2 {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			seen[[3]uint32{cr >> 8, cg >> 8, cb >> 8}] = true
		}
	}
	return len(seen)
}
