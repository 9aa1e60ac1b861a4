//go:build js && wasm

package main

import (
	"encoding/json"
	"strconv"
	"syscall/js"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"convlab/engine/app"
	"convlab/engine/ui"
)

func main() {
	g := newGame()
	g.restore()
	ebiten.SetTPS(ebiten.SyncWithFPS)
	ebiten.SetWindowTitle("ConvLab")
	ebiten.SetScreenClearedEveryFrame(false) // frames with nothing new keep the last picture
	exposeAPI(g)
	if err := ebiten.RunGameWithOptions(g, &ebiten.RunGameOptions{}); err != nil {
		fail("ConvLab stopped: " + err.Error())
	}
}

// fail shows a message on the page in plain words.
func fail(msg string) {
	if f := js.Global().Get("convlabFail"); f.Type() == js.TypeFunction {
		f.Invoke(msg)
	}
}

// game runs the app: events in, ticks, widgets out to the page's controls,
// and drawing.
type game struct {
	app     *app.App
	page    js.Value // window.convlabUI, the page's control layer (web/ui.js)
	painter *painter
	cssW    float64 // window size in CSS pixels, as last laid out
	cssH    float64
	dpr     float64
	last    time.Time
	sent    []ui.Widget // widgets last sent to the page
	sentF   ui.Frame
	spoken  int // serial of the last message sent to the live region
	drawn   bool
	fps     fpsMeter
	saved   string         // the state last written to the link and storage
	saveIn  float64        // seconds until the state is next compared with saved
	kept    map[string]int // each keeper's version last written to storage, by lesson id

	// Redrawing: the page is drawn again after an event, a resize, a
	// change of tooltip, while the lesson animates, and at least once a
	// second; other frames keep the last picture, which leaves the CPU to
	// the training worker and saves a laptop's battery.
	dirty     bool
	drawnTip  string  // the tooltip on the last picture
	sinceDraw float64 // seconds since the last picture
}

func newGame() *game {
	screens := []app.Screen{
		app.NewFCScreen(app.ShippedFC()),
		app.NewSlidingScreen(time.Now().UnixNano()),
		app.NewMapsScreen(app.ShippedMaps(nil)),
		app.NewTrainingScreen(newTrainLink()),
		app.NewBeyondScreen(app.ShippedBeyond()),
	}
	return &game{
		app:     app.New(screens),
		page:    js.Global().Get("convlabUI"),
		painter: newPainter(),
		dpr:     1,
	}
}

// Update reads every queued event, advances time and sends the controls
// to the page.
func (g *game) Update() error {
	now := time.Now()
	dt := 1.0 / 60
	if !g.last.IsZero() {
		dt = now.Sub(g.last).Seconds()
		if dt > 0.25 {
			dt = 0.25 // a hidden tab or a pause: don't jump
		}
	}
	g.last = now
	g.fps.tick(dt)

	if q := g.page.Call("drain").String(); q != "" {
		var raw []rawEvent
		if err := json.Unmarshal([]byte(q), &raw); err == nil {
			for _, r := range raw {
				if ev, ok := r.event(); ok {
					g.app.Handle(ev)
					g.dirty = true
				}
			}
		}
	}
	g.wireTraining()
	g.app.Tick(dt)
	g.sinceDraw += dt
	if g.app.Animating() || g.sinceDraw >= 1 {
		g.dirty = true
	}
	if w, _ := g.app.Tooltip(); w.Name != g.drawnTip {
		g.dirty = true
	}
	g.syncControls()
	g.save(dt)
	return nil
}

// storageKey is where the page keeps its state in localStorage; every
// file:// page shares one storage, so the key is namespaced.
const storageKey = "convlab:v1:state"

// restore loads the saved work, then the link's state over it. A link that
// cannot be read is reported, and the saved work stays.
func (g *game) restore() {
	var stored js.Value
	jsTry(func() { stored = js.Global().Get("localStorage").Call("getItem", storageKey) })
	if stored.Type() == js.TypeString {
		if err := g.app.Decode(stored.String()); err != nil {
			g.app.Announcer().Say("Some saved work could not be read and was left out: " + err.Error())
		}
	}
	if h := js.Global().Get("location").Get("hash").String(); len(h) > 1 {
		if err := g.app.Decode(h); err != nil {
			g.app.Announcer().Say(err.Error())
		}
	}
	g.saved = g.app.Encode()
	g.kept = map[string]int{}
	for id, k := range g.app.Keepers() {
		var v js.Value
		jsTry(func() { v = js.Global().Get("localStorage").Call("getItem", keptKey(id)) })
		if v.Type() == js.TypeString && v.String() != "" {
			if err := k.Keep(v.String()); err != nil {
				g.app.Announcer().Say("Some saved work could not be read and was left out: " + err.Error())
			}
		}
		_, g.kept[id] = k.Kept()
	}
}

// keptKey is where a lesson's kept state (app.Keeper) lives in
// localStorage, apart from the state the link carries.
func keptKey(id string) string { return "convlab:v1:kept:" + id }

// save writes the state to the link and to localStorage twice a second
// when it changed.
func (g *game) save(dt float64) {
	g.saveIn -= dt
	if g.saveIn > 0 {
		return
	}
	g.saveIn = 0.5
	g.keep()
	s := g.app.Encode()
	if s == g.saved {
		return
	}
	g.saved = s
	jsTry(func() { js.Global().Get("localStorage").Call("setItem", storageKey, s) })
	jsTry(func() { js.Global().Get("history").Call("replaceState", js.Null(), "", "#"+s) })
}

// keep writes each keeper's state to localStorage when its version
// changed. A write the browser refuses (storage full or forbidden) leaves
// the last good copy in place, since setItem changes nothing when it
// throws; it is noted in the console and not tried again until the state
// changes.
func (g *game) keep() {
	for id, k := range g.app.Keepers() {
		data, v := k.Kept()
		if v == g.kept[id] || data == "" {
			continue
		}
		g.kept[id] = v
		if !jsTry(func() { js.Global().Get("localStorage").Call("setItem", keptKey(id), data) }) {
			jsTry(func() {
				js.Global().Get("console").Call("warn", "ConvLab could not keep the "+id+" lesson's state in localStorage ("+
					strconv.Itoa(len(data))+" characters); the last copy kept stays.")
			})
		}
	}
}

// jsTry runs f, which calls into the browser, and reports whether it ran
// without the browser throwing (storage can be full or forbidden, for
// example); a throw must not stop the page.
func jsTry(f func()) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	f()
	return true
}

// syncControls sends the widgets to the page when they changed, and the
// latest message to the live region.
func (g *game) syncControls() {
	ws := g.app.Widgets()
	f := g.app.Frame()
	if f != g.sentF || !sameWidgets(ws, g.sent) {
		g.page.Call("sync", string(widgetsJSON(ws, f)), f.Scale)
		g.sent = append(g.sent[:0], ws...)
		g.sentF = f
	}
	if msg, n := g.app.Announcer().Last(); n != g.spoken {
		g.spoken = n
		g.page.Call("announce", msg)
	}
}

func sameWidgets(a, b []ui.Widget) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Draw draws the page. It only reads.
func (g *game) Draw(screen *ebiten.Image) {
	if !g.dirty && g.drawn {
		return
	}
	g.dirty, g.sinceDraw = false, 0
	tip, _ := g.app.Tooltip()
	g.drawnTip = tip.Name
	g.fps.drew = true
	g.painter.begin(screen, g.app.Frame(), g.dpr)
	drawApp(g.painter, g.app)
	if !g.drawn {
		g.drawn = true
		if r := js.Global().Get("convlabReady"); r.Type() == js.TypeFunction {
			r.Invoke()
		}
	}
}

// LayoutF lays the page out in device pixels, so text is crisp at any
// devicePixelRatio.
func (g *game) LayoutF(w, h float64) (float64, float64) {
	dpr := js.Global().Get("devicePixelRatio").Float()
	if dpr <= 0 {
		dpr = 1
	}
	if w != g.cssW || h != g.cssH || dpr != g.dpr {
		g.cssW, g.cssH, g.dpr = w, h, dpr
		g.app.Resize(w, h)
		g.dirty = true
	}
	return w * dpr, h * dpr
}

// Layout is required by ebiten.Game; LayoutF is used instead.
func (g *game) Layout(w, h int) (int, int) { return w, h }

// fpsMeter measures, over the last second, frames per second (how often
// the page reads input and may draw) and pictures per second (how many
// of those frames drew something new).
type fpsMeter struct {
	acc           float64
	frames, drawn int
	drew          bool // set by Draw, counted by the next tick
	fps, pictures float64
}

func (m *fpsMeter) tick(dt float64) {
	m.acc += dt
	m.frames++
	if m.drew {
		m.drawn++
		m.drew = false
	}
	if m.acc >= 1 {
		m.fps = float64(m.frames) / m.acc
		m.pictures = float64(m.drawn) / m.acc
		m.acc, m.frames, m.drawn = 0, 0, 0
	}
}
