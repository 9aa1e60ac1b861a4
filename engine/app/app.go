// Package app is ConvLab's page without a renderer: the lesson bar, the
// lessons' screens, navigation, and what the automation interface reports.
// The wasm package feeds it events and draws what it describes.
package app

import (
	"fmt"
	"image"
	"strconv"

	"convlab/engine/lesson"
	picfile "convlab/engine/lesson/picture"
	"convlab/engine/ui"
)

// Screen is one lesson as the page shows it. Layout units are those of
// ui.Frame; the screen lays itself out in the rectangle it is given.
type Screen interface {
	// Info describes the lesson.
	Info() lesson.Info
	// Layout places the screen's content in r (layout units).
	Layout(r image.Rectangle)
	// Widgets appends the screen's controls, in tab order, to dst.
	Widgets(dst []ui.Widget) []ui.Widget
	// Handle acts on one event aimed at the screen's widgets, or a key the
	// app does not use itself. It reports whether the event was used.
	Handle(ev ui.Event, say *ui.Announcer) bool
	// Tick advances animations and work budgets by dt seconds.
	Tick(dt float64)
	// Next advances one step, as a presenter's clicker does; it reports
	// false, changing nothing, when the lesson is at its last step.
	Next(say *ui.Announcer) bool
	// Prev goes back one step; false at the first step.
	Prev(say *ui.Announcer) bool
	// State returns a JSON-serialisable snapshot for window.convlab.state().
	State() any
}

// Animator is a screen that can change without an event, for example
// while an animation plays or training reports arrive. The page redraws
// after every event; between events it redraws a screen only while the
// screen says it is animating. A screen that is not an Animator is redrawn
// every frame.
type Animator interface {
	Animating() bool
}

// Animating reports whether the screen on show may change without an
// event (see Animator).
func (a *App) Animating() bool {
	if an, ok := a.screens[a.cur].(Animator); ok {
		return an.Animating()
	}
	return true
}

// Pacer is a screen that needs ticks without events at times of its own
// choosing, for example to show training reports at a pace. The page runs
// a frame only when something may have changed (see NextTick).
type Pacer interface {
	// NextTick returns the seconds until the screen next needs a tick
	// with no event: 0 for the next frame, a negative number for none.
	NextTick() float64
}

// NextTick returns the seconds until the app next needs a tick with no
// event: 0 for the next frame, a negative number for none. A screen that
// animates needs every frame (the page asks it with Animating, once a
// frame, and passes the answer); a tooltip about to show and a Pacer's
// own pace need one later.
func (a *App) NextTick(animating bool) float64 {
	if animating {
		return 0
	}
	next := a.tips.Wait()
	if p, ok := a.screens[a.cur].(Pacer); ok {
		next = Sooner(next, p.NextTick())
	}
	return next
}

// Sooner returns the sooner of two waits in seconds, where a negative
// wait is none.
func Sooner(a, b float64) float64 {
	switch {
	case a < 0:
		return b
	case b < 0:
		return a
	}
	return min(a, b)
}

// FrameSetter is a screen that needs the page's frame, for example to turn
// pointer positions (CSS pixels) into pixels of a picture it draws. The app
// hands it the frame before every Layout.
type FrameSetter interface {
	SetFrame(f ui.Frame)
}

// App is the whole page: a lesson bar above the current lesson's screen.
type App struct {
	screens []Screen
	cur     int
	frame   ui.Frame
	bar     []image.Rectangle // lesson bar entries, in units
	content image.Rectangle   // the current screen's rectangle, in units
	say     ui.Announcer
	tips    ui.Tooltips
	widgets []ui.Widget // cache of the current widgets, rebuilt by Widgets
}

// BarHeight is the height of the lesson bar in units.
const BarHeight = ui.Control + 2*ui.Gap

// New returns the app showing screens (one per lesson, in lecture order),
// starting at the first.
func New(screens []Screen) *App {
	a := &App{screens: screens}
	a.Resize(ui.DesignW, ui.DesignH)
	return a
}

// Resize lays the page out for a window of cssW x cssH CSS pixels.
func (a *App) Resize(cssW, cssH float64) {
	f := ui.Fit(cssW, cssH)
	a.frame = f
	bar, rest := ui.SplitTop(f.Rect(), BarHeight)
	a.content = ui.Inset(rest, ui.Gap)
	widths := make([]int, len(a.screens))
	total := 0
	for i, s := range a.screens {
		widths[i] = ui.ButtonWidth(barLabel(i, s.Info()))
		total += widths[i]
	}
	// Share out the spare width so the bar spans the page.
	avail := bar.Dx() - 2*ui.Gap - (len(widths)-1)*ui.Gap
	if spare := avail - total; len(widths) > 0 {
		for i := range widths {
			widths[i] += spare / len(widths)
		}
	}
	a.bar = ui.Row(bar.Min.X+ui.Gap, bar.Min.Y+ui.Gap, ui.Control, ui.Gap, widths...)
	for _, s := range a.screens {
		if fs, ok := s.(FrameSetter); ok {
			fs.SetFrame(f)
		}
		s.Layout(a.content)
	}
}

func barLabel(i int, in lesson.Info) string {
	return strconv.Itoa(i+1) + " " + in.Short
}

// Frame returns the mapping from layout units to CSS pixels.
func (a *App) Frame() ui.Frame { return a.frame }

// Content returns the current screen's rectangle in units.
func (a *App) Content() image.Rectangle { return a.content }

// Current returns the screen on show.
func (a *App) Current() Screen { return a.screens[a.cur] }

// Index returns the position of the screen on show.
func (a *App) Index() int { return a.cur }

// Screens returns every screen, in lecture order.
func (a *App) Screens() []Screen { return a.screens }

// Announcer returns the page's message line.
func (a *App) Announcer() *ui.Announcer { return &a.say }

// Tooltip returns the widget whose tooltip is showing, if any.
func (a *App) Tooltip() (ui.Widget, bool) {
	name := a.tips.Showing()
	if name == "" {
		return ui.Widget{}, false
	}
	w, ok := ui.Find(a.widgets, name)
	if !ok || w.Tooltip == "" {
		return ui.Widget{}, false
	}
	return w, true
}

// Widgets returns every control on the page now, lesson bar first, in
// layout units. The slice is reused by the next call.
func (a *App) Widgets() []ui.Widget {
	ws := a.widgets[:0]
	for i, s := range a.screens {
		in := s.Info()
		ws = append(ws, ui.Widget{
			Name: "lesson-" + in.ID, Kind: ui.Choice, Group: "lesson", Rect: a.bar[i],
			Label: barLabel(i, in), On: i == a.cur,
			Tooltip: in.Title + " (slides " + in.Slides + "). Key " + strconv.Itoa(i+1) + ".",
		})
	}
	ws = a.screens[a.cur].Widgets(ws)
	a.widgets = ws
	return ws
}

// Show switches to the lesson at index i (ignored when out of range).
func (a *App) Show(i int) {
	if i < 0 || i >= len(a.screens) || i == a.cur {
		return
	}
	a.cur = i
	in := a.screens[i].Info()
	a.say.Say("Lesson " + strconv.Itoa(i+1) + ": " + in.Title)
}

// ShowID switches to the lesson with the given id and reports whether it exists.
func (a *App) ShowID(id string) bool {
	for i, s := range a.screens {
		if s.Info().ID == id {
			a.Show(i)
			return true
		}
	}
	return false
}

// Next advances the current lesson one step, or past its last step moves
// on to the next lesson, as a slide deck does.
func (a *App) Next() {
	if !a.screens[a.cur].Next(&a.say) {
		a.Show(a.cur + 1)
	}
}

// Prev goes back one step, or before the first step to the previous lesson.
func (a *App) Prev() {
	if !a.screens[a.cur].Prev(&a.say) {
		a.Show(a.cur - 1)
	}
}

// Handle acts on one event.
func (a *App) Handle(ev ui.Event) {
	a.tips.Event(ev)
	if ev.Type == ui.Click && len(ev.Target) > len("lesson-") && ev.Target[:len("lesson-")] == "lesson-" {
		if a.ShowID(ev.Target[len("lesson-"):]) {
			return
		}
	}
	if ev.Type == ui.Key {
		// The lesson may use a key first (e.g. typing a prediction); then
		// the deck keys.
		if a.screens[a.cur].Handle(ev, &a.say) {
			return
		}
		switch ev.Key {
		case "ArrowRight", "PageDown", " ":
			a.Next()
		case "ArrowLeft", "PageUp":
			a.Prev()
		default:
			if n, err := strconv.Atoi(ev.Key); err == nil && n >= 1 && n <= len(a.screens) {
				a.Show(n - 1)
			}
		}
		return
	}
	if !a.screens[a.cur].Handle(ev, &a.say) && ev.Type == ui.FileChosen {
		a.fileElsewhere(ev)
	}
}

// fileElsewhere answers a file dropped on a lesson that takes none: it
// says where pictures of one's own go.
func (a *App) fileElsewhere(ev ui.Event) {
	for i, s := range a.screens {
		if in := s.Info(); in.ID == lesson.MapsLesson {
			a.say.Say(fmt.Sprintf("%s was not used: pictures of your own go into lesson %d, %s. Open it and drop the picture there, or press “Your picture…”.",
				picfile.Name(ev.Text), i+1, in.Short))
			return
		}
	}
}

// Tick advances time by dt seconds.
func (a *App) Tick(dt float64) {
	a.tips.Tick(dt)
	a.screens[a.cur].Tick(dt)
}

// State is the snapshot window.convlab.state() returns.
type State struct {
	Lesson  string   `json:"lesson"`
	Lessons []string `json:"lessons"`
	Title   string   `json:"title"`
	Message string   `json:"message"`
	// Messages counts every message said so far, repeated ones included:
	// a test can tell that each of its clicks was acted on.
	Messages int `json:"messages"`
	// Tooltip names the control whose tooltip shows, if any.
	Tooltip string `json:"tooltip,omitempty"`
	Detail  any    `json:"detail,omitempty"`
}

// State returns the page's snapshot: the lesson on show, every lesson id,
// the latest message, and the lesson's own state.
func (a *App) State() State {
	s := State{Lesson: a.screens[a.cur].Info().ID, Title: a.screens[a.cur].Info().Title}
	for _, sc := range a.screens {
		s.Lessons = append(s.Lessons, sc.Info().ID)
	}
	s.Message, s.Messages = a.say.Last()
	if w, ok := a.Tooltip(); ok {
		s.Tooltip = w.Name
	}
	s.Detail = a.screens[a.cur].State()
	return s
}
