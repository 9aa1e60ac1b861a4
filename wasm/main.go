//go:build js && wasm

package main

import (
	"encoding/json"
	"strconv"
	"sync"
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
	g.frames = startFrames()
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
	train   *trainLink // the training lesson's link to its session
	frames  *frames
	asked   float64     // the wait the last frame asked for, in seconds: 0 the next frame, negative none
	sent    []ui.Widget // widgets last sent to the page
	sentF   ui.Frame
	spoken  int // serial of the last message sent to the live region
	drawn   bool
	fps     fpsMeter
	saved   string         // the state last written to the link and storage
	saveAt  time.Time      // when the state is next compared with saved
	unsaved bool           // the state may have changed since it was last compared
	kept    map[string]int // each keeper's version last written to storage, by lesson id

	// reportAt is when a training report that arrives may next bring a
	// frame (see TrainingScreen.ReportDelay); before it, the report waits.
	// Zero while another lesson shows: reports wait for the training
	// lesson to show again (its link merges them meanwhile).
	reportMu sync.Mutex
	reportAt time.Time

	// Redrawing: the page is drawn again after an event, a resize and
	// while the lesson animates; a frame with nothing new keeps the last
	// picture. Frames themselves run only when something may have changed
	// (see frames.go).
	dirty bool

	sentTip ui.Widget // the control whose tooltip the page shows (web/ui.js draws it)
}

func newGame() *game {
	g := &game{
		page:    js.Global().Get("convlabUI"),
		painter: newPainter(),
		dpr:     1,
	}
	g.train = newTrainLink(g.reportArrived)
	screens := []app.Screen{
		app.NewFCScreen(app.ShippedFC()),
		app.NewSlidingScreen(time.Now().UnixNano()),
		app.NewMapsScreen(app.ShippedMaps(nil)),
		app.NewTrainingScreen(g.train),
		app.NewBeyondScreen(app.ShippedBeyond()),
	}
	g.app = app.New(screens)
	return g
}

// reportArrived asks for a frame to show a training report that arrived:
// at once, or when the lesson is due to repaint; none while another
// lesson shows.
func (g *game) reportArrived() {
	g.reportMu.Lock()
	at := g.reportAt
	g.reportMu.Unlock()
	if g.frames != nil && !at.IsZero() {
		g.frames.after(time.Until(at))
	}
}

// Update advances time, reads every queued event, sends the controls to
// the page and asks for the next frame the page needs.
func (g *game) Update() error {
	now := time.Now()
	g.frames.cancel()
	dt := g.step(now)
	g.fps.tick(now, g.page)

	// Time first, then the events: a frame after a long wait advances the
	// lesson's clock by the time that passed (a training lesson's pace,
	// a tooltip's delay), and an animation an event starts begins with
	// the next frame's short step.
	g.wireTraining()
	g.app.Tick(dt)
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
	animating := g.app.Animating()
	if animating {
		g.dirty = true
	}
	g.syncControls()
	g.unsaved = g.unsaved || g.dirty
	g.save(now)
	g.plan(now, animating)
	return nil
}

// step returns the seconds by which this frame advances the lesson: the
// time since the last frame, but no more than a quarter of a second after
// a frame that asked for the next one at once (an animation in a tab that
// was hidden does not jump), no more than the wait it asked for (an event
// that came first brings the frame sooner), and no more than two seconds
// after a frame that asked for none.
func (g *game) step(now time.Time) float64 {
	if g.last.IsZero() {
		g.last = now
		return 1.0 / 60
	}
	dt := now.Sub(g.last).Seconds()
	g.last = now
	switch {
	case g.asked > 0:
		return min(dt, g.asked+0.1)
	case g.asked == 0:
		return min(dt, 0.25)
	}
	return min(dt, 2) // after a frame that asked for none: an event, a report or a resize brings this one
}

// plan asks for the frame the page needs next: at once while the lesson
// animates, then when the app's next tick (a tooltip, a lesson's pace) or
// a save is due; and notes how long a training report may wait.
func (g *game) plan(now time.Time, animating bool) {
	wait := g.app.NextTick(animating)
	if g.unsaved {
		wait = app.Sooner(wait, max(0, g.saveAt.Sub(now).Seconds()))
	}
	g.asked = wait
	if wait >= 0 {
		g.frames.after(seconds(wait))
	}
	var at time.Time
	if s, ok := g.app.Current().(*app.TrainingScreen); ok {
		at = now.Add(seconds(s.ReportDelay()))
	}
	g.reportMu.Lock()
	g.reportAt = at
	g.reportMu.Unlock()
	if g.train.pending() {
		g.reportArrived() // reports that came while another lesson showed
	}
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

// save writes the state to the link and to localStorage when it changed,
// at most twice a second; plan asks for a frame when a save is due.
func (g *game) save(now time.Time) {
	if !g.unsaved || now.Before(g.saveAt) {
		return
	}
	g.saveAt, g.unsaved = now.Add(500*time.Millisecond), false
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
	if tip, _ := g.app.Tooltip(); tip.Name != g.sentTip.Name || tip.Tooltip != g.sentTip.Tooltip {
		g.page.Call("tip", tip.Name, tip.Tooltip)
		g.sentTip = tip
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
	g.dirty = false
	g.fps.drew(time.Now())
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

// fpsMeter gives the page's frame rate, as web/ui.js counts the
// display's frames over the last second (the page's own frames run only
// when something changes), and pictures per second: how many frames drew
// something new over the last second.
type fpsMeter struct {
	fps      float64
	drawn    []time.Time // when the frames of the last second that drew something new ran
	pictures float64
}

// tick reads the display's frame rate from the page.
func (m *fpsMeter) tick(now time.Time, page js.Value) {
	m.fps = page.Call("fps").Float()
	m.count(now)
}

// drew notes a frame that drew something new.
func (m *fpsMeter) drew(now time.Time) { m.drawn = append(m.drawn, now) }

// count drops the pictures older than a second and counts the others.
func (m *fpsMeter) count(now time.Time) {
	i := 0
	for i < len(m.drawn) && now.Sub(m.drawn[i]) > time.Second {
		i++
	}
	m.drawn = append(m.drawn[:0], m.drawn[i:]...)
	m.pictures = float64(len(m.drawn))
}
