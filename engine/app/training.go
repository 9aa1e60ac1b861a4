package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"strings"
	"time"

	"convlab/engine/lesson"
	"convlab/engine/ui"
)

// TrainingScreen is the training lesson as the page shows it (slides
// 26–29): a conv net trains live while the student watches what its
// first-layer filters learn, beside a linear classifier and an MLP that
// train on the same minibatches.
//
// The training itself runs in a session behind a lesson.TrainLink (a Web
// Worker in the page, or the page's own frames when workers are missing;
// a lesson.LocalTrainLink in tests). The screen sends the session
// commands, applies its reports to a lesson.TrainView once a frame (Tick)
// and draws from that view: it never trains, and it rebuilds its pictures
// only when the data behind them changed.
//
// Six tabs, each filling the page, walked in order by the deck keys:
//
//   - "train": the controls (data set, optimizer, learning rate, batch,
//     momentum, weight decay, seed, pretrained weights), the first-layer
//     filters drawn large with a time-lapse since initialisation, and the
//     loss and accuracy curves;
//   - "network": the architecture (first-layer filters, kernel, padding,
//     second conv layer) and the per-layer ledger;
//   - "inside": one test example and the activation maps of every layer;
//   - "results": a gallery of test predictions with their top 3, the
//     latest mistakes and the confusion matrix;
//   - "compare": the linear classifier's templates, the MLP's hidden
//     units and the conv filters, each model trainable on its own;
//   - "try": a pad to draw on, and what the live nets and the pretrained
//     net make of the drawing.
//
// Play, step, reset and the training figures stay in view on every tab;
// so does a divergence, with its one-click fix.
type TrainingScreen struct {
	info lesson.Info
	link lesson.TrainLink
	view lesson.TrainView
	say  *ui.Announcer // where the session's news is said; nil until the page hands it over
	r    image.Rectangle
	sc   float64 // CSS pixels per layout unit, from the page's frame

	now     float64 // seconds of Tick time
	started bool    // the session has been sent the settings
	fps     float64 // the page's frames per second
	shownFP int     // the frame rate as last painted, rounded

	tab       string
	settings  lesson.TrainSettings // what the controls show
	running   bool
	testImage int
	hold      trainHold
	where     string // where the session runs, as last painted

	errField string // the field showing a refused entry, "" for none
	errText  string // what that field shows

	// The time-lapse: the frame shown (−1: the live filters) and the
	// replay's clock.
	lapse     int
	replaying bool
	replayAt  float64

	pad     *lesson.Pad
	padVer  int     // counts changes of the pad's picture
	padSent float64 // Tick time the drawing was last sent
	padNew  bool    // the drawing changed since it was last sent
	ink     int     // the colour pad's ink, an index into trainInks

	ver      trainVersions
	lay      trainLayout
	widgets  []ui.Widget
	marks    []Mark
	dropped  int // lines of text the last paint had no room for (none, the tests check)
	plots    []TrainPlot
	pics     map[string]*Picture
	tags     map[string]int // for each picture, the version of the data it was made from
	plotTags map[string]trainPlotTag
	gen      int // counts pictures made: their Version
	// paints counts the rebuilds of the marks; seenPaints is the count
	// Animating last reported.
	paints, seenPaints int
	stale              bool    // reports arrived that are not yet shown
	paintedAt          float64 // Tick time of the last refresh
	repaintEvery       float64 // least seconds between repaints for reports while training
	idleFPS            float64 // the page's own frame rate, the best measured lately (see adapt)
	reports            []*lesson.TrainReport

	// Keeping the weights (Keeper): kept is the latest saved value as
	// JSON and keptVer counts them; restore waits to be sent when the
	// session starts; restoresSent counts the restores sent, and a saved
	// value is taken only from a report that has seen them all.
	kept         string
	keptVer      int
	restore      *lesson.TrainSaved
	restoresSent int
}

// trainHold keeps what the student just asked for on show until a report
// says the session did it, or until trainHoldFor passes (the command was
// refused, and the session's message says why): a report sent before the
// command arrived must not undo the click on screen.
type trainHold struct {
	settings, running, testImage float64 // Tick time until which each is held; 0: not held
}

// trainHoldFor is how long, in seconds, a change waits for the session to
// confirm it.
const trainHoldFor = 2.0

// trainVersions count the changes of the view's items, so pictures are
// remade only when their data changed.
type trainVersions struct {
	filters, snapshots, maps, drawn, gallery, confusion, linear, mlp, images, curves int
}

// TrainingTabs lists the tabs in the order the page shows them and the
// deck keys walk through them.
var TrainingTabs = []string{"train", "network", "inside", "results", "compare", "try"}

// trainingTabLabels are the tabs' buttons.
var trainingTabLabels = map[string]string{
	"train": "Train", "network": "Network", "inside": "Inside",
	"results": "Results", "compare": "Compare", "try": "Draw",
}

// trainPollBudget is the time a frame gives a session that trains inside
// the page (a worker's link ignores it).
const trainPollBudget = 8 * time.Millisecond

// NewTrainingScreen returns the training lesson's screen, on the "train"
// tab with the default settings, talking to a session through link. It
// sends nothing until the lesson is first shown (its first Tick), so a
// worker behind the link starts only when needed.
func NewTrainingScreen(link lesson.TrainLink) *TrainingScreen {
	s := &TrainingScreen{
		info:         lesson.Catalog()[lesson.Index(lesson.TrainingLesson)],
		link:         link,
		tab:          "train",
		settings:     lesson.DefaultTrainSettings(),
		lapse:        -1,
		repaintEvery: trainRepaintStart,
		pics:         map[string]*Picture{},
		tags:         map[string]int{},
		plotTags:     map[string]trainPlotTag{},
		sc:           1,
		r:            image.Rect(0, 0, ui.DesignW, ui.DesignH-BarHeight),
	}
	s.newPad()
	s.refresh()
	return s
}

// Info describes the lesson.
func (s *TrainingScreen) Info() lesson.Info { return s.info }

// View returns what the screen knows of the session: every report so far.
func (s *TrainingScreen) View() *lesson.TrainView { return &s.view }

// Tab returns the tab on show, one of TrainingTabs.
func (s *TrainingScreen) Tab() string { return s.tab }

// Settings returns the settings the controls show.
func (s *TrainingScreen) Settings() lesson.TrainSettings { return s.settings }

// Running reports whether the controls show training as playing.
func (s *TrainingScreen) Running() bool { return s.running }

// Pad returns the drawing pad of the "try" tab.
func (s *TrainingScreen) Pad() *lesson.Pad { return s.pad }

// Marks returns what the page draws for the screen now, in order. It is
// rebuilt after every change and must not be modified.
func (s *TrainingScreen) Marks() []Mark { return s.marks }

// Plots returns the line plots the page draws over the marks.
func (s *TrainingScreen) Plots() []TrainPlot { return s.plots }

// SetAnnouncer hands the screen the page's message line, where it says
// what the session reports (a divergence, a refusal) between events.
func (s *TrainingScreen) SetAnnouncer(say *ui.Announcer) { s.say = say }

// SetFPS tells the screen the page's frame rate, for the figures it shows
// and its state.
func (s *TrainingScreen) SetFPS(fps float64) {
	if fps != s.fps {
		s.adapt(fps) // the page's meter gives a new figure once a second
	}
	s.fps = fps
	if n := int(fps + 0.5); n != s.shownFP {
		s.shownFP = n
		s.stale = true // shown at the next repaint
	}
}

// SetFrame records the page's frame (app.FrameSetter): pointer positions
// on the pad arrive in CSS pixels.
func (s *TrainingScreen) SetFrame(f ui.Frame) {
	if f.Scale > 0 {
		s.sc = f.Scale
	}
}

// Layout places the screen in r (layout units).
func (s *TrainingScreen) Layout(r image.Rectangle) {
	s.r = r
	s.refresh()
}

// Widgets appends the screen's controls in tab order.
func (s *TrainingScreen) Widgets(dst []ui.Widget) []ui.Widget { return append(dst, s.widgets...) }

// Next shows the next tab; false on the last, so the page moves on.
func (s *TrainingScreen) Next(say *ui.Announcer) bool { return s.stepTab(+1, say) }

// Prev shows the previous tab; false on the first.
func (s *TrainingScreen) Prev(say *ui.Announcer) bool { return s.stepTab(-1, say) }

func (s *TrainingScreen) stepTab(d int, say *ui.Announcer) bool {
	i := trainTabIndex(s.tab) + d
	if i < 0 || i >= len(TrainingTabs) {
		return false
	}
	s.showTab(TrainingTabs[i], say)
	return true
}

func trainTabIndex(t string) int {
	for i, x := range TrainingTabs {
		if x == t {
			return i
		}
	}
	return -1
}

// Tick sends the session what it needs when the lesson first shows, sends
// the drawing while it is being drawn, advances the time-lapse replay, and
// applies the reports that arrived.
func (s *TrainingScreen) Tick(dt float64) {
	s.now += dt
	if !s.started {
		s.started = true
		set := s.settings
		s.send(lesson.TrainCommand{Op: lesson.TrainOpSettings, Settings: &set})
		if s.testImage != 0 {
			s.send(lesson.TrainCommand{Op: lesson.TrainOpTestImage, Index: s.testImage})
		}
		s.sendRestore()
	}
	if s.padNew && s.now-s.padSent >= trainPadEvery {
		s.sendDrawing()
	}
	changed := s.tickReplay(dt)
	if s.link != nil {
		s.reports = s.link.Poll(trainPollBudget, s.reports[:0])
	}
	for i, r := range s.reports {
		s.apply(r)
		s.reports[i] = nil
	}
	if w := s.whereNow(); w != s.where {
		s.where, changed = w, true
	}
	// While training, reports arrive ten times a second; the screen shows
	// them at most every trainRepaintEvery, since each picture the page
	// draws costs the GPU (in software, a core) time the worker needs.
	if len(s.reports) > 0 {
		s.stale = true
	}
	if changed || s.stale && (!s.running || s.now-s.paintedAt >= s.repaintEvery) {
		s.refresh()
	}
}

// NextTick (Pacer) returns the seconds until the screen next needs a tick
// with no event: at once while the settings are still to be sent, while
// the time-lapse replays and while a session in the page trains (it
// trains in the frames' ticks); when the drawing is next due to be sent;
// and, while training, when the reports that came are due to be shown.
// Otherwise the next report or event brings the next tick.
func (s *TrainingScreen) NextTick() float64 {
	next := -1.0
	switch {
	case !s.started, s.replaying, s.whereNow() == "page":
		return 0
	case s.stale && s.running:
		next = s.ReportDelay()
	}
	if s.padNew {
		next = Sooner(next, max(0, s.padSent+trainPadEvery-s.now))
	}
	return next
}

// ReportDelay returns the seconds a report that arrives now may wait for
// its tick: while training, until the screen is due to repaint (a tick
// before that would show nothing new); otherwise none.
func (s *TrainingScreen) ReportDelay() float64 {
	if !s.running {
		return 0
	}
	return max(0, s.paintedAt+s.repaintEvery-s.now)
}

// The least time, in seconds, between two repaints for reports while
// training (events repaint at once): it starts at trainRepaintStart and
// adapts to the machine (see adapt) between trainRepaintMin, every report,
// and trainRepaintMax.
const (
	trainRepaintMin   = 0.1
	trainRepaintStart = 0.5
	trainRepaintMax   = 1.0
)

// adapt sets how often the screen repaints while training from the page's
// frame rate, measured anew each second: paused, that rate is the
// machine's own; while training, a rate below 85% of it means the
// pictures cost more than the machine can spare beside the worker (in
// software GL one picture of the page costs a core a third of a second),
// so the screen repaints half as often (below half of it, as seldom as it
// may at once: the page stutters); above 95% it repaints a little
// more often. A machine with a GPU ends at every report, a headless one
// at about one picture a second.
//
// The paused rate is the best one measured lately: any second, paused or
// training, may raise it at once, and paused it falls by at most a tenth
// a second. A second measured while the page is busy (the worker starting,
// the whole test set being answered) would otherwise set the bar so low
// that the pictures of a slow machine never thin out.
func (s *TrainingScreen) adapt(fps float64) {
	if !s.running || fps > s.idleFPS {
		s.idleFPS = max(fps, 0.9*s.idleFPS)
	}
	if !s.running {
		return
	}
	if s.idleFPS <= 0 {
		return
	}
	switch r := fps / s.idleFPS; {
	case r < 0.5:
		s.repaintEvery = trainRepaintMax
	case r < 0.85:
		s.repaintEvery = min(2*s.repaintEvery, trainRepaintMax)
	case r > 0.95:
		s.repaintEvery = max(0.8*s.repaintEvery, trainRepaintMin)
	}
}

// trainPadEvery is the least time, in seconds, between two sendings of the
// drawing while it is being drawn.
const trainPadEvery = 0.15

// send passes a command to the session.
func (s *TrainingScreen) send(c lesson.TrainCommand) {
	if s.link != nil {
		s.link.Send(c)
	}
}

// whereNow says where the session runs ("idle" without a link).
func (s *TrainingScreen) whereNow() string {
	if s.link == nil {
		return "idle"
	}
	return s.link.Where()
}

// sayNews says msg on the page's message line, if the page handed it over.
func (s *TrainingScreen) sayNews(msg string) {
	if s.say != nil && msg != "" {
		s.say.Say(msg)
	}
}

// apply folds one report into the view and the controls.
func (s *TrainingScreen) apply(r *lesson.TrainReport) {
	s.view.Apply(r)
	if r.Saved != nil && r.Restores >= s.restoresSent {
		b, err := json.Marshal(r.Saved)
		if err != nil {
			panic("training: a saved value does not encode as JSON: " + err.Error()) // plain data: a programmer error
		}
		s.kept, s.keptVer = string(b), s.keptVer+1
	}
	for _, m := range r.Messages {
		s.sayNews(m)
	}
	v := &s.ver
	if r.Filters != nil {
		v.filters++
	}
	if len(r.Snapshots) > 0 || r.SnapshotsReset {
		v.snapshots++
		if s.lapse >= len(s.view.Snapshots) {
			s.lapse = -1
		}
	}
	if r.Maps != nil {
		v.maps++
	}
	if r.Drawn != nil {
		v.drawn++
	}
	if r.Gallery != nil {
		v.gallery++
	}
	if r.Confusion != nil {
		v.confusion++
	}
	for _, t := range r.Templates {
		if t.Model == lesson.TrainLinear {
			v.linear++
		} else {
			v.mlp++
		}
	}
	if len(r.Images) > 0 || r.ImagesReset {
		v.images++
	}
	for _, m := range r.Models {
		if len(m.Curve) > 0 || m.CurveReset {
			v.curves++
			break
		}
	}
	// What the student just asked for stays on show until the session
	// confirms it; a divergence stops training whatever was asked.
	h := &s.hold
	if h.settings == 0 || r.Settings == s.settings || s.now > h.settings {
		h.settings = 0
		if r.Settings != s.settings {
			s.settings = r.Settings
			s.syncPad()
		}
	}
	if h.running == 0 || r.Running == s.running || s.now > h.running || r.Diverged != nil {
		h.running, s.running = 0, r.Running
	}
	if h.testImage == 0 || r.TestImage == s.testImage || s.now > h.testImage {
		h.testImage, s.testImage = 0, r.TestImage
	}
}

// Tip words shared by several controls.
const trainRestartWords = "Changing it starts every model afresh from the seed."

// trainDataWords names a data set in a sentence.
func trainDataWords(set string) string {
	if set == lesson.TrainColour {
		return "the colour patterns"
	}
	return "the MNIST digits"
}

// trainTabWords says what a tab shows, for the message line.
func trainTabWords(tab string) string {
	switch tab {
	case "network":
		return "Network: the architecture and its per-layer ledger (shapes, parameters, multiply-adds)."
	case "inside":
		return "Activations: one test example through every layer of the conv net."
	case "results":
		return "Predictions: test examples with the conv net's top 3, its latest mistakes and the confusion matrix."
	case "compare":
		return "Compare: a linear classifier learns one template per class, an MLP whole-image templates, the conv net local templates."
	case "try":
		return "Draw: draw on the pad and see what the live nets and the pretrained net make of it."
	}
	return "Train & watch: the first-layer filters, the loss and the accuracy as the net trains."
}

// showTab switches to tab t and says what it shows.
func (s *TrainingScreen) showTab(t string, say *ui.Announcer) {
	s.tab = t
	s.errField = ""
	say.Say(trainTabWords(t))
	s.refresh()
}

// Animating reports whether the screen changed since the last call (a
// report arrived, the time-lapse replays, the figures moved): the page
// then draws it again. Between reports a playing session changes nothing
// on screen, so the page is redrawn about ten times a second while
// training and leaves the rest of the CPU to the worker.
func (s *TrainingScreen) Animating() bool {
	moved := s.paints != s.seenPaints
	s.seenPaints = s.paints
	return moved
}

// refresh rebuilds the layout, the widgets and the marks after a change;
// the marks remake the pictures whose data changed.
func (s *TrainingScreen) refresh() {
	s.layout()
	s.paint()
	s.stale, s.paintedAt = false, s.now
}

// trainTitle capitalises the first letter of s.
func trainTitle(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// Kept returns the latest weights the session saved, as JSON, and a
// version that counts them (app.Keeper); before any, what Keep was given.
func (s *TrainingScreen) Kept() (string, int) { return s.kept, s.keptVer }

// Keep takes weights Kept returned, to restore when the session starts
// (at once if it has started). The session checks them against the
// settings and says whether it restored them; data that is not a saved
// value at all is refused here and changes nothing.
func (s *TrainingScreen) Keep(data string) error {
	if data == "" {
		return errors.New("the kept weights are empty")
	}
	var sv lesson.TrainSaved
	if err := json.Unmarshal([]byte(data), &sv); err != nil {
		return fmt.Errorf("the kept weights cannot be read: %w", err)
	}
	s.kept, s.restore = data, &sv
	if s.started {
		s.sendRestore()
	}
	return nil
}

// sendRestore sends the weights Keep took, if any.
func (s *TrainingScreen) sendRestore() {
	if s.restore == nil {
		return
	}
	s.send(lesson.TrainCommand{Op: lesson.TrainOpRestore, Saved: s.restore})
	s.restore = nil
	s.restoresSent++
}
